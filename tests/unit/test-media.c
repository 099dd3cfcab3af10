/* test-media.c - media_scan: Exif GPS in JPEG/TIFF, MP4/QuickTime location,
 * dangerous names and contents.  Every input is built here, byte by byte,
 * and scanned whole, 1 byte at a time and in odd chunk sizes: the result
 * must not depend on how the caller cuts the stream.
 */
#include <math.h>
#include <string.h>

#include <gio/gio.h>
#include <glib.h>

#include "media.h"

typedef struct {
	gboolean has_gps;
	double lat, lon;
	char *danger;
} result;

static void
scan_chunked(const guint8 *p, size_t len, const char *ct, const char *name,
	     size_t chunk, result *r)
{
	media_scan *m = media_scan_new(ct, name);

	for (size_t i = 0; i < len; i += chunk)
		media_scan_feed(m, p + i, MIN(chunk, len - i));
	media_scan_feed(m, "", 0);
	media_scan_finish(m, &r->has_gps, &r->lat, &r->lon, &r->danger);
}

/* Scan with several chunkings; assert they agree; return the whole-buffer
 * result (caller frees r->danger). */
static void
scan(const GByteArray *b, const char *ct, const char *name, result *r)
{
	static const size_t chunks[] = { 1, 2, 3, 7, 13, 4096 };

	scan_chunked(b->data, b->len, ct, name, b->len ? b->len : 1, r);
	for (size_t i = 0; i < G_N_ELEMENTS(chunks); i++) {
		result o;

		scan_chunked(b->data, b->len, ct, name, chunks[i], &o);
		g_assert_cmpint(o.has_gps, ==, r->has_gps);
		g_assert_cmpfloat(o.lat, ==, r->lat);
		g_assert_cmpfloat(o.lon, ==, r->lon);
		g_assert_cmpstr(o.danger, ==, r->danger);
		g_free(o.danger);
	}
}

/* Every prefix of B must scan without crashing (run under ASan). */
static void
scan_prefixes(const GByteArray *b, const char *ct)
{
	for (guint n = 0; n <= b->len; n++) {
		media_scan *m = media_scan_new(ct, NULL);
		char *d = NULL;
		gboolean g;
		double la, lo;

		media_scan_feed(m, b->data, n);
		media_scan_finish(m, &g, &la, &lo, &d);
		g_free(d);
	}
}

static void
put(GByteArray *b, const void *p, size_t n)
{
	g_byte_array_append(b, p, (guint)n);
}

static void
put16(GByteArray *b, gboolean be, unsigned v)
{
	guint8 x[2];

	x[be ? 0 : 1] = (guint8)(v >> 8);
	x[be ? 1 : 0] = (guint8)v;
	put(b, x, 2);
}

static void
put32(GByteArray *b, gboolean be, guint32 v)
{
	guint8 x[4];

	for (int i = 0; i < 4; i++)
		x[be ? i : 3 - i] = (guint8)(v >> (24 - 8 * i));
	put(b, x, 4);
}

static void
entry(GByteArray *b, gboolean be, unsigned tag, unsigned type, guint32 count,
      guint32 value_or_offset, const char *inline_ascii)
{
	put16(b, be, tag);
	put16(b, be, type);
	put32(b, be, count);
	if (inline_ascii != NULL) {
		guint8 v[4] = { 0 };

		memcpy(v, inline_ascii, strlen(inline_ascii));
		put(b, v, 4);
	} else
		put32(b, be, value_or_offset);
}

/* A TIFF structure (Exif 2.32 4.5.2): IFD0 with only the GPS IFD pointer,
 * then a GPS IFD with the refs and DMS rationals.  WITH_GPS FALSE: IFD0
 * holds a Make tag instead. */
static GByteArray *
tiff_build(gboolean be, gboolean with_gps, const char *latref,
	   const guint32 lat[6], const char *lonref, const guint32 lon[6])
{
	GByteArray *b = g_byte_array_new();

	put(b, be ? "MM\0*" : "II*\0", 4);
	put32(b, be, 8);
	put16(b, be, 1);				/* IFD0 at 8 */
	if (with_gps)
		entry(b, be, 0x8825, 4, 1, 26, NULL);	/* GPS IFD at 26 */
	else
		entry(b, be, 0x010f, 2, 4, 0, "Cam");	/* Make */
	put32(b, be, 0);
	if (!with_gps)
		return b;
	put16(b, be, 4);				/* GPS IFD */
	entry(b, be, 0x0001, 2, 2, 0, latref);
	entry(b, be, 0x0002, 5, 3, 80, NULL);
	entry(b, be, 0x0003, 2, 2, 0, lonref);
	entry(b, be, 0x0004, 5, 3, 104, NULL);
	put32(b, be, 0);
	g_assert_cmpuint(b->len, ==, 80);
	for (int i = 0; i < 6; i++)
		put32(b, be, lat[i]);
	for (int i = 0; i < 6; i++)
		put32(b, be, lon[i]);
	return b;
}

/* SOI, JFIF APP0, APP1 Exif, a fake scan, EOI. */
static GByteArray *
jpeg_build(const GByteArray *tiff, size_t scan_bytes)
{
	static const guint8 app0[] = {
		0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1,
		0, 0
	};
	GByteArray *b = g_byte_array_new();

	put(b, "\xff\xd8", 2);
	put(b, app0, sizeof(app0));
	if (tiff != NULL) {
		put(b, "\xff\xe1", 2);
		put16(b, TRUE, 2 + 6 + tiff->len);
		put(b, "Exif\0\0", 6);
		put(b, tiff->data, tiff->len);
	}
	put(b, "\xff\xda\0\x08\x01\x01\x00\x00\x3f\x00", 10);
	for (size_t i = 0; i < scan_bytes; i++)
		put(b, "\x5a", 1);
	put(b, "\xff\xd9", 2);
	return b;
}

