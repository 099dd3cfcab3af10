/* test-core.c - unit tests for the core that needs no server: the content
 * hash, configuration parsing and status ordering. */
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "app.h"
#include "util.h"

static void
content_hash_of(const char *s, size_t len, size_t chunk, char out[65])
{
	hash_content *h = hash_content_new();

	for (size_t off = 0; off < len; off += chunk)
		hash_content_update(h, s + off, MIN(chunk, len - off));
	hash_content_finish(h, out);
}

/* An mbox/Maildir copy (LF) and an IMAP BODY[] (CRLF) of one message must
 * hash alike, in any chunking; a bare CR is content. */
static void
test_content_hash_line_endings(void)
{
	const char *lf = "Subject: a\n\nline 1\nline 2\n";
	const char *crlf = "Subject: a\r\n\r\nline 1\r\nline 2\r\n";
	const char *extra = "Subject: a\n\nline 1\nline 2\n\n\n";
	const char *nofinal = "Subject: a\n\nline 1\nline 2";
	const char *barecr = "Subject: a\n\nline 1\rline 2\n";
	const char *barecr_end = "Subject: a\n\nline 1\nline 2\r";
	char a[65], b[65];

	content_hash_of(lf, strlen(lf), 4096, a);
	for (size_t chunk = 1; chunk <= 5; chunk++) {
		content_hash_of(crlf, strlen(crlf), chunk, b);
		g_assert_cmpstr(a, ==, b);
		content_hash_of(extra, strlen(extra), chunk, b);
		g_assert_cmpstr(a, ==, b);
		content_hash_of(nofinal, strlen(nofinal), chunk, b);
		g_assert_cmpstr(a, ==, b);
		content_hash_of(barecr, strlen(barecr), chunk, b);
		g_assert_cmpstr(a, !=, b);
		content_hash_of(barecr_end, strlen(barecr_end), chunk, b);
		g_assert_cmpstr(a, !=, b);
	}
	/* CRLF folding is exactly "the SHA-256 of the LF form". */
	content_hash_of("a\r\nb\r\n", 6, 1, a);
	{
		hash_sha256 *h = hash_sha256_new();

		hash_sha256_update(h, "a\nb", 3);
		hash_sha256_finish(h, b);
	}
	g_assert_cmpstr(a, ==, b);
}

/* The streaming normaliser equals the obvious one (fold every CRLF, drop
 * trailing LFs, then hash) on random text rich in CR and LF, in random
 * chunk sizes, including runs longer than its internal buffer. */
static void
test_content_hash_random(void)
{
	static const char alphabet[] = "ab\r\n\n\r\r\nxyz";
	GRand *rnd = g_rand_new_with_seed(20261129);

	for (int round = 0; round < 40; round++) {
		size_t len = g_rand_int_range(rnd, 0,
					      round < 35 ? 2000 : 300000);
		char *msg = g_malloc(len + 1), *norm = g_malloc(len + 1);
		size_t n = 0, off = 0;
		char a[65], b[65];
		hash_content *h = hash_content_new();
		hash_sha256 *ref = hash_sha256_new();

		for (size_t i = 0; i < len; i++)
			msg[i] = round >= 35 && i % 1000 != 0 ? 'q' :
				 alphabet[g_rand_int_range(rnd, 0, 12)];
		for (size_t i = 0; i < len; i++) {
			if (msg[i] == '\r' && i + 1 < len && msg[i + 1] == '\n')
				continue;
			norm[n++] = msg[i];
		}
		while (n > 0 && norm[n - 1] == '\n')
			n--;
		hash_sha256_update(ref, norm, n);
		hash_sha256_finish(ref, b);
		while (off < len) {
			size_t k = MIN(len - off,
				       (size_t)g_rand_int_range(rnd, 1, 97000));

			hash_content_update(h, msg + off, k);
			off += k;
		}
		hash_content_finish(h, a);
		g_assert_cmpstr(a, ==, b);
		g_free(msg);
		g_free(norm);
	}
	g_rand_free(rnd);
}

/* The plain SHA-256 matches a published test vector (FIPS 180-2, "abc"). */
static void
test_sha256_vector(void)
{
	hash_sha256 *h = hash_sha256_new();
	char out[65];

	hash_sha256_update(h, "a", 1);
	hash_sha256_update(h, "bc", 2);
	hash_sha256_finish(h, out);
	g_assert_cmpstr(out, ==, "ba7816bf8f01cfea414140de5dae2223"
			"b00361a396177a9cb410ff61f20015ad");
}

static char *
write_conf(const char *text)
{
	char *path = g_build_filename(g_get_tmp_dir(), "tipline-conf-XXXXXX",
				      NULL);
	int fd = g_mkstemp(path);

	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(write(fd, text, strlen(text)), ==, (int)strlen(text));
	close(fd);
	return path;
}

