/* pg-redo-priv.h - store-redo.c on PostgreSQL (issue 13): what
 * `tipline reparse` selects, and a too_large entry completed by a later
 * fetch.  Same contracts as the store.h functions of the same names
 * without the pg_ prefix (store-redo.c calls these first thing when
 * store_pg() is set; the outcome comes as its name).  Nothing here
 * prints. */
#ifndef TIPLINE_PG_REDO_PRIV_H
#define TIPLINE_PG_REDO_PRIV_H

#include <glib.h>

#include "util.h"
#include "store-priv.h"

tl_status pg_quarantined_ids(store *st, GArray *ids);
tl_status pg_submission_status(store *st, gint64 id, queue_status *status);
tl_status pg_too_large_list(store *st, const char *mailbox,
			    guint32 uidvalidity, gint64 max_size,
			    GArray *out);
tl_status pg_refetch_record(store *st, const char *mailbox,
			    guint32 uidvalidity, guint32 uid,
			    const char *outcome, gint64 submission_id,
			    int action_done);
tl_status pg_too_large_removable(store *st, gint64 id, int *removable);
tl_status pg_submission_delete(store *st, gint64 id);

#endif
