/* ledger.c - mailbox_state and ledger rows (see store.h). */
#include <string.h>

#include "store-priv.h"
#include "pg-ledger-priv.h"

static tl_status
prep(store *st, const char *sql, sqlite3_stmt **q)
{
	if (sqlite3_prepare_v2(store_db(st), sql, -1, q, NULL) != SQLITE_OK)
		return store_fail(st, "ledger: prepare");
	return TL_OK;
}

/* Step Q to completion (no rows expected) and finalize it. */
static tl_status
run(store *st, sqlite3_stmt *q, const char *what)
{
	tl_status rc = TL_OK;

	if (sqlite3_step(q) != SQLITE_DONE)
		rc = store_fail(st, what);
	sqlite3_finalize(q);
	return rc;
}

static char *
col_dup(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);

	return t != NULL ? g_strdup((const char *)t) : NULL;
}

tl_status
ledger_state_load(store *st, const char *mailbox, ledger_state *out)
{
	sqlite3_stmt *q = NULL;
	tl_status rc;
	int r;

	if (store_pg(st) != NULL)
		return pg_ledger_state_load(st, mailbox, out);
	memset(out, 0, sizeof *out);
	rc = prep(st, "SELECT uidvalidity, last_uid, start_uid, "
		  "last_success_utc, last_error, last_error_utc "
		  "FROM mailbox_state WHERE mailbox = ?", &q);
	if (rc != TL_OK)
		return rc;
	sqlite3_bind_text(q, 1, mailbox, -1, SQLITE_TRANSIENT);
	r = sqlite3_step(q);
	if (r == SQLITE_ROW) {
		out->exists = 1;
		out->uidvalidity = (guint32)sqlite3_column_int64(q, 0);
		out->last_uid = (guint32)sqlite3_column_int64(q, 1);
		out->start_uid = (guint32)sqlite3_column_int64(q, 2);
		out->last_success_utc = col_dup(q, 3);
		out->last_error = col_dup(q, 4);
		out->last_error_utc = col_dup(q, 5);
	} else if (r != SQLITE_DONE) {
		rc = store_fail(st, "mailbox_state");
	}
	sqlite3_finalize(q);
	return rc;
}

void
ledger_state_clear(ledger_state *s)
{
	g_free(s->last_success_utc);
	g_free(s->last_error);
	g_free(s->last_error_utc);
	memset(s, 0, sizeof *s);
}

tl_status
ledger_state_save(store *st, const char *mailbox, guint32 uidvalidity,
		  guint32 last_uid, guint32 start_uid)
{
	sqlite3_stmt *q = NULL;
	tl_status rc;

	if (store_pg(st) != NULL)
		return pg_ledger_state_save(st, mailbox, uidvalidity,
					    last_uid, start_uid);
	rc = prep(st, "INSERT INTO mailbox_state (mailbox, uidvalidity, "
		  "last_uid, start_uid) VALUES (?1, ?2, ?3, NULLIF(?4, 0)) "
		  "ON CONFLICT (mailbox) DO UPDATE SET "
		  "uidvalidity = excluded.uidvalidity, "
		  "last_uid = excluded.last_uid, start_uid = "
		  "coalesce(excluded.start_uid, mailbox_state.start_uid)", &q);
	if (rc != TL_OK)
		return rc;
	sqlite3_bind_text(q, 1, mailbox, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 2, uidvalidity);
	sqlite3_bind_int64(q, 3, last_uid);
	sqlite3_bind_int64(q, 4, start_uid);
	return run(st, q, "mailbox_state update");
}

tl_status
ledger_state_result(store *st, const char *mailbox, const char *error)
{
	sqlite3_stmt *q = NULL;
	char *now = NULL;
	tl_status rc;

	if (store_pg(st) != NULL)
		return pg_ledger_state_result(st, mailbox, error);
	now = store_now_utc();
	if (error == NULL)
		rc = prep(st, "INSERT INTO mailbox_state (mailbox, "
			  "last_success_utc) VALUES (?1, ?2) "
			  "ON CONFLICT (mailbox) DO UPDATE SET "
			  "last_success_utc = excluded.last_success_utc", &q);
	else
		rc = prep(st, "INSERT INTO mailbox_state (mailbox, "
			  "last_error_utc, last_error) VALUES (?1, ?2, ?3) "
			  "ON CONFLICT (mailbox) DO UPDATE SET "
			  "last_error_utc = excluded.last_error_utc, "
			  "last_error = excluded.last_error", &q);
	if (rc == TL_OK) {
		sqlite3_bind_text(q, 1, mailbox, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 2, now, -1, SQLITE_TRANSIENT);
		if (error != NULL)
			sqlite3_bind_text(q, 3, error, -1, SQLITE_TRANSIENT);
		rc = run(st, q, "mailbox_state result");
	}
	g_free(now);
	return rc;
}

