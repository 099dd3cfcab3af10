/* test-message.c - message parsing: every fixture in tests/data/parse
 * (NNN-what.eml) is parsed and checked against its golden NNN-what.expected
 * (format in tests/data/parse/mkfixtures.py), then parsed again with GMime
 * reading one byte at a time, which must give the very same result; every
 * attachment is written back with message_part_write() and must hash to
 * what the parse reported.  Then the helpers: charset conversion, header
 * repair, dates, quotes, HTML, limits.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "util.h"
#include "html-priv.h"
#include "message.h"
#include "mime-header-priv.h"
#include "mime-text-priv.h"
#include "quote-priv.h"

static char *datadir;

/* Every field of SUB as text, to compare two parses exactly. */
static char *
dump(const msg_submission *s)
{
	GString *d = g_string_new(NULL);

	g_string_append_printf(d, "from %s|%s\nsubject %s\ndate %s %d\n"
	    "id %s\nirt %s\nrefs %s\ntext %s\nsource %s\nquote %"
	    G_GINT64_FORMAT "\nhtml %s\nflags %d%d%d%d%d%d%d\nfont %s\n"
	    "dsn %s\nquarantine %s\n", s->from_name, s->from_addr,
	    s->subject, s->date_utc, s->date_offset_min, s->message_id,
	    s->in_reply_to, s->references, s->text, s->text_source,
	    s->quote_offset, s->html, s->is_auto_reply, s->is_bounce,
	    s->is_spam, s->is_signed, s->is_encrypted, s->has_gps,
	    s->charset_repaired, s->legacy_font_hint, s->dsn_summary,
	    s->quarantine_reason);
	for (guint i = 0; i < s->attachments->len; i++) {
		msg_attachment *a = g_ptr_array_index(s->attachments, i);

		g_string_append_printf(d, "att %s|%d|%s|%s|%s|%s|%"
		    G_GINT64_FORMAT "|%s|%d|%d|%f|%f|%s\n", a->filename,
		    a->name_generated, a->content_type, a->disposition,
		    a->content_id, a->part_path, a->size, a->sha256,
		    a->forwarded_index, a->has_gps, a->gps_lat, a->gps_lon,
		    a->danger);
	}
	for (guint i = 0; i < s->forwarded->len; i++) {
		msg_forwarded *f = g_ptr_array_index(s->forwarded, i);

		g_string_append_printf(d, "fwd %s|%s|%s|%s|%s|%s|%d\n",
		    f->from_name, f->from_addr, f->subject, f->message_id,
		    f->date_utc, f->text, f->depth);
	}
	for (guint i = 0; i < s->warnings->len; i++)
		g_string_append_printf(d, "warn %s\n",
		    (char *)g_ptr_array_index(s->warnings, i));
	return g_string_free(d, FALSE);
}

static msg_submission *
parse(const char *path, size_t chunk)
{
	msg_submission *sub = NULL;
	char *err = NULL;

	message_set_read_chunk(chunk);
	g_assert_cmpint(message_parse_file(path, NULL, &sub, &err), ==, TL_OK);
	message_set_read_chunk(0);
	g_assert_null(err);
	g_assert_nonnull(sub);
	g_assert_nonnull(sub->text);
	g_assert_true(g_utf8_validate(sub->text, -1, NULL));
	return sub;
}

static gboolean
yes(const char *v)
{
	g_assert_true(strcmp(v, "yes") == 0 || strcmp(v, "no") == 0);
	return strcmp(v, "yes") == 0;
}

static const char *
nul(const char *v)
{
	return strcmp(v, "(null)") == 0 ? NULL : v;
}

static char *
first_line(const char *t)
{
	char **lines = g_strsplit(t, "\n", -1);
	char *r = g_strdup("");

	for (int i = 0; lines[i] != NULL; i++) {
		g_strstrip(lines[i]);
		if (*lines[i] != '\0') {
			g_free(r);
			r = g_strdup(lines[i]);
			break;
		}
	}
	g_strfreev(lines);
	return r;
}

static gboolean
any_warning(const msg_submission *s, const char *needle)
{
	for (guint i = 0; i < s->warnings->len; i++)
		if (strstr(g_ptr_array_index(s->warnings, i), needle) != NULL)
			return TRUE;
	return FALSE;
}

