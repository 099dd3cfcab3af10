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
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <libexif/exif-data.h>

#include "media.h"
#include "media-bmff-priv.h"
#include "media-facts-priv.h"
#include "media-xmp-priv.h"

#define HEAD_LEN	16	/* bytes that decide the kind */
#define PAT_MAX		32	/* longest searched pattern */
#define EXIF_TRIES	16	/* TIFF headers tried per image */
#define ZIP_NAME_MAX	512	/* longer zip entry names are not read */
#define ZIP_INFLATE_MAX	(G_GUINT64_CONSTANT(64) << 20)	/* bytes inflated
					 * per inner zip (bomb guard) */

typedef enum {
	K_UNKNOWN = 0, K_JPEG, K_TIFF, K_PNG, K_WEBP, K_BMFF, K_ZIP, K_OLE2,
	K_MZ, K_ELF, K_MACHO, K_SCRIPT, K_LNK,
} media_kind;

/* Streaming substring search over chunk boundaries. */
typedef struct {
	const char *pat;
	size_t len;
	gboolean found;
} pattern;

/* Zip entry names (APPNOTE.TXT 4.3.7 local and 4.3.12 central headers),
 * read from the stream: names are stored uncompressed.  A stored inner
 * zip's headers pass through the same signature scan; a deflated one
 * (APPNOTE 4.4.5 method 8) is inflated into a child walker. */
typedef struct zip_names zip_names;
struct zip_names {
	guint32 win;		/* last four bytes, for the signatures */
	guint8 buf[ZIP_NAME_MAX];
	guint8 hdr[26];		/* the local header of the current name */
	size_t have, need;	/* collecting a header or a name */
	gboolean central, in_name;
	int depth;		/* 0 for the attachment itself */
	guint64 skip;		/* extra field bytes before inner data */
	guint64 data_left;	/* compressed bytes of the inner zip */
	gboolean data_sized;	/* data_left is known (no descriptor) */
	guint64 inflated;	/* bytes the child has had */
	GConverter *inflate;	/* raw deflate, while in an inner zip */
	zip_names *child;
	char *inner;		/* the inner zip's name */
	char *exe;		/* first executable or escaping entry */
	gboolean escape;	/* exe is there for its path, not its type */
};

