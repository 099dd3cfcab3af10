/* secret.c - passwords and OAuth tokens (see app.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util.h"
#include "app.h"

/* No password or token is anywhere near this long; a longer output is a
 * misconfigured command (say, one that prints a whole file). */
#define SECRET_MAX 65536

/* Drop one final "\n" or "\r\n" from BUF of *len bytes. */
static void
strip_newline(char *buf, gsize *len)
{
	if (*len > 0 && buf[*len - 1] == '\n')
		buf[--*len] = '\0';
	if (*len > 0 && buf[*len - 1] == '\r')
		buf[--*len] = '\0';
}

/* Wipe and free a read buffer of SECRET_MAX + 1 bytes (the whole of it:
 * a refused secret may hold text after a NUL). */
static void
buf_wipe(char *buf)
{
	if (buf == NULL)
		return;
	explicit_bzero(buf, SECRET_MAX + 1);
	g_free(buf);
}

/* The LEN-byte secret at the start of BUF as an exact-size copy; BUF is
 * wiped and freed, so secret_free's strlen covers every byte kept. */
static char *
buf_take(char *buf, gsize len)
{
	char *out = g_strndup(buf, len);

	buf_wipe(buf);
	return out;
}

tl_status
secret_file_open(const char *path, const char *what, int *fd_out,
		 char **errmsg)
{
	struct stat sb;
	int fd;

	*fd_out = -1;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		*errmsg = g_strdup_printf("%s %s: %s", what, path,
					  g_strerror(errno));
		return errno == ENOENT ? TL_NOINPUT : TL_CONFIG;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		*errmsg = g_strdup_printf("%s %s: not a regular file", what,
					  path);
		close(fd);
		return TL_CONFIG;
	}
	/* Like ssh with a private key: a secret others can read is
	 * already leaked, so refuse rather than use it quietly. */
	if (sb.st_mode & (S_IRGRP | S_IROTH | S_IWGRP | S_IWOTH)) {
		*errmsg = g_strdup_printf("%s %s is readable or writable by "
					  "group or others (mode %04o); run "
					  "chmod 600 %s", what, path,
					  (unsigned)(sb.st_mode & 07777),
					  path);
		close(fd);
		return TL_CONFIG;
	}
	*fd_out = fd;
	return TL_OK;
}

tl_status
secret_file_read(const char *path, const char *what, char **out,
		 char **errmsg)
{
	char *buf = NULL;
	gsize len = 0;
	ssize_t r;
	int fd;

	*out = NULL;
	if (secret_file_open(path, what, &fd, errmsg) != TL_OK)
		return TL_CONFIG;
	buf = g_malloc0(SECRET_MAX + 1);
	while (len < SECRET_MAX) {
		r = read(fd, buf + len, SECRET_MAX - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*errmsg = g_strdup_printf("%s %s: %s", what, path,
						  g_strerror(errno));
			close(fd);
			buf_wipe(buf);
			return TL_CONFIG;
		}
		if (r == 0)
			break;
		len += (gsize)r;
	}
	close(fd);
	buf[len] = '\0';
	strip_newline(buf, &len);
	if (len == 0 || strlen(buf) != len) {
		*errmsg = g_strdup_printf("%s %s is empty or not text", what,
					  path);
		buf_wipe(buf);
		return TL_CONFIG;
	}
	*out = buf_take(buf, len);
	return TL_OK;
}

static tl_status
secret_from_file(const tl_mailbox_conf *mb, char **out, char **errmsg)
{
	char *what = g_strdup_printf("mailbox %s: password_file", mb->name);
	tl_status rc = secret_file_read(mb->password_file, what, out, errmsg);

	g_free(what);
	return rc;
}

/* Milliseconds left until DEADLINE (CLOCK_MONOTONIC microseconds). */
static int
ms_left(gint64 deadline)
{
	gint64 left = deadline - g_get_monotonic_time();

	return left <= 0 ? 0 : (int)(left / 1000) + 1;
}

/* Run CMD (the value of config key KEY) with /bin/sh -c and capture its
 * standard output. */
