/* media.c - GPS positions and dangerous content in attachment bytes (see
 * media.h).
 *
 * The first bytes decide the kind (magic numbers, not the sender's
 * Content-Type, which a reader's mailer or an attacker may get wrong).
 * Images keep a bounded prefix, parsed at the end with libexif; ISO base
 * media files (MP4, QuickTime, 3GP, HEIF) are walked box by box as they
 * stream past; Office containers are searched for their VBA storage names.
 */
#include <math.h>
#include <string.h>

#include <libexif/exif-data.h>

#include "media.h"

#define HEAD_LEN	16	/* bytes that decide the kind */
#define BMFF_DEPTH	4
#define PAT_MAX		32	/* longest searched pattern */
#define EXIF_TRIES	16	/* TIFF headers tried per image */

typedef enum {
	K_UNKNOWN = 0, K_JPEG, K_TIFF, K_PNG, K_WEBP, K_BMFF, K_ZIP, K_OLE2,
	K_MZ, K_ELF, K_MACHO, K_SCRIPT, K_LNK,
} media_kind;

/* ISO/IEC 14496-12 box walker state. */
typedef struct {
	guint64 pos;		/* bytes consumed so far */
	guint64 skip;		/* payload bytes still to skip */
	guint8 hdr[16];		/* box header being read */
	size_t hdr_len;
	guint64 end[BMFF_DEPTH];	/* end offsets of open containers */
	guint32 type[BMFF_DEPTH];	/* and their types */
	int depth;
	GByteArray *box;	/* moov/udta or moov/meta being kept */
	guint64 box_left;
	guint32 box_type;
	gboolean stop;		/* broken structure or position found */
} bmff_walk;

/* Streaming substring search over chunk boundaries. */
typedef struct {
	const char *pat;
	size_t len;
	gboolean found;
} pattern;

struct media_scan {
	char *content_type;	/* lower case, parameters cut */
	char *filename;
	guint8 head[HEAD_LEN];
	size_t head_len;
	gboolean decided;
	media_kind kind;
	guint64 total;
	GByteArray *prefix;	/* images: first MEDIA_JPEG_KEEP bytes */
	bmff_walk *bmff;	/* ISO base media files */
	pattern pats[3];	/* Office macro storage names */
	int npats;
	guint8 tail[PAT_MAX];	/* last bytes of the previous chunk */
	size_t tail_len;
	gboolean has_gps;
	double lat, lon;
};

/* Executable or script types Windows, macOS or Android run on a click;
 * ISO/IMG/VHD mount as drives and hide their content from mail scanners. */
static const char *const exec_ext[] = {
	"exe", "scr", "bat", "cmd", "com", "pif", "vbs", "vbe", "js", "jse",
	"wsf", "wsh", "msi", "msp", "jar", "ps1", "psm1", "lnk", "hta", "cpl",
	"reg", "iso", "img", "vhd", "vhdx", "scf", "chm", "msc", "apk", "dll",
	"appx", "msix", "application", "gadget", "inf", "url", NULL
};
/* Office Open XML types whose only purpose is to carry VBA macros. */
static const char *const macro_ext[] = {
	"docm", "dotm", "xlsm", "xltm", "xlam", "xlsb", "pptm", "potm",
	"ppam", "ppsm", "sldm", NULL
};
static const char *const exec_types[] = {
	"application/x-msdownload", "application/x-dosexec",
	"application/x-msdos-program", "application/x-executable",
	"application/vnd.microsoft.portable-executable",
	"application/x-ms-shortcut", "application/hta",
	"application/x-sh", "application/x-msi", "application/x-ms-installer",
	"application/vnd.android.package-archive",
	"application/java-archive", NULL
};

static const char ISO6709_KEY[] = "com.apple.quicktime.location.ISO6709";
/* "_VBA_PROJECT" in UTF-16LE, the stream every OLE2 VBA project has
 * (MS-OVBA 2.2.2); NUL bytes inside, hence the explicit length. */