static void
test_config_good(void)
{
	char *path = write_conf(
		"; a comment in INI style\n"
		"[store]\n"
		"database = /var/lib/tipline/t.db ; trailing comment\n"
		"busy_timeout = 5s\n"
		"[mailbox tips]                 ; one section per mailbox\n"
		"url = imaps://mail.example.org/INBOX\n"
		"username = tips@example.org\n"
		"password_file = /etc/tipline/tips.pass\n"
		"after_fetch = move Processed\n"
		"max_message_size = 20M\n"
		"start = now\n");
	tl_config *cfg = NULL;
	char *err = NULL;
	tl_mailbox_conf *mb;

	g_assert_cmpint(config_load(path, &cfg, &err), ==, TL_OK);
	g_assert_null(err);
	g_assert_cmpstr(cfg->database, ==, "/var/lib/tipline/t.db");
	g_assert_cmpint(cfg->busy_timeout_ms, ==, 5000);
	g_assert_cmpuint(cfg->mailboxes->len, ==, 1);
	mb = cfg->mailboxes->pdata[0];
	g_assert_cmpstr(mb->name, ==, "tips");
	g_assert_cmpstr(mb->url, ==, "imaps://mail.example.org/INBOX");
	g_assert_cmpint(mb->after_fetch, ==, AFTER_FETCH_MOVE);
	g_assert_cmpstr(mb->after_fetch_folder, ==, "Processed");
	g_assert_cmpint(mb->max_message_size, ==, 20 * 1024 * 1024);
	g_assert_cmpint(mb->start, ==, START_NOW);
	g_assert_cmpint(mb->section_line, ==, 5);
	g_assert_false(mb->allow_plaintext);
	config_free(cfg);
	g_unlink(path);
	g_free(path);
}

