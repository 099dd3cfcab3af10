/* mime-walk.h - the MIME tree of one parsed message -> body text, HTML,
 * attachments, forwarded messages and the machine-mail flags of a
 * msg_submission (the rules are those of the corpus's expected.json:
 * "text_body", "attachments", "is_bounce").  Internal to message.c.
 */
#ifndef TIPLINE_MIME_WALK_H
#define TIPLINE_MIME_WALK_H

#include <gmime/gmime.h>

#include "message.h"
#include "mime-ctx-priv.h"

/* Walk the top-level MSG: fills sub->text, text_source, html, attachments,
 * forwarded, is_bounce, dsn_summary, is_signed, is_encrypted, has_gps,
 * charset_repaired, legacy_font_hint.  On a broken limit sets
 * sub->quarantine_reason and stops early. */
void mime_walk_message(mime_walk *w, GMimeMessage *msg);

/* Write the Nth (1-based) uuencoded block of the text PART, or the Nth
 * file of the TNEF PART, to STREAM.  1 when written, 0 when there is no
 * such file, -1 on a write error (errno). */
int mime_walk_write_uu(GMimePart *part, int n, GMimeStream *out);
int mime_walk_write_tnef(GMimePart *part, int n, GMimeStream *out);

#endif
