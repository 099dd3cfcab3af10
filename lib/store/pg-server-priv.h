/* pg-server-priv.h - what doctor shows of a PostgreSQL server, and a
 * connection URL in the form messages show (store-server.c; store.h). */
#ifndef TIPLINE_PG_SERVER_PRIV_H
#define TIPLINE_PG_SERVER_PRIV_H

#include "pg-priv.h"
#include "store.h"

/* URL (a postgresql:// URL) as "postgresql://USER@HOST:PORT/DB", or
 * NULL when libpq cannot parse it.  New string (g_free). */
char *pg_server_display(const char *url);

/* store_server_info_get() on DB; out->display is left to the caller. */
tl_status pg_server_info(pg_db *db, store_server_info *out);

#endif
