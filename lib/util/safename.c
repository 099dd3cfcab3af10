/* safename.c - safe names for files named by senders (see util.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uspoof.h>

#include "util.h"

#define EXT_MAX 16
#define TRIES 1000

static gboolean
char_is_bad(gunichar c)
{
	if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
		return TRUE;
	if (c == 0x2028 || c == 0x2029 || c == 0xfeff)
		return TRUE;
	if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
	    c == 0x200e || c == 0x200f || c == 0x061c)
		return TRUE;
	return strchr("/\\<>:\"|?*", (int)c) != NULL && c < 0x80;
}

/* Does C show nothing by itself: white space, a control or format
 * character (zero-width space and joiners, bidi controls), a default
 * ignorable code point (Hangul fillers, variation selectors, tags), a
 * combining mark with no letter, or the blank Braille pattern? (ICU) */
static gboolean
char_is_invisible(gunichar c)
{
	int8_t t = u_charType((UChar32)c);

	return u_isUWhiteSpace((UChar32)c) ||
	    u_hasBinaryProperty((UChar32)c,
				UCHAR_DEFAULT_IGNORABLE_CODE_POINT) ||
	    t == U_CONTROL_CHAR || t == U_FORMAT_CHAR ||
	    t == U_SPACE_SEPARATOR || t == U_LINE_SEPARATOR ||
	    t == U_PARAGRAPH_SEPARATOR || t == U_NON_SPACING_MARK ||
	    t == U_ENCLOSING_MARK || t == U_UNASSIGNED || c == 0x2800;
}

/* Does UTF-16 text U (N units) contain a character that a path or a
 * Windows name treats specially? */
static gboolean
has_special(const UChar *u, int32_t n)
{
	for (int32_t i = 0; i < n; i++)
		if (u[i] < 0x80 && strchr("/\\.:<>\"|?*", (int)u[i]) != NULL &&
		    u[i] != 0)
			return TRUE;
	return FALSE;
}

/* Is the non-ASCII character C a look-alike of a path separator, a dot
 * or another character Windows forbids: fullwidth solidus and full stop,
 * division and fraction slash, one-dot leader, ellipsis, fullwidth colon
 * and the like?  Found, not listed: C's compatibility form (NFKC) or its
 * confusable skeleton (UTS #39, ICU uspoof) contains one of those ASCII
 * characters.  Letters and marks are never look-alikes here, so
 * Vietnamese (and Japanese ノ, which UTS #39 maps to '/') stay intact. */
static gboolean
char_is_lookalike(gunichar c)
{
	static USpoofChecker *sc;
	static const UNormalizer2 *nfkc;
	static gsize once;
	UChar in[2], out[32];
	int32_t n = 0, len;
	UErrorCode e = U_ZERO_ERROR;
	int8_t t = u_charType((UChar32)c);

	if (c < 0x80 || (t >= U_UPPERCASE_LETTER && t <= U_OTHER_LETTER) ||
	    t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK ||
	    t == U_COMBINING_SPACING_MARK)
		return FALSE;
	if (g_once_init_enter(&once)) {
		sc = uspoof_open(&e);
		nfkc = unorm2_getNFKCInstance(&e);
		g_once_init_leave(&once, 1);
	}
	U16_APPEND_UNSAFE(in, n, (UChar32)c);
	e = U_ZERO_ERROR;
	len = nfkc != NULL ? unorm2_normalize(nfkc, in, n, out, 32, &e) : 0;
	if (U_SUCCESS(e) && has_special(out, len))
		return TRUE;
	e = U_ZERO_ERROR;
	len = sc != NULL ? uspoof_getSkeleton(sc, 0, in, n, out, 32, &e) : 0;
	return U_SUCCESS(e) && has_special(out, len);
}

/* Windows refuses these as file names whatever the extension and case,
 * including COM/LPT with a superscript digit (¹ ² ³) and the console
 * devices; a space before the extension does not help. */
static gboolean
is_device_name(const char *s)
{
	static const char *const dev[] = { "con", "prn", "aux", "nul",
		"conin$", "conout$", "clock$", NULL };
	static const char *const sup[] = { "\u00b9", "\u00b2", "\u00b3",
		NULL };
	gsize n = strcspn(s, ".");

	while (n > 0 && s[n - 1] == ' ')
		n--;
	for (int i = 0; dev[i] != NULL; i++)
		if (n == strlen(dev[i]) &&
		    g_ascii_strncasecmp(s, dev[i], n) == 0)
			return TRUE;
	if (n < 4 || (g_ascii_strncasecmp(s, "com", 3) != 0 &&
		      g_ascii_strncasecmp(s, "lpt", 3) != 0))
		return FALSE;
	if (n == 4 && g_ascii_isdigit(s[3]))
		return TRUE;
	for (int i = 0; sup[i] != NULL; i++)
		if (n == 3 + strlen(sup[i]) &&
		    strncmp(s + 3, sup[i], strlen(sup[i])) == 0)
			return TRUE;
	return FALSE;
}

