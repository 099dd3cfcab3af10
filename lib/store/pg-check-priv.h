/* pg-check-priv.h - store_integrity_check on PostgreSQL (pg-priv.h
 * says how the backend is organised; store.h has the contract). */
#ifndef TIPLINE_PG_CHECK_PRIV_H
#define TIPLINE_PG_CHECK_PRIV_H

#include "store-priv.h"

/* What can go wrong in a PostgreSQL queue that the server itself does
 * not refuse: a constraint left NOT VALID, an index left invalid by a
 * failed CREATE INDEX CONCURRENTLY, a trigger disabled (a restore with
 * --disable-triggers), an original message whose chunks are missing or
 * out of sequence, and an original whose bytes no longer match its
 * content hash and size (as store_raw_read checks them; every chunk of
 * every submission in one streamed statement, until MAX_MS).  The
 * server checks pages itself (checksums, when the cluster has them)
 * and pg_amcheck is the DBA's; FULL changes nothing here.
 * RES is zeroed by the caller.  Statuses as store_integrity_check. */
tl_status pg_store_integrity_check(store *st, gint64 max_ms,
				   store_integrity *res);

#endif
