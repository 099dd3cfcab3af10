/* passwd.c - `tipline passwd EDITOR` (run as `tipline-serve passwd`, so
 * that libsodium stays out of tipline): an editor's argon2id hash into
 * the editors_file of [serve]. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "serve.h"

#define PASSWORD_MAX 1024

/* One line from FD into BUF (PASSWORD_MAX + 2 bytes), without its
 * newline; -1 when nothing could be read or the line is too long. */
static int
line_read(int fd, char *buf)
{
	size_t n = 0;
	char c;
	ssize_t r;

	while (n <= PASSWORD_MAX) {
		r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || c == '\n')
			break;
		buf[n++] = c;
	}
	if (n > PASSWORD_MAX)
		return -1;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return (int)n;
}

/* Ask on the terminal with echo off. */
static int
tty_read(const char *prompt, char *buf)
{
	struct termios old, quiet;
	int n;

	fputs(prompt, stderr);
	fflush(stderr);
	if (tcgetattr(STDIN_FILENO, &old) != 0)
		return -1;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	n = line_read(STDIN_FILENO, buf);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fputc('\n', stderr);
	return n;
}

static tl_status
password_read(char *pw, char **errmsg)
{
	char again[PASSWORD_MAX + 2];
	int n;

	if (isatty(STDIN_FILENO)) {
		n = tty_read("New password: ", pw);
		if (n > 0 && (tty_read("Again: ", again) != n ||
			      strcmp(pw, again) != 0)) {
			sodium_memzero(again, sizeof again);
			*errmsg = g_strdup("the passwords differ; nothing "
					   "changed");
			return TL_USAGE;
		}
		sodium_memzero(again, sizeof again);
	} else {
		n = line_read(STDIN_FILENO, pw);
	}
	if (n <= 0) {
		*errmsg = g_strdup_printf("no password read (one line of at "
					  "most %d bytes); nothing changed",
					  PASSWORD_MAX);
		return TL_USAGE;
	}
	return TL_OK;
}

/* The editors_file's lines other than EDITOR's, or "" when it does not
 * exist yet; the file must be this user's, a plain file, private. */
static tl_status
others_read(const char *path, const char *editor, GString *out,
	    char **errmsg)
{
	char *text = NULL, **lines;
	GError *gerr = NULL;
	tl_status rc;
	size_t n = strlen(editor);
	int fd;

	rc = safefile_open(AT_FDCWD, path, O_RDONLY, 0, NULL, &fd, errmsg);
	if (rc != TL_OK) {
		if (errno != ENOENT)
			return rc;
		g_free(*errmsg);
		*errmsg = NULL;
		return TL_OK;	/* the first editor */
	}
	close(fd);
	if ((rc = config_private_file_check(path, "editors_file",
					    errmsg)) != TL_OK)
		return rc;
	if (!g_file_get_contents(path, &text, NULL, &gerr)) {
		*errmsg = g_strdup_printf("editors_file %s: %s", path,
					  gerr->message);
		g_error_free(gerr);
		return TL_CONFIG;
	}
	lines = g_strsplit(text, "\n", -1);
	for (int i = 0; lines[i] != NULL; i++) {
		if (lines[i][0] == '\0' || (strncmp(lines[i], editor, n) == 0
					    && lines[i][n] == ':'))
			continue;
		g_string_append_printf(out, "%s\n", lines[i]);
	}
	g_strfreev(lines);
	g_free(text);
	return TL_OK;
}

/* Write TEXT as PATH: a new private file beside it, synced, renamed
 * over, and the folder synced, so a crash leaves the old file or the
 * new one. */
static tl_status
replace(const char *path, const GString *text, char **errmsg)
{
	char *tmpl = g_strdup_printf("%s.XXXXXX", path);
	char *dir = g_path_get_dirname(path);
	int fd = safefile_mkstemp(tmpl, O_WRONLY, 0600), dfd;
	tl_status rc = TL_OK;

	if (fd < 0 || write(fd, text->str, text->len) != (ssize_t)text->len
	    || fsync(fd) != 0 || close(fd) != 0 ||
	    rename(tmpl, path) != 0) {
		*errmsg = g_strdup_printf("editors_file %s: %s", path,
					  g_strerror(errno));
		rc = errno == EACCES || errno == EPERM ? TL_NOPERM :
		     TL_TEMPFAIL;
		if (fd >= 0)
			unlink(tmpl);
	} else if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >=
		   0) {
		fsync(dfd);
		close(dfd);
	}
	g_free(dir);
	g_free(tmpl);
	return rc;
}

tl_status
passwd_run(const tl_config *cfg, const char *editor, char **errmsg)
{
	char pw[PASSWORD_MAX + 2], hash[crypto_pwhash_STRBYTES];
	const char *path = cfg->serve.editors_file;
	GString *text = g_string_new(NULL);
	tl_status rc;

	if (path == NULL) {
		*errmsg = g_strdup_printf("%s: [serve] has no editors_file",
					  cfg->path ? cfg->path :
					  "the configuration");
		rc = TL_CONFIG;
		goto out;
	}
	if (!auth_editor_name_ok(editor)) {
		*errmsg = g_strdup_printf("\"%s\" is not an editor's name (1 "
					  "to 64 characters, no ':' or "
					  "control characters)", editor);
		rc = TL_USAGE;
		goto out;
	}
	if ((rc = others_read(path, editor, text, errmsg)) != TL_OK ||
	    (rc = password_read(pw, errmsg)) != TL_OK)
		goto out;
	if (crypto_pwhash_str(hash, pw, strlen(pw),
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		*errmsg = g_strdup("out of memory hashing the password");
		rc = TL_SOFTWARE;
		goto out;
	}
	g_string_append_printf(text, "%s:%s\n", editor, hash);
	rc = replace(path, text, errmsg);
out:
	sodium_memzero(pw, sizeof pw);
	g_string_free(text, TRUE);
	return rc;
}
