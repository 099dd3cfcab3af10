/* mime-header.c - RFC 2047 run rewrite (GMime #133 workaround, split
 * characters, mislabelled charsets) and the header getters built on it
 * (see mime-header.h). */
#include <stdlib.h>
#include <string.h>

#include "mime-header-priv.h"
#include "mime-text-priv.h"

/* One encoded-word: =?charset[*lang]?B|Q?payload?= (RFC 2047, RFC 2231
 * section 5 for the language suffix). */
typedef struct {
	char charset[64];
	GByteArray *bytes;	/* decoded payload */
} eword;

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parse an encoded-word at P. Returns the end of the word and fills W
 * (w->bytes newly allocated), or NULL when P does not start one. */
static const char *
eword_parse(const char *p, eword *w)
{
	const char *cs, *q, *payload, *end;
	size_t cslen;
	char enc;

	if (p[0] != '=' || p[1] != '?')
		return NULL;
	cs = p + 2;
	for (q = cs; *q != '\0' && *q != '?'; q++)
		if (g_ascii_isspace(*q) || (unsigned char)*q >= 0x80)
			return NULL;
	if (*q != '?' || q == cs)
		return NULL;
	cslen = q - cs;
	enc = g_ascii_toupper(q[1]);
	if ((enc != 'B' && enc != 'Q') || q[2] != '?')
		return NULL;
	payload = q + 3;
	for (end = payload; *end != '\0'; end++) {
		if (end[0] == '?' && end[1] == '=')
			break;
		if (g_ascii_isspace(*end))
			return NULL;
	}
	if (*end == '\0')
		return NULL;
	{
		/* Drop an RFC 2231 language suffix: utf-8*vi. */
		const char *star = memchr(cs, '*', cslen);

		if (star != NULL)
			cslen = star - cs;
	}
	if (cslen == 0 || cslen >= sizeof w->charset)
		return NULL;
	memcpy(w->charset, cs, cslen);
	w->charset[cslen] = '\0';
	w->bytes = g_byte_array_new();
	if (enc == 'B') {
		gint state = 0;
		guint save = 0;
		size_t n = end - payload;
		guchar *out = g_malloc(n * 3 / 4 + 3);
		gsize got = g_base64_decode_step(payload, n, out, &state,
						 &save);

		g_byte_array_append(w->bytes, out, got);
		g_free(out);
	} else {
		for (const char *s = payload; s < end; s++) {
			guint8 c = (guint8)*s;

			if (c == '_') {
				c = ' ';
			} else if (c == '=' && s + 2 < end &&
				   hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
				c = (guint8)(hexval(s[1]) * 16 + hexval(s[2]));
				s += 2;
			}
			g_byte_array_append(w->bytes, &c, 1);
		}
	}
	return end + 2;
}

/* ---- bytes of a header value -> UTF-8 (issue 9 section 4 items 7, 9) ---- */

/* Debian's GMime default is {"utf-8", "iso-8859-1"}, which turns raw
 * 8-bit Vietnamese headers into Latin-1 mojibake (vietnamese.md 0.1). */
static const char *fallback_charsets[] = {
	"utf-8", "windows-1258", "iso-8859-1", NULL
};

const char **
mime_header_fallback_charsets(void)
{
	return fallback_charsets;
}

static const char replacement[] = "\xEF\xBF\xBD";	/* U+FFFD */

/* A Vietnamese vowel that may carry a tone mark (the base letters of
 * windows-1258, which writes tones as combining bytes). */
static gboolean
tone_base(gunichar c)
{
	static const char vowels[] = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY";

	for (const char *p = vowels; *p != '\0'; p = g_utf8_next_char(p))
		if (g_utf8_get_char(p) == c)
			return TRUE;
	return FALSE;
}

/* Is TEXT (valid UTF-8, a fallback charset's reading of header bytes)
 * something a person wrote in Vietnamese or a Western language?  Bytes
 * of another charset (GB2312, Shift_JIS, a cut UTF-8 sequence) read as
 * windows-1258 or Latin-1 give symbols (¼ ³ »), C1 controls, tone marks
 * on letters that never carry one, or long runs of accented letters.
 * A wrong Vietnamese-looking letter is worse than U+FFFD. */
