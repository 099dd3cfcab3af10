/* mime-scanstream-priv.h - the stream GMime parses a message file from:
 * one read of the file feeds both the limit scan (mime-limits-priv.h) and
 * the parser, so a message is read from disk for both in one pass.
 *
 * The file is read ahead in MIME_LIMITS_READ pieces; each piece goes
 * through the scanner before any of it is handed out, so GMime only ever
 * sees bytes of a message whose every earlier byte kept the limits: a
 * hostile message stops at the limit it breaks (reads then fail), with
 * GMime's tree bounded by the limits just as if it had been scanned
 * first.  Bytes before the stream's start (an mbox envelope line) are
 * scanned too: the scan covers the file from offset 0, as
 * mime_limits_scan() on a fresh descriptor does.
 *
 * Substreams (GMime's part contents in its persistent mode) share the
 * descriptor and the read-ahead, and read bytes already scanned with one
 * pread(2) each (a GMimeStreamFs does an lseek(2) and a read(2)).
 */
#ifndef TIPLINE_MIME_SCANSTREAM_H
#define TIPLINE_MIME_SCANSTREAM_H

#include <gmime/gmime.h>

#include "mime-limits-priv.h"

/* A new read-only stream over FD (which it owns: closed when the last
 * stream on it is finalised) from offset START to the end of the file,
 * feeding SCANNER (owned too; its first byte is file offset 0). */
GMimeStream *mime_scanstream_new(int fd, gint64 start,
				 mime_limits_scanner *scanner);

/* Scan the rest of the file (the parser may stop before its end) and end
 * the scan of S's file: 0 when the limits held, 1 when one is broken
 * (*reason set: newly allocated, g_free), -1 when the file could not be
 * read (*reason NULL).  INFO is filled for 0 and 1.  Call once; reads
 * through S and its substreams keep working afterwards. */
int mime_scanstream_finish(GMimeStream *s, mime_limits_info *info,
			   char **reason);

#endif
