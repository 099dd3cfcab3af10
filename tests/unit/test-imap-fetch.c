/* test-imap-fetch.c - reading mail with the IMAP transport (lib/imap)
 * from a private Dovecot (fixture-imap.h): a cron poll that sends STATUS
 * alone, the URL's mailbox, byte-exact literals (also arriving in small
 * pieces, and over TLS in pieces and in whole bursts, which OpenSSL's
 * read-ahead takes several records at a time), a pipelined batch of
 * 1000, a message expunged meanwhile, and constant memory for a 50 MB
 * message. Skips (TAP) without dovecot.
 *
 * Run from the repository root (prove does), or set TIPLINE_TOP.
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <openssl/ssl.h>

#include "util.h"
#include "imap.h"
#include "imap-priv.h"
#include "fixture-imap.h"

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
	char *path = g_strdup_printf("%s.big", fixture_spool);
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
	fixture_seed_files(&fx, "Big", paths);
	g_unlink(path);
	s = fixture_connect(&fx, "Big", NULL);
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
	g_assert_cmpint(imap_fetch_bodies(s, &uid, 1, fixture_pool,
	    collect_cb, &c, &err), ==, TL_OK);
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

	fixture_seed_count(&fx, "Poll", 3);
	g_file_get_contents(fx.log, &log, &log_before, NULL);
	g_clear_pointer(&log, g_free);
	s = fixture_connect(&fx, "Poll", NULL);
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
		log = fixture_log_wait(&fx, "Logged out in=", log_before);
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

	s = fixture_connect(&fx, "Poll", NULL);
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

	s = fixture_connect(&fx, "", NULL);
	g_assert_cmpstr(imap_url_mailbox(s), ==, "INBOX");
	imap_logout(s);
	s = fixture_connect(&fx, "%C4%90%C3%A3%20duy%E1%BB%87t;UIDVALIDITY=5",
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

	paths = fixture_write_msgs((const GByteArray *const *)m, n);
	fixture_seed_files(f, folder, paths);
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
	    uids->len, fixture_pool, collect_cb, &c, &err), ==, TL_OK);
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
	fixture_assert_spool_empty();
	if (!more)
		goto out;

	/* the header block alone */
	{
		char *hp = NULL, *data = NULL;
		gsize len;

		g_assert_cmpint(imap_fetch_header(s, 3, fixture_pool, &hp,
		    &err), ==, TL_OK);
		g_assert_true(g_file_get_contents(hp, &data, &len, NULL));
		g_assert_cmpmem(data, len, HDR("oneline"),
		    strlen(HDR("oneline")));
		g_unlink(hp);
		g_free(hp);
		g_free(data);
		g_assert_cmpint(imap_fetch_header(s, 999, fixture_pool, &hp,
		    &err), ==, TL_NOINPUT);
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
	fixture_assert_spool_empty();
	fixture_unlink_all(paths);
	for (size_t i = 0; i < n; i++)
		g_byte_array_unref(m[i]);
	g_string_free(lf_served, TRUE);
	g_array_free(uids, TRUE);
	g_array_free(sizes, TRUE);
}

static void
test_edge_bytes(void)
{
	imap_session *s = fixture_connect(&fx, "Edge", NULL);

	edge_run(&fx, s, "Edge", TRUE);
	imap_logout(s);
}

/* edge_run() on FOLDER of F through cutproxy.py in MODE (CUT: its
 * piece size), over implicit TLS or plain IMAP; LOW_SPEED is the seconds
 * without a byte before the reader gives up.  Over TLS OpenSSL's
 * read-ahead must be on, or the TLS cases test nothing new. */
