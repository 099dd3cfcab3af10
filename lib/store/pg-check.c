/* pg-check.c - the integrity check of a PostgreSQL queue, for doctor
 * (store-check.c's counterpart; pg-check-priv.h says what it checks). */
#include <string.h>

#include "pg-check-priv.h"
#include "store-values-priv.h"

/* Lines of trouble kept, as SQLite's quick_check(10). */
#define MAX_PROBLEMS 10

/* One check: every row of SQL is a problem, its first column the text.
 * Each statement may take at most what is left of the deadline
 * (statement_timeout): *cut is set when it was cancelled there. */
static const char *const checks[] = {
	"SELECT format('constraint %s of table %s is NOT VALID: check its "
	"rows and ALTER TABLE %s VALIDATE CONSTRAINT %s', conname, "
	"conrelid::regclass, conrelid::regclass, conname) FROM pg_constraint "
	"WHERE NOT convalidated AND connamespace = current_schema()::"
	"regnamespace ORDER BY 1",
	"SELECT format('index %s of table %s is not valid (a CREATE INDEX "
	"that failed): REINDEX INDEX %s', i.indexrelid::regclass, "
	"i.indrelid::regclass, i.indexrelid::regclass) FROM pg_index i JOIN "
	"pg_class c ON c.oid = i.indexrelid WHERE (NOT i.indisvalid OR NOT "
	"i.indisready) AND c.relnamespace = current_schema()::regnamespace "
	"ORDER BY 1",
	"SELECT format('trigger %s of table %s is disabled: ALTER TABLE %s "
	"ENABLE TRIGGER %s', t.tgname, t.tgrelid::regclass, "
	"t.tgrelid::regclass, t.tgname) FROM pg_trigger t JOIN pg_class c ON "
	"c.oid = t.tgrelid WHERE NOT t.tgisinternal AND t.tgenabled = 'D' "
	"AND c.relnamespace = current_schema()::regnamespace ORDER BY 1",
	/* Chunks numbered 0..n-1; none at all only where purge removed an
	 * original it could not redact (its warnings say so). */
	"SELECT format('#%s: its original message is incomplete (%s chunks, "
	"numbered %s to %s)', s.id, "
	"count(r.seq), coalesce(min(r.seq), -1), coalesce(max(r.seq), -1)) "
	"FROM submission s LEFT JOIN raw r ON r.submission_id = s.id "
	"GROUP BY s.id HAVING CASE WHEN count(r.seq) = 0 THEN strpos("
	"min(s.warnings), 'original message could not be rewritten and was "
	"removed') = 0 ELSE min(r.seq) <> 0 OR max(r.seq) <> count(r.seq) - 1"
	" END ORDER BY s.id",
	NULL
};

/* Add problem TEXT to RES. */
static void
problem_add(store_integrity *res, const char *text)
{
	if (res->problems >= MAX_PROBLEMS)
		return;
	if (res->problems++ == 0)
		res->first = g_strdup(text);
}

/* Milliseconds left until DEADLINE (monotonic microseconds), at least
 * 1 (statement_timeout 0 would mean none). */
static gint64
left_ms(gint64 deadline)
{
	return MAX((deadline - g_get_monotonic_time()) / 1000, 1);
}

/* Run SQL with what is left of DEADLINE; its rows are problems.  *cut
 * when the deadline cancelled it (SQLSTATE 57014).  SQL NULL: only set
 * the timeout for the next statement. */
static tl_status
check_run(store *st, const char *sql, gint64 deadline,
	  store_integrity *res, int *cut)
{
	PGresult *q = NULL;
	char *set = g_strdup_printf("SET statement_timeout = %" G_GINT64_FORMAT,
				    left_ms(deadline));
	tl_status rc = pg_exec(store_pg(st), "integrity check", set);

	g_free(set);
	if (rc == TL_OK && sql != NULL)
		rc = pg_run(store_pg(st), "integrity check", sql, NULL, &q);
	if (rc == TL_TEMPFAIL &&
	    strstr(store_errmsg(st), "SQLSTATE 57014") != NULL) {
		*cut = 1;
		return TL_OK;
	}
	for (int r = 0; rc == TL_OK && r < PQntuples(q); r++)
		problem_add(res, pg_text(q, r, 0));
	PQclear(q);
	return rc;
}

/* The original being checked: its id, what was recorded, what was
 * read so far. */
typedef struct {
	gint64 id;
	char want[65];
	gint64 want_size;
	hash_content *h;
	gint64 size;
} original;

/* Finish O (if one is open): a problem when its bytes do not match. */
static void
original_done(original *o, store_integrity *res)
{
	char got[65], *text;

	if (o->h == NULL)
		return;
	hash_content_finish(o->h, got);
	o->h = NULL;
	if (store_values_raw_matches(o->want, o->want_size, got, o->size))
		return;
	text = g_strdup_printf("#%" G_GINT64_FORMAT ": the stored original "
			       "is damaged: its %" G_GINT64_FORMAT " bytes no "
			       "longer match the content hash and size "
			       "recorded when it arrived (%" G_GINT64_FORMAT
			       " bytes)", o->id, o->size, o->want_size);
	problem_add(res, text);
	g_free(text);
}

