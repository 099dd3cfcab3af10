/* test-imap-cut.c - the IMAP transport (lib/imap) when the connection to
 * a private Dovecot (fixture-imap.h) ends early: the server says BYE, the
 * callback stops a fetch before a large message, and
 * tests/fixture/cutproxy.py cuts (FIN, RST) or stalls a fetch half-way.
 * The session must fail with TL_TEMPFAIL, quickly, leaving no spool
 * file. Skips (TAP) without dovecot.
 */
#include <string.h>

#include <glib.h>

#include "util.h"
#include "imap.h"
#include "fixture-imap.h"

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

	s = fixture_connect(&fx, "INBOX", NULL);
	g_assert_cmpint(imap_select(s, "INBOX", NULL, NULL, &err), ==, TL_OK);
	out = fixture_run(argv, NULL);
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
	paths = fixture_write_msgs((const GByteArray *const *)m, 3);
	fixture_seed_files(&fx, "Stop", paths);
	s = fixture_connect(&fx, "Stop", NULL);
	g_assert_cmpint(imap_select(s, "Stop", NULL, NULL, &err), ==, TL_OK);
	collect_init(&c, FALSE);
	c.fail_at = 1;
	t0 = g_get_monotonic_time();
	g_assert_cmpint(imap_fetch_bodies(s, uids, 3, fixture_pool,
	    collect_cb, &c, &err), ==, TL_TEMPFAIL);
	g_test_message("stopped before 20 MB: %.1f ms: %s",
	    (g_get_monotonic_time() - t0) / 1e3, err);
	g_assert_nonnull(strstr(err, "uid 1"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpuint(c.order->len, ==, 1);
	fixture_assert_spool_empty();
	g_assert_cmpint(imap_status(s, "Stop", NULL, NULL, NULL, &err), ==,
	    TL_TEMPFAIL);
	g_clear_pointer(&err, g_free);
	imap_logout(s);
	collect_free(&c);
	fixture_unlink_all(paths);
	for (int i = 0; i < 3; i++)
		g_byte_array_unref(m[i]);
	g_string_free(big, TRUE);
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
	paths = fixture_write_msgs((const GByteArray *const *)m, 3);
	g_snprintf(folder, sizeof folder, "Cut%s", mode);
	fixture_seed_files(&fx, folder, paths);
	port = fixture_proxy_start(fx.imaps_port, 1500000, mode, &pid);
	url = g_strdup_printf("imaps://127.0.0.1:%d/", port);
	p.url = url;
	st = imap_connect(&p, &s, &err);
	if (st != TL_OK)
		g_error("connect through the proxy: %s", err);
	g_assert_cmpint(imap_select(s, folder, NULL, NULL, &err), ==, TL_OK);
	collect_init(&c, FALSE);
	t0 = g_get_monotonic_time();
	st = imap_fetch_bodies(s, uids, 3, fixture_pool, collect_cb, &c, &err);
	g_test_message("%s after 1.5 MB: %s after %.2f s: %s", mode,
	    tl_status_name(st), (g_get_monotonic_time() - t0) / 1e6, err);
	g_assert_cmpint(st, ==, TL_TEMPFAIL);
	g_assert_nonnull(strstr(err, "127.0.0.1"));
	g_clear_pointer(&err, g_free);
	/* the first message arrived whole; the cut one gets no callback */
	g_assert_cmpuint(c.order->len, ==, 1);
	g_assert_cmpuint(g_array_index(c.order, guint32, 0), ==, 1);
	fixture_assert_spool_empty();
	/* the session is dead now, and says so quickly */
	g_assert_cmpint(imap_status(s, "INBOX", NULL, NULL, NULL, &err), ==,
	    TL_TEMPFAIL);
	g_clear_pointer(&err, g_free);
	t0 = g_get_monotonic_time();
	imap_logout(s);
	g_assert_cmpint(g_get_monotonic_time() - t0, <, 1500000);
	collect_free(&c);
	fixture_proxy_stop(pid);
	fixture_unlink_all(paths);
	for (int i = 0; i < 3; i++)
		g_byte_array_unref(m[i]);
	g_string_free(big, TRUE);
	g_free(url);
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

int
main(int argc, char **argv)
{
	int rc;

	if (!fixture_setup(&argc, &argv))
		return 0;
	g_test_add_func("/imap/bye", test_bye);
	g_test_add_func("/imap/stop-before-big", test_stop_before_big);
	g_test_add_func("/imap/cut-fin", test_cut_fin);
	g_test_add_func("/imap/cut-rst", test_cut_rst);
	g_test_add_func("/imap/cut-stall", test_cut_stall);
	rc = g_test_run();
	fixture_teardown();
	return rc;
}