/* ledger.outcome's strings, indexed by ledger_outcome (schema.sql's
 * CHECK lists the same). */
static const char *const outcome_names[] = {
	[LEDGER_OUTCOME_STORED] = "stored",
	[LEDGER_OUTCOME_DUPLICATE] = "duplicate",
	[LEDGER_OUTCOME_QUARANTINED] = "quarantined",
	[LEDGER_OUTCOME_AUTO_REPLY] = "auto_reply",
	[LEDGER_OUTCOME_BOUNCE] = "bounce",
	[LEDGER_OUTCOME_SPAM] = "spam",
	[LEDGER_OUTCOME_TOO_LARGE] = "too_large",
};

const char *
ledger_outcome_name(ledger_outcome o)
{
	if ((unsigned)o >= G_N_ELEMENTS(outcome_names))
		return "stored";
	return outcome_names[o];
}

gboolean
ledger_outcome_parse(const char *name, ledger_outcome *out)
{
	for (guint i = 0; name != NULL && i < G_N_ELEMENTS(outcome_names);
	     i++) {
		if (strcmp(name, outcome_names[i]) == 0) {
			*out = (ledger_outcome)i;
			return TRUE;
		}
	}
	return FALSE;
}

tl_status
ledger_insert(store *st, const char *mailbox, guint32 uidvalidity,
	      guint32 uid, ledger_outcome outcome, gint64 submission_id,
	      gint64 size, int action_done)
{
	sqlite3_stmt *q = NULL;
	char *now = NULL;
	int r;

	if (store_pg(st) != NULL)
		return pg_ledger_insert(st, mailbox, uidvalidity, uid,
					ledger_outcome_name(outcome),
					submission_id, size, action_done);
	/* One row per fetched message: the store's cached statement, not a
	 * prepare and finalize each time. */
	q = store_stmt(st, "INSERT INTO ledger (mailbox, uidvalidity, uid, "
		       "outcome, submission_id, size, at_utc, action_done) "
		       "VALUES (?, ?, ?, ?, NULLIF(?, 0), ?, ?, ?)");
	if (q == NULL)
		return store_fail(st, "ledger: prepare");
	now = store_now_utc();
	sqlite3_bind_text(q, 1, mailbox, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 2, uidvalidity);
	sqlite3_bind_int64(q, 3, uid);
	sqlite3_bind_text(q, 4, ledger_outcome_name(outcome), -1,
			  SQLITE_STATIC);
	if (submission_id > 0)
		sqlite3_bind_int64(q, 5, submission_id);
	else
		sqlite3_bind_null(q, 5);	/* a purged message */
	sqlite3_bind_int64(q, 6, size);
	sqlite3_bind_text(q, 7, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(q, 8, action_done);
	r = sqlite3_step(q);
	sqlite3_reset(q);
	g_free(now);
	return r == SQLITE_DONE ? TL_OK : store_fail(st, "ledger insert");
}

tl_status
ledger_pending(store *st, const char *mailbox, guint32 uidvalidity,
	       GArray *uids)
{
	sqlite3_stmt *q = NULL;
	tl_status rc;
	int r;

	if (store_pg(st) != NULL)
		return pg_ledger_pending(st, mailbox, uidvalidity, uids);
	rc = prep(st, "SELECT uid FROM ledger WHERE mailbox = ? AND "
		  "uidvalidity = ? AND action_done = 0 ORDER BY uid", &q);
	if (rc != TL_OK)
		return rc;
	sqlite3_bind_text(q, 1, mailbox, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 2, uidvalidity);
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		guint32 uid = (guint32)sqlite3_column_int64(q, 0);

		g_array_append_val(uids, uid);
	}
	if (r != SQLITE_DONE)
		rc = store_fail(st, "ledger pending");
	sqlite3_finalize(q);
	return rc;
}

