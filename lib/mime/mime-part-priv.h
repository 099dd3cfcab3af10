/* mime-part-priv.h - one MIME part of a parsed message: its decoded bytes
 * (streamed or bounded in memory), its place in the tree by part path
 * ("1", "2.1"), and whether the corpus rule calls it an attachment.
 * Knows GMime only: the walk, the attachments, the opaque-part reader,
 * redaction and message.c all use it.
 */
#ifndef TIPLINE_MIME_PART_H
#define TIPLINE_MIME_PART_H

#include <gmime/gmime.h>

/* A decoding filter can consume input without output (100 000 QP soft
 * line breaks): a read of 0 bytes before the end is not the end.  Each
 * such read still consumes the source, so this only stops a filter that
 * would never progress (every loop reading a filtered stream uses it). */
#define MIME_PART_IDLE_MAX	(1 << 24)

/* Is O an attachment by the corpus rule: Content-Disposition: attachment,
 * or a file name in Content-Disposition or Content-Type?  The one home
 * of that rule (the walk and redact.c both use it). */
gboolean mime_part_attachment_like(GMimeObject *o);

/* A GMime stream yielding the decoded bytes (after Content-Transfer-
 * Encoding) of PART, read from its raw stream on demand; NULL when the part
 * has no content.  Caller unrefs. */
GMimeStream *mime_part_stream(GMimePart *part);

/* Find the object at PART_PATH ("1", "2.1", as msg_attachment.part_path
 * without any ":uuN"/":tnefN" suffix) under MSG; NULL when absent.
 * Borrowed from MSG. */
GMimeObject *mime_part_find(GMimeMessage *msg, const char *part_path);

/* Read all of S, handing each chunk to FN with UD; returns the bytes
 * read, or -1 on a read error. */
gint64 mime_part_stream_each(GMimeStream *s,
			     void (*fn)(const void *, size_t, void *),
			     void *ud);

/* Read at most MAX decoded bytes of PART into a new GByteArray; *cut is
 * set when the part was longer.  Never NULL. */
GByteArray *mime_part_bytes(GMimePart *part, gsize max, gboolean *cut);

/* The same for the raw bytes, without transfer decoding; CUT must not be
 * NULL.  The part's stream is left at its start. */
GByteArray *mime_part_raw_bytes(GMimePart *part, gsize max, gboolean *cut);

#endif
