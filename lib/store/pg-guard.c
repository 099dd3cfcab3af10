/* pg-guard.c - is the PostgreSQL database this process writes still the
 * one its URL names (pg-guard-priv.h)? */
#include <string.h>

#include "store-priv.h"
#include "pg-guard-priv.h"

/* The identity of the database CONN is connected to: TL_OK and *sysid,
 * *oid, or an error in *why (g_free). */
static tl_status
identity(PGconn *conn, guint64 *sysid, guint64 *oid, char **why)
{
	PGresult *res = PQexec(conn, "SELECT (pg_control_system())."
			       "system_identifier::text, d.oid::bigint FROM "
			       "pg_database d WHERE d.datname = "
			       "current_database()");
	tl_status rc = TL_OK;

	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		*why = g_strchomp(g_strdup(PQresultStatus(res) ==
					   PGRES_TUPLES_OK ? "no such database"
					   : PQresultErrorMessage(res)));
		rc = TL_TEMPFAIL;
	} else {
		*sysid = g_ascii_strtoull(PQgetvalue(res, 0, 0), NULL, 10);
		*oid = g_ascii_strtoull(PQgetvalue(res, 0, 1), NULL, 10);
	}
	PQclear(res);
	return rc;
}

tl_status
pg_guard_take(store *st, store_guard *g, char **errmsg)
{
	guint64 sysid = 0, oid = 0;
	char *why = NULL;

	g->known = 0;
	if (identity(store_pg(st)->conn, &sysid, &oid, &why) != TL_OK) {
		*errmsg = g_strdup_printf("database %s: %s", store_path(st),
					  why);
		g_free(why);
		return TL_TEMPFAIL;
	}
	g->dev = (dev_t)oid;
	g->ino = (ino_t)sysid;
	g->known = 1;
	return TL_OK;
}

/* A new connection with the parameters of ST's own (PQconninfo: host,
 * port, database, user, passfile, sslmode, sslrootcert ...), or NULL
 * with *why. */
static PGconn *
connect_again(store *st, char **why)
{
	PQconninfoOption *opts = PQconninfo(store_pg(st)->conn), *o;
	GPtrArray *kw = g_ptr_array_new(), *val = g_ptr_array_new();
	PGconn *conn = NULL;

	for (o = opts; o != NULL && o->keyword != NULL; o++) {
		if (o->val == NULL || *o->val == '\0')
			continue;
		g_ptr_array_add(kw, o->keyword);
		g_ptr_array_add(val, o->val);
	}
	g_ptr_array_add(kw, NULL);
	g_ptr_array_add(val, NULL);
	conn = PQconnectdbParams((const char *const *)kw->pdata,
				 (const char *const *)val->pdata, 0);
	if (PQstatus(conn) != CONNECTION_OK) {
		*why = g_strchomp(g_strdup(PQerrorMessage(conn)));
		PQfinish(conn);
		conn = NULL;
	}
	g_ptr_array_free(kw, TRUE);
	g_ptr_array_free(val, TRUE);
	PQconninfoFree(opts);
	return conn;
}

/* How many of the N UIDS have a ledger row in CONN's database; -1 with
 * *why when it cannot be read. */
static gint64
rows_there(PGconn *conn, const char *mailbox, guint32 uidvalidity,
	   const guint32 *uids, size_t n, char **why)
{
	GString *arr = g_string_new("{");
	char *v = g_strdup_printf("%u", uidvalidity);
	const char *values[3];
	PGresult *res;
	gint64 found = -1;

	for (size_t i = 0; i < n; i++)
		g_string_append_printf(arr, "%s%u", i ? "," : "", uids[i]);
	g_string_append_c(arr, '}');
	values[0] = mailbox;
	values[1] = v;
	values[2] = arr->str;
	res = PQexecParams(conn, "SELECT count(*) FROM ledger WHERE mailbox "
			   "= $1 AND uidvalidity = $2::bigint AND uid = "
			   "ANY ($3::bigint[])", 3, NULL, values, NULL, NULL,
			   0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		found = g_ascii_strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	else
		*why = g_strchomp(g_strdup(PQresultErrorMessage(res)));
	PQclear(res);
	g_free(v);
	g_string_free(arr, TRUE);
	return found;
}

/* Is CONN's database the one G recorded?  TL_OK, or TL_TEMPFAIL with
 * *errmsg. */
static tl_status
same_database(store *st, PGconn *conn, const store_guard *g,
	      char **errmsg)
{
	guint64 sysid = 0, oid = 0;
	char *why = NULL;

	if (identity(conn, &sysid, &oid, &why) != TL_OK) {
		*errmsg = g_strdup_printf("database %s cannot be read at its "
			"URL while this fetch ran: %s", store_path(st), why);
		g_free(why);
		return TL_TEMPFAIL;
	}
	if (sysid != (guint64)g->ino) {
		*errmsg = g_strdup_printf("database %s is on another "
			"PostgreSQL server than the one this fetch wrote to "
			"(system identifier %" G_GUINT64_FORMAT ", was %"
			G_GUINT64_FORMAT ")", store_path(st), sysid,
			(guint64)g->ino);
		return TL_TEMPFAIL;
	}
	if (oid != (guint64)g->dev) {
		*errmsg = g_strdup_printf("database %s was dropped and "
			"created again while this fetch ran (a restored "
			"backup?)", store_path(st));
		return TL_TEMPFAIL;
	}
	return TL_OK;
}

tl_status
pg_guard_check(store *st, const store_guard *g, const char *mailbox,
	       guint32 uidvalidity, const guint32 *uids, size_t n,
	       char **errmsg)
{
	PGconn *conn = NULL;
	char *why = NULL;
	tl_status rc = TL_OK;
	gint64 found;

	if ((g == NULL || !g->known) && n == 0)
		return TL_OK;
	if ((conn = connect_again(st, &why)) == NULL) {
		*errmsg = g_strdup_printf("database %s cannot be reached at "
			"its URL while this fetch ran: %s", store_path(st),
			why);
		g_free(why);
		return TL_TEMPFAIL;
	}
	if (g != NULL && g->known &&
	    (rc = same_database(st, conn, g, errmsg)) != TL_OK)
		goto out;
	if (n == 0)
		goto out;
	found = rows_there(conn, mailbox, uidvalidity, uids, n, &why);
	if (found < 0) {
		*errmsg = g_strdup_printf("database %s cannot be read at its "
			"URL while this fetch ran: %s", store_path(st), why);
		g_free(why);
		rc = TL_TEMPFAIL;
	} else if ((size_t)found != n) {
		*errmsg = g_strdup_printf("database %s at its URL lacks %zu "
			"of the %zu messages this fetch just committed (it "
			"was replaced or rolled back while the fetch ran)",
			store_path(st), n - (size_t)found, n);
		rc = TL_TEMPFAIL;
	}
out:
	PQfinish(conn);
	return rc;
}
