/* media-bmff.c - a location in ISO base media files (MP4, QuickTime, 3GP),
 * read as the bytes stream past (see media-bmff-priv.h).
 */
#include <math.h>
#include <string.h>

#include "media-bmff-priv.h"

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
	gboolean stop;		/* broken structure */
};

static const char ISO6709_KEY[] = "com.apple.quicktime.location.ISO6709";

/* Seconds between 1904-01-01 (QuickTime/ISO BMFF epoch) and 1970-01-01. */
#define EPOCH_1904	G_GINT64_CONSTANT(2082844800)

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

/* An ilst item's text value into the facts slot DATA (char **). */
static void
data_text(media_pos *m, guint32 type, const guint8 *p, size_t len,
	  void *data)
{
	(void)m;
	if (type == fourcc("data") && len > 8)
		media_facts_set_text(data, p + 8, len - 8);
}

typedef struct {
	GPtrArray *keys;	/* of char *, index 0 is key 1 */
	const guint8 *ilst;
	size_t ilst_len;
} meta_ctx;

/* The facts slot for a metadata key (Apple's QuickTime keys, Android's
 * MediaMuxer keys, the classic \xa9 ilst atoms), or NULL. */
static char **
meta_slot(media_facts *f, guint32 type, const char *key)
{
	if (f == NULL)
		return NULL;
	if (type == fourcc("\xa9mak") || g_strcmp0(key,
	    "com.apple.quicktime.make") == 0 || g_strcmp0(key,
	    "com.android.manufacturer") == 0)
		return &f->make;
	if (type == fourcc("\xa9mod") || g_strcmp0(key,
	    "com.apple.quicktime.model") == 0 || g_strcmp0(key,
	    "com.android.model") == 0)
		return &f->model;
	if (type == fourcc("\xa9" "day") || g_strcmp0(key,
	    "com.apple.quicktime.creationdate") == 0)
		return &f->taken;
	return NULL;
}