/* 21°2'35" N 105°51'43" E (Hà Nội), the second with a 1/100 s part. */
static const guint32 HN_LAT[6] = { 21, 1, 2, 1, 35, 1 };
static const guint32 HN_LON[6] = { 105, 1, 51, 1, 4300, 100 };

static void
test_jpeg_gps(void)
{
	for (int be = 0; be <= 1; be++) {
		GByteArray *t = tiff_build(be, TRUE, "N", HN_LAT, "E", HN_LON);
		GByteArray *j = jpeg_build(t, 100);
		result r;

		scan(j, "image/jpeg", "Ảnh hiện trường.jpg", &r);
		g_assert_true(r.has_gps);
		g_assert_cmpfloat_with_epsilon(r.lat, 21.043056, 1e-6);
		g_assert_cmpfloat_with_epsilon(r.lon, 105.861944, 1e-6);
		g_assert_null(r.danger);
		/* The type comes from the bytes, not the label. */
		scan(j, "application/octet-stream", NULL, &r);
		g_assert_true(r.has_gps);
		scan_prefixes(j, "image/jpeg");
		g_byte_array_free(t, TRUE);
		g_byte_array_free(j, TRUE);
	}
}

static void
test_jpeg_gps_south_west(void)
{
	static const guint32 lat[6] = { 33, 1, 52, 1, 0, 1 };
	/* 0/0 seconds: unknown, counted as 0 */
	static const guint32 lon[6] = { 151, 1, 12, 1, 0, 0 };
	GByteArray *t = tiff_build(TRUE, TRUE, "S", lat, "W", lon);
	GByteArray *j = jpeg_build(t, 10);
	result r;

	scan(j, NULL, NULL, &r);
	g_assert_true(r.has_gps);
	g_assert_cmpfloat_with_epsilon(r.lat, -(33 + 52 / 60.0), 1e-9);
	g_assert_cmpfloat_with_epsilon(r.lon, -(151 + 12 / 60.0), 1e-9);
	g_byte_array_free(t, TRUE);
	g_byte_array_free(j, TRUE);
}

static void
test_jpeg_no_gps(void)
{
	static const guint32 zero[6] = { 0, 1, 0, 1, 0, 1 };
	static const guint32 bad[6] = { 21, 0, 0, 1, 0, 1 };
	GByteArray *t1 = tiff_build(FALSE, FALSE, NULL, NULL, NULL, NULL);
	GByteArray *t2 = tiff_build(FALSE, TRUE, "N", zero, "E", zero);
	GByteArray *t3 = tiff_build(FALSE, TRUE, "N", bad, "E", HN_LON);
	GByteArray *j;
	result r;

	/* Exif without GPS, no Exif at all, a 0,0 "no fix" position, a
	 * zero denominator: none is a position. */
	j = jpeg_build(t1, 50);
	scan(j, "image/jpeg", "a.jpg", &r);
	g_assert_false(r.has_gps);
	g_assert_cmpfloat(r.lat, ==, 0);
	g_byte_array_free(j, TRUE);
	j = jpeg_build(NULL, 50);
	scan(j, "image/jpeg", "a.jpg", &r);
	g_assert_false(r.has_gps);
	g_byte_array_free(j, TRUE);
	j = jpeg_build(t2, 50);
	scan(j, "image/jpeg", "a.jpg", &r);
	g_assert_false(r.has_gps);
	g_byte_array_free(j, TRUE);
	j = jpeg_build(t3, 50);
	scan(j, "image/jpeg", "a.jpg", &r);
	g_assert_false(r.has_gps);
	scan_prefixes(j, "image/jpeg");
	g_byte_array_free(j, TRUE);
	g_byte_array_free(t1, TRUE);
	g_byte_array_free(t2, TRUE);
	g_byte_array_free(t3, TRUE);
}

/* A 3 MiB photo: the Exif at the start is found, the rest is not kept. */
static void
test_jpeg_large(void)
{
	GByteArray *t = tiff_build(FALSE, TRUE, "N", HN_LAT, "E", HN_LON);
	GByteArray *j = jpeg_build(t, 3 * 1024 * 1024);
	result r;

	scan_chunked(j->data, j->len, "image/jpeg", "big.jpg", 65536, &r);
	g_assert_true(r.has_gps);
	g_assert_cmpfloat_with_epsilon(r.lat, 21.043056, 1e-6);
	g_byte_array_free(t, TRUE);
	g_byte_array_free(j, TRUE);
}

/* A plain TIFF file carries its GPS IFD directly. */
static void
test_tiff_gps(void)
{
	GByteArray *t = tiff_build(TRUE, TRUE, "N", HN_LAT, "E", HN_LON);
	result r;

	scan(t, "image/tiff", "scan.tif", &r);
	g_assert_true(r.has_gps);
	g_assert_cmpfloat_with_epsilon(r.lon, 105.861944, 1e-6);
	g_byte_array_free(t, TRUE);
}

static void
box(GByteArray *b, const char *type, const void *payload, size_t n)
{
	put32(b, TRUE, (guint32)(8 + n));
	put(b, type, 4);
	put(b, payload, n);
}

static GByteArray *
udta_xyz(const char *iso)
{
	GByteArray *x = g_byte_array_new(), *u = g_byte_array_new();

	put16(x, TRUE, (unsigned)strlen(iso));
	put16(x, TRUE, 0x15c7);		/* language */
	put(x, iso, strlen(iso));
	box(u, "\xa9xyz", x->data, x->len);
	g_byte_array_free(x, TRUE);
	return u;
}

/* ftyp, a large mdat BEFORE moov (as phones write while recording), then
 * moov { mvhd, trak (skipped), udta or meta }. */
