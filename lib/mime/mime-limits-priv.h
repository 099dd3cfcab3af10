/* mime-limits-priv.h - the configured limits on MIME depth, part count and
 * header size ([limits], tl_parse_limits), checked before GMime builds its
 * tree: one streaming pass over the file that tracks header blocks,
 * Content-Type boundaries and message/rfc822 nesting the way a MIME parser
 * does (RFC 2046 5.1.1), in memory bounded by the depth limit.  A message
 * that breaks a limit is quarantined without ever being handed to GMime,
 * so a hostile message (a million parts, a 1 GB header, nesting that
 * would exhaust the stack) costs one read of the file.
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

/* Scan the file open on FD from its current offset to the end, reading at
 * most CHUNK bytes per read(2) (0: 64 KiB).  Returns 0 when LIMITS hold,
 * 1 when one is broken (*reason: newly allocated English text, g_free),
 * -1 on a read error (*reason too).  INFO (may be NULL) is filled in every
 * case. */
int mime_limits_scan(int fd, const tl_parse_limits *limits, size_t chunk,
		     mime_limits_info *info, char **reason);

#endif
