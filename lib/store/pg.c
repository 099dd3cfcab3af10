/* pg.c - the PostgreSQL backend's connection, statements and
 * schema (pg-priv.h). */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pg-priv.h"
#include "pg-conn-priv.h"
#include "sort-key-priv.h"

/* Any constant that other applications are unlikely to pick: the
 * advisory lock that serialises two tipline processes applying the
 * schema to one new database at once ('tipl' in ASCII). */
#define SCHEMA_LOCK 1953067116	/* 0x7469706c */

static const char schema_pg_sql[] =
#include "schema-pg.inc"
;

void
pg_p_text(pg_params *p, const char *s)
{
	g_assert(p->n < PG_MAX_PARAMS);
	p->values[p->n] = s;
	p->lengths[p->n] = 0;
	p->formats[p->n] = 0;
	p->owned[p->n] = NULL;
	p->n++;
}

void
pg_p_int(pg_params *p, gint64 v)
{
	char *s = g_strdup_printf("%" G_GINT64_FORMAT, v);

	pg_p_text(p, s);
	p->owned[p->n - 1] = s;
}

void
pg_p_id_or_null(pg_params *p, gint64 v)
{
	if (v > 0)
		pg_p_int(p, v);
	else
		pg_p_text(p, NULL);
}

void
pg_p_bytes(pg_params *p, const void *bytes, int len)
{
	g_assert(p->n < PG_MAX_PARAMS);
	/* libpq wants a non-NULL value for an empty binary parameter. */
	p->values[p->n] = bytes != NULL ? bytes : "";
	p->lengths[p->n] = len;
	p->formats[p->n] = 1;
	p->owned[p->n] = NULL;
	p->n++;
}

void
pg_params_clear(pg_params *p)
{
	for (int i = 0; i < p->n; i++)
		g_free(p->owned[i]);
	p->n = 0;
}

tl_status
pg_status_of(const char *state)
{
	if (state == NULL || strlen(state) != 5)
		return TL_TEMPFAIL;	/* no answer: the connection failed */
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "53", 2) == 0 ||
	    strncmp(state, "57P0", 4) == 0 || strcmp(state, "40001") == 0 ||
	    strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0 ||
	    strcmp(state, "57014") == 0)
		return TL_TEMPFAIL;
	if (strcmp(state, "42501") == 0 || strcmp(state, "25006") == 0 ||
	    strncmp(state, "28", 2) == 0)
		return TL_NOPERM;
	if (strcmp(state, "XX001") == 0 || strcmp(state, "XX002") == 0)
		return TL_DATA;
	return TL_SOFTWARE;
}

/* TEXT cut at its first line break, trimmed (in place). */
static const char *
first_line(char *text)
{
	text[strcspn(text, "\n")] = '\0';
	return g_strstrip(text);
}

/* Set DB's error from RES (or the connection) and return its status. */
static tl_status
fail_with(pg_db *db, const char *what, PGresult *res)
{
	const char *state = res != NULL ?
		PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res != NULL ? PQresultErrorMessage(res) : NULL;
	char *text, *cause;
	tl_status rc;

	if (state != NULL && strcmp(state, "25P02") == 0 &&
	    db->cause != NULL) {
		pg_set_error(db, "%s: %s", what, db->cause);
		return db->cause_rc;
	}
	if (msg == NULL || *msg == '\0')
		msg = PQerrorMessage(db->conn);
	text = g_strchomp(g_strdup(msg != NULL && *msg ? msg :
				   "no answer from the server"));
	rc = pg_status_of(state);
	if (rc == TL_TEMPFAIL && strcmp(state != NULL ? state : "", "55P03")
	    == 0)
		cause = g_strdup("database is busy (a lock was held past "
				 "the busy timeout)");
	else if (state == NULL && PQstatus(db->conn) == CONNECTION_BAD)
		/* libpq's text for a lost connection is several lines
		 * ("server closed the connection unexpectedly", a tab-
		 * indented guess, and again for each statement since):
		 * its first line, once, for the log. */
		cause = g_strdup_printf("connection to the database server "
					"lost (%s)", first_line(text));
	else
		cause = g_strdup_printf("%s%s%s%s", text,
					state != NULL ? " (SQLSTATE " : "",
					state != NULL ? state : "",
					state != NULL ? ")" : "");
	pg_set_error(db, "%s: %s", what, cause);
	g_free(db->cause);
	db->cause = cause;
	db->cause_rc = rc;
	g_free(text);
	return rc;
}

