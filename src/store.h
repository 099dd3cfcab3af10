/* store.h - the SQLite queue: schema, transactions, ingest-side writes.
 *
 * One store is one connection to one database file, opened in WAL mode
 * with a busy timeout. schema.sql is applied on open (versioned with
 * PRAGMA user_version). Nothing here prints or exits; failures come back
 * as a tl_status plus a message from store_errmsg().
 *
 * Busy handling: SQLITE_BUSY/SQLITE_LOCKED after the busy timeout map to
 * TL_TEMPFAIL (exit 75), so a fetch that waits for an editor's write
 * transaction gives up cleanly with nothing half-written.
 */
#ifndef TIPLINE_STORE_H
#define TIPLINE_STORE_H

#include <glib.h>
#include <sqlite3.h>

#include "message.h"
#include "status.h"

typedef struct store store;

typedef enum {
	STORE_READONLY = 0,	/* editors' read commands: never creates or
				 * changes a file, except that an empty file
				 * or an older schema is set up or upgraded
				 * first (as STORE_WRITE would) */
	STORE_READWRITE = 1,	/* fetch, import: creates the file (mode
				 * 0660) if missing */
	STORE_WRITE = 2,	/* other write commands: the file must exist
				 * (TL_NOINPUT otherwise) */
	STORE_INSPECT = 3,	/* doctor: read-only, never upgrades (see
				 * store_schema_version) */
} store_mode;

/* Where a message came from. Strings are borrowed for the call. */
typedef struct {
	const char *mailbox;	/* [mailbox NAME], or NULL for a file */
	gint64 uidvalidity;	/* when mailbox != NULL */
	gint64 uid;		/* when mailbox != NULL */
	const char *path;	/* imported file (or mbox/Maildir member) */
	const char *note;	/* NULL, or a warning from the container
				 * (the mbox splitter), added to the
				 * submission's warnings by ingest_file */
} store_source;

/* Open PATH. busy_timeout_ms bounds every wait for another writer.
 * On failure *errmsg is newly allocated (g_free) and names the path and
 * the cause: TL_NOINPUT when no file is there (only STORE_READWRITE
 * creates one, so a mistyped path never becomes an empty queue);
 * TL_NOPERM when this login may not read or write it or the file system
 * is mounted read-only; TL_TEMPFAIL when busy, when the disk is full, or
 * when another process is upgrading the schema; TL_DATA when the file is
 * damaged ("file is not a database"); TL_CONFIG when its folder is
 * missing (STORE_READWRITE). A read-only open of a WAL database whose
 * folder this login cannot write and that has no -wal file uses SQLite's
 * immutable=1 (nothing can be writing it that the reader could see);
 * otherwise mode=ro. *out is freed with store_close(). */
tl_status store_open(const char *path, store_mode mode, int busy_timeout_ms,
		     store **out, char **errmsg);

/* The schema version (PRAGMA user_version) a STORE_READONLY or
 * STORE_INSPECT open found; 0 for a read-write store. Compare with
 * store_schema_current(). */
int store_schema_version(store *st);

/* The schema version this tipline writes. */
int store_schema_current(void);

/* Was the store opened immutable (see store_open)? */
int store_is_immutable(store *st);

/* Close; NULL is allowed. Rolls back an open transaction. */
void store_close(store *st);

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

/* Note that submission ID was inserted in the open transaction and still
 * has to enter the full-text indexes; store_commit() adds every such
 * submission with one statement per index (FTS5 is several times cheaper
 * fed in batches than row by row from a trigger, which also flushed its
 * pending terms at every savepoint). */
void store_index_later(store *st, gint64 id);

/* The last error text of this store (borrowed; valid until the next call
 * on the store). */
const char *store_errmsg(store *st);

/* The path the store was opened with (borrowed). */
const char *store_path(store *st);

/* BEGIN IMMEDIATE: take the write lock now, waiting at most the busy
 * timeout (and saying so through DATABASE.waiters, see
 * store_writer_waiting). TL_TEMPFAIL when another writer holds it;
 * TL_NOPERM, with store_errmsg naming it, when DATABASE.waiters is a
 * planted link (safefile.h); a waiters file that cannot be opened for
 * another reason is done without. */
tl_status store_begin(store *st);

/* Is another process waiting for the write lock (in store_begin) right
 * now? For a long writer deciding whether to step aside after a commit.
 * 1 when it cannot tell. Costs two flock(2) calls. */
int store_writer_waiting(store *st);

/* COMMIT. durable != 0 makes this commit survive power loss (synchronous
 * FULL) before returning, as required before a destructive server action
 * (move, delete); otherwise WAL + synchronous NORMAL, which survives a
 * crash of tipline but not of the machine. */
tl_status store_commit(store *st, int durable);

