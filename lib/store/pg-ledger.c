/* pg-ledger.c - mailbox_state, ledger and fetch_failure rows on
 * PostgreSQL (pg-ledger-priv.h).  UIDs and UIDVALIDITY are unsigned
 * 32-bit: every parameter compared with or stored in a BIGINT column is
 * cast to bigint, so a UID above 2^31 never meets an integer's range. */
#include <stdlib.h>
#include <string.h>

#include "store-priv.h"
#include "pg-ledger-priv.h"

/* Parameters MAILBOX, UIDVALIDITY ($1, $2) most statements start with. */
static void
p_box(pg_params *p, const char *mailbox, guint32 uidvalidity)
{
	pg_p_text(p, mailbox);
	pg_p_int(p, uidvalidity);
}

/* Run SQL with P (cleared after) for no rows. */
static tl_status
run(pg_db *db, const char *what, const char *sql, pg_params *p)
{
	tl_status rc = pg_prep(db, what, sql, p, NULL);

	pg_params_clear(p);
	return rc;
}

tl_status
pg_ledger_state_load(store *st, const char *mailbox, ledger_state *out)
{
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	tl_status rc;

	memset(out, 0, sizeof *out);
	pg_p_text(&p, mailbox);
	rc = pg_run(store_pg(st), "mailbox_state", "SELECT uidvalidity, "
		    "last_uid, start_uid, last_success_utc, last_error, "
		    "last_error_utc FROM mailbox_state WHERE mailbox = $1",
		    &p, &res);
	if (rc == TL_OK && PQntuples(res) > 0) {
		out->exists = 1;
		out->uidvalidity = (guint32)pg_int(res, 0, 0);
		out->last_uid = (guint32)pg_int(res, 0, 1);
		out->start_uid = (guint32)pg_int(res, 0, 2);
		out->last_success_utc = pg_dup(res, 0, 3);
		out->last_error = pg_dup(res, 0, 4);
		out->last_error_utc = pg_dup(res, 0, 5);
	}
	PQclear(res);
	pg_params_clear(&p);
	return rc;
}

tl_status
pg_ledger_state_save(store *st, const char *mailbox, guint32 uidvalidity,
		     guint32 last_uid, guint32 start_uid)
{
	pg_params p = PG_PARAMS_INIT;

	p_box(&p, mailbox, uidvalidity);
	pg_p_int(&p, last_uid);
	pg_p_int(&p, start_uid);
	return run(store_pg(st), "mailbox_state update", "INSERT INTO "
		   "mailbox_state (mailbox, uidvalidity, last_uid, start_uid) "
		   "VALUES ($1, $2::bigint, $3::bigint, NULLIF($4::bigint, 0)) "
		   "ON CONFLICT (mailbox) DO UPDATE SET uidvalidity = "
		   "EXCLUDED.uidvalidity, last_uid = EXCLUDED.last_uid, "
		   "start_uid = coalesce(EXCLUDED.start_uid, "
		   "mailbox_state.start_uid)", &p);
}

tl_status
pg_ledger_state_result(store *st, const char *mailbox, const char *error)
{
	pg_params p = PG_PARAMS_INIT;
	char *now = store_now_utc();
	tl_status rc;

	pg_p_text(&p, mailbox);
	pg_p_text(&p, now);
	if (error == NULL) {
		rc = run(store_pg(st), "mailbox_state result", "INSERT INTO "
			 "mailbox_state (mailbox, last_success_utc) VALUES "
			 "($1, $2) ON CONFLICT (mailbox) DO UPDATE SET "
			 "last_success_utc = EXCLUDED.last_success_utc", &p);
	} else {
		pg_p_text(&p, error);
		rc = run(store_pg(st), "mailbox_state result", "INSERT INTO "
			 "mailbox_state (mailbox, last_error_utc, last_error) "
			 "VALUES ($1, $2, $3) ON CONFLICT (mailbox) DO UPDATE "
			 "SET last_error_utc = EXCLUDED.last_error_utc, "
			 "last_error = EXCLUDED.last_error", &p);
	}
	g_free(now);
	return rc;
}

