/* mime-attach.h - one attachment of a submission: its file name (RFC 2231,
 * RFC 2047 with the mime-header.h repairs, NFC, last path component, or
 * "attachment-N.ext" from the type), its type, disposition and Content-ID,
 * and its decoded size, SHA-256 and media scan (GPS, danger), computed by
 * streaming the part in chunks: memory does not grow with the part.
 * winmail.dat (application/ms-tnef) is replaced by the files inside it.
 * Internal to mime-walk.c, which hands each leaf part here.
 */
#ifndef TIPLINE_MIME_ATTACH_H
#define TIPLINE_MIME_ATTACH_H

#include <gmime/gmime.h>

#include "util.h"
#include "media.h"
#include "mime-ctx-priv.h"

/* Running hash, media scan and size of one attachment's bytes. */
typedef struct {
	hash_sha256 *sha;
	media_scan *media;
	gint64 size;
} mime_attach_sink;

/* Append a new attachment to w->sub.  FILENAME (may be NULL) is taken
 * over; TYPE is "type/subtype"; DISP "attachment" or "inline"; CID may be
 * NULL; PATH is the part path; FWD the forwarded index or -1.  The size
 * and hash come from mime_attach_begin/add/end.  Borrowed from w->sub. */
msg_attachment *mime_attach_new(mime_walk *w, char *filename,
				const char *type, const char *disp,
				const char *cid, const char *path, int fwd);
void mime_attach_begin(msg_attachment *a, mime_attach_sink *s);
/* Feed N bytes (the UD is a mime_attach_sink *). */
void mime_attach_add(const void *p, size_t n, void *ud);
void mime_attach_end(mime_walk *w, msg_attachment *a, mime_attach_sink *s);

/* The leaf O (a GMimePart; anything else is ignored) at PATH as one or,
 * for TNEF, several attachments. */
void mime_attach_part(mime_walk *w, GMimeObject *o, const char *path,
		      int fwd);

/* The leaf O (any GMimeObject: a message/rfc822 part whose content is not
 * a message) at PATH as one attachment whose bytes are read from
 * CONTENT (borrowed; may be NULL for an empty one), named and typed from
 * O's headers. */
void mime_attach_stream(mime_walk *w, GMimeObject *o, GMimeStream *content,
			const char *path, int fwd);

#endif
