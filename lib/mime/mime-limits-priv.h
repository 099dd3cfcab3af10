/* mime-limits-priv.h - the configured limits on MIME depth, part count and
 * header size ([limits], tl_parse_limits), checked ahead of GMime's tree
 * builder: one streaming pass over the file that tracks header blocks,
 * Content-Type boundaries and message/rfc822 nesting the way a MIME parser
 * does (RFC 2046 5.1.1), in memory bounded by the depth limit.  The scan
 * rides on the read that feeds GMime (mime-scanstream-priv.h): each piece
 * is scanned before GMime sees any of it, so GMime never gets past the
 * piece where a limit broke, and a hostile message (a million parts, a
 * 1 GB header, nesting that would exhaust the stack) is quarantined after
 * one read of the file, with a tree no larger than the limits allow.
 */
#ifndef TIPLINE_MIME_LIMITS_H
#define TIPLINE_MIME_LIMITS_H

#include <stddef.h>
#include <glib.h>

#include "message.h"

/* What the scan saw besides the limits. */
typedef struct {
	gint64 header_end;	/* offset just after the top-level header
				 * block (its empty line), -1 when the scan
				 * stopped before it ended */
	int header_nuls;	/* NUL bytes inside header blocks: GMime
				 * cuts a header field at the first one */
} mime_limits_info;

/* Bytes per read(2) of the file passes over a message (the scan, the
 * parser's read-ahead): large reads cost fewer system calls per byte. */
#define MIME_LIMITS_READ	(256 * 1024)

/* Scan the file open on FD from its current offset to the end, reading at
 * most CHUNK bytes per read(2) (0: MIME_LIMITS_READ).  Returns 0 when
 * LIMITS hold, 1 when one is broken (*reason: newly allocated English
 * text, g_free), -1 on a read error (*reason too).  INFO (may be NULL) is
 * filled in every case.  The same as feeding every byte to a scanner. */
int mime_limits_scan(int fd, const tl_parse_limits *limits, size_t chunk,
		     mime_limits_info *info, char **reason);

/* The same scan fed by the caller, so that it can ride along with another
 * pass over the bytes (message.c: the read that feeds GMime).  A scanner
 * holds memory bounded by the depth limit, whatever is fed. */
typedef struct mime_limits_scanner mime_limits_scanner;

/* A new scanner for a message whose bytes start at file offset POS (only
 * used for mime_limits_info.header_end).  LIMITS must outlive it. */
mime_limits_scanner *mime_limits_scanner_new(const tl_parse_limits *limits,
					     gint64 pos);

/* Feed the next N bytes of the message, in order, in pieces of any size
 * (the result does not depend on where the pieces are cut).  FALSE once
 * a limit is broken; later bytes are then ignored. */
gboolean mime_limits_scanner_feed(mime_limits_scanner *m, const char *buf,
				  size_t n);

/* End of the message: 0 when the limits held, 1 when one is broken
 * (*reason: newly allocated, g_free).  Fills INFO (may be NULL) and frees
 * M. */
int mime_limits_scanner_finish(mime_limits_scanner *m, mime_limits_info *info,
			       char **reason);

#endif
