/* copy.c - `tipline copy`: a whole queue from one store to another,
 * SQLite to PostgreSQL or back (store.h, section store-copy; issue 13).
 *
 * Table by table in SQL on each side: the source is read with its own
 * backend's SQL inside one read snapshot, the destination written with
 * its own, so the copy needs nothing but the two connections.  Rows keep
 * their ids.  Submissions go in batches, each batch with every row that
 * hangs off its submissions (originals, attachments, previews, ...) in
 * one destination transaction, so the highest submission id at the
 * destination is where an interrupted copy resumes; the tables that do
 * not hang off a submission follow, their INSERTs idempotent (ON
 * CONFLICT DO NOTHING, in both backends).  Every read streams one row at
 * a time (SQLite: sqlite3_step; PostgreSQL: single-row mode), so memory
 * does not grow with the queue or with a 50 MB original.  At the end both
 * sides are read again in the same key order and compared row by row,
 * column by column (raw chunks byte for byte).
 *
 * Originals a SQLite store keeps as files (originals-priv.h) are read
 * through store_raw_read, in the same 256 KiB pieces as raw rows, and
 * written as raw rows to PostgreSQL or, into SQLite, by the same 1 MiB
 * rule as a fetch's (copy_files); the verification compares those
 * originals whole, by SHA-256 of their bytes on both sides, and the raw
 * rows of all others row by row.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store-priv.h"
#include "originals-priv.h"

/* Submissions per destination transaction. */
#define COPY_BATCH 500
/* Rows of the other tables per destination transaction. */
#define COPY_ROWS 2000
/* Differences named per table in the report. */
#define COPY_DIFFS_SHOWN 3
/* The advisory lock two copies into or out of one PostgreSQL database
 * would both take ('tlcp'). */
#define COPY_LOCK 1953260400

typedef enum {
	SCOPE_SUB,	/* rows of the batch's submissions (submission_id) */
	SCOPE_ATT,	/* rows of the batch's attachments (attachment_id) */
	SCOPE_ALL,	/* the whole table, after the submissions */
} copy_scope;

/* One table: its columns (names, and types one letter each: i integer,
 * r real, t text, b bytes), its key (what orders and identifies a row,
 * the same in both backends) and how it is batched. */
typedef struct {
	const char *name;
	const char *cols;
	const char *types;
	const char *key;
	copy_scope scope;
} copy_table;

/* In an order that respects every foreign key. */
static const copy_table tables[] = {
	{ "submission", "id status content_hash message_id from_name "
	  "from_addr subject date_utc date_offset_min received_utc "
	  "in_reply_to refs parent_id text text_source quote_offset html "
	  "search_extra is_auto_reply is_bounce is_spam is_signed "
	  "is_encrypted has_gps charset_repaired legacy_font_hint "
	  "dsn_summary warnings error source source_path raw_size "
	  "attachment_count queue_utc",
	  "itttttttit" "ttittitti" "iiiiiitttt" "ttiit",
	  "id", SCOPE_SUB },
	{ "legacy_text", "submission_id font subject text", "ittt",
	  "submission_id", SCOPE_SUB },
	{ "raw", "submission_id seq bytes", "iib", "submission_id seq",
	  SCOPE_SUB },
	{ "raw_rewritten", "submission_id stored_hash stored_size "
	  "rewritten_utc", "itit", "submission_id", SCOPE_SUB },
	{ "attachment", "id submission_id idx part_path filename "
	  "name_generated content_type disposition content_id size sha256 "
	  "forwarded_idx has_gps gps_lat gps_lon danger",
	  "iiittitttitiirrt", "id", SCOPE_SUB },
	{ "attachment_media", "attachment_id format taken make model width "
	  "height orientation duration_s gps_source", "ittttiiirt",
	  "attachment_id", SCOPE_ATT },
	{ "preview", "attachment_id size version made_utc status jpeg "
	  "reason", "iiittbt", "attachment_id size version", SCOPE_ATT },
	{ "forwarded", "id submission_id idx depth from_name from_addr "
	  "subject date_utc message_id text", "iiiitttttt", "id",
	  SCOPE_SUB },
	{ "text_key", "submission_id sender text_hash queue_utc "
	  "duplicate_of", "ittti", "submission_id", SCOPE_SUB },
	{ "sort_key", "submission_id sender given", "ibb",
	  "submission_id", SCOPE_SUB },
	{ "seen", "editor submission_id seen_utc", "tit",
	  "submission_id editor", SCOPE_SUB },
	{ "audit", "id submission_id at_utc editor action old_status "
	  "new_status note", "iitttttt", "id", SCOPE_ALL },
	{ "purged", "content_hash purged_utc", "tt", "content_hash",
	  SCOPE_ALL },
	{ "mailbox_state", "mailbox uidvalidity last_uid start_uid "
	  "last_success_utc last_error last_error_utc", "tiiittt",
	  "mailbox", SCOPE_ALL },
	{ "ledger", "mailbox uidvalidity uid outcome submission_id size "
	  "at_utc action_done", "tiitiiti", "mailbox uidvalidity uid",
	  SCOPE_ALL },
	{ "fetch_failure", "mailbox uidvalidity uid state runs last_run "
	  "size first_utc last_utc error submission_id", "tiitiiittti",
	  "mailbox uidvalidity uid", SCOPE_ALL },
};

/* Tables a store has that are not copied row by row: kept up by the
 * destination itself (search indexes, the schema's version), the
 * copy's own bookkeeping, and id_floor (a high-water mark, carried
 * over as one value: copy_floor). */
static const char *const not_copied[] = {
	"copy_state", "schema_version", "id_floor", "sort_key_collator",
	/* SQLite's originals kept as files: their names are the source's;
	 * the bytes go as raw chunks or new files (copy_files). */
	"original_file", "original_scrub",
	NULL
};

/* The index of the raw table in tables[]. */
#define RAW_TABLE 2

/* A table's column list, split once. */
typedef struct {
	const copy_table *t;
	char **cols;
	int ncols;
	int key[4];	/* column index of each key column */
	int nkey;
	int parent;	/* submission.parent_id's index, or -1 */
} table_info;

/* One value read from either backend: borrowed until the cursor moves. */
typedef struct {
	int null;
	gint64 i;
	double d;
	const char *p;
	int len;
} cell;

/* A query being read one row at a time. */
typedef struct {
	store *st;
	pg_db *pg;
	sqlite3_stmt *q;
	PGresult *row;	/* PostgreSQL: the current row's result */
	int active;	/* PostgreSQL: results still to drain */
} cursor;

static char
col_type(const table_info *ti, int c)
{
	return g_ascii_tolower(ti->t->types[c]);
}

static void
table_info_init(table_info *ti, const copy_table *t)
{
	char **keys = g_strsplit(t->key, " ", -1);

	ti->t = t;
	ti->cols = g_strsplit(t->cols, " ", -1);
	ti->ncols = (int)g_strv_length(ti->cols);
	g_assert((size_t)ti->ncols == strlen(t->types));
	ti->nkey = 0;
	ti->parent = -1;
	for (int c = 0; c < ti->ncols; c++)
		if (strcmp(t->name, "submission") == 0 &&
		    strcmp(ti->cols[c], "parent_id") == 0)
			ti->parent = c;
	for (int k = 0; keys[k] != NULL; k++)
		for (int c = 0; c < ti->ncols; c++)
			if (strcmp(keys[k], ti->cols[c]) == 0)
				ti->key[ti->nkey++] = c;
	g_assert(ti->nkey == (int)g_strv_length(keys));
	g_strfreev(keys);
}

static const char *
ph(store *st, int n)
{
	static const char *const lite[] = { "?1", "?2", "?3" };
	static const char *const pg[] = { "$1", "$2", "$3" };

	return store_pg(st) != NULL ? pg[n - 1] : lite[n - 1];
}

/* ---- reading ---- */

