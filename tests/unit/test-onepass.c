/* test-onepass.c - the limit scan and GMime's parse share one read of the
 * message (mime-scanstream-priv.h).  Nothing may differ from a scan in a
 * read of its own before the parse: the same quarantine reasons, the same
 * parse, for every fixture in tests/data/parse (with the default limits
 * and with tight ones that quarantine many) and for messages made to hit
 * the seams: limits broken past the first read-ahead piece, a boundary or
 * a CRLF across it, lines longer than a piece, bare CR, NUL bytes, no
 * final newline, an mbox envelope line.  And the scanner fed in pieces of
 * any size says what it says fed at once.  The base64 decoder of part
 * contents (mime-b64-priv.h) gives GMime's bytes, state and all, for
 * any input cut anywhere.  message_parse_fd on a memfd left at its end
 * (ingest.c's header copy) gives what message_parse_file gives.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "util.h"
#include "message.h"
#include "mime-b64-priv.h"
#include "mime-limits-priv.h"

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

static char *
tmp_message(const char *content, gssize len)
{
	char *path = NULL;
	int fd = g_file_open_tmp("tl-onepass-XXXXXX.eml", &path, NULL);

	g_assert_cmpint(fd, >=, 0);
	close(fd);
	g_assert_true(g_file_set_contents(path, content, len, NULL));
	return path;
}

/* The parse of PATH under LIM (NULL: defaults), read CHUNK bytes at a
 * time, in one read or two, as text. */
static char *
parse_dump(const char *path, const tl_parse_limits *lim, size_t chunk,
	   int two)
{
	msg_submission *s = NULL;
	char *err = NULL, *d;

	message_set_read_chunk(chunk);
	message_set_two_pass(two);
	g_assert_cmpint(message_parse_file(path, lim, &s, &err), ==, TL_OK);
	message_set_two_pass(0);
	message_set_read_chunk(0);
	g_assert_null(err);
	d = dump(s);
	message_free(s);
	return d;
}

/* The parse of PATH's bytes copied into a memfd, whose offset is left
 * at the end (message_parse_fd reads from the start), as text. */
static char *
parse_dump_fd(const char *path, const tl_parse_limits *lim, int two)
{
	msg_submission *s = NULL;
	char *err = NULL, *d, *bytes = NULL;
	gsize len = 0;
	int fd = memfd_create("tl-onepass", MFD_CLOEXEC);

	g_assert_cmpint(fd, >=, 0);
	g_assert_true(g_file_get_contents(path, &bytes, &len, NULL));
	g_assert_cmpint(write(fd, bytes, len), ==, (ssize_t)len);
	g_free(bytes);
	message_set_two_pass(two);
	g_assert_cmpint(message_parse_fd(fd, path, lim, &s, &err), ==,
			TL_OK);
	message_set_two_pass(0);
	g_assert_null(err);
	g_assert_cmpint(fcntl(fd, F_GETFD), >=, 0);	/* still the caller's */
	close(fd);
	d = dump(s);
	message_free(s);
	return d;
}

/* One read and two give the same parse of PATH; the one-pass dump. */
static char *
same_both_ways(const char *path, const tl_parse_limits *lim,
	       gboolean bytewise)
{
	char *one = parse_dump(path, lim, 0, 0);
	char *two = parse_dump(path, lim, 0, 1);

	g_assert_cmpstr(one, ==, two);
	g_free(two);
	for (int t = 0; t <= 1; t++) {
		two = parse_dump_fd(path, lim, t);
		g_assert_cmpstr(one, ==, two);
		g_free(two);
	}
	if (bytewise) {
		two = parse_dump(path, lim, 1, 0);
		g_assert_cmpstr(one, ==, two);
		g_free(two);
	}
	return one;
}

static void
test_fixture(gconstpointer data)
{
	const tl_parse_limits tight = { 2, 3, 200 };
	char *eml = g_strdup_printf("%s/%s.eml", datadir, (const char *)data);

	g_free(same_both_ways(eml, NULL, FALSE));
	g_free(same_both_ways(eml, &tight, FALSE));
	g_free(eml);
}

/* The scanner's verdict on M fed in pieces of PIECE bytes (0: at once). */
static char *
scan_pieces(const GString *m, const tl_parse_limits *lim, size_t piece)
{
	mime_limits_scanner *sc = mime_limits_scanner_new(lim, 0);
	mime_limits_info info;
	char *reason = NULL, *r;
	size_t off = 0;
	int rc;

	if (piece == 0)
		piece = m->len;
	while (off < m->len) {
		size_t n = MIN(piece, m->len - off);

		mime_limits_scanner_feed(sc, m->str + off, n);
		off += n;
	}
	rc = mime_limits_scanner_finish(sc, &info, &reason);
	r = g_strdup_printf("%d|%s|%" G_GINT64_FORMAT "|%d", rc, reason,
			    info.header_end, info.header_nuls);
	g_free(reason);
	return r;
}

