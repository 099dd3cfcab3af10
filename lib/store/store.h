/* store.h - the queue in SQLite: write, read, desk queries, audit,
 * ledger, purge; the only public header of lib/store. It names no
 * SQLite type: the connection and prepared statements stay inside
 * lib/store (store-priv.h), so a second backend replaces lib/store only.
 *
 * Sections, one per module: store, store-guard, store-lock, store-server,
 * store-check, store-seen, ledger, desk, audit, detail, store-redo,
 * store-stats, store-backup, purge, copy, store-preview.
 */
#ifndef TIPLINE_STORE_H
#define TIPLINE_STORE_H

#include <glib.h>
#include <sys/types.h>

#include "util.h"
#include "media.h"
#include "message.h"

/* ==== queue status ==== */

/* Queue statuses (schema.sql CHECK).  Strings only at the SQL, JSON and
 * command-line edges, through queue_status_name/queue_status_parse. */
typedef enum {
	QUEUE_NEW = 0,
	QUEUE_APPROVED,
	QUEUE_REJECTED,
	QUEUE_SPAM,
	QUEUE_AUTO_REPLY,
	QUEUE_BOUNCE,
	QUEUE_QUARANTINED,
	QUEUE_TOO_LARGE,
	QUEUE_N_STATUSES,
	QUEUE_INVALID = -1
} queue_status;

/* "new", "approved", ... as in the database and JSON (static storage);
 * NULL for an invalid value. */
const char *queue_status_name(queue_status s);

/* The status named NAME (exact, lower case), or QUEUE_INVALID (also for
 * NULL). */
queue_status queue_status_parse(const char *name);

/* A GArray of queue_status as its names joined by commas ("rejected,
 * spam" without the space), as --status takes them and the purge audit
 * row records them.  New string (g_free). */
char *queue_status_list_name(const GArray *statuses);

/* ==== store ==== */

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
	gboolean *taken;	/* NULL: the raw file is the caller's and is
				 * only read.  Else it is the caller's
				 * scratch file (a spool file), which a
				 * SQLite store may rename into the
				 * database's originals folder (originals
				 * of 1 MiB or more); then *taken is set
				 * TRUE, the name no longer exists, and the
				 * caller must not give it back to a spool
				 * pool (spool_pool_give) nor use it again */
} store_source;

/* Open PATH: a SQLite file, or a PostgreSQL database when PATH is a
 * postgresql:// URL (store_is_url; issue 13).  PASSFILE: libpq's
 * password file for a URL ([store] passfile; NULL: libpq's default),
 * checked like password_file (mode 0600, no link); ignored for a file.
 * On PostgreSQL the modes keep their meaning; an empty database is
 * TL_NOINPUT except for STORE_READWRITE, which creates the schema.
 * busy_timeout_ms bounds every wait for another writer (PostgreSQL:
 * lock_timeout).
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
tl_status store_open(const char *path, const char *passfile,
		     store_mode mode, int busy_timeout_ms, store **out,
		     char **errmsg);

/* Does DATABASE (the [store] database setting) name a PostgreSQL
 * database (a postgresql:// or postgres:// URL, libpq's URI syntax)
 * rather than a SQLite file?  NULL is FALSE. */
gboolean store_is_url(const char *database);

/* The schema version (PRAGMA user_version) a STORE_READONLY or
 * STORE_INSPECT open found; 0 for a read-write store. Compare with
 * store_schema_current(). */
int store_schema_version(store *st);

/* The schema version this tipline writes. */
int store_schema_current(void);

/* Was the store opened immutable (see store_open)? */
int store_is_immutable(store *st);

/* Close; NULL is allowed. Rolls back an open transaction.  On SQLite a
 * connection that added submissions then makes their sort keys, in one
 * short transaction (best effort, as the checkpoint on close: what is
 * left the next read-write open makes, and the desk collates until
 * then). */
void store_close(store *st);

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
 * planted link (util.h); a waiters file that cannot be opened for
 * another reason is done without. */
tl_status store_begin(store *st);

/* Is another process waiting for the write lock (in store_begin) right
 * now? For a long writer deciding whether to step aside after a commit.
 * 1 when it cannot tell. Costs two flock(2) calls. */
int store_writer_waiting(store *st);

/* COMMIT. durable != 0 makes this commit survive power loss (synchronous
 * FULL) before returning, as required before a destructive server action
 * (move, delete); otherwise WAL + synchronous NORMAL, which survives a
 * crash of tipline but not of the machine. On PostgreSQL a connection
 * lost during COMMIT fails with TL_TEMPFAIL and a message saying that
 * whether the commit landed is not known: treat it as not committed
 * (no destructive action), and let the next run find what is there. */
tl_status store_commit(store *st, int durable);

/* ROLLBACK if a transaction is open; never fails visibly. */
void store_rollback(store *st);

/* A savepoint inside the open transaction (store_begin), so that one
 * message that fails halfway is undone alone, not with its whole batch.
 * One level: store_savepoint() marks, store_savepoint_release() keeps
 * what was written since (it stays part of the open transaction, which
 * still has to commit), store_savepoint_rollback() undoes it and leaves
 * the mark in place (release it afterwards). Release and rollback are
 * SQLite's RELEASE and ROLLBACK TO; a rollback of the enclosing
 * transaction drops the mark too. store_savepoint() and
 * store_savepoint_release() return a status from store_fail()
 * ("savepoint", "release"), the detail in store_errmsg();
 * store_savepoint_rollback() never fails visibly (a failed ROLLBACK TO
 * leaves the transaction for the caller's store_rollback). */
tl_status store_savepoint(store *st);
tl_status store_savepoint_release(store *st);
void store_savepoint_rollback(store *st);

/* Tune the connection of a long-running writer that may run often, like
 * the cron fetch: do not checkpoint the WAL on close while it is short
 * (that costs three fsyncs even after a poll that only noted its time;
 * commits still checkpoint every 4 MiB of WAL, and commits that must be
 * durable sync the WAL themselves, see store_commit), but do once it is
 * longer than 256 KiB, which the next opener would read whole to rebuild
 * SQLite's index of it (store_close); and truncate a WAL that once held
 * a big message back to 4 MiB (journal_size_limit).
 * Best effort: a setting SQLite refuses is left at its default. */
void store_fetch_tune(store *st);

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
 * streamed from RAW_PATH in chunks (memory does not grow with the size);
 * on SQLite an original of 1 MiB or more becomes a file in the
 * database's originals folder instead (SRC->taken says whether
 * RAW_PATH was moved there), synced before store_commit's COMMIT.
 * STATUS is the queue status (ingest_queue_status() of the parser's
 * class, or QUEUE_TOO_LARGE); ERROR the reason for quarantined/
 * too_large or NULL.  Writes an "ingest" audit row.  Must be inside
 * store_begin/commit.  On SQLite the desk's sort keys of what a
 * connection added are made when it closes (store_close; issue 14's
 * memory), on PostgreSQL here.  On a content_hash conflict nothing is written
 * and *dup_of is set to the existing id (and TL_OK returned, *id_out =
 * 0). */
tl_status store_submission_insert(store *st, const msg_submission *sub,
				  const char *raw_path, gint64 raw_size,
				  const char *content_hash,
				  const store_source *src,
				  queue_status status, const char *error,
				  gint64 *id_out, gint64 *dup_of);

/* Replace the parsed fields, attachments and forwards of submission ID
 * with SUB (after a parser fix), keeping its origin, arrival time and raw
 * bytes. STATUS/ERROR as for store_submission_insert. TL_DATA when there
 * is no such submission. Must be inside store_begin/commit. */
tl_status store_submission_reparse(store *st, gint64 id,
				   const msg_submission *sub,
				   queue_status status, const char *error);

/* A consumer of an original's bytes, called in order with each chunk
 * (at most 256 KiB, borrowed for the call). Setting *enough asks for no
 * more bytes (the rest is still read, to check the hash); a status other
 * than TL_OK stops the read and is returned. */
typedef tl_status (*store_raw_fn)(const void *buf, size_t len, void *data,
				  int *enough);

/* Stream the original of submission ID through FN, in chunks (memory
 * does not grow with its size), and check it: every read of an original
 * goes through here, so that bytes changed on disk since it arrived never
 * pass unnoticed. The content hash (util.h: CRLF folded to LF, trailing
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

/* What an audit row records (the audit table's action column).  Strings
 * only at the SQL, JSON and command-line edges, through
 * audit_action_name/audit_action_parse. */
typedef enum {
	AUDIT_INGEST = 0,
	AUDIT_APPROVE,
	AUDIT_REJECT,
	AUDIT_SPAM,
	AUDIT_REOPEN,
	AUDIT_EXPORT,
	AUDIT_REPARSE,
	AUDIT_REFETCH,
	AUDIT_PURGE,
	AUDIT_N_ACTIONS,
	AUDIT_INVALID = -1
} audit_action;