static tl_status
pg_failed(pg_db *pg, const char *what, PGresult *res)
{
	const char *state = res != NULL ?
		PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	tl_status rc = pg_status_of(state);

	pg_set_error(pg, "%s: %s", what, res != NULL ?
		     PQresultErrorMessage(res) : PQerrorMessage(pg->conn));
	return rc;
}

/* Start SQL on ST with NPARAMS integer parameters; every column comes
 * back in binary on PostgreSQL (cell_get decodes by the column's type). */
static tl_status
cursor_open(cursor *c, store *st, const char *sql, int nparams,
	    const gint64 *params)
{
	memset(c, 0, sizeof *c);
	c->st = st;
	c->pg = store_pg(st);
	if (c->pg != NULL) {
		char buf[3][24];
		const char *vals[3];

		g_assert(nparams <= 3);
		for (int i = 0; i < nparams; i++) {
			g_snprintf(buf[i], sizeof buf[i], "%" G_GINT64_FORMAT,
				   params[i]);
			vals[i] = buf[i];
		}
		if (!PQsendQueryParams(c->pg->conn, sql, nparams, NULL, vals,
				       NULL, NULL, 1))
			return pg_failed(c->pg, "copy: read", NULL);
		c->active = 1;
		PQsetSingleRowMode(c->pg->conn);
		return TL_OK;
	}
	if (sqlite3_prepare_v2(store_db(st), sql, -1, &c->q, NULL) !=
	    SQLITE_OK)
		return store_fail(st, "copy: read");
	for (int i = 0; i < nparams; i++)
		sqlite3_bind_int64(c->q, i + 1, params[i]);
	return TL_OK;
}

static void
cursor_drain(cursor *c)
{
	PGresult *r;

	PQclear(c->row);
	c->row = NULL;
	if (!c->active)
		return;
	while ((r = PQgetResult(c->pg->conn)) != NULL)
		PQclear(r);
	c->active = 0;
}

/* The next row: *have 1, or 0 at the end. */
static tl_status
cursor_next(cursor *c, int *have)
{
	*have = 0;
	if (c->pg != NULL) {
		PGresult *r;
		tl_status rc;

		PQclear(c->row);
		c->row = NULL;
		if (!c->active)
			return TL_OK;
		r = PQgetResult(c->pg->conn);
		if (r != NULL && PQresultStatus(r) == PGRES_SINGLE_TUPLE) {
			c->row = r;
			*have = 1;
			return TL_OK;
		}
		if (r == NULL || PQresultStatus(r) == PGRES_TUPLES_OK) {
			PQclear(r);
			cursor_drain(c);
			return TL_OK;
		}
		rc = pg_failed(c->pg, "copy: read", r);
		PQclear(r);
		cursor_drain(c);
		return rc;
	}
	switch (sqlite3_step(c->q)) {
	case SQLITE_ROW:
		*have = 1;
		return TL_OK;
	case SQLITE_DONE:
		return TL_OK;
	default:
		return store_fail(c->st, "copy: read");
	}
}

static void
cursor_close(cursor *c)
{
	if (c->pg != NULL)
		cursor_drain(c);
	sqlite3_finalize(c->q);
	c->q = NULL;
}

static gint64
be64(const char *p)
{
	guint64 v;

	memcpy(&v, p, sizeof v);
	return (gint64)GUINT64_FROM_BE(v);
}

/* Column COL of the cursor's row, read as TYPE (i, r, t, b). */
static void
cell_get(const cursor *c, int col, char type, cell *out)
{
	memset(out, 0, sizeof *out);
	if (c->pg != NULL) {
		const char *v;

		if (PQgetisnull(c->row, 0, col)) {
			out->null = 1;
			return;
		}
		v = PQgetvalue(c->row, 0, col);
		out->len = PQgetlength(c->row, 0, col);
		if (type == 'i' && out->len == 4) {
			guint32 x;	/* an int4 (count(*) is int8) */

			memcpy(&x, v, sizeof x);
			out->i = (gint32)GUINT32_FROM_BE(x);
		} else if (type == 'i') {
			out->i = be64(v);
		} else if (type == 'r') {
			gint64 bits = be64(v);

			memcpy(&out->d, &bits, sizeof out->d);
		} else {
			out->p = v;
		}
		return;
	}
	if (sqlite3_column_type(c->q, col) == SQLITE_NULL) {
		out->null = 1;
		return;
	}
	if (type == 'i') {
		out->i = sqlite3_column_int64(c->q, col);
	} else if (type == 'r') {
		out->d = sqlite3_column_double(c->q, col);
	} else if (type == 't') {
		out->p = (const char *)sqlite3_column_text(c->q, col);
		out->len = sqlite3_column_bytes(c->q, col);
	} else {
		out->p = sqlite3_column_blob(c->q, col);
		out->len = sqlite3_column_bytes(c->q, col);
	}
	if (out->p == NULL)
		out->p = "";
}

/* One integer from SQL (0 when it gives no row or NULL). */
static tl_status
scalar_int(store *st, const char *sql, int nparams, const gint64 *params,
	   gint64 *out)
{
	cursor c;
	cell v;
	int have = 0;
	tl_status rc;

	*out = 0;
	if ((rc = cursor_open(&c, st, sql, nparams, params)) == TL_OK &&
	    (rc = cursor_next(&c, &have)) == TL_OK && have) {
		cell_get(&c, 0, 'i', &v);
		*out = v.null ? 0 : v.i;
	}
	cursor_close(&c);
	return rc;
}

/* One text from SQL, new (g_free), or NULL. */
static tl_status
scalar_text(store *st, const char *sql, int nparams, const gint64 *params,
	    char **out)
{
	cursor c;
	cell v;
	int have = 0;
	tl_status rc;

	*out = NULL;
	if ((rc = cursor_open(&c, st, sql, nparams, params)) == TL_OK &&
	    (rc = cursor_next(&c, &have)) == TL_OK && have) {
		cell_get(&c, 0, 't', &v);
		if (!v.null)
			*out = g_strndup(v.p, (gsize)v.len);
	}
	cursor_close(&c);
	return rc;
}

/* SELECT of every column of TI in key order, WHERE FILTER (or none).
 * On PostgreSQL numbers are cast to the types cell_get decodes, and
 * text keys sort by bytes, as SQLite's BINARY collation does. */
static char *
select_sql(store *st, const table_info *ti, const char *filter)
{
	GString *s = g_string_new("SELECT ");
	int pg = store_pg(st) != NULL;

	for (int c = 0; c < ti->ncols; c++) {
		char t = col_type(ti, c);

		g_string_append_printf(s, "%s%s%s", c > 0 ? ", " : "",
			ti->cols[c], !pg ? "" : t == 'i' ? "::bigint" :
			t == 'r' ? "::float8" : "");
	}
	g_string_append_printf(s, " FROM %s", ti->t->name);
	if (filter != NULL)
		g_string_append_printf(s, " WHERE %s", filter);
	g_string_append(s, " ORDER BY ");
	for (int k = 0; k < ti->nkey; k++) {
		int c = ti->key[k];

		g_string_append_printf(s, "%s%s%s", k > 0 ? ", " : "",
			ti->cols[c], pg && col_type(ti, c) == 't' ?
			" COLLATE \"C\"" : "");
	}
	return g_string_free(s, FALSE);
}

/* ---- writing ---- */

/* The INSERT of one table at the destination. */
typedef struct {
	store *st;
	pg_db *pg;
	sqlite3_stmt *q;
	char *name;	/* PostgreSQL: the prepared statement's name */
	int pending;	/* PostgreSQL: rows sent, answers not read */
	gint64 added;	/* rows inserted (not already there) */
} writer;