/* One "key: value" expectation against SUB. */
static void
check(const msg_submission *s, const char *key, const char *v,
      guint *natt, guint *nfwd)
{
	if (strcmp(key, "from_name") == 0) {
		g_assert_cmpstr(s->from_name, ==, nul(v));
	} else if (strcmp(key, "from_addr") == 0) {
		g_assert_cmpstr(s->from_addr, ==, nul(v));
	} else if (strcmp(key, "subject") == 0) {
		g_assert_cmpstr(s->subject, ==, nul(v));
	} else if (strcmp(key, "date_utc") == 0) {
		g_assert_cmpstr(s->date_utc, ==, nul(v));
	} else if (strcmp(key, "date_offset_min") == 0) {
		g_assert_cmpint(s->date_offset_min, ==, atoi(v));
	} else if (strcmp(key, "message_id") == 0) {
		g_assert_cmpstr(s->message_id, ==, nul(v));
	} else if (strcmp(key, "in_reply_to") == 0) {
		g_assert_cmpstr(s->in_reply_to, ==, nul(v));
	} else if (strcmp(key, "references") == 0) {
		g_assert_cmpstr(s->references, ==, nul(v));
	} else if (strcmp(key, "text_source") == 0) {
		g_assert_cmpstr(s->text_source, ==, nul(v));
	} else if (strcmp(key, "text") == 0) {
		g_assert_cmpstr(s->text, ==, v);
	} else if (strcmp(key, "text_first_line") == 0) {
		char *f = first_line(s->text);

		g_assert_cmpstr(f, ==, v);
		g_free(f);
	} else if (strcmp(key, "text_contains") == 0) {
		g_assert_nonnull(strstr(s->text, v));
	} else if (strcmp(key, "text_not_contains") == 0) {
		g_assert_null(strstr(s->text, strcmp(v, "\\r") == 0 ? "\r" :
				     v));
	} else if (strcmp(key, "html_contains") == 0) {
		g_assert_nonnull(s->html);
		g_assert_nonnull(strstr(s->html, v));
	} else if (strcmp(key, "charset_repaired") == 0) {
		g_assert_cmpint(s->charset_repaired, ==, yes(v));
	} else if (strcmp(key, "is_auto_reply") == 0) {
		g_assert_cmpint(s->is_auto_reply, ==, yes(v));
	} else if (strcmp(key, "is_bounce") == 0) {
		g_assert_cmpint(s->is_bounce, ==, yes(v));
	} else if (strcmp(key, "is_spam") == 0) {
		g_assert_cmpint(s->is_spam, ==, yes(v));
	} else if (strcmp(key, "is_signed") == 0) {
		g_assert_cmpint(s->is_signed, ==, yes(v));
	} else if (strcmp(key, "is_encrypted") == 0) {
		g_assert_cmpint(s->is_encrypted, ==, yes(v));
	} else if (strcmp(key, "has_gps") == 0) {
		g_assert_cmpint(s->has_gps, ==, yes(v));
	} else if (strcmp(key, "legacy_font_hint") == 0) {
		g_assert_cmpstr(s->legacy_font_hint, ==, nul(v));
	} else if (strcmp(key, "legacy_text_first_line") == 0) {
		char *l = s->legacy_text ? first_line(s->legacy_text) : NULL;

		g_assert_cmpstr(l, ==, nul(v));
		g_free(l);
	} else if (strcmp(key, "legacy_subject") == 0) {
		g_assert_cmpstr(s->legacy_subject, ==, nul(v));
	} else if (strcmp(key, "dsn_summary") == 0) {
		g_assert_cmpstr(s->dsn_summary, ==, nul(v));
	} else if (strcmp(key, "status") == 0) {
		g_assert_cmpstr(msg_class_name(message_classify(s)), ==, v);
	} else if (strcmp(key, "quarantine") == 0) {
		g_assert_cmpint(s->quarantine_reason != NULL, ==, yes(v));
	} else if (strcmp(key, "attachments") == 0) {
		g_assert_cmpint(s->attachments->len, ==, atoi(v));
	} else if (strcmp(key, "attachment") == 0) {
		msg_attachment *a;
		char *got;

		g_assert_cmpuint(*natt, <, s->attachments->len);
		a = g_ptr_array_index(s->attachments, (*natt)++);
		got = g_strdup_printf("%s | %s | %" G_GINT64_FORMAT
		    " | %s | %s | %d", a->filename, a->content_type, a->size,
		    a->sha256, a->disposition, a->forwarded_index);
		g_assert_cmpstr(got, ==, v);
		g_free(got);
	} else if (strcmp(key, "content_id") == 0) {
		gboolean found = FALSE;

		for (guint i = 0; i < s->attachments->len; i++)
			found |= g_strcmp0(((msg_attachment *)
			    g_ptr_array_index(s->attachments, i))->content_id,
			    v) == 0;
		g_assert_true(found);
	} else if (strcmp(key, "gps") == 0) {
		GString *g = g_string_new(NULL);

		for (guint i = 0; i < s->attachments->len; i++) {
			msg_attachment *a = g_ptr_array_index(s->attachments,
							      i);

			if (a->has_gps)
				g_string_append_printf(g, "%s%.6f %.6f",
				    g->len ? ", " : "", a->gps_lat, a->gps_lon);
		}
		g_assert_cmpstr(g->str, ==, v);
		g_string_free(g, TRUE);
	} else if (strcmp(key, "danger") == 0) {
		gboolean found = FALSE;

		for (guint i = 0; i < s->attachments->len; i++)
			found |= ((msg_attachment *)g_ptr_array_index(
			    s->attachments, i))->danger != NULL;
		g_assert_cmpint(found, ==, yes(v));
	} else if (strcmp(key, "forwarded") == 0) {
		msg_forwarded *f;
		char *fl, *got;

		g_assert_cmpuint(*nfwd, <, s->forwarded->len);
		f = g_ptr_array_index(s->forwarded, (*nfwd)++);
		fl = first_line(f->text);
		got = g_strdup_printf("%s | %s | %s | %s | %s", f->from_name,
		    f->from_addr, f->subject, f->date_utc, fl);
		g_assert_cmpstr(got, ==, v);
		g_free(got);
		g_free(fl);
	} else if (strcmp(key, "forwarded_depths") == 0) {
		GString *d = g_string_new(NULL);

		for (guint i = 0; i < s->forwarded->len; i++)
			g_string_append_printf(d, "%s%d", i ? " " : "",
			    ((msg_forwarded *)g_ptr_array_index(s->forwarded,
			    i))->depth);
		g_assert_cmpstr(d->str, ==, v);
		g_string_free(d, TRUE);
	} else if (strcmp(key, "warning") == 0) {
		if (!any_warning(s, v))
			g_test_message("no warning containing \"%s\"", v);
		g_assert_true(any_warning(s, v));
	} else if (strcmp(key, "short_reads") == 0) {
		g_assert_cmpstr(v, ==, "gmime-differs");
	} else if (strcmp(key, "quote_starts") == 0) {
		g_assert_cmpint(s->quote_offset, >=, 0);
		g_assert_true(g_str_has_prefix(s->text + s->quote_offset, v));
	} else {
		g_error("unknown expectation key \"%s\"", key);
	}
}

