/* mime-text-priv.h - bytes in some declared charset -> valid UTF-8 in NFC, the
 * way tipline needs it for Vietnamese mail (see shared notes vietnamese.md
 * section 0, items 3-5 and 7).
 *
 * GMime 3.2.13 cannot be trusted here: g_mime_text_part_get_text() returns
 * raw bytes when the charset is missing or unknown to iconv, and its charset
 * filter drops bytes that are invalid for the declared charset without a
 * word.  So tipline takes the decoded bytes (after Content-Transfer-Encoding)
 * and converts them itself with the rules below; every deviation from the
 * declared label is reported, never silent.
 */
#ifndef TIPLINE_MIME_TEXT_H
#define TIPLINE_MIME_TEXT_H

#include <stddef.h>
#include <glib.h>
#include <gmime/gmime.h>

/* What mime_text_convert() had to do. */
typedef enum {
	MIME_CONV_AS_DECLARED = 0,	/* the label was right */
	MIME_CONV_RELABEL_UTF8,		/* Latin-1/ASCII label, or a legacy
					 * label that rejects the bytes, on
					 * UTF-8 bytes: read as UTF-8 (a
					 * label repair) */
	MIME_CONV_FALSE_UTF8,		/* UTF-8 label on non-UTF-8 bytes:
					 * fallback list used (label repair) */
	MIME_CONV_GUESSED,		/* no label and not UTF-8: fallback
					 * list used */
	MIME_CONV_UNKNOWN_CHARSET,	/* iconv does not know the label:
					 * fallback list used */
	MIME_CONV_RELABEL_FAMILY,	/* bytes of a sibling charset
					 * (Shift_JIS labelled ISO-2022-JP,
					 * GBK labelled GB2312): read so */
	MIME_CONV_INVALID_BYTES,	/* bytes invalid in the declared
					 * charset became U+FFFD */
} mime_conv;

/* TRUE for conversions that corrected a wrong charset label (these set
 * msg_submission.charset_repaired). */
gboolean mime_conv_is_label_repair(mime_conv how);

/* Convert LEN bytes of BUF labelled CHARSET (NULL or "" when the part has
 * no charset parameter) to UTF-8, by these rules, in order:
 *  1. no label or a Latin-1-ish label (us-ascii, iso-8859-1, windows-1252)
 *     and the bytes are valid UTF-8: UTF-8 (RELABEL_UTF8 when a label was
 *     given and the bytes carry non-ASCII);
 *  2. no label or a UTF-8 label and invalid UTF-8: when it holds at least
 *     as many valid multi-byte sequences as invalid bytes (stray bytes in
 *     UTF-8 text, a Latin-1 quote under a UTF-8 reply) the valid runs
 *     stay UTF-8 and only the invalid bytes are read with the fallback
 *     list (INVALID_BYTES); else
 *     the whole text goes to g_mime_utils_decode_8bit with OPTS' fallback
 *     list (utf-8, windows-1258, iso-8859-1);
 *  3. otherwise iconv from the label (GMime's alias table and ours: utf8,
 *     ks_c_5601-1987, x-gbk ...); when bytes are invalid for it:
 *     a. valid UTF-8 with non-ASCII bytes is read as UTF-8 (RELABEL_UTF8:
 *        a legacy text is next to never valid UTF-8, and a sibling such
 *        as GB18030 would read UTF-8 as Chinese without an error);
 *     b. the label's vendor supersets are tried, the label being right
 *        (ISO-2022-JP: CP50221 through ICU for NEC row 13 and IBM
 *        extensions, ISO-2022-JP-3 for JIS X 0213, ISO-2022-JP-2;
 *        EUC-JP: eucJP-ms): AS_DECLARED with a note;
 *     c. a sibling charset (ISO-2022-JP / Shift_JIS / EUC-JP, GB2312 /
 *        GBK / GB18030, EUC-KR / CP949, Big5 / HKSCS) that reads every
 *        byte is used (RELABEL_FAMILY);
 *     d. else an invalid byte becomes U+FFFD and is counted;
 *     a label iconv cannot open is read as in 2.
 * Returns newly allocated valid UTF-8 (g_free), NUL bytes replaced by
 * U+FFFD, not yet normalised; *how says which rule applied; *note (may be
 * NULL) gets a newly allocated English description of any deviation, or
 * NULL. */
char *mime_text_convert(GMimeParserOptions *opts, const char *buf, size_t len,
			const char *charset, mime_conv *how, char **note);

/* Raw 8-bit header text (RFC 6532 allows UTF-8 only, old mailers send
 * their own charset) read in HINT, the charset the message's text part
 * declares, when RAW is not UTF-8, HINT is neither UTF-8 nor a Latin-1
 * catch-all label, and every byte of RAW is valid in HINT (GB2312 subjects
 * with GB2312 bodies, Shift_JIS, KOI8-R ...).  Returns the UTF-8 text
 * (g_free), or NULL when the hint does not apply: the caller then leaves
 * RAW to GMime's fallback charsets. */
char *mime_text_header_hint(const char *raw, const char *hint);

/* Body text as tipline stores it: a leading byte order mark dropped, CRLF
 * and bare CR -> LF, NFC.  Takes valid UTF-8 TEXT and returns a newly
 * allocated string (g_free). */
char *mime_text_finish(const char *text);

/* NFC of valid or invalid UTF-8 S (invalid sequences become U+FFFD first).
 * Returns a newly allocated string (g_free); NULL for NULL. */
char *mime_text_nfc(const char *s);

/* Does P (< END) start a UTF-8 character cut short: a lead byte, at
 * least one continuation byte it allows (RFC 3629 section 4), but fewer
 * than it needs?  Evidence of UTF-8 as strong as a whole character (no
 * windows-1258 or Latin-1 letter is followed by such a byte); such a
 * sequence is shown as one U+FFFD, never read as legacy letters. */
gboolean mime_text_utf8_cut(const char *p, const char *end);

/* Is invalid UTF-8 BUF, labelled UTF-8, UTF-8 with a few bad bytes
 * rather than text in another charset?  TRUE when it has one invalid
 * byte, or at least four valid multi-byte sequences for each invalid
 * byte (a stray byte, a byte lost in transit).  Its invalid bytes are
 * then shown as U+FFFD, never read with the fallback charsets: for a
 * Vietnamese newsroom a wrong letter (0xFF as "ÿ") is worse than U+FFFD.
 * Text mostly not UTF-8 (cp1258 under a UTF-8 label, a Latin-1 quote
 * under a UTF-8 reply) gets FALSE.  *BAD (may be NULL) gets the invalid
 * byte count.  The one home of this rule for bodies and headers. */
gboolean mime_text_utf8_few_invalid(const char *buf, size_t len,
				    size_t *bad);

/* "VNI" or "TCVN3" when TEXT (decoded as declared, usually windows-1252)
 * looks like Vietnamese typed for a legacy font (VNI letter pairs such as
 * "aø", TCVN3 bytes such as "®" for đ), or when HTML names such a font
 * (face="VNI-Times", ".VnTime"); else NULL.  Static storage.  The text is
 * never converted: this is a hint for the editor. */
const char *mime_text_legacy_font(const char *text, const char *html);

#endif