static tl_status
writer_open(writer *w, store *st, const table_info *ti)
{
	GString *s = g_string_new(NULL);
	tl_status rc = TL_OK;

	memset(w, 0, sizeof *w);
	w->st = st;
	w->pg = store_pg(st);
	g_string_printf(s, "INSERT INTO %s (", ti->t->name);
	for (int c = 0; c < ti->ncols; c++)
		g_string_append_printf(s, "%s%s", c > 0 ? ", " : "",
				       ti->cols[c]);
	g_string_append(s, ") VALUES (");
	for (int c = 0; c < ti->ncols; c++)
		g_string_append_printf(s, "%s%s%d", c > 0 ? ", " : "",
				       w->pg != NULL ? "$" : "?", c + 1);
	g_string_append(s, ") ON CONFLICT DO NOTHING");
	if (w->pg != NULL) {
		PGresult *r;

		w->name = g_strdup_printf("tl_copy_%s", ti->t->name);
		r = PQprepare(w->pg->conn, w->name, s->str, 0, NULL);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = pg_failed(w->pg, "copy: prepare", r);
		PQclear(r);
	} else if (sqlite3_prepare_v2(store_db(st), s->str, -1, &w->q,
				      NULL) != SQLITE_OK) {
		rc = store_fail(st, "copy: prepare");
	}
	g_string_free(s, TRUE);
	return rc;
}

static void
writer_close(writer *w)
{
	if (w->pg != NULL && w->name != NULL) {
		char *sql = g_strdup_printf("DEALLOCATE %s", w->name);

		PQclear(PQexec(w->pg->conn, sql));
		g_free(sql);
	}
	sqlite3_finalize(w->q);
	g_free(w->name);
	memset(w, 0, sizeof *w);
}

/* Rows sent to PostgreSQL before their answers are read (pipeline
 * mode): one round trip per this many rows, not per row.  Their answers
 * are a few bytes each, so the socket's buffers never fill both ways. */
#define COPY_PIPELINE 256

/* Read the answers to every row sent since the last sync; the rows the
 * server inserted are added to w->added.  A failed row fails the rest of
 * the pipeline (and the transaction): its error is the one reported. */
static tl_status
pg_sync(writer *w, const char *what)
{
	PGconn *conn = w->pg->conn;
	tl_status rc = TL_OK;
	int idle = 0;

	if (w->pending == 0)
		return TL_OK;
	w->pending = 0;
	if (PQpipelineSync(conn) != 1)
		return pg_failed(w->pg, what, NULL);
	for (;;) {
		PGresult *res = PQgetResult(conn);
		ExecStatusType st;

		if (res == NULL) {
			/* NULL ends each row's answer; the connection gone
			 * ends them all. */
			if (PQstatus(conn) == CONNECTION_BAD || ++idle >
			    2 * COPY_PIPELINE + 2)
				return rc != TL_OK ? rc :
				       pg_failed(w->pg, what, NULL);
			continue;
		}
		idle = 0;
		st = PQresultStatus(res);
		if (st == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			break;
		}
		if (st == PGRES_COMMAND_OK)
			w->added += atoi(PQcmdTuples(res)) > 0;
		else if (st != PGRES_PIPELINE_ABORTED && rc == TL_OK)
			rc = pg_failed(w->pg, what, res);
		PQclear(res);
	}
	return rc;
}

/* Send one row (its cells V) to PostgreSQL, numbers as text, text and
 * bytes as they are (binary format). */
static tl_status
put_pg(writer *w, const table_info *ti, const cell *v)
{
	char num[40][40];
	const char *vals[40];
	int lens[40], fmts[40];

	if (PQpipelineStatus(w->pg->conn) == PQ_PIPELINE_OFF &&
	    PQenterPipelineMode(w->pg->conn) != 1)
		return pg_failed(w->pg, ti->t->name, NULL);
	for (int c = 0; c < ti->ncols; c++) {
		char t = col_type(ti, c);

		fmts[c] = 0;
		lens[c] = 0;
		vals[c] = NULL;
		if (v[c].null)
			continue;
		if (t == 'i') {
			g_snprintf(num[c], sizeof num[c], "%" G_GINT64_FORMAT,
				   v[c].i);
			vals[c] = num[c];
		} else if (t == 'r') {
			g_snprintf(num[c], sizeof num[c], "%.17g", v[c].d);
			vals[c] = num[c];
		} else {
			vals[c] = v[c].p;
			lens[c] = v[c].len;
			fmts[c] = 1;
		}
	}
	if (PQsendQueryPrepared(w->pg->conn, w->name, ti->ncols, vals, lens,
				fmts, 0) != 1)
		return pg_failed(w->pg, ti->t->name, NULL);
	if (++w->pending >= COPY_PIPELINE)
		return pg_sync(w, ti->t->name);
	return TL_OK;
}

/* Insert one row (its cells V) into SQLite. */
static tl_status
put_sqlite(writer *w, const table_info *ti, const cell *v)
{
	tl_status rc = TL_OK;

	sqlite3_reset(w->q);
	for (int c = 0; c < ti->ncols; c++) {
		char t = col_type(ti, c);

		if (v[c].null)
			sqlite3_bind_null(w->q, c + 1);
		else if (t == 'i')
			sqlite3_bind_int64(w->q, c + 1, v[c].i);
		else if (t == 'r')
			sqlite3_bind_double(w->q, c + 1, v[c].d);
		else if (t == 't')
			sqlite3_bind_text(w->q, c + 1, v[c].p, v[c].len,
					  SQLITE_STATIC);
		else if (v[c].len == 0)
			sqlite3_bind_zeroblob(w->q, c + 1, 0);
		else
			sqlite3_bind_blob(w->q, c + 1, v[c].p, v[c].len,
					  SQLITE_STATIC);
	}
	if (sqlite3_step(w->q) != SQLITE_DONE)
		rc = store_fail(w->st, ti->t->name);
	else
		w->added += sqlite3_changes(store_db(w->st)) > 0;
	sqlite3_reset(w->q);
	return rc;
}

/* Write the cursor's row (columns of TI); a parent_id above the row's
 * own id (a follow-up stored before the message it answers, adopted
 * later) is written NULL here and set by copy_parents once its parent
 * is there.  On PostgreSQL the row may still be on its way: writer_flush
 * before anything else uses the connection. */
static tl_status
writer_put(writer *w, const table_info *ti, const cursor *src)
{
	cell v[40];

	g_assert(ti->ncols <= 40);
	for (int c = 0; c < ti->ncols; c++)
		cell_get(src, c, col_type(ti, c), &v[c]);
	if (ti->parent >= 0 && !v[ti->parent].null &&
	    v[ti->parent].i > v[0].i)
		v[ti->parent].null = 1;
	return w->pg != NULL ? put_pg(w, ti, v) : put_sqlite(w, ti, v);
}

/* Wait for every row sent and leave pipeline mode (PostgreSQL). */
static tl_status
writer_flush(writer *w, const table_info *ti)
{
	tl_status rc;

	if (w->pg == NULL ||
	    PQpipelineStatus(w->pg->conn) == PQ_PIPELINE_OFF)
		return TL_OK;
	rc = pg_sync(w, ti->t->name);
	if (PQexitPipelineMode(w->pg->conn) != 1 && rc == TL_OK)
		rc = pg_failed(w->pg, ti->t->name, NULL);
	return rc;
}

/* ---- the copy ---- */

typedef struct {
	store *src, *dst;
	table_info ti[G_N_ELEMENTS(tables)];
	writer w[G_N_ELEMENTS(tables)];
	gboolean absent[G_N_ELEMENTS(tables)];	/* not in the source: an
				 * older schema (preview came without a new
				 * version); copied as empty */
	store_copy_report *rep;
	const store_copy_options *opt;
	GHashTable *as_files;	/* gint64 ids whose originals a side
				 * keeps as files: verified whole
				 * (verify_files), not row by row */
	gboolean no_files;	/* the source has no original_file table
				 * (older than version 4, or PostgreSQL) */
} copy_run;

static tl_status set_error(copy_run *r, tl_status rc, char *msg);

static store_copy_table *
report_table(copy_run *r, const char *name)
{
	GArray *a = r->rep->tables;

	for (guint i = 0; i < a->len; i++) {
		store_copy_table *t = &g_array_index(a, store_copy_table, i);

		if (strcmp(t->name, name) == 0)
			return t;
	}
	g_array_set_size(a, a->len + 1);
	g_array_index(a, store_copy_table, a->len - 1).name = name;
	return &g_array_index(a, store_copy_table, a->len - 1);
}