/* "ingest", "approve", ... as in the database and JSON (static
 * storage); NULL for an invalid value. */
const char *audit_action_name(audit_action a);

/* The action named NAME (exact, lower case), or AUDIT_INVALID (also for
 * NULL and for a name this version does not know). */
audit_action audit_action_parse(const char *name);

/* TRUE for the actions that are an editor's decision and may change a
 * submission's status (approve, reject, spam, reopen): the rows that
 * make a submission's version (desk_expect). */
gboolean audit_action_decides(audit_action a);

/* Record a state change in the audit table (inside or outside a
 * transaction). submission_id 0 stores NULL. OLD, NEW and NOTE may be
 * NULL; EDITOR may not.  TL_SOFTWARE for an invalid ACTION. */
tl_status store_audit(store *st, gint64 submission_id, const char *editor,
		      audit_action action, const char *old_status,
		      const char *new_status, const char *note);

/* The current time as ISO 8601 UTC ("2026-11-29T14:00:00Z"); g_free. */
char *store_now_utc(void);

/* The login name of the person running tipline (for the audit log):
 * $TIPLINE_EDITOR, else the passwd name of the real uid, else "uid N".
 * Newly allocated (g_free). */
char *store_editor_name(void);

/* ==== store-guard ==== */

/* store-guard.c - is the database this process writes still the one at
 * its configured path? (issue 9 section 3)
 *
 * An admin who restores a backup (mv backup.db tipline.db) or removes the
 * database while a fetch runs leaves the fetch committing into a file no
 * one will ever open again: SQLite keeps writing through its open
 * descriptor and every commit "succeeds". Before fetch destroys the
 * server's copy of a message (after_fetch move or delete; seen and flag
 * too), it proves with store_guard_check() that the commit holding the
 * message landed in the database at the path.
 */

/* The file at a store's path when it was opened.  On PostgreSQL (issue
 * 13) the database at the URL instead: dev holds the database's OID and
 * ino the server's system identifier (pg_control_system()), so a
 * database dropped and created again, or another server at the URL, is
 * told from the one written (pg-guard-priv.h). */
typedef struct {
	dev_t dev;
	ino_t ino;
	int known;		/* 0: store_guard_take() was not called */
} store_guard;

/* Remember which file is at store_path(ST); call right after
 * store_open(), before anything is committed (the window between the
 * open and the stat is what the row check of store_guard_check() also
 * covers). TL_TEMPFAIL when the path cannot be examined, with *errmsg
 * (g_free) naming it. */
tl_status store_guard_take(store *st, store_guard *g, char **errmsg);

/* Prove that the ledger rows of the N UIDS of MAILBOX under UIDVALIDITY
 * are in the database at store_path(ST): the path still names the file
 * recorded by store_guard_take() (st_dev and st_ino), and a new read-only
 * SQLite connection opened through the path (so it also sees the -wal
 * file now at the path, not the one this process has open) finds a
 * ledger row for every one of them. Call with no transaction open.
 * TL_OK when proven; TL_TEMPFAIL with *errmsg (g_free) saying what moved
 * otherwise; a G with known = 0 checks only the rows. Costs one stat(),
 * one new SQLite connection and N indexed lookups (about 1 ms for 200).
 * On PostgreSQL the same proof through a new connection made with the
 * store's own parameters (as the next run connects): the server and
 * database are the ones recorded, and one query finds the N rows; with N
 * 0 and G known, the identity alone. */
tl_status store_guard_check(store *st, const store_guard *g,
			    const char *mailbox, guint32 uidvalidity,
			    const guint32 *uids, size_t n, char **errmsg);

/* ==== store-lock ==== */

/* store-lock.c - one fetcher per mailbox (issue 13).
 *
 * On SQLite, fetch's DATABASE.lock (fetch_lock_take, app.h) keeps every
 * other fetch off the whole file, so these functions grant every mailbox
 * and hold nothing.  On PostgreSQL fetchers on several hosts share one
 * database and each mailbox is claimed with a session-level advisory
 * lock, pg_try_advisory_lock(K1, K2): K1 a tipline constant, K2 a 32-bit
 * FNV-1a hash of the [mailbox NAME] computed in C (the same on every
 * host and server version; two names with the same hash only take turns).
 * A mailbox another process holds is skipped, never waited for.  The lock
 * belongs to the connection: released by store_mailbox_unlock, by
 * store_close, and by the server when the connection is lost.  Neither
 * libpq nor the store reconnects behind the caller's back, so a lost
 * connection fails every later statement; store_mailbox_lock_check proves
 * the lock is still held before an action on the mail server.
 */

/* Claim MAILBOX for this process: *held 1 when it is ours (always on
 * SQLite), 0 when another process holds it.  TL_TEMPFAIL when the
 * database cannot be reached (store_errmsg says why). */
tl_status store_mailbox_lock_try(store *st, const char *mailbox, int *held);

/* Does this process still hold MAILBOX (one round trip on PostgreSQL;
 * TL_OK at once on SQLite)?  TL_TEMPFAIL with store_errmsg naming the
 * mailbox when the lock or the connection was lost. */
tl_status store_mailbox_lock_check(store *st, const char *mailbox);

/* Let MAILBOX go (a no-op on SQLite and on a lost connection). */
void store_mailbox_unlock(store *st, const char *mailbox);

/* Which other process holds MAILBOX now, for doctor: *who (g_free) names
 * the server process, the client's application name and address and
 * since when, or NULL when none (always NULL on SQLite).  Reads pg_locks
 * only: it never takes the lock, so it never makes a fetch skip. */
tl_status store_mailbox_lock_holder(store *st, const char *mailbox,
				    char **who);

/* ==== store-server ==== */

/* store-server.c - the database as messages name it, and what doctor
 * shows of a PostgreSQL server. */

/* DATABASE (the [store] database setting) as every message shows it: a
 * path as it is; a postgresql:// URL as "postgresql://USER@HOST:PORT/DB"
 * without its parameters (so never a password, a passfile or a key
 * path); a URL that does not parse as "the postgresql:// URL of [store]
 * database".  NULL gives "(none)".  New string (g_free). */
char *store_database_display(const char *database);

/* What doctor reports of a PostgreSQL store (strings g_free'd by
 * store_server_info_clear). */
typedef struct {
	char *display;		/* store_database_display of the URL */
	char *server_version;	/* server_version, e.g. "15.5" */
	char *tls;		/* "TLSv1.3, TLS_AES_256_GCM_SHA384", or
				 * NULL when the connection is not
				 * encrypted */
	char *sslmode;		/* the sslmode libpq used */
	char *encoding;		/* server_encoding of the database */
	char *lc_ctype;		/* the database's LC_CTYPE */
	int standby;		/* pg_is_in_recovery(): a hot standby, which
				 * fetch and decisions cannot write */
	int can_write;		/* this role may write the queue: INSERT on
				 * submission, ledger, audit and UPDATE on
				 * mailbox_state (CREATE on the database
				 * while there is no queue yet), and the
				 * session is not read-only */
} store_server_info;

/* Fill *out for the PostgreSQL store ST (read-only statements; works on
 * a standby).  TL_OK; TL_SOFTWARE on a SQLite store; other errors as
 * the statements' (store_errmsg). */
tl_status store_server_info_get(store *st, store_server_info *out);
void store_server_info_clear(store_server_info *info);

/* ==== store-check ==== */

/* store-check.c - is the store sound, and can the next fetch use it?
 *
 * For `tipline doctor` and monitoring: SQLite's own integrity check
 * bounded in time, and the local things a fetch needs (the database's
 * folder, the database file, its lock file, the spool folder), each tried
 * as the login that runs the check, without creating or changing
 * anything. Nothing here prints; each check returns a status and a
 * message naming the object and, on failure, the fix.
 */

/* What store_integrity_check() found. */
typedef struct {
	int finished;		/* 0 when the deadline cut it short */
	int problems;		/* lines of trouble found (at most 10) */
	char *first;		/* the first of them, or NULL (g_free) */
	gint64 elapsed_ms;	/* time spent */
} store_integrity;

/* Run PRAGMA quick_check (SQLite's check of every page, b-tree, record
 * and NOT NULL/CHECK constraint, without comparing index contents with
 * their tables: O(N), as against integrity_check's O(N log N)), or
 * integrity_check when FULL, for at most MAX_MS milliseconds: a progress
 * handler interrupts it at the deadline, which is reported as not
 * finished rather than as a failure. TL_OK when it finished clean or was
 * cut short; TL_DATA when it found damage (res->first says where);
 * otherwise the store's error (store_errmsg). Free res->first with
 * store_integrity_clear().
 * On PostgreSQL (whose pages the server checks itself) it checks what the
 * server does not refuse: constraints left NOT VALID, invalid indexes,
 * disabled triggers, originals whose chunks are missing or out of
 * sequence, and every original against its content hash and size
 * (store_raw_read), oldest first, until the deadline; FULL changes
 * nothing.  A database without a tipline schema yet is TL_OK, finished. */
