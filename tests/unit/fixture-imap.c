/* fixture-imap.c - private Dovecots and helpers for the IMAP unit tests
 * (fixture-imap.h). Every message the tests fetch is written by them.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>
#include <glib/gstdio.h>

#include "fixture-imap.h"

char *fixture_top;
fixture fx;
fixture fx_nomove;
fixture fx_nomove_nouidplus;
fixture fx_notls;
char *fixture_spool;
spool_pool *fixture_pool;

static char *
fixture_script(const char *name)
{
	return g_build_filename(fixture_top, "tests", "fixture", name, NULL);
}

char *
fixture_run(char **argv, const char *const *extra)
{
	char **env = g_get_environ();
	char *out = NULL, *err = NULL;
	int status = 0;
	GError *e = NULL;

	for (size_t i = 0; extra != NULL && extra[i] != NULL; i++) {
		char **kv = g_strsplit(extra[i], "=", 2);

		env = g_environ_setenv(env, kv[0], kv[1], TRUE);
		g_strfreev(kv);
	}
	if (!g_spawn_sync(NULL, argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL,
	    &out, &err, &status, &e) ||
	    !g_spawn_check_wait_status(status, &e))
		g_error("%s: %s (%s)", argv[0], e->message, err ? err : "");
	g_strfreev(env);
	g_free(err);
	return out;
}

/* Read DIR/env of a running fixture into F. */
static gboolean
fixture_load(fixture *f, const char *dir)
{
	char *envf = g_build_filename(dir, "env", NULL);
	char *text = NULL;
	char **lines;

	f->dir = g_strdup(dir);
	if (!g_file_get_contents(envf, &text, NULL, NULL))
		g_error("%s: cannot read", envf);
	lines = g_strsplit(text, "\n", -1);
	for (char **p = lines; *p != NULL; p++) {
		if (g_str_has_prefix(*p, "IMAP_PORT="))
			f->imap_port = atoi(*p + 10);
		else if (g_str_has_prefix(*p, "IMAPS_PORT="))
			f->imaps_port = atoi(*p + 11);
		else if (g_str_has_prefix(*p, "IMAP_CAFILE="))
			f->cafile = g_strdup(*p + 12);
		else if (g_str_has_prefix(*p, "IMAP_MAILDIR="))
			f->maildir = g_strdup(*p + 13);
	}
	f->log = g_build_filename(f->dir, "dovecot.log", NULL);
	g_strfreev(lines);
	g_free(text);
	g_free(envf);
	return f->imap_port > 0;
}

/* Start a private Dovecot, hiding HIDE_CAPS (may be NULL), without TLS
 * when NOTLS. */
static gboolean
fixture_start(fixture *f, const char *hide_caps, gboolean notls)
{
	char *script = fixture_script("start.sh");
	char *argv[] = { script, NULL };
	char *hide = g_strdup_printf("IMAP_HIDE_CAPS=%s",
	    hide_caps != NULL ? hide_caps : "");
	const char *extra[] = { "IMAP_PORT=auto", hide, notls ?
	    "IMAP_SSL=no" : "IMAP_SSL=yes", NULL };
	char *out;
	gboolean ok;

	out = fixture_run(argv, extra);
	ok = fixture_load(f, g_strstrip(out));
	f->started = TRUE;
	g_free(out);
	g_free(hide);
	g_free(script);
	return ok;
}

static void
fixture_stop(fixture *f)
{
	char *script = fixture_script("stop.sh");
	char *argv[] = { script, f->dir, NULL };

	if (f->started)
		g_free(fixture_run(argv, NULL));
	g_free(script);
	g_free(f->dir);
	g_free(f->cafile);
	g_free(f->maildir);
	g_free(f->log);
	memset(f, 0, sizeof *f);
}

/* TRUE when Dovecot and the fixture scripts are there; else prints the
 * TAP skip line. */
static gboolean
fixture_available(void)
{
	char *dovecot = g_find_program_in_path("dovecot");
	char *s = NULL;
	gboolean ok = FALSE;

	if (dovecot == NULL && g_file_test("/usr/sbin/dovecot",
	    G_FILE_TEST_IS_EXECUTABLE))
		dovecot = g_strdup("/usr/sbin/dovecot");
	if (dovecot == NULL) {
		printf("1..0 # SKIP dovecot is not installed\n");
		goto out;
	}
	s = fixture_script("start.sh");
	if (!g_file_test(s, G_FILE_TEST_IS_EXECUTABLE)) {
		printf("1..0 # SKIP %s not found (run from the repository "
		    "root or set TIPLINE_TOP)\n", s);
		goto out;
	}
	ok = TRUE;
out:
	g_free(s);
	g_free(dovecot);
	return ok;
}

