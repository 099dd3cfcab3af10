/* redact.h - removing a purged submission's text where another submission
 * quotes it (QA F41).
 *
 * A reader's follow-up usually quotes the tip it answers (quote.h finds
 * where that quote starts: quote_offset).  When the tip is purged (at
 * the source's request, or by retention), the quote must go too, while
 * the follow-up's own words stay.  Which earlier message a quote holds
 * cannot be told for sure (a quote may nest the whole thread), so purge
 * removes the whole quoted part of every follow-up that answers a purged
 * submission: from its stored text, its HTML, its search entries and its
 * original message, which is rewritten with its body text replaced (the
 * header block, the MIME structure and every attachment stay as they
 * were, so part paths still find them).
 */
#ifndef TIPLINE_REDACT_H
#define TIPLINE_REDACT_H

#include <glib.h>

/* What replaces the quoted part, and a subject that repeats a purged
 * submission's subject ("Re: <its subject>"). */
#define REDACT_NOTE "[quoted text of a purged submission removed]"
#define REDACT_SUBJECT "Re: [subject of a purged submission removed]"

/* TEXT (a submission's stored text, UTF-8) cut at QUOTE_OFFSET (bytes;
 * clamped to TEXT, and to a character boundary), trailing white space
 * dropped, followed by a blank line and REDACT_NOTE.  Newly allocated. */
char *redact_text(const char *text, gint64 quote_offset);

/* RAW (LEN bytes, a stored original message) with the content of its body
 * text parts (text parts that are not attachments, outside forwarded
 * messages) replaced: the first by TEXT (as UTF-8), the others emptied
 * (all kept when TEXT is NULL); and its Subject replaced by SUBJECT
 * unless that is NULL.  Returns a new
 * array (g_byte_array_unref), or NULL when GMime cannot parse RAW or it
 * has no body text part.  Never prints. */
GByteArray *redact_raw(const guint8 *raw, gsize len, const char *text,
		       const char *subject);

#endif