/* M through the scanner in pieces of several sizes, and through the parse
 * in one read and in two: the same every way.  Returns the one-pass
 * parse's dump, and *VERDICT the scanner's (both g_free). */
static char *
check_message(const GString *m, const tl_parse_limits *lim, char **verdict)
{
	static const size_t pieces[] = { 1, 3, 4095, 65537, 262144 };
	char *whole = scan_pieces(m, lim, 0), *p, *d;
	mime_limits_info info;
	char *reason = NULL;
	int fd, rc;

	for (size_t i = 0; i < G_N_ELEMENTS(pieces); i++) {
		p = scan_pieces(m, lim, pieces[i]);
		g_assert_cmpstr(p, ==, whole);
		g_free(p);
	}
	p = tmp_message(m->str, (gssize)m->len);
	/* The scan of the file on its own agrees with the fed scanner. */
	fd = open(p, O_RDONLY);
	g_assert_cmpint(fd, >=, 0);
	rc = mime_limits_scan(fd, lim, 0, &info, &reason);
	close(fd);
	d = g_strdup_printf("%d|%s|%" G_GINT64_FORMAT "|%d", rc, reason,
			    info.header_end, info.header_nuls);
	g_assert_cmpstr(d, ==, whole);
	g_free(d);
	g_free(reason);
	d = same_both_ways(p, lim, m->len < 2 * 1024 * 1024);
	g_unlink(p);
	g_free(p);
	*verdict = whole;
	return d;
}

static void
add_line(GString *m, char c, size_t n, const char *end)
{
	for (size_t i = 0; i < n; i++)
		g_string_append_c(m, c);
	g_string_append(m, end);
}

/* A multipart/mixed message (boundary "z") whose first part's body is
 * FILL bytes of 'x' in lines of LINE bytes (CRLF when CRLF). */
static GString *
multipart(size_t fill, size_t line, gboolean crlf)
{
	const char *nl = crlf ? "\r\n" : "\n";
	GString *m = g_string_new(NULL);

	g_string_append_printf(m, "From: Nguyen Van A <reader.a@example.org>"
	    "%sSubject: seams%sContent-Type: multipart/mixed; boundary=z%s%s"
	    "--z%sContent-Type: text/plain%s%s", nl, nl, nl, nl, nl, nl, nl);
	while (fill > 0) {
		size_t n = MIN(line, fill);

		add_line(m, 'x', n, nl);
		fill -= n;
	}
	return m;
}

static void
expect(const char *verdict, const char *dumped, const char *reason)
{
	g_test_message("verdict %s", verdict);
	if (reason == NULL) {
		g_assert_true(g_str_has_prefix(verdict, "0|(null)|"));
		g_assert_nonnull(strstr(dumped, "\nquarantine (null)\n"));
		return;
	}
	g_assert_true(g_str_has_prefix(verdict, "1|"));
	g_assert_nonnull(strstr(verdict, reason));
	g_assert_nonnull(strstr(dumped, reason));
}

/* Limits broken past the first read-ahead piece (256 KiB): the parse
 * already had the pieces before; the result is the quarantine all the
 * same, with the sender read from the header. */
static void
test_broken_late(void)
{
	tl_parse_limits lim = { 8, 1000, 300000 };
	GString *m;
	char *v, *d;

	m = multipart(300000, 76, FALSE);
	for (int i = 0; i < 40; i++) {
		if (i == 0)
			g_string_append(m, "--z\n");
		else
			g_string_append_printf(m, "--d%d\n", i - 1);
		g_string_append_printf(m, "Content-Type: multipart/mixed; "
		    "boundary=d%d\n\n", i);
	}
	d = check_message(m, &lim, &v);
	expect(v, d, "MIME nesting deeper than 8");
	g_assert_nonnull(strstr(d, "reader.a@example.org"));
	g_free(v);
	g_free(d);
	g_string_free(m, TRUE);

	m = multipart(10, 76, TRUE);
	for (int i = 0; i < 1200; i++)
		add_line(m, 'y', 400, "\r\n--z\r\n\r\n");
	d = check_message(m, &lim, &v);
	expect(v, d, "more than 1000 MIME parts");
	g_free(v);
	g_free(d);
	g_string_free(m, TRUE);

	m = g_string_new("From: reader.a@example.org\n");
	for (int i = 0; i < 4000; i++)
		g_string_append_printf(m, "X-Pad-%d: %s\n", i,
		    "0123456789012345678901234567890123456789012345678901234"
		    "5678901234567890");
	g_string_append(m, "\nbody\n");
	d = check_message(m, &lim, &v);
	expect(v, d, "header block larger than 300000 bytes");
	g_free(v);
	g_free(d);
	g_string_free(m, TRUE);
}

