/* originals-priv.h - originals of 1 MiB or more kept as files of their own
 * beside a SQLite database (QUEUE.originals/), written once instead of
 * into the WAL and again into the database at the checkpoint
 * (docs/design.md, "Originals written once").  SQLite only: PostgreSQL
 * keeps every original in raw.
 *
 * The rules every function here keeps:
 *   - a file is written (renamed in or copied) and synced inside the write
 *     transaction that adds its original_file row, and the folder is
 *     synced before that transaction's COMMIT (store_commit, told by
 *     store_orig_added), so a committed row never names a file a power
 *     cut can take back;
 *   - files are opened under the safefile policy (util.h), relative to the
 *     folder's descriptor, which was opened without following a link;
 *   - a file no committed row names (a crash between its rename and the
 *     COMMIT) is an orphan: harmless, listed by doctor, and removed only
 *     while holding the write lock (orig_orphans_scrub), because every
 *     file is written inside a write transaction;
 *   - a file whose row goes (purge, a rewrite) is scrubbed only after the
 *     COMMIT that dropped its row (original_scrub, orig_scrub_pending).
 * Errors are reported in the store's error (store_errmsg). */
#ifndef TIPLINE_ORIGINALS_PRIV_H
#define TIPLINE_ORIGINALS_PRIV_H

#include "store.h"

/* Originals of at least this many bytes are kept as files: small mail
 * stays in SQLite, so a queue of a million short tips is not a million
 * files, and a file create costs what it saves below about this size.
 * TIPLINE_ORIGINAL_FILE_MIN lowers it in the test build (tests/31). */
#define ORIG_FILE_MIN (1024 * 1024)

/* The threshold in bytes (ORIG_FILE_MIN, or the test build's setting). */
gint64 orig_file_min(void);

/* Store the SIZE bytes of the file at PATH as submission ID's original
 * file, inside the open write transaction.  With TAKE the file is the
 * caller's scratch file (a spool file) and is renamed into the folder
 * when both are on one file system, else copied; *taken says whether
 * PATH still names the caller's file (FALSE) or is gone (TRUE: it must
 * not be given back to a spool pool).  Without TAKE it is copied.  The
 * row is added before the rename, so that a failure leaves PATH in
 * place.  TL_TEMPFAIL for a full disk or a failed sync, TL_NOPERM for a
 * link planted in the folder, TL_SOFTWARE for a file whose size is not
 * SIZE. */
tl_status orig_put_path(store *st, gint64 id, const char *path,
			gint64 size, gboolean take, gboolean *taken);

/* An original file being written piece by piece (copy, a rewrite). */
typedef struct orig_writer orig_writer;

/* A new file in the folder, for submission ID; *out is freed by
 * orig_writer_finish or orig_writer_abort.  Inside a write transaction. */
tl_status orig_writer_open(store *st, orig_writer **out);
/* Append N bytes of BUF. TL_TEMPFAIL when the disk is full. */
tl_status orig_writer_write(orig_writer *w, const void *buf, size_t n);
/* Sync the file, record it as submission ID's original (SIZE bytes, which
 * must be what was written) and free W, also on failure (then the file
 * is removed). */
tl_status orig_writer_finish(orig_writer *w, gint64 id);
/* Remove the file and free W (NULL: nothing). */
void orig_writer_abort(orig_writer *w);

/* The file name (newly allocated, g_free) and size of submission ID's
 * original file into *name and *size: TL_OK with *name NULL when it
 * keeps its original in raw rows (or on a database older than version
 * 4); else the store's error. */
tl_status orig_lookup(store *st, gint64 id, char **name, gint64 *size);

/* Feed submission ID's original file NAME through FN in 256 KiB pieces,
 * adding each to H and its length to *size, as store_raw_read does with
 * rows (which then checks hash and size).  TL_DATA when the file is
 * missing or refused (a planted link), with the store's error naming
 * it. */
tl_status orig_read(store *st, gint64 id, const char *name, store_raw_fn fn,
		    void *data, hash_content *h, gint64 *size);

/* Move submission ID's file (if any) from original_file to
 * original_scrub, inside the open transaction: it is scrubbed after the
 * COMMIT (orig_scrub_pending). */
tl_status orig_retire(store *st, gint64 id);

/* The SQL that retires the files of every submission in
 * temp.purge_ids (purge.c runs it before deleting the submissions). */
#define ORIG_RETIRE_PURGED_SQL \
	"INSERT OR IGNORE INTO original_scrub(name, since_utc) SELECT " \
	"name, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM original_file " \
	"WHERE submission_id IN (SELECT id FROM temp.purge_ids); " \
	"DELETE FROM original_file WHERE submission_id IN " \
	"(SELECT id FROM temp.purge_ids)"

/* Scrub every file original_scrub names: overwrite with zeros, sync,
 * unlink, sync the folder, then delete the rows, in a write transaction
 * of its own (not inside one).  *done (may be NULL) counts the files.
 * Used after purge's COMMIT and at the start of every purge, which so
 * finishes one a crash interrupted. */
tl_status orig_scrub_pending(store *st, gint64 *done);

/* Inside a write transaction (the lock held, so no writer is between a
 * rename and its COMMIT): scrub and remove every file of the folder that
 * neither original_file nor original_scrub names.  *done counts them. */
tl_status orig_orphans_scrub(store *st, gint64 *done);

/* The files of ST's folder that no row names (doctor, read-only): their
 * number, or -1 when the folder cannot be read (the store's error). */
gint64 orig_orphans_count(store *st);

/* The folder of database PATH's originals (newly allocated, g_free). */
char *orig_dir_path(const char *db_path);

/* Open the folder of database DB_PATH's originals read-only, refusing a
 * link in its place: the descriptor, or -1 with *errmsg (g_free) and
 * errno (ENOENT when there is none). */
int orig_dir_open(const char *db_path, char **errmsg);

/* Open NAME in folder DIRFD for reading under the safefile policy, for
 * database DB_PATH (owner check): the descriptor or -1 with *errmsg. */
int orig_file_open(int dirfd, const char *name, const char *db_path,
		   char **errmsg);

#endif
