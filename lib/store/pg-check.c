/* pg-check.c - the integrity check of a PostgreSQL queue, for doctor
 * (store-check.c's counterpart; pg-check-priv.h says what it checks). */
#include <string.h>

#include "pg-check-priv.h"

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
 * when the deadline cancelled it (SQLSTATE 57014). */
static tl_status
check_run(store *st, const char *sql, gint64 deadline,
	  store_integrity *res, int *cut)
{
	PGresult *q = NULL;
	char *set = g_strdup_printf("SET statement_timeout = %" G_GINT64_FORMAT,
				    left_ms(deadline));
	tl_status rc = pg_exec(store_pg(st), "integrity check", set);

	g_free(set);
	if (rc == TL_OK)
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

/* store_raw_read's consumer: the bytes are only hashed. */
static tl_status
raw_ignore(const void *buf, size_t len, void *data, int *enough)
{
	(void)buf;
	(void)len;
	(void)data;
	*enough = 0;
	return TL_OK;
}

/* Every stored original read back and checked against its content hash
 * and size, oldest first, until DEADLINE.  One read-only snapshot for
 * all of them: a purge meanwhile is no "no such submission", and
 * store_raw_read then opens no transaction of its own per submission
 * (half the round trips). */
static tl_status
check_originals(store *st, gint64 deadline, store_integrity *res,
		int *cut)
{
	PGresult *q = NULL;
	tl_status rc;

	if ((rc = pg_exec(store_pg(st), "integrity check", "BEGIN ISOLATION "
			  "LEVEL REPEATABLE READ READ ONLY")) != TL_OK)
		return rc;
	rc = pg_run(store_pg(st), "integrity check", "SELECT s.id FROM "
		    "submission s WHERE EXISTS (SELECT 1 FROM raw r WHERE "
		    "r.submission_id = s.id) ORDER BY s.id", NULL, &q);
	for (int r = 0; rc == TL_OK && r < PQntuples(q); r++) {
		if (g_get_monotonic_time() >= deadline) {
			*cut = 1;
			break;
		}
		rc = store_raw_read(st, pg_int(q, r, 0), raw_ignore, NULL);
		if (rc == TL_DATA) {
			problem_add(res, store_errmsg(st));
			rc = TL_OK;
		}
	}
	PQclear(q);
	if (rc == TL_OK)
		return pg_exec(store_pg(st), "integrity check", "COMMIT");
	pg_exec(store_pg(st), "integrity check", "ROLLBACK");
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
		rc = pg_exec(store_pg(st), "integrity check",
			     "RESET statement_timeout");
	if (rc == TL_OK && !cut)
		rc = check_originals(st, deadline, res, &cut);
	if (cut)
		pg_exec(store_pg(st), "integrity check",
			"RESET statement_timeout");
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