/* NAME with the characters in STRIP ("." " " "-") and invisible ones
 * removed from its start (LEAD) or end. */
static void
trim(GString *s, const char *strip, gboolean lead)
{
	while (s->len > 0) {
		const char *p = lead ? s->str :
		    g_utf8_find_prev_char(s->str, s->str + s->len);
		gunichar c = g_utf8_get_char(p);
		gsize clen = (gsize)(g_utf8_next_char(p) - p);

		if (!(c < 0x80 && strchr(strip, (int)c) != NULL) &&
		    !char_is_invisible(c))
			break;
		if (lead)
			g_string_erase(s, 0, (gssize)clen);
		else
			g_string_truncate(s, s->len - clen);
	}
}

/* A name for case-insensitive comparison: NFC, Unicode full case
 * folding, NFC again (macOS, Windows and FAT compare names about so;
 * folding more than they do only costs a "-2"). */
static char *
name_fold(const char *name)
{
	char *nfc = nfc_normalize(name, -1);
	char *folded = g_utf8_casefold(nfc != NULL ? nfc : name, -1);
	char *out = nfc_normalize(folded, -1);

	g_free(nfc);
	g_free(folded);
	return out != NULL ? out : g_strdup(name);
}

static gboolean
is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return FALSE;
	return TRUE;
}

/* NAME's key for case-insensitive comparison (g_free); ASCII names are
 * only lowered (full case folding maps no ASCII letter elsewhere). */
static char *
name_key(const char *name)
{
	return is_ascii(name) ? g_ascii_strdown(name, -1) : name_fold(name);
}

/* The keys of the names in the last folder written to, so that an export
 * of 900 attachments reads its folder once, not 900 times.  The folder's
 * mtime, taken after each of our own creations, tells whether anyone else
 * changed it since (then it is read again). */
static struct {
	dev_t dev;
	ino_t ino;
	struct timespec mtime;
	GHashTable *keys;
} seen;

static gboolean
seen_valid(const struct stat *sb)
{
	return seen.keys != NULL && seen.dev == sb->st_dev &&
	    seen.ino == sb->st_ino &&
	    seen.mtime.tv_sec == sb->st_mtim.tv_sec &&
	    seen.mtime.tv_nsec == sb->st_mtim.tv_nsec;
}

/* The keys of every name in DIRFD (borrowed), or NULL when it cannot be
 * read. */
static GHashTable *
names_in(int dirfd)
{
	struct stat sb;
	struct dirent *de;
	DIR *d;
	int fd;

	if (fstat(dirfd, &sb) != 0)
		return NULL;
	if (seen_valid(&sb))
		return seen.keys;
	if ((fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return NULL;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return NULL;
	}
	if (seen.keys != NULL)
		g_hash_table_destroy(seen.keys);
	seen.keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					  NULL);
	while ((de = readdir(d)) != NULL)
		g_hash_table_add(seen.keys, name_key(de->d_name));
	closedir(d);
	seen.dev = sb.st_dev;
	seen.ino = sb.st_ino;
	seen.mtime = sb.st_mtim;
	return seen.keys;
}

/* Does the folder DIRFD hold a name that differs from NAME only in case
 * (or normalization)?  Linux keeps "Photo.jpg" and "photo.jpg" apart;
 * the copy on an editor's Mac, Windows PC or USB stick keeps one. */
static gboolean
name_taken(int dirfd, const char *name)
{
	GHashTable *keys = names_in(dirfd);
	char *key;
	gboolean taken;

	if (keys == NULL)
		return FALSE;	/* the O_EXCL open still refuses a clash */
	key = name_key(name);
	taken = g_hash_table_contains(keys, key);
	g_free(key);
	return taken;
}

/* NAME was just created in DIRFD: remember it without reading the folder
 * again. */
static void
name_created(int dirfd, const char *name)
{
	struct stat sb;

	if (seen.keys == NULL || fstat(dirfd, &sb) != 0 ||
	    seen.dev != sb.st_dev || seen.ino != sb.st_ino)
		return;
	g_hash_table_add(seen.keys, name_key(name));
	seen.mtime = sb.st_mtim;
}

/* The byte offset of NAME's extension (its last '.', when what follows is
 * short and plain), or strlen(NAME). */
static gsize
ext_offset(const char *name)
{
	const char *dot = strrchr(name, '.');
	gsize len = strlen(name);

	if (dot == NULL || dot == name || len - (gsize)(dot - name) > EXT_MAX)
		return len;
	for (const char *p = dot + 1; *p; p++)
		if (*p == ' ')
			return len;
	return (gsize)(dot - name);
}

/* STEM cut to at most MAX bytes on a character boundary; combining marks
 * never lose their letter (the cut moves before the whole cluster). */
static void
cut_stem(GString *stem, gsize max)
{
	const char *p;

	if (stem->len <= max)
		return;
	p = stem->str + max;
	while (p > stem->str && (*p & 0xc0) == 0x80)
		p--;
	while (p > stem->str &&
	       g_unichar_iszerowidth(g_utf8_get_char(p))) {
		p = g_utf8_prev_char(p);
	}
	g_string_truncate(stem, (gsize)(p - stem->str));
}

