/* test-imap-names.c - the pure parts of the IMAP transport (lib/imap),
 * which need no server and run where Dovecot is absent: mailbox names in
 * modified UTF-7 (RFC 3501 5.1.3), the imaps:// URL (RFC 5092), folder
 * paths in the server's hierarchy, and the numbers of server replies.
 */
#include <string.h>

#include <glib.h>

#include "util.h"
#include "imap.h"
#include "imap-mailbox-priv.h"
#include "imap-priv.h"

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

/* Vietnamese, which UTF-7 writes in base64 runs; invalid UTF-8 and a
 * control character are refused, plain ASCII passes through. */
static void
test_mutf7_vietnamese(void)
{
	GString *q = g_string_new(NULL);
	char *err = NULL;

	g_assert_cmpint(imap_quote_mailbox(q, "Đã duyệt", &err), ==, TL_OK);
	g_assert_cmpstr(q->str, ==, "\"&ARAA4w- duy&Hsc-t\"");
	g_string_truncate(q, 0);
	g_assert_cmpint(imap_quote_mailbox(q, "Tipline/Done", &err), ==,
	    TL_OK);
	g_assert_cmpstr(q->str, ==, "\"Tipline/Done\"");
	g_string_truncate(q, 0);
	g_assert_cmpint(imap_quote_mailbox(q, "bad \xff", &err), ==,
	    TL_CONFIG);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(imap_quote_mailbox(q, "tab\there", &err), ==,
	    TL_CONFIG);
	g_clear_pointer(&err, g_free);
	g_string_free(q, TRUE);
}

typedef struct {
	const char *url;
	const char *base, *host, *mailbox;	/* NULL base: refused */
	gboolean tls;
} url_case;

/* The URL's parts, and the URLs refused before anything is sent. */
static void
test_url_parse(void)
{
	static const url_case cases[] = {
		{ "imaps://127.0.0.1:993/", "imaps://127.0.0.1:993/",
		  "127.0.0.1:993", "INBOX", TRUE },
		{ "imaps://mail.example.net", "imaps://mail.example.net/",
		  "mail.example.net", "INBOX", TRUE },
		{ "IMAP://mail.example.net:143/Tips/",
		  "imap://mail.example.net:143/", "mail.example.net:143",
		  "Tips", FALSE },
		{ "imaps://h.example.net/%C4%90%C3%A3%20duy%E1%BB%87t;"
		  "UIDVALIDITY=5", "imaps://h.example.net/", "h.example.net",
		  "Đã duyệt", TRUE },
		{ "imaps://h.example.net//a%2Fb//", "imaps://h.example.net/",
		  "h.example.net", "a/b", TRUE },
		{ "imaps://tester:secret@127.0.0.1:993/", NULL, NULL, NULL,
		  FALSE },
		{ "imaps://tester@127.0.0.1:993/", NULL, NULL, NULL, FALSE },
		{ "https://127.0.0.1/", NULL, NULL, NULL, FALSE },
		/* refused for another reason first: the message must not
		 * repeat the password either */
		{ "https://tester:secret@127.0.0.1/", NULL, NULL, NULL,
		  FALSE },
		{ "imaps://tester:secret@/", NULL, NULL, NULL, FALSE },
		{ "imaps://tester:secret@h.example.net/%00x", NULL, NULL,
		  NULL, FALSE },
		{ "", NULL, NULL, NULL, FALSE },
		{ "imaps://h.example.net/%00x", NULL, NULL, NULL, FALSE },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		const url_case *c = &cases[i];
		char *base = NULL, *host = NULL, *mbox = NULL, *err = NULL;
		gboolean tls = !c->tls;
		tl_status st = imap_url_parse(c->url, &base, &host, &mbox,
		    &tls, &err);

		g_test_message("%s: %s %s", c->url, tl_status_name(st),
		    err != NULL ? err : "");
		if (c->base == NULL) {
			g_assert_cmpint(st, ==, TL_CONFIG);
			g_assert_nonnull(err);
			g_assert_null(strstr(err, "secret"));
			g_assert_null(base);
			g_assert_null(host);
		} else {
			g_assert_cmpint(st, ==, TL_OK);
			g_assert_cmpstr(base, ==, c->base);
			g_assert_cmpstr(host, ==, c->host);
			g_assert_cmpstr(mbox, ==, c->mailbox);
			g_assert_cmpint(tls, ==, c->tls);
		}
		g_free(base);
		g_free(host);
		g_free(mbox);
		g_free(err);
	}
}