static gboolean
fallback_plausible(const char *text)
{
	static const gunichar punct[] = {
		0xA0, 0xAB, 0xBB, 0xB0, 0xB7, 0x2013, 0x2014, 0x2018, 0x2019,
		0x201C, 0x201D, 0x2026, 0x20AC, 0xA9, 0xAE, 0x2122, 0x2022, 0
	};
	gunichar prev = ' ';
	gboolean prev_mark = FALSE;
	int run = 0;

	for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		gboolean ok = FALSE;

		if (c < 0x80) {
			if ((c < 0x20 && c != '\t') || c == 0x7F)
				return FALSE;
			run = 0;
		} else if (c < 0xA0) {
			return FALSE;
		} else if (g_unichar_ismark(c)) {
			if (prev_mark || !tone_base(prev))
				return FALSE;
			prev_mark = TRUE;
			continue;
		} else if (c == 0xDE || c == 0xF0 || c == 0xFE) {
			/* Þ ð þ: Latin-1's reading of the bytes that
			 * windows-1258 gives as a tone, đ and ₫; rare in
			 * Western text, so it is the wrong charset. */
			return FALSE;
		} else if (g_unichar_isalpha(c)) {
			if (++run > 3)
				return FALSE;
		} else if (c == 0x20AB) {	/* ₫ after an amount */
			if (!g_unichar_isdigit(prev) && prev != ' ')
				return FALSE;
			run = 0;
		} else {
			for (size_t i = 0; punct[i] != 0; i++)
				ok |= c == punct[i];
			if (!ok)
				return FALSE;
			run = 0;
		}
		prev = c;
		prev_mark = FALSE;
	}
	return TRUE;
}

/* BUF read with the fallback charsets of OPTS (utf-8 skipped: the
 * caller knows it is not UTF-8), the first whose reading is plausible;
 * NULL when none is.  *cs gets that charset. */
static char *
fallback_read(GMimeParserOptions *opts, const char *buf, size_t len,
	      const char **cs)
{
	const char **list = opts != NULL ?
	    g_mime_parser_options_get_fallback_charsets(opts) : NULL;

	if (list == NULL)
		list = fallback_charsets;
	for (size_t i = 0; list[i] != NULL; i++) {
		char *r;

		if (g_ascii_strncasecmp(list[i], "utf", 3) == 0)
			continue;
		r = g_convert(buf, (gssize)len, "UTF-8", list[i], NULL, NULL,
			      NULL);
		if (r != NULL && fallback_plausible(r)) {
			*cs = list[i];
			return r;
		}
		g_free(r);
	}
	return NULL;
}

/* Every byte >= 0x80 of BUF as U+FFFD; *bad counts them. */
static void
append_replacing(GString *out, const char *buf, size_t len, int *bad)
{
	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)buf[i] < 0x80) {
			g_string_append_c(out, buf[i]);
		} else {
			g_string_append(out, replacement);
			(*bad)++;
		}
	}
}

static void rep_note(mime_header_repair *rep, char *note);

/* Invalid UTF-8 BUF that holds valid multi-byte sequences: UTF-8 with
 * bytes lost or cut (a name cut inside a character), or with a stray
 * legacy byte.  The valid runs stay; a cut sequence (a UTF-8 lead byte
 * with what is left of its continuation bytes) becomes one U+FFFD; other
 * invalid bytes (which no UTF-8 character starts with) are read with the
 * fallback charsets when GUESS (no UTF-8 label) and that reading is
 * plausible, else U+FFFD.  FALSE when BUF has no valid
 * multi-byte sequence: it is not UTF-8 at all. */
