/* pg-seen.c - marking submissions seen on the PostgreSQL backend (see
 * pg-seen-priv.h). */
#include "pg-seen-priv.h"

/* One id: whether it exists and how many rows were added (0 or 1), in
 * one statement. */
static const char mark_sql[] =
	"WITH s AS (SELECT id FROM submission WHERE id = $2), "
	"i AS (INSERT INTO seen(editor, submission_id, seen_utc) "
	"SELECT $1, id, $3 FROM s ON CONFLICT DO NOTHING RETURNING 1) "
	"SELECT (SELECT count(*) FROM s), (SELECT count(*) FROM i)";
static const char mark_all_sql[] =
	"INSERT INTO seen(editor, submission_id, seen_utc) "
	"SELECT $1, id, $2 FROM submission ON CONFLICT DO NOTHING";

static tl_status
mark_one(store *st, const char *editor, gint64 id, const char *now,
	 gboolean *found, guint *marked)
{
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	tl_status rc;

	pg_p_text(&p, editor);
	pg_p_int(&p, id);
	pg_p_text(&p, now);
	rc = pg_run(store_pg(st), "seen", mark_sql, &p, &res);
	pg_params_clear(&p);
	if (rc != TL_OK)
		return rc;
	*found = pg_int(res, 0, 0) > 0;
	*marked += (guint)pg_int(res, 0, 1);
	PQclear(res);
	return TL_OK;
}

static tl_status
mark_all(store *st, const char *editor, const char *now, guint *marked)
{
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	tl_status rc;

	pg_p_text(&p, editor);
	pg_p_text(&p, now);
	rc = pg_run(store_pg(st), "seen", mark_all_sql, &p, &res);
	pg_params_clear(&p);
	if (rc != TL_OK)
		return rc;
	*marked = (guint)g_ascii_strtoull(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return TL_OK;
}

tl_status
pg_store_seen_mark(store *st, const char *editor, const gint64 *ids,
		   guint n, gboolean all, gboolean *found, guint *marked)
{
	char *now = store_now_utc();
	guint added = 0;
	tl_status rc;

	if ((rc = store_begin(st)) != TL_OK)
		goto out;
	if (all)
		rc = mark_all(st, editor, now, &added);
	for (guint i = 0; rc == TL_OK && !all && i < n; i++) {
		gboolean there = FALSE;

		rc = mark_one(st, editor, ids[i], now, &there, &added);
		if (found != NULL)
			found[i] = there;
	}
	if (rc == TL_OK)
		rc = store_commit(st, 0);
	if (rc != TL_OK) {
		store_rollback(st);
		added = 0;
	}
out:
	if (marked != NULL)
		*marked = added;
	g_free(now);
	return rc;
}
