/* purge.c - delete submissions for good (see store.h). */
#include <errno.h>
#include <string.h>

#include "util.h"
#include "store-priv.h"
#include "message.h"
#include "pg-purge-priv.h"
#include "originals-priv.h"


/* Run SQL (no parameters) on ST; TL_OK or the mapped failure. */
static tl_status
exec(store *st, const char *sql)
{
	if (sqlite3_exec(store_db(st), sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(st, sql);
	return TL_OK;
}

/* Fill temp.purge_ids with the selected ids and RES with their count. */
static tl_status
select_ids(store *st, const GArray *statuses, purge_result *res)
{
	GString *sql = g_string_new("INSERT INTO temp.purge_ids SELECT id "
				    "FROM submission WHERE status IN (");
	sqlite3_stmt *q = NULL;
	tl_status rc;
	int n = 0;

	for (guint i = 0; i < statuses->len; i++)
		g_string_append(sql, i ? ", ?" : "?");
	g_string_append(sql, ") AND received_utc < ?");
	if ((rc = exec(st, "CREATE TEMP TABLE IF NOT EXISTS purge_ids "
		       "(id INTEGER PRIMARY KEY)")) != TL_OK ||
	    (rc = exec(st, "DELETE FROM temp.purge_ids")) != TL_OK)
		goto out;
	if (sqlite3_prepare_v2(store_db(st), sql->str, -1, &q, NULL) !=
	    SQLITE_OK) {
		rc = store_fail(st, "purge");
		goto out;
	}
	for (guint i = 0; i < statuses->len; i++)
		sqlite3_bind_text(q, ++n, queue_status_name(g_array_index(
		    statuses, queue_status, i)), -1, SQLITE_STATIC);
	sqlite3_bind_text(q, ++n, res->cutoff_utc, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE) {
		rc = store_fail(st, "purge");
		goto out;
	}
	sqlite3_finalize(q);
	q = NULL;
	if (sqlite3_prepare_v2(store_db(st), "SELECT p.id, s.raw_size FROM "
			       "temp.purge_ids p JOIN submission s ON "
			       "s.id = p.id ORDER BY p.id", -1, &q, NULL) !=
	    SQLITE_OK) {
		rc = store_fail(st, "purge");
		goto out;
	}
	while (sqlite3_step(q) == SQLITE_ROW) {
		gint64 id = sqlite3_column_int64(q, 0);

		g_array_append_val(res->ids, id);
		res->raw_bytes += sqlite3_column_int64(q, 1);
	}
	res->count = res->ids->len;
	rc = TL_OK;
out:
	sqlite3_finalize(q);
	g_string_free(sql, TRUE);
	return rc;
}

/* The follow-ups that stay and answer a purged submission with a quote:
 * the thread's later messages when a root is purged (threads are flat),
 * and replies naming a purged submission in In-Reply-To or References. */
static tl_status
select_redacted(store *st, purge_result *res)
{
	static const char sql[] =
	    "SELECT s.id FROM submission s WHERE "
	    "s.id NOT IN (SELECT id FROM temp.purge_ids) AND EXISTS ("
	    "SELECT 1 FROM submission p JOIN temp.purge_ids t ON t.id = p.id "
	    "WHERE (s.quote_offset >= 0 OR (length(p.subject) > 0 AND "
	    "instr(s.subject, p.subject) > 0)) AND "
	    "(s.parent_id = p.id OR (p.message_id IS NOT NULL AND "
	    "(s.in_reply_to = p.message_id OR instr(' ' || "
	    "coalesce(s.refs, '') || ' ', ' ' || p.message_id || ' ') > 0)"
	    "))) ORDER BY s.id";
	sqlite3_stmt *q = NULL;
	int r;

	if (sqlite3_prepare_v2(store_db(st), sql, -1, &q, NULL) != SQLITE_OK)
		return store_fail(st, "purge: follow-ups");
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		gint64 id = sqlite3_column_int64(q, 0);

		g_array_append_val(res->redacted, id);
	}
	sqlite3_finalize(q);
	return r == SQLITE_DONE ? TL_OK : store_fail(st, "purge: follow-ups");
}

/* store_raw_read's consumer for raw_read: every chunk appended. */
static tl_status
append(const void *buf, size_t n, void *data, int *enough)
{
	(void)enough;
	g_byte_array_append(data, buf, (guint)n);
	return TL_OK;
}

/* The raw bytes of submission ID, whole (a follow-up: small), from its
 * rows or its file; NULL when they cannot be read or are damaged. */
static GByteArray *
raw_read(store *st, gint64 id)
{
	GByteArray *b = g_byte_array_new();

	if (store_raw_read(st, id, append, b) != TL_OK) {
		g_byte_array_unref(b);
		return NULL;
	}
	return b;
}

/* Remove the quoted part of follow-up ID (message.h): text, HTML, search
 * entries (the update trigger), original message; say so in its
 * warnings. */
static tl_status
redact_one(store *st, gint64 id)
{
	sqlite3_stmt *q = NULL;
	char *text = NULL;
	const char *subject = NULL;
	gboolean quoted = FALSE;
	GByteArray *raw = NULL, *fixed = NULL;
	tl_status rc = TL_OK;

	/* Its subject too, when it repeats a purged one ("Re: ..."). */
	if (sqlite3_prepare_v2(store_db(st), "SELECT s.text, s.quote_offset, "
			       "EXISTS (SELECT 1 FROM submission p JOIN "
			       "temp.purge_ids t ON t.id = p.id WHERE "
			       "length(p.subject) > 0 AND instr(s.subject, "
			       "p.subject) > 0) FROM submission s WHERE s.id = "
			       "?", -1, &q, NULL) != SQLITE_OK)
		return store_fail(st, "purge: follow-up");
	sqlite3_bind_int64(q, 1, id);
	if (sqlite3_step(q) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(q, 0);

		/* No quote: only the subject goes. */
		text = sqlite3_column_int64(q, 1) >= 0 ? redact_text(t,
		    sqlite3_column_int64(q, 1)) : g_strdup(t);
		quoted = sqlite3_column_int64(q, 1) >= 0;
		subject = sqlite3_column_int(q, 2) ? REDACT_SUBJECT : NULL;
	}
	sqlite3_finalize(q);
	q = NULL;
	if (text == NULL)
		return TL_OK;
	raw = raw_read(st, id);
	fixed = raw != NULL ? redact_raw(raw->data, raw->len, quoted ? text :
	    NULL, subject) : NULL;
	if (fixed != NULL && (rc = store_raw_replace(st, id, fixed->data,
						     fixed->len)) != TL_OK)
		goto out;
	if (sqlite3_prepare_v2(store_db(st), "UPDATE submission SET text = "
			       "coalesce(?1, text), subject = coalesce(?5, "
			       "subject), html = CASE WHEN ?1 IS NULL THEN html"
			       " END, quote_offset = CASE WHEN ?1 IS NULL THEN "
			       "quote_offset ELSE -1 END, raw_size = "
			       "coalesce(?2, raw_size), warnings = warnings ||"
			       " CASE warnings WHEN '' THEN '' ELSE char(10) "
			       "END || ?3 WHERE id = ?4", -1, &q, NULL) !=
	    SQLITE_OK) {
		rc = store_fail(st, "purge: follow-up");
		goto out;
	}
	sqlite3_bind_text(q, 1, text, -1, SQLITE_STATIC);
	if (!quoted)
		sqlite3_bind_null(q, 1);
	if (fixed != NULL)
		sqlite3_bind_int64(q, 2, fixed->len);
	sqlite3_bind_text(q, 3, fixed != NULL ? "purge: quoted text or "
			  "subject of a purged submission removed (text and "
			  "original message)" : "purge: quoted text or subject "
			  "of a purged submission removed from the text; the "
			  "original message could not be rewritten and was "
			  "removed", -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, id);
	if (subject != NULL)
		sqlite3_bind_text(q, 5, subject, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE) {
		rc = store_fail(st, "purge: follow-up");
		goto out;
	}
	if (fixed == NULL) {
		/* An original that cannot be rewritten still holds the
		 * quote: privacy first, it goes. */
		char *del = g_strdup_printf("DELETE FROM raw WHERE "
		    "submission_id = %" G_GINT64_FORMAT, id);

		rc = exec(st, del);
		g_free(del);
		if (rc == TL_OK)
			rc = orig_retire(st, id);
	}
out:
	sqlite3_finalize(q);
	g_free(text);
	if (raw != NULL)
		g_byte_array_unref(raw);
	if (fixed != NULL)
		g_byte_array_unref(fixed);
	return rc;
}

/* The deletions, inside the write transaction.  Explicit rather than by
 * ON DELETE CASCADE, which needs foreign_keys on this connection. */
static tl_status
delete_selected(store *st, purge_result *res)
{
	static const char *const steps[] = {
		"UPDATE submission SET parent_id = NULL WHERE parent_id IN "
		"(SELECT id FROM temp.purge_ids)",
		/* Ids are never given again: a later tip must not take a
		 * purged one's number and history (QA F40). */
		"INSERT INTO id_floor(max_id) SELECT max(id) FROM submission",
		/* The same message fetched again (mailbox renamed,
		 * UIDVALIDITY reset) or imported again stays purged (QA
		 * F39): only its content hash is kept, never content. */
		"INSERT OR IGNORE INTO purged(content_hash, purged_utc) "
		"SELECT content_hash, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
		"FROM submission WHERE id IN (SELECT id FROM temp.purge_ids)",
		"DELETE FROM raw_rewritten WHERE submission_id IN "
		"(SELECT id FROM temp.purge_ids)",
		"DELETE FROM raw WHERE submission_id IN "
		"(SELECT id FROM temp.purge_ids)",
		"DELETE FROM attachment_media WHERE attachment_id IN "
		"(SELECT id FROM attachment WHERE submission_id IN "
		"(SELECT id FROM temp.purge_ids))",
		/* A thumbnail shows the tip: it goes with it. */
		"DELETE FROM preview WHERE attachment_id IN "
		"(SELECT id FROM attachment WHERE submission_id IN "
		"(SELECT id FROM temp.purge_ids))",
		"DELETE FROM attachment WHERE submission_id IN "
		"(SELECT id FROM temp.purge_ids)",
		"DELETE FROM forwarded WHERE submission_id IN "
		"(SELECT id FROM temp.purge_ids)",
		"DELETE FROM legacy_text WHERE submission_id IN "
		"(SELECT id FROM temp.purge_ids)",
		/* Their files are scrubbed after the COMMIT. */
		ORIG_RETIRE_PURGED_SQL,
		/* An editor's note or an export path (with its subject
		 * slug) may quote the tip; who, when and what stay. */
		"UPDATE audit SET note = '[purged]' WHERE note IS NOT NULL "
		"AND submission_id IN (SELECT id FROM temp.purge_ids)",
		"DELETE FROM submission WHERE id IN "
		"(SELECT id FROM temp.purge_ids)",
		/* Deleting from FTS5 only adds delete markers; the tokens
		 * stay in old segments until they are rewritten. */
		"INSERT INTO search_folded(search_folded) VALUES ('rebuild')",
		"INSERT INTO search_exact(search_exact) VALUES ('rebuild')",
		"INSERT INTO search_folded(search_folded) VALUES ('optimize')",
		"INSERT INTO search_exact(search_exact) VALUES ('optimize')",
		"DELETE FROM temp.purge_ids",
		NULL
	};
	tl_status rc;

	/* Before parent_id is cleared below: it finds the follow-ups. */
	for (guint i = 0; i < res->redacted->len; i++)
		if ((rc = redact_one(st, g_array_index(res->redacted, gint64,
		    i))) != TL_OK)
			return rc;
	for (int i = 0; steps[i] != NULL; i++)
		if ((rc = exec(st, steps[i])) != TL_OK)
			return rc;
	return TL_OK;
}

/* One "purge" audit row per selected submission (its status as
 * old_status), so that its history ends with who purged it and when, and
 * `show ID` can say so instead of "no submission" (issue 10). */
static tl_status
audit_each(store *st, const char *editor)
{
	static const char sql[] = "INSERT INTO audit(submission_id, at_utc, "
		"editor, action, old_status) SELECT s.id, strftime("
		"'%Y-%m-%dT%H:%M:%SZ', 'now'), ?, 'purge', s.status FROM "
		"temp.purge_ids p JOIN submission s ON s.id = p.id";
	sqlite3_stmt *q = NULL;
	tl_status rc = TL_OK;

	if (sqlite3_prepare_v2(store_db(st), sql, -1, &q, NULL) != SQLITE_OK)
		return store_fail(st, "purge");
	sqlite3_bind_text(q, 1, editor, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE)
		rc = store_fail(st, "purge");
	sqlite3_finalize(q);
	return rc;
}

/* Checkpoint and truncate the WAL: SQLITE_OK when done, SQLITE_BUSY when
 * a reader kept frames, else the error (a full disk: SQLITE_FULL, or an
 * I/O error with ENOSPC behind it). */
static int
wal_truncate(store *st)
{
	int log = -1, done = -1;
	int r = sqlite3_wal_checkpoint_v2(store_db(st), NULL,
					  SQLITE_CHECKPOINT_TRUNCATE, &log,
					  &done);

	if (r == SQLITE_OK && log != 0)
		r = SQLITE_BUSY;
	return r;
}

/* The message for a WAL that could not be truncated after a purge. */
static tl_status
wal_left(store *st, int r, char **errmsg)
{
	int e = sqlite3_system_errno(store_db(st));

	if ((r & 0xff) == SQLITE_BUSY || (r & 0xff) == SQLITE_LOCKED) {
		*errmsg = g_strdup("another process is reading the database: "
				   "the write-ahead log still holds old pages;"
				   " run the purge again when it is idle");
		return TL_TEMPFAIL;
	}
	if ((r & 0xff) == SQLITE_FULL || e == ENOSPC || e == EDQUOT) {
		*errmsg = g_strdup_printf("disk full: the write-ahead log of "
			"%s still holds old pages; free space there and run "
			"the purge again", store_path(st));
		return TL_TEMPFAIL;
	}
	return store_fail(st, "purge: checkpoint");
}

/* Pages on the free list (what a VACUUM would drop); 0 on error. */
static gint64
free_pages(store *st)
{
	sqlite3_stmt *q = NULL;
	gint64 n = 0;

	if (sqlite3_prepare_v2(store_db(st), "PRAGMA freelist_count", -1, &q,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

/* After the COMMIT: overwrite, sync and remove the files of the purged
 * originals (and of rewritten follow-ups); a crash before this is
 * finished by the next purge.  ORPHANS were scrubbed in the
 * transaction. */
static tl_status
scrub_after(store *st, purge_result *res, gint64 orphans, char **errmsg)
{
	gint64 n = 0;
	tl_status rc = orig_scrub_pending(st, &n);

	res->files_scrubbed += n + orphans;
	if (res->files_scrubbed > 0)
		res->kept = "the files of large originals were overwritten "
			"with zeros, synced and removed; a journalling or "
			"copy-on-write file system, a snapshot or an SSD may "
			"still hold their old blocks (docs/operations.md, "
			"Purge)";
	if (rc != TL_OK)
		*errmsg = g_strdup_printf("%s (the purge is committed; run it "
			"again to finish scrubbing the files of its "
			"originals)", store_errmsg(st));
	return rc;
}

tl_status
purge_run(store *st, const GArray *statuses, gint64 older_than,
	  gboolean dry_run, const char *editor, const char *criteria,
	  purge_result *res, char **errmsg)
{
	GDateTime *now = g_date_time_new_now_utc(), *cut;
	char *s, *note = NULL, *sts = NULL;
	gint64 orphans = 0;
	tl_status rc;
	int r;

	memset(res, 0, sizeof *res);
	res->ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	res->redacted = g_array_new(FALSE, FALSE, sizeof(gint64));
	cut = g_date_time_add_seconds(now, -(gdouble)older_than);
	s = g_date_time_format(cut, "%Y-%m-%dT%H:%M:%SZ");
	g_strlcpy(res->cutoff_utc, s, sizeof res->cutoff_utc);
	g_free(s);
	g_date_time_unref(cut);
	g_date_time_unref(now);

	if (store_pg(st) != NULL)
		return pg_purge_run(st, statuses, dry_run, editor, criteria,
				    res, errmsg);
	/* First what a purge cut short after its COMMIT left to scrub. */
	if ((rc = exec(st, "PRAGMA secure_delete = ON")) != TL_OK ||
	    (!dry_run && (rc = orig_scrub_pending(st, &res->files_scrubbed))
	     != TL_OK) ||
	    (rc = store_begin(st)) != TL_OK)
		goto fail;
	if ((rc = select_ids(st, statuses, res)) != TL_OK ||
	    (rc = select_redacted(st, res)) != TL_OK)
		goto fail;
	if (dry_run) {
		store_rollback(st);
		return TL_OK;
	}
	if (res->count > 0 && ((rc = audit_each(st, editor)) != TL_OK ||
			       (rc = delete_selected(st, res)) != TL_OK))
		goto fail;
	if ((rc = orig_orphans_scrub(st, &orphans)) != TL_OK)
		goto fail;
	sts = queue_status_list_name(statuses);
	note = g_strdup_printf("%" G_GINT64_FORMAT " submission%s purged "
			       "(%s; received before %s)", res->count,
			       res->count == 1 ? "" : "s", criteria,
			       res->cutoff_utc);
	if ((rc = store_audit(st, 0, editor, AUDIT_PURGE, sts, NULL, note)) !=
	    TL_OK ||
	    (rc = store_commit(st, 1)) != TL_OK)
		goto fail;
	g_free(note);
	g_free(sts);
	fault_point("purge-committed");
	if ((rc = scrub_after(st, res, orphans, errmsg)) != TL_OK)
		return rc;
	/* Old page images live on in the WAL until it is checkpointed and
	 * truncated; VACUUM rewrites the file without free pages. */
	r = wal_truncate(st);
	/* A purge cut short by a full disk left text in free pages: the
	 * next purge scrubs them even when it finds nothing new. */
	if (res->count > 0 || free_pages(st) > 0) {
		if ((rc = exec(st, "VACUUM")) != TL_OK) {
			*errmsg = g_strdup_printf("%s (the purged text stays "
				"in the file's free pages until a purge "
				"completes)", store_errmsg(st));
			return rc;
		}
		r = wal_truncate(st);
	}
	res->wal_truncated = r == SQLITE_OK;
	if (r != SQLITE_OK)
		return wal_left(st, r, errmsg);
	return TL_OK;
fail:
	*errmsg = g_strdup(store_errmsg(st));
	store_rollback(st);
	/* Nothing was purged: say only what failed. */
	res->count = 0;
	res->raw_bytes = 0;
	g_free(note);
	g_free(sts);
	return rc;
}