/* ROLLBACK if a transaction is open; never fails visibly. */
void store_rollback(store *st);

/* Map the current SQLite error of st to a status and remember "WHAT:
 * text" as the store's error message, naming the real cause: busy ->
 * TL_TEMPFAIL; disk full (SQLITE_FULL, or ENOSPC behind an I/O error) ->
 * TL_TEMPFAIL "disk full"; other I/O errors -> TL_TEMPFAIL; a read-only
 * file system or a file this login may not write -> TL_NOPERM, saying
 * which; a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB) -> TL_DATA; else
 * TL_SOFTWARE. */
tl_status store_fail(store *st, const char *what);

/* Set the store's error message (printf format). */
void store_set_error(store *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The id of the submission whose content_hash is HASH, -1 when a message
 * with that hash was purged (it must not be queued again), or 0. */
gint64 store_find_by_hash(store *st, const char *hash);

/* Insert a submission, its attachments and forwards, and its raw bytes
 * streamed from RAW_PATH in chunks (memory does not grow with the size).
 * STATUS is the queue status (message_initial_status(), or "too_large");
 * ERROR the reason for quarantined/too_large or NULL. Writes an "ingest"
 * audit row. Must be inside store_begin/commit. On a content_hash
 * conflict nothing is written and *dup_of is set to the existing id
 * (and TL_OK returned, *id_out = 0). */
tl_status store_submission_insert(store *st, const msg_submission *sub,
				  const char *raw_path, gint64 raw_size,
				  const char *content_hash,
				  const store_source *src, const char *status,
				  const char *error, gint64 *id_out,
				  gint64 *dup_of);

/* Replace the parsed fields, attachments and forwards of submission ID
 * with SUB (after a parser fix), keeping its origin, arrival time and raw
 * bytes. STATUS/ERROR as for store_submission_insert. TL_DATA when there
 * is no such submission. Must be inside store_begin/commit. */
tl_status store_submission_reparse(store *st, gint64 id,
				   const msg_submission *sub,
				   const char *status, const char *error);

/* A consumer of an original's bytes, called in order with each chunk
 * (at most 256 KiB, borrowed for the call). Setting *enough asks for no
 * more bytes (the rest is still read, to check the hash); a status other
 * than TL_OK stops the read and is returned. */
typedef tl_status (*store_raw_fn)(const void *buf, size_t len, void *data,
				  int *enough);

/* Stream the original of submission ID through FN, in chunks (memory
 * does not grow with its size), and check it: every read of an original
 * goes through here, so that bytes changed on disk since it arrived never
 * pass unnoticed. The content hash (hash.h: CRLF folded to LF, trailing
 * newlines dropped; for a header-only too_large entry the salted form of
 * ingest_file) and the size recorded at ingest must match what was read:
 * otherwise TL_DATA, with store_errmsg "#ID: the stored original is
 * damaged: ...", after FN has seen the bytes. TL_DATA too when there is
 * no such submission. */
tl_status store_raw_read(store *st, gint64 id, store_raw_fn fn, void *data);

/* Replace the original of submission ID by LEN BYTES (tipline's own
 * rewrite, e.g. purge redacting a follow-up) and record their content
 * hash and size in raw_rewritten, so that later reads check the new
 * bytes; content_hash keeps naming the message as received. Must be
 * inside store_begin/commit. */
tl_status store_raw_replace(store *st, gint64 id, const void *bytes,
			    size_t len);

/* Write the raw bytes of submission ID to FD, byte-exact, in chunks,
 * checked as store_raw_read() does (TL_DATA when damaged, after writing;
 * TL_TEMPFAIL when the disk is full). */
tl_status store_raw_write(store *st, gint64 id, int fd);

/* Copy the raw bytes of submission ID into a new temporary file under
 * DIR (NULL: g_get_tmp_dir()), checked as store_raw_read() does (a
 * damaged original leaves no file: TL_DATA); *path_out is g_free'd by the
 * caller, who also unlinks the file. */
tl_status store_raw_to_tempfile(store *st, gint64 id, const char *dir,
				char **path_out);

/* Record a state change in the audit table (inside or outside a
 * transaction). submission_id 0 stores NULL. EDITOR, OLD, NEW and NOTE may
 * be NULL except EDITOR. */
tl_status store_audit(store *st, gint64 submission_id, const char *editor,
		      const char *action, const char *old_status,
		      const char *new_status, const char *note);

/* The current time as ISO 8601 UTC ("2026-11-29T14:00:00Z"); g_free. */
char *store_now_utc(void);

/* The login name of the person running tipline (for the audit log):
 * $TIPLINE_EDITOR, else the passwd name of the real uid, else "uid N".
 * Newly allocated (g_free). */
char *store_editor_name(void);

#endif