tl_status store_integrity_check(store *st, int full, gint64 max_ms,
				store_integrity *res);
void store_integrity_clear(store_integrity *res);

/* What store_originals_check found of the originals kept as files
 * (SQLite: QUEUE.originals/, one file per original of 1 MiB or more). */
typedef struct {
	gint64 files;		/* original_file rows */
	gint64 missing;		/* rows whose file is gone or refused (a
				 * link planted in its place) */
	gint64 wrong_size;	/* rows whose file has another size */
	gint64 orphans;		/* files no row names: a crash between a
				 * file's rename and its COMMIT; harmless,
				 * removed by the next purge */
	gint64 scrub_pending;	/* files of purged originals a purge cut
				 * short has still to scrub (the next purge
				 * does) */
	char *first;		/* the first problem (missing or wrong size),
				 * or NULL (g_free via
				 * store_originals_clear) */
} store_originals;

/* Check every original_file row of ST: its file is there, a plain file
 * (not a planted link), of its recorded size; count the orphans and the
 * scrubs still to do.  Read-only (doctor); contents are checked against
 * their hash by every read (store_raw_read), not here.  TL_OK with *out
 * filled (all zero on PostgreSQL and on a queue older than version 4);
 * TL_NOPERM when the folder is refused; else the store's error. */
tl_status store_originals_check(store *st, store_originals *out);
void store_originals_clear(store_originals *out);

/* The desk's sort keys (table sort_key: ICU "vi" keys that tipline makes
 * when it writes a sender, so that sender and given-name sorts of the
 * whole queue walk an index), as store_sort_keys_check found them. */
typedef struct {
	int table;		/* 0: no sort_key table yet (an older queue
				 * opened read-only; the next read-write open
				 * makes it and every key) */
	gint64 missing;		/* submissions without keys: an older tipline
				 * wrote them while this one ran; the sorts
				 * of the whole queue leave them out */
	gint64 pending;		/* SQLite: the submissions above the newest
				 * key (not in missing), whose keys the fetch
				 * or import that stored them makes when it
				 * closes, or the next read-write open after
				 * one that was stopped; the desk collates the
				 * sorts until then, leaving none out */
	guint32 made;		/* the ICU collator version (ucol_getVersion,
				 * four bytes as one number) the keys were
				 * all last made with; 0: not recorded */
	guint32 here;		/* this tipline's collator version: a newer
				 * one than made remakes every key at the
				 * next read-write open */
} store_sort_keys;

/* Fill *out (read-only statements: one count over every submission, so
 * a second or so at 1,000,000).  TL_OK; TL_SOFTWARE when ICU's "vi"
 * collator cannot be opened; otherwise the store's error (store_errmsg). */
tl_status store_sort_keys_check(store *st, store_sort_keys *out);

/* Make the keys of every submission that has none, in one transaction
 * (one pass over the queue); *added how many.  TL_OK, or the store's
 * error, nothing changed. */
tl_status store_sort_keys_mend(store *st, gint64 *added);

/* A collator version of store_sort_keys as ICU writes it ("153.120";
 * g_free). */
char *store_collator_version_text(guint32 version);

/* Can the next fetch, run by this login, open or create the database at
 * PATH? Its folder must exist and be writable (SQLite creates -wal and
 * -shm there, fetch its .lock), not on a read-only file system nor full,
 * and an existing database, -wal and -shm readable and writable. A
 * database not created yet is fine when the folder is. *msg (g_free)
 * says what was found: on TL_OK a short description ("not created yet:
 * the first fetch creates it"), otherwise the problem and its fix.
 * TL_CONFIG for a missing folder, TL_NOPERM for a refused or read-only
 * one, TL_TEMPFAIL for a full disk.  A PostgreSQL URL (store_is_url) is
 * no file: TL_OK, *msg says so. */
tl_status store_preflight_database(const char *path, char **msg);

/* Can the next fetch spool messages in DIR (spool_dir, or NULL for the
 * temporary folder fetch uses then)? It must be a writable folder, or
 * missing with a writable parent (fetch creates it). Statuses and *msg
 * as store_preflight_database. */
tl_status store_preflight_spool(const char *dir, char **msg);

/* Can the next fetch take DATABASE.lock? Tries flock(LOCK_EX|LOCK_NB)
 * on the existing file (opened read-only, never created, no symlink
 * followed) and lets it go at once; a fetch running now holding it is
 * fine (TL_OK, *msg says so). A lock file this login may not open for
 * writing, or a symlink or other non-regular file there, is TL_NOPERM
 * with the fix named. A missing file is fine (the folder's check covers
 * creating it). A PostgreSQL URL has no lock file (fetches take an
 * advisory lock per mailbox): TL_OK, *msg says so. */
tl_status store_preflight_lock(const char *database, char **msg);

/* ==== store-seen ==== */

/* store-seen.c - what each editor has seen (issue 10): the rows of the
 * seen table behind `list --unseen`.
 *
 * One function marks, so that every face of the desk (show on a terminal
 * now, a browser page later) records "shown to this editor" the same
 * way.  Nothing here prints or exits.
 */

/* Record that EDITOR has seen the N submissions IDS (or, when ALL, every
 * submission in the store) now, in one write transaction (store_begin, so
 * a running fetch steps aside).  A submission seen before keeps its first
 * time.  Ids with no submission are skipped: FOUND (N entries, caller's,
 * may be NULL) says which existed; *marked (may be NULL) gets how many
 * rows were new.  ST must be open read-write.  TL_TEMPFAIL when the
 * database stayed busy (nothing marked); other failures TL_SOFTWARE; the
 * text is in store_errmsg(ST). */
tl_status store_seen_mark(store *st, const char *editor, const gint64 *ids,
			  guint n, gboolean all, gboolean *found,
			  guint *marked);

/* ==== ledger ==== */

/* ledger.c - the fetch's memory in SQLite: mailbox_state (where the last
 * fetch of each [mailbox NAME] stopped, and how it ended) and ledger (one
 * outcome for every (mailbox, UIDVALIDITY, UID) ever seen). See schema.sql
 * and app.h for the invariants they keep.
 *
 * Every function returns a tl_status from store_fail() (TL_TEMPFAIL for a
 * busy or full database) with the detail in store_errmsg(st). Functions
 * that write must be called inside store_begin()/store_commit() unless
 * their comment says otherwise.
 */

/* What became of one fetched or imported message: ledger.outcome in
 * schema.sql, and ingest's result. Strings only at the SQL, JSON and
 * command-line edges, through ledger_outcome_name/ledger_outcome_parse. */
typedef enum {
	LEDGER_OUTCOME_STORED,		/* "stored": queued as new */
	LEDGER_OUTCOME_DUPLICATE,	/* "duplicate": same content hash as a
					 * queued (or purged) submission */
	LEDGER_OUTCOME_QUARANTINED,	/* "quarantined" */
	LEDGER_OUTCOME_AUTO_REPLY,	/* "auto_reply" */
	LEDGER_OUTCOME_BOUNCE,		/* "bounce" */
	LEDGER_OUTCOME_SPAM,		/* "spam" */
	LEDGER_OUTCOME_TOO_LARGE,	/* "too_large": header only */
} ledger_outcome;

/* The string of O as stored in ledger.outcome (static); "stored" for a
 * value outside the enum. */
const char *ledger_outcome_name(ledger_outcome o);

/* The outcome named NAME (as ledger_outcome_name gives it) in *out:
 * TRUE, or FALSE (*out untouched) for NULL or any other string. */
gboolean ledger_outcome_parse(const char *name, ledger_outcome *out);

/* ledger.action_done values. */
#define LEDGER_ACTION_PENDING 0	/* stored; after_fetch not yet applied */
#define LEDGER_ACTION_DONE 1	/* applied (or none was configured) */
#define LEDGER_ACTION_VOID 2	/* UIDVALIDITY changed before it could be
				 * applied: the UID names another message */
#define LEDGER_ACTION_GONE 4	/* a too_large message removed from the
				 * server before it could be fetched whole:
				 * nothing left to complete or act on */
#define LEDGER_ACTION_KEPT 3	/* deliberately not applied: only the header
				 * of a message over max_message_size was
				 * stored, so move/delete would destroy the
				 * only full copy */

