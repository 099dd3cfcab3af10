/* mime-text.c - charset conversion with label repair, NFC, legacy font
 * hints (see mime-text-priv.h). */
#include <errno.h>
#include <string.h>

#include <unicode/ucnv.h>
#include <unicode/ustring.h>

#include "mime-text-priv.h"
#include "util.h"

static const char replacement[] = "\xEF\xBF\xBD";	/* U+FFFD */

static gboolean
charset_is(const char *cs, const char *const *names)
{
	for (size_t i = 0; names[i] != NULL; i++)
		if (g_ascii_strcasecmp(cs, names[i]) == 0)
			return TRUE;
	return FALSE;
}

/* Labels that web forms and old mailers put on whatever bytes they have. */
static gboolean
charset_is_latin(const char *cs)
{
	static const char *const names[] = {
		"us-ascii", "ascii", "ansi_x3.4-1968", "iso-8859-1",
		"iso_8859-1", "iso8859-1", "latin1", "l1", "windows-1252",
		"cp1252", "x-ansi", "iso-8859-15", "us", NULL
	};

	return charset_is(cs, names);
}

static gboolean
charset_is_utf8(const char *cs)
{
	static const char *const names[] = {
		"utf-8", "utf8", "x-utf-8", "unicode-1-1-utf-8", NULL
	};

	return charset_is(cs, names);
}

/* UTF-16/32 text is full of NUL bytes that are part of its characters. */
static gboolean
charset_is_wide(const char *cs)
{
	return cs != NULL && (g_ascii_strncasecmp(cs, "utf-16", 6) == 0 ||
	    g_ascii_strncasecmp(cs, "utf-32", 6) == 0 ||
	    g_ascii_strncasecmp(cs, "ucs-2", 5) == 0 ||
	    g_ascii_strncasecmp(cs, "ucs-4", 5) == 0 ||
	    g_ascii_strcasecmp(cs, "unicode") == 0);
}

gboolean
mime_conv_is_label_repair(mime_conv how)
{
	return how == MIME_CONV_RELABEL_UTF8 || how == MIME_CONV_FALSE_UTF8 ||
	    how == MIME_CONV_RELABEL_FAMILY;
}

static gboolean
has_8bit(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)buf[i] >= 0x80)
			return TRUE;
	return FALSE;
}

/* Invalid UTF-8 that holds at least as many valid multi-byte sequences
 * as invalid bytes: UTF-8 text with stray bytes, or two encodings pasted
 * together (a UTF-8 reply over a Latin-1 quote).  Text wholly in a legacy
 * charset (cp1258 Vietnamese, Latin-1) has next to no valid multi-byte
 * sequences and goes to the fallback charsets whole instead.  *bad gets
 * the invalid byte count. */
static gboolean
partly_utf8(const char *buf, size_t len, size_t *bad)
{
	const char *p = buf, *end = buf + len, *stop;
	size_t good = 0;

	*bad = 0;
	while (p < end) {
		gboolean ok = g_utf8_validate(p, end - p, &stop);

		for (const char *q = p; q < stop; q++)
			if (((unsigned char)*q & 0xC0) == 0xC0)
				good++;
		if (ok)
			break;
		/* A Vietnamese letter cut short (E1 BA, E1 BB: see
		 * mime_text_utf8_cut) is UTF-8 too, though not whole. */
		p = stop + 1;
		if (mime_text_utf8_cut(stop, end) &&
		    (unsigned char)stop[1] >= 0xA0) {
			good++;
			while (p < end && ((unsigned char)*p & 0xC0) == 0x80)
				p++;
		}
		(*bad)++;
	}
	/* More valid sequences than bad bytes: one tone mark of cp1258
	 * text that happens to precede "…" (0xD2 0x85) is not UTF-8. */
	return good > 0 && good >= *bad;
}

gboolean
mime_text_utf8_few_invalid(const char *buf, size_t len, size_t *bad)
{
	const char *p = buf, *end = buf + len, *stop;
	size_t good = 0, nbad = 0;

	while (p < end) {
		gboolean ok = g_utf8_validate(p, end - p, &stop);

		for (const char *q = p; q < stop; q++)
			if (((unsigned char)*q & 0xC0) == 0xC0)
				good++;
		if (ok)
			break;
		nbad++;
		/* A cut character counts once, with its continuation bytes. */
		p = stop + 1;
		while (p < end && ((unsigned char)*p & 0xC0) == 0x80)
			p++;
	}
	if (bad != NULL)
		*bad = nbad;
	return nbad == 1 || (nbad > 0 && nbad * 4 <= good);
}

