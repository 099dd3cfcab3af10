/* scrub.c - JPEG metadata filter (see util.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libexif/exif-data.h>

#include "util.h"

#define M_SOI	0xd8
#define M_EOI	0xd9
#define M_SOS	0xda
#define M_APP0	0xe0
#define M_APP2	0xe2
#define M_APP14	0xee
#define M_APP15	0xef
#define M_APP1	0xe1
#define M_COM	0xfe

typedef struct {
	FILE *in;
	safefile_wbuf out;	/* the scrubbed copy */
	guint8 buf[65536];
} scrubber;

static void
out_bytes(scrubber *s, const guint8 *p, gsize n)
{
	/* a failed write is reported at the end (safefile_wbuf_flush) */
	safefile_wbuf_put(&s->out, p, n);
}

static void
out_marker(scrubber *s, int m)
{
	guint8 b[2] = { 0xff, (guint8)m };

	out_bytes(s, b, 2);
}

/* Keep this APPn/COM segment (payload P of N bytes)? */
static gboolean
segment_keep(int m, const guint8 *p, gsize n)
{
	if (m == M_APP0)
		/* JFIF with no thumbnail (Xthumbnail, Ythumbnail = 0). */
		return n >= 14 && memcmp(p, "JFIF\0", 5) == 0 &&
		    p[12] == 0 && p[13] == 0;
	if (m == M_APP2)
		return n >= 12 && memcmp(p, "ICC_PROFILE\0", 12) == 0;
	if (m == M_APP14)
		return n >= 5 && memcmp(p, "Adobe", 5) == 0;
	if ((m > M_APP0 && m <= M_APP15) || m == M_COM)
		return FALSE;
	return TRUE;
}

/* Copy entropy-coded data up to the next marker; returns that marker
 * (its FF already consumed), or -1 at end of file. */
static int
copy_scan(scrubber *s)
{
	int c;

	while ((c = getc(s->in)) != EOF) {
		guint8 b = (guint8)c;
		int m;

		if (c != 0xff) {
			out_bytes(s, &b, 1);
			continue;
		}
		do
			m = getc(s->in);
		while (m == 0xff);
		if (m == EOF)
			return -1;
		if (m == 0x00 || (m >= 0xd0 && m <= 0xd7)) {
			/* Stuffed zero byte or restart marker: scan data. */
			out_marker(s, m);
			continue;
		}
		return m;
	}
	return -1;
}

/* The Exif Orientation (1..8) in APP1 payload P, or 0. */
static int
exif_orientation(const guint8 *p, gsize n)
{
	ExifData *ed;
	ExifEntry *e;
	int o = 0;

	if (n < 14 || memcmp(p, "Exif\0\0", 6) != 0 ||
	    (ed = exif_data_new()) == NULL)
		return 0;
	exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
	exif_data_load_data(ed, p, (unsigned int)n);
	e = exif_content_get_entry(ed->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION);
	if (e != NULL && e->data != NULL && e->format == EXIF_FORMAT_SHORT &&
	    e->size >= 2)
		o = exif_get_short(e->data, exif_data_get_byte_order(ed));
	exif_data_unref(ed);
	return o >= 1 && o <= 8 ? o : 0;
}

/* First pass: the Orientation of the first Exif APP1 before the first
 * scan (Exif 2.32 4.5.4: Exif sits right after SOI or JFIF), then back to
 * just after SOI.  0 when there is none or the file is odd (the second
 * pass reports that). */
static int
orientation_find(scrubber *s)
{
	int o = 0, m, c;

	while ((c = getc(s->in)) == 0xff) {
		guint8 len[2];
		gsize n;

		do
			m = getc(s->in);
		while (m == 0xff);
		if (m == EOF || m == M_SOS || m == M_EOI || m == 0x01 ||
		    (m >= 0xd0 && m <= 0xd7) || fread(len, 1, 2, s->in) != 2)
			break;
		n = ((gsize)len[0] << 8 | len[1]);
		if (n < 2 || fread(s->buf, 1, n - 2, s->in) != n - 2)
			break;
		if (m == M_APP1 && (o = exif_orientation(s->buf, n - 2)) != 0)
			break;
	}
	if (fseek(s->in, 2, SEEK_SET) != 0)
		return 0;
	return o;
}