/* One mailbox_state row. Strings are newly allocated (ledger_state_clear). */
typedef struct {
	int exists;		/* 0: never fetched (other fields 0/NULL) */
	guint32 uidvalidity;
	guint32 last_uid;
	guint32 start_uid;	/* 0 when start = all */
	char *last_success_utc;
	char *last_error;
	char *last_error_utc;
} ledger_state;

/* Read the row of MAILBOX (works on a read-only store). A missing row is
 * TL_OK with exists = 0. */
tl_status ledger_state_load(store *st, const char *mailbox,
			    ledger_state *out);

/* Free the strings of S and zero it. */
void ledger_state_clear(ledger_state *s);

/* Set uidvalidity and last_uid of MAILBOX, creating the row. START_UID > 0
 * also records the starting UID (start = now). */
tl_status ledger_state_save(store *st, const char *mailbox,
			    guint32 uidvalidity, guint32 last_uid,
			    guint32 start_uid);

/* Record the end of a fetch: ERROR NULL sets last_success_utc, else
 * last_error and last_error_utc. Runs in its own (autocommit) statement. */
tl_status ledger_state_result(store *st, const char *mailbox,
			      const char *error);

/* Insert the ledger row of one UID. SUBMISSION_ID 0 stores NULL; SIZE is
 * RFC822.SIZE. A row that exists already is a TL_SOFTWARE error (the
 * watermark logic must never offer a UID twice). */
tl_status ledger_insert(store *st, const char *mailbox, guint32 uidvalidity,
			guint32 uid, ledger_outcome outcome,
			gint64 submission_id, gint64 size, int action_done);

/* A ledger row of a message queued header-only (outcome too_large). */
typedef struct {
	guint32 uid;
	gint64 submission_id;	/* the header-only entry; 0 if none */
} ledger_too_large;

/* Append to OUT (a GArray of ledger_too_large), in no particular order,
 * the rows of MAILBOX under UIDVALIDITY whose outcome is too_large, whose
 * RFC822.SIZE is at most MAX_SIZE bytes (<= 0: any size) and whose
 * action_done is not LEDGER_ACTION_GONE: what a raised max_message_size
 * lets the fetch complete. Served by the partial index ledger_too_large
 * (every cron poll asks). Works on a read-only store. */
tl_status ledger_too_large_list(store *st, const char *mailbox,
				guint32 uidvalidity, gint64 max_size,
				GArray *out);

/* Rewrite the row of a too_large UID whose full message is now ingested:
 * OUTCOME, SUBMISSION_ID (0 stores NULL) and ACTION_DONE. */
tl_status ledger_refetch_record(store *st, const char *mailbox,
				guint32 uidvalidity, guint32 uid,
				ledger_outcome outcome, gint64 submission_id,
				int action_done);

/* Append to UIDS (GArray of guint32), ascending, the UIDs of MAILBOX under
 * UIDVALIDITY whose action_done is LEDGER_ACTION_PENDING. */
tl_status ledger_pending(store *st, const char *mailbox, guint32 uidvalidity,
			 GArray *uids);

/* Set action_done = VALUE for the N UIDS. */
tl_status ledger_mark(store *st, const char *mailbox, guint32 uidvalidity,
		      const guint32 *uids, size_t n, int value);

/* Set every pending row of MAILBOX whose UIDVALIDITY is not UIDVALIDITY to
 * LEDGER_ACTION_VOID; *n_out (may be NULL) gets how many. */
tl_status ledger_void_other(store *st, const char *mailbox,
			    guint32 uidvalidity, int *n_out);

/* Add to SET (a GHashTable made with g_direct_hash, keys
 * GUINT_TO_POINTER(uid)) the UIDs above AFTER that already have a row. */
tl_status ledger_uids_after(store *st, const char *mailbox,
			    guint32 uidvalidity, guint32 after,
			    GHashTable *set);

/* fetch_failure.state: one to/from-string pair (schema.sql). */
typedef enum {
	LEDGER_FAIL_FAILING = 0,	/* transfer died, will be retried */
	LEDGER_FAIL_UNFETCHABLE,	/* given up: placeholder queued */
	LEDGER_FAIL_REFUSED,	/* uid 0: after_fetch refused by the server */
} ledger_fail_state;

const char *ledger_fail_state_name(ledger_fail_state s);
/* -1 for an unknown name. */
int ledger_fail_state_parse(const char *name);

/* One fetch_failure row; strings newly allocated (ledger_fail_clear). */
typedef struct {
	char *mailbox;
	guint32 uidvalidity, uid;
	ledger_fail_state state;
	int runs;
	gint64 size;
	char *first_utc, *last_utc, *error;
	gint64 submission_id;
	char *submission_status;	/* of the placeholder, NULL if none */
} ledger_fail;

void ledger_fail_free(ledger_fail *f);

/* Record that UID of MAILBOX failed in run RUN_ID with ERROR (a new row in
 * STATE, or one more run for an existing one: `runs` grows once per run
 * id). *runs_out gets the runs counted so far. Autocommit when no
 * transaction is open. */
tl_status ledger_fail_note(store *st, const char *mailbox,
			   guint32 uidvalidity, guint32 uid,
			   ledger_fail_state state, gint64 run_id,
			   gint64 size, const char *error, int *runs_out);

/* Set the state and placeholder of an existing row (inside the
 * transaction that queues the placeholder). */
tl_status ledger_fail_give_up(store *st, const char *mailbox,
			      guint32 uidvalidity, guint32 uid,
			      gint64 submission_id);

/* Delete the row of UID (0: the mailbox's 'refused' row) unless it is
 * 'unfetchable'; no row is no error. */
tl_status ledger_fail_forget(store *st, const char *mailbox,
			     guint32 uidvalidity, guint32 uid);

/* Add to SET (g_direct_hash, GUINT_TO_POINTER(uid) ->
 * GINT_TO_POINTER(runs)) the 'failing' UIDs of MAILBOX under
 * UIDVALIDITY. */
tl_status ledger_fail_failing(store *st, const char *mailbox,
			      guint32 uidvalidity, GHashTable *set);

/* Append to OUT (GPtrArray of ledger_fail *, free func set by the
 * caller to ledger_fail_free) every 'unfetchable' and 'refused' row of
 * MAILBOX, UID order. Works on a read-only store; a database made before
 * the table existed gives no rows. */
tl_status ledger_fail_list(store *st, const char *mailbox, GPtrArray *out);

/* ==== desk ==== */

/* desk.c - the editors' queries over the store: list with filters and
 * sorting, full-text search, threads of follow-ups, and decisions.
 *
 * Nothing here prints or exits.  Every function takes an open store and
 * returns a tl_status with detail in a caller-freed *errmsg (g_free).
 *
 * Vietnamese specifics (see docs/json-schema.md and tipline(1)):
 * - sorting by sender uses ICU's "vi" collation (CLDR order: a < ă < â,
 *   d < đ, o < ô < ơ, u < ư, tones secondary), as sort keys tipline
 *   stores with each submission (table sort_key), names ICU calls equal
 *   then by their bytes; a SQLite queue not yet upgraded to the table is
 *   sorted with the collation registered on the connection as COLLATE VI
 *   by desk_connection_setup();
 * - search parses the user's text with query-priv.h (all words in any order,
 *   "phrases", -exclusions, OR; every term written out as an FTS5 string,
 *   so no input is ever an FTS5 syntax error), matches it against the
 *   folded FTS5 table (unicode61 remove_diacritics 2 plus đ/Đ -> d, which
 *   Unicode does not decompose), and ranks the words together first, then
 *   rows whose exact-diacritic text (search_exact) also matches, then by
 *   bm25.
 */


/* The editors' decisions on the desk (desk_decide, the approve/reject/
 * spam/reopen commands and their audit rows). */
typedef enum {
	DESK_APPROVE = 0,
	DESK_REJECT,
	DESK_SPAM,
	DESK_REOPEN,
	DESK_INVALID_ACTION = -1
} desk_action;

/* "approve", "reject", "spam", "reopen" (static storage: the command
 * names and the audit log's action); NULL for an invalid value. */
const char *desk_action_name(desk_action a);

/* The action named NAME, or DESK_INVALID_ACTION (also for NULL). */
desk_action desk_action_parse(const char *name);

/* The status ACTION leads to (QUEUE_APPROVED, ...), QUEUE_INVALID for
 * an invalid action. */
queue_status desk_action_status(desk_action a);

/* The audit action that records ACTION (AUDIT_APPROVE, ...),
 * AUDIT_INVALID for an invalid action. */
audit_action desk_action_audit(desk_action a);

