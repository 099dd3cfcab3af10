/* pg-purge.c - delete submissions for good on PostgreSQL (purge.c's
 * counterpart; store.h has the contract).
 *
 * The selected ids travel as one bigint[] parameter instead of SQLite's
 * temp table.  The search entries are columns of the submission row
 * (schema-pg.sql), so they go with it: no index rebuild.  What stays on
 * disk after COMMIT is the old row versions: dead tuples in the heap,
 * TOAST and index pages until VACUUM marks them free (and their bytes
 * until a later write reuses the space), and the WAL until the server
 * recycles its segments (longer in a WAL archive, a replica or a base
 * backup).  The purge runs a plain VACUUM on the tables it touched right
 * after COMMIT, so the rows do not wait for autovacuum;
 * docs/operations.md says what an operator does about the rest. */
#include <string.h>

#include "message.h"
#include "pg-purge-priv.h"

/* The tables a purge deletes from, vacuumed after it (the TOAST table
 * of each goes with it). */
#define PURGED_TABLES "submission, raw, raw_rewritten, attachment, " \
	"attachment_media, preview, forwarded, legacy_text, text_key, seen, "\
	"sort_key, audit"

/* GArray of gint64 as a bigint[] literal ("{1,2,3}"; g_free). */
static char *
id_array(const GArray *ids)
{
	GString *s = g_string_new("{");

	for (guint i = 0; i < ids->len; i++)
		g_string_append_printf(s, i ? ",%" G_GINT64_FORMAT :
				       "%" G_GINT64_FORMAT,
				       g_array_index(ids, gint64, i));
	g_string_append_c(s, '}');
	return g_string_free(s, FALSE);
}

/* The statuses as a text[] literal (their names need no quoting). */
static char *
status_array(const GArray *statuses)
{
	GString *s = g_string_new("{");

	for (guint i = 0; i < statuses->len; i++)
		g_string_append_printf(s, i ? ",%s" : "%s", queue_status_name(
			g_array_index(statuses, queue_status, i)));
	g_string_append_c(s, '}');
	return g_string_free(s, FALSE);
}

/* The selected ids (rows locked until COMMIT: a decision taken meanwhile
 * waits, then finds no row) into res->ids, their count and size. */
static tl_status
select_ids(store *st, const GArray *statuses, purge_result *res)
{
	pg_params p = PG_PARAMS_INIT;
	PGresult *q = NULL;
	char *sts = status_array(statuses);
	tl_status rc;

	pg_p_text(&p, sts);
	pg_p_text(&p, res->cutoff_utc);
	rc = pg_run(store_pg(st), "purge", "SELECT id, raw_size FROM "
		    "submission WHERE status = ANY ($1::text[]) AND "
		    "received_utc < $2 ORDER BY id FOR UPDATE", &p, &q);
	pg_params_clear(&p);
	g_free(sts);
	if (rc != TL_OK)
		return rc;
	for (int r = 0; r < PQntuples(q); r++) {
		gint64 id = pg_int(q, r, 0);

		g_array_append_val(res->ids, id);
		res->raw_bytes += pg_int(q, r, 1);
	}
	res->count = res->ids->len;
	PQclear(q);
	return TL_OK;
}

/* The follow-ups that stay and answer a purged submission with a quote
 * (purge.c's select_redacted, with $1 the purged ids). */
static tl_status
select_redacted(store *st, const char *ids, purge_result *res)
{
	pg_params p = PG_PARAMS_INIT;
	PGresult *q = NULL;
	tl_status rc;

	pg_p_text(&p, ids);
	rc = pg_run(store_pg(st), "purge: follow-ups", "SELECT s.id FROM "
		    "submission s WHERE NOT (s.id = ANY ($1::bigint[])) AND "
		    "EXISTS (SELECT 1 FROM submission p WHERE p.id = ANY "
		    "($1::bigint[]) AND (s.quote_offset >= 0 OR (length("
		    "p.subject) > 0 AND strpos(s.subject, p.subject) > 0)) "
		    "AND (s.parent_id = p.id OR (p.message_id IS NOT NULL AND"
		    " (s.in_reply_to = p.message_id OR strpos(' ' || coalesce("
		    "s.refs, '') || ' ', ' ' || p.message_id || ' ') > 0)))) "
		    "ORDER BY s.id", &p, &q);
	pg_params_clear(&p);
	if (rc != TL_OK)
		return rc;
	for (int r = 0; r < PQntuples(q); r++) {
		gint64 id = pg_int(q, r, 0);

		g_array_append_val(res->redacted, id);
	}
	PQclear(q);
	return TL_OK;
}