/* A statement went through: no transaction is aborted now (fail_with
 * keeps a cause only from a failure to the refusal it explains). */
static void
cause_clear(pg_db *db)
{
	g_free(db->cause);
	db->cause = NULL;
}

/* The end of every statement run for rows or a status (run, pg_prep):
 * RES (taken) into *OUT when it succeeded (OUT may be NULL: cleared),
 * else its error as fail_with.  A success ends any earlier cause. */
static tl_status
finish(pg_db *db, const char *what, PGresult *res, PGresult **out)
{
	ExecStatusType s = res != NULL ? PQresultStatus(res) :
			   PGRES_FATAL_ERROR;

	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		tl_status rc = fail_with(db, what, res);

		PQclear(res);
		return rc;
	}
	cause_clear(db);
	if (out != NULL)
		*out = res;
	else
		PQclear(res);
	return TL_OK;
}

static tl_status
run(pg_db *db, const char *what, const char *sql, const pg_params *p,
    int binary, PGresult **out)
{
	PGresult *res;

	if (out != NULL)
		*out = NULL;
	res = PQexecParams(db->conn, sql, p != NULL ? p->n : 0, NULL,
			   p != NULL ? p->values : NULL,
			   p != NULL ? p->lengths : NULL,
			   p != NULL ? p->formats : NULL, binary);
	return finish(db, what, res, out);
}

tl_status
pg_run(pg_db *db, const char *what, const char *sql, const pg_params *p,
       PGresult **res)
{
	return run(db, what, sql, p, 0, res);
}

/* The name SQL is prepared under on DB's connection, preparing it the
 * first time; NULL (the error set) when the server refused. */
static const char *
prepared_name(pg_db *db, const char *what, const char *sql,
	      tl_status *rc)
{
	PGresult *res;
	char *name;

	if (db->prepared == NULL)
		db->prepared = g_hash_table_new_full(g_str_hash, g_str_equal,
						     g_free, g_free);
	name = g_hash_table_lookup(db->prepared, sql);
	if (name != NULL)
		return name;
	name = g_strdup_printf("tl_%u", g_hash_table_size(db->prepared));
	res = PQprepare(db->conn, name, sql, 0, NULL);
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
		*rc = fail_with(db, what, res);
		PQclear(res);
		g_free(name);
		return NULL;
	}
	PQclear(res);
	g_hash_table_insert(db->prepared, g_strdup(sql), name);
	return name;
}

tl_status
pg_prep(pg_db *db, const char *what, const char *sql, const pg_params *p,
	PGresult **out)
{
	const char *name;
	tl_status rc = TL_SOFTWARE;

	if (out != NULL)
		*out = NULL;
	if ((name = prepared_name(db, what, sql, &rc)) == NULL)
		return rc;
	return finish(db, what, PQexecPrepared(db->conn, name,
			p != NULL ? p->n : 0, p != NULL ? p->values : NULL,
			p != NULL ? p->lengths : NULL,
			p != NULL ? p->formats : NULL, 0), out);
}

/* ---- COPY FROM STDIN ---- */

/* The binary COPY file header: signature, flags, no extension area. */
static const char copy_header[19] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";

tl_status
pg_copy_begin(pg_db *db, const char *what, const char *sql, int binary)
{
	PGresult *res = PQexec(db->conn, sql);
	tl_status rc;

	if (res == NULL || PQresultStatus(res) != PGRES_COPY_IN) {
		rc = fail_with(db, what, res);
		PQclear(res);
		return rc;
	}
	PQclear(res);
	if (binary)
		return pg_copy_put(db, what, copy_header, sizeof copy_header);
	return TL_OK;
}

guint8 *
pg_copy_int(guint8 *p, guint64 v, int bytes)
{
	for (int i = bytes - 1; i >= 0; i--)
		*p++ = (guint8)(v >> (8 * i));
	return p;
}