/* Every attachment written back from the raw file hashes as parsed,
 * through message_part_write() (one parse per part) and through one
 * message_raw_open() handle for all parts (export). */
static void
check_part_write(const char *path, const msg_submission *s)
{
	msg_raw *raw = NULL;
	char *rerr = NULL;

	g_assert_cmpint(message_raw_open(path, &raw, &rerr), ==, TL_OK);
	for (guint i = 0; i < 2 * s->attachments->len; i++) {
		msg_attachment *a = g_ptr_array_index(s->attachments,
		    i % s->attachments->len);
		char *tmp = NULL, *buf = NULL, *err = NULL, hex[65];
		gsize len = 0;
		int fd = g_file_open_tmp("tl-part-XXXXXX", &tmp, NULL);
		hash_sha256 *h;

		g_assert_cmpint(fd, >=, 0);
		if (i < s->attachments->len)
			g_assert_cmpint(message_part_write(path, a->part_path,
					fd, &err), ==, TL_OK);
		else
			g_assert_cmpint(message_raw_part_write(raw,
					a->part_path, fd, &err), ==, TL_OK);
		g_assert_null(err);
		close(fd);
		g_assert_true(g_file_get_contents(tmp, &buf, &len, NULL));
		h = hash_sha256_new();
		hash_sha256_update(h, buf, len);
		hash_sha256_finish(h, hex);
		g_assert_cmpint((gint64)len, ==, a->size);
		g_assert_cmpstr(hex, ==, a->sha256);
		g_unlink(tmp);
		g_free(tmp);
		g_free(buf);
	}
	message_raw_close(raw);
}

static void
test_fixture(gconstpointer data)
{
	const char *name = data;
	char *eml = g_strdup_printf("%s/%s.eml", datadir, name);
	char *exp = g_strdup_printf("%s/%s.expected", datadir, name);
	char *text = NULL, **lines;
	msg_submission *s = parse(eml, 0), *one = parse(eml, 1);
	char *d0 = dump(s), *d1 = dump(one);
	guint natt = 0, nfwd = 0;
	gboolean counted = FALSE;

	g_assert_true(g_file_get_contents(exp, &text, NULL, NULL));
	/* One byte at a time must give exactly the same result, except
	 * where the golden file records that GMime 3.2.13's parser itself
	 * reads a malformed boundary differently under short reads (it
	 * then still must not crash; production reads regular files,
	 * whose reads are never short). */
	if (strstr(text, "\nshort_reads: gmime-differs\n") == NULL)
		g_assert_cmpstr(d0, ==, d1);
	else if (strcmp(d0, d1) != 0)
		g_test_message("%s: differs under 1-byte reads (GMime)", name);
	lines = g_strsplit(text, "\n", -1);
	for (int i = 0; lines[i] != NULL; i++) {
		char *l = lines[i], *colon = strchr(l, ':');

		if (*l == '\0' || *l == '#')
			continue;
		g_assert_nonnull(colon);
		*colon = '\0';
		g_test_message("%s: %s:%s", name, l, colon + 1);
		check(s, l, colon[1] == ' ' ? colon + 2 : colon + 1, &natt,
		      &nfwd);
		counted |= strcmp(l, "attachments") == 0;
	}
	/* Listing attachments in the golden file means listing all. */
	if (natt > 0 && !counted)
		g_assert_cmpuint(natt, ==, s->attachments->len);
	check_part_write(eml, s);
	g_strfreev(lines);
	g_free(text);
	g_free(d0);
	g_free(d1);
	message_free(s);
	message_free(one);
	g_free(eml);
	g_free(exp);
}

/* Write CONTENT to a new temporary file; returns its path (g_free). */
static char *
tmp_message(const char *content, gssize len)
{
	char *path = NULL;
	int fd = g_file_open_tmp("tl-msg-XXXXXX.eml", &path, NULL);

	g_assert_cmpint(fd, >=, 0);
	close(fd);
	g_assert_true(g_file_set_contents(path, content, len, NULL));
	return path;
}

static void
test_missing_file(void)
{
	msg_submission *s = NULL;
	char *err = NULL;

	g_assert_cmpint(message_parse_file("/nonexistent/x.eml", NULL, &s,
					   &err), ==, TL_NOINPUT);
	g_assert_null(s);
	g_assert_nonnull(strstr(err, "/nonexistent/x.eml"));
	g_free(err);
}