static GByteArray *
mp4_build(const char *brand, const char *moov_child, const GByteArray *c,
	  size_t mdat_bytes)
{
	GByteArray *b = g_byte_array_new(), *moov = g_byte_array_new();
	guint8 zero[108] = { 0 };
	guint8 *mdat = g_malloc0(mdat_bytes);

	put32(b, TRUE, 20);
	put(b, "ftyp", 4);
	put(b, brand, 4);
	put32(b, TRUE, 0);
	put(b, brand, 4);
	box(b, "mdat", mdat, mdat_bytes);
	box(moov, "mvhd", zero, sizeof(zero));
	box(moov, "trak", zero, 50);
	box(moov, moov_child, c->data, c->len);
	box(b, "moov", moov->data, moov->len);
	g_byte_array_free(moov, TRUE);
	g_free(mdat);
	return b;
}

static void
test_mp4_xyz(void)
{
	GByteArray *u = udta_xyz("+21.0285+105.8542/");
	GByteArray *v = mp4_build("isom", "udta", u, 1000);
	result r;

	scan(v, "video/mp4", "clip xe tải lật.mp4", &r);
	g_assert_true(r.has_gps);
	g_assert_cmpfloat_with_epsilon(r.lat, 21.0285, 1e-9);
	g_assert_cmpfloat_with_epsilon(r.lon, 105.8542, 1e-9);
	g_assert_null(r.danger);
	scan_prefixes(v, "video/mp4");
	g_byte_array_free(u, TRUE);
	g_byte_array_free(v, TRUE);
	/* Degrees-minutes form with altitude, and a 64-bit mdat size. */
	u = udta_xyz("-3351.20+15112.00+010.5/");
	v = mp4_build("qt  ", "udta", u, 10);
	scan(v, "video/quicktime", NULL, &r);
	g_assert_true(r.has_gps);
	g_assert_cmpfloat_with_epsilon(r.lat, -(33 + 51.2 / 60), 1e-9);
	g_assert_cmpfloat_with_epsilon(r.lon, 151 + 12 / 60.0, 1e-9);
	g_byte_array_free(u, TRUE);
	g_byte_array_free(v, TRUE);
}

/* udta may hold large thumbnails: its children are walked one by one, so
 * a location after a 300 KiB box is still found. */
static void
test_mp4_big_udta(void)
{
	GByteArray *u = g_byte_array_new(), *x = udta_xyz("+16.0544+108.2022/");
	GByteArray *v;
	guint8 *junk = g_malloc0(300 * 1024);
	result r;

	box(u, "THMB", junk, 300 * 1024);
	put(u, x->data, x->len);
	v = mp4_build("mp42", "udta", u, 100);
	scan_chunked(v->data, v->len, "video/mp4", "a.mp4", 4096, &r);
	g_assert_true(r.has_gps);
	g_assert_cmpfloat_with_epsilon(r.lat, 16.0544, 1e-9);
	scan_chunked(v->data, v->len, "video/mp4", "a.mp4", 1, &r);
	g_assert_true(r.has_gps);
	g_free(junk);
	g_byte_array_free(u, TRUE);
	g_byte_array_free(x, TRUE);
	g_byte_array_free(v, TRUE);
}

/* A 20 MiB video streamed in 64 KiB chunks: only box headers are read. */
static void
test_mp4_large(void)
{
	GByteArray *u = udta_xyz("+10.7769+106.7009/");
	GByteArray *v = mp4_build("mp42", "udta", u, 20 * 1024 * 1024);
	result r;

	scan_chunked(v->data, v->len, "video/mp4", "a.mp4", 65536, &r);
	g_assert_true(r.has_gps);
	g_assert_cmpfloat_with_epsilon(r.lat, 10.7769, 1e-9);
	g_byte_array_free(u, TRUE);
	g_byte_array_free(v, TRUE);
}

/* iPhone: moov/meta (no version/flags in QuickTime) with hdlr, keys and an
 * ilst item 2 -> com.apple.quicktime.location.ISO6709. */
static void
test_mov_keys(void)
{
	static const char *keys[] = {
		"com.apple.quicktime.make",
		"com.apple.quicktime.location.ISO6709",
	};
	static const char iso[] = "+37.3324-122.0303+023.456/";
	GByteArray *meta = g_byte_array_new(), *k = g_byte_array_new();
	GByteArray *ilst = g_byte_array_new(), *item = g_byte_array_new();
	GByteArray *data = g_byte_array_new(), *v;
	guint8 hdlr[25] = { 0 };
	result r;

	memcpy(hdlr + 8, "mdta", 4);
	box(meta, "hdlr", hdlr, sizeof(hdlr));
	put32(k, TRUE, 0);
	put32(k, TRUE, 2);
	for (int i = 0; i < 2; i++) {
		put32(k, TRUE, (guint32)(8 + strlen(keys[i])));
		put(k, "mdta", 4);
		put(k, keys[i], strlen(keys[i]));
	}
	box(meta, "keys", k->data, k->len);
	put32(data, TRUE, 1);		/* UTF-8 */
	put32(data, TRUE, 0);		/* locale */
	put(data, iso, strlen(iso));
	box(item, "data", data->data, data->len);
	g_byte_array_set_size(data, 0);
	put32(data, TRUE, 1);
	put32(data, TRUE, 0);
	put(data, "Apple", 5);
	box(ilst, "\0\0\0\1", NULL, 0);		/* empty item 1 */
	put32(ilst, TRUE, 8 + item->len);
	put32(ilst, TRUE, 2);
	put(ilst, item->data, item->len);
	box(meta, "ilst", ilst->data, ilst->len);
	v = mp4_build("qt  ", "meta", meta, 64);
	scan(v, "video/quicktime", "IMG_0001.MOV", &r);
	g_assert_true(r.has_gps);
	g_assert_cmpfloat_with_epsilon(r.lat, 37.3324, 1e-9);
	g_assert_cmpfloat_with_epsilon(r.lon, -122.0303, 1e-9);
	scan_prefixes(v, "video/quicktime");
	g_byte_array_free(v, TRUE);
	g_byte_array_free(meta, TRUE);
	g_byte_array_free(k, TRUE);
	g_byte_array_free(ilst, TRUE);
	g_byte_array_free(item, TRUE);
	g_byte_array_free(data, TRUE);
}

