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
#include "media-bmff.h"

#define HEAD_LEN	16	/* bytes that decide the kind */
#define PAT_MAX		32	/* longest searched pattern */
#define EXIF_TRIES	16	/* TIFF headers tried per image */
#define ZIP_NAME_MAX	512	/* longer zip entry names are not read */

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
 * read from the stream: names are stored uncompressed. */
typedef struct {
	guint32 win;		/* last four bytes, for the signatures */
	guint8 buf[ZIP_NAME_MAX];
	size_t have, need;	/* collecting a header or a name */
	gboolean central, in_name;
	char *exe;		/* first top-level executable entry */
} zip_names;

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
	media_pos_set(&m->pos, lat, lon);
	return m->pos.found;
}

/* Walk JPEG marker segments (ITU T.81 B.1.1) up to the first scan and try
 * every APP1 that holds Exif. */
static void
jpeg_scan(media_scan *m, const guint8 *p, size_t len)
{
	size_t i = 2;

	while (i + 4 <= len && !m->pos.found) {
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

/* A zip entry name: an executable at the top level of an archive is the
 * usual way malware passes mail filters ("invoice.zip" holding
 * "invoice.pdf.exe").  Entries in folders are not judged: zipped web pages
 * and e-books carry .js files. */
static void
zip_name_check(zip_names *z, const guint8 *name, size_t len)
{
	char *s = g_utf8_make_valid((const char *)name, (gssize)len);
	char *ext = NULL;
	size_t stem;

	if (strchr(s, '/') == NULL && strchr(s, '\\') == NULL &&
	    (ext = name_ext(s, &stem)) != NULL && in_list(exec_ext, ext))
		z->exe = g_strdup(s);
	g_free(ext);
	g_free(s);
}

static void
zip_feed(zip_names *z, const guint8 *p, size_t len)
{
	for (size_t i = 0; i < len && z->exe == NULL; i++) {
		size_t nl;

		if (z->need == 0) {
			/* No signature under way: jump to the next 'P'. */
			if ((z->win & 0xff) != 'P' && (z->win >> 8 & 0xff) !=
			    'P' && (z->win >> 16 & 0xff) != 'P') {
				const guint8 *q = memchr(p + i, 'P', len - i);

				if (q == NULL)
					break;
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
			zip_name_check(z, z->buf, z->have);
			continue;
		}
		nl = z->central ? (size_t)(z->buf[24] | z->buf[25] << 8) :
		    (size_t)(z->buf[22] | z->buf[23] << 8);
		if (nl > 0 && nl <= ZIP_NAME_MAX) {
			z->in_name = TRUE;
			z->have = 0;
			z->need = nl;
		}
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
		g_ptr_array_add(why, g_strdup_printf("archive holds an "
		    "executable: %s", m->zip->exe));
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
		if (!m->pos.found)
			tiff_search(m, m->prefix->data, m->prefix->len);
	}
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
	if (m->zip != NULL)
		g_free(m->zip->exe);
	g_free(m->zip);
	g_free(m->content_type);
	g_free(m->filename);
	g_free(m);
}