static tl_status
secret_from_command(const tl_mailbox_conf *mb, const char *key,
		    const char *cmd, char **out, char **errmsg)
{
	char *argv[] = { "/bin/sh", "-c", (char *)cmd, NULL };
	GError *gerr = NULL;
	GPid pid = 0;
	char *buf = NULL;
	gsize len = 0;
	int outfd = -1, wstatus = 0, timed_out = 0, too_long = 0;
	gint64 deadline;
	tl_status rc = TL_NOPERM;
	pid_t w;

	if (!g_spawn_async_with_pipes(NULL, argv, NULL,
				      G_SPAWN_DO_NOT_REAP_CHILD |
				      G_SPAWN_STDIN_FROM_DEV_NULL,
				      NULL, NULL, &pid, NULL, &outfd, NULL,
				      &gerr)) {
		*errmsg = g_strdup_printf("mailbox %s: %s could not be run: "
					  "%s", mb->name, key, gerr->message);
		g_error_free(gerr);
		return TL_NOPERM;
	}
	buf = g_malloc0(SECRET_MAX + 1);
	deadline = g_get_monotonic_time() +
		   (gint64)SECRET_COMMAND_TIMEOUT * G_USEC_PER_SEC;
	for (;;) {
		struct pollfd pfd = { outfd, POLLIN, 0 };
		ssize_t r;
		int pr = poll(&pfd, 1, ms_left(deadline));

		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0) {
			timed_out = 1;
			break;
		}
		if (len == SECRET_MAX) {
			too_long = 1;
			break;
		}
		r = read(outfd, buf + len, SECRET_MAX - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (gsize)r;
	}
	close(outfd);
	if (timed_out || too_long)
		kill(pid, SIGKILL);
	while ((w = waitpid(pid, &wstatus, 0)) < 0 && errno == EINTR)
		;
	g_spawn_close_pid(pid);
	buf[len] = '\0';
	strip_newline(buf, &len);
	if (timed_out)
		*errmsg = g_strdup_printf("mailbox %s: %s did not finish "
					  "within %d s", mb->name, key,
					  SECRET_COMMAND_TIMEOUT);
	else if (too_long)
		*errmsg = g_strdup_printf("mailbox %s: %s printed more than "
					  "%d bytes", mb->name, key,
					  SECRET_MAX);
	else if (w < 0)
		*errmsg = g_strdup_printf("mailbox %s: %s: waitpid: %s",
					  mb->name, key, g_strerror(errno));
	else if (WIFSIGNALED(wstatus))
		*errmsg = g_strdup_printf("mailbox %s: %s failed (killed by "
					  "signal %d)", mb->name, key,
					  WTERMSIG(wstatus));
	else if (WEXITSTATUS(wstatus) != 0)
		*errmsg = g_strdup_printf("mailbox %s: %s failed (exit "
					  "status %d)", mb->name, key,
					  WEXITSTATUS(wstatus));
	else if (len == 0 || strlen(buf) != len)
		*errmsg = g_strdup_printf("mailbox %s: %s printed nothing "
					  "usable", mb->name, key);
	else
		rc = TL_OK;
	if (rc == TL_OK)
		*out = buf_take(buf, len);
	else
		buf_wipe(buf);
	return rc;
}

static tl_status
secret_read(const tl_mailbox_conf *mb, char **secret_out, int *is_token,
	    char **errmsg)
{
	if (mb->token_command != NULL) {
		*is_token = 1;
		return secret_from_command(mb, "token_command",
					   mb->token_command, secret_out,
					   errmsg);
	}
	if (mb->password_command != NULL)
		return secret_from_command(mb, "password_command",
					   mb->password_command, secret_out,
					   errmsg);
	if (mb->password_file != NULL)
		return secret_from_file(mb, secret_out, errmsg);
	*errmsg = g_strdup_printf("mailbox %s: none of password_file, "
				  "password_command or token_command is set",
				  mb->name);
	return TL_CONFIG;
}

tl_status
secret_get(const tl_mailbox_conf *mb, char **secret_out, int *is_token,
	   char **errmsg)
{
	tl_status rc;

	*secret_out = NULL;
	*is_token = 0;
	/* Non-dumpable before the first byte is read. */
	nodump_hold();
	rc = secret_read(mb, secret_out, is_token, errmsg);
	if (rc != TL_OK)
		nodump_release();
	return rc;
}

void
secret_free(char *secret)
{
	if (secret == NULL)
		return;
	/* explicit_bzero: a plain memset before free may be optimised
	 * away, leaving the password in freed heap memory. */
	explicit_bzero(secret, strlen(secret));
	g_free(secret);
	nodump_release();
}