/* Within the limits, with seams where the read-ahead pieces meet. */
static void
test_seams(void)
{
	tl_parse_limits lim = { 8, 1000, 300000 };
	GString *m;
	char *v, *d;

	/* A boundary line across offset 262144, then its CRLF split by
	 * it: the part count and the parse stay. */
	for (size_t at = 262140; at <= 262146; at++) {
		m = multipart(0, 76, TRUE);
		add_line(m, 'x', at - m->len - 2, "\r\n");
		g_assert_cmpuint(m->len, ==, at);
		g_string_append(m, "--z\r\nContent-Type: image/jpeg\r\n"
		    "Content-Transfer-Encoding: base64\r\n\r\n/9j/4AAQ\r\n"
		    "--z--\r\n");
		d = check_message(m, &lim, &v);
		expect(v, d, NULL);
		g_assert_nonnull(strstr(d, "att attachment-1.jpg|1|"
		    "image/jpeg|attachment|(null)|2|6|"));
		g_free(v);
		g_free(d);
		/* The part that breaks the limit starts on the seam. */
		lim.max_parts = 2;
		d = check_message(m, &lim, &v);
		expect(v, d, "more than 2 MIME parts");
		lim.max_parts = 1000;
		g_free(v);
		g_free(d);
		g_string_free(m, TRUE);
	}
	/* Lines longer than a piece (one of 1 MB without a newline that
	 * holds "--z"), bare CR line ends that are no boundary, NUL bytes
	 * in a body, and the last boundary without a final newline. */
	m = multipart(0, 76, FALSE);
	add_line(m, 'x', 600000, "--z");
	add_line(m, 'w', 500000, "\n");
	g_string_append(m, "--z\rContent-Type: text/plain\r\r--z\r\n");
	g_string_append_len(m, "a\0b\0\0c\n", 7);
	g_string_append(m, "--z\nContent-Type: application/pdf\n\n%PDF-1.4\n"
	    "--z--");
	d = check_message(m, &lim, &v);
	expect(v, d, NULL);
	g_assert_nonnull(strstr(d, "att attachment-1.pdf|1|application/pdf|"
	    "attachment|(null)|2|8|"));
	g_free(v);
	g_free(d);
	g_string_free(m, TRUE);
}

/* A NUL byte in a part's header (the warning that must come first) and an
 * mbox envelope line that is counted with the header, as before. */
static void
test_nul_and_envelope(void)
{
	tl_parse_limits lim = { 8, 1000, 300000 };
	GString *m = multipart(300000, 76, FALSE);
	char *v, *d;
	size_t hdr;

	g_string_append(m, "--z\nContent-Type: text/plain\nX-Odd: a");
	g_string_append_len(m, "\0\0", 2);
	g_string_append(m, "b\n\nsecond\n--z--\n");
	d = check_message(m, &lim, &v);
	expect(v, d, NULL);
	g_assert_true(g_str_has_suffix(v, "|2"));
	g_assert_nonnull(strstr(d, "\nwarn 2 NUL byte(s) in the header: "));
	g_free(v);
	g_free(d);
	g_string_free(m, TRUE);

	/* The envelope line tips the header over the limit. */
	m = g_string_new("From: reader.a@example.org\nSubject: env\n");
	hdr = m->len + 1;	/* with its empty line */
	lim.max_header_bytes = (gint64)hdr + 10;
	g_string_prepend(m, "From reader.a@example.org Thu Dec  3 "
			 "01:00:00 2026\n");
	g_string_append(m, "\nbody\n");
	d = check_message(m, &lim, &v);
	expect(v, d, "header block larger than");
	g_free(v);
	g_free(d);
	lim.max_header_bytes = (gint64)m->len;
	d = check_message(m, &lim, &v);
	expect(v, d, NULL);
	g_assert_nonnull(strstr(d, "\nsubject env\n"));
	g_free(v);
	g_free(d);
	g_string_free(m, TRUE);
}

/* Random base64-ish input: clean 76-column lines, or lines with junk,
 * '=' anywhere, bare CR and LF, 8-bit bytes. */
