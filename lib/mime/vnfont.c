/* vnfont.c - TCVN3 and VNI font-hack text to Unicode (see vnfont-priv.h).
 *
 * The tables are data only, one entry per byte the fonts use, written
 * from the published encodings:
 *  - TCVN3: the VN3 set of the Vietnamese standard TCVN 5712:1993, bytes
 *    0xA1-0xFE (VN3 leaves the control and ASCII ranges alone; capitals
 *    with tones exist only in the separate ".VnTimeH" fonts and so are
 *    not in VN3).  The same letters sit at the same bytes in VN1, which
 *    glibc ships as TCVN5712-1: every entry below was checked against it.
 *  - VNI: the VNI Windows font encoding (VNI Software, 1990s; the
 *    "VNI-Times" fonts): a base letter then a mark byte, and single bytes
 *    for the letters with no base (i with a tone, y with a dot, the horn
 *    letters, d with a stroke).  Checked against the corpus's own VNI
 *    message (shared/corpus/vi/20) and its expected conversion.
 * Each byte maps to a Unicode string that may hold combining marks; the
 * result is normalised to NFC, which composes "a" U+0302 U+0301 into ấ.
 */
#include <string.h>

#include "util.h"
#include "vnfont-priv.h"

typedef struct {
	unsigned char byte;
	const char *utf8;
} vn_entry;

/* TCVN 5712:1993 VN3: one precomposed letter per byte. */
static const vn_entry tcvn3[] = {
	{ 0xA1, "Ă" }, { 0xA2, "Â" }, { 0xA3, "Ê" }, { 0xA4, "Ô" },
	{ 0xA5, "Ơ" }, { 0xA6, "Ư" }, { 0xA7, "Đ" }, { 0xA8, "ă" },
	{ 0xA9, "â" }, { 0xAA, "ê" }, { 0xAB, "ô" }, { 0xAC, "ơ" },
	{ 0xAD, "ư" }, { 0xAE, "đ" },
	{ 0xB5, "à" }, { 0xB6, "ả" }, { 0xB7, "ã" }, { 0xB8, "á" },
	{ 0xB9, "ạ" }, { 0xBB, "ằ" }, { 0xBC, "ẳ" }, { 0xBD, "ẵ" },
	{ 0xBE, "ắ" }, { 0xC6, "ặ" }, { 0xC7, "ầ" }, { 0xC8, "ẩ" },
	{ 0xC9, "ẫ" }, { 0xCA, "ấ" }, { 0xCB, "ậ" }, { 0xCC, "è" },
	{ 0xCE, "ẻ" }, { 0xCF, "ẽ" }, { 0xD0, "é" }, { 0xD1, "ẹ" },
	{ 0xD2, "ề" }, { 0xD3, "ể" }, { 0xD4, "ễ" }, { 0xD5, "ế" },
	{ 0xD6, "ệ" }, { 0xD7, "ì" }, { 0xD8, "ỉ" }, { 0xDC, "ĩ" },
	{ 0xDD, "í" }, { 0xDE, "ị" }, { 0xDF, "ò" }, { 0xE1, "ỏ" },
	{ 0xE2, "õ" }, { 0xE3, "ó" }, { 0xE4, "ọ" }, { 0xE5, "ồ" },
	{ 0xE6, "ổ" }, { 0xE7, "ỗ" }, { 0xE8, "ố" }, { 0xE9, "ộ" },
	{ 0xEA, "ờ" }, { 0xEB, "ở" }, { 0xEC, "ỡ" }, { 0xED, "ớ" },
	{ 0xEE, "ợ" }, { 0xEF, "ù" }, { 0xF1, "ủ" }, { 0xF2, "ũ" },
	{ 0xF3, "ú" }, { 0xF4, "ụ" }, { 0xF5, "ừ" }, { 0xF6, "ử" },
	{ 0xF7, "ữ" }, { 0xF8, "ứ" }, { 0xF9, "ự" }, { 0xFA, "ỳ" },
	{ 0xFB, "ỷ" }, { 0xFC, "ỹ" }, { 0xFD, "ý" }, { 0xFE, "ỵ" },
	{ 0, NULL }
};

/* Combining marks used below. */
#define GRAVE	"\xCC\x80"	/* U+0300 huyền */
#define ACUTE	"\xCC\x81"	/* U+0301 sắc */
#define CIRC	"\xCC\x82"	/* U+0302 â ê ô */
#define TILDE	"\xCC\x83"	/* U+0303 ngã */
#define BREVE	"\xCC\x86"	/* U+0306 ă */
#define HOOK	"\xCC\x89"	/* U+0309 hỏi */
#define DOT	"\xCC\xA3"	/* U+0323 nặng */

