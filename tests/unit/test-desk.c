/* test-desk.c - unit tests for the editors' desk helpers that need no
 * database: display widths and truncation, safe file names, folding,
 * the JPEG metadata scrub, and the walk down to a page of the thread-sorted
 * list (query parsing: test-query.c). */
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "desk-walk-priv.h"
#include "store.h"
#include "display.h"
#include "util.h"
#include "message.h"
#include "store-dup-priv.h"

/* "Nguyễn Văn A" in NFC and in NFD: 15 and 18 bytes, 12 columns both. */
#define NAME_NFC "Nguy\xe1\xbb\x85n V\xc4\x83n A"
#define NAME_NFD "Nguye\xcc\x82\xcc\x83n Va\xcc\x86n A"

static void
test_width(void)
{
	g_assert_cmpint(strlen(NAME_NFC), ==, 15);
	g_assert_cmpint(strlen(NAME_NFD), ==, 18);
	g_assert_cmpint(display_width(NAME_NFC), ==, 12);
	g_assert_cmpint(display_width(NAME_NFD), ==, 12);
	g_assert_cmpint(display_width("\xc4\x91"), ==, 1);	/* đ */
	g_assert_cmpint(display_width("\xe6\x96\xb0\xe8\x81\x9e"), ==, 4);
	g_assert_cmpint(display_width(NULL), ==, 0);
}

static void
test_fit(void)
{
	char *a = display_fit(NAME_NFC, 16, TRUE);
	char *b = display_fit(NAME_NFD, 16, TRUE);
	char *c, *d;

	/* Both pad to 16 columns and come out identical (NFC). */
	g_assert_cmpstr(a, ==, b);
	g_assert_cmpint(display_width(a), ==, 16);
	g_free(a);
	g_free(b);
	/* A cut keeps the tone mark with its letter: 6 columns = 5 + "…". */
	c = display_fit(NAME_NFD, 6, FALSE);
	g_assert_cmpstr(c, ==, "Nguy\xe1\xbb\x85\xe2\x80\xa6");
	g_free(c);
	/* A wide character that would straddle the edge is left out. */
	d = display_fit("a\xe6\x96\xb0\xe8\x81\x9e", 3, TRUE);
	g_assert_cmpint(display_width(d), ==, 3);
	g_assert_cmpstr(d, ==, "a\xe2\x80\xa6 ");
	g_free(d);
}

static void
test_clean(void)
{
	char *s = display_clean("a\x1b[31mb\ncd\xff\xe2\x80\xae", FALSE);

	g_assert_null(strchr(s, 0x1b));
	g_assert_null(strchr(s, '\n'));
	g_assert_null(strstr(s, "\xe2\x80\xae"));
	g_assert_true(g_utf8_validate(s, -1, NULL));
	g_free(s);
	s = display_clean("l1\nl2\r\n", TRUE);
	g_assert_cmpstr(s, ==, "l1\nl2\n");
	g_free(s);
}

/* The short form (the C library's zone) and the long one (GLib's) agree,
 * and a clean NFD string comes back NFC (display_clean's fast path). */
static void
test_local_time(void)
{
	char *s, *l;

	g_setenv("TZ", "Asia/Ho_Chi_Minh", TRUE);
	tzset();
	s = localtime_text("2024-06-08T23:00:00Z", FALSE);
	l = localtime_text("2024-06-08T23:00:00Z", TRUE);
	g_assert_cmpstr(s, ==, "2024-06-09 06:00");
	g_assert_cmpstr(l, ==, "2024-06-09 06:00:00 +07:00");
	g_free(s);
	g_free(l);
	s = localtime_text("2024-06-08T23:00:00+02:00", FALSE);
	g_assert_cmpstr(s, ==, "2024-06-09 04:00");
	g_free(s);
	s = display_clean("Nguye\xcc\x82\xcc\x83n", FALSE);
	g_assert_cmpstr(s, ==, "Nguy\xe1\xbb\x85n");
	g_free(s);
}

static void
check_safe(const char *in, const char *expect)
{
	char *s = safename_make(in, "fallback");

	g_assert_true(g_utf8_validate(s, -1, NULL));
	g_assert_null(strchr(s, '/'));
	g_assert_null(strchr(s, '\n'));
	g_assert_cmpint(strlen(s), <=, SAFENAME_MAX);
	g_assert_true(s[0] != '.' && s[0] != '-');
	if (expect != NULL)
		g_assert_cmpstr(s, ==, expect);
	g_free(s);
}

