/* store-server.c - the database as messages name it, and what doctor
 * shows of a PostgreSQL server (see store.h). */
#include <string.h>

#include "store-priv.h"
#include "pg-server-priv.h"

char *
store_database_display(const char *database)
{
	char *d;

	if (database == NULL)
		return g_strdup("(none)");
	if (!store_is_url(database))
		return g_strdup(database);
	d = pg_server_display(database);
	return d != NULL ? d : g_strdup("the postgresql:// URL of [store] "
					"database");
}

tl_status
store_server_info_get(store *st, store_server_info *out)
{
	pg_db *pg = store_pg(st);
	tl_status rc;

	memset(out, 0, sizeof *out);
	if (pg == NULL) {
		store_set_error(st, "server: a SQLite store has no server");
		return TL_SOFTWARE;
	}
	out->display = store_database_display(store_path(st));
	if ((rc = pg_server_info(pg, out)) != TL_OK)
		store_server_info_clear(out);
	return rc;
}

void
store_server_info_clear(store_server_info *info)
{
	g_free(info->display);
	g_free(info->server_version);
	g_free(info->tls);
	g_free(info->sslmode);
	g_free(info->encoding);
	g_free(info->lc_ctype);
	memset(info, 0, sizeof *info);
}
