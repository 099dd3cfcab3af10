/* pg-purge-priv.h - purge.c's purge_run on PostgreSQL (pg-priv.h says
 * how the backend is organised).  Contract as purge_run in store.h, but
 * for what stays on disk (docs/operations.md, "Purging on PostgreSQL"):
 * res->wal_truncated is always TRUE, the server's WAL being the
 * server's. */
#ifndef TIPLINE_PG_PURGE_PRIV_H
#define TIPLINE_PG_PURGE_PRIV_H

#include "store-priv.h"

/* RES is zeroed with its arrays allocated and its cutoff set by the
 * caller (purge.c). */
tl_status pg_purge_run(store *st, const GArray *statuses,
		       gboolean dry_run, const char *editor,
		       const char *criteria, purge_result *res,
		       char **errmsg);

#endif