/* The raw bytes of submission ID, whole (a follow-up: small), or NULL
 * when they cannot be read. */
static GByteArray *
raw_read(store *st, gint64 id)
{
	pg_params p = PG_PARAMS_INIT;
	PGresult *q = NULL;
	GByteArray *b = NULL;

	pg_p_int(&p, id);
	if (pg_run_binary(store_pg(st), "purge: follow-up", "SELECT bytes "
			  "FROM raw WHERE submission_id = $1 ORDER BY seq",
			  &p, &q) == TL_OK) {
		b = g_byte_array_new();
		for (int r = 0; r < PQntuples(q); r++)
			g_byte_array_append(b, (const guint8 *)
					    PQgetvalue(q, r, 0),
					    (guint)PQgetlength(q, r, 0));
	}
	PQclear(q);
	pg_params_clear(&p);
	return b;
}

/* Follow-up ID's text, whether it quotes, and whether its subject
 * repeats a purged one (purge.c's redact_one). */
static tl_status
redact_read(store *st, gint64 id, const char *ids, char **text,
	    gboolean *quoted, const char **subject)
{
	pg_params p = PG_PARAMS_INIT;
	PGresult *q = NULL;
	tl_status rc;

	*text = NULL;
	pg_p_int(&p, id);
	pg_p_text(&p, ids);
	rc = pg_run(store_pg(st), "purge: follow-up", "SELECT s.text, "
		    "s.quote_offset, EXISTS (SELECT 1 FROM submission p WHERE"
		    " p.id = ANY ($2::bigint[]) AND length(p.subject) > 0 AND"
		    " strpos(s.subject, p.subject) > 0) FROM submission s "
		    "WHERE s.id = $1", &p, &q);
	pg_params_clear(&p);
	if (rc != TL_OK || PQntuples(q) == 0)
		goto out;
	*quoted = pg_int(q, 0, 1) >= 0;
	/* No quote: only the subject goes. */
	*text = *quoted ? redact_text(pg_text(q, 0, 0), pg_int(q, 0, 1)) :
		g_strdup(pg_text(q, 0, 0));
	*subject = pg_int(q, 0, 2) ? REDACT_SUBJECT : NULL;
out:
	PQclear(q);
	return rc;
}

/* Remove the quoted part of follow-up ID (message.h): text, HTML, search
 * columns (generated), original message; say so in its warnings. */
static tl_status
redact_one(store *st, gint64 id, const char *ids)
{
	pg_params p = PG_PARAMS_INIT;
	char *text = NULL;
	const char *subject = NULL;
	gboolean quoted = FALSE;
	GByteArray *raw = NULL, *fixed = NULL;
	tl_status rc;

	if ((rc = redact_read(st, id, ids, &text, &quoted, &subject)) !=
	    TL_OK || text == NULL)
		return rc;
	raw = raw_read(st, id);
	fixed = raw != NULL ? redact_raw(raw->data, raw->len, quoted ? text :
	    NULL, subject) : NULL;
	if (fixed != NULL && (rc = store_raw_replace(st, id, fixed->data,
						     fixed->len)) != TL_OK)
		goto out;
	pg_p_text(&p, quoted ? text : NULL);
	if (fixed != NULL)
		pg_p_int(&p, fixed->len);
	else
		pg_p_text(&p, NULL);
	pg_p_text(&p, fixed != NULL ? "purge: quoted text or subject of a "
		  "purged submission removed (text and original message)" :
		  "purge: quoted text or subject of a purged submission "
		  "removed from the text; the original message could not be "
		  "rewritten and was removed");
	pg_p_int(&p, id);
	pg_p_text(&p, subject);
	rc = pg_run(store_pg(st), "purge: follow-up", "UPDATE submission SET "
		    "text = coalesce($1::text, text), subject = coalesce("
		    "$5::text, subject), html = CASE WHEN $1::text IS NULL "
		    "THEN html END, quote_offset = CASE WHEN $1::text IS NULL"
		    " THEN quote_offset ELSE -1 END, raw_size = coalesce("
		    "$2::bigint, raw_size), warnings = warnings || CASE "
		    "warnings WHEN '' THEN '' ELSE chr(10) END || $3::text "
		    "WHERE id = $4", &p, NULL);
	pg_params_clear(&p);
	if (rc != TL_OK || fixed != NULL)
		goto out;
	/* An original that cannot be rewritten still holds the quote:
	 * privacy first, it goes. */
	pg_p_int(&p, id);
	rc = pg_run(store_pg(st), "purge: follow-up", "DELETE FROM raw WHERE "
		    "submission_id = $1", &p, NULL);
	pg_params_clear(&p);
out:
	g_free(text);
	if (raw != NULL)
		g_byte_array_unref(raw);
	if (fixed != NULL)
		g_byte_array_unref(fixed);
	return rc;
}