/* 3GPP 'loci' in udta: longitude then latitude, 16.16 fixed point. */
static void
test_3gp_loci(void)
{
	GByteArray *l = g_byte_array_new(), *u = g_byte_array_new(), *v;
	result r;

	put32(l, TRUE, 0);
	put16(l, TRUE, 0x15c7);
	put(l, "Hue\0", 4);
	put(l, "\0", 1);				/* role */
	put32(l, TRUE, (guint32)(gint32)(107.5906 * 65536));
	put32(l, TRUE, (guint32)(gint32)(16.4637 * 65536));
	put32(l, TRUE, 0);
	put(l, "\0\0", 2);
	box(u, "loci", l->data, l->len);
	v = mp4_build("3gp4", "udta", u, 30);
	scan(v, "video/3gpp", NULL, &r);
	g_assert_true(r.has_gps);
	g_assert_cmpfloat_with_epsilon(r.lat, 16.4637, 1e-4);
	g_assert_cmpfloat_with_epsilon(r.lon, 107.5906, 1e-4);
	g_byte_array_free(l, TRUE);
	g_byte_array_free(u, TRUE);
	g_byte_array_free(v, TRUE);
}

static void
test_mp4_no_location(void)
{
	GByteArray *u = udta_xyz("garbage");
	GByteArray *v = mp4_build("isom", "udta", u, 10);
	GByteArray *w = g_byte_array_new();
	result r;

	scan(v, "video/mp4", "a.mp4", &r);
	g_assert_false(r.has_gps);
	g_assert_null(r.danger);
	/* A box claiming more than its parent holds ends the walk quietly. */
	put32(w, TRUE, 16);
	put(w, "moov", 4);
	put32(w, TRUE, 0x7fffffff);
	put(w, "udta", 4);
	scan(w, "video/mp4", NULL, &r);
	g_assert_false(r.has_gps);
	g_byte_array_free(u, TRUE);
	g_byte_array_free(v, TRUE);
	g_byte_array_free(w, TRUE);
}

static void
check_name(const char *name, const char *ct, const char *want)
{
	GByteArray *b = g_byte_array_new();
	result r;

	put(b, "just some harmless bytes here....", 33);
	scan(b, ct, name, &r);
	if (want == NULL)
		g_assert_null(r.danger);
	else {
		if (r.danger == NULL || strstr(r.danger, want) == NULL)
			g_error("%s: danger '%s', want '%s'", name,
				r.danger ? r.danger : "(null)", want);
	}
	g_free(r.danger);
	g_byte_array_free(b, TRUE);
}

static void
test_names(void)
{
	check_name("hoa-don.pdf.exe", NULL, "double extension .pdf.exe");
	check_name("ảnh.jpg                  .exe", "image/jpeg",
		   "double extension .jpg.exe");
	check_name("Setup.EXE", NULL, "executable file name .exe");
	check_name("virus.exe. . ", NULL, "executable file name .exe");
	check_name("tai-lieu.scr", NULL, ".scr");
	check_name("run.bat", NULL, ".bat");
	check_name("a.vbs", NULL, ".vbs");
	check_name("x.js", NULL, ".js");
	check_name("bao-cao.hta", NULL, ".hta");
	check_name("shortcut.lnk", NULL, ".lnk");
	check_name("disk.iso", NULL, ".iso");
	check_name("tool.ps1", NULL, ".ps1");
	check_name("app.jar", NULL, ".jar");
	check_name("setup.msi", NULL, ".msi");
	check_name("anh\xe2\x80\xaegpj.exe", NULL, "right-to-left override");
	check_name("anh\xe2\x80\xaegpj.exe", NULL, "executable file name .exe");
	check_name("bao\xe2\x80\xae" "cod.txt", NULL, "right-to-left override");
	check_name("bao-cao.docm", NULL, "macro-enabled Office file .docm");
	check_name("bang-tinh.XLSM", NULL, "macro-enabled Office file .xlsm");
	check_name("slides.pptm", NULL, ".pptm");
	check_name("addin.xlam", NULL, ".xlam");
	check_name("tpl.dotm", NULL, ".dotm");
	check_name("a.bin", "application/x-msdownload",
		   "dangerous content type application/x-msdownload");
	check_name("a.bin", "Application/vnd.ms-word.document.macroEnabled.12;"
		   " name=a", "macroenabled");
	check_name("Ảnh hiện trường vụ cháy chợ lúc 22 giờ.jpg", "image/jpeg",
		   NULL);
	check_name("report.pdf", "application/pdf", NULL);
	check_name("archive.tar.gz", NULL, NULL);
	check_name("bao-cao.docx", NULL, NULL);
	check_name("noextension", NULL, NULL);
	check_name(".exe", NULL, ".exe");	/* Windows runs it */
	check_name("", NULL, NULL);
	check_name(NULL, NULL, NULL);
	check_name("v1.2.3", NULL, NULL);
	check_name("bad\xff utf8.exe", NULL, ".exe");
}

static void
check_bytes(const void *p, size_t n, const char *name, const char *want)
{
	GByteArray *b = g_byte_array_new();
	result r;

	put(b, p, n);
	scan(b, NULL, name, &r);
	if (want == NULL)
		g_assert_null(r.danger);
	else if (r.danger == NULL || strstr(r.danger, want) == NULL)
		g_error("content %s: danger '%s', want '%s'", name,
			r.danger ? r.danger : "(null)", want);
	g_free(r.danger);
	scan_prefixes(b, NULL);
	g_byte_array_free(b, TRUE);
}