static const char VBA_OLE[] = "_\0V\0B\0A\0_\0P\0R\0O\0J\0E\0C\0T\0";

static guint32
be32(const guint8 *p)
{
	return (guint32)p[0] << 24 | (guint32)p[1] << 16 |
	    (guint32)p[2] << 8 | p[3];
}

static guint64
be64(const guint8 *p)
{
	return (guint64)be32(p) << 32 | be32(p + 4);
}

static guint32
fourcc(const char *s)
{
	return be32((const guint8 *)s);
}

static gboolean
in_list(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return TRUE;
	return FALSE;
}

static void
set_position(media_scan *m, double lat, double lon)
{
	/* 0,0 is what cameras without a fix write; nobody sends tips from
	 * the Gulf of Guinea's null island. */
	if (m->has_gps || isnan(lat) || isnan(lon) || fabs(lat) > 90 ||
	    fabs(lon) > 180 || (lat == 0 && lon == 0))
		return;
	m->has_gps = TRUE;
	m->lat = lat;
	m->lon = lon;
}

/* ---- Exif (JPEG APP1, TIFF, PNG eXIf, WebP EXIF, HEIF Exif item) ---- */

/* One GPS coordinate: up to three RATIONALs degrees, minutes, seconds
 * (Exif 2.32 4.6.6); a 0 denominator is only allowed with a 0 numerator
 * (unknown part).  Returns NAN when unusable. */
static double
exif_coord(ExifData *ed, ExifTag tag, ExifTag ref_tag, char neg)
{
	ExifContent *gps = ed->ifd[EXIF_IFD_GPS];
	ExifEntry *e = exif_content_get_entry(gps, tag);
	ExifEntry *ref = exif_content_get_entry(gps, ref_tag);
	ExifByteOrder bo = exif_data_get_byte_order(ed);
	double v = 0, scale = 1;

	if (e == NULL || e->data == NULL || e->components < 1 ||
	    (e->format != EXIF_FORMAT_RATIONAL &&
	     e->format != EXIF_FORMAT_SRATIONAL) ||
	    e->size < e->components * 8)
		return NAN;
	for (unsigned long i = 0; i < e->components && i < 3; i++) {
		double num, den;

		if (e->format == EXIF_FORMAT_RATIONAL) {
			ExifRational r = exif_get_rational(e->data + 8 * i,
							   bo);
			num = r.numerator;
			den = r.denominator;
		} else {
			ExifSRational r = exif_get_srational(e->data + 8 * i,
							     bo);
			num = r.numerator;
			den = r.denominator;
		}
		if (den == 0) {
			if (num != 0 || i == 0)
				return NAN;
		} else
			v += num / den / scale;
		scale *= 60;
	}
	if (ref != NULL && ref->data != NULL && ref->size >= 1 &&
	    g_ascii_toupper(ref->data[0]) == neg)
		v = -v;
	return v;
}

/* BUF is "Exif\0\0" + a TIFF structure.  TRUE when a position was set. */
static gboolean
exif_scan(media_scan *m, const guint8 *buf, size_t len)
{
	ExifData *ed = exif_data_new();
	double lat, lon;

	if (ed == NULL)
		return FALSE;
	/* Read what is there: no "fixing" that invents mandatory tags. */
	exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
	exif_data_unset_option(ed, EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS);
	exif_data_load_data(ed, buf, (unsigned int)MIN(len, G_MAXUINT));
	lat = exif_coord(ed, EXIF_TAG_GPS_LATITUDE, EXIF_TAG_GPS_LATITUDE_REF,
			 'S');
	lon = exif_coord(ed, EXIF_TAG_GPS_LONGITUDE,
			 EXIF_TAG_GPS_LONGITUDE_REF, 'W');
	exif_data_unref(ed);
	set_position(m, lat, lon);
	return m->has_gps;
}

/* Walk JPEG marker segments (ITU T.81 B.1.1) up to the first scan and try
 * every APP1 that holds Exif. */
