/* safename.c - safe names for files named by senders (see safename.h). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "desk.h"
#include "safename.h"
#include "nfc.h"

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

/* Windows refuses these as file names whatever the extension. */
static gboolean
is_device_name(const char *s)
{
	static const char *const dev[] = { "con", "prn", "aux", "nul", NULL };
	gsize n = strcspn(s, ".");

	while (n > 0 && s[n - 1] == ' ')
		n--;
	for (int i = 0; dev[i] != NULL; i++)
		if (n == 3 && g_ascii_strncasecmp(s, dev[i], 3) == 0)
			return TRUE;
	if (n == 4 && (g_ascii_strncasecmp(s, "com", 3) == 0 ||
		       g_ascii_strncasecmp(s, "lpt", 3) == 0) &&
	    g_ascii_isdigit(s[3]))
		return TRUE;
	return FALSE;
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
	gsize start, e;

	valid = g_utf8_make_valid(name != NULL ? name : "", -1);
	nfc = nfc_normalize(valid, -1);
	g_free(valid);
	s = g_string_new(NULL);
	for (p = nfc != NULL ? nfc : ""; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (char_is_bad(c))
			g_string_append_c(s, '_');
		else
			g_string_append_unichar(s, c);
	}
	g_free(nfc);
	for (start = 0; start < s->len && strchr(". -", s->str[start]) &&
	     s->str[start] != '\0'; start++)
		;
	g_string_erase(s, 0, (gssize)start);
	while (s->len > 0 && (s->str[s->len - 1] == '.' ||
			      s->str[s->len - 1] == ' '))
		g_string_truncate(s, s->len - 1);
	if (s->len == 0) {
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
		int fd = openat(dirfd, cand, O_WRONLY | O_CREAT | O_EXCL |
				O_NOFOLLOW | O_CLOEXEC, mode);

		if (fd >= 0) {
			*fd_out = fd;
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

tl_status
safename_mkdir(int dirfd, const char *name, int mode, char **final_out,
	       char **errmsg)
{
	for (int n = 1; n <= TRIES; n++) {
		char *cand = with_suffix(name, n);

		if (mkdirat(dirfd, cand, (mode_t)mode) == 0) {
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
	char *folded = desk_fold(text);
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
