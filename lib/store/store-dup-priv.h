/* store-dup-priv.h - probable duplicates at ingest (issue 10): the same
 * sender's same text sent twice with different Message-IDs (a reader who
 * presses Send again, or writes to two newsroom addresses).  Both copies
 * are kept; the later one is linked to the earlier (text_key.duplicate_of)
 * and carries a warning, as a twin with the same Message-ID does (QA F29).
 * Used by store-write.c inside its insert transaction.  Nothing here
 * prints.
 */
#ifndef TIPLINE_STORE_DUP_H
#define TIPLINE_STORE_DUP_H

#include <glib.h>

#include "message.h"
#include "util.h"
#include "store-priv.h"

/* How far apart (by queue time) two copies of one tip may be. */
#define STORE_DUP_WINDOW_HOURS 24

/* The key of SUB's text: SHA-256 (hex) of the text in NFC, case folded,
 * every run of white space one space, trimmed; NULL when SUB has no
 * sender address or no text left after that (a photo alone is not
 * compared).  Newly allocated (g_free). */
char *store_dup_text_key(const msg_submission *sub);

/* The earliest submission from SENDER (compared in lower case) whose text
 * key is KEY and whose queue time is within STORE_DUP_WINDOW_HOURS of
 * QUEUE_UTC (ISO 8601 UTC), or 0.  Errors count as "none": a missed hint
 * must not stop a fetch. */
gint64 store_dup_find(store *st, const char *sender, const char *key,
		      const char *queue_utc);

/* The queue times STORE_DUP_WINDOW_HOURS before and after QUEUE_UTC
 * (ISO 8601 UTC), newly allocated, or NULL when it does not parse: the
 * bounds of store_dup_find (and of its PostgreSQL form in pg-write.c). */
void store_dup_window(const char *queue_utc, char **lo, char **hi);

/* Record submission ID's key (and DUP_OF, 0 for none) for later copies to
 * find.  Must run in the insert's transaction. */
tl_status store_dup_record(store *st, gint64 id, const char *sender,
			   const char *key, const char *queue_utc,
			   gint64 dup_of);

#endif
