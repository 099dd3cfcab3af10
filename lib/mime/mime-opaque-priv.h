/* mime-opaque-priv.h - a message/rfc822 part whose content is not a message
 * (issue 9 section 4 item 8).
 *
 * GMime parses the content of every message/rfc822 part as a message.
 * When it is not one (a text, a file sent with the wrong type), every
 * line becomes an invalid header field and nothing is kept: the inner
 * message has no header field and an empty body.  tipline keeps such a
 * part as an attachment instead, with its bytes as they are in the raw
 * message: the lines between the part's header block and the next
 * boundary of its multipart (RFC 2046 5.1.1: the line break before a
 * boundary belongs to the boundary).
 */
#ifndef TIPLINE_MIME_OPAQUE_H
#define TIPLINE_MIME_OPAQUE_H

#include <gmime/gmime.h>

/* TRUE when O is a message/rfc822 part whose message GMime built without
 * any header field (see above). */
gboolean mime_opaque_is(GMimeObject *o);

/* The content of child INDEX (0-based) of the multipart PARENT, found by
 * its boundary in FILE (the stream GMime parsed; it is read from its
 * start, once): a new substream of FILE (caller unrefs), or NULL when
 * PARENT is not a multipart or the part is not found. */
GMimeStream *mime_opaque_content(GMimeStream *file, GMimeObject *parent,
				 int index);

/* The same for the part at PART_PATH (as msg_attachment.part_path) of
 * TOP, parsed from FILE: NULL when that part is not an opaque
 * message/rfc822 part inside a multipart. */
GMimeStream *mime_opaque_find(GMimeMessage *top, GMimeStream *file,
			      const char *part_path);

#endif