/* Copy the rows of table I that SQL (with PARAMS) reads from the source.
 * Commits every COPY_ROWS rows when COMMIT_EVERY (tables outside the
 * submission batches), else leaves that to the caller. */
static tl_status
copy_rows(copy_run *r, int i, const char *filter, int nparams,
	  const gint64 *params, int commit_every)
{
	char *sql = select_sql(r->src, &r->ti[i], filter);
	store_copy_table *rt = report_table(r, tables[i].name);
	writer *w = &r->w[i];
	gint64 before = w->added;
	cursor c;
	int have = 0, n = 0;
	tl_status rc, frc;

	if (r->absent[i]) {
		g_free(sql);
		return TL_OK;
	}
	rc = cursor_open(&c, r->src, sql, nparams, params);
	while (rc == TL_OK && (rc = cursor_next(&c, &have)) == TL_OK &&
	       have) {
		if ((rc = writer_put(w, &r->ti[i], &c)) != TL_OK)
			break;
		if (commit_every && ++n % COPY_ROWS == 0 &&
		    ((rc = writer_flush(w, &r->ti[i])) != TL_OK ||
		     (rc = store_commit(r->dst, 0)) != TL_OK ||
		     (rc = store_begin(r->dst)) != TL_OK))
			break;
	}
	cursor_close(&c);
	/* Before the caller's COMMIT (or ROLLBACK) on this connection. */
	frc = writer_flush(w, &r->ti[i]);
	if (rc == TL_OK)
		rc = frc;
	rt->copied += w->added - before;
	g_free(sql);
	return rc;
}

/* The submissions in (LO, HI] of the source whose originals go through
 * copy_files: those it keeps as files (SQLite) and, into SQLite, every
 * one of at least orig_file_min() bytes.  SQL of one column, ids. */
static char *
files_sql(copy_run *r, gboolean from_rows)
{
	if (from_rows)
		return g_strdup_printf("SELECT s.id FROM submission s LEFT "
			"JOIN raw_rewritten w ON w.submission_id = s.id WHERE "
			"s.id > %s AND s.id <= %s AND coalesce(w.stored_size, "
			"s.raw_size) >= %" G_GINT64_FORMAT " AND EXISTS "
			"(SELECT 1 FROM raw WHERE raw.submission_id = s.id)",
			ph(r->src, 1), ph(r->src, 2), orig_file_min());
	return g_strdup("SELECT submission_id FROM original_file WHERE "
			"submission_id > ? AND submission_id <= ?");
}

/* The ids SQL (with the batch's range) reads from the source, into IDS. */
static tl_status
ids_of(copy_run *r, const char *sql, const gint64 *range, GArray *ids)
{
	cursor c;
	cell v;
	int have = 0;
	tl_status rc;

	rc = cursor_open(&c, r->src, sql, 2, range);
	while (rc == TL_OK && (rc = cursor_next(&c, &have)) == TL_OK &&
	       have) {
		cell_get(&c, 0, 'i', &v);
		g_array_append_val(ids, v.i);
	}
	cursor_close(&c);
	return rc;
}

/* Where one original goes: raw rows of the writer (PostgreSQL), or a new
 * file (SQLite). */
typedef struct {
	copy_run *r;
	gint64 id, seq;
	orig_writer *file;
} file_sink;

static tl_status
sink_put(const void *buf, size_t n, void *data, int *enough)
{
	file_sink *k = data;
	cell v[3];

	(void)enough;
	if (k->file != NULL)
		return orig_writer_write(k->file, buf, n);
	memset(v, 0, sizeof v);
	v[0].i = k->id;
	v[1].i = k->seq++;
	v[2].p = buf;
	v[2].len = (int)n;
	return put_pg(&k->r->w[RAW_TABLE], &k->r->ti[RAW_TABLE], v);
}

/* Copy submission ID's original from the source, checked on the way
 * (store_raw_read), as rows or as a file at the destination. */
static tl_status
copy_file(copy_run *r, gint64 id)
{
	file_sink k = { r, id, 0, NULL };
	tl_status rc;

	if (store_pg(r->dst) == NULL &&
	    (rc = orig_writer_open(r->dst, &k.file)) != TL_OK)
		return rc;
	rc = store_raw_read(r->src, id, sink_put, &k);
	if (rc != TL_OK) {
		orig_writer_abort(k.file);
		return set_error(r, rc, g_strdup_printf("source: %s",
				 store_errmsg(r->src)));
	}
	if (k.file != NULL)
		return orig_writer_finish(k.file, id);
	report_table(r, "raw")->copied += k.seq;
	return writer_flush(&r->w[RAW_TABLE], &r->ti[RAW_TABLE]);
}

/* The originals of the batch (LO, HI] that are, or become, files. */
static tl_status
copy_files(copy_run *r, const gint64 *range)
{
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	char *sql = NULL;
	tl_status rc = TL_OK;

	if (!r->no_files) {
		sql = files_sql(r, FALSE);
		rc = ids_of(r, sql, range, ids);
		g_free(sql);
	}
	if (rc == TL_OK && store_pg(r->dst) == NULL) {
		sql = files_sql(r, TRUE);
		rc = ids_of(r, sql, range, ids);
		g_free(sql);
	}
	for (guint i = 0; rc == TL_OK && i < ids->len; i++)
		rc = copy_file(r, g_array_index(ids, gint64, i));
	g_array_unref(ids);
	return rc;
}

/* One batch: the source's submissions in (LO, HI] and every row that
 * hangs off them, in one destination transaction. */
static tl_status
copy_batch(copy_run *r, gint64 lo, gint64 hi)
{
	gint64 range[2] = { lo, hi };
	tl_status rc;

	if ((rc = store_begin(r->dst)) != TL_OK)
		return rc;
	/* SQLite: the new rows enter the search indexes at commit. */
	store_index_later(r->dst, lo + 1);
	for (size_t i = 0; i < G_N_ELEMENTS(tables) && rc == TL_OK; i++) {
		const char *col = i == 0 ? "id" : "submission_id";
		char *filter;

		if (tables[i].scope == SCOPE_ALL)
			continue;
		if (tables[i].scope == SCOPE_SUB)
			filter = g_strdup_printf("%s > %s AND %s <= %s", col,
				ph(r->src, 1), col, ph(r->src, 2));
		else
			filter = g_strdup_printf("attachment_id IN (SELECT "
				"id FROM attachment WHERE submission_id > %s "
				"AND submission_id <= %s)", ph(r->src, 1),
				ph(r->src, 2));
		/* Into SQLite a large original becomes a file, never rows
		 * (copy_files). */
		if (i == RAW_TABLE && store_pg(r->dst) == NULL) {
			char *f = g_strdup_printf("%s AND submission_id NOT IN "
				"(SELECT s.id FROM submission s LEFT JOIN "
				"raw_rewritten w ON w.submission_id = s.id "
				"WHERE s.id > %s AND s.id <= %s AND coalesce("
				"w.stored_size, s.raw_size) >= %"
				G_GINT64_FORMAT ")", filter, ph(r->src, 1),
				ph(r->src, 2), orig_file_min());

			g_free(filter);
			filter = f;
		}
		rc = copy_rows(r, (int)i, filter, 2, range, 0);
		g_free(filter);
	}
	if (rc == TL_OK)
		rc = copy_files(r, range);
	if (rc == TL_OK)
		rc = store_commit(r->dst, 0);
	if (rc != TL_OK)
		store_rollback(r->dst);
	return rc;
}