/* imap_connect refuses a bad URL before it opens a connection: no server
 * listens on these ports, so anything else would be TL_TEMPFAIL. */
static void
test_url_connect(void)
{
	imap_params p = { NULL, "tester", "secret", 0, NULL, NULL, 0, 5, 5 };
	imap_session *s = NULL;
	char *err = NULL;

	p.url = "imaps://tester:secret@127.0.0.1:1/";
	g_assert_cmpint(imap_connect(&p, &s, &err), ==, TL_CONFIG);
	g_assert_null(strstr(err, "secret"));
	g_assert_nonnull(strstr(err, "password_file"));
	g_clear_pointer(&err, g_free);
	p.url = "https://127.0.0.1:1/";
	g_assert_cmpint(imap_connect(&p, &s, &err), ==, TL_CONFIG);
	g_clear_pointer(&err, g_free);
	g_assert_null(s);
	p.url = "imaps://127.0.0.1:1/";
	p.secret = NULL;
	g_assert_cmpint(imap_connect(&p, &s, &err), ==, TL_CONFIG);
	g_assert_nonnull(strstr(err, "127.0.0.1:1"));
	g_clear_pointer(&err, g_free);
	g_assert_null(s);
}

/* tipline.conf's "Tipline/Done" in the server's hierarchy. */
static void
test_path_to_server(void)
{
	char *out = NULL, *err = NULL;

	g_assert_cmpint(imap_path_to_server("Tipline/Done", '.', &out, &err),
	    ==, TL_OK);
	g_assert_cmpstr(out, ==, "Tipline.Done");
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(imap_path_to_server("Tipline/Done", '/', &out, &err),
	    ==, TL_OK);
	g_assert_cmpstr(out, ==, "Tipline/Done");
	g_clear_pointer(&out, g_free);
	g_assert_cmpint(imap_path_to_server("Done", '\0', &out, &err), ==,
	    TL_OK);
	g_assert_cmpstr(out, ==, "Done");
	g_clear_pointer(&out, g_free);
	/* '/' cannot be said on a server without hierarchy */
	g_assert_cmpint(imap_path_to_server("Tipline/Done", '\0', &out, &err),
	    ==, TL_CONFIG);
	g_assert_null(out);
	g_assert_nonnull(strstr(err, "Tipline/Done"));
	g_clear_pointer(&err, g_free);
	/* a level holding the delimiter would be read as two levels */
	g_assert_cmpint(imap_path_to_server("Tip.line/Done", '.', &out, &err),
	    ==, TL_CONFIG);
	g_assert_null(out);
	g_assert_nonnull(strstr(err, "Tip.line"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(imap_path_to_server("Tipline//Done", '.', &out, &err),
	    ==, TL_CONFIG);
	g_assert_null(out);
	g_clear_pointer(&err, g_free);
}

/* Numbers in server replies (UIDs, sizes, literal lengths). */
static void
test_parse_num(void)
{
	guint64 n = 7;

	g_assert_true(imap_parse_num("0", 1, &n));
	g_assert_cmpuint(n, ==, 0);
	g_assert_true(imap_parse_num("4294967295 rest", 10, &n));
	g_assert_cmpuint(n, ==, 4294967295u);
	g_assert_true(imap_parse_num("999999999999999999", 18, &n));
	g_assert_cmpuint(n, ==, 999999999999999999u);
	g_assert_false(imap_parse_num("9999999999999999999", 19, &n));
	g_assert_false(imap_parse_num("", 0, &n));
	g_assert_false(imap_parse_num("12a", 3, &n));
	g_assert_false(imap_parse_num("-1", 2, &n));
	g_assert_false(imap_parse_num(" 1", 2, &n));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/imap/mutf7", test_mutf7);
	g_test_add_func("/imap/mutf7-vietnamese", test_mutf7_vietnamese);
	g_test_add_func("/imap/url-parse", test_url_parse);
	g_test_add_func("/imap/url-refused-before-connect", test_url_connect);
	g_test_add_func("/imap/path-to-server", test_path_to_server);
	g_test_add_func("/imap/parse-num", test_parse_num);
	return g_test_run();
}