/* The deletions, inside the write transaction, $1 the ids and $2 the
 * time.  Explicit, as purge.c's, though ON DELETE CASCADE would do most:
 * the order and the list are the same on both backends. */
static tl_status
delete_selected(store *st, const char *ids, const char *now,
		purge_result *res)
{
	static const char *const steps[] = {
		"UPDATE submission SET parent_id = NULL WHERE parent_id = "
		"ANY ($1::bigint[])",
		/* Ids are never given again (identity columns do not
		 * reuse them either; the floor is for `tipline copy`). */
		"INSERT INTO id_floor(max_id) SELECT max(id) FROM submission",
		/* The same message fetched or imported again stays purged:
		 * only its content hash is kept, never content. */
		"INSERT INTO purged(content_hash, purged_utc) SELECT "
		"content_hash, $2::text FROM submission WHERE id = ANY "
		"($1::bigint[]) ON CONFLICT DO NOTHING",
		"DELETE FROM raw_rewritten WHERE submission_id = ANY "
		"($1::bigint[])",
		"DELETE FROM raw WHERE submission_id = ANY ($1::bigint[])",
		"DELETE FROM attachment_media WHERE attachment_id IN (SELECT "
		"id FROM attachment WHERE submission_id = ANY ($1::bigint[]))",
		/* A thumbnail shows the tip: it goes with it. */
		"DELETE FROM preview WHERE attachment_id IN (SELECT id FROM "
		"attachment WHERE submission_id = ANY ($1::bigint[]))",
		"DELETE FROM attachment WHERE submission_id = ANY "
		"($1::bigint[])",
		"DELETE FROM forwarded WHERE submission_id = ANY "
		"($1::bigint[])",
		"DELETE FROM legacy_text WHERE submission_id = ANY "
		"($1::bigint[])",
		/* An editor's note or an export path may quote the tip;
		 * who, when and what stay. */
		"UPDATE audit SET note = '[purged]' WHERE note IS NOT NULL "
		"AND submission_id = ANY ($1::bigint[])",
		/* text_key and seen go by ON DELETE CASCADE. */
		"DELETE FROM submission WHERE id = ANY ($1::bigint[])",
		NULL
	};
	pg_params p = PG_PARAMS_INIT;
	tl_status rc = TL_OK;

	/* Before parent_id is cleared below: it finds the follow-ups. */
	for (guint i = 0; i < res->redacted->len; i++)
		if ((rc = redact_one(st, g_array_index(res->redacted, gint64,
		    i), ids)) != TL_OK)
			return rc;
	pg_p_text(&p, ids);
	pg_p_text(&p, now);
	for (int i = 0; steps[i] != NULL && rc == TL_OK; i++) {
		/* Every step gets both parameters: each must then use
		 * both, or PostgreSQL cannot type the unused one. */
		p.n = strstr(steps[i], "$2") != NULL ? 2 :
		      strstr(steps[i], "$1") != NULL ? 1 : 0;
		rc = pg_run(store_pg(st), "purge", steps[i], &p, NULL);
	}
	p.n = 2;
	pg_params_clear(&p);
	return rc;
}

