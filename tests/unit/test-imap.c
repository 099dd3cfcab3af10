/* test-imap.c - the IMAP transport (src/imap*.c) against a real, private
 * Dovecot started with tests/fixture/start.sh: byte-exact literals, a
 * pipelined batch, login and TLS failures, STARTTLS, XOAUTH2, a cut, reset
 * or stalled connection (tests/fixture/cutproxy.py), MOVE and its COPY
 * fallback with capabilities hidden, flags, constant memory for a 50 MB
 * message. Every message is written here. Skips (TAP) without dovecot.
 *
 * Run from the repository root (prove does), or set TIPLINE_TOP.
 */
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "util.h"
#include "imap.h"
#include "imap-mailbox-priv.h"
#include "imap-priv.h"

typedef struct {
	char *dir;
	int imap_port, imaps_port;
	char *cafile, *maildir, *log;
	gboolean started;	/* by this program, so stopped by it */
} fixture;

static char *top;		/* repository root */
static fixture fx;		/* default instance */
static fixture fx_nomove;	/* MOVE hidden */
static fixture fx_nomove_nouidplus;	/* MOVE and UIDPLUS hidden */
static fixture fx_notls;	/* no STARTTLS, no IMAPS */
static char *spool;		/* spool directory, must be empty between
				 * tests */

static char *
fixture_script(const char *name)
{
	return g_build_filename(top, "tests", "fixture", name, NULL);
}

/* Run ARGV with extra environment EXTRA (NULL-terminated "K=V"); return
 * stdout; abort the test on failure. */
static char *
run(char **argv, const char *const *extra)
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

	out = run(argv, extra);
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
		g_free(run(argv, NULL));
	g_free(script);
	g_free(f->dir);
	g_free(f->cafile);
	g_free(f->maildir);
	g_free(f->log);
	memset(f, 0, sizeof *f);
}

/* Seed FILES (NULL-terminated) into FOLDER of F, in order. */
static void
seed_files(fixture *f, const char *folder, char **files)
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
	g_free(run((char **)argv->pdata, extra));
	g_ptr_array_free(argv, TRUE);
	g_free(fo);
	g_free(script);
}

static void
seed_count(fixture *f, const char *folder, int n)
{
	char *script = fixture_script("seed-maildir.sh");
	char *num = g_strdup_printf("%d", n);
	char *argv[] = { script, f->dir, num, NULL };
	char *fo = g_strdup_printf("FOLDER=%s", folder);
	const char *extra[] = { fo, NULL };

	g_free(run(argv, extra));
	g_free(fo);
	g_free(num);
	g_free(script);
}

/* Write MSGS to files next to the spool directory; return their paths. */
static char **
write_msgs(const GByteArray *const *msgs, size_t n)
{
	char **paths = g_new0(char *, n + 1);

	for (size_t i = 0; i < n; i++) {
		paths[i] = g_strdup_printf("%s.msg%zu", spool, i);
		g_assert_true(g_file_set_contents(paths[i],
		    (const char *)msgs[i]->data, msgs[i]->len, NULL));
	}
	return paths;
}

static void
unlink_all(char **paths)
{
	for (size_t i = 0; paths[i] != NULL; i++)
		g_unlink(paths[i]);
	g_strfreev(paths);
}

static imap_session *
connect_to(fixture *f, const char *folder, char **err_out)
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

static void
assert_spool_empty(void)
{
	GDir *d = g_dir_open(spool, 0, NULL);
	const char *name = g_dir_read_name(d);

	if (name != NULL)
		g_error("spool file left behind: %s", name);
	g_dir_close(d);
}

/* ---- callbacks ---- */

typedef struct {
	GHashTable *bytes;	/* uid -> GBytes */
	GArray *order;		/* uids in callback order */
	guint32 fail_at;	/* return TL_TEMPFAIL for this uid */
	gboolean keep;		/* keep the bytes */
} collect;

static tl_status
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
	g_unlink(path);
	g_array_append_val(c->order, uid);
	return uid == c->fail_at ? TL_TEMPFAIL : TL_OK;
}

static void
collect_init(collect *c, gboolean keep)
{
	memset(c, 0, sizeof *c);
	c->bytes = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
	    (GDestroyNotify)g_bytes_unref);
	c->order = g_array_new(FALSE, FALSE, sizeof(guint32));
	c->keep = keep;
}

static void
collect_free(collect *c)
{
	g_hash_table_destroy(c->bytes);
	g_array_free(c->order, TRUE);
}

static GByteArray *
ba(const char *s, size_t len)
{
	GByteArray *b = g_byte_array_new();

	g_byte_array_append(b, (const guint8 *)s, len);
	return b;
}

static GByteArray *
bas(const char *s)
{
	return ba(s, strlen(s));
}

#define HDR(subj) "From: =?UTF-8?B?Tmd1eeG7hW4gVsSDbiBB?= " \
	"<reader.a@example.org>\r\nTo: tips@example.net\r\nSubject: " subj \
	"\r\nMessage-ID: <" subj "@example.org>\r\nDate: Mon, 01 Jan 2024 " \
	"00:00:00 +0000\r\n\r\n"

/* The server says BYE (doveadm kick: "Server shutting down") while the
 * session is idle: the next command fails with TL_TEMPFAIL and names it. */
