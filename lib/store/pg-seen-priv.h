/* pg-seen-priv.h - store_seen_mark (store.h) on the PostgreSQL backend
 * (issue 13); the SQLite version is in store-seen.c.  Rows already there
 * are kept (ON CONFLICT DO NOTHING: a second editor's mark at the same
 * moment is no error), and *marked counts only the rows added. */
#ifndef TIPLINE_PG_SEEN_PRIV_H
#define TIPLINE_PG_SEEN_PRIV_H

#include "store-priv.h"

tl_status pg_store_seen_mark(store *st, const char *editor,
			     const gint64 *ids, guint n, gboolean all,
			     gboolean *found, guint *marked);

#endif