/* NAME with "-N" before its extension, within SAFENAME_MAX. */
static char *
with_suffix(const char *name, int n)
{
	gsize e = ext_offset(name);
	GString *stem = g_string_new_len(name, (gssize)e);
	char suffix[16];
	char *out;

	if (n > 1) {
		g_snprintf(suffix, sizeof suffix, "-%d", n);
		cut_stem(stem, SAFENAME_MAX - strlen(name + e) -
			 strlen(suffix));
		g_string_append(stem, suffix);
	}
	g_string_append(stem, name + e);
	out = g_string_free(stem, FALSE);
	return out;
}

char *
safename_make(const char *name, const char *fallback)
{
	char *valid, *nfc;
	GString *s;
	const char *p;
	gboolean visible = FALSE;
	gsize e;

	valid = g_utf8_make_valid(name != NULL ? name : "", -1);
	nfc = nfc_normalize(valid, -1);
	g_free(valid);
	s = g_string_new(NULL);
	for (p = nfc != NULL ? nfc : ""; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (!char_is_invisible(c))
			visible = TRUE;
		if (char_is_bad(c) || char_is_lookalike(c))
			g_string_append_c(s, '_');
		else
			g_string_append_unichar(s, c);
	}
	g_free(nfc);
	trim(s, ". -", TRUE);
	trim(s, ". ", FALSE);
	/* Only invisible characters: whatever is left (an '_' for a bidi
	 * control) would name nothing the editor can see. */
	if (s->len == 0 || !visible) {
		g_string_free(s, TRUE);
		return g_strdup(fallback);
	}
	if (is_device_name(s->str))
		g_string_prepend_c(s, '_');
	if (s->len > SAFENAME_MAX) {
		GString *stem;
		char *ext;

		e = ext_offset(s->str);
		ext = g_strdup(s->str + e);
		stem = g_string_new_len(s->str, (gssize)e);
		cut_stem(stem, SAFENAME_MAX - strlen(ext));
		g_string_append(stem, ext);
		g_free(ext);
		g_string_free(s, TRUE);
		s = stem;
	}
	return g_string_free(s, FALSE);
}

/* EACCES and friends need a person (77); ENOSPC and the like may pass. */
static tl_status
fs_status(int err)
{
	return (err == EACCES || err == EPERM || err == EROFS) ? TL_NOPERM :
	    TL_TEMPFAIL;
}

tl_status
safename_create(int dirfd, const char *name, int mode, int *fd_out,
		char **final_out, char **errmsg)
{
	for (int n = 1; n <= TRIES; n++) {
		char *cand = with_suffix(name, n);
		char *err = NULL;
		tl_status rc;
		int fd = -1, e;

		if (name_taken(dirfd, cand)) {
			g_free(cand);
			continue;
		}
		/* New files only (O_EXCL), no link followed (util.h). */
		rc = safefile_open(dirfd, cand, O_WRONLY | O_CREAT | O_EXCL,
				   mode, NULL, &fd, &err);
		e = errno;
		if (rc == TL_OK) {
			name_created(dirfd, cand);
			*fd_out = fd;
			*final_out = cand;
			return TL_OK;
		}
		g_free(cand);
		if (e != EEXIST) {
			*errmsg = err;
			return rc;
		}
		g_free(err);
	}
	*errmsg = g_strdup_printf("%s: %d names taken", name, TRIES);
	return TL_TEMPFAIL;
}

tl_status
safename_mkdir(int dirfd, const char *name, int mode, char **final_out,
	       char **errmsg)
{
	for (int n = 1; n <= TRIES; n++) {
		char *cand = with_suffix(name, n);

		if (name_taken(dirfd, cand)) {
			g_free(cand);
			continue;
		}
		if (mkdirat(dirfd, cand, (mode_t)mode) == 0) {
			name_created(dirfd, cand);
			*final_out = cand;
			return TL_OK;
		}
		if (errno != EEXIST) {
			tl_status rc = fs_status(errno);

			*errmsg = g_strdup_printf("%s: %s", cand,
						  g_strerror(errno));
			g_free(cand);
			return rc;
		}
		g_free(cand);
	}
	*errmsg = g_strdup_printf("%s: %d names taken", name, TRIES);
	return TL_TEMPFAIL;
}

char *
safename_slug(const char *text, gsize max)
{
	char *folded = nfc_fold(text);
	GString *s = g_string_new(NULL);

	for (const char *p = folded; *p && s->len < max; p++) {
		if (g_ascii_isalnum(*p))
			g_string_append_c(s, g_ascii_tolower(*p));
		else if (s->len > 0 && s->str[s->len - 1] != '-')
			g_string_append_c(s, '-');
	}
	while (s->len > 0 && s->str[s->len - 1] == '-')
		g_string_truncate(s, s->len - 1);
	g_free(folded);
	return g_string_free(s, FALSE);
}