static void
test_part_write_errors(void)
{
	char *path = g_strdup_printf("%s/009-rfc2231.eml", datadir), *err;
	int fd = open("/dev/null", O_WRONLY);

	err = NULL;
	g_assert_cmpint(message_part_write(path, "7", fd, &err), ==, TL_DATA);
	g_free(err);
	err = NULL;
	g_assert_cmpint(message_part_write(path, "2:uu3", fd, &err), ==,
			TL_DATA);
	g_free(err);
	err = NULL;
	g_assert_cmpint(message_part_write("/nonexistent", "1", fd, &err), ==,
			TL_NOINPUT);
	g_free(err);
	err = NULL;
	g_assert_cmpint(message_part_write(path, "2:tnef1", fd, &err), ==,
			TL_DATA);
	g_free(err);
	err = NULL;
	g_assert_cmpint(message_part_write(path, "2:bogus", fd, &err), ==,
			TL_DATA);
	g_free(err);
	close(fd);
	g_free(path);
}

/* Long GMime warning items are cut at a character boundary into a new
 * string (fuzz finding: the old in-place cut wrote past the end). */
static void
test_long_warning_items(void)
{
	/* Items of every length around the 200-byte cut: raw 8-bit
	 * bytes become 3-byte U+FFFD, so step through odd mixes. */
	for (int n = 40; n < 240; n++) {
		GString *m = g_string_new("From: a@example.org\n");
		char *p;
		msg_submission *s;

		for (int i = 0; i < n; i++)
			g_string_append_c(m, n < 140 && i % (2 + n % 3) == 0 ?
					  '\xe9' : 'a');
		g_string_append(m, n % 2 ? ": v\n\nx\n" : "\n\nx\n");
		p = tmp_message(m->str, m->len);
		s = parse(p, 0);
		for (guint i = 0; i < s->warnings->len; i++) {
			const char *w = g_ptr_array_index(s->warnings, i);

			g_assert_true(g_utf8_validate(w, -1, NULL));
			g_assert_cmpuint(strlen(w), <, 300);
		}
		message_free(s);
		g_unlink(p);
		g_free(p);
		g_string_free(m, TRUE);
	}
}

static void
test_convert(void)
{
	static const struct {
		const char *in, *cs, *out;
		mime_conv how;
	} cases[] = {
		{ "Vi\xe1\xbb\x87t", "iso-8859-1", "Việt",
		  MIME_CONV_RELABEL_UTF8 },
		{ "Vi\xe1\xbb\x87t", NULL, "Việt", MIME_CONV_AS_DECLARED },
		{ "plain", "us-ascii", "plain", MIME_CONV_AS_DECLARED },
		{ "caf\xe9", "iso-8859-1", "café", MIME_CONV_AS_DECLARED },
		{ "\xd0\xe0 N\xe3\xdeng", "utf-8", "Đà Nẵng",
		  MIME_CONV_FALSE_UTF8 },
		{ "\xd0\xe0 N\xe3\xdeng", "windows-1258", "Đà Nẵng",
		  MIME_CONV_AS_DECLARED },
		{ "a\x81z", "windows-1258", "a\xef\xbf\xbdz",
		  MIME_CONV_INVALID_BYTES },
		{ "caf\xe9", "x-no-such-charset", "café",
		  MIME_CONV_UNKNOWN_CHARSET },
		/* Labelled UTF-8 with a stray byte: U+FFFD, not a guessed
		 * letter (qa9 finding 12).  Unlabelled UTF-8 over a Latin-1
		 * quote: the UTF-8 stays, only the other bytes are guessed. */
		{ "\xd0\x97\xd0\xb4\xaa", "utf-8", "Зд\xef\xbf\xbd",
		  MIME_CONV_INVALID_BYTES },
		{ "\xc3\xa4 \xe4", NULL, "ä ä", MIME_CONV_INVALID_BYTES },
		/* cp1258 labelled UTF-8 with one accidental UTF-8 pair
		 * (tone 0xD2 before "…" 0x85): still read whole as cp1258. */
		{ "Nho\xd2\x85 r\xe2\xect t\xf4\xeci", "utf-8",
		  "Nhỏ… rất tối", MIME_CONV_FALSE_UTF8 },
		{ "\xe5\xb7\xae \xe4", "x-no-such-charset", "差 ä",
		  MIME_CONV_UNKNOWN_CHARSET },
	};
	message_init();
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		GMimeParserOptions *o = g_mime_parser_options_new();
		static const char *fb[] = {
			"utf-8", "windows-1258", "iso-8859-1", NULL
		};
		mime_conv how;
		char *note = NULL, *t, *n;

		g_mime_parser_options_set_fallback_charsets(o, fb);
		t = mime_text_convert(o, cases[i].in, strlen(cases[i].in),
				      cases[i].cs, &how, &note);
		n = mime_text_finish(t);
		g_assert_cmpstr(n, ==, cases[i].out);
		g_assert_cmpint(how, ==, cases[i].how);
		g_assert_cmpint(note != NULL, ==,
				cases[i].how != MIME_CONV_AS_DECLARED);
		g_free(note);
		g_free(t);
		g_free(n);
		g_mime_parser_options_free(o);
	}
	{
		/* A NUL byte does not end the text. */
		mime_conv how;
		char *t = mime_text_convert(NULL, "a\0b", 3, "utf-8", &how,
					    NULL);

		g_assert_cmpstr(t, ==, "a\xef\xbf\xbd" "b");
		g_free(t);
	}
	{
		char *t = mime_text_finish("a\r\nb\rc\n");

		g_assert_cmpstr(t, ==, "a\nb\nc\n");
		g_free(t);
		t = mime_text_finish("\xEF\xBB\xBFXin ch\xC3\xA0o\n");
		g_assert_cmpstr(t, ==, "Xin chào\n");
		g_free(t);
		/* Runs copied whole: CRs at the start, in a row, at the
		 * end, and a CR LF split as CR CR LF. */
		t = mime_text_finish("\rA\r\r\nB\r\n\r\nC\r");
		g_assert_cmpstr(t, ==, "\nA\n\nB\n\nC\n");
		g_free(t);
	}
	{
		/* SUB (0x1A, a DOS end of file) and broken bytes become
		 * U+FFFD, around and inside valid runs. */
		char *t = mime_text_nfc("\x1A" "ab\x1A\x1A" "c\xFF\x80" "d"
					"\x1A");

		g_assert_cmpstr(t, ==, "\xEF\xBF\xBD" "ab\xEF\xBF\xBD"
				"\xEF\xBF\xBD" "c\xEF\xBF\xBD" "d"
				"\xEF\xBF\xBD");
		g_free(t);
	}
}