static tl_status
copy_submissions(copy_run *r)
{
	gint64 lo = 0, hi = 0;
	int batch = fault_int("TIPLINE_COPY_BATCH", COPY_BATCH);
	char *next = g_strdup_printf("SELECT max(id) FROM (SELECT id FROM "
		"submission WHERE id > %s ORDER BY id LIMIT %d) AS b",
		ph(r->src, 1), batch);
	tl_status rc;

	/* Each batch committed whole: the destination's highest id is
	 * where the previous run stopped. */
	rc = scalar_int(r->dst, "SELECT max(id) FROM submission", 0, NULL,
			&lo);
	r->rep->resumed_after = lo;
	while (rc == TL_OK &&
	       (rc = scalar_int(r->src, next, 1, &lo, &hi)) == TL_OK &&
	       hi > lo) {
		if ((rc = copy_batch(r, lo, hi)) != TL_OK)
			break;
		fault_point("copy-batch-committed");
		lo = hi;
		if (r->opt->progress != NULL)
			r->opt->progress(hi, r->opt->data);
	}
	g_free(next);
	return rc;
}

/* One statement without parameters at the destination. */
static tl_status
run_dst(copy_run *r, const char *what, const char *sql)
{
	if (store_pg(r->dst) != NULL)
		return pg_exec(store_pg(r->dst), what, sql);
	if (sqlite3_exec(store_db(r->dst), sql, NULL, NULL, NULL) !=
	    SQLITE_OK)
		return store_fail(r->dst, what);
	return TL_OK;
}

typedef struct {
	gint64 id, parent;
} parent_fix;

/* Set every destination parent_id that differs from the source's: the
 * ones written NULL by writer_put, and any the destination's thread
 * triggers set otherwise.  Both sides in id order, compared as they
 * stream; the (few) differences are applied after. */
static tl_status
copy_parents(copy_run *r)
{
	const char *sql = "SELECT id, parent_id FROM submission ORDER BY id";
	GArray *fix = g_array_new(FALSE, FALSE, sizeof(parent_fix));
	cursor s, d;
	int hs = 0, hd = 0;
	tl_status rc;

	if ((rc = cursor_open(&s, r->src, sql, 0, NULL)) != TL_OK ||
	    (rc = cursor_open(&d, r->dst, sql, 0, NULL)) != TL_OK) {
		cursor_close(&s);
		goto out;
	}
	rc = cursor_next(&s, &hs);
	if (rc == TL_OK)
		rc = cursor_next(&d, &hd);
	while (rc == TL_OK && hs && hd) {
		cell si, sp, di, dp;

		cell_get(&s, 0, 'i', &si);
		cell_get(&s, 1, 'i', &sp);
		cell_get(&d, 0, 'i', &di);
		cell_get(&d, 1, 'i', &dp);
		if (si.i == di.i && (sp.null != dp.null ||
				     (!sp.null && sp.i != dp.i))) {
			parent_fix f = { si.i, sp.null ? 0 : sp.i };

			g_array_append_val(fix, f);
		}
		if (si.i <= di.i)
			rc = cursor_next(&s, &hs);
		if (rc == TL_OK && di.i <= si.i)
			rc = cursor_next(&d, &hd);
	}
	cursor_close(&s);
	cursor_close(&d);
	if (rc != TL_OK || fix->len == 0)
		goto out;
	if ((rc = store_begin(r->dst)) != TL_OK)
		goto out;
	for (guint i = 0; i < fix->len && rc == TL_OK; i++) {
		parent_fix *f = &g_array_index(fix, parent_fix, i);
		char *upd = f->parent > 0 ?
			g_strdup_printf("UPDATE submission SET parent_id = %"
				G_GINT64_FORMAT " WHERE id = %" G_GINT64_FORMAT,
				f->parent, f->id) :
			g_strdup_printf("UPDATE submission SET parent_id = "
				"NULL WHERE id = %" G_GINT64_FORMAT, f->id);

		rc = run_dst(r, "copy: parent", upd);
		g_free(upd);
	}
	if (rc == TL_OK)
		rc = store_commit(r->dst, 0);
	else
		store_rollback(r->dst);
out:
	g_array_unref(fix);
	return rc;
}

/* The tables outside the batches.  audit resumes after the highest id
 * already copied; the others are small and read again whole (their
 * INSERTs skip what is there). */
static tl_status
copy_rest(copy_run *r)
{
	tl_status rc = TL_OK;

	for (size_t i = 0; i < G_N_ELEMENTS(tables) && rc == TL_OK; i++) {
		gint64 after = 0;
		char *filter = NULL;

		if (tables[i].scope != SCOPE_ALL)
			continue;
		report_table(r, tables[i].name);
		if (strcmp(tables[i].key, "id") == 0) {
			char *q = g_strdup_printf("SELECT max(id) FROM %s",
						  tables[i].name);

			rc = scalar_int(r->dst, q, 0, NULL, &after);
			g_free(q);
			filter = g_strdup_printf("id > %s", ph(r->src, 1));
		}
		if (rc == TL_OK && (rc = store_begin(r->dst)) == TL_OK) {
			rc = copy_rows(r, (int)i, filter, filter != NULL ? 1 :
				       0, &after, 1);
			if (rc == TL_OK)
				rc = store_commit(r->dst, 0);
			else
				store_rollback(r->dst);
		}
		g_free(filter);
	}
	return rc;
}

/* The highest submission id ST ever gave: its rows, id_floor (what purge
 * leaves), and on PostgreSQL the identity sequence. */
static tl_status
high_water(store *st, gint64 *out)
{
	gint64 a = 0, b = 0, c = 0;
	tl_status rc;

	rc = scalar_int(st, "SELECT max(id) FROM submission", 0, NULL, &a);
	if (rc == TL_OK)
		rc = scalar_int(st, "SELECT max(max_id) FROM id_floor", 0,
				NULL, &b);
	if (rc == TL_OK && store_pg(st) != NULL)
		rc = scalar_int(st, "SELECT pg_sequence_last_value("
				"pg_get_serial_sequence('submission', 'id')"
				"::regclass)", 0, NULL, &c);
	*out = MAX(a, MAX(b, c));
	return rc;
}

/* Carry the id high-water mark over (so that an id purged at the source
 * is never given again at the destination), and on PostgreSQL move each
 * identity sequence past the ids copied. */
static tl_status
copy_floor(copy_run *r)
{
	static const char *const ident[] = {
		"submission", "attachment", "forwarded", "audit", NULL
	};
	gint64 src = 0, dst = 0;
	char *sql = NULL;
	tl_status rc;

	if ((rc = high_water(r->src, &src)) != TL_OK ||
	    (rc = high_water(r->dst, &dst)) != TL_OK)
		return rc;
	r->rep->high_water = src;
	if ((rc = store_begin(r->dst)) != TL_OK)
		return rc;
	if (src > dst) {
		sql = g_strdup_printf("INSERT INTO id_floor(max_id) VALUES "
				      "(%" G_GINT64_FORMAT ")", src);
		rc = run_dst(r, "copy: id_floor", sql);
		g_free(sql);
	}
	for (int i = 0; ident[i] != NULL && rc == TL_OK &&
	     store_pg(r->dst) != NULL; i++) {
		gint64 floor = strcmp(ident[i], "submission") == 0 ?
			       MAX(src, dst) : 0;
		gint64 v = 0;

		sql = g_strdup_printf("SELECT setval(s, GREATEST(m, "
			"%" G_GINT64_FORMAT ", coalesce("
			"pg_sequence_last_value(s), 0))) FROM (SELECT "
			"pg_get_serial_sequence('%s', 'id')::regclass AS s, "
			"coalesce(max(id), 0) AS m FROM %s) AS x "
			"WHERE GREATEST(m, %" G_GINT64_FORMAT ") > 0", floor,
			ident[i], ident[i], floor);
		rc = scalar_int(r->dst, sql, 0, NULL, &v);
		g_free(sql);
	}
	if (rc == TL_OK)
		rc = store_commit(r->dst, 0);
	else
		store_rollback(r->dst);
	return rc;
}

static tl_status
set_error(copy_run *r, tl_status rc, char *msg)
{
	g_free(r->rep->error);
	r->rep->error = msg;
	return rc;
}

/* ---- verification ---- */

