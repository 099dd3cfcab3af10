/* pg-guard-priv.h - store_guard_take/check on PostgreSQL (issue 13):
 * "the commit is where the next run will look".  The identity of a
 * PostgreSQL database is the server's system identifier
 * (pg_control_system(): made by initdb, so another server at the URL --
 * a new host behind the name, a failover to a server restored from a
 * dump -- has another) and the database's OID (a database dropped and
 * created again under the same name has another).  store_guard keeps
 * them in its dev (OID) and ino (system identifier) fields.  The check
 * asks through a NEW connection made with the store's own parameters
 * (PQconninfo: the same URL, passfile and TLS settings), as the next run
 * would connect, never through the connection this process writes on.
 * Nothing here prints. */
#ifndef TIPLINE_PG_GUARD_PRIV_H
#define TIPLINE_PG_GUARD_PRIV_H

#include "util.h"
#include "store-priv.h"

tl_status pg_guard_take(store *st, store_guard *g, char **errmsg);
tl_status pg_guard_check(store *st, const store_guard *g,
			 const char *mailbox, guint32 uidvalidity,
			 const guint32 *uids, size_t n, char **errmsg);

#endif