static void
jpeg_scan(media_scan *m, const guint8 *p, size_t len)
{
	size_t i = 2;

	while (i + 4 <= len && !m->has_gps) {
		guint8 marker;
		size_t seg, plen;

		if (p[i] != 0xff)
			return;
		marker = p[i + 1];
		if (marker == 0xff) {		/* fill byte */
			i++;
			continue;
		}
		if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
			i += 2;
			continue;
		}
		if (marker == 0xda || marker == 0xd9)
			return;
		seg = (size_t)p[i + 2] << 8 | p[i + 3];
		if (seg < 2)
			return;
		plen = MIN(seg - 2, len - (i + 4));
		if (marker == 0xe1 && plen > 6 &&
		    memcmp(p + i + 4, "Exif\0\0", 6) == 0)
			exif_scan(m, p + i + 4, plen);
		i += 2 + seg;
	}
}

/* Other containers: try each TIFF header ("II*\0", "MM\0*") in the kept
 * prefix, as libexif wants it, behind an "Exif\0\0" header. */
static void
tiff_search(media_scan *m, const guint8 *p, size_t len)
{
	int tries = 0;

	for (size_t i = 0; i + 8 <= len && tries < EXIF_TRIES &&
	    !m->has_gps; i++) {
		guint8 *copy;

		if (memcmp(p + i, "II*\0", 4) != 0 &&
		    memcmp(p + i, "MM\0*", 4) != 0)
			continue;
		tries++;
		if (i >= 6 && memcmp(p + i - 6, "Exif\0\0", 6) == 0) {
			exif_scan(m, p + i - 6, len - i + 6);
			continue;
		}
		copy = g_malloc(len - i + 6);
		memcpy(copy, "Exif\0\0", 6);
		memcpy(copy + 6, p + i, len - i);
		exif_scan(m, copy, len - i + 6);
		g_free(copy);
	}
}

/* ---- ISO 6709 and MP4/QuickTime metadata ---- */

/* One ISO 6709 Annex H number with sign: the count of integer digits says
 * whether it is degrees, DDMM or DDMMSS (DEGDIGITS for degrees: 2 for
 * latitude, 3 for longitude; fewer is tolerated).  Advances *sp. */
static double
iso6709_number(const char **sp, int degdigits)
{
	const char *s = *sp, *start;
	int sign, intdigits = 0;
	double v, deg, min, sec;
	char *end;

	if (*s != '+' && *s != '-')
		return NAN;
	sign = *s == '-' ? -1 : 1;
	start = ++s;
	while (g_ascii_isdigit(*s)) {
		s++;
		intdigits++;
	}
	if (intdigits == 0)
		return NAN;
	v = g_ascii_strtod(start, &end);
	if (end == start)
		return NAN;
	*sp = end;
	if (intdigits <= degdigits)
		return sign * v;
	if (intdigits == degdigits + 2) {		/* DDMM.MM */
		deg = floor(v / 100);
		min = v - deg * 100;
		return sign * (deg + min / 60);
	}
	if (intdigits == degdigits + 4) {		/* DDMMSS.SS */
		deg = floor(v / 10000);
		min = floor((v - deg * 10000) / 100);
		sec = v - deg * 10000 - min * 100;
		return sign * (deg + min / 60 + sec / 3600);
	}
	return NAN;
}

/* "+21.0285+105.8542/", "+37.3324-122.0303+023.456/", "+2101.71+10551.25/"
 * as written by Android, iPhones and older cameras. */
static void
iso6709_parse(media_scan *m, const guint8 *p, size_t len)
{
	char buf[80];
	const char *s = buf;
	double lat, lon;

	len = MIN(len, sizeof(buf) - 1);
	memcpy(buf, p, len);
	buf[len] = '\0';
	while (*s == ' ')
		s++;
	lat = iso6709_number(&s, 2);
	if (isnan(lat))
		return;
	lon = iso6709_number(&s, 3);
	set_position(m, lat, lon);
}