/* Bits of desk_filter.has: what a submission must carry (every bit set
 * must hold).  PHOTO and VIDEO: an attachment whose declared type is
 * image/... or video/... and whose bytes tipline reads as a photo or a
 * video (it has an attachment_media row: a file merely named .jpg does
 * not count); GPS: a position in a photo (submission.has_gps); DANGER: a
 * dangerous attachment (attachment.danger).  In desk_list with threads
 * folded, a root also matches a bit when one of its follow-ups does (as
 * its badges show the whole thread); in desk_search each row by itself. */
#define DESK_HAS_PHOTO	(1u << 0)
#define DESK_HAS_VIDEO	(1u << 1)
#define DESK_HAS_GPS	(1u << 2)
#define DESK_HAS_DANGER	(1u << 3)

/* The DESK_HAS_ bit named NAME ("photo", "video", "gps", "danger"), or 0
 * for another name or NULL. */
unsigned desk_has_parse(const char *name);

typedef enum {
	DESK_SORT_DATE = 0,	/* newest first (by Date, else arrival) */
	DESK_SORT_SENDER,	/* display name (else address), ICU "vi" */
	DESK_SORT_GIVEN_NAME,	/* last word of the name, then the name */
	DESK_SORT_RELEVANCE,	/* search only: exact first, then bm25 */
	DESK_SORT_ARRIVAL,	/* newest first by when tipline stored it */
} desk_sort;

/* Which submissions to return.  Zero-initialise, then set fields; the
 * strings are borrowed for the call. */
typedef struct {
	const GArray *statuses;	/* queue_status values (from
				 * desk_statuses_parse); NULL or empty: the
				 * command's default set */
	gboolean all;		/* every status (overrides statuses) */
	const char *since_utc;	/* inclusive ISO 8601 UTC bound, or NULL */
	const char *until_utc;	/* exclusive bound, or NULL */
	const char *from;	/* substring of the sender's name or address,
				 * compared folded (case, diacritics, đ) */
	gboolean has_attachments;
	gint64 limit;		/* 0: no limit */
	gint64 offset;
	desk_sort sort;
	gboolean reverse;	/* oldest first / Z to A */
	gboolean no_threads;	/* list every follow-up on its own row */
	/* Issue 10.  --since/--until compare the arrival time
	 * (received_utc) instead of the queue time (the sender's Date). */
	gboolean arrival_bounds;
	/* The editor whose seen rows decide desk_row.unseen (NULL: every
	 * row counts as unseen); with UNSEEN only the rows (and threads) with
	 * something this editor has not seen are returned. */
	const char *editor;
	gboolean unseen;
	/* Issue 12 (the desk's queue filters, done in SQL so that limit and
	 * offset page the filtered rows).  MAILBOX: the exact IMAP mailbox
	 * a submission was fetched from (submission.source "imap:MAILBOX";
	 * an imported file has none); NULL: any.  HAS: DESK_HAS_ bits, 0:
	 * no condition. */
	const char *mailbox;
	unsigned has;
} desk_filter;

/* One row of a list or search result.  Owned by the GPtrArray that
 * desk_list/desk_search return (free with g_ptr_array_unref). */
typedef struct {
	gint64 id;
	queue_status status;
	char *date_utc;		/* Date header, else arrival time */
	char *from_name;	/* may be NULL */
	char *from_addr;	/* may be NULL */
	char *subject;		/* may be NULL */
	gint64 attachment_count;
	gboolean has_gps;
	gint64 parent_id;	/* thread root, 0 when this is a root */
	gint64 follow_ups;	/* follow-ups of this root (any status) */
	gboolean exact;		/* search: every wanted word matched with
				 * the diacritics as typed */
	/* Issue 10. */
	char *received_utc;	/* when tipline stored it */
	gboolean has_danger;	/* an attachment is dangerous (media.c) */
	gint64 duplicate_of;	/* probable duplicate of this earlier
				 * submission (store-dup-priv.h), else 0 */
	gboolean unseen;	/* the filter's editor has not seen it, or
				 * (a thread) one of its follow-ups */
	/* A thread (follow_ups > 0): every message of it together, the
	 * root included.  Otherwise the row's own values. */
	gint64 thread_attachments;
	gboolean thread_gps;
	gboolean thread_danger;
	gboolean thread_quarantined;	/* a message in it is quarantined */
	char *thread_latest_utc;	/* its latest arrival */
	/* Its latest message's queue time (the Date, else the arrival
	 * when the Date is implausible): where the date order puts the
	 * thread, and what list's DATE column shows for it (editor trial
	 * finding 3).  NULL for a row that starts no thread. */
	char *thread_latest_queue_utc;
	/* Where the date order puts this message: its Date, or its arrival
	 * when the Date is implausible (in the future, or long before it
	 * arrived: store-write.c).  DATE_IMPLAUSIBLE says which, so a forged
	 * or broken Date is never shown as if it were true. */
	char *queue_utc;
	gboolean date_implausible;
} desk_row;

/* Register on the store's connection what the desk's SQL needs: the
 * collation VI (ICU "vi", ucol_strcollUTF8) and the functions
 * tl_fold(TEXT) (see nfc_fold) and tl_given_name(TEXT) (last word).
 * Safe to call more than once.  TL_SOFTWARE when ICU cannot open "vi".
 * On PostgreSQL nothing is registered (the server's "vi-x-icu" and SQL
 * expressions stand for them) and JIT is turned off for the session
 * (docs/dev/postgresql.md). */
tl_status desk_connection_setup(store *st, char **errmsg);

/* Parse --status arguments: each may be a comma list ("new,spam").
 * Every name must be one of the eight statuses of issue 2.  *out is a new
 * GArray (g_array_unref) of the unique queue_status values in the order
 * given (empty for no arguments); on an unknown name TL_USAGE with
 * *errmsg naming it and the valid names, and *out NULL. */
tl_status desk_statuses_parse(char **args, GArray **out, char **errmsg);

/* Parse a date for --since/--until: "YYYY-MM-DD" (a local calendar day;
 * END_OF_DAY gives the start of the next day, so --until is inclusive)
 * or a full ISO 8601 time with a zone.  *out is ISO 8601 UTC (g_free).
 * TL_USAGE with *errmsg when unparsable. */
tl_status desk_date_parse(const char *s, gboolean end_of_day, char **out,
			  char **errmsg);

/* The queue as the filter selects it.  Statuses default to new,
 * quarantined and too_large.  Threads: a follow-up is folded into its
 * root (the root's follow_ups counts it) whenever the root is itself
 * selected; otherwise it is listed on its own.  Sorted by date or
 * arrival, a thread sits where its latest message would (a late
 * follow-up brings it to the top).  *rows: GPtrArray of desk_row *
 * (g_ptr_array_unref). */
tl_status desk_list(store *st, const desk_filter *f, GPtrArray **rows,
		    char **errmsg);

/* Full-text search for QUERY (any bytes; the syntax of query-priv.h: all words
 * in any order, "phrase", -word, OR) over subject, sender name and
 * address, text, and the store's search_extra (forwarded messages,
 * attachment names), diacritic-insensitive.  Statuses default to every
 * status but bounce; the other filters apply; follow-ups are not folded.
 * Sort: DESK_SORT_RELEVANCE puts the words as a phrase first, then close
 * together, then apart; within each, rows matching with the diacritics as
 * typed (desk_row.exact) first; then bm25.  The other keys sort as in
 * desk_list.  TL_USAGE when QUERY is empty or blank; a query with nothing
 * to look for (only punctuation or exclusions) gives no rows and TL_OK. */
tl_status desk_search(store *st, const char *query, const desk_filter *f,
		      GPtrArray **rows, char **errmsg);

/* What one decision did to one id. */
typedef struct {
	gint64 id;
	gboolean found;		/* FALSE: no such submission */
	queue_status old_status;
	queue_status new_status;
	/* desk_decide_expect: the status or the version was no longer the
	 * one expected, so nothing was changed or recorded (new_status =
	 * old_status). */
	gboolean stale;
} desk_decision;

/* What the editor saw of one submission when deciding (issue 12: a
 * decision carries the version the editor saw).  The status alone misses
 * A->B->A (editor Y approves, then reopens, while X's page still says
 * new); the version catches it.  The version of a submission is the id of
 * its newest audit row of a decision (approve, reject, spam, reopen;
 * audit_action_decides), 0 when it has none: only decisions change the
 * status after ingest, and counting exports, reparses or refetches would
 * refuse a decision over something that did not touch the status.  A
 * decision that changes nothing (approving an approved one) still writes
 * its row, so it counts: someone decided meanwhile. */
typedef struct {
	queue_status status;	/* QUEUE_INVALID: not checked */
	gint64 version;		/* < 0: not checked */
} desk_expect;

