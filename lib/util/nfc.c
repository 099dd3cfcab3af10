/* nfc.c - NFC through ICU's UNormalizer2 (UTF-8 -> UTF-16 -> UTF-8). */
#include <string.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "util.h"

/* UTF-8 (validated, LEN bytes) to a new UTF-16 buffer of *ULEN units;
 * NULL on failure.  One conversion into room for LEN units (UTF-16 never
 * needs more units than UTF-8 has bytes), not a sizing pass and then a
 * second one: every text part of every message comes here. */
static UChar *
to_utf16(const char *s, gsize len, int32_t *ulen)
{
	UErrorCode e = U_ZERO_ERROR;
	UChar *u = g_new(UChar, len + 1);

	u_strFromUTF8(u, (int32_t)len + 1, ulen, s, (int32_t)len, &e);
	if (U_FAILURE(e)) {
		g_free(u);
		return NULL;
	}
	return u;
}

static char *
to_utf8(const UChar *u, int32_t ulen)
{
	UErrorCode e = U_ZERO_ERROR;
	int32_t blen = 0;
	char *b;

	u_strToUTF8(NULL, 0, &blen, u, ulen, &e);
	if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e))
		return NULL;
	e = U_ZERO_ERROR;
	b = g_malloc(blen + 1);
	u_strToUTF8(b, blen + 1, NULL, u, ulen, &e);
	if (U_FAILURE(e)) {
		g_free(b);
		return NULL;
	}
	b[blen] = '\0';
	return b;
}

char *
nfc_normalize(const char *s, gssize len)
{
	const UNormalizer2 *nfc;
	UErrorCode e = U_ZERO_ERROR;
	UChar *u = NULL, *out = NULL;
	int32_t ulen = 0, olen, done;
	gsize n;
	char *r = NULL;
	gboolean ascii = TRUE;

	if (s == NULL)
		return NULL;
	n = len < 0 ? strlen(s) : (gsize)len;
	if (!g_utf8_validate_len(s, n, NULL) || n > G_MAXINT32 / 2)
		return NULL;
	for (gsize i = 0; i < n && ascii; i++)
		ascii = (unsigned char)s[i] < 0x80;
	if (ascii)
		return g_strndup(s, n);
	nfc = unorm2_getNFCInstance(&e);
	if (U_FAILURE(e) || (u = to_utf16(s, n, &ulen)) == NULL)
		goto fallback;
	done = unorm2_spanQuickCheckYes(nfc, u, ulen, &e);
	if (U_FAILURE(e))
		goto fallback;
	if (done == ulen) {
		g_free(u);
		return g_strndup(s, n);
	}
	olen = unorm2_normalize(nfc, u, ulen, NULL, 0, &e);
	if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e))
		goto fallback;
	e = U_ZERO_ERROR;
	out = g_new(UChar, olen + 1);
	unorm2_normalize(nfc, u, ulen, out, olen + 1, &e);
	if (U_FAILURE(e))
		goto fallback;
	r = to_utf8(out, olen);
	if (r == NULL)
		goto fallback;
	g_free(u);
	g_free(out);
	return r;
fallback:
	/* ICU without its data is not expected; GLib is right, only slow. */
	g_free(u);
	g_free(out);
	return g_utf8_normalize(s, (gssize)n, G_NORMALIZE_NFC);
}

char *
nfc_fold(const char *s)
{
	GString *out;
	const char *p;

	if (s == NULL)
		return g_strdup("");
	/* Per character, no normalisation pass: this runs once per row for
	 * --from (100,000 rows in about a tenth of a second). */
	out = g_string_sized_new(strlen(s));
	for (p = s; *p != '\0';) {
		gunichar c = g_utf8_get_char_validated(p, -1), d[8];
		gsize n;

		if (c == (gunichar)-1 || c == (gunichar)-2) {
			p++;		/* invalid byte: not a letter */
			continue;
		}
		p = g_utf8_next_char(p);
		if (c < 0x80) {
			g_string_append_c(out, g_ascii_tolower((char)c));
			continue;
		}
		if (g_unichar_type(c) == G_UNICODE_NON_SPACING_MARK)
			continue;
		/* The base letter of a precomposed one (ễ -> e). */
		n = g_unichar_fully_decompose(c, FALSE, d, G_N_ELEMENTS(d));
		if (n > 0)
			c = d[0];
		/* đ/Đ have no decomposition (Unicode keeps them as letters
		 * of their own), so no mark-stripping reaches them. */
		if (c == 0x0111 || c == 0x0110)
			c = 'd';
		g_string_append_unichar(out, g_unichar_tolower(c));
	}
	return g_string_free(out, FALSE);
}