static void
test_header_rewrite(void)
{
	mime_header_repair rep = { 0 };
	char *t;

	message_init();
	t = mime_header_decode_text(NULL, "=?UTF-8?B?SGVsbG8=?= "
				    "=?UTF-8?B?IHdvcmxk?=", &rep);
	g_assert_cmpstr(t, ==, "Hello world");
	g_assert_cmpint(rep.merged_runs, ==, 1);
	g_assert_cmpint(rep.split_chars, ==, 0);
	g_free(t);
	/* Words in different charsets still lose the space between. */
	t = mime_header_decode_text(NULL, "=?iso-8859-1?q?caf=E9?= "
				    "=?utf-8?q?_ok?= tail", NULL);
	g_assert_cmpstr(t, ==, "café ok tail");
	g_free(t);
	/* Not an encoded-word: left alone. */
	t = mime_header_decode_text(NULL, "a =?broken b", NULL);
	g_assert_cmpstr(t, ==, "a =?broken b");
	g_free(t);
	g_free(rep.note);
}

static void
test_dates(void)
{
	static const struct {
		const char *date, *utc;
		int off;
		const char *warn;	/* a warning that must be there */
	} cases[] = {
		{ "Mon, 3 Jun 2024 08:15:30 +0700", "2024-06-03T01:15:30Z",
		  420, NULL },
		{ "Tue, 11 Jun 2024 09:00:03 +0700 (ICT)",
		  "2024-06-11T02:00:03Z", 420, NULL },
		{ "Mon, 10 Jun 2024 02:05:00 GMT", "2024-06-10T02:05:00Z",
		  0, NULL },
		{ "10 Jun 2024 02:05 -0230", "2024-06-10T04:35:00Z",
		  -150, NULL },
		{ "Sun, 09 Jun 2024 06:00:00 +0700", "2024-06-08T23:00:00Z",
		  420, NULL },
		{ "Thu, 6 Jun 24 16:45:12 +0700", "2024-06-06T09:45:12Z",
		  420, NULL },
		{ "Thu,  6 Jun 2024 16:45:12 EST", "2024-06-06T21:45:12Z",
		  -300, NULL },
		{ "2024-06-06T16:45:12+07:00", "2024-06-06T09:45:12Z",
		  420, NULL },
		/* Forms GMime misreads, normalised first. */
		{ "Thu, 06 Jun 2024 16:45:12 +07:00", "2024-06-06T09:45:12Z",
		  420, "zone \"+07:00\" read as +0700" },
		{ "Thu, 6 Jun 2024 16:45:12 ICT", "2024-06-06T09:45:12Z", 420,
		  "zone \"ICT\" read as +0700" },
		{ "Thu, 6 Jun 2024 16:45:12 GMT+7", "2024-06-06T09:45:12Z",
		  420, "zone \"GMT+7\" read as +0700" },
		{ "Thu, 6 Jun 2024 16:45:12 GMT+0530", "2024-06-06T11:15:12Z",
		  330, NULL },
		{ "Thu, 6 Jun 2024 16.45.12 +0700", "2024-06-06T09:45:12Z",
		  420, NULL },
		{ "Thu, 06-Jun-2024 16:45:12 +0700", "2024-06-06T09:45:12Z",
		  420, NULL },
		/* Repaired where the intent is clear (and said so). */
		{ "Mon, 3 Jun 2024 12:00 PM +0700", "2024-06-03T05:00:00Z",
		  420, NULL },
		{ "Mon, 3 Jun 2024 12:30:00 am +0700", "2024-06-02T17:30:00Z",
		  420, NULL },
		{ "Mon, 3 Jun 2024 11:59:59p.m. +0700",
		  "2024-06-03T16:59:59Z", 420, NULL },
		{ "Mon, 3 Jun 2024 08:15:00 +530", "2024-06-03T02:45:00Z",
		  330, NULL },
		{ "Mon, 3 Jun 2024 08:15:00 -7", "2024-06-03T15:15:00Z",
		  -420, NULL },
		/* Two spaces make an empty token (fuzz finding). */
		{ "Fri, 07 Jun 2024 07:30:00  +0700", "2024-06-07T00:30:00Z",
		  420, NULL },
		/* 13 PM is no 12-hour clock: the hour stands, said. */
		{ "Mon, 3 Jun 2024 13:00 PM +0700", "2024-06-03T06:00:00Z",
		  420, "24-hour time with a 12-hour marker" },
		{ "Mon, 3 Jun 2024 13:00:00 AM +0700", "2024-06-03T06:00:00Z",
		  420, "24-hour time with a 12-hour marker" },
		/* No zone beyond -1200..+1400 (qa9 finding 10). */
		{ "Mon, 3 Jun 2024 08:00 +1900", "2024-06-03T08:00:00Z", 0,
		  "out of range" },
		{ "Mon, 3 Jun 2024 08:00 -1300", "2024-06-03T08:00:00Z", 0,
		  "out of range" },
		{ "Mon, 3 Jun 2024 08:00 GMT+15", "2024-06-03T08:00:00Z", 0,
		  "out of range" },
		{ "Mon, 3 Jun 2024 08:00 +1400", "2024-06-02T18:00:00Z", 840,
		  NULL },
		{ "not a date", NULL, 0, NULL },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *m = g_strdup_printf("From: a@example.org\nDate: %s\n"
		    "\nx\n", cases[i].date);
		char *p = tmp_message(m, -1);
		msg_submission *s = parse(p, 0);

		g_test_message("Date: %s", cases[i].date);
		g_assert_cmpstr(s->date_utc, ==, cases[i].utc);
		if (cases[i].utc != NULL)
			g_assert_cmpint(s->date_offset_min, ==, cases[i].off);
		else
			g_assert_true(any_warning(s, "Date not understood"));
		if (cases[i].warn != NULL)
			g_assert_true(any_warning(s, cases[i].warn));
		message_free(s);
		g_unlink(p);
		g_free(p);
		g_free(m);
	}
}