/* Apply ACTION to the N ids in
 * one write transaction (BEGIN IMMEDIATE, so concurrent editors queue up
 * behind the busy timeout instead of overwriting each other): for each id
 * the status is read and changed with a compare-and-set on that old
 * status, and an audit row (EDITOR, now, ACTION, old, new, NOTE) is
 * written, also when the status does not change (the second of two
 * editors approving the same id is on record too).  RESULTS (N entries,
 * caller-allocated) says what happened per id.  Unknown ids are skipped
 * (found = FALSE); the others are committed.  TL_TEMPFAIL when the
 * database stayed busy: nothing was changed. */
tl_status desk_decide(store *st, const gint64 *ids, guint n,
		      desk_action action, const char *editor,
		      const char *note, desk_decision *results,
		      char **errmsg);

/* desk_decide with a compare-and-set per id (issue 12: a decision carries
 * the status and the version the editor saw; a stale one is refused).
 * EXPECT (N entries, borrowed, or NULL for none) is what each id must
 * still have; a field left unchecked (desk_expect) checks nothing, so a
 * caller that knows only the status passes version -1.  The check is
 * made inside the same write transaction as the change, so two servers
 * or two processes on one database cannot both win: an id whose status
 * or version differs is left alone, with no audit row, and its result
 * has stale = TRUE; the other ids are decided.  Errors as desk_decide. */
tl_status desk_decide_expect(store *st, const gint64 *ids, guint n,
			     const desk_expect *expect, desk_action action,
			     const char *editor, const char *note,
			     desk_decision *results, char **errmsg);

/* What an editor sees now of the N IDS (status and version, read
 * together by one statement per id) into OUT (N entries,
 * caller-allocated), for a page to carry into desk_decide_expect: status
 * QUEUE_INVALID and version 0 for an id that does not exist.  A page
 * reads this before what it shows, so that a decision in between makes
 * the page stale (409), never lets it through.  Errors: TL_TEMPFAIL or
 * TL_SOFTWARE with *errmsg (g_free), as store_fail. */
tl_status desk_expect_load(store *st, const gint64 *ids, guint n,
			   desk_expect *out, char **errmsg);

/* ==== audit ==== */

/* audit.c - reading the editors' audit log (the audit table of
 * schema.sql; store_audit() in store.h writes it): who did what to which
 * submission, when, and with which note.
 *
 * Rows outlive a purge (purge_run below): a purged submission's history
 * stays, with notes cleared, followed by one "purge" row of its own (written by
 * purge_run since issue 10) and the purge's whole-queue summary row
 * (submission_id NULL: count and criteria).  Nothing here prints; errors
 * are a tl_status from store_fail() with *errmsg (g_free).
 */

/* One audit row.  Strings are newly allocated; free with audit_row_free
 * (the GPtrArray of audit_rows_load does). */
typedef struct {
	gint64 id;		/* the row's own id: chronological order */
	gint64 submission_id;	/* 0: about the whole queue (a purge's
				 * summary) */
	char *at_utc;		/* ISO 8601 UTC */
	char *editor;
	audit_action action;	/* AUDIT_INVALID: a name this version
				 * does not know */
	char *old_status, *new_status, *note;	/* may be NULL */
} audit_row;

/* Which rows audit_rows_load returns.  Zero-initialise, then set fields;
 * strings are borrowed for the call. */
typedef struct {
	gint64 submission_id;	/* 0: every submission (and the whole-queue
				 * rows) */
	const char *editor;	/* exact login name, or NULL */
	const char *since_utc;	/* inclusive ISO 8601 UTC, or NULL */
	const char *until_utc;	/* exclusive bound, or NULL */
	gint64 limit;		/* 0: all; else the newest LIMIT rows */
} audit_filter;

void audit_row_free(gpointer row);

/* The rows F selects, oldest first (by row id: the order they were
 * written).  *rows: GPtrArray of audit_row * (g_ptr_array_unref). */
tl_status audit_rows_load(store *st, const audit_filter *f,
			  GPtrArray **rows, char **errmsg);

/* The "purge" row of submission ID into *row (audit_row_free), or *row =
 * NULL when ID was never purged, or was purged before purges recorded
 * each id.  *existed is TRUE when the log has any row for ID, so that a
 * caller can tell "was here once" from "never was". */
tl_status audit_purge_find(store *st, gint64 id, audit_row **row,
			   gboolean *existed, char **errmsg);

/* ==== detail ==== */

/* detail.c - one submission in full, as typed data: the facts that
 * `show` prints for a reader, `show --json` and `export`'s metadata.json
 * render (schema "tipline-json/1", docs/json-schema.md) and a browser
 * desk would draw.  The store reads, the faces format: nothing here
 * knows JSON or a terminal (src/emit.h renders it), so a misspelled
 * member is a compile error, not an empty line.
 *
 * Ownership: detail_load() allocates the whole tree; detail_free()
 * frees it, strings and arrays included.  Strings are UTF-8 as stored;
 * NULL where the database has no value (rendered as JSON null).  Times
 * are ISO 8601 UTC strings ("2026-11-29T14:00:00Z"), sizes in bytes.
 */

/* The schema name and version carried by every JSON object tipline
 * prints (list/search print arrays, which carry no version field). */
#define DETAIL_JSON_SCHEMA "tipline-json/1"

/* What tipline read from a photo or video attachment (attachment_media;
 * media.h finds it).  Integers are -1 when the file does not say. */
typedef struct {
	char *format;		/* "JPEG", "PNG", "MP4", "QuickTime", ... */
	char *taken;		/* capture time, ISO 8601: "Z" or "+07:00"
				 * when the file states a zone, else the
				 * camera's clock without one; or NULL */
	char *make, *model;	/* camera, or NULL */
	gint64 width, height;	/* pixels as stored */
	gint64 orientation;	/* Exif 1..8 */
	double duration_s;	/* videos, seconds; < 0: none */
	char *gps_source;	/* "exif", "xmp", "quicktime", or NULL */
	char *map_url;		/* OpenStreetMap link to the position (it
				 * carries only the point), NULL without
				 * GPS */
} detail_media;

/* One attachment, in document order. */
typedef struct {
	gint64 index;		/* from 0 */
	char *filename;		/* as sent, or generated (name_generated) */
	char *content_type;
	gint64 size;		/* decoded bytes */
	char *sha256;		/* hex, of the decoded bytes */
	char *disposition;	/* "attachment" or "inline" */
	gboolean has_gps;	/* the file carries a position: warn */
	double gps_lat, gps_lon;	/* degrees, when has_gps */
	char *danger;		/* why the file is dangerous (media.h:
				 * executable, disguised type...), or NULL */
	gint64 forwarded_index;	/* inside forwarded message N (from 0),
				 * or -1 */
	char *content_id;	/* or NULL */
	gboolean name_generated;	/* the sender gave no name */
	char *part;		/* MIME part path ("1.2"), for export */
	detail_media *media;	/* NULL: no photo or video tipline reads */
} detail_attachment;

/* One forwarded message found inside the submission. */
typedef struct {
	char *from_name, *from_addr, *subject, *date_utc, *message_id;
	char *text;		/* never NULL */
	gint64 depth;		/* 1: forwarded directly; 2: inside that */
} detail_forward;

/* A TCVN3/VNI font-hack text converted to Unicode (legacy_text). */
typedef struct {
	char *font;		/* "TCVN3" or "VNI" */
	char *subject;		/* or NULL */
	char *text;
} detail_legacy;

/* What a follow-up of this submission carries (issue 10 items 1 and 3:
 * `show` of a thread's first message warns about what came later). */
typedef struct {
	gint64 id;
	gint64 attachment_count;
	gboolean has_gps, has_danger, quarantined;
} detail_follow_up;

/* One submission in full. */
typedef struct {
	gint64 id;
	queue_status status;
	char *message_id, *from_name, *from_addr, *subject;
	char *date_utc;		/* the sender's Date, or NULL */
	gboolean date_offset_known;
	gint64 date_offset_min;	/* sender's zone, minutes east of UTC */
	char *received_utc;	/* when tipline stored it */
	char *text;		/* never NULL ("" when none) */
	char *text_source;	/* "text/plain", "text/html", ... or NULL */
	gint64 quote_offset;	/* byte offset of a reply's quoted part in
				 * text, or -1 */
	char *html;		/* or NULL */
	/* Flags found at ingest. */
	gboolean is_auto_reply, is_bounce, is_spam, is_signed, is_encrypted;
	gboolean has_gps;	/* an attachment has a position */
	gboolean charset_repaired;
	char *legacy_font_hint;	/* "TCVN3"/"VNI" suspected, or NULL */
	char *dsn_summary;	/* a bounce's summary, or NULL */
	char **warnings;	/* NULL-terminated, never NULL; stored at
				 * ingest with UTC times */
	char *error;		/* why quarantined/too_large, or NULL */
	char *source;		/* "imap:MAILBOX" or "file" */
	char *source_path;	/* imported file, or NULL */
	gint64 raw_size;	/* bytes as received */
	gint64 attachment_count;
	gint64 parent_id;	/* thread root, 0 when none */
	char *in_reply_to;	/* or NULL */
	char **references;	/* NULL-terminated, never NULL */
	GPtrArray *attachments;	/* detail_attachment *, by index */
	GPtrArray *forwarded;	/* detail_forward *, in order */
	detail_legacy *legacy;	/* NULL: no font hack converted */
	GPtrArray *history;	/* audit_row * (above), oldest first */
	GArray *follow_ups;	/* detail_follow_up, oldest first */
} detail_submission;