tl_status
pg_copy_put(pg_db *db, const char *what, const void *buf, size_t len)
{
	if (len > INT_MAX || PQputCopyData(db->conn, buf, (int)len) != 1)
		return fail_with(db, what, NULL);
	return TL_OK;
}

tl_status
pg_copy_end(pg_db *db, const char *what, int binary, const char *abort)
{
	static const char trailer[2] = { '\377', '\377' };	/* -1 */
	PGresult *res;
	tl_status rc = TL_OK;

	if (abort == NULL && binary &&
	    PQputCopyData(db->conn, trailer, sizeof trailer) != 1) {
		/* the COPY is cancelled below: this is its error */
		rc = fail_with(db, what, NULL);
		abort = "tipline: could not send the end of the rows";
	}
	if (PQputCopyEnd(db->conn, abort) != 1)
		rc = fail_with(db, what, NULL);
	/* The COPY's result, then NULL; a failed one is the error (unless
	 * the caller cancelled it: its own error stands). */
	while ((res = PQgetResult(db->conn)) != NULL) {
		if (rc == TL_OK && abort == NULL &&
		    PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = fail_with(db, what, res);
		PQclear(res);
	}
	if (rc == TL_OK && abort == NULL)
		cause_clear(db);
	return rc;
}

tl_status
pg_run_binary(pg_db *db, const char *what, const char *sql,
	      const pg_params *p, PGresult **res)
{
	return run(db, what, sql, p, 1, res);
}

tl_status
pg_exec(pg_db *db, const char *what, const char *sql)
{
	PGresult *res = PQexec(db->conn, sql);
	ExecStatusType s = res != NULL ? PQresultStatus(res) :
			   PGRES_FATAL_ERROR;
	tl_status rc = TL_OK;

	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
		rc = fail_with(db, what, res);
	else
		cause_clear(db);
	PQclear(res);
	return rc;
}

const char *
pg_text(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return NULL;
	return PQgetvalue(res, row, col);
}

char *
pg_dup(const PGresult *res, int row, int col)
{
	return g_strdup(pg_text(res, row, col));
}

gint64
pg_int(const PGresult *res, int row, int col)
{
	const char *s = pg_text(res, row, col);

	if (s == NULL)
		return 0;
	if (strcmp(s, "t") == 0)
		return 1;
	if (strcmp(s, "f") == 0)
		return 0;
	return g_ascii_strtoll(s, NULL, 10);
}

double
pg_double(const PGresult *res, int row, int col)
{
	const char *s = pg_text(res, row, col);

	return s != NULL ? g_ascii_strtod(s, NULL) : 0;
}

/* ---- open ---- */

/* The schema version recorded in the database: 0 when there is no
 * tipline schema (no schema_version table, or no row). */
static tl_status
read_version(pg_db *db, int *version)
{
	PGresult *res = NULL;
	tl_status rc;

	*version = 0;
	rc = pg_run(db, "schema version", "SELECT to_regclass("
		    "'schema_version') IS NOT NULL", NULL, &res);
	if (rc != TL_OK)
		return rc;
	if (pg_int(res, 0, 0) == 0) {
		PQclear(res);
		return TL_OK;
	}
	PQclear(res);
	rc = pg_run(db, "schema version", "SELECT version FROM "
		    "schema_version", NULL, &res);
	if (rc == TL_OK && PQntuples(res) == 1)
		*version = (int)pg_int(res, 0, 0);
	PQclear(res);
	return rc;
}

/* The highest submission id with sort keys (0 with none): what
 * pg_sort_key_fill starts above.  *id 0 on error. */
static tl_status
keys_done(pg_db *db, gint64 *id)
{
	PGresult *res = NULL;
	tl_status rc = pg_run(db, "sort keys", "SELECT coalesce(max("
			      "submission_id), 0) FROM sort_key", NULL, &res);

	*id = rc == TL_OK ? pg_int(res, 0, 0) : 0;
	PQclear(res);
	return rc;
}

/* Whether a database of the current version lacks what schema-pg.sql
 * gained since that version shipped, without a new version (as
 * tables_since_v3 in store.c): the originals' storage without
 * compression and the cheaper tl_search_words (issue 13), marked by the
 * storage of raw.bytes; the desk's sort keys (table sort_key), or keys
 * for submissions an older tipline added after this one made the table
 * (a rollback and back; two index lookups).  With LENIENT a failure of
 * that last look (a lock on submission held past the busy timeout) is
 * taken for "nothing missing": the open goes on, and the statement that
 * needs the table reports the lock as it did before sort_key. */
static tl_status
objects_missing(pg_db *db, int lenient, int *missing)
{
	PGresult *res = NULL;
	pg_params p = PG_PARAMS_INIT;
	char *icu = NULL;
	tl_status rc = pg_run(db, "schema", "SELECT coalesce((SELECT "
			      "attstorage <> 'e' FROM pg_attribute WHERE "
			      "attrelid = to_regclass('raw') AND attname = "
			      "'bytes'), false) OR to_regclass('sort_key') "
			      "IS NULL OR to_regclass('sort_key_collator') IS "
			      "NULL", NULL, &res);

	*missing = rc == TL_OK && pg_int(res, 0, 0);
	PQclear(res);
	if (rc != TL_OK || *missing)
		return rc;
	/* One statement, one round trip more per open (a desk on another
	 * host pays each): the newest key and a submission above it are
	 * two index lookups; this ICU library's row one more (keys made by
	 * another's collator are looked at by the fill, which opens one). */
	icu = sort_key_icu_text();
	pg_p_text(&p, icu);
	rc = pg_run(db, "sort keys", "SELECT EXISTS (SELECT 1 FROM submission "
		    "WHERE id > (SELECT coalesce(max(submission_id), 0) FROM "
		    "sort_key)) OR NOT EXISTS (SELECT 1 FROM sort_key_collator "
		    "WHERE icu = $1)", &p, &res);
	*missing = rc == TL_OK && pg_int(res, 0, 0);
	PQclear(res);
	pg_params_clear(&p);
	g_free(icu);
	return lenient ? TL_OK : rc;
}

/* Rows of submission read and keyed at a time by pg_sort_key_fill. */
#define KEYS_BATCH 10000

/* One binary COPY row of sort_key: ID and its keys from K. */
static void
keys_row(sort_keyer *k, GByteArray *row, GByteArray *sender,
	 GByteArray *given, gint64 id, const char *name, const char *addr)
{
	guint8 head[2 + 4 + 8 + 4], len[4], *h = head;

	sort_keys_make(k, name, addr, sender, given);
	h = pg_copy_int(h, 3, 2);		/* fields */
	h = pg_copy_int(h, 8, 4);
	h = pg_copy_int(h, (guint64)id, 8);
	pg_copy_int(h, sender->len, 4);
	g_byte_array_append(row, head, sizeof head);
	g_byte_array_append(row, sender->data, sender->len);
	pg_copy_int(len, given->len, 4);
	g_byte_array_append(row, len, sizeof len);
	g_byte_array_append(row, given->data, given->len);
}

/* The keys of up to KEYS_BATCH submissions above *after that have
 * none, written with one binary COPY; *after the last id read, *n the
 * rows (0: done). */
static tl_status
keys_batch(pg_db *db, sort_keyer *k, gint64 *after, int *n)
{
	GByteArray *row = g_byte_array_new(), *sender = g_byte_array_new();
	GByteArray *given = g_byte_array_new();
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	tl_status rc;

	pg_p_int(&p, *after);
	/* k's bound too: without it the planner hashes every key made so
	 * far for each batch (quadratic; 43 s at 1,000,000), when only a
	 * concurrent writer's keys can lie above AFTER. */
	rc = pg_run(db, "sort keys", "SELECT s.id, s.from_name, s.from_addr "
		    "FROM submission s WHERE s.id > $1 AND NOT EXISTS (SELECT "
		    "1 FROM sort_key k WHERE k.submission_id = s.id AND "
		    "k.submission_id > $1) ORDER BY s.id LIMIT "
		    G_STRINGIFY(KEYS_BATCH), &p, &res);
	*n = rc == TL_OK ? PQntuples(res) : 0;
	if (*n == 0)
		goto out;
	for (int i = 0; i < *n; i++)
		keys_row(k, row, sender, given, pg_int(res, i, 0),
			 pg_text(res, i, 1), pg_text(res, i, 2));
	*after = pg_int(res, *n - 1, 0);
	if ((rc = pg_copy_begin(db, "sort keys", "COPY sort_key (submission_"
				"id, sender, given) FROM STDIN (FORMAT "
				"binary)", 1)) == TL_OK &&
	    (rc = pg_copy_put(db, "sort keys", row->data, row->len)) ==
	    TL_OK)
		rc = pg_copy_end(db, "sort keys", 1, NULL);
out:
	PQclear(res);
	pg_params_clear(&p);
	g_byte_array_unref(row);
	g_byte_array_unref(sender);
	g_byte_array_unref(given);
	return rc;
}

tl_status
pg_sort_key_fill(pg_db *db)
{
	char *err = NULL;
	sort_keyer *k = sort_keyer_new(&err);
	PGresult *res = NULL;
	gint64 after = 0;
	guint32 made = 0;
	int n = 1, bulk = 0, renew = 0;
	char *icu;
	tl_status rc;

	if (k == NULL) {
		pg_set_error(db, "%s", err);
		g_free(err);
		return TL_SOFTWARE;
	}
	/* Keys of an older collator than this one are all made again
	 * (table sort_key_collator, schema.sql). */
	if ((rc = pg_sort_keys_version(db, &made)) == TL_OK &&
	    (renew = made != 0 && made < sort_keyer_version(k)))
		rc = pg_exec(db, "sort keys", "TRUNCATE sort_key");
	/* An empty table is filled without its two indexes, which
	 * schema-pg.sql then makes again: a sort each instead of a million
	 * insertions at random places (55 s at 1,000,000 submissions). */
	if (rc == TL_OK &&
	    (rc = keys_done(db, &after)) == TL_OK && after == 0 &&
	    (rc = pg_run(db, "sort keys", "SELECT EXISTS (SELECT 1 FROM "
			 "submission)", NULL, &res)) == TL_OK &&
	    (bulk = (int)pg_int(res, 0, 0)))
		rc = pg_exec(db, "sort keys", "DROP INDEX sort_key_sender; "
			     "DROP INDEX sort_key_given");
	PQclear(res);
	while (rc == TL_OK && n > 0)
		rc = keys_batch(db, k, &after, &n);
	if (rc == TL_OK && bulk)
		rc = pg_exec(db, "schema-pg.sql", schema_pg_sql);
	icu = sort_key_icu_text();
	if (rc == TL_OK)
		rc = pg_sort_keys_record(db, icu, sort_keyer_version(k), renew);
	g_free(icu);
	sort_keyer_free(k);
	return rc;
}

tl_status
pg_sort_keys_version(pg_db *db, guint32 *version)
{
	PGresult *res = NULL;
	tl_status rc;

	/* A source `copy` reads may be from before the table (read-only,
	 * never upgraded): a missing table would fail the statement and
	 * with it the source's transaction. */
	*version = 0;
	rc = pg_run(db, "sort keys", "SELECT to_regclass('sort_key_collator')"
		    " IS NOT NULL", NULL, &res);
	if (rc != TL_OK || !pg_int(res, 0, 0)) {
		PQclear(res);
		return rc;
	}
	PQclear(res);
	rc = pg_run(db, "sort keys", "SELECT coalesce(max(version), 0) FROM "
		    "sort_key_collator", NULL, &res);
	*version = rc == TL_OK ? (guint32)pg_int(res, 0, 0) : 0;
	PQclear(res);
	return rc;
}

tl_status
pg_sort_keys_record(pg_db *db, const char *icu, guint32 version,
		    int replace)
{
	pg_params p = PG_PARAMS_INIT;
	tl_status rc = TL_OK;

	if (replace)
		rc = pg_exec(db, "sort keys", "DELETE FROM sort_key_collator");
	pg_p_text(&p, icu);
	pg_p_int(&p, version);
	if (rc == TL_OK)
		rc = pg_run(db, "sort keys", "INSERT INTO sort_key_collator("
			    "icu, version, made_utc) VALUES ($1, $2, to_char("
			    "now(), 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')) ON "
			    "CONFLICT (icu) DO UPDATE SET version = "
			    "EXCLUDED.version, made_utc = EXCLUDED.made_utc",
			    &p, NULL);
	pg_params_clear(&p);
	return rc;
}

tl_status
pg_sort_keys_mend(pg_db *db, sort_keyer *k, gint64 *added)
{
	gint64 after = 0;
	int n = 1;
	tl_status rc = TL_OK;

	*added = 0;
	while (rc == TL_OK && n > 0) {
		rc = keys_batch(db, k, &after, &n);
		*added += n;
	}
	return rc;
}

tl_status
pg_sort_keys_check(pg_db *db, int *table, guint32 *made, gint64 *missing)
{
	PGresult *res = NULL;
	tl_status rc = pg_run(db, "sort keys", "SELECT to_regclass('sort_key')"
			      " IS NOT NULL AND to_regclass("
			      "'sort_key_collator') IS NOT NULL", NULL, &res);

	*table = rc == TL_OK && pg_int(res, 0, 0);
	*made = 0;
	*missing = 0;
	PQclear(res);
	if (rc != TL_OK || !*table ||
	    (rc = pg_sort_keys_version(db, made)) != TL_OK)
		return rc;
	rc = pg_run(db, "sort keys", "SELECT count(*) FROM submission s WHERE "
		    "NOT EXISTS (SELECT 1 FROM sort_key k WHERE "
		    "k.submission_id = s.id)", NULL, &res);
	*missing = rc == TL_OK ? pg_int(res, 0, 0) : 0;
	PQclear(res);
	return rc;
}

/* schema-pg.sql, whole, in one transaction under SCHEMA_LOCK; the
 * version is read again under the lock, so that of two processes opening
 * a new database the second finds the first one's work done. */
static tl_status
apply_schema(pg_db *db, int current, int *version)
{
	pg_params p = PG_PARAMS_INIT;
	int missing = 0;
	tl_status rc;

	if ((rc = pg_exec(db, "schema", "BEGIN; SET LOCAL "
			  "client_min_messages = warning; SELECT "
			  "pg_advisory_xact_lock(" G_STRINGIFY(SCHEMA_LOCK)
			  ")")) != TL_OK)
		return rc;
	if ((rc = read_version(db, version)) != TL_OK ||
	    (*version == current &&
	     (rc = objects_missing(db, 0, &missing)) != TL_OK))
		goto fail;
	if (*version == current && !missing)
		return pg_exec(db, "schema", "COMMIT");
	if ((rc = pg_exec(db, "schema-pg.sql", schema_pg_sql)) != TL_OK ||
	    (rc = pg_sort_key_fill(db)) != TL_OK)
		goto fail;
	pg_p_int(&p, current);
	rc = pg_run(db, "schema version", "INSERT INTO schema_version("
		    "version) VALUES ($1) ON CONFLICT (one) DO UPDATE SET "
		    "version = EXCLUDED.version", &p, NULL);
	pg_params_clear(&p);
	if (rc != TL_OK)
		goto fail;
	if ((rc = pg_exec(db, "schema", "COMMIT")) != TL_OK)
		return rc;
	*version = current;
	return TL_OK;
fail:
	pg_exec(db, "schema", "ROLLBACK");
	return rc;
}

/* Per-session settings: the busy timeout is PostgreSQL's lock_timeout
 * (a lock held past it fails with 55P03, TL_TEMPFAIL, like SQLite's
 * busy timeout); times and text as tipline writes them. */
static tl_status
session_setup(pg_db *db, int busy_timeout_ms)
{
	char *sql = g_strdup_printf("SET lock_timeout = %d; SET TIME ZONE "
				    "'UTC'; SET client_min_messages = "
				    "warning", busy_timeout_ms > 0 ?
				    busy_timeout_ms : 1);
	tl_status rc = pg_exec(db, "session", sql);

	g_free(sql);
	return rc;
}

/* What SCHEMA allows with a database at VERSION: TL_OK and *apply, or
 * an error in *errmsg naming the database T. */
static tl_status
schema_decide(const pg_target *t, pg_schema_mode schema, int current,
	      int version, int *apply, char **errmsg)
{
	*apply = 0;
	if (version == current || schema == PG_SCHEMA_NEVER)
		return TL_OK;
	if (version == 0 && schema != PG_SCHEMA_CREATE) {
		*errmsg = g_strdup_printf("%s: no tipline queue in this "
					  "database yet (`tipline fetch` or "
					  "`import` makes one)",
					  pg_target_display(t));
		return TL_NOINPUT;
	}
	if (version > current) {
		*errmsg = g_strdup_printf("%s: schema version %d is newer "
					  "than this tipline's %d: upgrade "
					  "tipline", pg_target_display(t),
					  version, current);
		return TL_CONFIG;
	}
	*apply = 1;
	return TL_OK;
}

tl_status
pg_db_open(pg_db *db, const char *url, const char *passfile,
	   pg_schema_mode schema, int current, int busy_timeout_ms,
	   int *version, char **errmsg)
{
	pg_target *t = NULL;
	tl_status rc;
	int apply = 0;

	*version = 0;
	if ((rc = pg_conn_parse(url, passfile, &t, errmsg)) != TL_OK)
		return rc;
	if ((rc = pg_conn_open(t, &db->conn, errmsg)) != TL_OK)
		goto out;
	if ((rc = session_setup(db, busy_timeout_ms)) != TL_OK ||
	    (rc = read_version(db, version)) != TL_OK)
		goto fail;
	rc = schema_decide(t, schema, current, *version, &apply, errmsg);
	if (rc == TL_OK && !apply && *version == current &&
	    schema != PG_SCHEMA_NEVER &&
	    (rc = objects_missing(db, 1, &apply)) != TL_OK)
		goto fail;
	if (rc != TL_OK || !apply)
		goto out;
	if ((rc = apply_schema(db, current, version)) != TL_OK)
		goto fail;
	goto out;
fail:
	*errmsg = g_strdup_printf("%s: %s", pg_target_display(t), *db->err);
out:
	pg_target_free(t);
	return rc;
}

void
pg_db_close(pg_db *db)
{
	if (db == NULL)
		return;
	cause_clear(db);
	if (db->prepared != NULL)
		g_hash_table_destroy(db->prepared);
	db->prepared = NULL;	/* they go with the connection */
	if (db->conn == NULL)
		return;
	PQfinish(db->conn);
	db->conn = NULL;
}

void
pg_set_error(pg_db *db, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_free(*db->err);
	*db->err = g_strdup_vprintf(fmt, ap);
	va_end(ap);
}

/* ---- two statements of store.c ---- */

gint64
pg_find_by_hash(pg_db *db, const char *hash)
{
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	gint64 id = 0;

	pg_p_text(&p, hash);
	if (pg_run(db, "find by hash", "SELECT id FROM submission WHERE "
		   "content_hash = $1 UNION ALL SELECT -1 FROM purged WHERE "
		   "content_hash = $1 LIMIT 1", &p, &res) == TL_OK &&
	    PQntuples(res) > 0)
		id = pg_int(res, 0, 0);
	PQclear(res);
	pg_params_clear(&p);
	return id;
}

tl_status
pg_store_audit(pg_db *db, gint64 submission_id, const char *now,
	       const char *editor, const char *action,
	       const char *old_status, const char *new_status,
	       const char *note)
{
	pg_params p = PG_PARAMS_INIT;
	tl_status rc;

	pg_p_id_or_null(&p, submission_id);
	pg_p_text(&p, now);
	pg_p_text(&p, editor);
	pg_p_text(&p, action);
	pg_p_text(&p, old_status);
	pg_p_text(&p, new_status);
	pg_p_text(&p, note);
	rc = pg_prep(db, "audit", "INSERT INTO audit(submission_id, "
			     "at_utc, editor, action, old_status, new_status, "
			     "note) VALUES ($1, $2, $3, $4, $5, $6, $7)", &p,
			     NULL);
	pg_params_clear(&p);
	return rc;
}