static void
test_safename(void)
{
	GString *longname = g_string_new(NULL);
	char *s;

	check_safe("../../etc/passwd", "_.._etc_passwd");
	check_safe("..", "fallback");
	check_safe("", "fallback");
	check_safe(NULL, "fallback");
	check_safe("CON", "_CON");
	check_safe("nul.txt", "_nul.txt");
	check_safe("Com1.jpg", "_Com1.jpg");
	check_safe("console.txt", "console.txt");
	check_safe("evil\nname\r.txt", "evil_name_.txt");
	check_safe("photo\xe2\x80\xaegpj.exe", "photo_gpj.exe");
	check_safe("a<b>c:d|e?f*.txt", "a_b_c_d_e_f_.txt");
	check_safe("-rf", "rf");
	check_safe("trailing. . ", "trailing");
	check_safe(NAME_NFD ".jpg", NAME_NFC ".jpg");
	check_safe("bad\xffutf8.txt", NULL);
	/* 300 bytes of "ả" (3 bytes each) + ".jpg": cut on a character
	 * boundary, extension kept. */
	for (int i = 0; i < 100; i++)
		g_string_append(longname, "\xe1\xba\xa3");
	g_string_append(longname, ".jpg");
	s = safename_make(longname->str, "x");
	g_assert_cmpint(strlen(s), <=, SAFENAME_MAX);
	g_assert_cmpint(strlen(s), >=, SAFENAME_MAX - 3);
	g_assert_true(g_str_has_suffix(s, ".jpg"));
	g_assert_true(g_utf8_validate(s, -1, NULL));
	g_free(s);
	/* NFD: a cut never separates a combining mark from its letter. */
	g_string_truncate(longname, 0);
	for (int i = 0; i < 100; i++)
		g_string_append(longname, "a\xcc\x89");	/* a + hook */
	s = safename_make(longname->str, "x");
	g_assert_true(g_utf8_validate(s, -1, NULL));
	g_assert_cmpint(strlen(s) % 3, ==, 0);	/* whole ả's (NFC) */
	g_free(s);
	g_string_free(longname, TRUE);
}

static void
test_safename_create(void)
{
	char *dir = g_dir_make_tmp("tl-desk-XXXXXX", NULL);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY), fd = -1;
	char *name = NULL, *err = NULL, *rm;

	g_assert_cmpint(dfd, >=, 0);
	for (int i = 1; i <= 3; i++) {
		char expect[32];

		g_assert_cmpint(safename_create(dfd, "a.txt", 0600, &fd, &name,
						&err), ==, TL_OK);
		g_snprintf(expect, sizeof expect, i == 1 ? "a.txt" :
			   "a-%d.txt", i);
		g_assert_cmpstr(name, ==, expect);
		close(fd);
		g_free(name);
	}
	/* A symlink planted under the name is not followed. */
	g_assert_cmpint(symlinkat("/etc/passwd", dfd, "b.txt"), ==, 0);
	g_assert_cmpint(safename_create(dfd, "b.txt", 0600, &fd, &name, &err),
			==, TL_OK);
	g_assert_cmpstr(name, ==, "b-2.txt");
	close(fd);
	g_free(name);
	close(dfd);
	rm = g_strdup_printf("rm -rf '%s'", dir);
	g_assert_cmpint(system(rm), ==, 0);
	g_free(rm);
	g_free(dir);
}

static void
test_fold(void)
{
	char *s = nfc_fold("\xc4\x90\xc3\xa0 N\xe1\xba\xb5ng \xc4\x91\xc6\xb0"
			    "\xe1\xbb\x9dng");	/* Đà Nẵng đường */

	g_assert_cmpstr(s, ==, "da nang duong");
	g_free(s);
	s = nfc_fold(NAME_NFD);
	g_assert_cmpstr(s, ==, "nguyen van a");
	g_free(s);
}

static void
test_slug(void)
{
	char *s = safename_slug("Đà Nẵng: nước ngập!", 48);

	g_assert_cmpstr(s, ==, "da-nang-nuoc-ngap");
	g_free(s);
	s = safename_slug("../..", 48);
	g_assert_cmpstr(s, ==, "");
	g_free(s);
}

/* A JPEG with APP1 Exif, COM and an APP2 MPF is scrubbed to SOI, JFIF,
 * the tables, the scan and EOI; trailing bytes after EOI go too. */
