/* store-values-priv.h - what store-write.c shares with the PostgreSQL
 * write path (pg-write.c): the parts of storing a submission that run no
 * SQL, so that both backends store the same values.  Nothing here
 * prints. */
#ifndef TIPLINE_STORE_VALUES_PRIV_H
#define TIPLINE_STORE_VALUES_PRIV_H

#include <glib.h>

#include "message.h"
#include "util.h"

/* Bytes of the original per raw row (both backends: a raw row is what
 * one read or write holds in memory). */
#define STORE_RAW_CHUNK (256 * 1024)

/* Text for search beyond subject/sender/body: forwarded messages and
 * attachment names (the submission's search_extra column).  Newly
 * allocated (g_free). */
char *store_values_search_extra(const msg_submission *sub);

/* SUB's warnings, one per line, with what the store found added: TWIN
 * (> 0: an earlier submission with the same Message-ID and sender), else
 * DUP (> 0: the same text from the same sender within the window), and
 * a Date implausible for arrival at NOW (QUEUED == NOW, compared by
 * address as store_values_queue_time returns it; NOW NULL: none, as
 * reparse wants).  Newly allocated. */
char *store_values_warnings(const msg_submission *sub, gint64 twin,
			    gint64 dup, const char *queued, const char *now);

/* Where a submission sits in the queue: DATE_UTC unless it is implausible
 * for a message that arrived at RECEIVED (QA F21); both ISO 8601 UTC.
 * Borrowed: returns one of its two arguments. */
const char *store_values_queue_time(const char *date_utc,
				    const char *received);

/* Do the bytes read back (content hash GOT, SIZE bytes) match the hash
 * WANT and size WANT_SIZE recorded (either form of a too_large entry's
 * hash)? */
gboolean store_values_raw_matches(const char *want, gint64 want_size,
				  const char *got, gint64 size);

#endif