static void
test_quote(void)
{
	const char *t1 = "Reply.\n\nVào Th 2, 3 thg 6, 2024 Ban <\n"
	    "a@example.net> đã viết:\n\n> quoted\n> more\n";
	const char *t2 = "> only quote\n";
	const char *t3 = "Line\n> inline quote\nmy answer\n";
	const char *t4 = "Reply\n\n> q1\n> q2\n\n";

	g_assert_cmpint(quote_find(t1), ==, strstr(t1, "Vào") - t1);
	g_assert_cmpint(quote_find(t2), ==, -1);
	g_assert_cmpint(quote_find(t3), ==, -1);
	g_assert_cmpint(quote_find(t4), ==, strstr(t4, "> q1") - t4);
	g_assert_cmpint(quote_find(""), ==, -1);
	{
		const char *t5 = "Trả lời.\n\n"
		    "________________________________\n"
		    "Từ: Ban biên tập <a@example.net>\nĐã gửi: Thứ Hai\n"
		    "Tiêu đề: Tin\n\nNội dung cũ\n";
		const char *t6 = "From: a@example.org\nSent: Monday\n";

		g_assert_cmpint(quote_find(t5), ==, strstr(t5, "____") - t5);
		/* At the very top it is the message itself. */
		g_assert_cmpint(quote_find(t6), ==, -1);
	}
}

static void
test_html(void)
{
	static const char h[] = "<html><head><style>x{}</style></head><body>"
	    "<h1>Ti&ecirc;u &#273;&#7873;</h1>a<br>b<pre>  x\n  y</pre>"
	    "<table><tr><td>1</td><td>2</td></tr></table>"
	    "<a href=\"https://example.org/\">https://example.org/</a>"
	    "<script>bad()</script></body></html>";
	char *t = html_to_text(h, strlen(h), NULL);

	g_assert_cmpstr(t, ==, "Tiêu đề\na\nb\n  x\n  y\n1 2\n"
			"https://example.org/");
	g_free(t);
	t = html_to_text("", 0, NULL);
	g_assert_cmpstr(t, ==, "");
	g_free(t);
}

/* Issue 12: what the text leaves out is counted, remote images (each
 * element that would fetch one, however it spells the address) apart
 * from local ones (cid:, data:), links apart from #fragments. */
static void
test_html_removed(void)
{
	static const char h[] = "<body>"
	    "<img src=\"http://127.0.0.1:9/pixel.png\" alt=\"x\">"
	    "<img src=\" HTTPS://example.net/a.png\">"
	    "<img src=\"//example.net/b.png\">"
	    "<img src=\"\\\\example.net\\c.png\">"
	    "<img srcset=\"d.png 1x, https://example.net/d2.png 2x\">"
	    "<img src=\"cid:part1@example.org\">"
	    "<img src=\"data:image/png;base64,AAAA\">"
	    "<table background=\"http://example.net/bg.png\"><tr><td>"
	    "<p style=\"background: URL( 'https://example.net/e.png' )\">"
	    "t</p><p style=\"color: red\">u</p></td></tr></table>"
	    "<a href=\"https://example.org/\">x</a>"
	    "<a href=\"mailto:reader.a@example.org\">y</a>"
	    "<a href=\"#top\">z</a><a name=\"top\">w</a>"
	    "</body>";
	html_removed r = { 0, 0 };
	char *t = html_to_text(h, strlen(h), &r);

	g_assert_cmpuint(r.remote_images, ==, 7);
	g_assert_cmpuint(r.links, ==, 2);
	g_free(t);
	/* Counts add up over the parts of one message. */
	t = html_to_text("<a href=x>1</a>", 15, &r);
	g_assert_cmpuint(r.links, ==, 3);
	g_assert_cmpuint(r.remote_images, ==, 7);
	g_free(t);
}

