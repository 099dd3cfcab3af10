/* store-preview.c - the preview cache and an attachment's decoded bytes
 * for the worker (store.h, section store-preview). */
#include <string.h>
#include <unistd.h>

#include "store-priv.h"
#include "pg-preview-priv.h"
#include "message.h"

void
store_preview_free(store_preview *p)
{
	if (p == NULL)
		return;
	g_free(p->part);
	g_free(p->content_type);
	g_free(p->format);
	g_free(p->danger);
	if (p->jpeg != NULL)
		g_bytes_unref(p->jpeg);
	g_free(p->reason);
	g_free(p->made_utc);
	g_free(p);
}

static char *
col_dup(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);

	return t != NULL ? g_strdup((const char *)t) : NULL;
}

/* The attachment's columns 0..6 of a row (see LOAD_SQL and TODO_SQL). */
static store_preview *
preview_from_row(sqlite3_stmt *q)
{
	store_preview *p = g_new0(store_preview, 1);

	p->submission_id = sqlite3_column_int64(q, 0);
	p->index = sqlite3_column_int64(q, 1);
	p->attachment_id = sqlite3_column_int64(q, 2);
	p->part = col_dup(q, 3);
	p->content_type = col_dup(q, 4);
	p->format = col_dup(q, 5);
	p->danger = col_dup(q, 6);
	p->bytes = sqlite3_column_int64(q, 7);
	return p;
}

#define ATTACHMENT_COLS \
	"a.submission_id, a.idx, a.id, a.part_path, a.content_type, " \
	"m.format, a.danger, a.size"

/* The cached row, if any, in the LEFT JOIN's columns 8..11. */
static void
preview_cached(store_preview *p, sqlite3_stmt *q)
{
	const char *status = (const char *)sqlite3_column_text(q, 8);

	if (status == NULL)
		return;		/* STORE_PREVIEW_MISSING */
	p->made_utc = col_dup(q, 9);
	if (strcmp(status, "ok") == 0) {
		p->state = STORE_PREVIEW_OK;
		p->jpeg = g_bytes_new(sqlite3_column_blob(q, 10),
				      (gsize)sqlite3_column_bytes(q, 10));
	} else {
		p->state = STORE_PREVIEW_NONE;
		p->reason = col_dup(q, 11);
	}
}

tl_status
store_preview_load(store *st, gint64 submission_id, gint64 index,
		   unsigned size, int version, store_preview **out)
{
	static const char sql[] =
	    "SELECT " ATTACHMENT_COLS ", p.status, p.made_utc, p.jpeg, "
	    "p.reason FROM attachment a "
	    "LEFT JOIN attachment_media m ON m.attachment_id = a.id "
	    "LEFT JOIN preview p ON p.attachment_id = a.id "
	    "AND p.size = ? AND p.version = ? "
	    "WHERE a.submission_id = ? AND a.idx = ?";
	sqlite3_stmt *q = NULL;
	tl_status rc = TL_OK;
	int r;

	if (store_pg(st) != NULL)
		return pg_store_preview_load(st, submission_id, index, size,
					     version, out);
	*out = NULL;
	if ((q = store_stmt(st, sql)) == NULL)
		return store_fail(st, "preview");
	sqlite3_bind_int64(q, 1, size);
	sqlite3_bind_int64(q, 2, version);
	sqlite3_bind_int64(q, 3, submission_id);
	sqlite3_bind_int64(q, 4, index);
	r = sqlite3_step(q);
	if (r == SQLITE_ROW) {
		*out = preview_from_row(q);
		preview_cached(*out, q);
	} else if (r == SQLITE_DONE) {
		store_set_error(st, "#%" G_GINT64_FORMAT " has no attachment %"
				G_GINT64_FORMAT, submission_id, index);
		rc = TL_DATA;
	} else {
		rc = store_fail(st, "preview");
	}
	sqlite3_reset(q);
	return rc;
}

/* Does attachment ID still exist?  (A read error counts as yes: the
 * caller then reports no failure that did not happen.) */
static gboolean
attachment_exists(store *st, gint64 id)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT 1 FROM attachment "
				     "WHERE id = ?");
	int r;

	if (q == NULL)
		return TRUE;
	sqlite3_bind_int64(q, 1, id);
	r = sqlite3_step(q);
	sqlite3_reset(q);
	return r != SQLITE_DONE;
}

