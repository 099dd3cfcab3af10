/* pg-priv.h - what the PostgreSQL backend's files of lib/store share
 * (issue 13): the connection of a store opened on a postgresql:// URL,
 * parameters and results of one statement, and SQLSTATE mapped to
 * tipline's statuses.  Nothing above lib/store sees it.
 *
 * How the backend is organised: every public function of store.h that
 * runs SQL starts with
 *
 *	if (store_pg(st) != NULL)
 *		return pg_<same name>(st, ...);
 *
 * and the PostgreSQL version lives in a pg-*.c file of its own beside the
 * SQLite one (store-write.c -> pg-write.c, desk.c -> pg-desk.c, ...), with
 * the same contract (store.h).  Rules every pg-*.c follows:
 *
 * - Parameters travel as text ($1, $2, ...; numbers printed by pg_params),
 *   bytes as binary; results come back as text except where a statement
 *   asks for binary (pg_run_binary: BYTEA of the original).
 * - A failed statement inside a transaction aborts the whole transaction
 *   in PostgreSQL (SQLite only fails the statement).  So never "try the
 *   INSERT and look at the constraint error": use INSERT ... ON CONFLICT
 *   DO NOTHING / DO UPDATE and look at what came back (RETURNING, or
 *   PQcmdTuples), or a savepoint around the statement.
 * - Times are ISO 8601 UTC strings as in SQLite ("2026-12-02T19:51:37Z");
 *   ids are BIGINT; booleans are INTEGER 0/1 columns as in schema.sql.
 * - store_begin/commit/rollback/savepoint keep their meaning: one write
 *   transaction at a time per store, READ COMMITTED; exactly-once rests on
 *   the UNIQUE constraints, not on isolation.
 *
 * This module knows nothing of struct store (store.c calls it, so it may
 * not call back): a pg-*.c file gets the pg_db of a store from
 * store_pg() (store-priv.h) and passes it here.
 */
#ifndef TIPLINE_PG_PRIV_H
#define TIPLINE_PG_PRIV_H

#include <glib.h>
#include <libpq-fe.h>

#include "util.h"

/* One PostgreSQL connection of a store. */
typedef struct {
	PGconn *conn;
	char **err;	/* where an error's text goes: the store's own
			 * message slot (store_errmsg), g_free'd when
			 * replaced */
	char *cause;	/* the failed statement's cause (without its
			 * "WHAT: "), owned, and its status, until a
			 * statement goes through: what a later "current
			 * transaction is aborted" (25P02) reports instead,
			 * so that a failure a caller let pass (a lookup
			 * that returns 0 on error) still comes back with
			 * its own status and words */
	tl_status cause_rc;
	GHashTable *prepared;	/* pg_prep: SQL text -> the name
				 * of its prepared statement on CONN
				 * (both owned; NULL until the first) */
} pg_db;