static void
ilst_item(media_pos *m, guint32 type, const guint8 *p, size_t len,
	  void *data)
{
	meta_ctx *c = data;
	const char *key = NULL;
	char **slot;

	if (type >= 1 && type <= c->keys->len)
		key = g_ptr_array_index(c->keys, type - 1);
	if (type == fourcc("\xa9xyz") ||
	    (key != NULL && strcmp(key, ISO6709_KEY) == 0))
		box_each(m, p, len, data_box, NULL);
	else if ((slot = meta_slot(m->facts, type, key)) != NULL)
		box_each(m, p, len, data_text, slot);
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

/* mvhd (ISO/IEC 14496-12 8.2.2): creation time in seconds since 1904
 * UTC, timescale, duration. */
static void
mvhd_parse(media_facts *f, const guint8 *p, size_t len)
{
	guint64 created, dur;
	guint32 scale;
	GDateTime *t;

	if (len >= 28 && p[0] == 1) {
		created = be64(p + 4);
		scale = be32(p + 20);
		dur = be64(p + 24);
	} else if (len >= 20 && p[0] == 0) {
		created = be32(p + 4);
		scale = be32(p + 12);
		dur = be32(p + 16);
	} else
		return;
	if (scale > 0 && f->duration == 0)
		f->duration = (double)dur / scale;
	/* 0 is "not set" (many encoders); before 1995 is a reset clock. */
	if (created <= (guint64)EPOCH_1904 + 788918400 ||
	    created > G_GUINT64_CONSTANT(1) << 40 || f->taken != NULL)
		return;
	t = g_date_time_new_from_unix_utc((gint64)created - EPOCH_1904);
	if (t != NULL) {
		f->taken = g_date_time_format(t, "%Y-%m-%dT%H:%M:%SZ");
		g_date_time_unref(t);
	}
}

/* tkhd (14496-12 8.3.2): the first track with a picture gives the size
 * and, from its matrix, how players turn it (phones record portrait
 * video as landscape pixels with a 90-degree matrix). */
static void
tkhd_parse(media_facts *f, const guint8 *p, size_t len)
{
	size_t m;
	gint32 a, b;
	guint32 w, h;

	if (len < 1)
		return;
	m = p[0] == 1 ? 4 + 32 + 16 : 4 + 20 + 16;	/* the matrix */
	if (len < m + 36 + 8 || f->width != 0)
		return;
	w = be32(p + m + 36) >> 16;
	h = be32(p + m + 40) >> 16;
	if (w == 0 || h == 0)
		return;
	f->width = w;
	f->height = h;
	a = (gint32)be32(p + m);
	b = (gint32)be32(p + m + 4);
	/* Exif orientation values for the same turn (Exif 2.32 4.6.4). */
	if (a == 0 && b == 0x10000)
		f->orientation = 6;
	else if (a == 0 && b == -0x10000)
		f->orientation = 8;
	else if (a == -0x10000 && b == 0)
		f->orientation = 3;
	else if (a == 0x10000 && b == 0)
		f->orientation = 1;
}

static void
udta_child(media_pos *m, guint32 type, const guint8 *p, size_t len,
	   void *data)
{
	char **slot;

	(void)data;
	if (m->facts != NULL && type == fourcc("mvhd"))
		mvhd_parse(m->facts, p, len);
	else if (m->facts != NULL && type == fourcc("tkhd"))
		tkhd_parse(m->facts, p, len);
	else if ((type == fourcc("\xa9mak") || type == fourcc("\xa9mod") ||
	    type == fourcc("\xa9" "day")) &&
	    (slot = meta_slot(m->facts, type, NULL)) != NULL) {
		/* QuickTime user data text: length, language, string. */
		if (len >= 4 && (size_t)(p[0] << 8 | p[1]) <= len - 4)
			media_facts_set_text(slot, p + 4,
					     (size_t)(p[0] << 8 | p[1]));
		else
			box_each(m, p, len, data_text, slot);
	} else if (type == fourcc("\xa9xyz")) {
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
	keep = (parent == fourcc("moov") && (type == fourcc("meta") ||
	     type == fourcc("mvhd"))) ||
	    (parent == fourcc("trak") && type == fourcc("tkhd")) ||
	    (parent == fourcc("udta") && (type == fourcc("\xa9xyz") ||
	     type == fourcc("loci") || type == fourcc("meta") ||
	     type == fourcc("\xa9mak") || type == fourcc("\xa9mod") ||
	     type == fourcc("\xa9" "day")));
	if ((b->depth == 0 && type == fourcc("moov")) ||
	    (b->depth == 1 && parent == fourcc("moov") &&
	     (type == fourcc("udta") || type == fourcc("trak")))) {
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

/* HEIF: meta (full box) > iprp > ipco > ispe (full box, width, height). */
static void
heif_ipco(media_pos *m, guint32 type, const guint8 *p, size_t len,
	  void *data)
{
	guint32 *wh = data;

	(void)m;
	if (type == fourcc("ispe") && len >= 12 &&
	    (guint64)be32(p + 4) * be32(p + 8) > (guint64)wh[0] * wh[1]) {
		wh[0] = be32(p + 4);
		wh[1] = be32(p + 8);
	}
}

static void
heif_iprp(media_pos *m, guint32 type, const guint8 *p, size_t len,
	  void *data)
{
	if (type == fourcc("ipco"))
		box_each(m, p, len, heif_ipco, data);
}

static void
heif_meta(media_pos *m, guint32 type, const guint8 *p, size_t len,
	  void *data)
{
	if (type == fourcc("iprp"))
		box_each(m, p, len, heif_iprp, data);
}

static void
heif_top(media_pos *m, guint32 type, const guint8 *p, size_t len,
	 void *data)
{
	if (type == fourcc("meta") && len > 4)
		box_each(m, p + 4, len - 4, heif_meta, data);
}

gboolean
media_bmff_heif_size(const guint8 *p, size_t len, guint32 *width,
		     guint32 *height)
{
	media_pos unused = { 0 };
	guint32 wh[2] = { 0, 0 };

	box_each(&unused, p, len, heif_top, wh);
	if (wh[0] == 0 || wh[1] == 0)
		return FALSE;
	*width = wh[0];
	*height = wh[1];
	return TRUE;
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
