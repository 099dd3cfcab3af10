/* mime-ctx-priv.h - the state of one parse: the submission being filled,
 * the parser options and limits, and what the walk has seen so far.
 * Shared by mime-walk.c (which drives the walk), mime-attach.c (which
 * adds the attachments), mime-envelope.c (the sender, subject and date)
 * and message.c (which sets it up); it depends on none of them, so they
 * need not depend on each other.
 */
#ifndef TIPLINE_MIME_CTX_H
#define TIPLINE_MIME_CTX_H

#include <gmime/gmime.h>

#include "html-priv.h"
#include "message.h"

typedef struct {
	GMimeParserOptions *opts;
	msg_submission *sub;
	const tl_parse_limits *limits;
	int parts;		/* MIME objects seen so far */
	gboolean saw_dsn;	/* a message/delivery-status report part */
	char hint[48];		/* charset of the current message's text,
				 * "" for none: a copy, since repairing a
				 * part's Content-Type (mime-ctype-priv.h) frees
				 * the string GMime lent */
	gsize text_bytes;	/* text read into memory so far */
	GMimeStream *raw;	/* the stream GMime parsed (mime-opaque-priv.h),
				 * borrowed, or NULL */
	html_removed removed;	/* what the HTML bodies' text left
					 * out, summed (html-priv.h) */
} mime_walk;

/* Add a human-readable warning to SUB (bounded: after 200 only a count
 * is kept).  Takes ownership of MSG (g_free'd). */
void mime_ctx_warn(msg_submission *sub, char *msg);

#endif
