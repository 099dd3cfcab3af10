/* pg-lock.c - one fetcher per mailbox on PostgreSQL: session-level
 * advisory locks (pg-lock-priv.h). */
#include <string.h>

#include "pg-lock-priv.h"

gint32
pg_mailbox_key(const char *mailbox)
{
	guint32 h = 2166136261u;	/* FNV-1a offset basis */

	for (const unsigned char *p = (const unsigned char *)mailbox;
	     *p != '\0'; p++) {
		h ^= *p;
		h *= 16777619u;		/* FNV prime */
	}
	return (gint32)h;
}

/* $1, $2: the class and the key, as int4. */
static void
params_key(pg_params *p, gint32 key)
{
	pg_p_int(p, PG_MAILBOX_LOCK_CLASS);
	pg_p_int(p, key);
}

tl_status
pg_mailbox_lock_try(pg_db *db, gint32 key, int *held)
{
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	tl_status rc;

	*held = 0;
	params_key(&p, key);
	rc = pg_run(db, "mailbox lock", "SELECT pg_try_advisory_lock("
		    "$1::int4, $2::int4)", &p, &res);
	if (rc == TL_OK && PQntuples(res) == 1)
		*held = pg_int(res, 0, 0) != 0;
	PQclear(res);
	pg_params_clear(&p);
	return rc;
}

/* The rows of pg_locks l for (CLASS, KEY) in this database: the two-int4
 * form of an advisory lock shows as classid, objid, objsubid = 2, the
 * int4 keys as oid (so a negative key reads as its unsigned value:
 * int4 -> oid is a binary cast). */
#define LOCK_WHERE							\
	"WHERE l.locktype = 'advisory' AND l.granted "			\
	"AND l.database = (SELECT oid FROM pg_database WHERE datname = " \
	"current_database()) AND l.classid = $1::int4::oid AND "	\
	"l.objid = $2::int4::oid AND l.objsubid = 2 "

tl_status
pg_mailbox_lock_check(pg_db *db, gint32 key, const char *mailbox)
{
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	tl_status rc;

	params_key(&p, key);
	rc = pg_run(db, "mailbox lock", "SELECT count(*) FROM pg_locks l "
		    LOCK_WHERE
		    "AND l.pid = pg_backend_pid()", &p, &res);
	if (rc == TL_OK && pg_int(res, 0, 0) < 1) {
		pg_set_error(db, "the lock on mailbox %s was lost (the "
			     "server ended this session's lock); stopped "
			     "before any server action", mailbox);
		rc = TL_TEMPFAIL;
	}
	PQclear(res);
	pg_params_clear(&p);
	return rc;
}

void
pg_mailbox_unlock(pg_db *db, gint32 key)
{
	pg_params p = PG_PARAMS_INIT;

	if (PQstatus(db->conn) == CONNECTION_OK) {
		params_key(&p, key);
		pg_run(db, "mailbox unlock", "SELECT pg_advisory_unlock("
		       "$1::int4, $2::int4)", &p, NULL);
		pg_params_clear(&p);
	}
}

tl_status
pg_mailbox_lock_holder(pg_db *db, gint32 key, char **who)
{
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	tl_status rc;

	*who = NULL;
	params_key(&p, key);
	/* pg_stat_activity shows another session's address and start only
	 * to its own role (or pg_read_all_stats): NULL otherwise. */
	rc = pg_run(db, "mailbox lock", "SELECT l.pid, a.application_name, "
		    "host(a.client_addr), to_char(a.backend_start AT TIME "
		    "ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
		    "FROM pg_locks l LEFT JOIN pg_stat_activity a "
		    "ON a.pid = l.pid "
		    LOCK_WHERE "AND l.pid <> pg_backend_pid()", &p, &res);
	if (rc == TL_OK && PQntuples(res) > 0) {
		const char *app = pg_text(res, 0, 1);
		const char *addr = pg_text(res, 0, 2);
		const char *since = pg_text(res, 0, 3);

		*who = g_strdup_printf("server process %s (%s%s%s%s%s)",
				       pg_text(res, 0, 0),
				       app != NULL && *app ? app : "?",
				       addr != NULL ? " from " : " over a "
				       "Unix socket", addr != NULL ? addr : "",
				       since != NULL ? ", since " : "",
				       since != NULL ? since : "");
	}
	PQclear(res);
	pg_params_clear(&p);
	return rc;
}