static gboolean
damaged_utf8(GMimeParserOptions *opts, const char *buf, size_t len,
	     gboolean guess, GString *out, mime_header_repair *rep)
{
	const char *p = buf, *end = buf + len, *stop, *q;
	size_t good = 0;

	for (q = buf; q < end; q = stop + 1) {
		gboolean ok = g_utf8_validate(q, end - q, &stop);

		for (const char *r = q; r < stop; r++)
			good += ((unsigned char)*r & 0xC0) == 0xC0;
		if (ok)
			break;
		/* A character cut short: labelled UTF-8, any; raw bytes
		 * only when its second byte is 0xA0-0xBF (E1 BA / E1 BB:
		 * Vietnamese letters cut), which windows-1258 or Latin-1
		 * reads as a symbol (NBSP, guillemet, ordinal) glued to a
		 * letter; 0x80-0x9F there is punctuation ("\xf4\x85": an o
		 * with circumflex before an ellipsis) and stays theirs. */
		good += mime_text_utf8_cut(stop, end) &&
		    (!guess || (unsigned char)stop[1] >= 0xA0);
		/* Labelled UTF-8 and ending in a lead byte: cut there. */
		good += !guess && stop + 1 == end &&
		    (unsigned char)*stop >= 0xC2 &&
		    (unsigned char)*stop <= 0xF4;
	}
	/* Labelled UTF-8 with a few bad bytes (one stray byte and no
	 * multi-byte letter) is UTF-8 too: mime_text_utf8_few_invalid(). */
	if (good == 0 && (guess || !mime_text_utf8_few_invalid(buf, len,
								 NULL)))
		return FALSE;
	while (p < end) {
		unsigned char c;
		const char *cs = NULL;
		char *r = NULL;

		if (g_utf8_validate(p, end - p, &stop)) {
			g_string_append_len(out, p, end - p);
			break;
		}
		g_string_append_len(out, p, stop - p);
		c = (unsigned char)*stop;
		q = stop + 1;
		if (c >= 0xC2 && c <= 0xF4) {
			/* A lead byte whose character was cut short (or a
			 * legacy letter: in UTF-8 text a wrong letter is
			 * worse than U+FFFD): one U+FFFD. */
			while (q < end && ((unsigned char)*q & 0xC0) == 0x80)
				q++;
			g_string_append(out, replacement);
			rep->invalid_bytes++;
			p = q;
			continue;
		}
		/* Stray bytes, up to where valid UTF-8 resumes. */
		while (q < end && ((unsigned char)*q & 0x80) != 0) {
			const char *s2;

			g_utf8_validate(q, MIN(end - q, 4), &s2);
			if (s2 > q)
				break;
			q++;
		}
		if (guess)
			r = fallback_read(opts, stop, q - stop, &cs);
		if (r != NULL) {
			g_string_append(out, r);
			rep_note(rep, g_strdup_printf("8-bit header bytes that "
				 "are not UTF-8 read as %s", cs));
			rep->guessed++;
			g_free(r);
		} else {
			append_replacing(out, stop, q - stop,
					 &rep->invalid_bytes);
		}
		p = q;
	}
	return TRUE;
}

static void
rep_note(mime_header_repair *rep, char *note)
{
	if (rep->note == NULL)
		rep->note = note;
	else
		g_free(note);
}

/* Header bytes that are not valid UTF-8 and carry no usable label (raw
 * 8-bit text, a UTF-8 or unknown label on other bytes), in this order:
 * the charsets the message itself declares (rep->hint: its text's
 * charset, the part's own), damaged UTF-8 with U+FFFD for what is
 * missing, the fallback charsets when their reading is plausible, else
 * U+FFFD for every 8-bit byte.  Appends to OUT. */
static void
unlabelled_read(GMimeParserOptions *opts, const char *buf, size_t len,
		gboolean utf8_label, mime_header_repair *rep, GString *out)
{
	char *nul = g_strndup(buf, len), *r = NULL;
	const char *cs = NULL;
	int bad = 0;

	/* A UTF-8 label on UTF-8 with a few bad bytes is right: the
	 * message's other charsets are no better guess. */
	if (utf8_label && mime_text_utf8_few_invalid(buf, len, NULL) &&
	    damaged_utf8(opts, buf, len, FALSE, out, rep)) {
		g_free(nul);
		return;
	}
	for (int i = 0; i < 2 && r == NULL; i++)
		if (rep->hint[i] != NULL &&
		    (r = mime_text_header_hint(nul, rep->hint[i])) != NULL)
			cs = rep->hint[i];
	if (r != NULL) {
		g_string_append(out, r);
		rep_note(rep, g_strdup_printf("8-bit header bytes read as %s, "
			 "the charset the message declares", cs));
		rep->guessed++;
	} else if (damaged_utf8(opts, buf, len, !utf8_label, out, rep)) {
		/* counted there */
	} else if ((r = fallback_read(opts, buf, len, &cs)) != NULL) {
		g_string_append(out, r);
		rep_note(rep, g_strdup_printf("8-bit header bytes that are "
			 "not UTF-8 read as %s", cs));
		rep->guessed++;
	} else {
		append_replacing(out, buf, len, &bad);
		rep->invalid_bytes += bad;
	}
	g_free(r);
	g_free(nul);
}