static int
cell_same(const cell *a, const cell *b, char type)
{
	if (a->null || b->null)
		return a->null == b->null;
	if (type == 'i')
		return a->i == b->i;
	if (type == 'r')
		return a->d == b->d;
	return a->len == b->len && memcmp(a->p, b->p, (size_t)a->len) == 0;
}

/* Order of two keys as both backends sorted them (text by bytes). */
static int
key_cmp(const table_info *ti, const cursor *a, const cursor *b)
{
	for (int k = 0; k < ti->nkey; k++) {
		int c = ti->key[k];
		char t = col_type(ti, c);
		cell x, y;
		int d;

		cell_get(a, c, t, &x);
		cell_get(b, c, t, &y);
		if (x.null || y.null) {
			if (x.null != y.null)
				return x.null ? -1 : 1;
			continue;
		}
		if (t == 'i') {
			if (x.i != y.i)
				return x.i < y.i ? -1 : 1;
			continue;
		}
		d = memcmp(x.p, y.p, (size_t)MIN(x.len, y.len));
		if (d == 0 && x.len != y.len)
			d = x.len < y.len ? -1 : 1;
		if (d != 0)
			return d;
	}
	return 0;
}

/* "submission id=3" / "ledger mailbox=test uidvalidity=7 uid=2". */
static char *
key_text(const table_info *ti, const cursor *c)
{
	GString *s = g_string_new(ti->t->name);

	for (int k = 0; k < ti->nkey; k++) {
		int col = ti->key[k];
		cell v;

		cell_get(c, col, col_type(ti, col), &v);
		if (v.null)
			g_string_append_printf(s, " %s=NULL", ti->cols[col]);
		else if (col_type(ti, col) == 'i')
			g_string_append_printf(s, " %s=%" G_GINT64_FORMAT,
					       ti->cols[col], v.i);
		else
			g_string_append_printf(s, " %s=%.*s", ti->cols[col],
					       MIN(v.len, 60), v.p);
	}
	return g_string_free(s, FALSE);
}

static void
note_diff(store_copy_table *rt, char *what)
{
	rt->differences++;
	if (rt->differences <= COPY_DIFFS_SHOWN) {
		if (rt->first_differences == NULL)
			rt->first_differences = g_ptr_array_new_with_free_func(
				g_free);
		g_ptr_array_add(rt->first_differences, what);
	} else {
		g_free(what);
	}
}

/* The first column in which the two rows differ, or -1. */
static int
row_diff(const table_info *ti, const cursor *a, const cursor *b)
{
	for (int c = 0; c < ti->ncols; c++) {
		char t = col_type(ti, c);
		cell x, y;

		cell_get(a, c, t, &x);
		cell_get(b, c, t, &y);
		if (!cell_same(&x, &y, t))
			return c;
	}
	return -1;
}

/* Is the cursor's raw row one of an original kept as a file? */
static gboolean
as_file(copy_run *r, const cursor *c)
{
	cell v;

	cell_get(c, 0, 'i', &v);
	return g_hash_table_contains(r->as_files, &v.i);
}

/* The ids of ST's originals kept as files, into r->as_files. */
static tl_status
files_of(copy_run *r, store *st)
{
	cursor c;
	cell v;
	int have = 0;
	tl_status rc;

	if (store_pg(st) != NULL || (st == r->src && r->no_files))
		return TL_OK;
	rc = cursor_open(&c, st, "SELECT submission_id FROM original_file",
			 0, NULL);
	while (rc == TL_OK && (rc = cursor_next(&c, &have)) == TL_OK &&
	       have) {
		cell_get(&c, 0, 'i', &v);
		g_hash_table_add(r->as_files, g_memdup2(&v.i, sizeof v.i));
	}
	cursor_close(&c);
	return rc;
}

/* store_raw_read's consumer for verify_files: SHA-256 of the bytes. */
static tl_status
sum_put(const void *buf, size_t n, void *data, int *enough)
{
	(void)enough;
	g_checksum_update(data, buf, (gssize)n);
	return TL_OK;
}

/* SHA-256 of submission ID's original in ST (new, g_free), or NULL with
 * the store's error (missing, damaged). */
static char *
original_sum(store *st, gint64 id)
{
	GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
	char *sum = NULL;

	if (store_raw_read(st, id, sum_put, c) == TL_OK)
		sum = g_strdup(g_checksum_get_string(c));
	g_checksum_free(c);
	return sum;
}

/* Compare, whole and byte for byte (by SHA-256), every original that a
 * side keeps as a file; each read also checks it against its content
 * hash and size (store_raw_read). */
static tl_status
verify_files(copy_run *r)
{
	store_copy_table *rt = report_table(r, "original_file");
	GHashTableIter it;
	gpointer k;

	g_hash_table_iter_init(&it, r->as_files);
	while (g_hash_table_iter_next(&it, &k, NULL)) {
		gint64 id = *(gint64 *)k;
		char *a = original_sum(r->src, id);
		char *b = original_sum(r->dst, id);

		rt->source_rows += a != NULL;
		rt->destination_rows += b != NULL;
		if (a == NULL || b == NULL || strcmp(a, b) != 0)
			note_diff(rt, g_strdup_printf("original of "
				"submission_id=%" G_GINT64_FORMAT ": %s", id,
				a == NULL ? store_errmsg(r->src) : b == NULL ?
				store_errmsg(r->dst) : "bytes differ"));
		g_free(a);
		g_free(b);
	}
	return TL_OK;
}

/* Read table I on both sides in key order and compare every row, every
 * column; count rows on both sides and note what differs. */
static tl_status
verify_table(copy_run *r, int i)
{
	const table_info *ti = &r->ti[i];
	store_copy_table *rt = report_table(r, ti->t->name);
	char *ssql = select_sql(r->src, ti, NULL);
	char *dsql = select_sql(r->dst, ti, NULL);
	cursor s, d;
	int hs = 0, hd = 0;
	tl_status rc;

	rt->source_rows = rt->destination_rows = 0;
	memset(&s, 0, sizeof s);
	if ((!r->absent[i] &&
	     (rc = cursor_open(&s, r->src, ssql, 0, NULL)) != TL_OK) ||
	    (rc = cursor_open(&d, r->dst, dsql, 0, NULL)) != TL_OK) {
		cursor_close(&s);
		goto out;
	}
	if (r->absent[i] || (rc = cursor_next(&s, &hs)) == TL_OK)
		rc = cursor_next(&d, &hd);
	while (rc == TL_OK && (hs || hd)) {
		int cmp;

		/* An original kept as a file on either side is compared
		 * whole (verify_files). */
		if (i == RAW_TABLE && hs && as_file(r, &s)) {
			rc = cursor_next(&s, &hs);
			continue;
		}
		if (i == RAW_TABLE && hd && as_file(r, &d)) {
			rc = cursor_next(&d, &hd);
			continue;
		}
		cmp = !hs ? 1 : !hd ? -1 : key_cmp(ti, &s, &d);

		if (cmp < 0) {
			note_diff(rt, g_strdup_printf("%s: missing at the "
				"destination", key_text(ti, &s)));
		} else if (cmp > 0) {
			note_diff(rt, g_strdup_printf("%s: only at the "
				"destination", key_text(ti, &d)));
		} else {
			int c = row_diff(ti, &s, &d);

			if (c >= 0)
				note_diff(rt, g_strdup_printf("%s: %s "
					"differs", key_text(ti, &s),
					ti->cols[c]));
		}
		if (cmp <= 0) {
			rt->source_rows++;
			rc = cursor_next(&s, &hs);
		}
		if (rc == TL_OK && cmp >= 0) {
			rt->destination_rows++;
			rc = cursor_next(&d, &hd);
		}
	}
	cursor_close(&s);
	cursor_close(&d);
out:
	g_free(ssql);
	g_free(dsql);
	return rc;
}