static void
test_scrub(void)
{
	static const guint8 jpeg[] = {
		0xff, 0xd8,
		0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1,
		0, 1, 0, 0,
		0xff, 0xe1, 0x00, 0x0a, 'E', 'x', 'i', 'f', 0, 0, 'G', 'P',
		0xff, 0xfe, 0x00, 0x05, 'h', 'i', '!',
		0xff, 0xe2, 0x00, 0x06, 'M', 'P', 'F', 0,
		0xff, 0xdb, 0x00, 0x04, 0x00, 0x01,
		0xff, 0xda, 0x00, 0x04, 0x01, 0x02,
		0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56,
		0xff, 0xd9, 'X', 'Y',
	};
	static const guint8 want[] = {
		0xff, 0xd8,
		0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1,
		0, 1, 0, 0,
		0xff, 0xdb, 0x00, 0x04, 0x00, 0x01,
		0xff, 0xda, 0x00, 0x04, 0x01, 0x02,
		0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56,
		0xff, 0xd9,
	};
	char *in = NULL, *out = NULL, *err = NULL, *got = NULL;
	int ifd = g_file_open_tmp("tl-scrub-in-XXXXXX", &in, NULL);
	int ofd = g_file_open_tmp("tl-scrub-out-XXXXXX", &out, NULL);
	int removed = 0;
	gsize len = 0;

	g_assert_cmpint(write(ifd, jpeg, sizeof jpeg), ==, sizeof jpeg);
	close(ifd);
	g_assert_true(scrub_is_jpeg(in));
	g_assert_cmpint(scrub_jpeg(in, ofd, &removed, &err), ==, TL_OK);
	close(ofd);
	g_assert_cmpint(removed, ==, 3);
	g_assert_true(g_file_get_contents(out, &got, &len, NULL));
	g_assert_cmpmem(got, len, want, sizeof want);
	g_free(got);
	/* Not a JPEG: refused. */
	ofd = open(out, O_WRONLY | O_TRUNC);
	g_assert_true(g_file_set_contents(in, "GIF89a", 6, NULL));
	g_assert_cmpint(scrub_jpeg(in, ofd, NULL, &err), ==, TL_DATA);
	g_free(err);
	close(ofd);
	g_unlink(in);
	g_unlink(out);
	g_free(in);
	g_free(out);
}

/* store_dup_text_key: NFC, case folded, runs of white space (Unicode's,
 * as g_unichar_isspace) made one space and trimmed, then SHA-256.  The
 * keys are stored (text_key) and compared with later mail's, so they
 * may never change: these were computed by the version before the
 * byte-copying loop (4 Dec 2026). */
#define K1 "21058f077d7354e34b48adaeae01b290" \
	   "837d4f97954607073cc0ed711a2e1f3e"
#define K2 "f7ae845e70b827d21c3dfce6424bc037" \
	   "cd95280a36abaeff0bbebb47ab0fcdbf"
#define K3 "37250ce82a9cf28354133dc9fa4b8ea7" \
	   "54aab81ab6edb920be8c5075d4141980"

static void
test_dup_key(void)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "  Cháy   kho hàng\n\tở Đà Nẵng  ", K1 },
		{ "CHÁY KHO HÀNG Ở ĐÀ NẴNG", K1 },
		{ "Cha\u0301y kho ha\u0300ng \u1edf \u0110a\u0300 N\u1eb5ng",
		  K1 },
		{ "a\u00a0b\u2003c\u3000d\ve", K2 },
		{ "Straße ΣΊΣΥΦΟΣ", K3 },
		{ " \n\t ", NULL },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		msg_submission sub = { 0 };
		char *k;

		sub.from_addr = (char *)"reader.a@example.org";
		sub.text = (char *)cases[i].text;
		k = store_dup_text_key(&sub);
		g_test_message("key %" G_GSIZE_FORMAT ": %s", i,
			       k != NULL ? k : "(none)");
		g_assert_cmpstr(k, ==, cases[i].want);
		g_free(k);
	}
}

/* The key as it was made before the one-pass loop: the whole text
 * NFC, then g_utf8_casefold, then white space collapsed; the reference
 * for test_dup_key_all. */