/* LEN bytes of BUF labelled CHARSET (an encoded-word, an RFC 2231 value;
 * NULL for raw 8-bit text) as UTF-8, appended to OUT.  A label iconv
 * knows is converted as mime_text_convert() does (a Latin label on UTF-8
 * bytes and CJK sibling charsets repaired, invalid bytes U+FFFD); UTF-8,
 * no label or an unknown label (flagged): UTF-8 when valid, else
 * unlabelled_read(). */
static void
header_bytes(GMimeParserOptions *opts, const char *buf, size_t len,
	     const char *charset, mime_header_repair *rep, GString *out)
{
	gboolean utf8 = charset == NULL ||
	    g_ascii_strcasecmp(charset, "utf-8") == 0 ||
	    g_ascii_strcasecmp(charset, "utf8") == 0;
	gboolean labelled = utf8 && charset != NULL;
	mime_conv how = MIME_CONV_UNKNOWN_CHARSET;
	char *note = NULL, *text = NULL, *copy = NULL;

	/* Nothing to append; BUF may then be NULL (an empty GByteArray),
	 * which memchr() and iconv must not see. */
	if (len == 0)
		return;
	if (memchr(buf, '\0', len) != NULL && (utf8 ||
	    g_ascii_strncasecmp(charset, "utf-16", 6) != 0)) {
		/* A NUL would end the C strings below and lose what
		 * follows: carry it as SUB, which controls_replace() shows
		 * as U+FFFD. */
		copy = g_memdup2(buf, len);
		for (size_t i = 0; i < len; i++)
			if (copy[i] == '\0') {
				copy[i] = 0x1A;
				rep->controls++;
			}
		buf = copy;
	}
	if (!utf8) {
		text = mime_text_convert(opts, buf, len, charset, &how, &note);
		if (how == MIME_CONV_UNKNOWN_CHARSET) {
			g_free(text);
			g_free(note);
			text = NULL;
			rep->unknown_label = TRUE;
			rep_note(rep, g_strdup_printf("unknown charset %s: read"
				 " as the best guess", charset));
			utf8 = TRUE;
		}
	}
	if (utf8) {
		if (g_utf8_validate(buf, len, NULL))
			g_string_append_len(out, buf, len);
		else
			unlabelled_read(opts, buf, len, labelled, rep, out);
		g_free(copy);
		return;
	}
	if (mime_conv_is_label_repair(how))
		rep->label_repaired = TRUE;
	if (how == MIME_CONV_INVALID_BYTES)
		rep->invalid_bytes++;
	if (note != NULL)
		rep_note(rep, note);
	g_string_append(out, text);
	g_free(text);
	g_free(copy);
}

/* C0 and C1 control characters (but tab) and DEL in decoded header text
 * become U+FFFD: an ESC in an encoded-word would otherwise reach a
 * terminal, a file name or an export.  Takes S, returns it or a new
 * string. */
static char *
controls_replace(char *s, mime_header_repair *rep)
{
	GString *out;
	gboolean any = FALSE;

	if (s == NULL)
		return NULL;
	for (const char *p = s; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		any |= (c < 0x20 && c != '\t') || (c >= 0x7F && c < 0xA0);
	}
	if (!any)
		return s;
	out = g_string_new(NULL);
	for (const char *p = s; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if ((c < 0x20 && c != '\t') || (c >= 0x7F && c < 0xA0)) {
			g_string_append(out, replacement);
			if (rep != NULL)
				rep->controls++;
		} else {
			g_string_append_unichar(out, c);
		}
	}
	g_free(s);
	return g_string_free(out, FALSE);
}

/* ---- RFC 2231 values decoded here, not by GMime ----
 * GMime reads an RFC 2231 value (filename*=utf-8''...) with its fallback
 * charsets when the bytes do not fit the label, so invalid bytes turn
 * into made-up letters or vanish.  The encoded sections of ATTR are
 * joined, decoded with header_bytes(), and put back as one
 * ATTR*=utf-8''... parameter that GMime cannot misread. */

typedef struct {
	int index;		/* continuation number, 0 for ATTR* */
	gboolean encoded;	/* ATTR*N* or ATTR*: percent-encoded */
	char *value;		/* unquoted */
} rfc2231_section;

static gint
section_cmp(gconstpointer a, gconstpointer b)
{
	return ((const rfc2231_section *)a)->index -
	    ((const rfc2231_section *)b)->index;
}