gboolean
mime_text_utf8_cut(const char *p, const char *end)
{
	unsigned char c = (unsigned char)p[0], d;
	unsigned char lo = 0x80, hi = 0xBF;
	int need;

	if (c < 0xC2 || c > 0xF4 || end - p < 2)
		return FALSE;
	need = c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	d = (unsigned char)p[1];
	if (d < lo || d > hi)
		return FALSE;
	for (int i = 2; i <= need; i++)
		if (p + i >= end || ((unsigned char)p[i] & 0xC0) != 0x80)
			return TRUE;
	return FALSE;
}

/* Valid UTF-8 runs as they are; a UTF-8 character cut short
 * (mime_text_utf8_cut: a lead byte and too few of its continuation bytes,
 * a tip cut inside a letter) one U+FFFD, as in headers: its windows-1258
 * reading would be a made-up Vietnamese letter ("\xe1\xbb" as two
 * letters); each other run of invalid bytes read with the fallback
 * charsets, so no byte is lost. */
static char *
mixed_decode(GMimeParserOptions *opts, const char *buf, size_t len)
{
	GString *out = g_string_sized_new(len + 16);
	const char *p = buf, *end = buf + len, *stop;

	while (p < end) {
		const char *q;
		char *dec;

		if (g_utf8_validate(p, end - p, &stop)) {
			g_string_append_len(out, p, end - p);
			break;
		}
		g_string_append_len(out, p, stop - p);
		if (mime_text_utf8_cut(stop, end)) {
			q = stop + 1;
			while (q < end && ((unsigned char)*q & 0xC0) == 0x80)
				q++;
			g_string_append(out, "\xef\xbf\xbd");
			p = q;
			continue;
		}
		/* The invalid run ends where valid UTF-8 resumes. */
		q = stop + 1;
		while (q < end) {
			const char *s2;

			if (((unsigned char)*q & 0x80) == 0)
				break;
			g_utf8_validate(q, MIN(end - q, 4), &s2);
			if (s2 > q)
				break;
			q++;
		}
		dec = g_mime_utils_decode_8bit(opts, stop, q - stop);
		g_string_append(out, dec);
		g_free(dec);
		p = q;
	}
	return g_string_free(out, FALSE);
}

/* Replace SUB (0x1A, standing for a NUL byte of the input) and any
 * invalid sequence by U+FFFD; returns a new string. */
static char *
make_valid(const char *buf, size_t len)
{
	GString *out = g_string_sized_new(len + 1);
	const char *p = buf, *end = buf + len, *bad;

	while (p < end) {
		if (g_utf8_validate(p, end - p, &bad))
			bad = end;
		/* The valid run copied whole up to each SUB (0x1A), not a
		 * byte at a time: every text part passes here. */
		for (const char *q = p; q < bad; ) {
			const char *sub = memchr(q, 0x1A, (size_t)(bad - q));
			const char *stop = sub != NULL ? sub : bad;

			g_string_append_len(out, q, stop - q);
			if (sub == NULL)
				break;
			g_string_append(out, replacement);
			q = sub + 1;
		}
		if (bad == end)
			break;
		g_string_append(out, replacement);
		p = bad + 1;
		/* Skip the continuation bytes of the broken sequence. */
		while (p < end && ((unsigned char)*p & 0xC0) == 0x80)
			p++;
	}
	return g_string_free(out, FALSE);
}

/* Labels real mailers send that neither GMime's table nor glibc iconv
 * know by that name. */