static void
b64_input(GRand *g, unsigned char *in, size_t len)
{
	static const char pool[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmno"
	    "pqrstuvwxyz0123456789+/====\r\n\r\n \t-*\x80\xff";
	int mode = g_rand_int_range(g, 0, 3);

	for (size_t i = 0; i < len; i++) {
		int any = g_rand_int_range(g, 0, sizeof pool - 1);
		int abc = g_rand_int_range(g, 0, 64);

		if (mode == 1)
			in[i] = i % 78 == 76 ? '\r' : i % 78 == 77 ? '\n' :
			    (unsigned char)pool[abc];
		else if (mode == 2 && g_rand_int_range(g, 0, 40) != 0)
			in[i] = (unsigned char)pool[abc];
		else
			in[i] = (unsigned char)pool[any];
	}
}

static void
test_base64(void)
{
	GRand *g = g_rand_new_with_seed(14);
	unsigned char *in = g_malloc(70000), *o1 = g_malloc(70004),
		      *o2 = g_malloc(70004);

	for (int t = 0; t < 20000; t++) {
		size_t len = (size_t)g_rand_int_range(g, 0, t < 200 ? 70000 :
						      300);
		size_t off = 0, n1 = 0, n2 = 0;
		int s1 = 0, s2 = 0;
		guint32 v1 = 0, v2 = 0;

		b64_input(g, in, len);
		do {
			size_t k = (size_t)(g_rand_int_range(g, 0, 5) == 0 ?
			    g_rand_int_range(g, 0, 9) :
			    g_rand_int_range(g, 0, 5000));

			k = MIN(k, len - off);
			n1 += g_mime_encoding_base64_decode_step(in + off, k,
			    o1 + n1, &s1, &v1);
			n2 += mime_b64_decode_step(in + off, k, o2 + n2, &s2,
						   &v2);
			g_assert_cmpint(s1, ==, s2);
			g_assert_cmpuint(v1, ==, v2);
			g_assert_cmpuint(n1, ==, n2);
			g_assert_true(memcmp(o1, o2, n1) == 0);
			off += k;
		} while (off < len);
	}
	g_free(in);
	g_free(o1);
	g_free(o2);
	g_rand_free(g);
}

/* The filter in a stream, as mime_part_stream() uses it, against GMime's
 * own base64 filter. */
static void
test_base64_filter(void)
{
	GRand *g = g_rand_new_with_seed(15);
	unsigned char *in = g_malloc(300000);

	for (int t = 0; t < 40; t++) {
		size_t len = (size_t)g_rand_int_range(g, 0, 300000);
		GByteArray *out[2];

		b64_input(g, in, len);
		for (int k = 0; k < 2; k++) {
			GMimeStream *m = g_mime_stream_mem_new_with_buffer(
			    (const char *)in, len);
			GMimeStream *f = g_mime_stream_filter_new(m);
			GMimeStream *o = g_mime_stream_mem_new();
			GByteArray *b;
			GMimeFilter *dec = k == 0 ? g_mime_filter_basic_new(
			    GMIME_CONTENT_ENCODING_BASE64, FALSE) :
			    mime_b64_filter_new();

			g_mime_stream_filter_add(GMIME_STREAM_FILTER(f), dec);
			g_assert_cmpint(g_mime_stream_write_to_stream(f, o),
					>=, 0);
			b = g_mime_stream_mem_get_byte_array(
			    GMIME_STREAM_MEM(o));
			out[k] = g_byte_array_new();
			g_byte_array_append(out[k], b->data, b->len);
			g_object_unref(dec);
			g_object_unref(o);
			g_object_unref(f);
			g_object_unref(m);
		}
		g_assert_cmpuint(out[0]->len, ==, out[1]->len);
		g_assert_true(out[0]->len == 0 || memcmp(out[0]->data,
			      out[1]->data, out[0]->len) == 0);
		g_byte_array_free(out[0], TRUE);
		g_byte_array_free(out[1], TRUE);
	}
	g_free(in);
	g_rand_free(g);
}

static gint
by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	const char *e;
	GDir *dir;

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
		char *t = g_strdup_printf("/onepass/fixture/%s",
		    (char *)g_ptr_array_index(names, i));

		g_test_add_data_func(t, g_ptr_array_index(names, i),
				     test_fixture);
		g_free(t);
	}
	g_test_add_func("/onepass/broken-late", test_broken_late);
	g_test_add_func("/onepass/seams", test_seams);
	g_test_add_func("/onepass/nul-and-envelope", test_nul_and_envelope);
	g_test_add_func("/onepass/base64", test_base64);
	g_test_add_func("/onepass/base64-filter", test_base64_filter);
	return g_test_run();
}