/* Call FN for every child box of P[0..LEN). */
typedef void (*box_fn)(media_scan *m, guint32 type, const guint8 *p,
		       size_t len, void *data);

static void
box_each(media_scan *m, const guint8 *p, size_t len, box_fn fn, void *data)
{
	size_t i = 0;

	while (i + 8 <= len) {
		guint64 size = be32(p + i);
		size_t hl = 8;

		if (size == 1) {
			if (i + 16 > len)
				return;
			size = be64(p + i + 8);
			hl = 16;
		} else if (size == 0)
			size = len - i;
		if (size < hl || size > len - i)
			return;
		fn(m, be32(p + i + 4), p + i + hl, (size_t)size - hl, data);
		i += (size_t)size;
	}
}

/* An ilst item's value: its 'data' box (type, locale, then the value). */
static void
data_box(media_scan *m, guint32 type, const guint8 *p, size_t len,
	 void *data)
{
	(void)data;
	if (type == fourcc("data") && len > 8)
		iso6709_parse(m, p + 8, len - 8);
}

typedef struct {
	GPtrArray *keys;	/* of char *, index 0 is key 1 */
	const guint8 *ilst;
	size_t ilst_len;
} meta_ctx;

static void
ilst_item(media_scan *m, guint32 type, const guint8 *p, size_t len,
	  void *data)
{
	meta_ctx *c = data;
	const char *key = NULL;

	if (type >= 1 && type <= c->keys->len)
		key = g_ptr_array_index(c->keys, type - 1);
	if (type == fourcc("\xa9xyz") ||
	    (key != NULL && strcmp(key, ISO6709_KEY) == 0))
		box_each(m, p, len, data_box, NULL);
}

/* keys (QuickTime File Format "Metadata Key Box"): version/flags, count,
 * then {size, namespace, name}. */
static void
keys_parse(meta_ctx *c, const guint8 *p, size_t len)
{
	size_t i = 8;

	if (len < 8)
		return;
	for (guint32 n = be32(p + 4); n > 0 && i + 8 <= len &&
	    c->keys->len < 1024; n--) {
		guint32 ks = be32(p + i);

		if (ks < 8 || ks > len - i)
			return;
		g_ptr_array_add(c->keys, g_strndup((const char *)p + i + 8,
						   ks - 8));
		i += ks;
	}
}

static void
meta_child(media_scan *m, guint32 type, const guint8 *p, size_t len,
	   void *data)
{
	meta_ctx *c = data;

	(void)m;
	if (type == fourcc("keys") && c->keys->len == 0)
		keys_parse(c, p, len);
	else if (type == fourcc("ilst")) {
		c->ilst = p;
		c->ilst_len = len;
	}
}

/* 'meta' is a full box in ISO BMFF but has no version/flags in QuickTime;
 * a child header right at the start says which. */
static void
meta_parse(media_scan *m, const guint8 *p, size_t len)
{
	meta_ctx c = { g_ptr_array_new_with_free_func(g_free), NULL, 0 };

	if (len >= 8 && memcmp(p + 4, "hdlr", 4) != 0 &&
	    memcmp(p + 4, "keys", 4) != 0 && memcmp(p + 4, "ilst", 4) != 0) {
		p += 4;
		len -= 4;
	}
	box_each(m, p, len, meta_child, &c);
	if (c.ilst != NULL)
		box_each(m, c.ilst, c.ilst_len, ilst_item, &c);
	g_ptr_array_free(c.keys, TRUE);
}

/* 3GPP TS 26.244 8.2.2 'loci': version/flags, language, name, role, then
 * longitude, latitude, altitude as signed 16.16 fixed point. */
static void
loci_parse(media_scan *m, const guint8 *p, size_t len)
{
	const guint8 *nul;
	size_t i;

	if (len < 6)
		return;
	nul = memchr(p + 6, '\0', len - 6);
	if (nul == NULL)
		return;
	i = (size_t)(nul - p) + 1 + 1;
	if (i + 8 > len)
		return;
	set_position(m, (gint32)be32(p + i + 4) / 65536.0,
		     (gint32)be32(p + i) / 65536.0);
}

