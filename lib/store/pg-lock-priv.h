/* pg-lock-priv.h - one fetcher per mailbox on PostgreSQL (issue 13):
 * session-level advisory locks, for store-lock.c (store.h says what the
 * public functions promise). */
#ifndef TIPLINE_PG_LOCK_PRIV_H
#define TIPLINE_PG_LOCK_PRIV_H

#include "pg-priv.h"

/* The first key of every mailbox lock: a tipline constant ('tpmb' in
 * ASCII), so that the locks are told apart from the schema lock of pg.c
 * and from another application's in pg_locks.  The second key is
 * pg_mailbox_key() of the [mailbox NAME]. */
#define PG_MAILBOX_LOCK_CLASS 1953525090	/* 0x74706d62 */

/* The second key for MAILBOX: 32-bit FNV-1a of its UTF-8 bytes, as a
 * signed int4.  Computed here, not with PostgreSQL's hashtext(), which
 * is not promised stable across server versions: every fetcher, of any
 * tipline and server version, must agree on it. */
gint32 pg_mailbox_key(const char *mailbox);

/* pg_try_advisory_lock(CLASS, KEY) on DB's session: *held 1 when taken
 * (or already held by this session), 0 when another session holds it.
 * Errors as pg_run (a lost connection: TL_TEMPFAIL). */
tl_status pg_mailbox_lock_try(pg_db *db, gint32 key, int *held);

/* Does DB's session still hold (CLASS, KEY)?  One round trip to the
 * server; TL_TEMPFAIL with the error set when not (or when the
 * connection is gone). */
tl_status pg_mailbox_lock_check(pg_db *db, gint32 key,
				const char *mailbox);

/* pg_advisory_unlock(CLASS, KEY); errors are ignored (a lost connection
 * has dropped the lock already). */
void pg_mailbox_unlock(pg_db *db, gint32 key);

/* Which other session holds (CLASS, KEY): *who (g_free) "process PID
 * (APPLICATION from ADDRESS, since TIME)", or NULL when none does. */
tl_status pg_mailbox_lock_holder(pg_db *db, gint32 key, char **who);

#endif
