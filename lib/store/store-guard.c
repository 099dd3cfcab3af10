/* store-guard.c - the database at the path is the one written (see
 * store.h). */
#include <errno.h>
#include <sys/stat.h>

#include "store-priv.h"
#include "pg-guard-priv.h"

tl_status
store_guard_take(store *st, store_guard *g, char **errmsg)
{
	struct stat sb;

	if (store_pg(st) != NULL)
		return pg_guard_take(st, g, errmsg);
	g->known = 0;
	if (stat(store_path(st), &sb) != 0) {
		*errmsg = g_strdup_printf("database %s: %s", store_path(st),
					  g_strerror(errno));
		return TL_TEMPFAIL;
	}
	g->dev = sb.st_dev;
	g->ino = sb.st_ino;
	g->known = 1;
	return TL_OK;
}

/* Count, through a new read-only connection to PATH, the UIDS that have a
 * ledger row. -1 when the database cannot be read there. */
static gint64
rows_at_path(const char *path, const char *mailbox, guint32 uidvalidity,
	     const guint32 *uids, size_t n, char **why)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	gint64 found = -1;
	size_t i;

	/* No SQLITE_OPEN_CREATE: a path with no file must not get one. */
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT 1 FROM ledger WHERE mailbox = ? "
			       "AND uidvalidity = ? AND uid = ?", -1, &q,
			       NULL) != SQLITE_OK) {
		*why = g_strdup(db != NULL ? sqlite3_errmsg(db) :
				"cannot open");
		goto out;
	}
	sqlite3_busy_timeout(db, 10000);
	found = 0;
	for (i = 0; i < n; i++) {
		int rc;

		sqlite3_bind_text(q, 1, mailbox, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, uidvalidity);
		sqlite3_bind_int64(q, 3, uids[i]);
		rc = sqlite3_step(q);
		if (rc == SQLITE_ROW) {
			found++;
		} else if (rc != SQLITE_DONE) {
			*why = g_strdup(sqlite3_errmsg(db));
			found = -1;
			goto out;
		}
		sqlite3_reset(q);
	}
out:
	sqlite3_finalize(q);
	sqlite3_close(db);
	return found;
}

tl_status
store_guard_check(store *st, const store_guard *g, const char *mailbox,
		  guint32 uidvalidity, const guint32 *uids, size_t n,
		  char **errmsg)
{
	const char *path = store_path(st);
	struct stat sb;
	char *why = NULL;
	gint64 found;

	if (store_pg(st) != NULL)
		return pg_guard_check(st, g, mailbox, uidvalidity, uids, n,
				      errmsg);
	if (g != NULL && g->known) {
		if (stat(path, &sb) != 0) {
			*errmsg = g_strdup_printf("database %s was removed "
				"while this fetch ran (%s)", path,
				g_strerror(errno));
			return TL_TEMPFAIL;
		}
		if (sb.st_dev != g->dev || sb.st_ino != g->ino) {
			*errmsg = g_strdup_printf("database %s was replaced "
				"by another file while this fetch ran (a "
				"restored backup?)", path);
			return TL_TEMPFAIL;
		}
	}
	if (n == 0)
		return TL_OK;
	found = rows_at_path(path, mailbox, uidvalidity, uids, n, &why);
	if (found < 0) {
		*errmsg = g_strdup_printf("database %s cannot be read at its "
			"path while this fetch ran: %s", path, why);
		g_free(why);
		return TL_TEMPFAIL;
	}
	if ((size_t)found != n) {
		*errmsg = g_strdup_printf("database %s at its path lacks %zu "
			"of the %zu messages this fetch just committed (it "
			"was replaced or rolled back while the fetch ran)",
			path, n - (size_t)found, n);
		return TL_TEMPFAIL;
	}
	return TL_OK;
}