static void
udta_child(media_scan *m, guint32 type, const guint8 *p, size_t len,
	   void *data)
{
	(void)data;
	if (type == fourcc("\xa9xyz")) {
		/* QuickTime user data text: length, language, string. */
		if (len >= 4 && (size_t)(p[0] << 8 | p[1]) <= len - 4)
			iso6709_parse(m, p + 4, (size_t)(p[0] << 8 | p[1]));
		else
			box_each(m, p, len, data_box, NULL);
	} else if (type == fourcc("loci"))
		loci_parse(m, p, len);
	else if (type == fourcc("meta"))
		meta_parse(m, p, len);
}

static void
bmff_box_done(media_scan *m, bmff_walk *b)
{
	udta_child(m, b->box_type, b->box->data, b->box->len, NULL);
	g_byte_array_free(b->box, TRUE);
	b->box = NULL;
	if (m->has_gps)
		b->stop = TRUE;
}

/* A complete box header in b->hdr: descend into moov and moov/udta, keep
 * the small boxes that can hold a location (moov/meta, moov/udta/\xa9xyz,
 * loci and meta), skip everything else (mdat may be gigabytes; udta may
 * hold large thumbnails). */
static void
bmff_header(media_scan *m, bmff_walk *b, size_t hl)
{
	guint64 size = be32(b->hdr), start = b->pos - hl, payload;
	guint32 type = be32(b->hdr + 4);
	guint32 parent = b->depth > 0 ? b->type[b->depth - 1] : 0;
	guint64 limit = b->depth > 0 ? b->end[b->depth - 1] : G_MAXUINT64;
	gboolean keep;

	if (size == 1)
		size = be64(b->hdr + 8);
	else if (size == 0)
		size = limit - start;
	if (size < hl || size > limit - start) {
		b->stop = TRUE;
		return;
	}
	payload = size - hl;
	keep = (parent == fourcc("moov") && type == fourcc("meta")) ||
	    (parent == fourcc("udta") && (type == fourcc("\xa9xyz") ||
	     type == fourcc("loci") || type == fourcc("meta")));
	if ((b->depth == 0 && type == fourcc("moov")) ||
	    (b->depth == 1 && parent == fourcc("moov") &&
	     type == fourcc("udta"))) {
		b->type[b->depth] = type;
		b->end[b->depth++] = start + size;
	} else if (keep && payload <= MEDIA_BOX_KEEP) {
		b->box = g_byte_array_sized_new((guint)payload);
		b->box_left = payload;
		b->box_type = type;
		if (payload == 0)
			bmff_box_done(m, b);
	} else
		b->skip = payload;
}

static void
bmff_feed(media_scan *m, const guint8 *p, size_t len)
{
	bmff_walk *b = m->bmff;

	while (len > 0 && !b->stop) {
		size_t n, need;

		if (b->skip > 0) {
			n = (size_t)MIN(b->skip, (guint64)len);
			b->skip -= n;
		} else if (b->box != NULL) {
			n = (size_t)MIN(b->box_left, (guint64)len);
			g_byte_array_append(b->box, p, (guint)n);
			b->box_left -= n;
		} else {
			while (b->depth > 0 && b->pos >= b->end[b->depth - 1])
				b->depth--;
			need = b->hdr_len >= 4 && be32(b->hdr) == 1 ? 16 : 8;
			n = MIN(need - b->hdr_len, len);
			memcpy(b->hdr + b->hdr_len, p, n);
			b->hdr_len += n;
		}
		b->pos += n;
		p += n;
		len -= n;
		if (b->box != NULL && b->box_left == 0)
			bmff_box_done(m, b);
		else if (b->box == NULL && b->skip == 0 && b->hdr_len >= 8 &&
		    (be32(b->hdr) != 1 || b->hdr_len == 16)) {
			size_t hl = b->hdr_len;

			b->hdr_len = 0;
			bmff_header(m, b, hl);
		}
	}
}

