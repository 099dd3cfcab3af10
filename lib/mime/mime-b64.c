/* mime-b64.c - base64 decoding as GMime does it, faster (see
 * mime-b64-priv.h). */
#include <string.h>

#include "mime-b64-priv.h"

/* GMime's rank table: the alphabet's values, '=' as 0 (it ends the
 * data), 0xff for the bytes a decoder skips. */
static const unsigned char rank[256] = {
	255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,
	255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,
	255,255,255,255,255,255,255,255,255,255,255,62,255,255,255,63,
	52,53,54,55,56,57,58,59,60,61,255,255,255,0,255,255,
	255,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,
	15,16,17,18,19,20,21,22,23,24,25,255,255,255,255,255,
	255,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,
	41,42,43,44,45,46,47,48,49,50,51,255,255,255,255,255,
	255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,
	255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,
	255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,
	255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,
	255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,
	255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,
	255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,
	255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,
};

/* The same without '=': the bytes of a quartet that needs no care. */
static const unsigned char quad[256] = {
	255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,
	255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,
	255,255,255,255,255,255,255,255,255,255,255,62,255,255,255,63,
	52,53,54,55,56,57,58,59,60,61,255,255,255,255,255,255,
	255,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,
	15,16,17,18,19,20,21,22,23,24,25,255,255,255,255,255,
	255,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,
	41,42,43,44,45,46,47,48,49,50,51,255,255,255,255,255,
	255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,
	255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,
	255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,
	255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,
	255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,
	255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,
	255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,
	255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,255,
};

/* The quartet tables: each alphabet byte's six bits already in place in
 * the three output bytes as a little-endian word (byte 0 in bits 0-7),
 * so a quartet is four loads and three ORs; any other byte (line end,
 * '=', junk) sets bit 24, which no alphabet value reaches.  Built once
 * from quad[] (b64_tables_init). */
#define B64_BAD 0x01000000u
static guint32 d0[256], d1[256], d2[256], d3[256];

static void
b64_tables_fill(void)
{
	for (int i = 0; i < 256; i++) {
		guint32 v = quad[i];

		if (v == 0xff) {
			d0[i] = d1[i] = d2[i] = d3[i] = B64_BAD;
			continue;
		}
		d0[i] = v << 2;
		d1[i] = (v >> 4) | (v & 0x0f) << 12;
		d2[i] = (v >> 2) << 8 | (v & 0x03) << 22;
		d3[i] = v << 16;
	}
}

static void
b64_tables_init(void)
{
	static gsize done;

	if (g_once_init_enter(&done)) {
		b64_tables_fill();
		g_once_init_leave(&done, 1);
	}
}

/* Whole quartets of alphabet bytes from *P (before END) into *O, until a
 * byte of any other kind: a line end, '=', junk.  Each quartet stores
 * four bytes, the fourth overwritten by the next quartet or left past
 * the end, where OUT has room (mime-b64-priv.h: LEN + 3). */
static void
quartets(const unsigned char **p, const unsigned char *end,
	 unsigned char **o)
{
	const unsigned char *in = *p;
	unsigned char *out = *o;

	while (end - in >= 4) {
		guint32 w = d0[in[0]] | d1[in[1]] | d2[in[2]] | d3[in[3]];

		if (w & B64_BAD)
			break;
		w = GUINT32_TO_LE(w);
		memcpy(out, &w, 4);
		out += 3;
		in += 4;
	}
	*p = in;
	*o = out;
}

size_t
mime_b64_decode_step(const unsigned char *in, size_t len,
		     unsigned char *out, int *state, guint32 *save)
{
	const unsigned char *p = in, *end = in + len;
	unsigned char *o = out;
	guint32 saved = *save;
	int n = *state, eof = 0;

	if (n == -1)
		return 0;	/* past the end of the data ('=') */
	b64_tables_init();
	while (p < end) {
		unsigned char c, r;

		/* Between quartets GMime's loop below does just this, a
		 * byte at a time (and saved is 0 there). */
		if (n == 0) {
			quartets(&p, end, &o);
			if (p == end)
				break;
		}
		c = *p++;
		if ((r = rank[c]) == 0xff)
			continue;
		if (c == '=') {
			eof = 1;
			break;
		}
		saved = (saved << 6) | r;
		if (++n == 4) {
			*o++ = (unsigned char)(saved >> 16);
			*o++ = (unsigned char)(saved >> 8);
			*o++ = (unsigned char)saved;
			saved = 0;
			n = 0;
		}
	}
	if (eof) {
		/* '=' ends the data: the one or two bytes of a quartet cut
		 * short by it (GMime 3.2's reading), nothing after it. */
		if (n >= 2) {
			int got = n;

			for (; n < 4; n++)
				saved <<= 6;
			*o++ = (unsigned char)(saved >> 16);
			if (got == 3)
				*o++ = (unsigned char)(saved >> 8);
		}
		n = -1;
	}
	*save = saved;
	*state = n;
	return (size_t)(o - out);
}

typedef struct {
	GMimeFilter parent;
	int state;
	guint32 save;
} B64Filter;

typedef struct {
	GMimeFilterClass parent_class;
} B64FilterClass;

static GType b64_filter_get_type(void);
G_DEFINE_TYPE(B64Filter, b64_filter, GMIME_TYPE_FILTER)

static GMimeFilter *
b64_copy(GMimeFilter *f)
{
	(void)f;
	return mime_b64_filter_new();
}

static void
b64_filter(GMimeFilter *f, char *in, size_t len, size_t prespace,
	   char **out, size_t *outlen, size_t *outprespace)
{
	B64Filter *b = (B64Filter *)f;

	(void)prespace;
	g_mime_filter_set_size(f, len + 3, FALSE);
	*outlen = mime_b64_decode_step((const unsigned char *)in, len,
				       (unsigned char *)f->outbuf, &b->state,
				       &b->save);
	*out = f->outbuf;
	*outprespace = f->outpre;
}

static void
b64_reset(GMimeFilter *f)
{
	B64Filter *b = (B64Filter *)f;

	b->state = 0;
	b->save = 0;
}

static void
b64_filter_class_init(B64FilterClass *klass)
{
	GMimeFilterClass *fc = GMIME_FILTER_CLASS(klass);

	fc->copy = b64_copy;
	fc->filter = b64_filter;
	fc->complete = b64_filter;	/* GMime's flush is one more step */
	fc->reset = b64_reset;
}

static void
b64_filter_init(B64Filter *b)
{
	b->state = 0;
	b->save = 0;
}

GMimeFilter *
mime_b64_filter_new(void)
{
	return g_object_new(b64_filter_get_type(), NULL);
}
