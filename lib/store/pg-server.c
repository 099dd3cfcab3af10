/* pg-server.c - what doctor shows of a PostgreSQL server
 * (pg-server-priv.h). */
#include <string.h>

#include "pg-server-priv.h"
#include "pg-conn-priv.h"

char *
pg_server_display(const char *url)
{
	pg_target *t = NULL;
	char *err = NULL, *out = NULL;

	/* No passfile given: only a passfile= of the URL is looked at,
	 * and the open that came first has checked it already. */
	if (pg_conn_parse(url, NULL, &t, &err) == TL_OK)
		out = g_strdup(pg_target_display(t));
	g_free(err);
	pg_target_free(t);
	return out;
}

/* The value libpq used for KEYWORD on CONN, or NULL. New string. */
static char *
conn_option(PGconn *conn, const char *keyword)
{
	PQconninfoOption *opts = PQconninfo(conn);
	char *v = NULL;

	for (PQconninfoOption *o = opts; o != NULL && o->keyword != NULL;
	     o++)
		if (strcmp(o->keyword, keyword) == 0 && o->val != NULL)
			v = g_strdup(o->val);
	if (opts != NULL)
		PQconninfoFree(opts);
	return v;
}

tl_status
pg_server_info(pg_db *db, store_server_info *out)
{
	PGresult *res = NULL;
	tl_status rc;

	if (PQsslInUse(db->conn)) {
		const char *proto = PQsslAttribute(db->conn, "protocol");
		const char *cipher = PQsslAttribute(db->conn, "cipher");

		out->tls = g_strdup_printf("%s, %s", proto != NULL ? proto :
					   "?", cipher != NULL ? cipher : "?");
	}
	out->sslmode = conn_option(db->conn, "sslmode");
	/* to_regclass: NULL (so the CREATE right decides) while the
	 * database has no queue yet. */
	rc = pg_run(db, "server", "SELECT current_setting("
		    "'server_version'), current_setting('server_encoding'), "
		    "(SELECT datctype FROM pg_database WHERE datname = "
		    "current_database()), pg_is_in_recovery(), "
		    "current_setting('transaction_read_only') = 'off' AND "
		    "NOT pg_is_in_recovery() AND COALESCE("
		    "has_table_privilege(to_regclass('submission'), 'INSERT') "
		    "AND has_table_privilege(to_regclass('ledger'), 'INSERT') "
		    "AND has_table_privilege(to_regclass('audit'), 'INSERT') "
		    "AND has_table_privilege(to_regclass('mailbox_state'), "
		    "'UPDATE'), has_database_privilege(current_database(), "
		    "'CREATE'))", NULL, &res);
	if (rc == TL_OK && PQntuples(res) == 1) {
		out->server_version = pg_dup(res, 0, 0);
		out->encoding = pg_dup(res, 0, 1);
		out->lc_ctype = pg_dup(res, 0, 2);
		out->standby = (int)pg_int(res, 0, 3);
		out->can_write = (int)pg_int(res, 0, 4);
	}
	PQclear(res);
	return rc;
}