/* ... and the parser says so once, in the submission's warnings. */
static void
test_html_removed_warning(void)
{
	static const char m[] = "From: Nguyễn Văn A <reader.a@example.org>\r\n"
	    "Subject: Ảnh\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/html; charset=utf-8\r\n\r\n"
	    "<p>Xem <img src=\"http://127.0.0.1:9/p.png\"> "
	    "<a href=\"https://example.net/\">a</a> "
	    "<a href=\"https://example.net/b\">b</a></p>\r\n";
	char *p = tmp_message(m, sizeof m - 1), *err = NULL;
	msg_submission *s = NULL;
	guint n = 0;

	g_assert_cmpint(message_parse_file(p, NULL, &s, &err), ==, TL_OK);
	for (guint i = 0; i < s->warnings->len; i++)
		if (g_str_has_prefix(g_ptr_array_index(s->warnings, i),
		    "HTML part:")) {
			g_assert_cmpstr(g_ptr_array_index(s->warnings, i), ==,
			    "HTML part: 1 remote image and 2 links removed");
			n++;
		}
	g_assert_cmpuint(n, ==, 1);
	message_free(s);
	unlink(p);
	g_free(p);
}

/* A limit broken: quarantined, quickly, whatever the size. */
static void
expect_quarantine(GString *m, const tl_parse_limits *lim, const char *why,
		  const char *from)
{
	char *p = tmp_message(m->str, m->len), *err = NULL;
	msg_submission *s = NULL;
	gint64 t0 = g_get_monotonic_time();

	g_assert_cmpint(message_parse_file(p, lim, &s, &err), ==, TL_OK);
	g_assert_nonnull(s->quarantine_reason);
	g_test_message("reason: %s", s->quarantine_reason);
	g_assert_nonnull(strstr(s->quarantine_reason, why));
	g_assert_cmpint(message_classify(s), ==, MSG_CLASS_QUARANTINED);
	/* QA F7: whose tip it is stays visible when the header was fine. */
	g_assert_cmpstr(s->from_addr, ==, from);
	g_assert_cmpint(g_get_monotonic_time() - t0, <, 5 * G_USEC_PER_SEC);
	message_free(s);
	g_unlink(p);
	g_free(p);
}

static void
test_limits(void)
{
	tl_parse_limits lim = { 32, 1000, 1024 * 1024 };
	GString *m = g_string_new("From: a@example.org\nSubject: deep\n");

	/* 5000 nested multiparts (the top-level header is one of them:
	 * the first Content-Type ends it). */
	for (int i = 0; i < 5000; i++)
		g_string_append_printf(m, "Content-Type: multipart/mixed; "
		    "boundary=\"b%d\"\n\n--b%d\n", i, i);
	g_string_append(m, "Content-Type: text/plain\n\nx\n");
	expect_quarantine(m, &lim, "nesting deeper than 32", "a@example.org");
	/* 200000 sibling parts. */
	g_string_assign(m, "From: a@example.org\nContent-Type: multipart/"
			"mixed; boundary=z\n\n");
	for (int i = 0; i < 200000; i++)
		g_string_append(m, "--z\n\nx\n");
	g_string_append(m, "--z--\n");
	expect_quarantine(m, &lim, "more than 1000 MIME parts",
			  "a@example.org");
	/* A 4 MiB header line. */
	g_string_assign(m, "From: a@example.org\nX-Big: ");
	for (int i = 0; i < 4 * 1024 * 1024; i++)
		g_string_append_c(m, 'a');
	g_string_append(m, "\n\nbody\n");
	expect_quarantine(m, &lim, "header block larger than", NULL);
	/* Within the limits: not quarantined. */
	lim.max_parts = 500000;
	g_string_assign(m, "From: a@example.org\nContent-Type: multipart/"
			"mixed; boundary=z\n\n");
	for (int i = 0; i < 20; i++)
		g_string_append(m, "--z\nContent-Type: text/plain\n\nx\n");
	g_string_append(m, "--z--\n");
	{
		char *p = tmp_message(m->str, m->len), *err = NULL;
		msg_submission *s = NULL;

		g_assert_cmpint(message_parse_file(p, &lim, &s, &err), ==,
				TL_OK);
		g_assert_null(s->quarantine_reason);
		message_free(s);
		g_unlink(p);
		g_free(p);
	}
	g_string_free(m, TRUE);
}

/* QA F26: 100 000 quoted-printable soft line breaks (a decoder that reads
 * without output for a long time) must not end the text; UTF-16 text is
 * full of NUL bytes that belong to its characters. */
/* QA F9: a NUL byte in a header is not silent. */
static void
test_header_nul(void)
{
	static const char m[] = "From: a@example.org\nSubject: nul\0bytes "
	    "here\n\nbody\n";
	char *p = tmp_message(m, sizeof m - 1);
	msg_submission *s = parse(p, 0);

	g_assert_true(any_warning(s, "NUL byte(s) in the header"));
	g_assert_cmpstr(s->text, ==, "body\n");
	message_free(s);
	g_unlink(p);
	g_free(p);
}