static void
test_bye(void)
{
	char *conf = g_build_filename(fx.dir, "dovecot.conf", NULL);
	char *argv[] = { "doveadm", "-c", conf, "kick", "tester", NULL };
	imap_session *s;
	char *err = NULL, *out;
	gint64 t0;

	s = connect_to(&fx, "INBOX", NULL);
	g_assert_cmpint(imap_select(s, "INBOX", NULL, NULL, &err), ==, TL_OK);
	out = run(argv, NULL);
	g_free(out);
	g_usleep(200000);
	t0 = g_get_monotonic_time();
	g_assert_cmpint(imap_status(s, "INBOX", NULL, NULL, NULL, &err), ==,
	    TL_TEMPFAIL);
	g_assert_cmpint(g_get_monotonic_time() - t0, <, 2000000);
	g_test_message("after BYE: %s", err);
	g_assert_nonnull(strstr(err, "BYE"));
	g_clear_pointer(&err, g_free);
	imap_logout(s);
	g_free(conf);
}

/* Wait up to 3 s for NEEDLE in the Dovecot log after byte FROM; return
 * the whole log. */
static char *
log_wait(fixture *f, const char *needle, gsize from)
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

/* Start cutproxy.py in front of UPSTREAM; returns its port. */
static int
proxy_start(int upstream, long cut, const char *mode, GPid *pid)
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