/* ---- kinds, patterns and names ---- */

static media_kind
kind_of(const guint8 *h, size_t n)
{
	if (n >= 3 && h[0] == 0xff && h[1] == 0xd8 && h[2] == 0xff)
		return K_JPEG;
	if (n >= 4 && (memcmp(h, "II*\0", 4) == 0 ||
	    memcmp(h, "MM\0*", 4) == 0))
		return K_TIFF;
	if (n >= 8 && memcmp(h, "\x89PNG\r\n\x1a\n", 8) == 0)
		return K_PNG;
	if (n >= 12 && memcmp(h, "RIFF", 4) == 0 &&
	    memcmp(h + 8, "WEBP", 4) == 0)
		return K_WEBP;
	if (n >= 8 && (memcmp(h + 4, "ftyp", 4) == 0 ||
	    memcmp(h + 4, "moov", 4) == 0 || memcmp(h + 4, "mdat", 4) == 0 ||
	    memcmp(h + 4, "wide", 4) == 0 || memcmp(h + 4, "free", 4) == 0 ||
	    memcmp(h + 4, "skip", 4) == 0 || memcmp(h + 4, "pnot", 4) == 0))
		return K_BMFF;
	if (n >= 4 && memcmp(h, "PK\3\4", 4) == 0)
		return K_ZIP;
	if (n >= 8 && memcmp(h, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0)
		return K_OLE2;
	if (n >= 2 && h[0] == 'M' && h[1] == 'Z')
		return K_MZ;
	if (n >= 4 && memcmp(h, "\x7f" "ELF", 4) == 0)
		return K_ELF;
	if (n >= 4 && (memcmp(h, "\xfe\xed\xfa\xce", 4) == 0 ||
	    memcmp(h, "\xfe\xed\xfa\xcf", 4) == 0 ||
	    memcmp(h, "\xce\xfa\xed\xfe", 4) == 0 ||
	    memcmp(h, "\xcf\xfa\xed\xfe", 4) == 0 ||
	    memcmp(h, "\xca\xfe\xba\xbe", 4) == 0))
		return K_MACHO;
	if (n >= 2 && h[0] == '#' && h[1] == '!')
		return K_SCRIPT;
	if (n >= 8 && memcmp(h, "L\0\0\0\1\x14\2\0", 8) == 0)
		return K_LNK;
	return K_UNKNOWN;
}

/* HEIF/AVIF still images keep Exif as an item, usually near the start. */
static gboolean
bmff_is_image(const guint8 *h, size_t n)
{
	static const char *const brands[] = {
		"heic", "heix", "heim", "heis", "mif1", "msf1", "avif", "avis",
		NULL
	};
	char brand[5];

	if (n < 12 || memcmp(h + 4, "ftyp", 4) != 0)
		return FALSE;
	memcpy(brand, h + 8, 4);
	brand[4] = '\0';
	return in_list(brands, brand);
}

static void
kind_decide(media_scan *m)
{
	m->decided = TRUE;
	m->kind = kind_of(m->head, m->head_len);
	switch (m->kind) {
	case K_JPEG: case K_TIFF: case K_PNG: case K_WEBP:
		m->prefix = g_byte_array_new();
		break;
	case K_BMFF:
		m->bmff = g_new0(bmff_walk, 1);
		if (bmff_is_image(m->head, m->head_len))
			m->prefix = g_byte_array_new();
		break;
	case K_ZIP:
		/* OOXML keeps macros in a part named vbaProject.bin (ECMA-376
		 * / MS-OFFMACRO); zip file names are stored uncompressed. */
		m->pats[m->npats++] = (pattern){ "vbaProject.bin", 14, 0 };
		m->pats[m->npats++] = (pattern){ "xl/macrosheets/", 15, 0 };
		break;
	case K_OLE2:
		m->pats[m->npats++] = (pattern){ VBA_OLE, 24, 0 };
		break;
	default:
		break;
	}
}

static void
pattern_feed(media_scan *m, const guint8 *p, size_t len)
{
	guint8 join[2 * PAT_MAX];
	size_t jn, keep;

	/* Matches that straddle the previous chunk: tail + head of this. */
	jn = m->tail_len;
	memcpy(join, m->tail, jn);
	keep = MIN(len, (size_t)PAT_MAX);
	memcpy(join + jn, p, keep);
	jn += keep;
	for (int i = 0; i < m->npats; i++) {
		pattern *pt = &m->pats[i];

		if (!pt->found && (memmem(join, jn, pt->pat, pt->len) != NULL ||
		    memmem(p, len, pt->pat, pt->len) != NULL))
			pt->found = TRUE;
	}
	if (len >= PAT_MAX) {
		memcpy(m->tail, p + len - PAT_MAX, PAT_MAX);
		m->tail_len = PAT_MAX;
	} else {
		keep = MIN(jn, (size_t)PAT_MAX);
		memmove(m->tail, join + jn - keep, keep);
		m->tail_len = keep;
	}
}

static void
kind_feed(media_scan *m, const guint8 *p, size_t len)
{
	if (m->prefix != NULL && m->prefix->len < MEDIA_JPEG_KEEP)
		g_byte_array_append(m->prefix, p, (guint)MIN(len,
		    (size_t)(MEDIA_JPEG_KEEP - m->prefix->len)));
	if (m->bmff != NULL)
		bmff_feed(m, p, len);
	if (m->npats > 0)
		pattern_feed(m, p, len);
}

void
media_scan_feed(media_scan *m, const void *buf, size_t len)
{
	const guint8 *p = buf;
	size_t n;

	m->total += len;
	if (!m->decided) {
		n = MIN(len, HEAD_LEN - m->head_len);
		memcpy(m->head + m->head_len, p, n);
		m->head_len += n;
		p += n;
		len -= n;
		if (m->head_len < HEAD_LEN)
			return;
		kind_decide(m);
		kind_feed(m, m->head, m->head_len);
	}
	if (len > 0)
		kind_feed(m, p, len);
}

media_scan *
media_scan_new(const char *content_type, const char *filename)
{
	media_scan *m = g_new0(media_scan, 1);

	if (content_type != NULL) {
		m->content_type = g_ascii_strdown(content_type, -1);
		m->content_type[strcspn(m->content_type, "; \t")] = '\0';
	}
	if (filename != NULL)
		m->filename = g_utf8_make_valid(filename, -1);
	return m;
}

static gboolean
is_hidden_char(gunichar c)
{
	/* bidi embeddings, overrides, isolates, marks; zero-width chars */
	return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
	    c == 0x200e || c == 0x200f || c == 0x061c ||
	    (c >= 0x200b && c <= 0x200d) || c == 0xfeff;
}

/* Last extension of NAME (lower case, new string) after dropping trailing
 * dots and spaces (Windows does), or NULL.  *STEM_END: where the dot is. */
static char *
name_ext(const char *name, size_t *stem_end)
{
	size_t n = strlen(name);
	const char *dot;

	while (n > 0 && (name[n - 1] == '.' || g_ascii_isspace(name[n - 1])))
		n--;
	dot = g_strrstr_len(name, (gssize)n, ".");
	if (dot == NULL || (size_t)(dot - name) + 1 >= n ||
	    n - (size_t)(dot - name) > 12)
		return NULL;
	*stem_end = (size_t)(dot - name);
	return g_ascii_strdown(dot + 1, (gssize)(n - *stem_end - 1));
}

static void
name_check(const char *filename, GPtrArray *why)
{
	GString *clean = g_string_new(NULL);
	char *ext = NULL, *prev = NULL;
	gboolean hidden = FALSE, rlo = FALSE;
	size_t stem, pstem;

	for (const char *s = filename; *s != '\0'; s = g_utf8_next_char(s)) {
		gunichar c = g_utf8_get_char(s);

		if (c == 0x202e)
			rlo = TRUE;
		if (is_hidden_char(c))
			hidden = TRUE;
		else if (g_unichar_isspace(c))
			g_string_append_c(clean, ' ');
		else
			g_string_append_unichar(clean, c);
	}
	if (rlo)
		g_ptr_array_add(why, g_strdup("right-to-left override (U+202E) "
		    "in file name: the extension shown is not the real one"));
	else if (hidden)
		g_ptr_array_add(why, g_strdup("invisible direction or "
		    "zero-width characters in file name"));
	ext = name_ext(clean->str, &stem);
	if (ext == NULL)
		goto out;
	if (in_list(macro_ext, ext))
		g_ptr_array_add(why, g_strdup_printf("macro-enabled Office "
		    "file .%s", ext));
	if (!in_list(exec_ext, ext))
		goto out;
	g_string_truncate(clean, stem);
	prev = name_ext(clean->str, &pstem);
	if (prev != NULL && strlen(prev) <= 5 && !in_list(exec_ext, prev))
		g_ptr_array_add(why, g_strdup_printf("double extension .%s.%s: "
		    "an executable disguised as .%s", prev, ext, prev));
	else
		g_ptr_array_add(why, g_strdup_printf("executable file name "
		    ".%s", ext));
out:
	g_free(ext);
	g_free(prev);
	g_string_free(clean, TRUE);
}

static void
content_check(media_scan *m, GPtrArray *why)
{
	static const char *const what[] = {
		[K_MZ] = "Windows executable (MZ header)",
		[K_ELF] = "Linux/Android executable (ELF header)",
		[K_MACHO] = "macOS executable or Java class (Mach-O/CAFEBABE)",
		[K_SCRIPT] = "script (starts with #!)",
		[K_LNK] = "Windows shortcut (.lnk header)",
	};

	if (m->kind >= K_MZ && m->kind <= K_LNK &&
	    !(m->kind == K_MZ && m->total < 64))
		g_ptr_array_add(why, g_strdup(what[m->kind]));
	for (int i = 0; i < m->npats; i++)
		if (m->pats[i].found) {
			g_ptr_array_add(why, g_strdup(m->kind == K_ZIP ?
			    "Office document with macros (vbaProject.bin or "
			    "Excel 4 macro sheets inside)" :
			    "Office document with a VBA macro project"));
			break;
		}
	if (m->content_type != NULL && (in_list(exec_types, m->content_type) ||
	    strstr(m->content_type, "macroenabled") != NULL))
		g_ptr_array_add(why, g_strdup_printf("dangerous content type "
		    "%s", m->content_type));
}

void
media_scan_finish(media_scan *m, gboolean *has_gps, double *lat, double *lon,
		  char **danger)
{
	GPtrArray *why = g_ptr_array_new_with_free_func(g_free);

	if (!m->decided) {
		kind_decide(m);
		kind_feed(m, m->head, m->head_len);
	}
	if (m->prefix != NULL) {
		if (m->kind == K_JPEG)
			jpeg_scan(m, m->prefix->data, m->prefix->len);
		if (!m->has_gps)
			tiff_search(m, m->prefix->data, m->prefix->len);
	}
	if (m->filename != NULL)
		name_check(m->filename, why);
	content_check(m, why);
	if (has_gps != NULL)
		*has_gps = m->has_gps;
	if (lat != NULL)
		*lat = m->has_gps ? m->lat : 0;
	if (lon != NULL)
		*lon = m->has_gps ? m->lon : 0;
	if (danger != NULL) {
		*danger = NULL;
		if (why->len > 0) {
			g_ptr_array_add(why, NULL);
			*danger = g_strjoinv("; ", (char **)why->pdata);
		}
	}
	g_ptr_array_free(why, TRUE);
	if (m->prefix != NULL)
		g_byte_array_free(m->prefix, TRUE);
	if (m->bmff != NULL && m->bmff->box != NULL)
		g_byte_array_free(m->bmff->box, TRUE);
	g_free(m->bmff);
	g_free(m->content_type);
	g_free(m->filename);
	g_free(m);
}