static tl_status
verify(copy_run *r)
{
	store_copy_table *ft;
	gint64 dst = 0;
	tl_status rc = TL_OK;

	r->as_files = g_hash_table_new_full(g_int64_hash, g_int64_equal,
					    g_free, NULL);
	if ((rc = files_of(r, r->src)) == TL_OK)
		rc = files_of(r, r->dst);
	for (size_t i = 0; i < G_N_ELEMENTS(tables) && rc == TL_OK; i++)
		rc = verify_table(r, (int)i);
	if (rc == TL_OK)
		rc = verify_files(r);
	g_clear_pointer(&r->as_files, g_hash_table_unref);
	if (rc != TL_OK)
		return rc;
	if ((rc = high_water(r->dst, &dst)) != TL_OK)
		return rc;
	ft = report_table(r, "id_floor");
	ft->source_rows = r->rep->high_water;
	ft->destination_rows = dst;
	if (dst < r->rep->high_water)
		note_diff(ft, g_strdup_printf("id_floor: the destination "
			"would give id %" G_GINT64_FORMAT " again",
			dst + 1));
	for (guint i = 0; i < r->rep->tables->len; i++)
		r->rep->differences += g_array_index(r->rep->tables,
			store_copy_table, i).differences;
	return TL_OK;
}

/* ---- checks before copying ---- */

/* The type letter of a declared column type (SQLite's declaration,
 * PostgreSQL's format_type). */
static char
type_letter(const char *decl)
{
	char *d = g_ascii_strdown(decl, -1);
	char t = strstr(d, "int") != NULL ? 'i' :
		 strstr(d, "real") != NULL || strstr(d, "double") != NULL ?
		 'r' : strstr(d, "blob") != NULL || strstr(d, "bytea") !=
		 NULL ? 'b' : strstr(d, "text") != NULL ? 't' : '?';

	g_free(d);
	return t;
}

/* The source's tables: name -> "col:type col:type ..." (GString). */
static tl_status
source_columns(copy_run *r, GHashTable *found)
{
	const char *sql = store_pg(r->src) != NULL ?
		"SELECT c.relname::text, a.attname::text, "
		"format_type(a.atttypid, a.atttypmod) FROM pg_class c "
		"JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 "
		"AND NOT a.attisdropped AND a.attgenerated = '' "
		"WHERE c.relkind = 'r' AND c.relnamespace = "
		"current_schema()::regnamespace ORDER BY 1, a.attnum" :
		"SELECT m.name, p.name, p.type FROM sqlite_master m, "
		"pragma_table_info(m.name) p WHERE m.type = 'table' AND "
		"m.name NOT LIKE 'sqlite%' AND m.name NOT LIKE 'search%' "
		"ORDER BY 1, p.cid";
	cursor c;
	int have = 0;
	tl_status rc;

	if ((rc = cursor_open(&c, r->src, sql, 0, NULL)) != TL_OK)
		return rc;
	while ((rc = cursor_next(&c, &have)) == TL_OK && have) {
		cell t, n, d;
		char *name, *decl;
		GString *cols;

		cell_get(&c, 0, 't', &t);
		cell_get(&c, 1, 't', &n);
		cell_get(&c, 2, 't', &d);
		name = g_strndup(t.p, (gsize)t.len);
		decl = g_strndup(d.p, (gsize)d.len);
		cols = g_hash_table_lookup(found, name);
		if (cols == NULL) {
			cols = g_string_new(NULL);
			g_hash_table_insert(found, g_strdup(name), cols);
		}
		g_string_append_printf(cols, "%s%.*s:%c", cols->len > 0 ?
				       " " : "", n.len, n.p,
				       type_letter(decl));
		g_free(name);
		g_free(decl);
	}
	cursor_close(&c);
	return rc;
}

static void
free_gstring(gpointer s)
{
	g_string_free(s, TRUE);
}

/* Every table of the source is one this copy knows, with the columns
 * and types it knows: a table or column added to the schema and not
 * here would otherwise be left behind without a word, and a column read
 * as the wrong type would compare equal on both sides. */
static tl_status
check_tables(copy_run *r)
{
	GHashTable *found = g_hash_table_new_full(g_str_hash, g_str_equal,
		g_free, free_gstring);
	GHashTableIter it;
	gpointer k, v;
	tl_status rc;

	rc = source_columns(r, found);
	g_hash_table_iter_init(&it, found);
	while (rc == TL_OK && g_hash_table_iter_next(&it, &k, &v)) {
		GString *want = g_string_new(NULL);
		gboolean known = g_strv_contains(not_copied, k);

		for (size_t i = 0; !known && i < G_N_ELEMENTS(tables); i++) {
			if (strcmp(k, tables[i].name) != 0)
				continue;
			for (int j = 0; j < r->ti[i].ncols; j++)
				g_string_append_printf(want, "%s%s:%c",
					j > 0 ? " " : "", r->ti[i].cols[j],
					col_type(&r->ti[i], j));
			known = strcmp(want->str, ((GString *)v)->str) == 0;
			break;
		}
		if (!known)
			rc = set_error(r, TL_SOFTWARE, g_strdup_printf("the "
				"source's table %s (%s) is not one this "
				"tipline copies", (char *)k,
				((GString *)v)->str));
		g_string_free(want, TRUE);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(tables); i++)
		r->absent[i] = !g_hash_table_contains(found, tables[i].name);
	r->no_files = !g_hash_table_contains(found, "original_file");
	g_hash_table_destroy(found);
	return rc;
}

/* Something that tells one database from another: for SQLite the file
 * (device and inode), for PostgreSQL the server's start time, port and
 * the database's name. */
static tl_status
identity(store *st, char **out)
{
	struct stat sb;

	if (store_pg(st) != NULL)
		return scalar_text(st, "SELECT pg_postmaster_start_time()"
			"::text || ' ' || coalesce(inet_server_port(), 0) || "
			"' ' || current_database() || ' ' || "
			"current_schema()", 0, NULL, out);
	*out = stat(store_path(st), &sb) == 0 ?
		g_strdup_printf("%ju:%ju", (uintmax_t)sb.st_dev,
				(uintmax_t)sb.st_ino) : NULL;
	return TL_OK;
}

/* SQL with text parameters $1, $2 (NULL-terminated TEXTS; SQLite
 * takes $N as named parameters) at the destination; *out (may be NULL)
 * gets the first column of the first row as an integer, 0 without one. */
static tl_status
dst_texts(copy_run *r, const char *what, const char *sql,
	  const char *const *texts, gint64 *out)
{
	tl_status rc = TL_OK;

	if (out != NULL)
		*out = 0;
	if (store_pg(r->dst) != NULL) {
		pg_params p = PG_PARAMS_INIT;
		PGresult *res = NULL;

		for (int i = 0; texts[i] != NULL; i++)
			pg_p_text(&p, texts[i]);
		rc = pg_run(store_pg(r->dst), what, sql, &p, &res);
		if (rc == TL_OK && out != NULL && PQntuples(res) > 0)
			*out = pg_int(res, 0, 0);
		PQclear(res);
		pg_params_clear(&p);
		return rc;
	}
	{
		sqlite3_stmt *q = NULL;
		int step;

		if (sqlite3_prepare_v2(store_db(r->dst), sql, -1, &q, NULL) !=
		    SQLITE_OK)
			return store_fail(r->dst, what);
		for (int i = 0; texts[i] != NULL; i++) {
			char name[8];

			g_snprintf(name, sizeof name, "$%d", i + 1);
			sqlite3_bind_text(q, sqlite3_bind_parameter_index(q,
					  name), texts[i], -1, SQLITE_STATIC);
		}
		step = sqlite3_step(q);
		if (step == SQLITE_ROW && out != NULL)
			*out = sqlite3_column_int64(q, 0);
		else if (step != SQLITE_ROW && step != SQLITE_DONE)
			rc = store_fail(r->dst, what);
		sqlite3_finalize(q);
	}
	return rc;
}

/* Refuse a destination that is the source, or that holds another
 * queue; note (copy_state) which source this destination is a copy of,
 * before the first row, so that a second run knows it may resume. */