static void
proxy_stop(GPid pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* ---- tests ---- */

/* A cron poll with nothing new: STATUS only (plus LOGOUT), capabilities
 * from the login reply, no extra CAPABILITY. */
static void
test_poll(void)
{
	imap_session *s;
	guint32 uv = 0, un = 0, msgs = 0;
	char *err = NULL, *log = NULL, *out;
	gsize log_before = 0;
	gboolean found = FALSE;
	const char *cmds = "t1 STATUS \"Poll\" (UIDVALIDITY UIDNEXT MESSAGES)"
	    "\r\nt2 LOGOUT\r\n";

	seed_count(&fx, "Poll", 3);
	g_file_get_contents(fx.log, &log, &log_before, NULL);
	g_clear_pointer(&log, g_free);
	s = connect_to(&fx, "Poll", NULL);
	g_assert_cmpstr(imap_url_mailbox(s), ==, "Poll");
	g_assert_cmpint(imap_status(s, "Poll", &uv, &un, &msgs, &err), ==,
	    TL_OK);
	g_assert_cmpuint(un, ==, 4);
	g_assert_cmpuint(msgs, ==, 3);
	g_assert_cmpuint(uv, >, 0);
	g_assert_cmpuint(imap_session_commands_sent(s), ==, 1);
	g_assert_true(imap_has_cap(s, "MOVE"));
	g_assert_true(imap_has_cap(s, "uidplus"));
	g_assert_false(imap_has_cap(s, "MOV"));
	g_assert_false(imap_has_cap(s, "XNOSUCH"));
	g_assert_cmpuint(imap_session_commands_sent(s), ==, 1);
	imap_logout(s);
	/* the server's view: after the login (CAPABILITY and AUTHENTICATE
	 * happen before, in imap-login) it read exactly STATUS and LOGOUT,
	 * and the session ended cleanly although the reply was not awaited */
	/* Dovecot 2.3.19 counts 2 bytes less than were sent (measured:
	 * the final CRLF); one more command would add at least 9
	 * ("t3 NOOP\r\n"). An earlier test's session may log out late,
	 * with far more bytes: look at every logout. */
	for (int i = 0; i < 300 && !found; i++) {
		g_free(log);
		log = log_wait(&fx, "Logged out in=", log_before);
		for (out = strstr(log + log_before, "Logged out in=");
		    out != NULL; out = strstr(out + 1, "Logged out in=")) {
			int in = atoi(out + 14);

			if (in >= (int)strlen(cmds) - 2 &&
			    in <= (int)strlen(cmds))
				found = TRUE;
		}
		if (!found)
			g_usleep(10000);
	}
	if (!found)
		g_error("no logout after STATUS alone in the Dovecot log:\n%s",
		    log + log_before);
	g_free(log);

	s = connect_to(&fx, "Poll", NULL);
	/* a missing mailbox is a configuration error, and the session
	 * survives it */
	g_assert_cmpint(imap_status(s, "NoSuchBox", NULL, NULL, NULL, &err),
	    ==, TL_CONFIG);
	g_assert_nonnull(strstr(err, "NoSuchBox"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(imap_status(s, "Poll", NULL, &un, NULL, NULL), ==,
	    TL_OK);
	imap_logout(s);
}

static void
test_url(void)
{
	imap_session *s = NULL;
	char *err = NULL, *url;
	imap_params p = { NULL, "tester", "secret", 0, NULL, fx.cafile, 0, 5,
	    5 };

	s = connect_to(&fx, "", NULL);
	g_assert_cmpstr(imap_url_mailbox(s), ==, "INBOX");
	imap_logout(s);
	s = connect_to(&fx, "%C4%90%C3%A3%20duy%E1%BB%87t;UIDVALIDITY=5",
	    NULL);
	g_assert_cmpstr(imap_url_mailbox(s), ==, "Đã duyệt");
	imap_logout(s);

	url = g_strdup_printf("imaps://tester:secret@127.0.0.1:%d/",
	    fx.imaps_port);
	p.url = url;
	g_assert_cmpint(imap_connect(&p, &s, &err), ==, TL_CONFIG);
	g_assert_null(strstr(err, "secret"));
	g_clear_pointer(&err, g_free);
	g_free(url);
	p.url = "https://127.0.0.1/";
	g_assert_cmpint(imap_connect(&p, &s, &err), ==, TL_CONFIG);
	g_clear_pointer(&err, g_free);
	g_assert_null(s);
}

/* RFC 3501 5.1.3's example, and '&' in a UTF-8 name. */
static void
test_mutf7(void)
{
	GString *q = g_string_new(NULL);
	char *err = NULL;

	g_assert_cmpint(imap_quote_mailbox(q, "~peter/mail/台北/日本語",
	    &err), ==, TL_OK);
	g_assert_cmpstr(q->str, ==, "\"~peter/mail/&U,BTFw-/&ZeVnLIqe-\"");
	g_string_truncate(q, 0);
	g_assert_cmpint(imap_quote_mailbox(q, "Tin & bài \"x\"", &err), ==,
	    TL_OK);
	g_assert_cmpstr(q->str, ==, "\"Tin &- b&AOA-i \\\"x\\\"\"");
	g_string_truncate(q, 0);
	g_assert_cmpint(imap_quote_mailbox(q, "a\r\nb", &err), ==, TL_CONFIG);
	g_free(err);
	g_string_free(q, TRUE);
}

/* The messages that break naive framing, each fetched byte for byte. */
static void
edge_run(fixture *f, imap_session *s, const char *folder, gboolean more)
{
	GByteArray *m[10];
	GByteArray *oneline;
	GArray *uids = g_array_new(FALSE, FALSE, sizeof(guint32));
	GArray *sizes = g_array_new(FALSE, FALSE, sizeof(gint64));
	GString *lf_served;
	char **paths;
	guint32 uv = 0, un = 0;
	collect c;
	char *err = NULL;
	size_t n = 0;

	/* 1: body lines that look like untagged responses and literals */
	m[n++] = bas(HDR("star") "* 2 FETCH (UID 2 BODY[] {5}\r\n"
	    "* OK [UIDNEXT 99]\r\n* BYE fake\r\n)\r\nnext {3}\r\nabc\r\n");
	/* 2: body lines that start with tags (ours are tN, libcurl's A00N) */
	m[n++] = bas(HDR("tags") "t1 OK trap\r\nt2 NO trap\r\nt3 BAD trap\r\n"
	    "t4 OK trap\r\nA004 OK trap\r\nA005 NO trap\r\n");
	/* 3: one 1 MB line */
	oneline = bas(HDR("oneline"));
	for (int i = 0; i < 1024 * 1024; i++)
		g_byte_array_append(oneline, (const guint8 *)"abcdefghij" +
		    i % 10, 1);
	g_byte_array_append(oneline, (const guint8 *)"\r\n", 2);
	m[n++] = oneline;
	/* 4: bare CRs */
	m[n++] = bas(HDR("barecr") "one\rtwo\r\rthree\r\n\r end\r\n");
	/* 5: 8-bit: UTF-8 Vietnamese and Latin-1 bytes */
	m[n++] = bas(HDR("8bit") "Tiếng Việt: Nguyễn Văn A gửi tin.\r\n"
	    "latin1: \xe9\xe8\xff\x80\r\n");
	/* 6: no final newline */
	m[n++] = bas(HDR("nofinal") "last line without newline");
	/* 7: LF only: Dovecot serves it with CRLF */
	m[n++] = bas("From: reader.a@example.org\nSubject: lf\n\nline 1\n"
	    "line 2 {4}\n* 1 EXISTS\n");
	/* 8: headers only, no body */
	m[n++] = bas("From: reader.a@example.org\r\nSubject: nobody\r\n\r\n");
	/* 9: ends in a lone CR */
	m[n++] = bas(HDR("endcr") "x\r");

	paths = write_msgs((const GByteArray *const *)m, n);
	seed_files(f, folder, paths);
	g_assert_cmpint(imap_select(s, folder, &uv, &un, &err), ==, TL_OK);
	g_assert_cmpuint(un, ==, n + 1);
	g_assert_cmpint(imap_uid_sizes(s, 1, uids, sizes, &err), ==, TL_OK);
	g_assert_cmpuint(uids->len, ==, n);

	/* what Dovecot serves for the LF file */
	lf_served = g_string_new(NULL);
	for (guint i = 0; i < m[6]->len; i++) {
		if (m[6]->data[i] == '\n')
			g_string_append_c(lf_served, '\r');
		g_string_append_c(lf_served, m[6]->data[i]);
	}
	collect_init(&c, TRUE);
	g_assert_cmpint(imap_fetch_bodies(s, (guint32 *)(void *)uids->data,
	    uids->len, spool, collect_cb, &c, &err), ==, TL_OK);
	g_assert_cmpuint(c.order->len, ==, n);
	for (size_t i = 0; i < n; i++) {
		guint32 uid = i + 1;
		GBytes *got = g_hash_table_lookup(c.bytes,
		    GUINT_TO_POINTER(uid));
		const void *want = i == 6 ? (const void *)lf_served->str :
		    m[i]->data;
		gsize wlen = i == 6 ? lf_served->len : m[i]->len;

		g_assert_cmpuint(g_array_index(c.order, guint32, i), ==, uid);
		g_assert_nonnull(got);
		g_assert_cmpmem(g_bytes_get_data(got, NULL),
		    g_bytes_get_size(got), want, wlen);
		g_assert_cmpint(g_array_index(sizes, gint64, i), ==,
		    (gint64)wlen);
	}
	collect_free(&c);
	assert_spool_empty();
	if (!more)
		goto out;

	/* the header block alone */
	{
		char *hp = NULL, *data = NULL;
		gsize len;

		g_assert_cmpint(imap_fetch_header(s, 3, spool, &hp, &err), ==,
		    TL_OK);
		g_assert_true(g_file_get_contents(hp, &data, &len, NULL));
		g_assert_cmpmem(data, len, HDR("oneline"),
		    strlen(HDR("oneline")));
		g_unlink(hp);
		g_free(hp);
		g_free(data);
		g_assert_cmpint(imap_fetch_header(s, 999, spool, &hp, &err),
		    ==, TL_NOINPUT);
		g_clear_pointer(&err, g_free);
	}
	/* from_uid at or past UIDNEXT: nothing, without a command */
	g_array_set_size(uids, 0);
	g_array_set_size(sizes, 0);
	g_assert_cmpint(imap_uid_sizes(s, 100, uids, sizes, &err), ==, TL_OK);
	g_assert_cmpuint(uids->len, ==, 0);
	g_assert_cmpint(imap_uid_sizes(s, 9, uids, sizes, &err), ==, TL_OK);
	g_assert_cmpuint(uids->len, ==, 1);
out:
	assert_spool_empty();
	unlink_all(paths);
	for (size_t i = 0; i < n; i++)
		g_byte_array_unref(m[i]);
	g_string_free(lf_served, TRUE);
	g_array_free(uids, TRUE);
	g_array_free(sizes, TRUE);
}

static void
test_edge_bytes(void)
{
	imap_session *s = connect_to(&fx, "Edge", NULL);

	edge_run(&fx, s, "Edge", TRUE);
	imap_logout(s);
}

/* The same bytes arriving in pieces of 1, 2, 3, 5, 7, 11, 13, 64, 4096
 * bytes (plain IMAP, so that TLS records do not reassemble them): every
 * read ends somewhere else, inside a CRLF or a "{N}" marker too. */
static void
test_edge_trickle(void)
{
	char *url;
	imap_params p = { NULL, "tester", "secret", 0, NULL, NULL, 1, 5, 5 };
	imap_session *s = NULL;
	char *err = NULL;
	GPid pid;
	int port;

	port = proxy_start(fx_notls.imap_port, 4096, "trickle", &pid);
	url = g_strdup_printf("imap://127.0.0.1:%d/", port);
	p.url = url;
	g_assert_cmpint(imap_connect(&p, &s, &err), ==, TL_OK);
	edge_run(&fx_notls, s, "Trickle", FALSE);
	imap_logout(s);
	proxy_stop(pid);
	g_free(url);
}

/* 1000 messages in one pipelined fetch, in UID order, timed. */
static void
test_batch(void)
{
	GArray *uids = g_array_new(FALSE, FALSE, sizeof(guint32));
	GArray *sizes = g_array_new(FALSE, FALSE, sizeof(gint64));
	imap_session *s;
	collect c;
	char *err = NULL;
	gint64 t0, t1, t2;

	seed_count(&fx, "Batch", 1000);
	s = connect_to(&fx, "Batch", NULL);
	g_assert_cmpint(imap_select(s, "Batch", NULL, NULL, &err), ==, TL_OK);
	t0 = g_get_monotonic_time();
	g_assert_cmpint(imap_uid_sizes(s, 1, uids, sizes, &err), ==, TL_OK);
	t1 = g_get_monotonic_time();
	g_assert_cmpuint(uids->len, ==, 1000);
	collect_init(&c, FALSE);
	g_assert_cmpint(imap_fetch_bodies(s, (guint32 *)(void *)uids->data,
	    uids->len, spool, collect_cb, &c, &err), ==, TL_OK);
	t2 = g_get_monotonic_time();
	g_assert_cmpuint(c.order->len, ==, 1000);
	for (guint i = 0; i < 1000; i++)
		g_assert_cmpuint(g_array_index(c.order, guint32, i), ==, i + 1);
	g_test_message("1000 messages: sizes %.1f ms, bodies %.1f ms "
	    "(%.3f ms/message incl. spool file and hash), %u commands",
	    (t1 - t0) / 1000.0, (t2 - t1) / 1000.0, (t2 - t1) / 1000.0 / 1000,
	    imap_session_commands_sent(s));
	/* a callback failure stops the fetch; the rest is drained and the
	 * session stays usable */
	collect_free(&c);
	collect_init(&c, FALSE);
	c.fail_at = 3;
	g_assert_cmpint(imap_fetch_bodies(s, (guint32 *)(void *)uids->data,
	    uids->len, spool, collect_cb, &c, &err), ==, TL_TEMPFAIL);
	g_assert_nonnull(strstr(err, "uid 3"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpuint(c.order->len, ==, 3);
	assert_spool_empty();
	g_assert_cmpint(imap_status(s, "Batch", NULL, NULL, NULL, &err), ==,
	    TL_OK);
	collect_free(&c);
	imap_logout(s);
	g_array_free(uids, TRUE);
	g_array_free(sizes, TRUE);
}

/* A message expunged by another session while this one has the mailbox
 * selected: no callback for it, the others arrive, TL_OK. */
static void
test_expunged_meanwhile(void)
{
	guint32 all[] = { 1, 2, 3 }, two[] = { 2 };
	imap_session *a, *b;
	collect c;
	char *err = NULL;

	seed_count(&fx, "Gone", 3);
	a = connect_to(&fx, "Gone", NULL);
	b = connect_to(&fx, "Gone", NULL);
	g_assert_cmpint(imap_select(a, "Gone", NULL, NULL, &err), ==, TL_OK);
	g_assert_cmpint(imap_select(b, "Gone", NULL, NULL, &err), ==, TL_OK);
	g_assert_cmpint(imap_uid_delete(b, two, 1, &err), ==, TL_OK);
	/* and a flag change: an unsolicited FETCH (FLAGS) for A */
	g_assert_cmpint(imap_uid_store(b, &all[2], 1, "+FLAGS.SILENT "
	    "(\\Flagged)", &err), ==, TL_OK);
	imap_logout(b);
	collect_init(&c, FALSE);
	g_assert_cmpint(imap_fetch_bodies(a, all, 3, spool, collect_cb, &c,
	    &err), ==, TL_OK);
	g_assert_cmpuint(c.order->len, ==, 2);
	g_assert_cmpuint(g_array_index(c.order, guint32, 0), ==, 1);
	g_assert_cmpuint(g_array_index(c.order, guint32, 1), ==, 3);
	collect_free(&c);
	assert_spool_empty();
	imap_logout(a);
}

static void
test_wrong_password(void)
{
	char *url = g_strdup_printf("imaps://127.0.0.1:%d/", fx.imaps_port);
	imap_params p = { url, "tester", "not-the-password", 0, NULL,
	    fx.cafile, 0, 5, 5 };
	imap_session *s = NULL;
	char *err = NULL;

	g_assert_cmpint(imap_connect(&p, &s, &err), ==, TL_NOPERM);
	g_assert_null(s);
	g_assert_nonnull(strstr(err, "127.0.0.1"));
	g_assert_nonnull(strstr(err, "refused"));
	g_assert_null(strstr(err, "not-the-password"));
	g_test_message("wrong password: %s", err);
	g_free(err);
	g_free(url);
}

/* The system CAs do not know the fixture's certificate: refused before
 * any credential is sent (the server sees no authentication attempt). */
static void
test_untrusted(void)
{
	char *url = g_strdup_printf("imaps://127.0.0.1:%d/", fx.imaps_port);
	char *url2 = g_strdup_printf("imap://127.0.0.1:%d/", fx.imap_port);
	imap_params p = { url, "untrusted-user", "secret", 0, NULL, NULL, 0,
	    5, 5 };
	imap_session *s = NULL;
	char *err = NULL, *log;

	g_assert_cmpint(imap_connect(&p, &s, &err), ==, TL_NOPERM);
	g_assert_nonnull(strstr(err, "certificate"));
	g_test_message("untrusted: %s", err);
	g_clear_pointer(&err, g_free);
	/* STARTTLS too */
	p.url = url2;
	g_assert_cmpint(imap_connect(&p, &s, &err), ==, TL_NOPERM);
	g_clear_pointer(&err, g_free);
	log = log_wait(&fx, "unknown ca", 0);
	g_assert_nonnull(strstr(log, "no auth attempts"));
	g_assert_null(strstr(log, "untrusted-user"));
	g_free(log);
	g_free(url);
	g_free(url2);
}

static void
test_starttls(void)
{
	char *url = g_strdup_printf("imap://127.0.0.1:%d/INBOX",
	    fx.imap_port);
	imap_params p = { url, "starttls-user", "secret", 0, NULL, fx.cafile,
	    0, 5, 5 };
	imap_session *s = NULL;
	char *err = NULL, *log;

	/* the login name is unknown to the server, but it is only sent
	 * after STARTTLS: Dovecot logs the attempt as TLS-secured */
	g_assert_cmpint(imap_connect(&p, &s, &err), ==, TL_NOPERM);
	g_clear_pointer(&err, g_free);
	log = log_wait(&fx, "starttls-user", 0);
	g_assert_nonnull(strstr(strstr(log, "starttls-user"), "TLS"));
	g_free(log);
	p.username = "tester";
	g_assert_cmpint(imap_connect(&p, &s, &err), ==, TL_OK);
	g_assert_cmpint(imap_status(s, "INBOX", NULL, NULL, NULL, &err), ==,
	    TL_OK);
	imap_logout(s);
	g_free(url);
}

static void
test_xoauth2(void)
{
	char *url = g_strdup_printf("imaps://127.0.0.1:%d/", fx.imaps_port);
	imap_params p = { url, "tester", "secret", 1, "XOAUTH2", fx.cafile, 0,
	    5, 5 };
	imap_session *s = NULL;
	char *err = NULL, *log;

	g_assert_cmpint(imap_connect(&p, &s, &err), ==, TL_OK);
	g_assert_cmpint(imap_status(s, "INBOX", NULL, NULL, NULL, &err), ==,
	    TL_OK);
	imap_logout(s);
	log = log_wait(&fx, "method=XOAUTH2", 0);
	g_assert_nonnull(strstr(log, "method=XOAUTH2"));
	g_free(log);
	p.secret = "expired-token";
	g_assert_cmpint(imap_connect(&p, &s, &err), ==, TL_NOPERM);
	g_assert_null(strstr(err, "expired-token"));
	g_assert_nonnull(strstr(err, "OAuth"));
	g_clear_pointer(&err, g_free);
	/* libcurl's own choice (OAUTHBEARER here) */
	p.secret = "secret";
	p.auth_mechanism = NULL;
	g_assert_cmpint(imap_connect(&p, &s, &err), ==, TL_OK);
	imap_logout(s);
	g_free(url);
}

/* imap:// to a server without STARTTLS: refused (TL_CONFIG, nothing
 * sent) unless allow_plaintext. */
static void
test_plaintext(void)
{
	char *url = g_strdup_printf("imap://127.0.0.1:%d/", fx_notls.imap_port);
	imap_params p = { url, "plaintext-user", "secret", 0, NULL, NULL, 0, 5,
	    5 };
	imap_session *s = NULL;
	char *err = NULL, *log;

	g_assert_cmpint(imap_connect(&p, &s, &err), ==, TL_CONFIG);
	g_assert_nonnull(strstr(err, "STARTTLS"));
	g_assert_nonnull(strstr(err, "allow_plaintext"));
	g_test_message("plaintext: %s", err);
	g_clear_pointer(&err, g_free);
	log = log_wait(&fx_notls, "no auth attempts", 0);
	g_assert_null(strstr(log, "plaintext-user"));
	g_free(log);
	p.allow_plaintext = 1;
	p.username = "tester";
	g_assert_cmpint(imap_connect(&p, &s, &err), ==, TL_OK);
	g_assert_cmpint(imap_status(s, "INBOX", NULL, NULL, NULL, &err), ==,
	    TL_OK);
	imap_logout(s);
	g_free(url);
}


static void
cut_case(const char *mode)
{
	GByteArray *m[3];
	char **paths;
	char folder[32];
	GString *big = g_string_new(HDR("big"));
	guint32 uids[3] = { 1, 2, 3 };
	imap_session *s;
	imap_params p = { NULL, "tester", "secret", 0, NULL, fx.cafile, 0, 5,
	    2 };
	collect c;
	GPid pid;
	char *err = NULL, *url;
	gint64 t0;
	tl_status st;
	int port;

	while (big->len < 3000000)
		g_string_append(big, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n");
	m[0] = bas(HDR("before"));
	m[1] = ba(big->str, big->len);
	m[2] = bas(HDR("after"));
	paths = write_msgs((const GByteArray *const *)m, 3);
	g_snprintf(folder, sizeof folder, "Cut%s", mode);
	seed_files(&fx, folder, paths);
	port = proxy_start(fx.imaps_port, 1500000, mode, &pid);
	url = g_strdup_printf("imaps://127.0.0.1:%d/", port);
	p.url = url;
	st = imap_connect(&p, &s, &err);
	if (st != TL_OK)
		g_error("connect through the proxy: %s", err);
	g_assert_cmpint(imap_select(s, folder, NULL, NULL, &err), ==, TL_OK);
	collect_init(&c, FALSE);
	t0 = g_get_monotonic_time();
	st = imap_fetch_bodies(s, uids, 3, spool, collect_cb, &c, &err);
	g_test_message("%s after 1.5 MB: %s after %.2f s: %s", mode,
	    tl_status_name(st), (g_get_monotonic_time() - t0) / 1e6, err);
	g_assert_cmpint(st, ==, TL_TEMPFAIL);
	g_assert_nonnull(strstr(err, "127.0.0.1"));
	g_clear_pointer(&err, g_free);
	/* the first message arrived whole; the cut one gets no callback */
	g_assert_cmpuint(c.order->len, ==, 1);
	g_assert_cmpuint(g_array_index(c.order, guint32, 0), ==, 1);
	assert_spool_empty();
	/* the session is dead now, and says so quickly */
	g_assert_cmpint(imap_status(s, "INBOX", NULL, NULL, NULL, &err), ==,
	    TL_TEMPFAIL);
	g_clear_pointer(&err, g_free);
	t0 = g_get_monotonic_time();
	imap_logout(s);
	g_assert_cmpint(g_get_monotonic_time() - t0, <, 1500000);
	collect_free(&c);
	proxy_stop(pid);
	unlink_all(paths);
	for (int i = 0; i < 3; i++)
		g_byte_array_unref(m[i]);
	g_string_free(big, TRUE);
	g_free(url);
}

/* A server that stops talking during the greeting, and one that is not
 * there: TL_TEMPFAIL within the connect timeout. */
static void
test_stall_at_login(void)
{
	imap_params p = { NULL, "tester", "secret", 0, NULL, fx.cafile, 0, 2,
	    2 };
	imap_session *s = NULL;
	char *err = NULL, *url;
	gint64 t0;
	GPid pid;
	int port;

	port = proxy_start(fx.imaps_port, 10, "stall", &pid);
	url = g_strdup_printf("imaps://127.0.0.1:%d/", port);
	p.url = url;
	t0 = g_get_monotonic_time();
	g_assert_cmpint(imap_connect(&p, &s, &err), ==, TL_TEMPFAIL);
	g_test_message("stalled login: %.2f s: %s",
	    (g_get_monotonic_time() - t0) / 1e6, err);
	g_assert_cmpint(g_get_monotonic_time() - t0, <, 4000000);
	g_assert_null(s);
	g_clear_pointer(&err, g_free);
	proxy_stop(pid);
	/* the proxy is gone: nothing listens on its port */
	g_assert_cmpint(imap_connect(&p, &s, &err), ==, TL_TEMPFAIL);
	g_assert_nonnull(strstr(err, "127.0.0.1"));
	g_clear_pointer(&err, g_free);
	g_free(url);
}

/* The callback stops the fetch with a large message still to come: the
 * connection is given up at once instead of reading it. */
static void
test_stop_before_big(void)
{
	GByteArray *m[3];
	GString *big = g_string_new(HDR("big"));
	guint32 uids[3] = { 1, 2, 3 };
	char **paths;
	imap_session *s;
	collect c;
	char *err = NULL;
	gint64 t0;

	while (big->len < 20000000)
		g_string_append(big, "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
		    "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n");
	m[0] = bas(HDR("first"));
	m[1] = ba(big->str, big->len);
	m[2] = bas(HDR("last"));
	paths = write_msgs((const GByteArray *const *)m, 3);
	seed_files(&fx, "Stop", paths);
	s = connect_to(&fx, "Stop", NULL);
	g_assert_cmpint(imap_select(s, "Stop", NULL, NULL, &err), ==, TL_OK);
	collect_init(&c, FALSE);
	c.fail_at = 1;
	t0 = g_get_monotonic_time();
	g_assert_cmpint(imap_fetch_bodies(s, uids, 3, spool, collect_cb, &c,
	    &err), ==, TL_TEMPFAIL);
	g_test_message("stopped before 20 MB: %.1f ms: %s",
	    (g_get_monotonic_time() - t0) / 1e3, err);
	g_assert_nonnull(strstr(err, "uid 1"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpuint(c.order->len, ==, 1);
	assert_spool_empty();
	g_assert_cmpint(imap_status(s, "Stop", NULL, NULL, NULL, &err), ==,
	    TL_TEMPFAIL);
	g_clear_pointer(&err, g_free);
	imap_logout(s);
	collect_free(&c);
	unlink_all(paths);
	for (int i = 0; i < 3; i++)
		g_byte_array_unref(m[i]);
	g_string_free(big, TRUE);
}

static void
test_cut_fin(void)
{
	cut_case("fin");
}

static void
test_cut_rst(void)
{
	cut_case("rst");
}

static void
test_cut_stall(void)
{
	cut_case("stall");
}

/* Maildir file names of FOLDER's messages in cur/ and new/, joined. */
static char *
maildir_names(fixture *f, const char *folder)
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

static guint32
count_in(imap_session *s, const char *mailbox)
{
	guint32 msgs = 0;

	g_assert_cmpint(imap_status(s, mailbox, NULL, NULL, &msgs, NULL), ==,
	    TL_OK);
	return msgs;
}

/* Move 2 and 4 out of 5 messages with MOVE, or with COPY + STORE +
 * EXPUNGE when the server hides MOVE (and UIDPLUS). Message 1 was marked
 * \Deleted by "another client" and must survive. */
static void
move_case(fixture *f, gboolean has_move, gboolean has_uidplus)
{
	guint32 del[] = { 1 }, mv[] = { 4, 2 };
	imap_session *s;
	char *err = NULL, *names;
	guint before;

	seed_count(f, "Src", 5);
	seed_count(f, "Done", 1);
	s = connect_to(f, "Src", NULL);
	g_assert_cmpint(imap_has_cap(s, "MOVE"), ==, has_move);
	g_assert_cmpint(imap_has_cap(s, "UIDPLUS"), ==, has_uidplus);
	g_assert_cmpint(imap_select(s, "Src", NULL, NULL, &err), ==, TL_OK);
	g_assert_cmpint(imap_uid_store(s, del, 1, "+FLAGS.SILENT (\\Deleted)",
	    &err), ==, TL_OK);
	before = imap_session_commands_sent(s);
	g_assert_cmpint(imap_uid_move(s, mv, 2, "Done", &err), ==, TL_OK);
	/* MOVE: one command; else COPY, STORE, and UID EXPUNGE if UIDPLUS */
	g_assert_cmpuint(imap_session_commands_sent(s) - before, ==,
	    has_move ? 1 : has_uidplus ? 3 : 2);
	g_assert_cmpuint(count_in(s, "Done"), ==, 3);
	g_assert_cmpuint(count_in(s, "Src"), ==, has_move || has_uidplus ?
	    3 : 5);
	/* the other client's \Deleted message is still there */
	names = maildir_names(f, "Src");
	g_assert_nonnull(strstr(names, "M1P"));
	g_free(names);
	/* a missing folder is a configuration error */
	g_assert_cmpint(imap_uid_move(s, del, 1, "NoSuchFolder", &err), ==,
	    TL_CONFIG);
	g_assert_nonnull(strstr(err, "TRYCREATE"));
	g_clear_pointer(&err, g_free);
	imap_logout(s);
}

static void
test_move(void)
{
	move_case(&fx, TRUE, TRUE);
}

static void
test_move_fallback(void)
{
	move_case(&fx_nomove, FALSE, TRUE);
	move_case(&fx_nomove_nouidplus, FALSE, FALSE);
}

static void
test_store_delete(void)
{
	guint32 all[600], two[] = { 2 };
	imap_session *s;
	char *err = NULL, *names;

	for (int i = 0; i < 600; i++)
		all[i] = 600 - i;	/* any order, sparse sets below */
	seed_count(&fx, "Flags", 600);
	s = connect_to(&fx, "Flags", NULL);
	g_assert_cmpint(imap_select(s, "Flags", NULL, NULL, &err), ==, TL_OK);
	g_assert_cmpint(imap_uid_store(s, two, 1, "+FLAGS.SILENT (\\Seen)",
	    &err), ==, TL_OK);
	names = maildir_names(&fx, "Flags");
	g_assert_nonnull(strstr(names, "M2P"));
	g_assert_nonnull(strstr(strstr(names, "M2P"), ":2,S\n"));
	g_free(names);
	g_assert_cmpint(imap_uid_store(s, two, 1, "-FLAGS.SILENT (\\Seen)",
	    &err), ==, TL_OK);
	g_assert_cmpint(imap_uid_store(s, all, 600, "+FLAGS.SILENT "
	    "($Tipline)", &err), ==, TL_OK);
	/* Dovecot answers BAD to an unknown system flag: a bug of ours, and
	 * the session survives it */
	g_assert_cmpint(imap_uid_store(s, two, 1, "+FLAGS.SILENT (\\Bogus)",
	    &err), ==, TL_SOFTWARE);
	g_assert_nonnull(strstr(err, "UID STORE"));
	g_clear_pointer(&err, g_free);
	/* a keyword from the configuration cannot smuggle a command */
	g_assert_cmpint(imap_uid_store(s, two, 1, "+FLAGS.SILENT (a)\r\n"
	    "t99 DELETE INBOX", &err), ==, TL_CONFIG);
	g_clear_pointer(&err, g_free);
	{
		/* every odd UID: 300 ranges that cannot be compressed */
		guint32 odd[300];

		for (int i = 0; i < 300; i++)
			odd[i] = 2 * i + 1;
		g_assert_cmpint(imap_uid_delete(s, odd, 300, &err), ==, TL_OK);
	}
	g_assert_cmpuint(count_in(s, "Flags"), ==, 300);
	imap_logout(s);
}

static long
vm_hwm_kb(void)
{
	char *text = NULL, *p;
	long kb = -1;

	g_file_get_contents("/proc/self/status", &text, NULL, NULL);
	if (text != NULL && (p = strstr(text, "VmHWM:")) != NULL)
		kb = atol(p + 6);
	g_free(text);
	return kb;
}

/* A 50 MB message streams to its spool file: peak RSS barely moves. */
static void
test_big_memory(void)
{
	char *path = g_strdup_printf("%s.big", spool);
	char *paths[] = { path, NULL };
	FILE *fp = fopen(path, "w");
	guint32 uid = 1;
	imap_session *s;
	collect c;
	char *err = NULL;
	long before, after;
	gint64 t0;

	fputs(HDR("video"), fp);
	for (int i = 0; i < 50 * 1024 * 1024 / 78; i++)
		fputs("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9w"
		    "cX"
		    "J0dXZ3eHl6MDEyMzQ1\r\n", fp);
	fclose(fp);
	seed_files(&fx, "Big", paths);
	g_unlink(path);
	s = connect_to(&fx, "Big", NULL);
	g_assert_cmpint(imap_select(s, "Big", NULL, NULL, &err), ==, TL_OK);
	collect_init(&c, FALSE);
	/* reset the peak (Linux >= 4.0), then measure the fetch alone */
	{
		FILE *cr = fopen("/proc/self/clear_refs", "w");

		if (cr != NULL) {
			fputs("5", cr);
			fclose(cr);
		}
	}
	before = vm_hwm_kb();
	t0 = g_get_monotonic_time();
	g_assert_cmpint(imap_fetch_bodies(s, &uid, 1, spool, collect_cb, &c,
	    &err), ==, TL_OK);
	after = vm_hwm_kb();
	g_test_message("50 MB message over TLS: %.2f s, peak RSS %ld kB "
	    "before, %ld kB after (+%ld kB)", (g_get_monotonic_time() - t0) /
	    1e6, before, after, after - before);
	g_assert_cmpuint(c.order->len, ==, 1);
#ifndef __SANITIZE_ADDRESS__
	/* (ASan keeps freed memory in quarantine: no bound there) */
	g_assert_cmpint(after - before, <, 8 * 1024);
#endif
	collect_free(&c);
	imap_logout(s);
	g_free(path);
}

int
main(int argc, char **argv)
{
	const char *t = g_getenv("TIPLINE_TOP");
	char *dovecot;
	int rc;

	g_test_init(&argc, &argv, NULL);
	top = t != NULL ? g_strdup(t) : g_get_current_dir();
	dovecot = g_find_program_in_path("dovecot");
	if (dovecot == NULL && g_file_test("/usr/sbin/dovecot",
	    G_FILE_TEST_IS_EXECUTABLE))
		dovecot = g_strdup("/usr/sbin/dovecot");
	if (dovecot == NULL) {
		printf("1..0 # SKIP dovecot is not installed\n");
		return 0;
	}
	g_free(dovecot);
	{
		char *s = fixture_script("start.sh");

		if (!g_file_test(s, G_FILE_TEST_IS_EXECUTABLE)) {
			printf("1..0 # SKIP %s not found (run from the "
			    "repository root or set TIPLINE_TOP)\n", s);
			return 0;
		}
		g_free(s);
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	spool = g_dir_make_tmp("tipline-imap-spool-XXXXXX", NULL);
	/* tests/20-imap.t starts the three servers itself, so that they are
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

	g_test_add_func("/imap/big-message-memory", test_big_memory);
	g_test_add_func("/imap/poll-status-only", test_poll);
	g_test_add_func("/imap/url", test_url);
	g_test_add_func("/imap/mutf7", test_mutf7);
	g_test_add_func("/imap/edge-bytes", test_edge_bytes);
	g_test_add_func("/imap/edge-bytes-trickle", test_edge_trickle);
	g_test_add_func("/imap/batch-1000", test_batch);
	g_test_add_func("/imap/expunged-meanwhile", test_expunged_meanwhile);
	g_test_add_func("/imap/wrong-password", test_wrong_password);
	g_test_add_func("/imap/untrusted-cert", test_untrusted);
	g_test_add_func("/imap/starttls", test_starttls);
	g_test_add_func("/imap/xoauth2", test_xoauth2);
	g_test_add_func("/imap/plaintext", test_plaintext);
	g_test_add_func("/imap/bye", test_bye);
	g_test_add_func("/imap/stop-before-big", test_stop_before_big);
	g_test_add_func("/imap/stall-at-login", test_stall_at_login);
	g_test_add_func("/imap/cut-fin", test_cut_fin);
	g_test_add_func("/imap/cut-rst", test_cut_rst);
	g_test_add_func("/imap/cut-stall", test_cut_stall);
	g_test_add_func("/imap/move", test_move);
	g_test_add_func("/imap/move-fallback", test_move_fallback);
	g_test_add_func("/imap/store-delete", test_store_delete);
	rc = g_test_run();

	fixture_stop(&fx);
	fixture_stop(&fx_nomove);
	fixture_stop(&fx_nomove_nouidplus);
	fixture_stop(&fx_notls);
	g_rmdir(spool);
	g_free(spool);
	g_free(top);
	curl_global_cleanup();
	return rc;
}