/* Set DB's error text (printf format). */
void pg_set_error(pg_db *db, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- parameters of one statement ---- */

/* Up to PG_MAX_PARAMS values for $1..$n, added in order.  Lives on the
 * stack: pg_params p = PG_PARAMS_INIT; then pg_p_*; then pg_run; then
 * pg_params_clear(&p) (frees the printed numbers). */
#define PG_MAX_PARAMS 40
typedef struct {
	int n;
	const char *values[PG_MAX_PARAMS];
	int lengths[PG_MAX_PARAMS];
	int formats[PG_MAX_PARAMS];	/* 0 text, 1 binary */
	char *owned[PG_MAX_PARAMS];	/* printed numbers (g_free) */
} pg_params;
#define PG_PARAMS_INIT { 0 }

/* Text (borrowed until pg_run returns; NULL gives SQL NULL). */
void pg_p_text(pg_params *p, const char *s);
/* A 64-bit integer, printed in decimal. */
void pg_p_int(pg_params *p, gint64 v);
/* An integer, or SQL NULL when V is 0 (SQLite code binds nothing for an
 * absent id: "if (id > 0) bind"). */
void pg_p_id_or_null(pg_params *p, gint64 v);
/* LEN bytes (borrowed) as a binary parameter: for BYTEA columns. */
void pg_p_bytes(pg_params *p, const void *bytes, int len);
void pg_params_clear(pg_params *p);

/* ---- running a statement ---- */

/* Run SQL (one statement with $n placeholders; P may be NULL for none)
 * and return its result in *res (PQclear it; NULL is fine for
 * statements whose rows you do not need: pass res = NULL).  Results come
 * back as text.  TL_OK for PGRES_COMMAND_OK and PGRES_TUPLES_OK;
 * otherwise the store's error (store_errmsg) is set to "WHAT: " and the
 * server's message, and the status is pg_status_of() the SQLSTATE; a
 * statement refused because an earlier one aborted the transaction
 * (25P02) reports that earlier failure's cause and status. */
tl_status pg_run(pg_db *db, const char *what, const char *sql,
		 const pg_params *p, PGresult **res);

/* As pg_run, for the statements a fetch runs for every message: the
 * first call on DB prepares SQL under a name of its own (PQprepare) and
 * every call runs that (PQexecPrepared), so the server parses and plans
 * it once per connection instead of once per message (docs/performance.md,
 * "PostgreSQL").  For fixed SQL only: a text built from values would
 * prepare a statement per value, and a desk query whose best plan
 * depends on its parameters is better planned each time (pg_run).
 * Errors as pg_run; a statement that failed to prepare is prepared again
 * next time. */
tl_status pg_prep(pg_db *db, const char *what, const char *sql,
		  const pg_params *p, PGresult **res);

/* COPY ... FROM STDIN on DB: pg_copy_begin runs SQL (a COPY statement)
 * and, for FORMAT binary, sends the file header; pg_copy_put sends LEN
 * bytes of rows (libpq buffers them and writes as it goes, so the server
 * stores rows while the caller reads the next ones: no round trip per
 * row); pg_copy_end sends the end (and the binary trailer) and reads the
 * result, or with ABORT non-NULL cancels the COPY (the transaction is then
 * aborted: roll back to a savepoint) and returns TL_OK after draining, the
 * caller's own error standing.  Errors as pg_run, under WHAT. */
tl_status pg_copy_begin(pg_db *db, const char *what, const char *sql,
			int binary);
tl_status pg_copy_put(pg_db *db, const char *what, const void *buf,
		      size_t len);
tl_status pg_copy_end(pg_db *db, const char *what, int binary,
		      const char *abort);

/* Write V's low BYTES bytes (2, 4 or 8) at P in network order, as a
 * binary COPY's field counts, lengths and integers are; returns P past
 * them. */
guint8 *pg_copy_int(guint8 *p, guint64 v, int bytes);

/* As pg_run, with every result column in binary (resultFormat 1): for
 * BYTEA (the bytes as they are) and nothing else (integers would come
 * back in network order). */
tl_status pg_run_binary(pg_db *db, const char *what, const char *sql,
			const pg_params *p, PGresult **res);

/* Several statements separated by ';' and no parameters (PQexec, the
 * simple query protocol): schema-pg.sql, BEGIN, SAVEPOINT.  Errors as
 * pg_run. */
tl_status pg_exec(pg_db *db, const char *what, const char *sql);

/* The status for SQLSTATE (5 characters, NULL for no server error: the
 * connection failed): connection and resource classes (08, 53, 57P0x,
 * 40001, 40P01, 55P03) TL_TEMPFAIL; privileges and read-only (42501,
 * 25006, 28xxx) TL_NOPERM; data corruption (XX001, XX002) TL_DATA;
 * everything else TL_SOFTWARE.  A unique violation (23505) is
 * TL_SOFTWARE here: callers that expect one avoid it with ON CONFLICT. */
tl_status pg_status_of(const char *sqlstate);

/* ---- reading results (text format) ---- */

/* Row ROW, column COL as text (owned by RES), or NULL when SQL NULL. */
const char *pg_text(const PGresult *res, int row, int col);
/* ... as a new string (g_free), or NULL when SQL NULL. */
char *pg_dup(const PGresult *res, int row, int col);
/* ... as an integer; 0 when SQL NULL.  Booleans ('t'/'f') give 1/0. */
gint64 pg_int(const PGresult *res, int row, int col);
/* ... as a double; 0 when SQL NULL. */
double pg_double(const PGresult *res, int row, int col);

/* ---- the connection's life (pg.c) ---- */

/* store_find_by_hash and store_audit (store.h) on PostgreSQL; NOW is
 * the audit row's time, ACTION its name. */
gint64 pg_find_by_hash(pg_db *db, const char *hash);
tl_status pg_store_audit(pg_db *db, gint64 submission_id, const char *now,
			 const char *editor, const char *action,
			 const char *old_status, const char *new_status,
			 const char *note);

/* How pg_db_open may change the schema. */
typedef enum {
	PG_SCHEMA_CREATE,	/* apply schema-pg.sql to an empty or older
				 * database (STORE_READWRITE) */
	PG_SCHEMA_UPGRADE,	/* an older one only; an empty one is
				 * TL_NOINPUT (STORE_READONLY, STORE_WRITE:
				 * as a missing SQLite file) */
	PG_SCHEMA_NEVER,	/* as found (STORE_INSPECT) */
} pg_schema_mode;

/* Connect DB (its err slot set by the caller) to URL (store_open calls
 * this when pg_conn_is_url(URL)).  PASSFILE: the [store] passfile
 * setting, or NULL.  Applies schema-pg.sql (as version CURRENT) under an
 * advisory transaction lock as SCHEMA allows; *version is what the
 * database has after that.  Errors as store_open, with *errmsg (g_free)
 * naming the database (never a password). */
tl_status pg_db_open(pg_db *db, const char *url, const char *passfile,
		     pg_schema_mode schema, int current, int busy_timeout_ms,
		     int *version, char **errmsg);

/* The desk's sort keys (sort-key-priv.h) for every submission of DB
 * above the newest key that has none, inside the caller's transaction:
 * batches read by id, keyed in C, each written with one binary COPY.
 * Errors as pg_run. */
tl_status pg_sort_key_fill(pg_db *db);
/* store_sort_keys_version, store_sort_keys_record (store-priv.h) and
 * store_sort_keys_mend's work inside its transaction, with keys from K
 * (sort-key-priv.h), on DB; errors as pg_run. */
tl_status pg_sort_keys_version(pg_db *db, guint32 *version);
tl_status pg_sort_keys_record(pg_db *db, const char *icu, guint32 version,
			      int replace);
typedef struct sort_keyer sort_keyer;
tl_status pg_sort_keys_mend(pg_db *db, sort_keyer *k, gint64 *added);
/* store_sort_keys_check's look at DB: *table whether sort_key exists,
 * *made the recorded collator version, *missing the submissions without
 * keys.  Errors as pg_run. */
tl_status pg_sort_keys_check(pg_db *db, int *table, guint32 *made,
			     gint64 *missing);
/* Close DB's connection; NULL-safe; leaves err alone. */
void pg_db_close(pg_db *db);

#endif
