/* mime-walk.h - the MIME tree of one parsed message -> body text, HTML,
 * attachments, forwarded messages and the machine-mail flags of a
 * msg_submission (the rules are those of the corpus's expected.json:
 * "text_body", "attachments", "is_bounce").  Internal to message.c.
 */
#ifndef TIPLINE_MIME_WALK_H
#define TIPLINE_MIME_WALK_H

#include <gmime/gmime.h>

#include "message.h"

typedef struct {
	GMimeParserOptions *opts;
	msg_submission *sub;
	const tl_parse_limits *limits;
	int parts;		/* MIME objects seen so far */
	gboolean saw_dsn;	/* a message/delivery-status report part */
	char hint[48];		/* charset of the current message's text,
				 * "" for none: a copy, since repairing a
				 * part's Content-Type (mime-ctype.h) frees
				 * the string GMime lent */
	gsize text_bytes;	/* text read into memory so far */
	GMimeStream *raw;	/* the stream GMime parsed (mime-opaque.h),
				 * borrowed, or NULL */
} mime_walk;

/* Is O an attachment by the corpus rule: Content-Disposition: attachment,
 * or a file name in Content-Disposition or Content-Type?  The one home
 * of that rule (the walk and redact.c both use it). */
gboolean mime_walk_attachment_like(GMimeObject *o);

/* Add a human-readable warning to SUB (bounded: after 200 only a count
 * is kept).  Takes ownership of MSG (g_free'd). */
void mime_walk_warn(msg_submission *sub, char *msg);

/* Walk the top-level MSG: fills sub->text, text_source, html, attachments,
 * forwarded, is_bounce, dsn_summary, is_signed, is_encrypted, has_gps,
 * charset_repaired, legacy_font_hint.  On a broken limit sets
 * sub->quarantine_reason and stops early. */
void mime_walk_message(mime_walk *w, GMimeMessage *msg);

/* Sender, subject, Message-ID and date of MSG (each newly allocated or
 * left NULL; *offset, may be NULL, gets the Date's zone in minutes east),
 * with the RFC 2047 repairs of mime-header.h, warnings added to w->sub. */
void mime_walk_headers(mime_walk *w, GMimeMessage *msg, char **from_name,
		       char **from_addr, char **subject, char **message_id,
		       char **date_utc, int *offset);

/* A GMime stream yielding the decoded bytes (after Content-Transfer-
 * Encoding) of PART, read from its raw stream on demand; NULL when the part
 * has no content.  Caller unrefs. */
GMimeStream *mime_walk_part_stream(GMimePart *part);

/* Find the object at PART_PATH ("1", "2.1", as msg_attachment.part_path
 * without any ":uuN"/":tnefN" suffix) under MSG; NULL when absent.
 * Borrowed from MSG. */
GMimeObject *mime_walk_find(GMimeMessage *msg, const char *part_path);

/* Read all of S, handing each chunk to FN with UD; returns the bytes
 * read, or -1 on a read error. */
gint64 mime_walk_stream_each(GMimeStream *s,
			     void (*fn)(const void *, size_t, void *),
			     void *ud);

/* Read at most MAX decoded bytes of PART into a new GByteArray; *cut is
 * set when the part was longer.  Never NULL. */
GByteArray *mime_walk_part_bytes(GMimePart *part, gsize max, gboolean *cut);

/* Write the Nth (1-based) uuencoded block of the text PART, or the Nth
 * file of the TNEF PART, to STREAM.  1 when written, 0 when there is no
 * such file, -1 on a write error (errno). */
int mime_walk_write_uu(GMimePart *part, int n, GMimeStream *out);
int mime_walk_write_tnef(GMimePart *part, int n, GMimeStream *out);

#endif