/* Load submission ID with its attachments, forwarded messages, decision
 * history, follow-ups and thread parent into *out (detail_free).  TL_DATA
 * with *errmsg (g_free) when there is none: "submission ID was purged on
 * DATE by EDITOR" when the audit log says so (audit_purge_find), "no
 * submission ID" when it never existed; TL_SOFTWARE/TL_TEMPFAIL on
 * database errors (store_fail), with *errmsg.  *out is NULL on failure. */
tl_status detail_load(store *st, gint64 id, detail_submission **out,
		      char **errmsg);

/* Free D and everything in it; NULL is allowed. */
void detail_free(detail_submission *d);

/* The newest decision row in D's history (audit_action_decides; its id
 * is the version, desk_expect, as of the moment detail_load read it), or
 * NULL when it has none; borrowed from D.  Whom a 409 names. */
const audit_row *detail_last_decision(const detail_submission *d);

/* The header block of submission ID's raw message: the bytes before the
 * first empty line (CRLF or LF), at most MAX_BYTES, byte-exact (may be
 * 8-bit, not necessarily UTF-8).  *out and *len: newly allocated (g_free),
 * NUL-terminated.  TL_DATA when there is no submission ID, or when its
 * original no longer matches its content hash (store_raw_read). */
tl_status detail_header_block(store *st, gint64 id, gint64 max_bytes,
			      char **out, gsize *len, char **errmsg);

/* TRUE for a header field that records transport rather than content:
 * Received, Return-Path, Delivered-To, DKIM/ARC signatures,
 * Authentication-Results, Received-SPF, X-Original-To and the
 * provider-specific X-Google-/X-Gm-/X-MS-Exchange-/X-Forefront-/
 * X-Microsoft-Antispam families.  NAME is compared without case. */
gboolean detail_header_is_routing(const char *name, gsize len);

/* ==== store-redo ==== */

/* store-redo.c - selections and changes for work done again on what is
 * stored: `tipline reparse` and the completion of too_large entries. */

/* Append to IDS (a GArray of gint64) the id of every quarantined
 * submission, ascending. A status from store_fail(), detail in
 * store_errmsg(). */
tl_status store_quarantined_ids(store *st, GArray *ids);

/* The queue status of submission ID in *status, or QUEUE_INVALID when
 * there is no such submission (TL_OK). */
tl_status store_submission_status(store *st, gint64 id,
				  queue_status *status);

/* May the header-only entry ID go now that its full message is stored?
 * *removable = 1 when it is still too_large, its audit log holds no
 * decision (only "ingest"), and no ledger row points at it; else 0. */
tl_status store_too_large_removable(store *st, gint64 id, int *removable);

/* Delete submission ID; schema.sql's foreign keys and triggers decide
 * what goes with it. In the open transaction. */
tl_status store_submission_delete(store *st, gint64 id);

/* ==== store-stats ==== */

/* store-stats.c - the numbers behind `tipline stats`. */

typedef struct {
	queue_status status;
	gint64 count;		/* submissions with it */
} store_stats_status;

typedef struct {
	char *date;		/* YYYY-MM-DD, UTC (owned) */
	gint64 count;		/* submissions received that day */
} store_stats_day;

typedef struct {
	char *mailbox;		/* [mailbox NAME] (owned, as the rest) */
	char *last_success_utc;	/* ISO 8601 UTC; NULL: never */
	char *last_error_utc;	/* NULL: never failed */
	char *last_error;	/* the message of the last failure */
	gint64 last_uid;	/* the watermark */
} store_stats_mailbox;

typedef struct {
	GArray *statuses;	/* of store_stats_status: every status */
	gint64 total;		/* their sum */
	GArray *days;		/* of store_stats_day, ascending; only days
				 * with submissions */
	GArray *mailboxes;	/* of store_stats_mailbox, by name */
} store_stats;

/* Fill *OUT (always initialised; free with store_stats_clear, also after
 * a failure) with the counts per status, per UTC day over the last DAYS
 * days (today included; DAYS >= 1) and every mailbox_state row. A status
 * from store_fail("stats"), detail in store_errmsg(). */
tl_status store_stats_load(store *st, int days, store_stats *out);

/* Free what store_stats_load() filled in and zero S. */
void store_stats_clear(store_stats *s);

/* ==== store-backup ==== */

/* What store_backup() wrote. */
typedef struct {
	gint64 pages;		/* database pages copied */
	gint64 bytes;		/* size of the copy, bytes */
	gint64 files;		/* originals kept as files, in
				 * FILE.originals/ */
	gint64 file_bytes;	/* their size, bytes */
} store_backup_info;

/* Write a consistent copy of ST's database to FILE while other processes
 * keep writing (SQLite's online backup, one read transaction: the copy is
 * the database as of one commit). The copy goes to a temporary file next
 * to FILE (mode 0600: it holds every tip and source), becomes a plain
 * rollback-journal database, passes PRAGMA quick_check, is fsynced and
 * renamed over FILE, and the folder is fsynced: FILE is the old copy or
 * the new one, never half of one. An existing FILE is replaced only when
 * it is an earlier backup (safefile_open's checks: a regular file of
 * ours with one link, not a symbolic link; empty or a SQLite database):
 * anything else is TL_USAGE and untouched. The originals kept as files
 * are copied to FILE.originals/ first, each checked against the copy's
 * content hash and size (TL_DATA for a missing or damaged one: no new
 * backup then). Failures: TL_NOINPUT (FILE's
 * folder is missing), TL_TEMPFAIL (busy, disk full, I/O), TL_NOPERM,
 * TL_USAGE, TL_SOFTWARE; *errmsg (g_free) names the file; the temporary
 * file is removed.  On PostgreSQL nothing is written: TL_USAGE, with
 * *errmsg pointing at pg_dump and the server's own backups. */
tl_status store_backup(store *st, const char *file, store_backup_info *out,
		       char **errmsg);

/* ==== purge ==== */

/* purge.c - removing submissions for good: retention of personal data.
 *
 * A purge deletes the submission rows with their raw message, attachment
 * and forwarded rows and their full-text entries, clears the notes of
 * their audit rows (an editor's reason may quote the tip), then makes sure
 * the bytes are gone from the files too: SQLite only marks deleted rows
 * free, FTS5 keeps tokens in old index segments until a merge, and the WAL
 * keeps old page images.  So: PRAGMA secure_delete = ON (freed pages are
 * zeroed), FTS5 'rebuild' and 'optimize' on both search tables, commit,
 * wal_checkpoint(TRUNCATE), VACUUM, and wal_checkpoint(TRUNCATE) again.
 *
 * Follow-ups that stay but answer a purged submission (its thread's
 * later messages, a reply naming it in In-Reply-To or References) lose
 * their quoted part (quote_offset) in their text, HTML, search entries
 * and original message, replaced by a note (message.h, QA F41): a tip
 * purged at its source's request must not survive as a quote.
 *
 * Kept: the ledger rows (mailbox, UIDVALIDITY, UID, outcome; no content),
 * without which the next fetch would download a purged message again,
 * and the audit rows with who/when/what (the purge itself is one more
 * audit row: count and criteria, no content).
 */

typedef struct {
	gint64 count;		/* submissions (to be) removed */
	gint64 raw_bytes;	/* their raw size */
	char cutoff_utc[32];	/* received before this time */
	GArray *ids;		/* gint64, ascending (g_array_unref) */
	gboolean wal_truncated;	/* FALSE: a reader kept the WAL alive */
	GArray *redacted;	/* gint64 ids of the follow-ups whose quote
				 * of a purged submission was (or, dry run,
				 * would be) removed, ascending
				 * (g_array_unref) */
	const char *kept;	/* what the database server still keeps of
				 * the purged data after a purge, for the
				 * operator (static storage), or NULL
				 * (SQLite: nothing, unless files of
				 * originals were scrubbed) */
	gint64 files_scrubbed;	/* SQLite: files of originals overwritten
				 * and removed after the COMMIT (those of
				 * this purge, of one a crash cut short,
				 * and orphans) */
} purge_result;