struct media_scan {
	char *content_type;	/* lower case, parameters cut */
	char *filename;
	guint8 head[HEAD_LEN];
	size_t head_len;
	gboolean decided;
	media_kind kind;
	guint64 total;
	GByteArray *prefix;	/* images: first MEDIA_JPEG_KEEP bytes */
	media_bmff *bmff;	/* ISO base media files */
	pattern pats[3];	/* Office macro storage names */
	int npats;
	guint8 tail[PAT_MAX];	/* last bytes of the previous chunk */
	size_t tail_len;
	media_pos pos;		/* the first position found */
	media_facts facts;	/* gathered for images and videos */
	guint32 exif_w, exif_h;	/* Exif PixelX/YDimension (fallback) */
	zip_names *zip;		/* zip archives (also OOXML, ODF, JAR) */
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
	"docm", "dotm", "xlsm", "xltm", "xlam", "pptm", "potm",
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

/* "_VBA_PROJECT" in UTF-16LE, the stream every OLE2 VBA project has
 * (MS-OVBA 2.2.2); NUL bytes inside, hence the explicit length. */
static const char VBA_OLE[] = "_\0V\0B\0A\0_\0P\0R\0O\0J\0E\0C\0T\0";

static gboolean
in_list(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return TRUE;
	return FALSE;
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

/* An ASCII entry of IFD into *SLOT (when still unset). */
static void
exif_text(ExifData *ed, ExifIfd ifd, ExifTag tag, char **slot)
{
	ExifEntry *e = exif_content_get_entry(ed->ifd[ifd], tag);

	if (e != NULL && e->data != NULL && e->format == EXIF_FORMAT_ASCII)
		media_facts_set_text(slot, e->data, strnlen((const char *)
		    e->data, e->size));
}

/* A SHORT or LONG entry, 0 when absent. */
static guint32
exif_uint(ExifData *ed, ExifIfd ifd, ExifTag tag)
{
	ExifEntry *e = exif_content_get_entry(ed->ifd[ifd], tag);
	ExifByteOrder bo = exif_data_get_byte_order(ed);

	if (e == NULL || e->data == NULL || e->components < 1)
		return 0;
	if (e->format == EXIF_FORMAT_SHORT && e->size >= 2)
		return exif_get_short(e->data, bo);
	if (e->format == EXIF_FORMAT_LONG && e->size >= 4)
		return exif_get_long(e->data, bo);
	return 0;
}

/* Capture time (Exif 2.32 4.6.5): DateTimeOriginal, else
 * DateTimeDigitized, each with its OffsetTime tag (0x9011, 0x9012; not
 * in every libexif's table, hence the numbers). */
static void
exif_taken(media_scan *m, ExifData *ed)
{
	char *when = NULL, *zone = NULL;

	exif_text(ed, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, &when);
	exif_text(ed, EXIF_IFD_EXIF, (ExifTag)0x9011, &zone);
	if (when == NULL) {
		g_free(zone);
		zone = NULL;
		exif_text(ed, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_DIGITIZED,
			  &when);
		exif_text(ed, EXIF_IFD_EXIF, (ExifTag)0x9012, &zone);
	}
	if (when != NULL && zone != NULL) {
		char *both = g_strconcat(when, zone, NULL);

		g_free(when);
		when = both;
	}
	if (when != NULL && m->facts.taken == NULL)
		m->facts.taken = when;
	else
		g_free(when);
	g_free(zone);
}

static void
exif_facts(media_scan *m, ExifData *ed)
{
	int o = (int)exif_uint(ed, EXIF_IFD_0, EXIF_TAG_ORIENTATION);

	exif_taken(m, ed);
	exif_text(ed, EXIF_IFD_0, EXIF_TAG_MAKE, &m->facts.make);
	exif_text(ed, EXIF_IFD_0, EXIF_TAG_MODEL, &m->facts.model);
	if (m->facts.orientation == 0 && o >= 1 && o <= 8)
		m->facts.orientation = o;
	if (m->exif_w == 0) {
		m->exif_w = exif_uint(ed, EXIF_IFD_EXIF,
				      EXIF_TAG_PIXEL_X_DIMENSION);
		m->exif_h = exif_uint(ed, EXIF_IFD_EXIF,
				      EXIF_TAG_PIXEL_Y_DIMENSION);
	}
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
	exif_facts(m, ed);
	exif_data_unref(ed);
	if (!m->pos.found) {
		media_pos_set(&m->pos, lat, lon);
		if (m->pos.found)
			m->facts.gps_source = "exif";
	}
	return m->pos.found;
}

/* The first XMP packet in the kept prefix of any image (see
 * media-xmp.h); Exif wins where both say something. */
static void
xmp_scan(media_scan *m, const guint8 *p, size_t len)
{
	media_xmp x = { 0 };

	if (!media_xmp_scan(p, len, &x))
		return;
	if (x.has_pos && !m->pos.found) {
		media_pos_set(&m->pos, x.lat, x.lon);
		if (m->pos.found)
			m->facts.gps_source = "xmp";
	}
	if (m->facts.taken == NULL) {
		m->facts.taken = x.taken;
		x.taken = NULL;
	}
	if (m->facts.make == NULL) {
		m->facts.make = x.make;
		x.make = NULL;
	}
	if (m->facts.model == NULL) {
		m->facts.model = x.model;
		x.model = NULL;
	}
	if (m->facts.orientation == 0)
		m->facts.orientation = x.orientation;
	media_xmp_clear(&x);
}

/* Walk JPEG marker segments (ITU T.81 B.1.1) up to the first scan and try
 * every APP1 that holds Exif. */
static void
jpeg_scan(media_scan *m, const guint8 *p, size_t len)
{
	size_t i = 2;

	while (i + 4 <= len) {
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
		/* SOF0..SOF15 but DHT (C4), JPG (C8), DAC (CC): B.2.2
		 * P, Y (lines), X (samples per line). */
		if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 &&
		    marker != 0xc8 && marker != 0xcc && plen >= 5 &&
		    m->facts.width == 0) {
			m->facts.height = (guint32)p[i + 5] << 8 | p[i + 6];
			m->facts.width = (guint32)p[i + 7] << 8 | p[i + 8];
		}
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
	    !m->pos.found; i++) {
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
		m->bmff = media_bmff_new();
		if (bmff_is_image(m->head, m->head_len))
			m->prefix = g_byte_array_new();
		break;
	case K_ZIP:
		/* OOXML keeps macros in a part named vbaProject.bin (ECMA-376
		 * / MS-OFFMACRO); zip file names are stored uncompressed. */
		m->pats[m->npats++] = (pattern){ "vbaProject.bin", 14, 0 };
		m->pats[m->npats++] = (pattern){ "xl/macrosheets/", 15, 0 };
		m->zip = g_new0(zip_names, 1);
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

static char *name_ext(const char *name, size_t *stem_end);

/* Types that web pages, e-books and driver folders carry in their
 * folders: judged only at an archive's top level. */
static const char *const folder_ok_ext[] = { "js", "url", "inf", NULL };

/* A zip entry name (APPNOTE 4.4.17: '/' separated, relative).  The last
 * component is judged wherever it sits: malware comes as
 * "Hoa_don/Hoa_don.pdf.exe" as often as at the top.  An absolute name or
 * a ".." component is dangerous in itself: extracted, it lands outside
 * the folder the editor chose. */
static void
zip_name_check(zip_names *z, const guint8 *name, size_t len)
{
	char *s = g_utf8_make_valid((const char *)name, (gssize)len);
	char *ext = NULL, *prev = NULL, *base;
	char **parts = NULL;
	size_t stem, pstem;
	gboolean folder;

	g_strdelimit(s, "\\", '/');
	parts = g_strsplit(s, "/", -1);
	for (int i = 0; parts[i] != NULL; i++)
		if (strcmp(parts[i], "..") == 0 || (i == 0 && parts[1] !=
		    NULL && (*parts[0] == '\0' || strchr(parts[0], ':')))) {
			z->exe = g_strdup(s);
			z->escape = TRUE;
			goto out;
		}
	base = strrchr(s, '/');
	folder = base != NULL;
	base = folder ? base + 1 : s;
	if ((ext = name_ext(base, &stem)) == NULL || !in_list(exec_ext, ext))
		goto out;
	base[stem] = '\0';
	prev = name_ext(base, &pstem);
	base[stem] = '.';
	if (!folder || !in_list(folder_ok_ext, ext) || (prev != NULL &&
	    strlen(prev) <= 5 && !in_list(exec_ext, prev)))
		z->exe = g_strdup(s);
out:
	g_strfreev(parts);
	g_free(prev);
	g_free(ext);
	g_free(s);
}

static void zip_feed(zip_names *z, const guint8 *p, size_t len);

static void
zip_free(zip_names *z)
{
	if (z == NULL)
		return;
	zip_free(z->child);
	if (z->inflate != NULL)
		g_object_unref(z->inflate);
	g_free(z->inner);
	g_free(z->exe);
	g_free(z);
}

/* The inner zip ended (or could not be inflated further): take its
 * finding as "inner.zip/entry". */
static void
zip_inner_end(zip_names *z)
{
	if (z->child != NULL && z->child->exe != NULL && z->exe == NULL) {
		z->exe = g_strdup_printf("%s/%s", z->inner, z->child->exe);
		z->escape = z->child->escape;
	}
	zip_free(z->child);
	z->child = NULL;
	g_clear_object(&z->inflate);
	g_clear_pointer(&z->inner, g_free);
	z->data_left = 0;
}

/* Inflate up to LEN bytes of the inner zip into the child; returns the
 * bytes consumed. */
static size_t
zip_inner_feed(zip_names *z, const guint8 *p, size_t len)
{
	guint8 out[16384];
	size_t used = 0;

	if (z->data_sized)
		len = (size_t)MIN((guint64)len, z->data_left);
	while (z->inflate != NULL && used < len) {
		gsize r = 0, w = 0;
		GConverterResult cr = g_converter_convert(z->inflate, p + used,
		    len - used, out, sizeof out, G_CONVERTER_NO_FLAGS, &r, &w,
		    NULL);

		used += r;
		if (z->data_sized)
			z->data_left -= r;
		z->inflated += w;
		zip_feed(z->child, out, w);
		if (cr == G_CONVERTER_ERROR || cr == G_CONVERTER_FINISHED ||
		    z->child->exe != NULL || z->inflated > ZIP_INFLATE_MAX ||
		    (z->data_sized && z->data_left == 0) || (r == 0 && w == 0))
			zip_inner_end(z);
	}
	return used;
}

/* A local header and its name are read: an inner zip that is deflated
 * is inflated as it streams past (a stored one needs nothing: its
 * headers are in the stream already). */
static void
zip_inner_begin(zip_names *z, const char *name)
{
	guint method = z->hdr[4] | z->hdr[5] << 8;
	size_t n = strlen(name);

	if (z->depth + 1 >= MEDIA_ZIP_DEPTH || method != 8 || n < 4 ||
	    g_ascii_strcasecmp(name + n - 4, ".zip") != 0)
		return;
	z->skip = (guint64)(z->hdr[24] | z->hdr[25] << 8);
	z->data_left = (guint64)z->hdr[14] | (guint64)z->hdr[15] << 8 |
	    (guint64)z->hdr[16] << 16 | (guint64)z->hdr[17] << 24;
	/* Bit 3: sizes follow the data; inflate to the stream's end. */
	z->data_sized = !(z->hdr[2] & 8) && z->data_left != 0xffffffff;
	if (z->data_sized && z->data_left == 0)
		return;
	z->inflate = G_CONVERTER(g_zlib_decompressor_new(
	    G_ZLIB_COMPRESSOR_FORMAT_RAW));
	z->child = g_new0(zip_names, 1);
	z->child->depth = z->depth + 1;
	z->inner = g_strdup(name);
	z->inflated = 0;
}

static void
zip_name_done(zip_names *z)
{
	char *s;

	zip_name_check(z, z->buf, z->have);
	if (z->central || z->exe != NULL)
		return;
	s = g_utf8_make_valid((const char *)z->buf, (gssize)z->have);
	zip_inner_begin(z, s);
	g_free(s);
}

/* Read signatures, headers and names from P[I..LEN); stops after a name
 * that starts an inner zip.  Returns where it stopped. */
static size_t
zip_scan(zip_names *z, const guint8 *p, size_t len, size_t i)
{
	for (; i < len && z->exe == NULL; i++) {
		size_t nl;

		if (z->need == 0) {
			/* No signature under way: jump to the next 'P'. */
			if ((z->win & 0xff) != 'P' && (z->win >> 8 & 0xff) !=
			    'P' && (z->win >> 16 & 0xff) != 'P') {
				const guint8 *q = memchr(p + i, 'P', len - i);

				if (q == NULL)
					return len;
				i = (size_t)(q - p);
			}
			z->win = z->win << 8 | p[i];
			if (z->win != 0x504b0102 && z->win != 0x504b0304)
				continue;
			/* bytes after the signature up to the name */
			z->central = z->win == 0x504b0102;
			z->need = z->central ? 42 : 26;
			z->have = 0;
			z->in_name = FALSE;
			continue;
		}
		z->buf[z->have++] = p[i];
		if (z->have < z->need)
			continue;
		z->need = 0;
		if (z->in_name) {
			z->win = 0;
			zip_name_done(z);
			if (z->skip > 0 || z->inflate != NULL)
				return i + 1;
			continue;
		}
		if (!z->central)
			memcpy(z->hdr, z->buf, sizeof z->hdr);
		nl = z->central ? (size_t)(z->buf[24] | z->buf[25] << 8) :
		    (size_t)(z->buf[22] | z->buf[23] << 8);
		if (nl > 0 && nl <= ZIP_NAME_MAX) {
			z->in_name = TRUE;
			z->have = 0;
			z->need = nl;
		}
	}
	return i;
}

static void
zip_feed(zip_names *z, const guint8 *p, size_t len)
{
	size_t i = 0;

	while (i < len && z->exe == NULL) {
		if (z->skip > 0) {
			size_t k = (size_t)MIN(z->skip, (guint64)(len - i));

			z->skip -= k;
			i += k;
		} else if (z->inflate != NULL)
			/* Ends the inner zip itself when it makes no
			 * progress, so this loop always moves on. */
			i += zip_inner_feed(z, p + i, len - i);
		else
			i = zip_scan(z, p, len, i);
	}
}

static void
kind_feed(media_scan *m, const guint8 *p, size_t len)
{
	if (m->prefix != NULL && m->prefix->len < MEDIA_JPEG_KEEP)
		g_byte_array_append(m->prefix, p, (guint)MIN(len,
		    (size_t)(MEDIA_JPEG_KEEP - m->prefix->len)));
	if (m->bmff != NULL)
		media_bmff_feed(m->bmff, &m->pos, p, len);
	if (m->npats > 0)
		pattern_feed(m, p, len);
	if (m->zip != NULL)
		zip_feed(m->zip, p, len);
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

	m->pos.facts = &m->facts;
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
	if (m->zip != NULL && m->zip->exe != NULL)
		g_ptr_array_add(why, g_strdup_printf(m->zip->escape ?
		    "archive entry whose path leaves the folder it is "
		    "extracted to: %s" : "archive holds an executable: %s",
		    m->zip->exe));
	if (m->content_type != NULL && (in_list(exec_types, m->content_type) ||
	    strstr(m->content_type, "macroenabled") != NULL))
		g_ptr_array_add(why, g_strdup_printf("dangerous content type "
		    "%s", m->content_type));
}

void
media_facts_clear(media_facts *f)
{
	g_free(f->taken);
	g_free(f->make);
	g_free(f->model);
	memset(f, 0, sizeof *f);
}

/* A capture time as the file writes it ("2024:06:08 14:03:11" Exif,
 * "2024-06-08T14:03:11.5+07:00" XMP, "2024-06-08T14:03:11+0700"
 * QuickTime) as "2024-06-08T14:03:11" with "Z" or "+07:00" when the file
 * gives a zone; NULL when it is not a plausible date (cameras write
 * "0000:00:00 00:00:00" or blanks when the clock was never set). */
static char *
taken_normalize(const char *s)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, zh, zm, n = 0;
	const char *z;
	char sign;

	if (s == NULL || sscanf(s, "%4d%*1[-:]%2d%*1[-:]%2d%n", &y, &mo, &d,
	    &n) != 3 || n != 10)
		return NULL;
	z = s + 10;
	if ((*z == ' ' || *z == 'T') && sscanf(z + 1, "%2d:%2d:%2d%n", &h,
	    &mi, &sec, &n) == 3 && n == 8)
		z += 9;
	else if (*z != '\0')
		return NULL;
	if (*z == '.')
		for (z++; g_ascii_isdigit(*z); z++)
			;
	if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || sec > 60)
		return NULL;
	if (*z == 'Z')
		return g_strdup_printf("%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo,
				       d, h, mi, sec);
	if ((*z == '+' || *z == '-') && (sscanf(z + 1, "%2d:%2d", &zh,
	    &zm) == 2 || sscanf(z + 1, "%2d%2d", &zh, &zm) == 2) &&
	    zh <= 14 && zm <= 59) {
		sign = *z;
		return g_strdup_printf("%04d-%02d-%02dT%02d:%02d:%02d%c%02d:"
				       "%02d", y, mo, d, h, mi, sec, sign, zh,
				       zm);
	}
	return g_strdup_printf("%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h,
			       mi, sec);
}

static guint32
be32_at(const guint8 *p)
{
	return (guint32)p[0] << 24 | (guint32)p[1] << 16 |
	    (guint32)p[2] << 8 | p[3];
}

/* The format name and pixel size the container states. */
static void
facts_container(media_scan *m)
{
	const guint8 *p = m->prefix != NULL ? m->prefix->data : NULL;
	size_t len = m->prefix != NULL ? m->prefix->len : 0;
	media_facts *f = &m->facts;

	switch (m->kind) {
	case K_JPEG: f->format = "JPEG"; break;
	case K_TIFF: f->format = "TIFF"; break;
	case K_PNG:
		f->format = "PNG";
		/* IHDR is the first chunk (PNG 11.2.2). */
		if (len >= 24 && memcmp(p + 12, "IHDR", 4) == 0) {
			f->width = be32_at(p + 16);
			f->height = be32_at(p + 20);
		}
		break;
	case K_WEBP:
		f->format = "WebP";
		/* VP8X: flags, then canvas width-1 and height-1 in 24 bits,
		 * little endian (RIFF WebP container, "Extended format"). */
		if (len >= 30 && memcmp(p + 12, "VP8X", 4) == 0) {
			f->width = (guint32)(p[24] | p[25] << 8 | p[26] << 16)
			    + 1;
			f->height = (guint32)(p[27] | p[28] << 8 | p[29] << 16)
			    + 1;
		}
		break;
	case K_BMFF:
		if (bmff_is_image(m->head, m->head_len)) {
			f->format = memcmp(m->head + 8, "avi", 3) == 0 ?
			    "AVIF" : "HEIF";
			if (p != NULL)
				media_bmff_heif_size(p, len, &f->width,
						     &f->height);
		} else
			f->format = m->head_len >= 12 && memcmp(m->head + 4,
			    "ftypqt  ", 8) == 0 ? "QuickTime" : "MP4";
		break;
	default:
		break;
	}
}

/* Facts, once every byte is seen: container, Exif, then XMP. */
static void
facts_finish(media_scan *m)
{
	char *t;

	facts_container(m);
	if (m->facts.format == NULL) {
		media_facts_clear(&m->facts);
		return;
	}
	if (m->facts.width == 0 && m->exif_w > 0 && m->exif_h > 0) {
		m->facts.width = m->exif_w;
		m->facts.height = m->exif_h;
	}
	if (m->facts.gps_source == NULL && m->pos.found)
		m->facts.gps_source = "quicktime";
	t = taken_normalize(m->facts.taken);
	g_free(m->facts.taken);
	m->facts.taken = t;
}

void
media_scan_finish(media_scan *m, gboolean *has_gps, double *lat, double *lon,
		  char **danger)
{
	media_scan_finish_facts(m, NULL, has_gps, lat, lon, danger);
}

void
media_scan_finish_facts(media_scan *m, media_facts *facts, gboolean *has_gps,
			double *lat, double *lon, char **danger)
{
	GPtrArray *why = g_ptr_array_new_with_free_func(g_free);

	if (!m->decided) {
		kind_decide(m);
		kind_feed(m, m->head, m->head_len);
	}
	if (m->prefix != NULL) {
		if (m->kind == K_JPEG)
			jpeg_scan(m, m->prefix->data, m->prefix->len);
		if (!m->pos.found)
			tiff_search(m, m->prefix->data, m->prefix->len);
		xmp_scan(m, m->prefix->data, m->prefix->len);
	}
	facts_finish(m);
	if (facts != NULL) {
		*facts = m->facts;
		memset(&m->facts, 0, sizeof m->facts);
	}
	media_facts_clear(&m->facts);
	if (m->filename != NULL)
		name_check(m->filename, why);
	content_check(m, why);
	if (has_gps != NULL)
		*has_gps = m->pos.found;
	if (lat != NULL)
		*lat = m->pos.found ? m->pos.lat : 0;
	if (lon != NULL)
		*lon = m->pos.found ? m->pos.lon : 0;
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
	media_bmff_free(m->bmff);
	zip_free(m->zip);
	g_free(m->content_type);
	g_free(m->filename);
	g_free(m);
}