static void
test_magic(void)
{
	guint8 mz[128] = { 'M', 'Z' }, elf[64] = { 0x7f, 'E', 'L', 'F', 2 };
	guint8 ole[600] = { 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1 };
	static const char vba[] = "_\0V\0B\0A\0_\0P\0R\0O\0J\0E\0C\0T\0";
	GString *zip = g_string_new(NULL);

	check_bytes(mz, sizeof(mz), "invoice.pdf", "MZ header");
	check_bytes("MZ", 2, "note.txt", NULL);
	check_bytes(elf, sizeof(elf), "photo.jpg", "ELF header");
	check_bytes("#!/bin/sh\nrm -rf ~\n", 19, "readme.txt", "#!");
	check_bytes("\xca\xfe\xba\xbe\0\0\0\x34", 8, "a", "Mach-O");
	check_bytes("L\0\0\0\1\x14\2\0\0\0\0\0\xc0\0\0\0\0\0\0F", 20, "x",
		    "shortcut");
	/* OOXML with a VBA project under a harmless .docx name. */
	g_string_append_len(zip, "PK\3\4\x14\0\0\0\x08\0", 10);
	for (int i = 0; i < 500; i++)
		g_string_append_c(zip, (char)(i * 7));
	g_string_append_len(zip, "PK\3\4\x14\0\0\0\0\0", 10);
	g_string_append(zip, "word/vbaProject.bin");
	g_string_append_len(zip, "\0\0\0\0", 4);
	check_bytes(zip->str, zip->len, "bao-cao.docx", "macros");
	g_string_truncate(zip, 510);
	check_bytes(zip->str, zip->len, "bao-cao.docx", NULL);
	/* OLE2 .doc with a VBA storage. */
	memcpy(ole + 400, vba, 24);
	check_bytes(ole, sizeof(ole), "bao-cao.doc", "VBA macro project");
	memset(ole + 400, 0, 24);
	check_bytes(ole, sizeof(ole), "bao-cao.doc", NULL);
	/* Several reasons are joined. */
	check_bytes(mz, sizeof(mz), "a.pdf.exe", "disguised as .pdf; "
		    "Windows executable (MZ header)");
	g_string_free(zip, TRUE);
}

/* A zip entry: local header, stored data, and (CENTRAL) only the central
 * directory record instead (APPNOTE.TXT 4.3.7, 4.3.12). */
static void
zip_entry(GString *z, const char *name, gboolean central)
{
	guint8 h[46] = { 0 };
	size_t n = strlen(name), fixed = central ? 46 : 30;

	memcpy(h, central ? "PK\1\2" : "PK\3\4", 4);
	h[central ? 28 : 26] = (guint8)n;
	h[central ? 29 : 27] = (guint8)(n >> 8);
	g_string_append_len(z, (const char *)h, (gssize)fixed);
	g_string_append(z, name);
	if (!central)
		g_string_append(z, "data");
}

static void
test_zip_names(void)
{
	GString *z = g_string_new(NULL);

	zip_entry(z, "readme.txt", FALSE);
	g_string_append(z, "PPPKP");		/* near-signatures in data */
	zip_entry(z, "hoa-don.pdf.exe", FALSE);
	check_bytes(z->str, z->len, "hoa-don.zip", "archive holds an "
		    "executable: hoa-don.pdf.exe");
	/* Only the central directory names it (streamed zips). */
	g_string_truncate(z, 0);
	zip_entry(z, "a.txt", FALSE);
	zip_entry(z, "a.txt", TRUE);
	zip_entry(z, "Thanh toan.js", TRUE);
	check_bytes(z->str, z->len, "x.zip", "executable: Thanh toan.js");
	/* Scripts in folders: zipped web pages, e-books. */
	g_string_truncate(z, 0);
	zip_entry(z, "mimetype", FALSE);
	zip_entry(z, "OEBPS/js/reader.js", FALSE);
	zip_entry(z, "OEBPS/js/reader.js", TRUE);
	check_bytes(z->str, z->len, "sach.epub", NULL);
	g_string_free(z, TRUE);
}

/* A zip entry whose data is NAME's deflated DATA (APPNOTE 4.4.5 method
 * 8), sizes in the local header; FLAGS8 instead puts them in a data
 * descriptor after the data (bit 3), as streaming zippers do. */
static void
zip_deflated(GString *z, const char *name, const GString *data,
	     gboolean flags8)
{
	GConverter *c = G_CONVERTER(g_zlib_compressor_new(
	    G_ZLIB_COMPRESSOR_FORMAT_RAW, 6));
	guint8 out[65536], h[30] = { 0 };
	gsize r = 0, w = 0;
	size_t n = strlen(name);

	g_assert_cmpint(g_converter_convert(c, data->str, data->len, out,
	    sizeof out, G_CONVERTER_INPUT_AT_END, &r, &w, NULL), ==,
	    G_CONVERTER_FINISHED);
	g_object_unref(c);
	memcpy(h, "PK\3\4", 4);
	h[6] = flags8 ? 8 : 0;
	h[8] = 8;
	if (!flags8) {
		h[18] = (guint8)w;
		h[19] = (guint8)(w >> 8);
		h[22] = (guint8)data->len;
		h[23] = (guint8)(data->len >> 8);
	}
	h[26] = (guint8)n;
	g_string_append_len(z, (const char *)h, 30);
	g_string_append(z, name);
	g_string_append_len(z, (const char *)out, (gssize)w);
	if (flags8)
		g_string_append_len(z, "PK\7\x08" "crc0csizusiz", 16);
}

/* QA F22: the last path component counts, wherever it sits; ".." and
 * absolute entries are dangerous; a deflated inner zip is looked into. */