static tl_status
check_destination(copy_run *r)
{
	const char *const mine_args[] = { r->opt->source_name, NULL };
	const char *const new_args[] = {
		r->opt->source_name, r->opt->now_utc, NULL
	};
	char *a = NULL, *b = NULL;
	gint64 rows = 0, mine = 0;
	tl_status rc;

	if ((rc = identity(r->src, &a)) != TL_OK ||
	    (rc = identity(r->dst, &b)) != TL_OK)
		goto out;
	if (a != NULL && b != NULL && strcmp(a, b) == 0) {
		rc = set_error(r, TL_USAGE, g_strdup("the source and the "
			"destination are the same database"));
		goto out;
	}
	rc = scalar_int(r->dst, "SELECT (SELECT count(*) FROM submission) "
		"+ (SELECT count(*) FROM audit) + (SELECT count(*) FROM "
		"ledger) + (SELECT count(*) FROM purged)", 0, NULL, &rows);
	if (rc != TL_OK || (rc = dst_texts(r, "copy_state", "SELECT count(*) "
		"FROM copy_state WHERE source = $1", mine_args, &mine)) !=
	    TL_OK)
		goto out;
	if (rows > 0 && mine == 0) {
		rc = set_error(r, TL_USAGE, g_strdup_printf("the destination "
			"already holds a queue that is not a copy of %s: copy "
			"into an empty database", r->opt->source_name));
		goto out;
	}
	r->rep->resumed = rows > 0;
	if (mine > 0 || (rc = store_begin(r->dst)) != TL_OK)
		goto out;
	rc = dst_texts(r, "copy_state", "INSERT INTO copy_state(source, "
		       "started_utc) VALUES ($1, $2) ON CONFLICT DO NOTHING",
		       new_args, NULL);
	if (rc == TL_OK)
		rc = store_commit(r->dst, 1);
	else
		store_rollback(r->dst);
out:
	g_free(a);
	g_free(b);
	return rc;
}

/* Record that the copy from the source was verified complete. */
static tl_status
mark_finished(copy_run *r)
{
	const char *const args[] = {
		r->opt->now_utc, r->opt->source_name, NULL
	};

	return dst_texts(r, "copy_state", "UPDATE copy_state SET "
			 "finished_utc = $1 WHERE source = $2", args, NULL);
}

/* Sort keys for the rows copied without (a source from before
 * sort_key, opened read-only and so never upgraded), made as the
 * destination's own upgrade makes them; after verify, which compares
 * sort_key with the source's.  The keys copied are the source's
 * collator's: the destination records that version in place of its own,
 * so that the fill remakes them all when its collator is newer. */
static tl_status
copy_keys(copy_run *r)
{
	guint32 made = 0;
	tl_status rc = store_sort_keys_version(r->src, &made);

	if (rc != TL_OK)
		return set_error(r, rc, g_strdup(store_errmsg(r->src)));
	if ((rc = store_begin(r->dst)) != TL_OK)
		return rc;
	if ((made != 0 &&
	     (rc = store_sort_keys_record(r->dst, "copy source", made, 1)) !=
	     TL_OK) ||
	    (rc = store_sort_keys_fill(r->dst)) != TL_OK) {
		store_rollback(r->dst);
		return rc;
	}
	return store_commit(r->dst, 0);
}

/* Only one copy at a time into or out of a PostgreSQL database. */
static tl_status
take_lock(store *st, copy_run *r)
{
	gint64 got = 0;
	tl_status rc;

	if (store_pg(st) == NULL)
		return TL_OK;
	/* A copy killed a moment ago holds it until its server process
	 * notices the closed connection: wait up to two seconds. */
	for (int i = 0; i < 20; i++) {
		rc = scalar_int(st, "SELECT CASE WHEN pg_try_advisory_lock("
				G_STRINGIFY(COPY_LOCK) ", 0) THEN 1 ELSE 0 "
				"END", 0, NULL, &got);
		if (rc != TL_OK || got)
			break;
		g_usleep(100 * 1000);
	}
	if (rc == TL_OK && !got) {
		char *db = store_database_display(store_path(st));

		rc = set_error(r, TL_TEMPFAIL, g_strdup_printf("another "
			"tipline copy is using %s; try again later", db));
		g_free(db);
	}
	return rc;
}

/* Begin the source's read snapshot: everything is copied and compared
 * as of one moment. */
static tl_status
source_snapshot(store *src)
{
	if (store_pg(src) != NULL)
		return pg_exec(store_pg(src), "copy: snapshot", "BEGIN "
			       "ISOLATION LEVEL REPEATABLE READ, READ ONLY");
	if (sqlite3_exec(store_db(src), "BEGIN", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return store_fail(src, "copy: snapshot");
	return TL_OK;
}

static void
source_release(store *src)
{
	if (store_pg(src) != NULL) {
		if (PQtransactionStatus(store_pg(src)->conn) != PQTRANS_IDLE)
			pg_exec(store_pg(src), "ROLLBACK", "ROLLBACK");
		return;
	}
	if (!sqlite3_get_autocommit(store_db(src)))
		sqlite3_exec(store_db(src), "ROLLBACK", NULL, NULL, NULL);
}

tl_status
store_copy(store *src, store *dst, const store_copy_options *opt,
	   store_copy_report *rep)
{
	copy_run r;
	tl_status rc;
	int snap = 0;

	memset(rep, 0, sizeof *rep);
	rep->tables = g_array_new(FALSE, TRUE, sizeof(store_copy_table));
	memset(&r, 0, sizeof r);
	r.src = src;
	r.dst = dst;
	r.rep = rep;
	r.opt = opt;
	for (size_t i = 0; i < G_N_ELEMENTS(tables); i++) {
		table_info_init(&r.ti[i], &tables[i]);
		report_table(&r, tables[i].name);
	}
	report_table(&r, "id_floor");
	if ((rc = take_lock(src, &r)) != TL_OK ||
	    (rc = take_lock(dst, &r)) != TL_OK ||
	    (rc = check_tables(&r)) != TL_OK ||
	    (rc = check_destination(&r)) != TL_OK)
		goto out;
	if ((rc = source_snapshot(src)) != TL_OK)
		goto out;
	snap = 1;
	for (size_t i = 0; i < G_N_ELEMENTS(tables) && rc == TL_OK; i++)
		rc = writer_open(&r.w[i], dst, &r.ti[i]);
	if (rc == TL_OK)
		rc = copy_submissions(&r);
	if (rc == TL_OK)
		rc = copy_parents(&r);
	if (rc == TL_OK)
		rc = copy_rest(&r);
	if (rc == TL_OK)
		rc = copy_floor(&r);
	if (rc == TL_OK)
		rc = verify(&r);
	if (rc == TL_OK && rep->differences == 0 &&
	    (rc = copy_keys(&r)) == TL_OK)
		rc = mark_finished(&r);
	if (rc == TL_OK && rep->differences > 0)
		rc = set_error(&r, TL_DATA, g_strdup_printf("the destination "
			"differs from the source in %" G_GINT64_FORMAT " rows",
			rep->differences));
out:
	/* A failed statement left its text in the store it ran on. */
	if (rc != TL_OK && rep->error == NULL) {
		store *st = strcmp(store_errmsg(dst), "no error") != 0 ?
			    dst : src;
		char *db = store_database_display(store_path(st));

		rep->error = g_strdup_printf("%s: %s", db, store_errmsg(st));
		g_free(db);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(tables); i++) {
		writer_close(&r.w[i]);
		g_strfreev(r.ti[i].cols);
	}
	if (snap)
		source_release(src);
	return rc;
}

void
store_copy_report_clear(store_copy_report *rep)
{
	if (rep->tables != NULL) {
		for (guint i = 0; i < rep->tables->len; i++) {
			store_copy_table *t = &g_array_index(rep->tables,
				store_copy_table, i);

			if (t->first_differences != NULL)
				g_ptr_array_unref(t->first_differences);
		}
		g_array_unref(rep->tables);
	}
	g_free(rep->error);
	memset(rep, 0, sizeof *rep);
}