/* Purge the submissions whose status is one of STATUSES (queue_status
 * values, at least one) and that were received (stored by tipline) more than
 * OLDER_THAN seconds ago.  DRY_RUN only counts.  The purge is audited as
 * editor EDITOR with CRITERIA (the command line's words) and the count.
 * *res is filled (res->ids and res->redacted allocated, also on
 * failure) on TL_OK.  TL_TEMPFAIL when the
 * database is busy (nothing deleted) or when the WAL could not be
 * truncated because another process was reading (the rows are gone; run
 * the purge again to clean the WAL: res->wal_truncated is FALSE). */
/* On PostgreSQL the transaction is the same (ids as a bigint[], rows
 * locked FOR UPDATE, no search index to rebuild: the search columns are
 * the row's), then a plain VACUUM of the tables touched marks the old
 * row versions free; the server keeps their bytes in free space of its
 * data pages until reused, and in its WAL, archives, replicas and base
 * backups until they expire: res->kept says so, and wal_truncated is
 * TRUE (the WAL is the server's). */
tl_status purge_run(store *st, const GArray *statuses,
		    gint64 older_than, gboolean dry_run, const char *editor,
		    const char *criteria, purge_result *res, char **errmsg);

/* ==== copy ==== */

/* copy.c - `tipline copy`: the whole queue from one store into another,
 * SQLite to PostgreSQL or back (issue 13), keeping every id.  Resumable:
 * submissions go in batches of 500, each with every row that hangs off
 * them (originals, attachments, previews, forwards, seen marks, ...) in
 * one destination transaction, so a run killed at any point and started
 * again goes on after the highest submission id at the destination; the
 * other tables (audit, ledger, mailbox state, fetch failures, purged
 * hashes) are written with ON CONFLICT DO NOTHING.  Search indexes are
 * the destination's own (SQLite: filled at each batch's commit;
 * PostgreSQL: generated columns).  Verified: both sides are read again in
 * key order and compared row by row, every column, raw chunks byte for
 * byte. The source is only read, inside one read snapshot. */

/* One table in the report. */
typedef struct {
	const char *name;		/* table name (static storage) */
	gint64 source_rows;		/* rows compared at the end; for
					 * id_floor the highest id ever
					 * given on each side */
	gint64 destination_rows;
	gint64 copied;			/* rows this run wrote */
	gint64 differences;		/* rows that differ or are missing */
	GPtrArray *first_differences;	/* char *: the first few, each
					 * naming the row ("ledger mailbox=
					 * inbox uidvalidity=7 uid=3: outcome
					 * differs"), or NULL */
} store_copy_table;

typedef struct {
	GArray *tables;		/* store_copy_table in copy order, then
				 * id_floor */
	int resumed;		/* the destination held part of this copy */
	gint64 resumed_after;	/* its highest submission id then */
	gint64 high_water;	/* highest submission id the source gave */
	gint64 differences;	/* sum over the tables */
	char *error;		/* what failed, or NULL */
} store_copy_report;

typedef struct {
	const char *source_name;	/* how the source is named in the
					 * destination's copy_state (its
					 * path or URL): a destination that
					 * holds data may only be the same
					 * copy resumed */
	const char *now_utc;		/* ISO 8601, for copy_state */
	void (*progress)(gint64 submission_id, void *data);	/* after
					 * each committed batch, or NULL */
	void *data;
} store_copy_options;

/* Copy SRC (opened STORE_READONLY, never written) into DST (opened
 * STORE_READWRITE, schema in place) and verify it.  The caller keeps
 * fetch away (the SQLite fetch lock, fetch_lock_take); on PostgreSQL an
 * advisory lock keeps a second copy off either database.  *rep is always
 * set (free with store_copy_report_clear).  TL_OK: copied and every
 * table equal.  TL_DATA: copied, but rep->differences rows differ (a
 * row changed at the destination, or the source changed since an
 * interrupted run copied it); rep names them.  TL_USAGE: SRC and DST are
 * one database, or DST holds a queue that is not a copy of
 * opt->source_name (nothing written).  TL_TEMPFAIL: another copy runs,
 * or a database was busy or went away (run again: it resumes).
 * TL_SOFTWARE: the source has a table or column this copy does not know
 * (nothing copied), or a statement failed; rep->error says which. */
tl_status store_copy(store *src, store *dst, const store_copy_options *opt,
		     store_copy_report *rep);

/* Free what store_copy put in REP; NULL members are fine. */
void store_copy_report_clear(store_copy_report *rep);

/* ==== store-preview ==== */

/* store-preview.c - the preview cache (schema.sql table preview): the
 * thumbnails and stills that tipline-preview made, and "no preview" with
 * the reason, kept so that a page never waits for a decode and a hostile
 * file is decoded once (issue 12).  Nothing here runs the worker: app.h
 * preview_get() does, outside any transaction. */

typedef enum {
	STORE_PREVIEW_MISSING = 0,	/* not made yet (or for another
					 * size or worker version) */
	STORE_PREVIEW_OK,		/* jpeg holds it */
	STORE_PREVIEW_NONE,		/* no preview; reason says why */
} store_preview_state;

/* One attachment's preview with what it takes to make one. */
typedef struct {
	gint64 submission_id;
	gint64 index;		/* attachment index, from 0 */
	gint64 attachment_id;	/* attachment.id */
	char *part;		/* MIME part path, for
				 * store_attachment_write */
	char *content_type;	/* as the sender labelled it */
	char *format;		/* what the bytes are (attachment_media:
				 * "JPEG", "MP4"...), or NULL */
	char *danger;		/* media.h's verdict, or NULL */
	gint64 bytes;		/* decoded size of the attachment */
	store_preview_state state;
	GBytes *jpeg;		/* STORE_PREVIEW_OK, else NULL */
	char *reason;		/* STORE_PREVIEW_NONE, else NULL */
	char *made_utc;		/* when it was made (ISO 8601 UTC), or
				 * NULL when missing */
	gboolean made_now;	/* set by app.h preview_get: made by this
				 * call, not read from the cache */
} store_preview;

/* Free P and everything in it; NULL is allowed. */
void store_preview_free(store_preview *p);

/* The attachment INDEX of submission SUBMISSION_ID and its cached
 * preview of SIZE pixels made by worker VERSION, into *out (a new
 * store_preview; state MISSING when none is cached).  One read, no
 * transaction needed; the JPEG (at most PREVIEW_MAX_OUTPUT bytes) is
 * copied into *out.  TL_DATA with store_errmsg "#ID has no attachment
 * N" when there is no such attachment (or submission); database
 * failures as store_fail.  *out is NULL on failure. */
tl_status store_preview_load(store *st, gint64 submission_id,
			     gint64 index, unsigned size, int version,
			     store_preview **out);

/* Cache a preview of attachment ATTACHMENT_ID (P->attachment_id) at SIZE
 * and VERSION: P->state OK with P->jpeg, or NONE with P->reason; made
 * now (P->made_utc is set when NULL).  One statement, its own
 * transaction when none is open (never hold one around the worker).
 * When another maker stored this preview first, theirs stays and
 * *stored is FALSE (INSERT OR IGNORE on the unique set); TL_OK either
 * way.  TL_DATA when the attachment no longer exists (purged or
 * reparsed meanwhile: nothing is stored); database failures as
 * store_fail. */
tl_status store_preview_put(store *st, const store_preview *p,
			    unsigned size, int version, gboolean *stored);

/* Previews still to make at SIZE and VERSION: attachments of
 * submissions received (stored by tipline) at or after SINCE_UTC (ISO
 * 8601 UTC, NULL: all) whose bytes are one of FORMATS (attachment_media
 * format names, NULL-terminated) and that are not dangerous, with no
 * cached preview, newest arrival first, at most LIMIT (0: all).
 * *out: new GPtrArray of store_preview * (state MISSING; free with
 * g_ptr_array_unref).  Database failures as store_fail. */
tl_status store_preview_todo(store *st, const char *since_utc,
			     gint64 limit, unsigned size, int version,
			     const char *const *formats, GPtrArray **out);

/* Write the decoded bytes of MIME part PART of submission SUBMISSION_ID
 * to FD (borrowed; a memfd or file), as export writes an attachment:
 * the original is checked and copied to a temporary file under DIR
 * (NULL: g_get_tmp_dir(), removed before return) and the part decoded
 * from it by message_part_write(), so memory does not grow with the
 * attachment's size.  TL_DATA when the original is damaged or has no
 * such part, TL_TEMPFAIL when DIR or FD cannot be written; the message
 * in store_errmsg names the submission. */
tl_status store_attachment_write(store *st, gint64 submission_id,
				 const char *part, const char *dir, int fd);

#endif