static void
edge_via_proxy(fixture *f, gboolean tls, const char *mode, long cut,
	       int low_speed, const char *folder, gboolean more)
{
	imap_params p = { NULL, "tester", "secret", 0, NULL,
	    tls ? f->cafile : NULL, !tls, 10, low_speed };
	imap_session *s = NULL;
	char *err = NULL, *url;
	GPid pid;
	int port;

	port = fixture_proxy_start(tls ? f->imaps_port : f->imap_port, cut,
	    mode, &pid);
	url = g_strdup_printf("%s://127.0.0.1:%d/", tls ? "imaps" : "imap",
	    port);
	p.url = url;
	g_assert_cmpint(imap_connect(&p, &s, &err), ==, TL_OK);
	if (tls) {
		g_assert_nonnull(s->tls);
		g_assert_cmpint(SSL_get_read_ahead(s->tls), ==, 1);
	}
	edge_run(f, s, folder, more);
	imap_logout(s);
	fixture_proxy_stop(pid);
	g_free(url);
}

/* The same bytes arriving in pieces of 1, 2, 3, 5, 7, 11, 13, 64, 4096
 * bytes (plain IMAP, so that TLS records do not reassemble them): every
 * read ends somewhere else, inside a CRLF or a "{N}" marker too. */
static void
test_edge_trickle(void)
{
	edge_via_proxy(&fx_notls, FALSE, "trickle", 4096, 5, "Trickle", FALSE);
}

/* The same over TLS, in the same odd pieces: with read-ahead OpenSSL's
 * buffer often holds part of a record while the socket holds nothing
 * yet; the reader must then wait on the socket and get every byte. */
static void
test_edge_trickle_tls(void)
{
	edge_via_proxy(&fx, TRUE, "trickle", 4096, 10, "TrickleTLS", FALSE);
}

/* Whole responses at once over TLS (cutproxy's burst): one recv then
 * brings OpenSSL several records and the tagged reply, and the server
 * says nothing more until the next command.  A reader that polled the
 * socket before asking OpenSSL would wait out its timeout here (5 s,
 * then "stalled connection"); tipline's asks OpenSSL first. */
