/* store-priv.h - what the files of lib/store share and nothing above
 * them sees: the SQLite connection and the statement cache. Every SQL
 * statement of tipline is in lib/store (issue 11); store.h names no SQLite
 * type. */
#ifndef TIPLINE_STORE_PRIV_H
#define TIPLINE_STORE_PRIV_H

#include <sqlite3.h>

#include "store.h"
#include "pg-priv.h"
#include "sort-key-priv.h"

/* Bytes per page of a new SQLite database (PRAGMA page_size, set before
 * its first page is written; an existing database keeps its own). */
#define STORE_PAGE_SIZE 16384
/* Bytes of WAL after which a commit checkpoints it (SQLite's default of
 * 1000 pages, as it was at 4 KiB pages; on_wal_commit in store.c). */
#define STORE_CHECKPOINT_BYTES (4 * 1024 * 1024)
/* Bytes of WAL above which a connection that does not checkpoint on
 * close (store_fetch_tune) checkpoints on close after all (store_close):
 * the next opener reads a WAL up to this long, about 16 pages, instead
 * of up to STORE_CHECKPOINT_BYTES; a cron poll that adds a page or two
 * pays for a checkpoint once in about eight runs. */
#define STORE_CLOSE_WAL_BYTES (256 * 1024)

/* The underlying connection, for modules that run their own queries
 * (borrowed; valid until store_close). */
sqlite3 *store_db(store *st);

/* A prepared statement for SQL, kept for the life of the store
 * (SQLITE_PREPARE_PERSISTENT): ingest runs the same few statements for
 * every message, and compiling them (with their triggers) was a tenth of
 * its instructions. SQL must be a string with static storage: its address
 * is the cache key. The statement comes back reset, bindings cleared; it
 * is owned by the store (never finalize it; sqlite3_reset it when done so
 * no read stays open). NULL when it does not compile (see
 * sqlite3_errmsg). */
sqlite3_stmt *store_stmt(store *st, const char *sql);

/* ST's originals kept as files (originals-priv.h) as the transaction
 * code of store.c sees them: the folder's descriptor (-1 until
 * originals.c opens it and hands it over with store_orig_dirfd_set; the
 * store closes it), and store_orig_added, which records a file the open
 * transaction wrote (taking NAME, g_malloc'd): store_commit syncs the
 * folder before its COMMIT, store_rollback and store_savepoint_rollback
 * remove the files written since. */
int store_orig_dirfd(store *st);
void store_orig_dirfd_set(store *st, int fd);
void store_orig_added(store *st, char *name);

/* The PostgreSQL connection of ST (borrowed; valid until store_close),
 * or NULL when ST is a SQLite store (pg-priv.h says how the backend's
 * pg-*.c files use it). */
pg_db *store_pg(store *st);

/* ST's keyer of the desk's sort keys (sort-key-priv.h), opened on the
 * first call and kept until store_close (borrowed): ICU's collator is
 * opened once per store, not once per stored message.  NULL when ICU
 * cannot open it, with the store's error set (report TL_SOFTWARE). */
sort_keyer *store_sort_keyer(store *st);

/* Note that ST added submission ID without its sort keys: store_close
 * makes them, for every submission from the lowest ID so noted up that
 * has none and every one above the newest key, in one short
 * transaction, after releasing SQLite's page cache and the heap's free
 * memory.  SQLite only: a fetch or import must not open ICU's collator
 * (2 MB of collation data) before the messages it parses, since peak
 * memory is the sum (issue 14's workload C). */
void store_sort_keys_later(store *st, gint64 id);

/* The desk's sort keys (sort-key-priv.h) for the submissions above the
 * newest key that have none, inside the caller's transaction: all of them
 * in an empty table (an upgrade, a copy from a queue without the table).
 * Errors as store_fail, in ST. */
tl_status store_sort_keys_fill(store *st);

/* The collator version sort_key's keys were last all made with (table
 * sort_key_collator; sort_keyer_version), into *version: 0 when none is
 * recorded or the table is missing.  TL_OK, or the store's error. */
tl_status store_sort_keys_version(store *st, guint32 *version);

/* Record in sort_key_collator that ICU library ICU (sort_key_icu_text,
 * or a label) with collator VERSION wrote the keys, inside the caller's
 * transaction; with REPLACE, as the only row (after the keys were all
 * made again; `tipline copy` gives its destination the source's newest
 * version, so that the destination remakes the keys when its own
 * collator is newer).  Errors as store_fail. */
tl_status store_sort_keys_record(store *st, const char *icu,
				 guint32 version, int replace);

/* The version of submission $1 (desk_expect in store.h): the id of its
 * newest decision row, 0 when none.  The actions are those of
 * audit_action_decides.  One text for both backends ($1 is a parameter
 * name SQLite accepts too); the audit_submission index serves it. */
#define DESK_VERSION_SQL "SELECT coalesce(max(id), 0) FROM audit WHERE " \
	"submission_id = $1 AND action IN ('approve', 'reject', 'spam', " \
	"'reopen')"
/* The status and the version of submission $1 in one statement (one
 * snapshot on both backends): desk_expect_load. */
#define DESK_EXPECT_SQL "SELECT status, (" DESK_VERSION_SQL ") FROM " \
	"submission WHERE id = $1"

#endif