tl_status
ledger_mark(store *st, const char *mailbox, guint32 uidvalidity,
	    const guint32 *uids, size_t n, int value)
{
	sqlite3_stmt *q = NULL;
	tl_status rc;
	size_t i;

	if (store_pg(st) != NULL)
		return pg_ledger_mark(st, mailbox, uidvalidity, uids, n,
				      value);
	rc = prep(st, "UPDATE ledger SET action_done = ? WHERE mailbox = ? "
		  "AND uidvalidity = ? AND uid = ?", &q);
	if (rc != TL_OK)
		return rc;
	sqlite3_bind_int(q, 1, value);
	sqlite3_bind_text(q, 2, mailbox, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 3, uidvalidity);
	for (i = 0; i < n && rc == TL_OK; i++) {
		sqlite3_bind_int64(q, 4, uids[i]);
		if (sqlite3_step(q) != SQLITE_DONE)
			rc = store_fail(st, "ledger update");
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	return rc;
}

tl_status
ledger_void_other(store *st, const char *mailbox, guint32 uidvalidity,
		  int *n_out)
{
	sqlite3_stmt *q = NULL;
	tl_status rc;

	if (store_pg(st) != NULL)
		return pg_ledger_void_other(st, mailbox, uidvalidity,
					    n_out);
	rc = prep(st, "UPDATE ledger SET action_done = 2 WHERE mailbox = ? "
		  "AND uidvalidity <> ? AND action_done = 0", &q);
	if (rc != TL_OK)
		return rc;
	sqlite3_bind_text(q, 1, mailbox, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 2, uidvalidity);
	if (sqlite3_step(q) != SQLITE_DONE)
		rc = store_fail(st, "ledger void");
	else if (n_out != NULL)
		*n_out = sqlite3_changes(store_db(st));
	sqlite3_finalize(q);
	return rc;
}

tl_status
ledger_uids_after(store *st, const char *mailbox, guint32 uidvalidity,
		  guint32 after, GHashTable *set)
{
	sqlite3_stmt *q = NULL;
	tl_status rc;
	int r;

	if (store_pg(st) != NULL)
		return pg_ledger_uids_after(st, mailbox, uidvalidity,
					    after, set);
	rc = prep(st, "SELECT uid FROM ledger WHERE mailbox = ? AND "
		  "uidvalidity = ? AND uid > ?", &q);
	if (rc != TL_OK)
		return rc;
	sqlite3_bind_text(q, 1, mailbox, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 2, uidvalidity);
	sqlite3_bind_int64(q, 3, after);
	while ((r = sqlite3_step(q)) == SQLITE_ROW)
		g_hash_table_add(set, GUINT_TO_POINTER(
			(guint)sqlite3_column_int64(q, 0)));
	if (r != SQLITE_DONE)
		rc = store_fail(st, "ledger lookup");
	sqlite3_finalize(q);
	return rc;
}

/* ---- fetch_failure ---------------------------------------------------- */

static const char *const fail_names[] = {
	"failing", "unfetchable", "refused", NULL
};

const char *
ledger_fail_state_name(ledger_fail_state s)
{
	return (unsigned)s < G_N_ELEMENTS(fail_names) - 1 ? fail_names[s] :
	       "failing";
}

int
ledger_fail_state_parse(const char *name)
{
	for (int i = 0; name != NULL && fail_names[i] != NULL; i++)
		if (strcmp(fail_names[i], name) == 0)
			return i;
	return -1;
}

void
ledger_fail_free(ledger_fail *f)
{
	if (f == NULL)
		return;
	g_free(f->mailbox);
	g_free(f->first_utc);
	g_free(f->last_utc);
	g_free(f->error);
	g_free(f->submission_status);
	g_free(f);
}

tl_status
ledger_fail_note(store *st, const char *mailbox, guint32 uidvalidity,
		 guint32 uid, ledger_fail_state state, gint64 run_id,
		 gint64 size, const char *error, int *runs_out)
{
	sqlite3_stmt *q = NULL;
	char *now = NULL;
	tl_status rc;
	int r;

	if (store_pg(st) != NULL)
		return pg_ledger_fail_note(st, mailbox, uidvalidity, uid,
					   ledger_fail_state_name(state),
					   run_id, size, error, runs_out);
	now = store_now_utc();
	rc = prep(st, "INSERT INTO fetch_failure (mailbox, uidvalidity, uid, "
		  "state, runs, last_run, size, first_utc, last_utc, error) "
		  "VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, ?7, ?8) "
		  "ON CONFLICT (mailbox, uidvalidity, uid) DO UPDATE SET "
		  "runs = runs + (last_run <> ?5), last_run = ?5, "
		  "last_utc = ?7, error = ?8 RETURNING runs", &q);
	if (rc != TL_OK)
		goto out;
	sqlite3_bind_text(q, 1, mailbox, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 2, uidvalidity);
	sqlite3_bind_int64(q, 3, uid);
	sqlite3_bind_text(q, 4, ledger_fail_state_name(state), -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, run_id);
	sqlite3_bind_int64(q, 6, size);
	sqlite3_bind_text(q, 7, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 8, error, -1, SQLITE_TRANSIENT);
	r = sqlite3_step(q);
	if (r == SQLITE_ROW) {
		*runs_out = sqlite3_column_int(q, 0);
		r = sqlite3_step(q);
	}
	if (r != SQLITE_DONE)
		rc = store_fail(st, "fetch_failure note");
	sqlite3_finalize(q);
out:
	g_free(now);
	return rc;
}

tl_status
ledger_fail_give_up(store *st, const char *mailbox, guint32 uidvalidity,
		    guint32 uid, gint64 submission_id)
{
	sqlite3_stmt *q = NULL;
	tl_status rc;

	if (store_pg(st) != NULL)
		return pg_ledger_fail_give_up(st, mailbox, uidvalidity,
					      uid, submission_id);
	rc = prep(st, "UPDATE fetch_failure SET state = 'unfetchable', "
		  "submission_id = NULLIF(?, 0) WHERE mailbox = ? AND "
		  "uidvalidity = ? AND uid = ?", &q);
	if (rc != TL_OK)
		return rc;
	sqlite3_bind_int64(q, 1, submission_id);
	sqlite3_bind_text(q, 2, mailbox, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 3, uidvalidity);
	sqlite3_bind_int64(q, 4, uid);
	return run(st, q, "fetch_failure give up");
}

tl_status
ledger_fail_forget(store *st, const char *mailbox, guint32 uidvalidity,
		   guint32 uid)
{
	sqlite3_stmt *q = NULL;
	tl_status rc;

	if (store_pg(st) != NULL)
		return pg_ledger_fail_forget(st, mailbox, uidvalidity,
					     uid);
	rc = prep(st, "DELETE FROM fetch_failure WHERE mailbox = ? AND "
		  "uidvalidity = ? AND uid = ? AND state <> 'unfetchable'",
		  &q);
	if (rc != TL_OK)
		return rc;
	sqlite3_bind_text(q, 1, mailbox, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 2, uidvalidity);
	sqlite3_bind_int64(q, 3, uid);
	return run(st, q, "fetch_failure forget");
}

tl_status
ledger_fail_failing(store *st, const char *mailbox, guint32 uidvalidity,
		    GHashTable *set)
{
	sqlite3_stmt *q = NULL;
	tl_status rc;
	int r;

	if (store_pg(st) != NULL)
		return pg_ledger_fail_failing(st, mailbox, uidvalidity,
					      set);
	rc = prep(st, "SELECT uid, runs FROM fetch_failure WHERE mailbox = ? "
		  "AND uidvalidity = ? AND state = 'failing' AND uid > 0",
		  &q);
	if (rc != TL_OK)
		return rc;
	sqlite3_bind_text(q, 1, mailbox, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 2, uidvalidity);
	while ((r = sqlite3_step(q)) == SQLITE_ROW)
		g_hash_table_insert(set, GUINT_TO_POINTER(
			(guint)sqlite3_column_int64(q, 0)),
			GINT_TO_POINTER(sqlite3_column_int(q, 1)));
	if (r != SQLITE_DONE)
		rc = store_fail(st, "fetch_failure failing");
	sqlite3_finalize(q);
	return rc;
}

tl_status
ledger_fail_list(store *st, const char *mailbox, GPtrArray *out)
{
	sqlite3_stmt *q = NULL;
	tl_status rc = TL_OK;
	int r;

	if (store_pg(st) != NULL)
		return pg_ledger_fail_list(st, mailbox, out);
	if (sqlite3_prepare_v2(store_db(st), "SELECT f.uidvalidity, f.uid, "
			       "f.state, f.runs, f.size, f.first_utc, "
			       "f.last_utc, f.error, f.submission_id, "
			       "s.status FROM fetch_failure f LEFT JOIN "
			       "submission s ON s.id = f.submission_id "
			       "WHERE f.mailbox = ? AND f.state <> 'failing' "
			       "ORDER BY f.uid", -1, &q, NULL) != SQLITE_OK) {
		/* An older database without the table: nothing failed. */
		sqlite3_finalize(q);
		return TL_OK;
	}
	sqlite3_bind_text(q, 1, mailbox, -1, SQLITE_TRANSIENT);
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		ledger_fail *f = g_new0(ledger_fail, 1);
		int state = ledger_fail_state_parse(
			(const char *)sqlite3_column_text(q, 2));

		f->mailbox = g_strdup(mailbox);
		f->uidvalidity = (guint32)sqlite3_column_int64(q, 0);
		f->uid = (guint32)sqlite3_column_int64(q, 1);
		f->state = state < 0 ? LEDGER_FAIL_FAILING :
			   (ledger_fail_state)state;
		f->runs = sqlite3_column_int(q, 3);
		f->size = sqlite3_column_int64(q, 4);
		f->first_utc = col_dup(q, 5);
		f->last_utc = col_dup(q, 6);
		f->error = col_dup(q, 7);
		f->submission_id = sqlite3_column_int64(q, 8);
		f->submission_status = col_dup(q, 9);
		g_ptr_array_add(out, f);
	}
	if (r != SQLITE_DONE)
		rc = store_fail(st, "fetch_failure list");
	sqlite3_finalize(q);
	return rc;
}
