/* store-redo.c - what `tipline reparse` selects, and the ledger and queue
 * changes of a too_large entry completed once max_message_size allows it
 * (QA F17; the fetch side is lib/app/fetch-refetch.c). */
#include <string.h>

#include "util.h"
#include "store-priv.h"
#include "pg-redo-priv.h"

tl_status
store_quarantined_ids(store *st, GArray *ids)
{
	sqlite3_stmt *q = NULL;
	tl_status rc = TL_OK;
	int r;

	if (store_pg(st) != NULL)
		return pg_quarantined_ids(st, ids);
	if (sqlite3_prepare_v2(store_db(st), "SELECT id FROM submission "
	    "WHERE status = 'quarantined' ORDER BY id", -1, &q, NULL) !=
	    SQLITE_OK)
		return store_fail(st, "quarantined");
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		gint64 id = sqlite3_column_int64(q, 0);

		g_array_append_val(ids, id);
	}
	if (r != SQLITE_DONE)
		rc = store_fail(st, "quarantined");
	sqlite3_finalize(q);
	return rc;
}

tl_status
store_submission_status(store *st, gint64 id, queue_status *status)
{
	sqlite3_stmt *q = NULL;
	tl_status rc = TL_OK;
	int r;

	if (store_pg(st) != NULL)
		return pg_submission_status(st, id, status);
	*status = QUEUE_INVALID;
	if (sqlite3_prepare_v2(store_db(st), "SELECT status FROM submission "
	    "WHERE id = ?", -1, &q, NULL) != SQLITE_OK)
		return store_fail(st, "status");
	sqlite3_bind_int64(q, 1, id);
	r = sqlite3_step(q);
	if (r == SQLITE_ROW)
		*status = queue_status_parse((const char *)
		    sqlite3_column_text(q, 0));
	else if (r != SQLITE_DONE)
		rc = store_fail(st, "status");
	sqlite3_finalize(q);
	return rc;
}

tl_status
ledger_too_large_list(store *st, const char *mailbox, guint32 uidvalidity,
		      gint64 max_size, GArray *out)
{
	sqlite3_stmt *q = NULL;
	tl_status rc = TL_OK;
	int r;

	if (store_pg(st) != NULL)
		return pg_too_large_list(st, mailbox, uidvalidity,
					 max_size, out);
	/* Written so that the partial index ledger_too_large serves it (no
	 * ORDER BY: the caller sorts). */
	if (sqlite3_prepare_v2(store_db(st), "SELECT uid, submission_id "
	    "FROM ledger WHERE mailbox = ? AND uidvalidity = ? AND outcome = "
	    "'too_large' AND size <= ? AND action_done <> 4", -1, &q, NULL)
	    != SQLITE_OK)
		return store_fail(st, "too_large lookup");
	sqlite3_bind_text(q, 1, mailbox, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 2, uidvalidity);
	sqlite3_bind_int64(q, 3, max_size > 0 ? max_size : G_MAXINT64);
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		ledger_too_large row;

		row.uid = (guint32)sqlite3_column_int64(q, 0);
		row.submission_id = sqlite3_column_int64(q, 1);
		g_array_append_val(out, row);
	}
	if (r != SQLITE_DONE)
		rc = store_fail(st, "too_large lookup");
	sqlite3_finalize(q);
	return rc;
}

tl_status
ledger_refetch_record(store *st, const char *mailbox, guint32 uidvalidity,
		      guint32 uid, ledger_outcome outcome,
		      gint64 submission_id, int action_done)
{
	sqlite3_stmt *q = NULL;
	tl_status rc;

	if (store_pg(st) != NULL)
		return pg_refetch_record(st, mailbox, uidvalidity, uid,
					 ledger_outcome_name(outcome),
					 submission_id, action_done);
	if (sqlite3_prepare_v2(store_db(st), "UPDATE ledger SET outcome "
	    "= ?, submission_id = NULLIF(?, 0), action_done = ? WHERE "
	    "mailbox = ? AND uidvalidity = ? AND uid = ?", -1, &q, NULL) !=
	    SQLITE_OK)
		return store_fail(st, "ledger refetch");
	sqlite3_bind_text(q, 1, ledger_outcome_name(outcome), -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, submission_id);
	sqlite3_bind_int(q, 3, action_done);
	sqlite3_bind_text(q, 4, mailbox, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 5, uidvalidity);
	sqlite3_bind_int64(q, 6, uid);
	rc = sqlite3_step(q) == SQLITE_DONE ? TL_OK :
	     store_fail(st, "ledger refetch");
	sqlite3_finalize(q);
	return rc;
}

/* Run SQL with ?1 = A; the first column of its first row, if any, goes
 * to *out (when not NULL). */
static tl_status
exec_id(store *st, const char *sql, gint64 a, gint64 *out)
{
	sqlite3_stmt *q = NULL;
	tl_status rc = TL_OK;
	int r;

	if (sqlite3_prepare_v2(store_db(st), sql, -1, &q, NULL) != SQLITE_OK)
		return store_fail(st, "refetch");
	sqlite3_bind_int64(q, 1, a);
	r = sqlite3_step(q);
	if (r == SQLITE_ROW && out != NULL)
		*out = sqlite3_column_int64(q, 0);
	else if (r != SQLITE_ROW && r != SQLITE_DONE)
		rc = store_fail(st, "refetch");
	sqlite3_finalize(q);
	return rc;
}

tl_status
store_too_large_removable(store *st, gint64 id, int *removable)
{
	gint64 untouched = 0, others = 1;
	tl_status rc;

	if (store_pg(st) != NULL)
		return pg_too_large_removable(st, id, removable);
	*removable = 0;
	/* Untouched: still too_large and no decision in the audit log. */
	rc = exec_id(st, "SELECT count(*) FROM submission s WHERE s.id = "
		     "?1 AND s.status = 'too_large' AND NOT EXISTS (SELECT 1 "
		     "FROM audit a WHERE a.submission_id = ?1 AND a.action <> "
		     "'ingest')", id, &untouched);
	if (rc == TL_OK)
		rc = exec_id(st, "SELECT count(*) FROM ledger WHERE "
			     "submission_id = ?", id, &others);
	if (rc == TL_OK)
		*removable = untouched && others == 0;
	return rc;
}

tl_status
store_submission_delete(store *st, gint64 id)
{
	if (store_pg(st) != NULL)
		return pg_submission_delete(st, id);
	return exec_id(st, "DELETE FROM submission WHERE id = ?", id, NULL);
}
