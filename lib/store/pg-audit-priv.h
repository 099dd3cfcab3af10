/* pg-audit-priv.h - audit.c's reads on PostgreSQL (pg-priv.h says how
 * the backend is organised).  Contracts as audit_rows_load and
 * audit_purge_find in store.h. */
#ifndef TIPLINE_PG_AUDIT_PRIV_H
#define TIPLINE_PG_AUDIT_PRIV_H

#include "store-priv.h"

tl_status pg_audit_rows_load(store *st, const audit_filter *f,
			     GPtrArray **rows, char **errmsg);
tl_status pg_audit_purge_find(store *st, gint64 id, audit_row **row,
			      gboolean *existed, char **errmsg);

#endif