tl_status
pg_ledger_insert(store *st, const char *mailbox, guint32 uidvalidity,
		 guint32 uid, const char *outcome, gint64 submission_id,
		 gint64 size, int action_done)
{
	pg_params p = PG_PARAMS_INIT;
	char *now = store_now_utc();
	tl_status rc;

	p_box(&p, mailbox, uidvalidity);
	pg_p_int(&p, uid);
	pg_p_text(&p, outcome);
	pg_p_id_or_null(&p, submission_id);	/* NULL: a purged message */
	pg_p_int(&p, size);
	pg_p_text(&p, now);
	pg_p_int(&p, action_done);
	/* No ON CONFLICT: a second row for one UID must fail (store.h). */
	rc = run(store_pg(st), "ledger insert", "INSERT INTO ledger ("
		 "mailbox, uidvalidity, uid, outcome, submission_id, size, "
		 "at_utc, action_done) VALUES ($1, $2, $3, $4, $5, $6, $7, "
		 "$8)", &p);
	g_free(now);
	return rc;
}

/* Append the first column of every row of SQL (params P, cleared) to
 * UIDS as guint32. */
static tl_status
uid_rows(pg_db *db, const char *what, const char *sql, pg_params *p,
	 GArray *uids, GHashTable *set)
{
	PGresult *res = NULL;
	tl_status rc = pg_run(db, what, sql, p, &res);

	for (int i = 0; rc == TL_OK && i < PQntuples(res); i++) {
		guint32 uid = (guint32)pg_int(res, i, 0);

		if (uids != NULL)
			g_array_append_val(uids, uid);
		else if (PQnfields(res) > 1)
			g_hash_table_insert(set, GUINT_TO_POINTER(uid),
				GINT_TO_POINTER((int)pg_int(res, i, 1)));
		else
			g_hash_table_add(set, GUINT_TO_POINTER(uid));
	}
	PQclear(res);
	pg_params_clear(p);
	return rc;
}

tl_status
pg_ledger_pending(store *st, const char *mailbox, guint32 uidvalidity,
		  GArray *uids)
{
	pg_params p = PG_PARAMS_INIT;

	p_box(&p, mailbox, uidvalidity);
	return uid_rows(store_pg(st), "ledger pending", "SELECT uid FROM "
			"ledger WHERE mailbox = $1 AND uidvalidity = $2 AND "
			"action_done = 0 ORDER BY uid", &p, uids, NULL);
}

tl_status
pg_ledger_mark(store *st, const char *mailbox, guint32 uidvalidity,
	       const guint32 *uids, size_t n, int value)
{
	tl_status rc = TL_OK;

	for (size_t i = 0; i < n && rc == TL_OK; i++) {
		pg_params p = PG_PARAMS_INIT;

		p_box(&p, mailbox, uidvalidity);
		pg_p_int(&p, uids[i]);
		pg_p_int(&p, value);
		rc = run(store_pg(st), "ledger update", "UPDATE ledger SET "
			 "action_done = $4 WHERE mailbox = $1 AND uidvalidity "
			 "= $2 AND uid = $3", &p);
	}
	return rc;
}

tl_status
pg_ledger_void_other(store *st, const char *mailbox, guint32 uidvalidity,
		     int *n_out)
{
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	tl_status rc;

	p_box(&p, mailbox, uidvalidity);
	rc = pg_run(store_pg(st), "ledger void", "UPDATE ledger SET "
		    "action_done = 2 WHERE mailbox = $1 AND uidvalidity <> $2 "
		    "AND action_done = 0", &p, &res);
	if (rc == TL_OK && n_out != NULL)
		*n_out = atoi(PQcmdTuples(res));
	PQclear(res);
	pg_params_clear(&p);
	return rc;
}

tl_status
pg_ledger_uids_after(store *st, const char *mailbox, guint32 uidvalidity,
		     guint32 after, GHashTable *set)
{
	pg_params p = PG_PARAMS_INIT;

	p_box(&p, mailbox, uidvalidity);
	pg_p_int(&p, after);
	return uid_rows(store_pg(st), "ledger lookup", "SELECT uid FROM "
			"ledger WHERE mailbox = $1 AND uidvalidity = $2 AND "
			"uid > $3", &p, NULL, set);
}