tl_status
store_preview_put(store *st, const store_preview *p, unsigned size,
		  int version, gboolean *stored)
{
	/* The SELECT makes a vanished attachment (purged or reparsed while
	 * the worker ran) insert nothing instead of failing the foreign
	 * key. */
	static const char sql[] =
	    "INSERT OR IGNORE INTO preview(attachment_id, size, version, "
	    "made_utc, status, jpeg, reason) SELECT id, ?, ?, ?, ?, ?, ? "
	    "FROM attachment WHERE id = ?";
	sqlite3_stmt *q = NULL;
	char *now = NULL;
	gboolean ok = p->state == STORE_PREVIEW_OK && p->jpeg != NULL;
	tl_status rc = TL_OK;
	gsize len = 0;
	const void *data = ok ? g_bytes_get_data(p->jpeg, &len) : NULL;

	if (store_pg(st) != NULL)
		return pg_store_preview_put(st, p, size, version, stored);
	*stored = FALSE;
	now = p->made_utc != NULL ? NULL : store_now_utc();
	if ((q = store_stmt(st, sql)) == NULL) {
		g_free(now);
		return store_fail(st, "preview");
	}
	sqlite3_bind_int64(q, 1, size);
	sqlite3_bind_int64(q, 2, version);
	sqlite3_bind_text(q, 3, now != NULL ? now : p->made_utc, -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(q, 4, ok ? "ok" : "none", -1, SQLITE_STATIC);
	if (ok)
		sqlite3_bind_blob64(q, 5, data, len, SQLITE_STATIC);
	else
		sqlite3_bind_text(q, 6, p->reason != NULL ? p->reason :
				  "no preview", -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 7, p->attachment_id);
	if (sqlite3_step(q) != SQLITE_DONE)
		rc = store_fail(st, "preview");
	else if (sqlite3_changes(store_db(st)) > 0)
		*stored = TRUE;
	sqlite3_reset(q);
	if (rc == TL_OK && !*stored &&
	    !attachment_exists(st, p->attachment_id)) {
		store_set_error(st, "#%" G_GINT64_FORMAT ": attachment %"
				G_GINT64_FORMAT " is gone", p->submission_id,
				p->index);
		rc = TL_DATA;
	}
	g_free(now);
	return rc;
}

tl_status
store_preview_todo(store *st, const char *since_utc, gint64 limit,
		   unsigned size, int version, const char *const *formats,
		   GPtrArray **out)
{
	GString *sql = NULL;
	sqlite3_stmt *q = NULL;
	tl_status rc = TL_OK;
	int n = 0, r;

	if (store_pg(st) != NULL)
		return pg_store_preview_todo(st, since_utc, limit, size,
					     version, formats, out);
	sql = g_string_new("SELECT " ATTACHMENT_COLS " FROM attachment a "
	    "JOIN attachment_media m ON m.attachment_id = a.id "
	    "JOIN submission s ON s.id = a.submission_id "
	    "WHERE a.danger IS NULL AND s.received_utc >= ? "
	    "AND NOT EXISTS (SELECT 1 FROM preview p WHERE "
	    "p.attachment_id = a.id AND p.size = ? AND p.version = ?) "
	    "AND m.format IN (");
	*out = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)store_preview_free);
	for (int i = 0; formats[i] != NULL; i++)
		g_string_append(sql, i ? ", ?" : "?");
	g_string_append(sql, formats[0] != NULL ? ") " : "NULL) ");
	g_string_append(sql, "ORDER BY s.received_utc DESC, a.submission_id "
			"DESC, a.idx LIMIT ?");
	if (sqlite3_prepare_v2(store_db(st), sql->str, -1, &q, NULL) !=
	    SQLITE_OK) {
		rc = store_fail(st, "previews to make");
		goto out;
	}
	sqlite3_bind_text(q, ++n, since_utc != NULL ? since_utc : "", -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(q, ++n, size);
	sqlite3_bind_int64(q, ++n, version);
	for (int i = 0; formats[i] != NULL; i++)
		sqlite3_bind_text(q, ++n, formats[i], -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, ++n, limit > 0 ? limit : -1);
	while ((r = sqlite3_step(q)) == SQLITE_ROW)
		g_ptr_array_add(*out, preview_from_row(q));
	if (r != SQLITE_DONE)
		rc = store_fail(st, "previews to make");
out:
	sqlite3_finalize(q);
	g_string_free(sql, TRUE);
	return rc;
}

tl_status
store_attachment_write(store *st, gint64 submission_id, const char *part,
		       const char *dir, int fd)
{
	char *raw = NULL, *err = NULL;
	tl_status rc;

	rc = store_raw_to_tempfile(st, submission_id, dir, &raw);
	if (rc != TL_OK)
		return rc;	/* store_errmsg names the submission */
	rc = message_part_write(raw, part, fd, &err);
	if (rc != TL_OK)
		store_set_error(st, "#%" G_GINT64_FORMAT ": part %s: %s",
				submission_id, part, err != NULL ? err : "?");
	unlink(raw);
	g_free(raw);
	g_free(err);
	return rc;
}
