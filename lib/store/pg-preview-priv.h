/* pg-preview-priv.h - store-preview.c's cache on PostgreSQL (pg-priv.h
 * says how the backend is organised).  Contracts as store_preview_load,
 * store_preview_put and store_preview_todo in store.h. */
#ifndef TIPLINE_PG_PREVIEW_PRIV_H
#define TIPLINE_PG_PREVIEW_PRIV_H

#include "store-priv.h"

tl_status pg_store_preview_load(store *st, gint64 submission_id,
				gint64 index, unsigned size, int version,
				store_preview **out);
tl_status pg_store_preview_put(store *st, const store_preview *p,
			       unsigned size, int version,
			       gboolean *stored);
tl_status pg_store_preview_todo(store *st, const char *since_utc,
				gint64 limit, unsigned size, int version,
				const char *const *formats, GPtrArray **out);

#endif
