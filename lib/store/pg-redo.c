/* pg-redo.c - store-redo.c's statements on PostgreSQL
 * (pg-redo-priv.h). */
#include "store-priv.h"
#include "pg-redo-priv.h"

/* Run SQL with $1 = A; the first column of its first row, if any, goes
 * to *out (when not NULL). */
static tl_status
exec_id(store *st, const char *what, const char *sql, gint64 a,
	gint64 *out)
{
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	tl_status rc;

	pg_p_int(&p, a);
	rc = pg_run(store_pg(st), what, sql, &p, &res);
	if (rc == TL_OK && out != NULL && PQntuples(res) > 0)
		*out = pg_int(res, 0, 0);
	PQclear(res);
	pg_params_clear(&p);
	return rc;
}

tl_status
pg_quarantined_ids(store *st, GArray *ids)
{
	PGresult *res = NULL;
	tl_status rc;

	rc = pg_run(store_pg(st), "quarantined", "SELECT id FROM submission "
		    "WHERE status = 'quarantined' ORDER BY id", NULL, &res);
	for (int i = 0; rc == TL_OK && i < PQntuples(res); i++) {
		gint64 id = pg_int(res, i, 0);

		g_array_append_val(ids, id);
	}
	PQclear(res);
	return rc;
}

tl_status
pg_submission_status(store *st, gint64 id, queue_status *status)
{
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	tl_status rc;

	*status = QUEUE_INVALID;
	pg_p_int(&p, id);
	rc = pg_run(store_pg(st), "status", "SELECT status FROM submission "
		    "WHERE id = $1", &p, &res);
	if (rc == TL_OK && PQntuples(res) > 0)
		*status = queue_status_parse(pg_text(res, 0, 0));
	PQclear(res);
	pg_params_clear(&p);
	return rc;
}

tl_status
pg_too_large_list(store *st, const char *mailbox, guint32 uidvalidity,
		  gint64 max_size, GArray *out)
{
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	tl_status rc;

	pg_p_text(&p, mailbox);
	pg_p_int(&p, uidvalidity);
	pg_p_int(&p, max_size > 0 ? max_size : G_MAXINT64);
	/* As in SQLite: the partial index ledger_too_large serves it. */
	rc = pg_run(store_pg(st), "too_large lookup", "SELECT uid, "
		    "submission_id FROM ledger WHERE mailbox = $1 AND "
		    "uidvalidity = $2 AND outcome = 'too_large' AND size <= $3 "
		    "AND action_done <> 4", &p, &res);
	for (int i = 0; rc == TL_OK && i < PQntuples(res); i++) {
		ledger_too_large row;

		row.uid = (guint32)pg_int(res, i, 0);
		row.submission_id = pg_int(res, i, 1);
		g_array_append_val(out, row);
	}
	PQclear(res);
	pg_params_clear(&p);
	return rc;
}

tl_status
pg_refetch_record(store *st, const char *mailbox, guint32 uidvalidity,
		  guint32 uid, const char *outcome, gint64 submission_id,
		  int action_done)
{
	pg_params p = PG_PARAMS_INIT;
	tl_status rc;

	pg_p_text(&p, outcome);
	pg_p_id_or_null(&p, submission_id);
	pg_p_int(&p, action_done);
	pg_p_text(&p, mailbox);
	pg_p_int(&p, uidvalidity);
	pg_p_int(&p, uid);
	rc = pg_run(store_pg(st), "ledger refetch", "UPDATE ledger SET "
		    "outcome = $1, submission_id = $2, action_done = $3 WHERE "
		    "mailbox = $4 AND uidvalidity = $5 AND uid = $6", &p,
		    NULL);
	pg_params_clear(&p);
	return rc;
}

tl_status
pg_too_large_removable(store *st, gint64 id, int *removable)
{
	gint64 untouched = 0, others = 1;
	tl_status rc;

	*removable = 0;
	/* Untouched: still too_large and no decision in the audit log. */
	rc = exec_id(st, "refetch", "SELECT count(*) FROM submission s "
		     "WHERE s.id = $1 AND s.status = 'too_large' AND NOT "
		     "EXISTS (SELECT 1 FROM audit a WHERE a.submission_id = $1 "
		     "AND a.action <> 'ingest')", id, &untouched);
	if (rc == TL_OK)
		rc = exec_id(st, "refetch", "SELECT count(*) FROM ledger "
			     "WHERE submission_id = $1", id, &others);
	if (rc == TL_OK)
		*removable = untouched && others == 0;
	return rc;
}

tl_status
pg_submission_delete(store *st, gint64 id)
{
	return exec_id(st, "refetch", "DELETE FROM submission WHERE id = $1",
		       id, NULL);
}