/* Split HDR at the semicolons outside quotes. */
static GPtrArray *
param_split(const char *hdr)
{
	GPtrArray *segs = g_ptr_array_new_with_free_func(g_free);
	const char *start = hdr;
	gboolean quoted = FALSE;

	for (const char *p = hdr;; p++) {
		if (*p == '\\' && quoted && p[1] != '\0') {
			p++;
		} else if (*p == '"') {
			quoted = !quoted;
		} else if ((*p == ';' && !quoted) || *p == '\0') {
			g_ptr_array_add(segs, g_strndup(start, p - start));
			if (*p == '\0')
				break;
			start = p + 1;
		}
	}
	return segs;
}

/* SEG ("attr*1*=value") as a section of ATTR, or FALSE. */
static gboolean
section_parse(const char *seg, const char *attr, rfc2231_section *s)
{
	const char *p = seg, *eq;
	size_t alen = strlen(attr);
	char *v, *end = NULL;

	while (g_ascii_isspace(*p))
		p++;
	eq = strchr(p, '=');
	if (eq == NULL || g_ascii_strncasecmp(p, attr, alen) != 0 ||
	    p[alen] != '*')
		return FALSE;
	p += alen + 1;
	s->index = 0;
	s->encoded = TRUE;
	if (g_ascii_isdigit(*p)) {
		s->index = (int)strtol(p, &end, 10);
		p = end;
		s->encoded = *p == '*';
		if (s->encoded)
			p++;
	}
	while (p < eq && g_ascii_isspace(*p))
		p++;
	if (p != eq || s->index > 999)
		return FALSE;
	v = g_strstrip(g_strdup(eq + 1));
	if (v[0] == '"') {
		GString *u = g_string_new(NULL);

		for (const char *q = v + 1; *q != '\0' && *q != '"'; q++) {
			if (*q == '\\' && q[1] != '\0')
				q++;
			g_string_append_c(u, *q);
		}
		g_free(v);
		v = g_string_free(u, FALSE);
	}
	s->value = v;
	return TRUE;
}

static void
percent_decode(const char *s, GByteArray *out)
{
	for (; *s != '\0'; s++) {
		guint8 c = (guint8)*s;

		if (c == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
			c = (guint8)(hexval(s[1]) * 16 + hexval(s[2]));
			s += 2;
		}
		g_byte_array_append(out, &c, 1);
	}
}

/* HDR (unfolded Content-Disposition or Content-Type) with ATTR's RFC
 * 2231 value replaced as described above; newly allocated. */
static char *
rfc2231_rewrite(GMimeParserOptions *opts, const char *hdr, const char *attr,
		mime_header_repair *rep)
{
	GPtrArray *segs = param_split(hdr);
	GArray *secs = g_array_new(FALSE, TRUE, sizeof(rfc2231_section));
	GString *res = g_string_new(NULL), *utf8 = g_string_new(NULL);
	GByteArray *bytes = g_byte_array_new();
	char *charset = NULL;
	gboolean any_encoded = FALSE;

	for (guint i = 1; i < segs->len; i++) {
		rfc2231_section s;

		if (section_parse(g_ptr_array_index(segs, i), attr, &s)) {
			g_array_append_val(secs, s);
			any_encoded |= s.encoded;
		}
	}
	if (!any_encoded) {
		g_string_assign(res, hdr);
		goto out;
	}
	g_array_sort(secs, section_cmp);
	for (guint i = 0; i < secs->len; i++) {
		rfc2231_section *s = &g_array_index(secs, rfc2231_section, i);
		const char *v = s->value;

		if (i == 0 && s->encoded) {
			const char *q1 = strchr(v, '\''), *q2;

			q2 = q1 != NULL ? strchr(q1 + 1, '\'') : NULL;
			if (q2 != NULL) {
				if (q1 > v)
					charset = g_strndup(v, q1 - v);
				v = q2 + 1;
			}
		}
		if (s->encoded)
			percent_decode(v, bytes);
		else
			g_byte_array_append(bytes, (const guint8 *)v,
					    strlen(v));
	}
	header_bytes(opts, (const char *)bytes->data, bytes->len, charset,
		     rep, utf8);
	g_string_append(res, g_ptr_array_index(segs, 0));
	for (guint i = 1; i < segs->len; i++) {
		rfc2231_section s;

		if (section_parse(g_ptr_array_index(segs, i), attr, &s)) {
			g_free(s.value);
			continue;
		}
		g_string_append_printf(res, ";%s",
				       (char *)g_ptr_array_index(segs, i));
	}
	g_string_append_printf(res, "; %s*=utf-8''", attr);
	for (gsize i = 0; i < utf8->len; i++) {
		guint8 c = (guint8)utf8->str[i];

		if (g_ascii_isalnum(c) || strchr("!#$&+-.^_`|~", c) != NULL)
			g_string_append_c(res, (char)c);
		else
			g_string_append_printf(res, "%%%02X", c);
	}
out:
	for (guint i = 0; i < secs->len; i++)
		g_free(g_array_index(secs, rfc2231_section, i).value);
	g_array_free(secs, TRUE);
	g_ptr_array_free(segs, TRUE);
	g_string_free(utf8, TRUE);
	g_byte_array_free(bytes, TRUE);
	g_free(charset);
	return g_string_free(res, FALSE);
}

