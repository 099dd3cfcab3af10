/* store-seen.c - marking submissions seen by an editor. */
#include "pg-seen-priv.h"
#include "store-priv.h"

static const char mark_sql[] =
	"INSERT OR IGNORE INTO seen(editor, submission_id, seen_utc) "
	"SELECT ?1, id, ?3 FROM submission WHERE id = ?2";
static const char mark_all_sql[] =
	"INSERT OR IGNORE INTO seen(editor, submission_id, seen_utc) "
	"SELECT ?1, id, ?2 FROM submission";
static const char exists_sql[] = "SELECT 1 FROM submission WHERE id = ?";

/* Mark one id; *found says whether it exists. */
static tl_status
mark_one(store *st, const char *editor, gint64 id, const char *now,
	 gboolean *found, guint *marked)
{
	sqlite3_stmt *ex = store_stmt(st, exists_sql);
	sqlite3_stmt *q = store_stmt(st, mark_sql);
	int r;

	if (ex == NULL || q == NULL)
		return store_fail(st, "seen");
	sqlite3_bind_int64(ex, 1, id);
	r = sqlite3_step(ex);
	sqlite3_reset(ex);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return store_fail(st, "seen");
	*found = r == SQLITE_ROW;
	if (!*found)
		return TL_OK;
	sqlite3_bind_text(q, 1, editor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, id);
	sqlite3_bind_text(q, 3, now, -1, SQLITE_STATIC);
	r = sqlite3_step(q);
	sqlite3_reset(q);
	if (r != SQLITE_DONE)
		return store_fail(st, "seen");
	*marked += (guint)sqlite3_changes(store_db(st));
	return TL_OK;
}

tl_status
store_seen_mark(store *st, const char *editor, const gint64 *ids, guint n,
		gboolean all, gboolean *found, guint *marked)
{
	char *now = store_now_utc();
	guint added = 0;
	tl_status rc;

	if (store_pg(st) != NULL) {
		g_free(now);
		return pg_store_seen_mark(st, editor, ids, n, all, found,
					  marked);
	}
	if ((rc = store_begin(st)) != TL_OK)
		goto out;
	if (all) {
		sqlite3_stmt *q = store_stmt(st, mark_all_sql);
		int r;

		if (q == NULL) {
			rc = store_fail(st, "seen");
			goto fail;
		}
		sqlite3_bind_text(q, 1, editor, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, now, -1, SQLITE_STATIC);
		r = sqlite3_step(q);
		sqlite3_reset(q);
		if (r != SQLITE_DONE) {
			rc = store_fail(st, "seen");
			goto fail;
		}
		added = (guint)sqlite3_changes(store_db(st));
	}
	for (guint i = 0; !all && i < n; i++) {
		gboolean there = FALSE;

		if ((rc = mark_one(st, editor, ids[i], now, &there,
				   &added)) != TL_OK)
			goto fail;
		if (found != NULL)
			found[i] = there;
	}
	rc = store_commit(st, 0);
	if (rc != TL_OK)
		goto fail;
	goto out;
fail:
	store_rollback(st);
	added = 0;
out:
	if (marked != NULL)
		*marked = added;
	g_free(now);
	return rc;
}
