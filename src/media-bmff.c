/* media-bmff.c - a location in ISO base media files (MP4, QuickTime, 3GP),
 * read as the bytes stream past (see media-bmff.h).
 */
#include <math.h>
#include <string.h>

#include "media-bmff.h"

#define BMFF_DEPTH	4

/* ISO/IEC 14496-12 box walker state. */
struct media_bmff {
	guint64 pos;		/* bytes consumed so far */
	guint64 skip;		/* payload bytes still to skip */
	guint8 hdr[16];		/* box header being read */
	size_t hdr_len;
	guint64 end[BMFF_DEPTH];	/* end offsets of open containers */
	guint32 type[BMFF_DEPTH];	/* and their types */
	int depth;
	GByteArray *box;	/* a small metadata box being kept */
	guint64 box_left;
	guint32 box_type;
	gboolean stop;		/* broken structure or position found */
};

static const char ISO6709_KEY[] = "com.apple.quicktime.location.ISO6709";

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

void
media_pos_set(media_pos *m, double lat, double lon)
{
	/* 0,0 is what cameras without a fix write; nobody sends tips from
	 * the Gulf of Guinea's null island. */
	if (m->found || isnan(lat) || isnan(lon) || fabs(lat) > 90 ||
	    fabs(lon) > 180 || (lat == 0 && lon == 0))
		return;
	m->found = TRUE;
	m->lat = lat;
	m->lon = lon;
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
iso6709_parse(media_pos *m, const guint8 *p, size_t len)
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
	media_pos_set(m, lat, lon);
}

/* Call FN for every child box of P[0..LEN). */
typedef void (*box_fn)(media_pos *m, guint32 type, const guint8 *p,
		       size_t len, void *data);

static void
box_each(media_pos *m, const guint8 *p, size_t len, box_fn fn, void *data)
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
data_box(media_pos *m, guint32 type, const guint8 *p, size_t len,
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
ilst_item(media_pos *m, guint32 type, const guint8 *p, size_t len,
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
meta_child(media_pos *m, guint32 type, const guint8 *p, size_t len,
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
meta_parse(media_pos *m, const guint8 *p, size_t len)
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
loci_parse(media_pos *m, const guint8 *p, size_t len)
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
	media_pos_set(m, (gint32)be32(p + i + 4) / 65536.0,
		     (gint32)be32(p + i) / 65536.0);
}

static void
udta_child(media_pos *m, guint32 type, const guint8 *p, size_t len,
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
bmff_box_done(media_pos *m, media_bmff *b)
{
	udta_child(m, b->box_type, b->box->data, b->box->len, NULL);
	g_byte_array_free(b->box, TRUE);
	b->box = NULL;
	if (m->found)
		b->stop = TRUE;
}

/* A complete box header in b->hdr: descend into moov and moov/udta, keep
 * the small boxes that can hold a location (moov/meta, moov/udta/\xa9xyz,
 * loci and meta), skip everything else (mdat may be gigabytes; udta may
 * hold large thumbnails). */
static void
bmff_header(media_pos *m, media_bmff *b, size_t hl)
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

void
media_bmff_feed(media_bmff *b, media_pos *m, const guint8 *p, size_t len)
{

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

media_bmff *
media_bmff_new(void)
{
	return g_new0(media_bmff, 1);
}

void
media_bmff_free(media_bmff *b)
{
	if (b == NULL)
		return;
	if (b->box != NULL)
		g_byte_array_free(b->box, TRUE);
	g_free(b);
}