/* Convert a run of encoded-words: same-charset neighbours are joined as
 * bytes before conversion, so split characters come back whole. */
static void
run_convert(GMimeParserOptions *opts, GPtrArray *run, GString *utf8,
	    mime_header_repair *rep)
{
	for (guint i = 0; i < run->len;) {
		eword *w = g_ptr_array_index(run, i);
		GByteArray *joined = g_byte_array_new();
		guint j, split = 0;

		for (j = i; j < run->len; j++) {
			eword *x = g_ptr_array_index(run, j);

			if (g_ascii_strcasecmp(x->charset, w->charset) != 0)
				break;
			if (!g_utf8_validate((const char *)x->bytes->data,
			    x->bytes->len, NULL))
				split++;
			g_byte_array_append(joined, x->bytes->data,
					    x->bytes->len);
		}
		if (split > 0 && j - i > 1 && g_utf8_validate(
		    (const char *)joined->data, joined->len, NULL))
			rep->split_chars++;
		header_bytes(opts, (const char *)joined->data, joined->len,
			     w->charset, rep, utf8);
		g_byte_array_free(joined, TRUE);
		i = j;
	}
}

static void
eword_free(gpointer p)
{
	eword *w = p;

	g_byte_array_free(w->bytes, TRUE);
	g_free(w);
}

char *
mime_header_rewrite(GMimeParserOptions *opts, const char *raw,
		    mime_header_repair *rep)
{
	mime_header_repair local = { 0 };
	char *unfolded;
	GString *out;
	const char *p;

	if (rep == NULL)
		rep = &local;
	unfolded = g_mime_utils_header_unfold(raw);
	if (!g_utf8_validate(unfolded, -1, NULL)) {
		/* Raw 8-bit text (RFC 6532 allows UTF-8 only): read here,
		 * so that the message's own charset comes before a guess,
		 * and a cut UTF-8 character becomes U+FFFD (GMime would
		 * read the whole value in one fallback charset). */
		GString *u = g_string_new(NULL);

		unlabelled_read(opts, unfolded, strlen(unfolded), FALSE, rep,
				u);
		g_free(unfolded);
		unfolded = g_string_free(u, FALSE);
	}
	out = g_string_sized_new(strlen(unfolded) + 16);
	p = unfolded;
	while (*p != '\0') {
		eword *w = g_new0(eword, 1);
		const char *end = eword_parse(p, w), *next, *e;
		GPtrArray *run;
		GString *utf8;
		char *b64;

		if (end == NULL) {
			g_free(w);
			g_string_append_c(out, *p++);
			continue;
		}
		run = g_ptr_array_new_with_free_func(eword_free);
		g_ptr_array_add(run, w);
		for (;;) {
			/* RFC 2047 6.2: whitespace between adjacent
			 * encoded-words is not displayed. */
			next = end;
			while (*next == ' ' || *next == '\t' || *next == '\r' ||
			       *next == '\n')
				next++;
			w = g_new0(eword, 1);
			e = eword_parse(next, w);
			if (e == NULL) {
				g_free(w);
				break;
			}
			end = e;
			g_ptr_array_add(run, w);
		}
		if (run->len > 1)
			rep->merged_runs++;
		utf8 = g_string_new(NULL);
		run_convert(opts, run, utf8, rep);
		b64 = g_base64_encode((const guchar *)utf8->str, utf8->len);
		g_string_append_printf(out, "=?UTF-8?B?%s?=", b64);
		g_free(b64);
		g_string_free(utf8, TRUE);
		g_ptr_array_free(run, TRUE);
		p = end;
	}
	g_free(unfolded);
	if (rep == &local)
		g_free(local.note);
	return g_string_free(out, FALSE);
}

