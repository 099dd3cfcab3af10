/* pg-write-priv.h - the write path on PostgreSQL (issue 13): a parsed
 * submission and its original into the store, the original back out,
 * and the duplicate-text keys.  Same contracts as the store.h functions
 * of the same names without the pg_ prefix (store-write.c and
 * store-dup.c call these first thing when store_pg() is set).  Nothing
 * here prints. */
#ifndef TIPLINE_PG_WRITE_PRIV_H
#define TIPLINE_PG_WRITE_PRIV_H

#include <glib.h>

#include "message.h"
#include "util.h"
#include "store-priv.h"

tl_status pg_submission_insert(store *st, const msg_submission *sub,
			       const char *raw_path, gint64 raw_size,
			       const char *content_hash,
			       const store_source *src, queue_status status,
			       const char *error, gint64 *id_out,
			       gint64 *dup_of);

tl_status pg_submission_reparse(store *st, gint64 id,
				const msg_submission *sub,
				queue_status status, const char *error);

/* store_raw_read: one chunk in memory at a time (each raw row is asked
 * for on its own, in binary), in one REPEATABLE READ snapshot when no
 * transaction is open. */
tl_status pg_raw_read(store *st, gint64 id, store_raw_fn fn, void *data);

tl_status pg_raw_replace(store *st, gint64 id, const void *bytes,
			 size_t len);

#endif