static const char *
charset_alias(const char *cs)
{
	static const char *const map[][2] = {
		{ "x-gbk", "GBK" }, { "gb2312", "GBK" }, { "x-gb2312", "GBK" },
		{ "ks_c_5601-1987", "CP949" }, { "ks_c_5601", "CP949" },
		{ "ks_c_5601-1989", "CP949" }, { "x-windows-949", "CP949" },
		{ "x-sjis", "SHIFT_JIS" }, { "x-euc-jp", "EUC-JP" },
		{ "x-euc-kr", "EUC-KR" }, { "x-big5", "BIG5" },
		{ "unicode-1-1-utf-7", "UTF-7" },
		{ "x-mac-roman", "MACINTOSH" },
		{ "x-viet-tcvn", "TCVN5712-1" }, { "x-viet-viscii", "VISCII" },
		{ "x-cp1258", "CP1258" }, { "x-cp1252", "CP1252" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(map); i++)
		if (g_ascii_strcasecmp(cs, map[i][0]) == 0)
			return map[i][1];
	return cs;
}

/* iconv from CS; every invalid byte becomes U+FFFD and is counted in
 * *bad.  NULL when iconv cannot open CS. */
static char *
convert_iconv(const char *buf, size_t len, const char *cs, size_t *bad)
{
	GIConv cd;
	GString *out;
	char chunk[4096];
	char *in = (char *)buf;
	size_t inleft = len;

	*bad = 0;
	cd = g_mime_iconv_open("UTF-8", charset_alias(cs));
	if (cd == (GIConv)-1)
		return NULL;
	out = g_string_sized_new(len + len / 2 + 1);
	while (inleft > 0) {
		char *o = chunk;
		size_t oleft = sizeof chunk;
		size_t r = g_iconv(cd, &in, &inleft, &o, &oleft);

		g_string_append_len(out, chunk, o - chunk);
		if (r != (size_t)-1)
			continue;
		if (errno == E2BIG)
			continue;
		/* EILSEQ or EINVAL (cut sequence at the end): one byte is
		 * lost from the declared reading; say so with U+FFFD, after
		 * any letter the converter still holds. */
		o = chunk;
		oleft = sizeof chunk;
		g_iconv(cd, NULL, NULL, &o, &oleft);
		g_string_append_len(out, chunk, o - chunk);
		g_string_append(out, replacement);
		(*bad)++;
		in++;
		inleft--;
	}
	{
		/* Flush: glibc's CP1258 holds back a base letter waiting
		 * for a combining tone. */
		char *o = chunk;
		size_t oleft = sizeof chunk;

		g_iconv(cd, NULL, NULL, &o, &oleft);
		g_string_append_len(out, chunk, o - chunk);
	}
	g_mime_iconv_close(cd);
	return g_string_free(out, FALSE);
}

/* Japanese mailers label Shift_JIS or EUC-JP text ISO-2022-JP (and the
 * other way round); Chinese and Korean ones name the older subset of
 * what they send.  When the label's conversion meets invalid bytes, a
 * sibling that reads every byte is taken instead. */
static const char *family_used;

static char *
family_retry(const char *buf, size_t len, const char *cs)
{
	static const char *const families[][5] = {
		{ "iso-2022-jp", "shift_jis", "cp932", "euc-jp", NULL },
		{ "gb2312", "gbk", "gb18030", NULL, NULL },
		{ "euc-kr", "cp949", "iso-2022-kr", NULL, NULL },
		{ "big5", "big5-hkscs", "cp950", NULL, NULL },
	};

	for (size_t f = 0; f < G_N_ELEMENTS(families); f++) {
		gboolean member = FALSE;

		for (size_t i = 0; families[f][i] != NULL; i++)
			member |= g_ascii_strcasecmp(cs, families[f][i]) == 0 ||
			    g_ascii_strcasecmp(charset_alias(cs),
					       families[f][i]) == 0;
		if (!member)
			continue;
		for (size_t i = 0; families[f][i] != NULL; i++) {
			size_t bad = 0;
			char *r;

			if (g_ascii_strcasecmp(cs, families[f][i]) == 0)
				continue;
			r = convert_iconv(buf, len, families[f][i], &bad);
			if (r != NULL && bad == 0) {
				family_used = families[f][i];
				return r;
			}
			g_free(r);
		}
	}
	return NULL;
}

/* Is CS a label of the multi-byte East Asian charsets (family_retry()'s
 * families)?  GB18030, Big5-HKSCS and their kin read almost any byte
 * pair as a letter, so UTF-8 under their label often converts without a
 * single error. */
static gboolean
charset_is_cjk(const char *cs)
{
	static const char *const names[] = {
		"gb2312", "gbk", "gb18030", "x-gbk", "x-gb2312", "big5",
		"big5-hkscs", "cp950", "x-big5", "euc-kr", "cp949",
		"ks_c_5601-1987", "ks_c_5601", "ks_c_5601-1989",
		"x-windows-949", "x-euc-kr", "shift_jis", "cp932", "x-sjis",
		"euc-jp", "x-euc-jp", NULL
	};

	return charset_is(cs, names);
}

/* Valid UTF-8 BUF whose reading is letters: multi-byte characters of
 * three bytes or more in all (one three-byte letter, "Ả", or two
 * two-byte ones, "đà"), each a letter or a combining mark.  Legacy CJK
 * text is next to never valid UTF-8 (each GBK or Big5 pair has a small
 * chance to be), and much less so as letters only. */
static gboolean
utf8_letters(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	size_t multi = 0;

	for (; p < end; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (c < 0x80)
			continue;
		if (!g_unichar_isalpha(c) && !g_unichar_ismark(c))
			return FALSE;
		multi += g_unichar_to_utf8(c, NULL);
	}
	return multi >= 3;
}

/* LEN bytes of BUF through ICU's converter NAME, or NULL when ICU does
 * not know NAME or any byte is invalid for it (ICU's stop callback). */
static char *
convert_icu(const char *buf, size_t len, const char *name)
{
	UErrorCode e = U_ZERO_ERROR;
	UConverter *cv = ucnv_open(name, &e);
	UChar *u = NULL;
	char *res = NULL;
	int32_t ulen, n;

	if (U_FAILURE(e) || len > INT32_MAX / 2)
		goto out;
	ucnv_setToUCallBack(cv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL,
			    &e);
	u = g_new(UChar, 2 * len + 1);
	ulen = ucnv_toUChars(cv, u, (int32_t)(2 * len + 1), buf,
			     (int32_t)len, &e);
	if (U_FAILURE(e))
		goto out;
	res = g_malloc(4 * (size_t)ulen + 1);
	u_strToUTF8(res, 4 * ulen + 1, &n, u, ulen, &e);
	if (U_FAILURE(e) || !g_utf8_validate(res, n, NULL)) {
		g_free(res);
		res = NULL;
	}
out:
	g_free(u);
	if (cv != NULL)
		ucnv_close(cv);
	return res;
}

/* Vendor and later-standard supersets of a label, tried when the label's
 * own converter meets bytes it does not know, before any guess: the text
 * is in the declared charset, written by a mailer that uses its
 * extensions.  ISO-2022-JP: Windows' CP50221 (NEC row 13 such as U+2460,
 * IBM extensions; ICU "x-windows-50221"), JIS X 0213 (glibc
 * ISO-2022-JP-3), ISO-2022-JP-2; EUC-JP: eucJP-ms.  ("icu:" marks an ICU
 * converter name, the others are iconv's.)  Returns the text and sets
 * *used, or NULL. */
static char *
superset_retry(const char *buf, size_t len, const char *cs,
	       const char **used)
{
	static const char *const sets[][4] = {
		{ "iso-2022-jp", "icu:x-windows-50221", "ISO-2022-JP-3",
		  "ISO-2022-JP-2" },
		{ "csiso2022jp", "icu:x-windows-50221", "ISO-2022-JP-3",
		  "ISO-2022-JP-2" },
		{ "euc-jp", "EUC-JP-MS", "icu:ibm-33722_P12A_P12A-2009_U2",
		  NULL },
	};

	for (size_t f = 0; f < G_N_ELEMENTS(sets); f++) {
		if (g_ascii_strcasecmp(cs, sets[f][0]) != 0)
			continue;
		for (size_t i = 1; i < G_N_ELEMENTS(sets[f]) &&
		     sets[f][i] != NULL; i++) {
			const char *name = sets[f][i];
			size_t bad = 0;
			char *r;

			if (strncmp(name, "icu:", 4) == 0) {
				r = convert_icu(buf, len, name + 4);
			} else {
				r = convert_iconv(buf, len, name, &bad);
				if (r != NULL && bad > 0) {
					g_free(r);
					r = NULL;
				}
			}
			if (r != NULL) {
				*used = name + (strncmp(name, "icu:", 4) ?
						0 : 4);
				return r;
			}
		}
	}
	return NULL;
}

/* A copy of BUF with each NUL carried as SUB (0x1A, shown as U+FFFD):
 * a NUL would end every C string after it early and lose what follows.
 * NULL when BUF has no NUL or CHARSET is a wide one (UTF-16/32, where
 * zero bytes are part of the characters). */
static char *
nul_free_copy(const char *buf, size_t len, const char *charset)
{
	char *copy;

	if (memchr(buf, '\0', len) == NULL || charset_is_wide(charset))
		return NULL;
	copy = g_memdup2(buf, len);
	for (size_t i = 0; i < len; i++)
		if (copy[i] == '\0')
			copy[i] = 0x1A;
	return copy;
}

/* BUF with no charset label, or labelled Latin-1/ASCII (VALID: it is
 * UTF-8): the UTF-8 it holds, else read with the fallback charsets.
 * NULL for labelled Latin text that is not UTF-8: the declared charset
 * reads it (read_declared). */
static char *
read_unlabelled_or_latin(GMimeParserOptions *opts, const char *buf,
			 size_t len, const char *charset, gboolean valid,
			 mime_conv *how, char **note)
{
	gboolean nolabel = charset == NULL || *charset == '\0';
	size_t bad = 0;
	char *raw = NULL;

	if (valid) {
		if (!nolabel && has_8bit(buf, len)) {
			*how = MIME_CONV_RELABEL_UTF8;
			if (note != NULL)
				*note = g_strdup_printf("charset label %s on "
				    "UTF-8 bytes: read as UTF-8", charset);
		}
		return g_strndup(buf, len);
	}
	if (nolabel && partly_utf8(buf, len, &bad)) {
		*how = MIME_CONV_INVALID_BYTES;
		raw = mixed_decode(opts, buf, len);
		if (note != NULL)
			*note = g_strdup_printf("no charset label, UTF-8 with "
			    "%zu byte(s) that are not: those read with the "
			    "fallback charsets", bad);
	} else if (nolabel) {
		*how = MIME_CONV_GUESSED;
		raw = g_mime_utils_decode_8bit(opts, buf, len);
		if (note != NULL)
			*note = g_strdup("no charset label and not UTF-8: "
					 "read with the fallback charsets");
	}
	return raw;
}

/* BUF labelled UTF-8: as it is when VALID, else with its few invalid
 * bytes marked, its Latin-1 quote read apart, or (not UTF-8 at all) read
 * with the fallback charsets. */
static char *
read_utf8_label(GMimeParserOptions *opts, const char *buf, size_t len,
		const char *charset, gboolean valid, mime_conv *how,
		char **note)
{
	size_t bad = 0;
	char *raw;

	if (valid)
		return g_strndup(buf, len);
	if (mime_text_utf8_few_invalid(buf, len, &bad)) {
		/* UTF-8 with stray or lost bytes: make_valid() shows each
		 * as U+FFFD. */
		*how = MIME_CONV_INVALID_BYTES;
		if (note != NULL)
			*note = g_strdup_printf("%zu byte(s) invalid in UTF-8 "
						"replaced by U+FFFD", bad);
		return g_strndup(buf, len);
	}
	if (partly_utf8(buf, len, &bad)) {
		/* Mixed UTF-8 (a UTF-8 reply over a Latin-1 quote), not
		 * another charset. */
		*how = MIME_CONV_INVALID_BYTES;
		if (note != NULL)
			*note = g_strdup_printf("%zu byte(s) invalid in UTF-8 "
						"read with the fallback "
						"charsets", bad);
		return mixed_decode(opts, buf, len);
	}
	*how = MIME_CONV_FALSE_UTF8;
	raw = g_mime_utils_decode_8bit(opts, buf, len);
	if (note != NULL)
		*note = g_strdup_printf("charset label %s on invalid UTF-8: "
					"read with the fallback charsets",
					charset);
	return raw;
}

/* BUF in the charset its label declares (iconv), with the repairs a
 * wrong or extended label needs: unknown charset, UTF-8 under a legacy
 * label, vendor extensions, a sibling charset, stray invalid bytes. */
static char *
read_declared(GMimeParserOptions *opts, const char *buf, size_t len,
	      const char *charset, gboolean valid, mime_conv *how,
	      char **note)
{
	const char *used = NULL;
	size_t bad = 0;
	char *raw, *alt;

	raw = convert_iconv(buf, len, charset, &bad);
	if (raw == NULL && (valid || partly_utf8(buf, len, &bad))) {
		*how = MIME_CONV_UNKNOWN_CHARSET;
		raw = mixed_decode(opts, buf, len);
		if (note != NULL)
			*note = g_strdup_printf("unknown charset %s: read as "
						"UTF-8", charset);
	} else if (raw == NULL) {
		*how = MIME_CONV_UNKNOWN_CHARSET;
		raw = g_mime_utils_decode_8bit(opts, buf, len);
		if (note != NULL)
			*note = g_strdup_printf("unknown charset %s: read with "
						"the fallback charsets",
						charset);
	} else if (valid && has_8bit(buf, len) && (bad > 0 ||
		   (charset_is_cjk(charset) && utf8_letters(buf, len)))) {
		/* Valid UTF-8 under a legacy label (GB2312, Big5,
		 * Shift_JIS, EUC-KR...) that rejects it, or a CJK label
		 * whose converter reads it without an error (GB18030,
		 * Big5-HKSCS) while it is UTF-8 letters: a form or a
		 * mailer that labels whatever it sends.  A legacy text
		 * of any length is next to never valid UTF-8.  Subject,
		 * body and file names all come here (qa9 finding 9). */
		g_free(raw);
		raw = g_strndup(buf, len);
		*how = MIME_CONV_RELABEL_UTF8;
		if (note != NULL && bad > 0)
			*note = g_strdup_printf("charset label %s on UTF-8 "
						"bytes (%zu byte(s) invalid in "
						"%s): read as UTF-8", charset,
						bad, charset);
		else if (note != NULL)
			*note = g_strdup_printf("charset label %s on UTF-8 "
			    "letters: read as UTF-8", charset);
	} else if (bad > 0 && (alt = superset_retry(buf, len, charset,
						  &used)) != NULL) {
		/* The label is right; its writer used extensions. */
		g_free(raw);
		raw = alt;
		if (note != NULL)
			*note = g_strdup_printf("charset %s with vendor "
						"extensions: read as %s",
						charset, used);
	} else if (bad > 0 && (alt = family_retry(buf, len, charset)) != NULL) {
		g_free(raw);
		raw = alt;
		*how = MIME_CONV_RELABEL_FAMILY;
		if (note != NULL)
			*note = g_strdup_printf("charset label %s on bytes of "
						"a sibling charset: read as "
						"%s", charset, family_used);
	} else if (bad > 0) {
		*how = MIME_CONV_INVALID_BYTES;
		if (note != NULL)
			*note = g_strdup_printf("%zu byte(s) invalid in "
			    "charset %s replaced by U+FFFD", bad, charset);
	}
	return raw;
}

char *
mime_text_convert(GMimeParserOptions *opts, const char *buf, size_t len,
		  const char *charset, mime_conv *how, char **note)
{
	char *raw = NULL, *res = NULL, *copy = NULL;
	gboolean valid, nolabel = charset == NULL || *charset == '\0';

	/* An empty part (a header-only too_large entry, an empty body) may
	 * come as NULL; g_strndup(NULL, 0) would give NULL back. */
	if (buf == NULL || len == 0) {
		buf = "";
		len = 0;
	}
	if ((copy = nul_free_copy(buf, len, charset)) != NULL)
		buf = copy;
	valid = g_utf8_validate(buf, len, NULL);

	*how = MIME_CONV_AS_DECLARED;
	if (note != NULL)
		*note = NULL;
	if (nolabel || charset_is_latin(charset))
		raw = read_unlabelled_or_latin(opts, buf, len, charset, valid,
					       how, note);
	else if (charset_is_utf8(charset))
		raw = read_utf8_label(opts, buf, len, charset, valid, how,
				      note);
	if (raw == NULL)
		raw = read_declared(opts, buf, len, charset, valid, how,
				    note);
	res = make_valid(raw, strlen(raw));
	g_free(raw);
	g_free(copy);
	return res;
}

char *
mime_text_header_hint(const char *raw, const char *hint)
{
	size_t len = strlen(raw), bad = 0;
	char *res;

	if (hint == NULL || *hint == '\0' || !has_8bit(raw, len) ||
	    g_utf8_validate(raw, len, NULL) || charset_is_latin(hint) ||
	    charset_is_utf8(hint))
		return NULL;
	res = convert_iconv(raw, len, hint, &bad);
	if (res != NULL && bad > 0) {
		g_free(res);
		res = family_retry(raw, len, hint);
	}
	return res;
}

char *
mime_text_finish(const char *text)
{
	GString *s = g_string_sized_new(strlen(text) + 1);
	char *nfc;

	/* A byte order mark (Windows editors put one before UTF-8 text)
	 * is not part of what the reader wrote. */
	if (strncmp(text, "\xEF\xBB\xBF", 3) == 0)
		text += 3;
	/* CR LF and a lone CR become LF; the runs between are copied
	 * whole, not a byte at a time. */
	for (const char *p = text; *p != '\0'; ) {
		size_t run = strcspn(p, "\r");

		g_string_append_len(s, p, (gssize)run);
		p += run;
		if (*p == '\r') {
			g_string_append_c(s, '\n');
			p += p[1] == '\n' ? 2 : 1;
		}
	}
	nfc = nfc_normalize(s->str, s->len);
	if (nfc == NULL)	/* cannot happen on valid UTF-8 */
		return g_string_free(s, FALSE);
	g_string_free(s, TRUE);
	return nfc;
}

char *
mime_text_nfc(const char *s)
{
	char *valid, *nfc;

	if (s == NULL)
		return NULL;
	valid = make_valid(s, strlen(s));
	nfc = nfc_normalize(valid, -1);
	if (nfc == NULL)
		return valid;
	g_free(valid);
	return nfc;
}

/* The marks of a legacy Vietnamese font, read as windows-1252 and then
 * as Unicode: all are U+00A8..U+00FC, two UTF-8 bytes after C2 or C3.
 * VNI-Windows writes a tone or vowel mark as a second character after
 * the base vowel ("aø" = à, "oä" = ộ); these are the marks that rarely
 * follow a vowel in Western text.  TCVN3 (.VnTime): µ ¸ ¶ · ¹ (a with
 * tones), ® (đ), ­ (ư, a soft hyphen), ¬ (ơ), © (â), ¨ (ă), ª (ê),
 * « (ô), wherever they stand. */
#define LEGACY_VNI	1
#define LEGACY_TCVN3	2

static unsigned char
legacy_mark(gunichar c)
{
	switch (c) {
	case 0xF8: case 0xFB: case 0xF5: case 0xEF: case 0xF9: case 0xE4:
	case 0xE5: case 0xEB: case 0xFC:
		return LEGACY_VNI;
	case 0xB5: case 0xB8: case 0xB6: case 0xB7: case 0xB9: case 0xAE:
	case 0xAD: case 0xAC: case 0xA9: case 0xA8: case 0xAA: case 0xAB:
		return LEGACY_TCVN3;
	default:
		return 0;
	}
}

/* How many VNI marks follow an ASCII vowel in TEXT (valid UTF-8), into
 * *VNI, and how many TCVN3 marks it holds, into *TCVN3.  One pass over
 * the bytes, decoding only the two-byte sequences that can be marks:
 * this ran over every character of every text part twice, a per-message
 * cost of all mail (2.4 % of workload A's CPU, 4 Dec 2026). */
static void
count_legacy_marks(const char *text, size_t *vni, size_t *tcvn3)
{
	const unsigned char *p = (const unsigned char *)text;
	unsigned char prev = 0;

	*vni = *tcvn3 = 0;
	for (; *p != '\0'; p++) {
		unsigned char m;

		if (*p < 0x80) {
			prev = *p;
			continue;
		}
		if ((*p == 0xC2 || *p == 0xC3) && (p[1] & 0xC0) == 0x80) {
			m = legacy_mark(((gunichar)(*p & 0x1F) << 6) |
					(p[1] & 0x3F));
			if (m == LEGACY_TCVN3)
				(*tcvn3)++;
			else if (m == LEGACY_VNI && prev != 0 &&
				 strchr("aeiouyAEIOUY", prev) != NULL)
				(*vni)++;
		}
		/* The rest of a multi-byte character is skipped by the
		 * loop's continuation bytes (all >= 0x80); none of them is
		 * C2 or C3 followed by a continuation byte, since a
		 * continuation byte is 10xxxxxx and C2, C3 are 110xxxxx. */
		prev = 0;
	}
}

const char *
mime_text_legacy_font(const char *text, const char *html)
{
	size_t n_vni, n_tcvn3;

	if (html != NULL) {
		char *low = g_ascii_strdown(html, -1);
		gboolean vni = strstr(low, "vni-") != NULL;
		const char *p;

		g_free(low);
		if (vni)
			return "VNI";
		for (p = strstr(html, ".Vn"); p != NULL;
		     p = strstr(p + 3, ".Vn"))
			if (g_ascii_isupper(p[3]))
				return "TCVN3";
	}
	if (text == NULL)
		return NULL;
	count_legacy_marks(text, &n_vni, &n_tcvn3);
	if (n_vni >= 3)
		return "VNI";
	if (n_tcvn3 >= 4)
		return "TCVN3";
	return NULL;
}