char *
mime_header_decode_text(GMimeParserOptions *opts, const char *raw,
			mime_header_repair *rep)
{
	char *fixed = mime_header_rewrite(opts, raw, rep);
	char *dec = g_mime_utils_header_decode_text(opts, fixed);
	char *res;

	g_free(fixed);
	res = mime_text_nfc(g_strstrip(dec));
	g_free(dec);
	return controls_replace(res, rep);
}

/* The first mailbox of LIST, looking inside groups. */
static InternetAddressMailbox *
first_mailbox(InternetAddressList *list)
{
	int n = list != NULL ? internet_address_list_length(list) : 0;

	for (int i = 0; i < n; i++) {
		InternetAddress *a = internet_address_list_get_address(list, i);
		InternetAddressMailbox *mb;

		if (INTERNET_ADDRESS_IS_MAILBOX(a))
			return INTERNET_ADDRESS_MAILBOX(a);
		mb = first_mailbox(internet_address_group_get_members(
		    INTERNET_ADDRESS_GROUP(a)));
		if (mb != NULL)
			return mb;
	}
	return NULL;
}

gboolean
mime_header_first_mailbox(GMimeParserOptions *opts, const char *raw,
			  char **name, char **addr, mime_header_repair *rep)
{
	char *fixed = mime_header_rewrite(opts, raw, rep);
	InternetAddressList *list = internet_address_list_parse(opts, fixed);
	InternetAddressMailbox *mb = first_mailbox(list);
	gboolean ok = FALSE;

	*name = NULL;
	*addr = NULL;
	if (mb != NULL) {
		const char *n = internet_address_get_name(
		    INTERNET_ADDRESS(mb));
		const char *a = internet_address_mailbox_get_addr(mb);

		if (n != NULL && *n != '\0') {
			char *t = g_strstrip(g_strdup(n));

			*name = controls_replace(mime_text_nfc(t), rep);
			g_free(t);
		}
		if (a != NULL && *a != '\0')
			*addr = controls_replace(mime_text_nfc(a), rep);
		ok = TRUE;
	}
	if (list != NULL)
		g_object_unref(list);
	g_free(fixed);
	return ok;
}

/* A parameter value as UTF-8 NFC: GMime's standalone parameter parsers
 * hand back raw 8-bit values unconverted, so read those with the fallback
 * charsets as the message parser would. */
static char *
param_utf8(GMimeParserOptions *opts, const char *v)
{
	char *dec, *res;

	if (strstr(v, "=?") != NULL && strstr(v, "?=") != NULL) {
		/* RFC 2047 inside an RFC 2231 filename* (Outlook does
		 * this): decode the words the RFC 2231 layer left. */
		char *t = g_utf8_validate(v, -1, NULL) ? g_strdup(v) :
		    g_mime_utils_decode_8bit(opts, v, strlen(v));

		res = mime_header_decode_text(opts, t, NULL);
		g_free(t);
		return res;
	}
	if (g_utf8_validate(v, -1, NULL))
		return mime_text_nfc(v);
	dec = g_mime_utils_decode_8bit(opts, v, strlen(v));
	res = mime_text_nfc(dec);
	g_free(dec);
	return res;
}

/* An RFC 2231 value labelled Latin-1 (filename*=iso-8859-1''...) whose
 * bytes were UTF-8: GMime converted it from Latin-1, so convert back and
 * keep the UTF-8 when that is what the bytes were.  NULL when the label
 * was right. */
static char *
param_relabel(GMimeParam *p, const char *v, mime_header_repair *rep)
{
	const char *cs = g_mime_param_get_charset(p);
	char *back, *res = NULL;

	if (cs == NULL || (g_ascii_strcasecmp(cs, "iso-8859-1") != 0 &&
	    g_ascii_strcasecmp(cs, "us-ascii") != 0 &&
	    g_ascii_strcasecmp(cs, "windows-1252") != 0))
		return NULL;
	back = g_convert(v, -1, g_ascii_strcasecmp(cs, "windows-1252") == 0 ?
			 "CP1252" : "ISO-8859-1", "UTF-8", NULL, NULL, NULL);
	if (back != NULL && g_utf8_validate(back, -1, NULL) &&
	    strcmp(back, v) != 0) {
		res = mime_text_nfc(back);
		if (rep != NULL)
			rep->label_repaired = TRUE;
	}
	g_free(back);
	return res;
}