/* Errors name the file and the line of the offending key. */
static void
test_config_errors(void)
{
	static const struct {
		const char *text;
		const char *line;	/* expected ":N: " */
		const char *what;
	} cases[] = {
		{ "[store]\ndatabase = x\n[mailbox a]\nurl = imaps://h/\n"
		  "username = u\npassword_file = p\nafter_fecth = seen\n",
		  ":7: ", "unknown key" },
		{ "[store]\ndatabase = x\n[mailbox a]\nurl = http://h/\n"
		  "username = u\npassword_file = p\n", ":4: ", "imaps://" },
		{ "[store]\ndatabase = x\n[mailbox a]\nurl = imaps://h/\n"
		  "username = u\npassword_file = p\nmax_message_size = lots\n",
		  ":7: ", "not a size" },
		{ "[store]\ndatabase = x\n[mailbox a]\nurl = imaps://h/\n"
		  "username = u\n", ":3: ", "exactly one of" },
		{ "[store]\ndatabase = x\n\n[mailbox a]\nurl = imaps://h/\n"
		  "username = u\npassword_file = p\nallow_plaintext = maybe\n",
		  ":8: ", "true or false" },
		{ "[stroe]\ndatabase = x\n", ":1: ", "unknown section" },
		/* QA F18: a password in the url is refused at load time. */
		{ "[store]\ndatabase = x\n[mailbox a]\nurl = imaps://u:"
		  "hunter2@h/INBOX\nusername = u\npassword_file = p\n",
		  ":4: ", "no user name or password in the url" },
		/* QA F3: GKeyFile would merge these silently. */
		{ "[store]\ndatabase = x\n[mailbox a]\nurl = imaps://h/\n"
		  "username = u\npassword_file = p\n[mailbox a]\n"
		  "after_fetch = delete\n", ":7: ", "given twice" },
		{ "[store]\ndatabase = x\ndatabase = y\n", ":3: ",
		  "database is given twice" },
		/* QA F4: structural errors name their line too. */
		{ "[store\ndatabase = x\n", ":1: ", "closing ]" },
		{ "database = x\n[store]\n", ":1: ", "before the first" },
		{ "[store]\ndatabase = x\njust words\n", ":3: ",
		  "key = value" },
		{ "[store]\ndatabase = x\n[limits]\nmax_parts = 1M\n", ":4: ",
		  "not a count" },
		{ "[store]\ndatabase = x\n[limits]\nmax_mime_depth = 0\n",
		  ":4: ", "not a count" },
		{ "[store]\ndatabase = x\nbusy_timeout = 2h\n", ":3: ",
		  "at most 1h" },
		/* QA F45: auth_mechanism is checked when the file is read. */
		{ "[store]\ndatabase = x\n[mailbox a]\nurl = imaps://h/\n"
		  "username = u\ntoken_command = t\nauth_mechanism = xoauth\n",
		  ":7: ", "not one of" },
		{ "[store]\ndatabase = x\n[mailbox a]\nurl = imaps://h/\n"
		  "username = u\npassword_file = p\nauth_mechanism = XOAUTH2\n",
		  ":7: ", "needs a token_command" },
		/* QA F46: zero would mean "wait forever". */
		{ "[store]\ndatabase = x\n[mailbox a]\nurl = imaps://h/\n"
		  "username = u\npassword_file = p\nlow_speed_time = 0\n",
		  ":7: ", "too small" },
		{ "[store]\ndatabase = x\nbusy_timeout = 0\n", ":3: ",
		  "too small" },
		/* QA F2: the keyword must be an IMAP atom, never a system
		 * flag. */
		{ "[store]\ndatabase = x\n[mailbox a]\nurl = imaps://h/\n"
		  "username = u\npassword_file = p\nflag_keyword = \\Deleted\n",
		  ":7: ", "not an IMAP keyword" },
		{ "[store]\ndatabase = x\n[mailbox a]\nurl = imaps://h/\n"
		  "username = u\npassword_file = p\nflag_keyword = a b\n",
		  ":7: ", "not an IMAP keyword" },
		{ "[store]\ndatabase = x\n[mailbox a]\nurl = imaps://h/\n"
		  "username = u\npassword_file = p\nflag_keyword = $Tip(line\n",
		  ":7: ", "not an IMAP keyword" },
		{ "[store]\n", "", "database is not set" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *path = write_conf(cases[i].text);
		tl_config *cfg = NULL;
		char *err = NULL;

		g_assert_cmpint(config_load(path, &cfg, &err), ==, TL_CONFIG);
		g_assert_null(cfg);
		g_assert_nonnull(err);
		g_assert_true(g_str_has_prefix(err, path));
		if (*cases[i].line)
			g_assert_nonnull(strstr(err, cases[i].line));
		g_assert_nonnull(strstr(err, cases[i].what));
		g_assert_null(strstr(err, "hunter2"));
		g_free(err);
		g_unlink(path);
		g_free(path);
	}
}

/* A UTF-8 byte order mark (Windows Notepad) is skipped (QA F4). */
static void
test_config_bom(void)
{
	char *path = write_conf("\xef\xbb\xbf[store]\ndatabase = /tmp/x.db\n");
	tl_config *cfg = NULL;
	char *err = NULL;

	g_assert_cmpint(config_load(path, &cfg, &err), ==, TL_OK);
	g_assert_cmpstr(cfg->database, ==, "/tmp/x.db");
	config_free(cfg);
	g_unlink(path);
	g_free(path);
}

static void
test_sizes_durations(void)
{
	g_assert_cmpint(config_parse_size("100M"), ==, 100 * 1024 * 1024);
	g_assert_cmpint(config_parse_size("512k"), ==, 512 * 1024);
	g_assert_cmpint(config_parse_size("2G"), ==, 2LL << 30);
	g_assert_cmpint(config_parse_size("1048576"), ==, 1048576);
	g_assert_cmpint(config_parse_size("100MB"), ==, 100 * 1024 * 1024);
	g_assert_cmpint(config_parse_size("-1"), ==, -1);
	g_assert_cmpint(config_parse_size("M"), ==, -1);
	g_assert_cmpint(config_parse_size("10X"), ==, -1);
	g_assert_cmpint(config_parse_duration("30d"), ==, 30 * 86400);
	g_assert_cmpint(config_parse_duration("12h"), ==, 12 * 3600);
	g_assert_cmpint(config_parse_duration("2w"), ==, 14 * 86400);
	g_assert_cmpint(config_parse_duration("45"), ==, 45);
	g_assert_cmpint(config_parse_duration("soon"), ==, -1);
}

/* One to/from-string pair for the ledger outcome: every value goes out
 * as the string schema.sql's CHECK allows and comes back as itself. */
static void
test_ledger_outcome_names(void)
{
	static const char *const want[] = {
		"stored", "duplicate", "quarantined", "auto_reply", "bounce",
		"spam", "too_large"
	};
	ledger_outcome o = LEDGER_OUTCOME_SPAM;

	for (int i = LEDGER_OUTCOME_STORED; i <= LEDGER_OUTCOME_TOO_LARGE;
	     i++) {
		g_assert_cmpstr(ledger_outcome_name((ledger_outcome)i), ==,
				want[i]);
		g_assert_true(ledger_outcome_parse(want[i], &o));
		g_assert_cmpint(o, ==, i);
	}
	g_assert_false(ledger_outcome_parse("new", &o));
	g_assert_false(ledger_outcome_parse(NULL, &o));
	g_assert_cmpint(o, ==, LEDGER_OUTCOME_TOO_LARGE);
	g_assert_cmpstr(ledger_outcome_name((ledger_outcome)99), ==,
			"stored");
}

/* 78 > 77 > 75 across mailboxes. */
static void
test_status_worst(void)
{
	g_assert_cmpint(tl_status_worst(TL_TEMPFAIL, TL_NOPERM), ==, TL_NOPERM);
	g_assert_cmpint(tl_status_worst(TL_CONFIG, TL_NOPERM), ==, TL_CONFIG);
	g_assert_cmpint(tl_status_worst(TL_OK, TL_TEMPFAIL), ==, TL_TEMPFAIL);
	g_assert_cmpint(tl_status_exit_code(TL_TEMPFAIL), ==, 75);
	g_assert_cmpint(tl_status_exit_code(TL_NOPERM), ==, 77);
	g_assert_cmpint(tl_status_exit_code(TL_CONFIG), ==, 78);
	g_assert_cmpint(tl_status_exit_code(TL_DATA), ==, 65);
	g_assert_cmpint(tl_status_exit_code(TL_NOINPUT), ==, 66);
	g_assert_cmpint(tl_status_exit_code(TL_USAGE), ==, 64);
	g_assert_cmpint(tl_status_exit_code(TL_SOFTWARE), ==, 70);
}

/* nfc_normalize agrees with GLib on the forms Vietnamese text arrives in:
 * NFD (macOS), "Unicode tổ hợp" (precomposed vowel + combining tone),
 * mixed; and rejects invalid UTF-8 as GLib does. */
static void
test_nfc_forms(void)
{
	static const char *const in[] = {
		"Vie\xcc\xa3\xcc\x82t",		/* NFD: e + dot + circumflex */
		/* ê + combining dot below */
		"Vi\xc3\xaa\xcc\xa3t Nam",
		"A\xcc\x89nh Ho\xcc\x82\xcc\x80 Gu\xcc\x9bo\xcc\x9bm",
		"\xc4\x90\xc3\xa0 N\xe1\xba\xb5ng",	/* already NFC */
		"plain ascii", "",
		"\xcc\x81leading combining mark",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(in); i++) {
		char *a = nfc_normalize(in[i], -1);
		char *b = g_utf8_normalize(in[i], -1, G_NORMALIZE_NFC);

		g_assert_cmpstr(a, ==, b);
		g_free(a);
		g_free(b);
	}
	g_assert_null(nfc_normalize("bad \xff utf-8", -1));
	g_assert_null(nfc_normalize(NULL, -1));
	{
		char *a = nfc_normalize("Vie\xcc\xa3\xcc\x82tXYZ", 8);

		g_assert_cmpstr(a, ==, "Vi\xe1\xbb\x87t");
		g_free(a);
	}
}

/* A 1 MB body of decomposed Vietnamese, the input that took GLib a minute
 * (QA F19), comes out as GLib's NFC of each line (NFC never composes
 * across a newline). Speed is for the benchmark, not for a unit test. */
static void
test_nfc_large(void)
{
	GString *s = g_string_new(NULL), *want = g_string_new(NULL);
	const char *line = "Vi\xc3\xaa\xcc\xa3t Nam \xc4\x91u\xcc\x9bo\xcc\x9b"
			   "\xcc\x80ng N\xe1\xbb\x99i dung\n";
	char *nline = g_utf8_normalize(line, -1, G_NORMALIZE_NFC), *got;

	while (s->len < 1024 * 1024) {
		g_string_append(s, line);
		g_string_append(want, nline);
	}
	got = nfc_normalize(s->str, (gssize)s->len);
	g_assert_cmpuint(strlen(got), ==, want->len);
	g_assert_true(strcmp(got, want->str) == 0);
	g_free(got);
	g_free(nline);
	g_string_free(s, TRUE);
	g_string_free(want, TRUE);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/hash/content-line-endings",
			test_content_hash_line_endings);
	g_test_add_func("/hash/content-random", test_content_hash_random);
	g_test_add_func("/hash/sha256-vector", test_sha256_vector);
	g_test_add_func("/nfc/forms", test_nfc_forms);
	g_test_add_func("/nfc/large", test_nfc_large);
	g_test_add_func("/config/good", test_config_good);
	g_test_add_func("/config/errors", test_config_errors);
	g_test_add_func("/config/bom", test_config_bom);
	g_test_add_func("/config/sizes-durations", test_sizes_durations);
	g_test_add_func("/status/worst", test_status_worst);
	g_test_add_func("/ledger/outcome-names", test_ledger_outcome_names);
	return g_test_run();
}
