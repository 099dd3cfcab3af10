/* pg-desk-priv.h - the desk's queries on the PostgreSQL backend (issue
 * 13): desk_list and desk_decide of store.h, and what pg-search.c shares
 * with them (the row columns, reading and enriching rows, filters).  Same
 * contracts as store.h; desk.c calls these first thing when the store is
 * a PostgreSQL one.
 *
 * What differs from SQLite, and why:
 * - The order by sender and by given name is that of the sort keys
 *   tipline makes (table sort_key, sort-key-priv.h), the same bytes as on
 *   SQLite; tl_fold is lower(unaccent(normalize(x, NFC))) (unaccent
 *   folds đ/Đ too); nothing is registered on the connection.
 * - The flags of rows (dangerous file, duplicate, seen, the thread's) are
 *   read for every row of a page in one statement over an array of ids,
 *   not one probe per row: a round trip to the server costs what a
 *   SQLite probe does not.
 */
#ifndef TIPLINE_PG_DESK_PRIV_H
#define TIPLINE_PG_DESK_PRIV_H

#include "store-priv.h"

/* The first columns of every row query (alias s), in desk_row order;
 * then the follow-up count; then what each query adds. */
#define PG_ROW_COLUMNS "s.id, s.status, coalesce(s.date_utc, " \
	"s.received_utc), s.from_name, s.from_addr, s.subject, " \
	"s.attachment_count, s.has_gps, coalesce(s.parent_id, 0), " \
	"s.queue_utc"
#define PG_ROW_NCOLUMNS 11	/* PG_ROW_COLUMNS and the follow-ups */

/* Statements built as text with their parameters: strings for $1, $2,
 * ... in order (g_free'd with PARAMS). */
typedef struct {
	GString *sql;
	GPtrArray *params;
} pg_sqlbuf;

/* Append a parameter ("$N", N its number) holding VALUE (taken: g_free)
 * to B's SQL. */
void pg_desk_param(pg_sqlbuf *b, char *value);

/* Append " AND ..." conditions on alias A for filter F (statuses, else
 * DEFAULTS ending in QUEUE_INVALID; dates; sender; attachments; mailbox;
 * has bits, met by a follow-up too when THREADS: store.h) to B. */
void pg_desk_where(pg_sqlbuf *b, const desk_filter *f, const char *a,
		   const queue_status *defaults, gboolean threads);

/* The join F's order needs after "FROM submission s" (static text):
 * the sort keys as k when F sorts by sender or given name, else "". */
const char *pg_desk_keys_join(const desk_filter *f);

/* Append F's ORDER BY and LIMIT/OFFSET for a flat list (sender, given
 * name: the query joins pg_desk_keys_join; or by time on alias s) to
 * B. */
void pg_desk_order(pg_sqlbuf *b, const desk_filter *f);

/* Run B and read its rows into *rows (a new GPtrArray of desk_row *):
 * PG_ROW_COLUMNS, the follow-ups, then EXTRA columns the caller reads
 * with READ_EXTRA (may be NULL) as (row, result, row index, first extra
 * column, DATA).  Errors as store.h, with *errmsg. */
typedef void (*pg_desk_extra_fn)(desk_row *row, const PGresult *res,
				 int i, int col, void *data);
tl_status pg_desk_rows(store *st, pg_sqlbuf *b, pg_desk_extra_fn read_extra,
		       void *data, GPtrArray **rows, char **errmsg);

/* Fill in ROWS' flags (desk_row: received_utc when missing, has_danger,
 * duplicate_of, unseen for EDITOR, the thread's values) in one
 * statement.  Errors as store.h, with *errmsg. */
tl_status pg_desk_enrich(store *st, GPtrArray *rows, const char *editor,
			 char **errmsg);

/* A new empty GPtrArray for desk_row * with their free function. */
GPtrArray *pg_desk_rows_new(void);

/* desk_connection_setup (store.h) on PostgreSQL: nothing to register
 * (tl_fold is written out in SQL, see above), but
 * JIT compilation is turned off for the session: a list of 20,000 rows
 * ran in 0.4 s and spent 1.8 s more compiling its plan (PostgreSQL 15's
 * jit_above_cost is reached by any query over the whole queue, and the
 * desk's queries are short).  Errors as store.h. */
tl_status pg_desk_connection_setup(store *st, char **errmsg);

/* desk_list, desk_decide_expect and desk_expect_load (store.h) on
 * PostgreSQL. */
tl_status pg_desk_list(store *st, const desk_filter *f, GPtrArray **rows,
		       char **errmsg);
tl_status pg_desk_expect_load(store *st, const gint64 *ids, guint n,
			      desk_expect *out, char **errmsg);
tl_status pg_desk_decide_expect(store *st, const gint64 *ids, guint n,
				const desk_expect *expect, desk_action act,
				const char *editor, const char *note,
				desk_decision *results, char **errmsg);

#endif