static void
test_burst_tls(void)
{
	edge_via_proxy(&fx, TRUE, "burst", 0, 5, "BurstTLS", TRUE);
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

	fixture_seed_count(&fx, "Batch", 1000);
	s = fixture_connect(&fx, "Batch", NULL);
	g_assert_cmpint(imap_select(s, "Batch", NULL, NULL, &err), ==, TL_OK);
	t0 = g_get_monotonic_time();
	g_assert_cmpint(imap_uid_sizes(s, 1, uids, sizes, &err), ==, TL_OK);
	t1 = g_get_monotonic_time();
	g_assert_cmpuint(uids->len, ==, 1000);
	collect_init(&c, FALSE);
	g_assert_cmpint(imap_fetch_bodies(s, (guint32 *)(void *)uids->data,
	    uids->len, fixture_pool, collect_cb, &c, &err), ==, TL_OK);
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
	    uids->len, fixture_pool, collect_cb, &c, &err), ==, TL_TEMPFAIL);
	g_assert_nonnull(strstr(err, "uid 3"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpuint(c.order->len, ==, 3);
	fixture_assert_spool_empty();
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

	fixture_seed_count(&fx, "Gone", 3);
	a = fixture_connect(&fx, "Gone", NULL);
	b = fixture_connect(&fx, "Gone", NULL);
	g_assert_cmpint(imap_select(a, "Gone", NULL, NULL, &err), ==, TL_OK);
	g_assert_cmpint(imap_select(b, "Gone", NULL, NULL, &err), ==, TL_OK);
	g_assert_cmpint(imap_uid_delete(b, two, 1, &err), ==, TL_OK);
	/* and a flag change: an unsolicited FETCH (FLAGS) for A */
	g_assert_cmpint(imap_uid_store(b, &all[2], 1, "+FLAGS.SILENT "
	    "(\\Flagged)", &err), ==, TL_OK);
	imap_logout(b);
	collect_init(&c, FALSE);
	g_assert_cmpint(imap_fetch_bodies(a, all, 3, fixture_pool,
	    collect_cb, &c, &err), ==, TL_OK);
	g_assert_cmpuint(c.order->len, ==, 2);
	g_assert_cmpuint(g_array_index(c.order, guint32, 0), ==, 1);
	g_assert_cmpuint(g_array_index(c.order, guint32, 1), ==, 3);
	collect_free(&c);
	fixture_assert_spool_empty();
	imap_logout(a);
}

/* Spool files go back to the pool and the next message is written into
 * them (util.h, spool): collect_cb gives each file back as it is called,
 * so every message of both fetches goes through the one file the first
 * made, and the 200 KB message's file, used for the short ones after
 * it, is cut to each (collect_cb checks each file's size and hash
 * against what arrived; the second fetch also compares the bytes). */
static void
test_spool_reuse(void)
{
	GByteArray *m[3];
	GString *big = g_string_new(HDR("reuse-long"));
	guint32 all[] = { 1, 2, 3 };
	imap_session *s;
	collect c1, c2;
	char *err = NULL, **paths;

	while (big->len < 200000)
		g_string_append(big, "Dòng dài của tin số một, Đà Nẵng.\r\n");
	m[0] = ba(big->str, big->len);
	m[1] = bas(HDR("reuse-two") "ngắn\r\n");
	m[2] = bas(HDR("reuse-three") "ngắn hơn\r\n");
	paths = fixture_write_msgs((const GByteArray *const *)m, 3);
	fixture_seed_files(&fx, "Reuse", paths);
	fixture_unlink_all(paths);
	s = fixture_connect(&fx, "Reuse", NULL);
	g_assert_cmpint(imap_select(s, "Reuse", NULL, NULL, &err), ==, TL_OK);
	collect_init(&c1, FALSE);
	c1.paths = g_ptr_array_new_with_free_func(g_free);
	g_assert_cmpint(imap_fetch_bodies(s, all, 3, fixture_pool,
	    collect_cb, &c1, &err), ==, TL_OK);
	g_assert_cmpuint(c1.paths->len, ==, 3);
	collect_init(&c2, TRUE);
	c2.paths = g_ptr_array_new_with_free_func(g_free);
	g_assert_cmpint(imap_fetch_bodies(s, all, 3, fixture_pool,
	    collect_cb, &c2, &err), ==, TL_OK);
	g_assert_cmpuint(c2.paths->len, ==, 3);
	for (guint i = 0; i < 3; i++) {
		GBytes *got = g_hash_table_lookup(c2.bytes,
		    GUINT_TO_POINTER(i + 1));

		g_assert_cmpstr(g_ptr_array_index(c1.paths, i), ==,
		    g_ptr_array_index(c1.paths, 0));
		g_assert_cmpstr(g_ptr_array_index(c2.paths, i), ==,
		    g_ptr_array_index(c1.paths, 0));
		g_assert_cmpmem(g_bytes_get_data(got, NULL),
		    g_bytes_get_size(got), m[i]->data, m[i]->len);
	}
	g_ptr_array_unref(c1.paths);
	g_ptr_array_unref(c2.paths);
	collect_free(&c1);
	collect_free(&c2);
	fixture_assert_spool_empty();
	imap_logout(s);
	for (int i = 0; i < 3; i++)
		g_byte_array_unref(m[i]);
	g_string_free(big, TRUE);
}

int
main(int argc, char **argv)
{
	int rc;

	if (!fixture_setup(&argc, &argv))
		return 0;
	g_test_add_func("/imap/big-message-memory", test_big_memory);
	g_test_add_func("/imap/poll-status-only", test_poll);
	g_test_add_func("/imap/url", test_url);
	g_test_add_func("/imap/edge-bytes", test_edge_bytes);
	g_test_add_func("/imap/edge-bytes-trickle", test_edge_trickle);
	g_test_add_func("/imap/edge-bytes-trickle-tls", test_edge_trickle_tls);
	g_test_add_func("/imap/burst-tls", test_burst_tls);
	g_test_add_func("/imap/batch-1000", test_batch);
	g_test_add_func("/imap/expunged-meanwhile", test_expunged_meanwhile);
	g_test_add_func("/imap/spool-reuse", test_spool_reuse);
	rc = g_test_run();
	fixture_teardown();
	return rc;
}