static char *
dup_key_reference(const char *text)
{
	char *nfc = nfc_normalize(text, -1);
	char *folded = g_utf8_casefold(nfc, -1), out[65];
	GString *norm = g_string_new(NULL);
	gboolean space = FALSE;
	hash_sha256 *h;

	for (const char *p = folded; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_isspace(c)) {
			space = norm->len > 0;
			continue;
		}
		if (space)
			g_string_append_c(norm, ' ');
		space = FALSE;
		g_string_append_unichar(norm, c);
	}
	h = hash_sha256_new();
	hash_sha256_update(h, norm->str, norm->len);
	hash_sha256_finish(h, out);
	g_string_free(norm, TRUE);
	g_free(folded);
	g_free(nfc);
	return g_strdup(out);
}

/* Every character of the planes store-dup.c folds itself (up to
 * U+2FFF, past its fast range), and the white space among them, in
 * texts of 64 characters: the key is the reference's. */
static void
test_dup_key_all(void)
{
	msg_submission sub = { 0 };
	GString *t = g_string_new(NULL);

	sub.from_addr = (char *)"reader.a@example.org";
	for (gunichar c = 1; c < 0x3000; c++) {
		char *want, *got;

		if (c >= 0xD800 && c < 0xE000)
			continue;
		g_string_append_unichar(t, c);
		if (c % 64 != 0 && c != 0x2FFF)
			continue;
		sub.text = t->str;
		want = dup_key_reference(t->str);
		got = store_dup_text_key(&sub);
		if (g_strcmp0(got, want) != 0)
			g_test_message("texts ending at U+%04X differ", c);
		g_assert_cmpstr(got, ==, want);
		g_free(want);
		g_free(got);
		g_string_truncate(t, 0);
	}
	g_string_free(t, TRUE);
}

/* A walk over this stream (row, time), newest first: row 1 is a thread
 * whose follow-up comes again at "b"; times c, b, a hold rows {1, 2},
 * {3, 4}, {5}.  "IDS/SKIP" for a page of LIMIT after OFFSET, "" when the
 * walk kept no rows. */
static char *
walk_page(gint64 offset, gint64 limit)
{
	static const struct { gint64 row; const char *key; } s[] = {
		{ 1, "c" }, { 2, "c" }, { 3, "b" }, { 1, "b" }, { 4, "b" },
		{ 5, "a" },
	};
	GString *o = g_string_new(NULL);
	desk_walk w;
	guint i;

	desk_walk_init(&w, offset, limit);
	for (i = 0; i < G_N_ELEMENTS(s); i++)
		if (desk_walk_add(&w, s[i].row, s[i].key))
			break;
	if (i == G_N_ELEMENTS(s))
		desk_walk_end(&w);
	g_assert_true(w.done);
	for (i = 0; i < w.ids->len; i++)
		g_string_append_printf(o, "%s%" G_GINT64_FORMAT, i ? " " : "",
				       g_array_index(w.ids, gint64, i));
	if (w.ids->len > 0)
		g_string_append_printf(o, "/%" G_GINT64_FORMAT, w.skip);
	desk_walk_clear(&w);
	return g_string_free(o, FALSE);
}

static void
test_walk(void)
{
	static const struct { gint64 offset, limit; const char *want; } t[] = {
		{ 0, 1, "1 2/0" },	/* the first group whole, sorted */
		{ 1, 1, "1 2/1" },
		{ 0, 2, "1 2/0" },
		{ 2, 2, "3 4/0" },	/* row 1 again at b is not counted */
		{ 1, 2, "1 2 3 4/1" },	/* across two groups */
		{ 3, 5, "3 4 5/1" },	/* to the end of the stream */
		{ 4, 1, "5/0" },
		{ 5, 1, "" },		/* past the end */
		{ 9, 3, "" },
	};

	for (guint i = 0; i < G_N_ELEMENTS(t); i++) {
		char *got = walk_page(t[i].offset, t[i].limit);

		g_assert_cmpstr(got, ==, t[i].want);
		g_free(got);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/display/width", test_width);
	g_test_add_func("/display/fit", test_fit);
	g_test_add_func("/display/clean", test_clean);
	g_test_add_func("/display/local-time", test_local_time);
	g_test_add_func("/safename/make", test_safename);
	g_test_add_func("/safename/create", test_safename_create);
	g_test_add_func("/safename/slug", test_slug);
	g_test_add_func("/desk/fold", test_fold);
	g_test_add_func("/desk/dup-key", test_dup_key);
	g_test_add_func("/desk/dup-key-all", test_dup_key_all);
	g_test_add_func("/scrub/jpeg", test_scrub);
	g_test_add_func("/desk/walk", test_walk);
	return g_test_run();
}