/* A minimal Exif APP1 holding only Orientation O (Exif 2.32 4.5.4,
 * 4.6.4): "Exif\0\0", a big-endian TIFF header, IFD0 with one SHORT
 * entry 0x0112, no next IFD.  Nothing else: no camera, no time, no
 * thumbnail. */
static void
out_orientation(scrubber *s, int o)
{
	static const guint8 head[] = {
		0xff, 0xe1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,
		'M', 'M', 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08,
		0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01,
	};
	guint8 tail[8] = { 0x00, (guint8)o, 0, 0, 0, 0, 0, 0 };

	out_bytes(s, head, sizeof head);
	out_bytes(s, tail, sizeof tail);
}

gboolean
scrub_is_jpeg(const char *path)
{
	FILE *f = fopen(path, "rb");
	guint8 b[3];
	gboolean yes;

	if (f == NULL)
		return FALSE;
	yes = fread(b, 1, 3, f) == 3 && b[0] == 0xff && b[1] == M_SOI &&
	    b[2] == 0xff;
	fclose(f);
	return yes;
}

tl_status
scrub_jpeg(const char *in_path, int out_fd, int *removed, char **errmsg)
{
	scrubber *s = g_new0(scrubber, 1);
	tl_status rc = TL_OK;
	int m, dropped = 0, c, orient;
	gboolean seen_scan = FALSE;

	if ((s->in = fopen(in_path, "rb")) == NULL) {
		*errmsg = g_strdup_printf("%s: %s", in_path, g_strerror(errno));
		g_free(s);
		return TL_NOINPUT;
	}
	safefile_wbuf_init(&s->out, out_fd);
	if (getc(s->in) != 0xff || getc(s->in) != M_SOI) {
		*errmsg = g_strdup_printf("%s: not a JPEG file", in_path);
		rc = TL_DATA;
		goto out;
	}
	out_marker(s, M_SOI);
	/* 1 is how the pixels are stored already: nothing to keep. */
	if ((orient = orientation_find(s)) == 1)
		orient = 0;
	m = -2;
	for (;;) {
		guint8 len[2];
		gsize n;

		if (m == -2) {
			/* Expect a marker: FF, fill bytes, then its code. */
			if ((c = getc(s->in)) != 0xff)
				goto malformed;
			do
				m = getc(s->in);
			while (m == 0xff);
			if (m == EOF)
				goto malformed;
		}
		/* The orientation goes after a leading JFIF APP0 (JFIF 1.02
		 * wants APP0 first), before everything else. */
		if (orient != 0 && m != M_APP0) {
			out_orientation(s, orient);
			orient = 0;
		}
		if (m == -1 || m == M_EOI) {
			if (m == -1 && !seen_scan)
				goto malformed;
			/* Anything after EOI (some phones append data) is
			 * dropped with the metadata. */
			out_marker(s, M_EOI);
			break;
		}
		if ((m >= 0xd0 && m <= 0xd7) || m == 0x01) {
			out_marker(s, m);	/* standalone, no length */
			m = -2;
			continue;
		}
		if (fread(len, 1, 2, s->in) != 2)
			goto malformed;
		n = ((gsize)len[0] << 8 | len[1]);
		if (n < 2 || fread(s->buf, 1, n - 2, s->in) != n - 2)
			goto malformed;
		n -= 2;
		if (!segment_keep(m, s->buf, n)) {
			dropped++;
			m = -2;
			continue;
		}
		out_marker(s, m);
		out_bytes(s, len, 2);
		out_bytes(s, s->buf, n);
		if (m == M_SOS) {
			seen_scan = TRUE;
			m = copy_scan(s);
			continue;
		}
		m = -2;
	}
	goto out;
malformed:
	*errmsg = g_strdup_printf("%s: malformed JPEG", in_path);
	rc = TL_DATA;
out:
	if (rc == TL_OK && !safefile_wbuf_flush(&s->out)) {
		*errmsg = g_strdup_printf("writing scrubbed copy: %s",
		    g_strerror(s->out.err));
		rc = TL_TEMPFAIL;
	}
	if (removed != NULL)
		*removed = dropped;
	safefile_wbuf_free(&s->out);
	fclose(s->in);
	g_free(s);
	return rc;
}