static void
test_zip_folders(void)
{
	GString *z = g_string_new(NULL), *inner = g_string_new(NULL);
	GString *mid = g_string_new(NULL);

	zip_entry(z, "Hoa_don/", FALSE);
	zip_entry(z, "Hoa_don/Hoa_don.pdf.exe", FALSE);
	check_bytes(z->str, z->len, "Hoa_don.zip", "archive holds an "
		    "executable: Hoa_don/Hoa_don.pdf.exe");
	g_string_truncate(z, 0);
	zip_entry(z, "index.html", FALSE);	/* a zip starts PK\3\4 */
	zip_entry(z, "site\\js\\thanh-toan.pdf.js", TRUE);
	check_bytes(z->str, z->len, "x.zip", "executable: site/js/"
		    "thanh-toan.pdf.js");
	g_string_truncate(z, 0);
	zip_entry(z, "index.html", FALSE);
	zip_entry(z, "a/b/setup.msi", TRUE);
	check_bytes(z->str, z->len, "x.zip", "executable: a/b/setup.msi");
	g_string_truncate(z, 0);
	zip_entry(z, "docs/../../evil.txt", FALSE);
	check_bytes(z->str, z->len, "x.zip", "path leaves the folder it is "
		    "extracted to: docs/../../evil.txt");
	g_string_truncate(z, 0);
	zip_entry(z, "/etc/cron.d/x", FALSE);
	check_bytes(z->str, z->len, "x.zip", "leaves the folder");
	g_string_truncate(z, 0);
	zip_entry(z, "tai-lieu/bao-cao..pdf", FALSE);
	zip_entry(z, "tai-lieu/anh.jpg", TRUE);
	zip_entry(z, "web/js/app.js", TRUE);
	check_bytes(z->str, z->len, "x.zip", NULL);

	/* outer.zip { ok.txt, mid.zip (deflated) { inner.zip (deflated,
	 * data descriptor) { docs/setup.exe } } } */
	zip_entry(inner, "docs/setup.exe", FALSE);
	g_string_append_len(inner, "MZ", 2);
	for (int i = 0; i < 2000; i++)
		g_string_append(inner, "padding ");
	zip_deflated(mid, "inner.zip", inner, TRUE);
	g_string_truncate(z, 0);
	zip_entry(z, "ok.txt", FALSE);
	zip_deflated(z, "mid.zip", mid, FALSE);
	zip_entry(z, "after.txt", FALSE);
	check_bytes(z->str, z->len, "outer.zip", "archive holds an "
		    "executable: mid.zip/inner.zip/docs/setup.exe");
	/* A harmless inner zip, then an executable after it: the walk
	 * goes on after the inner zip ends. */
	g_string_truncate(mid, 0);
	g_string_truncate(inner, 0);
	zip_entry(inner, "ok.txt", FALSE);
	zip_deflated(mid, "safe.zip", inner, FALSE);
	zip_entry(mid, "run.bat", FALSE);
	check_bytes(mid->str, mid->len, "x.zip", "executable: run.bat");
	g_string_free(z, TRUE);
	g_string_free(inner, TRUE);
	g_string_free(mid, TRUE);
}

/* Facts, whole and in chunks: the same answer either way. */
static void
facts_scan(const GByteArray *b, media_facts *f, result *r)
{
	static const size_t chunks[] = { 1, 7, 4096 };

	for (size_t i = 0; i <= G_N_ELEMENTS(chunks); i++) {
		size_t chunk = i < G_N_ELEMENTS(chunks) ? chunks[i] :
		    MAX(b->len, 1u);
		media_scan *m = media_scan_new(NULL, NULL);
		media_facts g = { 0 };
		result o = { 0 };

		for (size_t k = 0; k < b->len; k += chunk)
			media_scan_feed(m, b->data + k, MIN(chunk, b->len - k));
		media_scan_finish_facts(m, &g, &o.has_gps, &o.lat, &o.lon,
					&o.danger);
		if (i > 0) {
			g_assert_cmpstr(g.format, ==, f->format);
			g_assert_cmpstr(g.taken, ==, f->taken);
			g_assert_cmpstr(g.make, ==, f->make);
			g_assert_cmpuint(g.width, ==, f->width);
			g_assert_cmpint(g.orientation, ==, f->orientation);
			g_assert_cmpint(o.has_gps, ==, r->has_gps);
			g_assert_cmpfloat(o.lat, ==, r->lat);
			media_facts_clear(f);
			g_free(r->danger);
		}
		*f = g;
		*r = o;
	}
}

/* A JPEG with an XMP APP1 whose rdf:Description has BODY inside it and
 * ATTRS on it. */
static GByteArray *
xmp_jpeg(const char *attrs, const char *body)
{
	GByteArray *b = g_byte_array_new();
	char *x = g_strdup_printf("http://ns.adobe.com/xap/1.0/%c<?xpacket "
	    "begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta "
	    "xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3."
	    "org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"\" "
	    "xmlns:exif=\"http://ns.adobe.com/exif/1.0/\" xmlns:tiff=\"http:"
	    "//ns.adobe.com/tiff/1.0/\" %s>%s</rdf:Description></rdf:RDF>"
	    "</x:xmpmeta><?xpacket end=\"w\"?>", 0, attrs, body);
	size_t n = 29 + strlen(x + 29);

	put(b, "\xff\xd8\xff\xe1", 4);
	put16(b, TRUE, (unsigned)(n + 2));
	put(b, x, n);
	put(b, "\xff\xc0\0\x0b\x08\0\x10\0\x20\x01\x01\x11\0", 13);
	put(b, "\xff\xda\0\x08\x01\x01\x00\x00\x3f\x00\x0f\xff\xd9", 13);
	g_free(x);
	return b;
}