/* VNI Windows: mark bytes after a base vowel (lower case after a lower
 * case letter, upper case after a capital), and whole letters.  The mark
 * tables are the same 0x20 apart, as in Windows-1252. */
static const vn_entry vni[] = {
	/* lower case */
	{ 0xF9, ACUTE }, { 0xF8, GRAVE }, { 0xFB, HOOK }, { 0xF5, TILDE },
	{ 0xEF, DOT }, { 0xE2, CIRC }, { 0xE1, CIRC ACUTE },
	{ 0xE0, CIRC GRAVE }, { 0xE5, CIRC HOOK }, { 0xE3, CIRC TILDE },
	{ 0xE4, DOT CIRC }, { 0xEA, BREVE }, { 0xE9, BREVE ACUTE },
	{ 0xE8, BREVE GRAVE }, { 0xFA, BREVE HOOK }, { 0xFC, BREVE TILDE },
	{ 0xEB, DOT BREVE }, { 0xF4, "ơ" }, { 0xF6, "ư" }, { 0xF1, "đ" },
	{ 0xED, "í" }, { 0xEC, "ì" }, { 0xE6, "ỉ" }, { 0xF3, "ĩ" },
	{ 0xF2, "ị" }, { 0xEE, "ỵ" },
	/* upper case */
	{ 0xD9, ACUTE }, { 0xD8, GRAVE }, { 0xDB, HOOK }, { 0xD5, TILDE },
	{ 0xCF, DOT }, { 0xC2, CIRC }, { 0xC1, CIRC ACUTE },
	{ 0xC0, CIRC GRAVE }, { 0xC5, CIRC HOOK }, { 0xC3, CIRC TILDE },
	{ 0xC4, DOT CIRC }, { 0xCA, BREVE }, { 0xC9, BREVE ACUTE },
	{ 0xC8, BREVE GRAVE }, { 0xDA, BREVE HOOK }, { 0xDC, BREVE TILDE },
	{ 0xCB, DOT BREVE }, { 0xD4, "Ơ" }, { 0xD6, "Ư" }, { 0xD1, "Đ" },
	{ 0xCD, "Í" }, { 0xCC, "Ì" }, { 0xC6, "Ỉ" }, { 0xD3, "Ĩ" },
	{ 0xD2, "Ị" }, { 0xCE, "Ỵ" },
	{ 0, NULL }
};

/* The table's string for code point C (a Latin-1 byte), or NULL. */
static const char *
lookup(const vn_entry *t, gunichar c)
{
	if (c < 0xA0 || c > 0xFF)
		return NULL;
	for (size_t i = 0; t[i].utf8 != NULL; i++)
		if (t[i].byte == c)
			return t[i].utf8;
	return NULL;
}

char *
vnfont_convert(const char *text, const char *font)
{
	const vn_entry *t;
	GString *s;
	char *nfc;

	if (text == NULL || font == NULL)
		return NULL;
	if (strcmp(font, "TCVN3") == 0)
		t = tcvn3;
	else if (strcmp(font, "VNI") == 0)
		t = vni;
	else
		return NULL;
	/* Unicode Vietnamese in the text (a reply over a font-hack quote, a
	 * reading through windows-1258): converting would change real
	 * letters ("Tôi" to "Tơi"), so there is no safe conversion. */
	for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if ((c >= 0x100 && c < 0x250) || (c >= 0x300 && c < 0x370) ||
		    (c >= 0x1E00 && c < 0x1F00))
			return NULL;
	}
	s = g_string_sized_new(strlen(text) + 16);
	for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		const char *r = lookup(t, c);

		if (r != NULL)
			g_string_append(s, r);
		else
			g_string_append_unichar(s, c);
	}
	nfc = nfc_normalize(s->str, (gssize)s->len);
	if (nfc == NULL)	/* cannot happen: the input was valid */
		return g_string_free(s, FALSE);
	g_string_free(s, TRUE);
	return nfc;
}

gboolean
vnfont_looks(const char *s, const char *font)
{
	gboolean is_vni = font != NULL && strcmp(font, "VNI") == 0;
	const vn_entry *t = is_vni ? vni : tcvn3;
	gunichar prev = 0;
	int hits = 0;

	if (s == NULL || font == NULL || (!is_vni && strcmp(font, "TCVN3")))
		return FALSE;
	for (const char *p = s; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (c > 0xFF)
			return FALSE;
		if (lookup(t, c) != NULL && (!is_vni || (prev != 0 &&
		    strchr("aeiouyAEIOUY", (int)prev) != NULL)))
			hits++;
		prev = c < 0x80 ? c : 0;
	}
	return hits > 0;
}