/* One row of ORIGINALS_SQL (binary: every column but the bytes is cast
 * to text, whose binary form is its text). */
static void
original_row(original *o, const PGresult *r, store_integrity *res)
{
	char *id = g_strndup(PQgetvalue(r, 0, 0), (gsize)PQgetlength(r, 0,
								     0));
	gint64 n = g_ascii_strtoll(id, NULL, 10);

	g_free(id);
	if (o->h == NULL || n != o->id) {
		original_done(o, res);
		o->id = n;
		g_strlcpy(o->want, PQgetvalue(r, 0, 1), MIN(sizeof o->want,
			  (gsize)PQgetlength(r, 0, 1) + 1));
		id = g_strndup(PQgetvalue(r, 0, 2), (gsize)PQgetlength(r, 0,
									 2));
		o->want_size = g_ascii_strtoll(id, NULL, 10);
		g_free(id);
		o->h = hash_content_new();
		o->size = 0;
	}
	hash_content_update(o->h, PQgetvalue(r, 0, 3),
			    (size_t)PQgetlength(r, 0, 3));
	o->size += PQgetlength(r, 0, 3);
}

/* Every chunk of every original, in order, in one statement read a row
 * (one chunk) at a time (libpq's single-row mode): constant memory and
 * no round trip per submission.  A merge of the two primary-key-ordered
 * scans, no sort. */
static const char originals_sql[] =
	"SELECT s.id::text, coalesce(w.stored_hash, s.content_hash), "
	"coalesce(w.stored_size, s.raw_size)::text, r.bytes FROM submission s "
	"JOIN raw r ON r.submission_id = s.id LEFT JOIN raw_rewritten w ON "
	"w.submission_id = s.id ORDER BY s.id, r.seq";

/* Every stored original read back and checked against its content hash
 * and size (as store_raw_read does), oldest first; the statement is
 * cancelled by the server at DEADLINE (statement_timeout, set by the
 * caller): *cut. */
static tl_status
check_originals(store *st, store_integrity *res, int *cut)
{
	PGconn *c = store_pg(st)->conn;
	original o = { 0 };
	PGresult *r;
	tl_status rc = TL_OK;

	if (!PQsendQueryParams(c, originals_sql, 0, NULL, NULL, NULL, NULL,
			       1) || !PQsetSingleRowMode(c)) {
		pg_set_error(store_pg(st), "integrity check: %s",
			     PQerrorMessage(c));
		return TL_TEMPFAIL;
	}
	/* Read to the end (NULL) whatever happens: the connection serves
	 * the next statement. */
	while ((r = PQgetResult(c)) != NULL) {
		ExecStatusType t = PQresultStatus(r);
		const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);

		if (t == PGRES_SINGLE_TUPLE && rc == TL_OK)
			original_row(&o, r, res);
		else if (t == PGRES_FATAL_ERROR && g_strcmp0(state, "57014")
			 == 0)
			*cut = 1;
		else if (t != PGRES_TUPLES_OK && t != PGRES_SINGLE_TUPLE &&
			 rc == TL_OK) {
			rc = pg_status_of(state);
			pg_set_error(store_pg(st), "integrity check: %s",
				     PQresultErrorMessage(r));
		}
		PQclear(r);
	}
	if (rc == TL_OK && !*cut)
		original_done(&o, res);
	else if (o.h != NULL) {
		char junk[65];

		hash_content_finish(o.h, junk);
	}
	return rc;
}

tl_status
pg_store_integrity_check(store *st, gint64 max_ms, store_integrity *res)
{
	gint64 start = g_get_monotonic_time();
	gint64 deadline = start + max_ms * 1000;
	tl_status rc = TL_OK;
	int cut = 0;

	/* No tipline schema yet (doctor opens without creating one):
	 * nothing that could be damaged. */
	if (store_schema_version(st) == 0) {
		res->finished = 1;
		return TL_OK;
	}
	for (int i = 0; checks[i] != NULL && rc == TL_OK && !cut; i++)
		rc = check_run(st, checks[i], deadline, res, &cut);
	if (rc == TL_OK && !cut)
		rc = check_run(st, NULL, deadline, res, &cut);
	if (rc == TL_OK && !cut)
		rc = check_originals(st, res, &cut);
	pg_exec(store_pg(st), "integrity check", "RESET statement_timeout");
	res->elapsed_ms = (g_get_monotonic_time() - start) / 1000;
	if (rc != TL_OK)
		return rc;
	res->finished = !cut;
	if (cut) {
		/* As store-check.c: what a check cut short found is not
		 * reported (SQLite's may be cut mid-page). */
		res->problems = 0;
		g_clear_pointer(&res->first, g_free);
	}
	return res->problems > 0 ? TL_DATA : TL_OK;
}