/* QA F25: positions in XMP (XMP part 2 GPSCoordinate) are found. */
static void
test_xmp_gps(void)
{
	static const struct {
		const char *attrs, *body;
		gboolean gps;
		double lat, lon;
	} c[] = {
		{ "exif:GPSLatitude=\"16,3.264N\" exif:GPSLongitude="
		  "\"108,12.132E\"", "", TRUE, 16.0544, 108.2022 },
		{ "", "<exif:GPSLatitude>33,52,12S</exif:GPSLatitude>"
		  "<exif:GPSLongitude>151,12,36W</exif:GPSLongitude>", TRUE,
		  -33.87, -151.21 },
		{ "exif:GPSLatitude=\"21.0285\" exif:GPSLongitude="
		  "\"-105.5\"", "", TRUE, 21.0285, -105.5 },
		/* no hemisphere letter on a DMS value; out of range;
		 * another namespace */
		{ "exif:GPSLatitude=\"16,3.264\" exif:GPSLongitude="
		  "\"108,12.132E\"", "", FALSE, 0, 0 },
		{ "exif:GPSLatitude=\"96,3.264N\" exif:GPSLongitude="
		  "\"108,12.132E\"", "", FALSE, 0, 0 },
		{ "tiff:GPSLatitude=\"16,3.264N\" tiff:GPSLongitude="
		  "\"108,12.132E\"", "", FALSE, 0, 0 },
		{ "exif:GPSLatitude=\"16,3.264N\"", "", FALSE, 0, 0 },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(c); i++) {
		GByteArray *j = xmp_jpeg(c[i].attrs, c[i].body);
		media_facts f = { 0 };
		result r;

		facts_scan(j, &f, &r);
		g_assert_cmpint(r.has_gps, ==, c[i].gps);
		g_assert_cmpfloat_with_epsilon(r.lat, c[i].lat, 1e-9);
		g_assert_cmpfloat_with_epsilon(r.lon, c[i].lon, 1e-9);
		g_assert_cmpstr(f.gps_source, ==, c[i].gps ? "xmp" : NULL);
		g_assert_cmpstr(f.format, ==, "JPEG");
		g_assert_cmpuint(f.width, ==, 32);
		g_assert_cmpuint(f.height, ==, 16);
		scan_prefixes(j, NULL);
		media_facts_clear(&f);
		g_free(r.danger);
		g_byte_array_free(j, TRUE);
	}
}

/* Outside JPEG the packet is found by scanning (XMP part 3): a PNG iTXt
 * "XML:com.adobe.xmp" chunk, a HEIF file. */
static void
test_xmp_elsewhere(void)
{
	GByteArray *j = xmp_jpeg("exif:GPSLatitude=\"10,46.5N\" "
				 "exif:GPSLongitude=\"106,42.1E\"", "");
	const guint8 *x = memmem(j->data, j->len, "<?xpacket", 9);
	size_t n = j->len - 26 - (size_t)(x - j->data);
	GByteArray *p = g_byte_array_new(), *h = g_byte_array_new();
	media_facts f = { 0 };
	result r;

	put(p, "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x02\0\0\0\x03"
	    "\x08\0\0\0\0crc!", 33);
	put32(p, TRUE, (guint32)(22 + n));
	put(p, "iTXtXML:com.adobe.xmp\0\0\0\0\0", 26);
	put(p, x, n);
	put(p, "crc!", 4);
	facts_scan(p, &f, &r);
	g_assert_true(r.has_gps);
	g_assert_cmpfloat_with_epsilon(r.lat, 10.775, 1e-9);
	g_assert_cmpstr(f.gps_source, ==, "xmp");
	g_assert_cmpuint(f.width, ==, 2);
	media_facts_clear(&f);
	put(h, "\0\0\0\x14" "ftypheic\0\0\0\0heic", 20);
	box(h, "mdat", x, n);
	facts_scan(h, &f, &r);
	g_assert_true(r.has_gps);
	g_assert_cmpstr(f.format, ==, "HEIF");
	media_facts_clear(&f);
	g_byte_array_free(j, TRUE);
	g_byte_array_free(p, TRUE);
	g_byte_array_free(h, TRUE);
}

/* XMP with a DTD is not parsed (no entity expansion), nor one bigger
 * than MEDIA_XMP_MAX; facts from XMP fill what Exif left. */
static void
test_xmp_limits(void)
{
	GString *big = g_string_new(NULL);
	GByteArray *j;
	media_facts f = { 0 };
	result r;

	j = xmp_jpeg("exif:GPSLatitude=\"16,3.264N\" exif:GPSLongitude="
		     "\"108,12.132E\" tiff:Make=\"&amp;Cam\"",
		     "<tiff:Model>X</tiff:Model><tiff:Orientation>8"
		     "</tiff:Orientation><exif:DateTimeOriginal>2024-05-01T09:"
		     "30:00.25Z</exif:DateTimeOriginal>");
	facts_scan(j, &f, &r);
	g_assert_true(r.has_gps);
	g_assert_cmpstr(f.make, ==, "&Cam");
	g_assert_cmpstr(f.model, ==, "X");
	g_assert_cmpint(f.orientation, ==, 8);
	g_assert_cmpstr(f.taken, ==, "2024-05-01T09:30:00Z");
	media_facts_clear(&f);
	g_byte_array_free(j, TRUE);
	j = xmp_jpeg("exif:GPSLatitude=\"16,3.264N\" exif:GPSLongitude="
		     "\"108,12.132E\"", "<!DOCTYPE x [<!ENTITY a \"b\">]>");
	facts_scan(j, &f, &r);
	g_assert_false(r.has_gps);
	media_facts_clear(&f);
	g_byte_array_free(j, TRUE);
	for (int i = 0; i < MEDIA_XMP_MAX / 8; i++)
		g_string_append(big, "<a:b/>  ");
	j = xmp_jpeg("exif:GPSLatitude=\"16,3.264N\" exif:GPSLongitude="
		     "\"108,12.132E\"", big->str);
	facts_scan(j, &f, &r);
	g_assert_false(r.has_gps);
	media_facts_clear(&f);
	g_byte_array_free(j, TRUE);
	g_string_free(big, TRUE);
}

