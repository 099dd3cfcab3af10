/* config-serve.c - what the [serve] section needs beyond GKeyFile: the
 * listening address and the secret files of tipline-serve (app.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"


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

tl_status
config_private_file_check(const char *path, const char *key,
			  char **errmsg)
{
	int fd;
	tl_status rc = secret_file_open(path, key, &fd, errmsg);

	if (fd >= 0)
		close(fd);
	return rc;
}