static void
test_text_decoding_gaps(void)
{
	GString *m = g_string_new("From: a@example.org\nContent-Type: "
	    "text/plain; charset=utf-8\nContent-Transfer-Encoding: "
	    "quoted-printable\n\n");
	/* "Xin chào" in UTF-16LE with a BOM, base64 */
	static const char u16[] = "From: a@example.org\nContent-Type: "
	    "text/plain; charset=utf-16\nContent-Transfer-Encoding: base64\n"
	    "\n//5YAGkAbgAgAGMAaADgAG8A\n";
	msg_submission *s;
	char *p;

	for (int i = 0; i < 100000; i++)
		g_string_append(m, "=\r\n");
	g_string_append(m, "after many soft breaks\n");
	p = tmp_message(m->str, m->len);
	for (size_t chunk = 0; chunk <= 1; chunk++) {
		s = parse(p, chunk);
		g_assert_cmpstr(s->text, ==, "after many soft breaks\n");
		message_free(s);
	}
	g_unlink(p);
	g_free(p);
	p = tmp_message(u16, -1);
	s = parse(p, 0);
	g_assert_cmpstr(s->text, ==, "Xin chào");
	message_free(s);
	g_unlink(p);
	g_free(p);
	g_string_free(m, TRUE);
}

/* Text is cut at 8 MiB per part and 32 MiB per message, with warnings,
 * so memory does not follow the message's size. */
static void
test_text_limits(void)
{
	GString *m = g_string_new("From: a@example.org\nContent-Type: "
	    "multipart/mixed; boundary=z\n\n");
	GString *line = g_string_new(NULL);
	msg_submission *s;
	char *p;

	for (int i = 0; i < 99; i++)
		g_string_append_c(line, 'a' + i % 26);
	g_string_append_c(line, '\n');
	for (int part = 0; part < 5; part++) {
		g_string_append(m, "--z\nContent-Type: text/plain\n\n");
		for (int i = 0; i < 90000; i++)	/* 9 MB */
			g_string_append_len(m, line->str, line->len);
	}
	g_string_append(m, "--z--\n");
	p = tmp_message(m->str, m->len);
	s = parse(p, 0);
	g_assert_cmpuint(strlen(s->text), <=, 32 * 1024 * 1024 + 16);
	g_assert_cmpuint(strlen(s->text), >=, 31 * 1024 * 1024);
	g_assert_true(any_warning(s, "text cut at"));
	message_free(s);
	g_unlink(p);
	g_free(p);
	g_string_free(line, TRUE);
	g_string_free(m, TRUE);
}

static int
by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* mime_text_legacy_font on text alone: the byte scan must see exactly
 * the characters the marks are (two-byte U+00A8..U+00FC), a VNI mark
 * only right after an ASCII vowel, and never the trailing bytes of a
 * longer character (ẵ is E1 BA B5: B5 is µ's last byte). */
static void
test_legacy_font_text(void)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "Tie\u00e4ng Vie\u00e4t co\u00f9 da\u00f8u", "VNI" },
		{ "ca\u00f8 phe\u00f8", NULL },	/* two pairs */
		{ "b\u00f8 c\u00f8 d\u00f8 x\u00f8", NULL },	/* no vowel */
		{ "\u00e0\u00f8 \u00e0\u00f8 \u00e0\u00f8", NULL },
		{ "A\u00f8 E\u00fb Y\u00e5", "VNI" },
		{ "Vi\u00aat Nam \u00b5 \u00ae \u00ab", "TCVN3" },
		{ "Vi\u00aat Nam \u00b5 \u00ae", NULL },	/* three */
		{ "\u00b5\u00b8\u00b6", NULL },	/* three */
		{ "\u1eb5\u1eb5\u1eb5\u1eb5 \u01b5\u01b5", NULL },
		{ "\u00b5\u00b8\u00b6\u00b7 a\u00f8 e\u00f8 o\u00f8", "VNI" },
		{ "plain ASCII text", NULL },
		{ "", NULL },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++)
		g_assert_cmpstr(mime_text_legacy_font(cases[i].text, NULL), ==,
				cases[i].want);
}

int
main(int argc, char **argv)
{
	GDir *dir;
	const char *e;
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);

	g_test_init(&argc, &argv, NULL);
	message_init();
	datadir = g_test_build_filename(G_TEST_DIST, "..", "data", "parse",
					NULL);
	dir = g_dir_open(datadir, 0, NULL);
	g_assert_nonnull(dir);
	while ((e = g_dir_read_name(dir)) != NULL)
		if (g_str_has_suffix(e, ".eml"))
			g_ptr_array_add(names, g_strndup(e, strlen(e) - 4));
	g_dir_close(dir);
	g_ptr_array_sort(names, by_name);
	g_assert_cmpuint(names->len, >, 0);
	for (guint i = 0; i < names->len; i++) {
		char *t = g_strdup_printf("/parse/%s",
		    (char *)g_ptr_array_index(names, i));

		g_test_add_data_func(t, g_ptr_array_index(names, i),
				     test_fixture);
		g_free(t);
	}
	g_test_add_func("/parse/missing-file", test_missing_file);
	g_test_add_func("/parse/part-write-errors", test_part_write_errors);
	g_test_add_func("/parse/long-warning-items", test_long_warning_items);
	g_test_add_func("/text/convert", test_convert);
	g_test_add_func("/text/legacy-font", test_legacy_font_text);
	g_test_add_func("/header/rewrite", test_header_rewrite);
	g_test_add_func("/header/dates", test_dates);
	g_test_add_func("/quote/find", test_quote);
	g_test_add_func("/html/to-text", test_html);
	g_test_add_func("/html/removed", test_html_removed);
	g_test_add_func("/html/removed-warning", test_html_removed_warning);
	g_test_add_func("/limits/quarantine", test_limits);
	g_test_add_func("/limits/text", test_text_limits);
	g_test_add_func("/text/decoding-gaps", test_text_decoding_gaps);
	g_test_add_func("/header/nul", test_header_nul);
	return g_test_run();
}