/* Exif facts of a JPEG; a PNG's IHDR and eXIf; an MP4's mvhd/tkhd. */
static void
test_facts(void)
{
	GByteArray *t = tiff_build(TRUE, FALSE, NULL, NULL, NULL, NULL);
	GByteArray *j = jpeg_build(t, 10), *p = g_byte_array_new(), *v;
	GByteArray *mv = g_byte_array_new();
	guint8 hdr[108] = { 0 };
	media_facts f = { 0 };
	result r;

	facts_scan(j, &f, &r);
	g_assert_cmpstr(f.format, ==, "JPEG");
	g_assert_cmpstr(f.make, ==, "Cam");
	g_assert_null(f.taken);
	g_assert_cmpuint(f.width, ==, 0);	/* the fake scan has no SOF */
	media_facts_clear(&f);
	/* PNG: signature, IHDR 640x480, an eXIf chunk */
	put(p, "\x89PNG\r\n\x1a\n", 8);
	put32(p, TRUE, 13);
	put(p, "IHDR", 4);
	put32(p, TRUE, 640);
	put32(p, TRUE, 480);
	put(p, "\x08\x02\0\0\0crc!", 9);
	put32(p, TRUE, t->len);
	put(p, "eXIf", 4);
	put(p, t->data, t->len);
	facts_scan(p, &f, &r);
	g_assert_cmpstr(f.format, ==, "PNG");
	g_assert_cmpuint(f.width, ==, 640);
	g_assert_cmpuint(f.height, ==, 480);
	g_assert_cmpstr(f.make, ==, "Cam");
	media_facts_clear(&f);
	/* mvhd version 0: created 2024-06-08T07:03:11Z, 90000/s, 45 s */
	hdr[4] = 0xe2; hdr[5] = 0x89; hdr[6] = 0xb2; hdr[7] = 0xaf;
	hdr[12] = 0x00; hdr[13] = 0x01; hdr[14] = 0x5f; hdr[15] = 0x90;
	hdr[16] = 0x00; hdr[17] = 0x3d; hdr[18] = 0xcc; hdr[19] = 0x50;
	put(mv, hdr, sizeof hdr);
	/* after the builder's own all-zero mvhd, which says nothing */
	v = mp4_build("isom", "mvhd", mv, 100);
	facts_scan(v, &f, &r);
	g_assert_cmpstr(f.format, ==, "MP4");
	g_assert_cmpfloat_with_epsilon(f.duration, 45.0, 1e-9);
	g_assert_cmpstr(f.taken, ==, "2024-06-08T07:03:11Z");
	media_facts_clear(&f);
	g_byte_array_free(t, TRUE);
	g_byte_array_free(j, TRUE);
	g_byte_array_free(p, TRUE);
	g_byte_array_free(v, TRUE);
	g_byte_array_free(mv, TRUE);
}

/* Random bytes behind each magic number must never crash (ASan). */
static void
test_garbage(void)
{
	static const struct {
		const char *s;
		size_t n;
	} magic[] = {
		{ "\xff\xd8\xff", 3 }, { "II*\0", 4 }, { "MM\0*", 4 },
		{ "\x89PNG\r\n\x1a\n", 8 }, { "\0\0\0\x18" "ftyp", 8 },
		{ "\0\0\0\x01" "moov", 8 }, { "\0\0\0\0moov", 8 },
		{ "PK\3\4", 4 }, { "MZ", 2 },
		{ "\0\0\0\x18" "ftypheic", 12 },
		{ "PK\3\4\x14\0\0\0\x08\0", 10 },	/* deflated entry */
	};
	GRand *rnd = g_rand_new_with_seed(4711);

	for (size_t k = 0; k < G_N_ELEMENTS(magic); k++)
		for (int round = 0; round < 200; round++) {
			GByteArray *b = g_byte_array_new();
			guint n = (guint)g_rand_int_range(rnd, 0, 400);
			result r;

			put(b, magic[k].s, magic[k].n);
			for (guint i = 0; i < n; i++) {
				guint8 c = (guint8)g_rand_int_range(rnd, 0,
								   256);
				put(b, &c, 1);
			}
			scan(b, NULL, "x", &r);
			g_free(r.danger);
			g_byte_array_free(b, TRUE);
		}
	g_rand_free(rnd);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/media/jpeg-gps", test_jpeg_gps);
	g_test_add_func("/media/jpeg-gps-south-west", test_jpeg_gps_south_west);
	g_test_add_func("/media/jpeg-no-gps", test_jpeg_no_gps);
	g_test_add_func("/media/jpeg-large", test_jpeg_large);
	g_test_add_func("/media/tiff-gps", test_tiff_gps);
	g_test_add_func("/media/mp4-xyz", test_mp4_xyz);
	g_test_add_func("/media/mp4-large", test_mp4_large);
	g_test_add_func("/media/mp4-big-udta", test_mp4_big_udta);
	g_test_add_func("/media/mov-keys", test_mov_keys);
	g_test_add_func("/media/3gp-loci", test_3gp_loci);
	g_test_add_func("/media/mp4-no-location", test_mp4_no_location);
	g_test_add_func("/media/names", test_names);
	g_test_add_func("/media/magic", test_magic);
	g_test_add_func("/media/zip-names", test_zip_names);
	g_test_add_func("/media/zip-folders", test_zip_folders);
	g_test_add_func("/media/xmp-gps", test_xmp_gps);
	g_test_add_func("/media/xmp-elsewhere", test_xmp_elsewhere);
	g_test_add_func("/media/xmp-limits", test_xmp_limits);
	g_test_add_func("/media/facts", test_facts);
	g_test_add_func("/media/garbage", test_garbage);
	return g_test_run();
}
