/* config-serve.c - what the [serve] section needs beyond GKeyFile: the
 * listening address and the secret files of tipline-serve (app.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"

#define SERVE_SECRET_MAX 65536

/* Hand MSG to the caller, or drop it when ERRMSG is NULL. */
static void
set_err(char **errmsg, char *msg)
{
	if (errmsg != NULL)
		*errmsg = msg;
	else
		g_free(msg);
}

/* PORT as 1..65535, or -1. */
static int
port_parse(const char *s)
{
	char *end = NULL;
	gint64 v;

	if (!g_ascii_isdigit(*s))
		return -1;
	v = g_ascii_strtoll(s, &end, 10);
	return (*end == '\0' && v >= 1 && v <= 65535) ? (int)v : -1;
}

tl_status
config_listen_parse(const char *s, serve_listen *out, char **errmsg)
{
	const char *colon;
	char *host = NULL;
	unsigned char a[16];
	int port;

	memset(out, 0, sizeof *out);
	if (g_str_has_prefix(s, "unix:")) {
		if (!g_path_is_absolute(s + 5)) {
			set_err(errmsg, g_strdup_printf("\"%s\": a unix "
				"socket needs an absolute path "
				"(unix:/run/tipline/serve.sock)", s));
			return TL_USAGE;
		}
		out->is_unix = 1;
		out->loopback = 1;
		out->path = g_strdup(s + 5);
		return TL_OK;
	}
	if (*s == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL || close[1] != ':')
			goto bad;
		host = g_strndup(s + 1, (gsize)(close - s - 1));
		colon = close + 1;
		if (inet_pton(AF_INET6, host, a) != 1)
			goto bad;
		out->loopback = memcmp(a, &in6addr_loopback, 16) == 0;
	} else {
		if ((colon = strrchr(s, ':')) == NULL)
			goto bad;
		host = g_strndup(s, (gsize)(colon - s));
		if (inet_pton(AF_INET, host, a) != 1)
			goto bad;
		out->loopback = a[0] == 127;
	}
	if ((port = port_parse(colon + 1)) < 0)
		goto bad;
	out->host = host;
	out->port = port;
	return TL_OK;
bad:
	g_free(host);
	set_err(errmsg, g_strdup_printf("\"%s\" is not an address to "
		"listen on (expected 127.0.0.1:PORT, [::1]:PORT or "
		"unix:PATH; numeric addresses only)", s));
	return TL_USAGE;
}

void
config_listen_clear(serve_listen *l)
{
	if (l == NULL)
		return;
	g_free(l->path);
	g_free(l->host);
	memset(l, 0, sizeof *l);
}

/* Open PATH and check it as password_file is checked (secret.c): a
 * regular file no one but its owner may read or write. */
static tl_status
private_open(const char *path, const char *key, int *fd_out, char **errmsg)
{
	struct stat sb;
	int fd;

	*fd_out = -1;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
	if (fd < 0) {
		*errmsg = g_strdup_printf("%s %s: %s", key, path,
					  g_strerror(errno));
		return errno == ENOENT ? TL_NOINPUT : TL_CONFIG;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		*errmsg = g_strdup_printf("%s %s: not a regular file", key,
					  path);
		close(fd);
		return TL_CONFIG;
	}
	if (sb.st_mode & (S_IRGRP | S_IROTH | S_IWGRP | S_IWOTH)) {
		*errmsg = g_strdup_printf("%s %s is readable or writable by "
					  "group or others (mode %04o); run "
					  "chmod 600 %s", key, path,
					  (unsigned)(sb.st_mode & 07777),
					  path);
		close(fd);
		return TL_CONFIG;
	}
	*fd_out = fd;
	return TL_OK;
}

tl_status
config_private_file_check(const char *path, const char *key,
			  char **errmsg)
{
	int fd;
	tl_status rc = private_open(path, key, &fd, errmsg);

	if (fd >= 0)
		close(fd);
	return rc;
}

tl_status
config_secret_file_read(const char *path, const char *key, char **out,
			char **errmsg)
{
	char *buf = NULL;
	gsize len = 0;
	ssize_t r;
	int fd;
	tl_status rc;

	*out = NULL;
	if ((rc = private_open(path, key, &fd, errmsg)) != TL_OK)
		return rc == TL_NOINPUT ? TL_CONFIG : rc;
	buf = g_malloc0(SERVE_SECRET_MAX + 1);
	while (len < SERVE_SECRET_MAX) {
		r = read(fd, buf + len, SERVE_SECRET_MAX - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (gsize)r;
	}
	close(fd);
	if (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	if (len > 0 && buf[len - 1] == '\r')
		buf[--len] = '\0';
	if (len == 0 || strlen(buf) != len) {
		*errmsg = g_strdup_printf("%s %s is empty or not text", key,
					  path);
		explicit_bzero(buf, SERVE_SECRET_MAX + 1);
		g_free(buf);
		return TL_CONFIG;
	}
	*out = g_strndup(buf, len);
	explicit_bzero(buf, SERVE_SECRET_MAX + 1);
	g_free(buf);
	return TL_OK;
}