/* RAW rewritten (mime_header_rewrite) with ATTR's RFC 2231 value decoded
 * here (rfc2231_rewrite); newly allocated. */
static char *
header_rewrite_params(GMimeParserOptions *opts, const char *raw,
		      const char *attr, mime_header_repair *rep)
{
	mime_header_repair local = { 0 };
	char *fixed, *res;

	if (rep == NULL)
		rep = &local;
	fixed = mime_header_rewrite(opts, raw, rep);
	res = rfc2231_rewrite(opts, fixed, attr, rep);
	g_free(fixed);
	g_free(local.note);
	return res;
}

char *
mime_header_filename(GMimeParserOptions *opts, const char *raw_disp,
		     const char *raw_type, mime_header_repair *rep)
{
	const char *v = NULL;
	char *res = NULL;

	if (raw_disp != NULL) {
		char *fixed = header_rewrite_params(opts, raw_disp, "filename",
						    rep);
		GMimeContentDisposition *d =
		    g_mime_content_disposition_parse(opts, fixed);
		GMimeParam *p = d != NULL ? g_mime_param_list_get_parameter(
		    g_mime_content_disposition_get_parameters(d), "filename") :
		    NULL;

		v = p != NULL ? g_mime_param_get_value(p) : NULL;
		if (v != NULL && *v != '\0')
			res = param_relabel(p, v, rep);
		if (res == NULL && v != NULL && *v != '\0')
			res = param_utf8(opts, v);
		if (d != NULL)
			g_object_unref(d);
		g_free(fixed);
	}
	if (res == NULL && raw_type != NULL) {
		char *fixed = header_rewrite_params(opts, raw_type, "name",
						    rep);
		GMimeContentType *t = g_mime_content_type_parse(opts, fixed);

		GMimeParam *p = t != NULL ? g_mime_param_list_get_parameter(
		    g_mime_content_type_get_parameters(t), "name") : NULL;

		v = p != NULL ? g_mime_param_get_value(p) : NULL;
		if (v != NULL && *v != '\0')
			res = param_relabel(p, v, rep);
		if (res == NULL && v != NULL && *v != '\0')
			res = param_utf8(opts, v);
		if (t != NULL)
			g_object_unref(t);
		g_free(fixed);
	}
	return controls_replace(res, rep);
}

char *
mime_header_get_raw(GMimeHeaderList *list, const char *name)
{
	GMimeHeader *h;
	const char *raw;

	if (list == NULL)
		return NULL;
	h = g_mime_header_list_get_header(list, name);
	if (h == NULL)
		return NULL;
	raw = g_mime_header_get_raw_value(h);
	if (raw == NULL)
		return NULL;
	return g_strstrip(g_mime_utils_header_unfold(raw));
}

gboolean
mime_header_value_is(GMimeHeaderList *list, const char *name,
		     const char *value, gboolean prefix)
{
	char *v = mime_header_get_raw(list, name);
	gboolean r = FALSE;

	if (v != NULL) {
		r = prefix ? g_ascii_strncasecmp(v, value, strlen(value)) == 0 :
		    g_ascii_strcasecmp(v, value) == 0;
		g_free(v);
	}
	return r;
}

char *
mime_header_repair_warning(const mime_header_repair *rep, const char *what)
{
	GString *s;

	if (rep->invalid_bytes == 0 && rep->guessed == 0 &&
	    rep->controls == 0 && !rep->unknown_label)
		return NULL;
	s = g_string_new(what);
	g_string_append(s, ":");
	if (rep->note != NULL && !rep->label_repaired)
		g_string_append_printf(s, " %s;", rep->note);
	if (rep->invalid_bytes > 0)
		g_string_append(s, " invalid or cut bytes shown as U+FFFD;");
	if (rep->controls > 0)
		g_string_append_printf(s, " %d control character(s) shown as "
				       "U+FFFD;", rep->controls);
	g_string_truncate(s, s->len - 1);
	return g_string_free(s, FALSE);
}