tl_status
pg_ledger_fail_note(store *st, const char *mailbox, guint32 uidvalidity,
		    guint32 uid, const char *state, gint64 run_id,
		    gint64 size, const char *error, int *runs_out)
{
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	char *now = store_now_utc();
	tl_status rc;

	p_box(&p, mailbox, uidvalidity);
	pg_p_int(&p, uid);
	pg_p_text(&p, state);
	pg_p_int(&p, run_id);
	pg_p_int(&p, size);
	pg_p_text(&p, now);
	pg_p_text(&p, error);
	rc = pg_run(store_pg(st), "fetch_failure note", "INSERT INTO "
		    "fetch_failure (mailbox, uidvalidity, uid, state, runs, "
		    "last_run, size, first_utc, last_utc, error) VALUES ($1, "
		    "$2, $3, $4, 1, $5::bigint, $6, $7::text, $7::text, $8) "
		    "ON CONFLICT (mailbox, uidvalidity, uid) DO UPDATE SET "
		    "runs = fetch_failure.runs + CASE WHEN "
		    "fetch_failure.last_run <> $5::bigint THEN 1 ELSE 0 END, "
		    "last_run = $5::bigint, last_utc = $7::text, error = $8 "
		    "RETURNING runs", &p, &res);
	if (rc == TL_OK && PQntuples(res) > 0)
		*runs_out = (int)pg_int(res, 0, 0);
	PQclear(res);
	pg_params_clear(&p);
	g_free(now);
	return rc;
}

tl_status
pg_ledger_fail_give_up(store *st, const char *mailbox, guint32 uidvalidity,
		       guint32 uid, gint64 submission_id)
{
	pg_params p = PG_PARAMS_INIT;

	p_box(&p, mailbox, uidvalidity);
	pg_p_int(&p, uid);
	pg_p_id_or_null(&p, submission_id);
	return run(store_pg(st), "fetch_failure give up", "UPDATE "
		   "fetch_failure SET state = 'unfetchable', submission_id = "
		   "$4 WHERE mailbox = $1 AND uidvalidity = $2 AND uid = $3",
		   &p);
}

tl_status
pg_ledger_fail_forget(store *st, const char *mailbox, guint32 uidvalidity,
		      guint32 uid)
{
	pg_params p = PG_PARAMS_INIT;

	p_box(&p, mailbox, uidvalidity);
	pg_p_int(&p, uid);
	return run(store_pg(st), "fetch_failure forget", "DELETE FROM "
		   "fetch_failure WHERE mailbox = $1 AND uidvalidity = $2 AND "
		   "uid = $3 AND state <> 'unfetchable'", &p);
}

tl_status
pg_ledger_fail_failing(store *st, const char *mailbox, guint32 uidvalidity,
		       GHashTable *set)
{
	pg_params p = PG_PARAMS_INIT;

	p_box(&p, mailbox, uidvalidity);
	return uid_rows(store_pg(st), "fetch_failure failing", "SELECT uid, "
			"runs FROM fetch_failure WHERE mailbox = $1 AND "
			"uidvalidity = $2 AND state = 'failing' AND uid > 0",
			&p, NULL, set);
}

tl_status
pg_ledger_fail_list(store *st, const char *mailbox, GPtrArray *out)
{
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	tl_status rc;

	pg_p_text(&p, mailbox);
	rc = pg_run(store_pg(st), "fetch_failure list", "SELECT "
		    "f.uidvalidity, f.uid, f.state, f.runs, f.size, "
		    "f.first_utc, f.last_utc, f.error, f.submission_id, "
		    "s.status FROM fetch_failure f LEFT JOIN submission s ON "
		    "s.id = f.submission_id WHERE f.mailbox = $1 AND f.state "
		    "<> 'failing' ORDER BY f.uid", &p, &res);
	for (int i = 0; rc == TL_OK && i < PQntuples(res); i++) {
		ledger_fail *f = g_new0(ledger_fail, 1);
		int state = ledger_fail_state_parse(pg_text(res, i, 2));

		f->mailbox = g_strdup(mailbox);
		f->uidvalidity = (guint32)pg_int(res, i, 0);
		f->uid = (guint32)pg_int(res, i, 1);
		f->state = state < 0 ? LEDGER_FAIL_FAILING :
			   (ledger_fail_state)state;
		f->runs = (int)pg_int(res, i, 3);
		f->size = pg_int(res, i, 4);
		f->first_utc = pg_dup(res, i, 5);
		f->last_utc = pg_dup(res, i, 6);
		f->error = pg_dup(res, i, 7);
		f->submission_id = pg_int(res, i, 8);
		f->submission_status = pg_dup(res, i, 9);
		g_ptr_array_add(out, f);
	}
	PQclear(res);
	pg_params_clear(&p);
	return rc;
}