gboolean
fixture_setup(int *argc, char ***argv)
{
	const char *t = g_getenv("TIPLINE_TOP");

	g_test_init(argc, argv, NULL);
	fixture_top = t != NULL ? g_strdup(t) : g_get_current_dir();
	if (!fixture_available()) {
		g_free(fixture_top);
		return FALSE;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	fixture_spool = g_dir_make_tmp("tipline-imap-spool-XXXXXX", NULL);
	fixture_pool = spool_pool_new(fixture_spool, "tipline-imap-");
	/* tests/20-imap.t starts the four servers itself, so that they are
	 * stopped even when a failed assertion aborts this program */
	if ((t = g_getenv("TIPLINE_IMAP_FIXTURES")) != NULL) {
		char **d = g_strsplit(t, ":", 4);

		g_assert_cmpuint(g_strv_length(d), ==, 4);
		g_assert_true(fixture_load(&fx, d[0]));
		g_assert_true(fixture_load(&fx_nomove, d[1]));
		g_assert_true(fixture_load(&fx_nomove_nouidplus, d[2]));
		g_assert_true(fixture_load(&fx_notls, d[3]));
		g_strfreev(d);
	} else {
		g_assert_true(fixture_start(&fx, NULL, FALSE));
		g_assert_true(fixture_start(&fx_nomove, "MOVE", FALSE));
		g_assert_true(fixture_start(&fx_nomove_nouidplus,
		    "MOVE UIDPLUS", FALSE));
		g_assert_true(fixture_start(&fx_notls, NULL, TRUE));
	}
	return TRUE;
}

void
fixture_teardown(void)
{
	fixture_stop(&fx);
	fixture_stop(&fx_nomove);
	fixture_stop(&fx_nomove_nouidplus);
	fixture_stop(&fx_notls);
	g_clear_pointer(&fixture_pool, spool_pool_free);
	g_rmdir(fixture_spool);
	g_clear_pointer(&fixture_spool, g_free);
	g_clear_pointer(&fixture_top, g_free);
	curl_global_cleanup();
}

void
fixture_seed_files(fixture *f, const char *folder, char **files)
{
	GPtrArray *argv = g_ptr_array_new();
	char *script = fixture_script("seed-maildir.sh");
	char *fo = g_strdup_printf("FOLDER=%s", folder);
	const char *extra[] = { fo, NULL };

	g_ptr_array_add(argv, script);
	g_ptr_array_add(argv, f->dir);
	g_ptr_array_add(argv, "-f");
	for (size_t i = 0; files[i] != NULL; i++)
		g_ptr_array_add(argv, files[i]);
	g_ptr_array_add(argv, NULL);
	g_free(fixture_run((char **)argv->pdata, extra));
	g_ptr_array_free(argv, TRUE);
	g_free(fo);
	g_free(script);
}

void
fixture_seed_count(fixture *f, const char *folder, int n)
{
	char *script = fixture_script("seed-maildir.sh");
	char *num = g_strdup_printf("%d", n);
	char *argv[] = { script, f->dir, num, NULL };
	char *fo = g_strdup_printf("FOLDER=%s", folder);
	const char *extra[] = { fo, NULL };

	g_free(fixture_run(argv, extra));
	g_free(fo);
	g_free(num);
	g_free(script);
}

char **
fixture_write_msgs(const GByteArray *const *msgs, size_t n)
{
	char **paths = g_new0(char *, n + 1);

	for (size_t i = 0; i < n; i++) {
		paths[i] = g_strdup_printf("%s.msg%zu", fixture_spool, i);
		g_assert_true(g_file_set_contents(paths[i],
		    (const char *)msgs[i]->data, msgs[i]->len, NULL));
	}
	return paths;
}

void
fixture_unlink_all(char **paths)
{
	for (size_t i = 0; paths[i] != NULL; i++)
		g_unlink(paths[i]);
	g_strfreev(paths);
}

imap_session *
fixture_connect(fixture *f, const char *folder, char **err_out)
{
	char *url = g_strdup_printf("imaps://127.0.0.1:%d/%s", f->imaps_port,
	    folder != NULL ? folder : "");
	imap_params p = { url, "tester", "secret", 0, NULL, f->cafile, 0, 10,
	    10 };
	imap_session *s = NULL;
	char *err = NULL;
	tl_status st = imap_connect(&p, &s, &err);

	if (err_out != NULL)
		*err_out = err;
	else {
		if (st != TL_OK)
			g_error("connect: %s", err);
		g_free(err);
	}
	g_free(url);
	return s;
}

void
fixture_assert_spool_empty(void)
{
	GDir *d;
	const char *name;

	/* What went back to the pool is removed with it; what is left
	 * was neither given back nor removed. */
	spool_pool_free(fixture_pool);
	fixture_pool = spool_pool_new(fixture_spool, "tipline-imap-");
	d = g_dir_open(fixture_spool, 0, NULL);
	name = g_dir_read_name(d);

	if (name != NULL)
		g_error("spool file left behind: %s", name);
	g_dir_close(d);
}

char *
fixture_log_wait(fixture *f, const char *needle, gsize from)
{
	char *text = NULL;
	gsize len = 0;

	for (int i = 0; i < 300; i++) {
		g_free(text);
		text = NULL;
		g_file_get_contents(f->log, &text, &len, NULL);
		if (text != NULL && len >= from &&
		    strstr(text + from, needle) != NULL)
			break;
		g_usleep(10000);
	}
	g_assert_nonnull(text);
	return text;
}

int
fixture_proxy_start(int upstream, long cut, const char *mode, GPid *pid)
{
	char *script = fixture_script("cutproxy.py");
	char *up = g_strdup_printf("%d", upstream);
	char *cutb = g_strdup_printf("%ld", cut);
	char *argv[] = { "python3", script, "0", up, cutb, (char *)mode,
	    NULL };
	GError *e = NULL;
	int out_fd;
	char buf[64] = "";
	ssize_t n;

	if (!g_spawn_async_with_pipes(NULL, argv, NULL, G_SPAWN_SEARCH_PATH |
	    G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, pid, NULL, &out_fd, NULL,
	    &e))
		g_error("cutproxy: %s", e->message);
	/* read up to the newline: "PORT n\n" */
	n = 0;
	while (n < (ssize_t)sizeof buf - 1 && strchr(buf, '\n') == NULL) {
		ssize_t r = read(out_fd, buf + n, sizeof buf - 1 - n);

		if (r <= 0)
			break;
		n += r;
	}
	close(out_fd);
	g_free(script);
	g_free(up);
	g_free(cutb);
	g_assert_cmpint(n, >, 5);
	return atoi(buf + 5);
}

void
fixture_proxy_stop(GPid pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

char *
fixture_maildir_names(fixture *f, const char *folder)
{
	GString *all = g_string_new(NULL);
	const char *sub[] = { "cur", "new" };

	for (int i = 0; i < 2; i++) {
		char *d = g_strdup_printf("%s/.%s/%s", f->maildir, folder,
		    sub[i]);
		GDir *dir = g_dir_open(d, 0, NULL);
		const char *name;

		while (dir != NULL && (name = g_dir_read_name(dir)) != NULL)
			g_string_append_printf(all, "%s\n", name);
		if (dir != NULL)
			g_dir_close(dir);
		g_free(d);
	}
	return g_string_free(all, FALSE);
}

guint32
fixture_count_in(imap_session *s, const char *mailbox)
{
	guint32 msgs = 0;

	g_assert_cmpint(imap_status(s, mailbox, NULL, NULL, &msgs, NULL), ==,
	    TL_OK);
	return msgs;
}

tl_status
collect_cb(guint32 uid, const char *path, const char *hash, gint64 size,
	   void *user)
{
	collect *c = user;
	char *data = NULL, hex[65];
	gsize len = 0;
	gint64 fsize = -1;
	struct stat sb;

	g_assert_cmpint(g_stat(path, &sb), ==, 0);
	g_assert_cmpint(sb.st_mode & 0777, ==, 0600);
	g_assert_cmpint(hash_content_file(path, hex, &fsize, NULL), ==, TL_OK);
	g_assert_cmpstr(hex, ==, hash);
	g_assert_cmpint(fsize, ==, size);
	if (c->keep) {
		g_assert_true(g_file_get_contents(path, &data, &len, NULL));
		g_hash_table_insert(c->bytes, GUINT_TO_POINTER(uid),
		    g_bytes_new_take(data, len));
	}
	if (c->paths != NULL) {
		g_ptr_array_add(c->paths, g_strdup(path));
		spool_pool_give(fixture_pool, g_strdup(path));
	} else
		g_unlink(path);
	g_array_append_val(c->order, uid);
	return uid == c->fail_at ? TL_TEMPFAIL : TL_OK;
}

void
collect_init(collect *c, gboolean keep)
{
	memset(c, 0, sizeof *c);
	c->bytes = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
	    (GDestroyNotify)g_bytes_unref);
	c->order = g_array_new(FALSE, FALSE, sizeof(guint32));
	c->keep = keep;
}

void
collect_free(collect *c)
{
	g_hash_table_destroy(c->bytes);
	g_array_free(c->order, TRUE);
}

GByteArray *
ba(const char *s, size_t len)
{
	GByteArray *b = g_byte_array_new();

	g_byte_array_append(b, (const guint8 *)s, len);
	return b;
}

GByteArray *
bas(const char *s)
{
	return ba(s, strlen(s));
}
