/* test-imap-login.c - logging in with the IMAP transport (lib/imap) to a
 * private Dovecot (fixture-imap.h): a wrong password, an untrusted
 * certificate, STARTTLS, XOAUTH2, plain IMAP refused unless allowed, a
 * server that stalls during the greeting or is not there. No credential
 * may appear in a message or reach the server before TLS. Skips (TAP)
 * without dovecot.
 */
#include <string.h>

#include <glib.h>

#include "util.h"
#include "imap.h"
#include "fixture-imap.h"

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
	log = fixture_log_wait(&fx, "unknown ca", 0);
	g_assert_nonnull(strstr(log, "no auth attempts"));
	g_assert_null(strstr(log, "untrusted-user"));
	g_free(log);
	g_free(url);
	g_free(url2);
}

/* Does a line of the server's log hold both A and B, within 3 s?  The
 * auth process may log the user name before imap-login writes its line
 * (the one that says TLS), so the first line naming the user is not
 * enough on a busy machine. */
static gboolean
log_line_has_both(const char *a, const char *b)
{
	gboolean found = FALSE;

	for (int i = 0; i < 300 && !found; i++) {
		char *log = fixture_log_wait(&fx, a, 0);
		char **lines = g_strsplit(log, "\n", -1);

		for (char **l = lines; *l != NULL && !found; l++)
			found = strstr(*l, a) != NULL && strstr(*l, b) != NULL;
		g_strfreev(lines);
		g_free(log);
		if (!found)
			g_usleep(10000);
	}
	return found;
}

static void
test_starttls(void)
{
	char *url = g_strdup_printf("imap://127.0.0.1:%d/INBOX",
	    fx.imap_port);
	imap_params p = { url, "starttls-user", "secret", 0, NULL, fx.cafile,
	    0, 5, 5 };
	imap_session *s = NULL;
	char *err = NULL;

	/* the login name is unknown to the server, but it is only sent
	 * after STARTTLS: Dovecot logs the attempt as TLS-secured */
	g_assert_cmpint(imap_connect(&p, &s, &err), ==, TL_NOPERM);
	g_clear_pointer(&err, g_free);
	g_assert_true(log_line_has_both("starttls-user", "TLS"));
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
	log = fixture_log_wait(&fx, "method=XOAUTH2", 0);
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
	log = fixture_log_wait(&fx_notls, "no auth attempts", 0);
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

	port = fixture_proxy_start(fx.imaps_port, 10, "stall", &pid);
	url = g_strdup_printf("imaps://127.0.0.1:%d/", port);
	p.url = url;
	t0 = g_get_monotonic_time();
	g_assert_cmpint(imap_connect(&p, &s, &err), ==, TL_TEMPFAIL);
	g_test_message("stalled login: %.2f s: %s",
	    (g_get_monotonic_time() - t0) / 1e6, err);
	g_assert_cmpint(g_get_monotonic_time() - t0, <, 4000000);
	g_assert_null(s);
	g_clear_pointer(&err, g_free);
	fixture_proxy_stop(pid);
	/* the proxy is gone: nothing listens on its port */
	g_assert_cmpint(imap_connect(&p, &s, &err), ==, TL_TEMPFAIL);
	g_assert_nonnull(strstr(err, "127.0.0.1"));
	g_clear_pointer(&err, g_free);
	g_free(url);
}

int
main(int argc, char **argv)
{
	int rc;

	if (!fixture_setup(&argc, &argv))
		return 0;
	g_test_add_func("/imap/wrong-password", test_wrong_password);
	g_test_add_func("/imap/untrusted-cert", test_untrusted);
	g_test_add_func("/imap/starttls", test_starttls);
	g_test_add_func("/imap/xoauth2", test_xoauth2);
	g_test_add_func("/imap/plaintext", test_plaintext);
	g_test_add_func("/imap/stall-at-login", test_stall_at_login);
	rc = g_test_run();
	fixture_teardown();
	return rc;
}