/* One "purge" audit row per selected submission (purge.c's
 * audit_each). */
static tl_status
audit_each(store *st, const char *ids, const char *now, const char *editor)
{
	pg_params p = PG_PARAMS_INIT;
	tl_status rc;

	pg_p_text(&p, ids);
	pg_p_text(&p, now);
	pg_p_text(&p, editor);
	rc = pg_run(store_pg(st), "purge", "INSERT INTO audit(submission_id, "
		    "at_utc, editor, action, old_status) SELECT s.id, "
		    "$2::text, $3::text, 'purge', s.status FROM submission s "
		    "WHERE s.id = ANY ($1::bigint[]) ORDER BY s.id", &p, NULL);
	pg_params_clear(&p);
	return rc;
}

/* Selection, audit rows and deletions in one transaction; the purge's
 * own audit row last. */
static tl_status
purge_tx(store *st, const GArray *statuses, gboolean dry_run,
	 const char *editor, const char *criteria, purge_result *res)
{
	char *ids = NULL, *now = store_now_utc(), *note = NULL, *sts = NULL;
	tl_status rc;

	if ((rc = select_ids(st, statuses, res)) != TL_OK)
		goto out;
	ids = id_array(res->ids);
	if ((rc = select_redacted(st, ids, res)) != TL_OK || dry_run)
		goto out;
	if (res->count > 0 &&
	    ((rc = audit_each(st, ids, now, editor)) != TL_OK ||
	     (rc = delete_selected(st, ids, now, res)) != TL_OK))
		goto out;
	sts = queue_status_list_name(statuses);
	note = g_strdup_printf("%" G_GINT64_FORMAT " submission%s purged "
			       "(%s; received before %s)", res->count,
			       res->count == 1 ? "" : "s", criteria,
			       res->cutoff_utc);
	rc = store_audit(st, 0, editor, AUDIT_PURGE, sts, NULL, note);
out:
	g_free(ids);
	g_free(now);
	g_free(note);
	g_free(sts);
	return rc;
}

tl_status
pg_purge_run(store *st, const GArray *statuses, gboolean dry_run,
	     const char *editor, const char *criteria, purge_result *res,
	     char **errmsg)
{
	tl_status rc;

	if ((rc = store_begin(st)) != TL_OK)
		goto fail;
	if ((rc = purge_tx(st, statuses, dry_run, editor, criteria, res)) !=
	    TL_OK)
		goto fail;
	if (dry_run) {
		store_rollback(st);
		return TL_OK;
	}
	if ((rc = store_commit(st, 1)) != TL_OK)
		goto fail;
	/* The server's WAL is the server's: nothing of ours to truncate. */
	res->wal_truncated = TRUE;
	if (res->count > 0)
		res->kept = "PostgreSQL still keeps the purged rows' bytes "
			"in free space of its data files until it reuses it "
			"(VACUUM FULL rewrites a table), and in its "
			"write-ahead log, WAL archive, standbys' files and "
			"base backups until they expire "
			"(docs/operations.md, \"Purging on PostgreSQL\")";
	/* Mark the old row versions free now rather than at autovacuum's
	 * next visit (outside any transaction: VACUUM refuses one).  A
	 * table this role does not own, or one autovacuum is working on
	 * (SKIP_LOCKED: no wait past lock_timeout), is skipped with a
	 * warning by the server, not an error. */
	if (res->count > 0 && (rc = pg_exec(store_pg(st), "purge: vacuum",
					    "VACUUM (SKIP_LOCKED) "
					    PURGED_TABLES)) !=
	    TL_OK) {
		*errmsg = g_strdup_printf("%s (the purged rows are gone; "
			"their old versions stay in the tables' files until "
			"autovacuum runs)", store_errmsg(st));
		return rc;
	}
	return TL_OK;
fail:
	*errmsg = g_strdup(store_errmsg(st));
	store_rollback(st);
	/* Nothing was purged: say only what failed. */
	res->count = 0;
	res->raw_bytes = 0;
	return rc;
}
