/* mime-header-priv.h - RFC 2047 header repair before GMime decodes a header.
 *
 * GMime 3.2.13 (Debian 12) has issue #133: in a run of adjacent B
 * encoded-words, a non-final word ending in "=" padding ends the decoded
 * text there ("=?UTF-8?B?SGVsbG8=?= =?UTF-8?B?IHdvcmxk?=" gives "Hello").
 * The fix (upstream 1a33a55b) is only in 3.2.14.  tipline therefore
 * rewrites every run of adjacent encoded-words (only whitespace between
 * them, RFC 2047 section 6.2) into one =?UTF-8?B?...?= word carrying the
 * run's text, converted with mime_text_convert(): same-charset words are
 * joined as bytes first, so a character split across words (RFC 2047
 * section 5 forbids it, senders do it) survives, and a Latin-1 label on
 * UTF-8 bytes is corrected and reported.  The result goes to GMime's own
 * decoders (text, address lists, Content-Type/-Disposition parameters).
 */
#ifndef TIPLINE_MIME_HEADER_H
#define TIPLINE_MIME_HEADER_H

#include <glib.h>
#include <gmime/gmime.h>

/* Repairs found while rewriting one header; zero it ({ 0 }) first.
 *
 * Header bytes are read in this order (issue 9, items 7 and 9): valid
 * UTF-8 as it is; a known charset label as mime_text_convert() reads it
 * (invalid bytes become U+FFFD); otherwise (raw 8-bit text, a UTF-8 or
 * unknown label on other bytes) the charsets the message itself declares
 * (HINT), then damaged UTF-8 with U+FFFD for each cut or lost character,
 * then the fallback charsets when their reading is plausible Vietnamese
 * or Western text, else U+FFFD for every 8-bit byte.  Control characters
 * (C0 but tab, DEL, C1) in the decoded text become U+FFFD. */
typedef struct {
	const char *hint[2];	/* in: charsets the message declares (the
				 * part's own Content-Type charset, its
				 * text's), or NULL; borrowed */
	int merged_runs;	/* runs of 2+ words joined into one */
	int split_chars;	/* same-charset UTF-8 words that were not
				 * valid alone: a character split across
				 * words (RFC 2047 section 5 forbids it) */
	gboolean label_repaired;	/* a charset label was corrected */
	char *note;		/* first conversion note, or NULL (g_free) */
	int invalid_bytes;	/* U+FFFD put for bytes that were invalid
				 * or cut (at least 1 per value) */
	int guessed;		/* values read in a declared or fallback
				 * charset, not their label */
	int controls;		/* control characters replaced */
	gboolean unknown_label;	/* a charset label iconv does not know */
} mime_header_repair;

/* The fallback charsets for header bytes that are not UTF-8, in order
 * (utf-8, windows-1258, iso-8859-1): for
 * g_mime_parser_options_set_fallback_charsets().  Static storage.
 * Debian's GMime default {"utf-8", "iso-8859-1"} turns raw 8-bit
 * Vietnamese headers into Latin-1 mojibake (vietnamese.md 0.1). */
const char **mime_header_fallback_charsets(void);

/* A warning (newly allocated, g_free) describing what REP says was done
 * to header WHAT, or NULL when nothing was.  Label repairs and split
 * characters are reported by the callers as before. */
char *mime_header_repair_warning(const mime_header_repair *rep,
				 const char *what);

/* Rewrite RAW (a raw header value, folded or not) as described above.
 * Returns a newly allocated, unfolded value (g_free); REP (may be NULL)
 * receives what was repaired (free rep->note). */
char *mime_header_rewrite(GMimeParserOptions *opts, const char *raw,
			  mime_header_repair *rep);

/* The decoded, unfolded, NFC text of an unstructured header such as
 * Subject, from its raw value.  Newly allocated (g_free); never NULL. */
char *mime_header_decode_text(GMimeParserOptions *opts, const char *raw,
			      mime_header_repair *rep);

/* The first mailbox of an address-list header (From), descending into
 * groups: *name (display name, NFC, or NULL) and *addr (as written, or
 * NULL), both newly allocated (g_free).  FALSE when RAW holds no mailbox. */
gboolean mime_header_first_mailbox(GMimeParserOptions *opts, const char *raw,
				   char **name, char **addr,
				   mime_header_repair *rep);

/* The filename of a part from its raw Content-Disposition (filename=) or,
 * failing that, Content-Type (name=) header, either may be NULL, after
 * the rewrite above and GMime's RFC 2231 decoding, NFC.  Newly allocated
 * (g_free), or NULL when neither names the part. */
char *mime_header_filename(GMimeParserOptions *opts, const char *raw_disp,
			   const char *raw_type, mime_header_repair *rep);

/* A header's raw value from LIST (NULL when absent), unfolded: newly
 * allocated (g_free). */
char *mime_header_get_raw(GMimeHeaderList *list, const char *name);

/* Whether header NAME of LIST (may be NULL) equals VALUE, or with PREFIX
 * starts with it, ASCII case-insensitively, after unfolding and trimming
 * (mime_header_get_raw). FALSE when the header is absent. */
gboolean mime_header_value_is(GMimeHeaderList *list, const char *name,
			      const char *value, gboolean prefix);

#endif
