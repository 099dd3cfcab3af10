/* app.h - configuration, secrets, ingest and fetch: the jobs the
 * faces start.  The only public header of lib/app.
 *
 * Sections, one per module: config, secret, ingest, fetch, preview.
 */
#ifndef TIPLINE_APP_H
#define TIPLINE_APP_H

#include <glib.h>

#include "util.h"
#include "media.h"
#include "message.h"
#include "imap.h"
#include "store.h"

/* ==== config ==== */

/* config.c - tipline.conf, read with GLib's GKeyFile.
 *
 * Lookup order: --config FILE, $TIPLINE_CONFIG, $XDG_CONFIG_HOME/tipline/
 * tipline.conf (~/.config when XDG_CONFIG_HOME is unset), /etc/tipline.conf.
 * Lines starting with '#' or ';' are comments, and so is anything after
 * " ;" or " #" on a line (the INI habit GKeyFile lacks); line numbers are
 * kept so that errors can name "FILE:LINE".  See tipline.conf(5).
 */

typedef enum {
	AFTER_FETCH_NONE = 0,	/* leave the message as it was */
	AFTER_FETCH_SEEN,	/* set \Seen */
	AFTER_FETCH_FLAG,	/* set a keyword (flag_keyword, "$Tipline") */
	AFTER_FETCH_MOVE,	/* UID MOVE (or COPY+STORE+UID EXPUNGE) */
	AFTER_FETCH_DELETE,	/* STORE \Deleted + UID EXPUNGE */
} after_fetch_action;

typedef enum {
	START_ALL = 0,		/* first fetch takes every message */
	START_NOW,		/* first fetch starts at the current UIDNEXT */
} start_mode;

/* One [mailbox NAME] section. All strings are owned by the config. */
typedef struct {
	char *name;		/* NAME from the section header */
	char *url;		/* imaps://host[:port]/MAILBOX or imap://... */
	char *username;
	char *password_file;	/* NULL if unset */
	char *password_command;	/* NULL if unset; run with /bin/sh -c */
	char *token_command;	/* NULL if unset; prints an OAuth 2.0 token */
	char *cafile;		/* NULL: system CAs */
	char *auth_mechanism;	/* NULL, or "XOAUTH2" / "OAUTHBEARER" / ... */
	gboolean allow_plaintext;	/* imap:// without STARTTLS allowed */
	after_fetch_action after_fetch;
	char *after_fetch_folder;	/* for AFTER_FETCH_MOVE, else NULL */
	char *flag_keyword;	/* for AFTER_FETCH_FLAG; default "$Tipline" */
	gint64 max_message_size;	/* bytes (RFC822.SIZE); default 100M */
	start_mode start;
	int connect_timeout;	/* seconds; default 30 */
	int low_speed_time;	/* seconds below 1 byte/s before giving up;
				 * default 60 */
	int section_line;	/* line of the [mailbox NAME] header */
	int url_line;		/* line of url (0: none), for messages */
	int after_fetch_line;	/* line of after_fetch (0: none) */
} tl_mailbox_conf;

/* [serve] auth: how tipline-serve (the desk in a browser) knows the
 * editor.  NONE (no [serve] section, or no auth): every page answers 401
 * and says what to configure. */
typedef enum {
	SERVE_AUTH_NONE = 0,
	SERVE_AUTH_PROXY,	/* the reverse proxy's login header, trusted
				 * only with the proxy secret */
	SERVE_AUTH_LOCAL,	/* passwords: argon2id hashes in editors_file */
} serve_auth;

/* Where tipline-serve listens: [serve] listen or --listen. */
typedef struct {
	int is_unix;		/* unix:PATH */
	char *path;		/* unix socket path (g_free), else NULL */
	char *host;		/* numeric IPv4 or IPv6 address (g_free) */
	int port;		/* 1..65535 */
	int loopback;		/* 127.0.0.0/8, ::1, or a unix socket */
} serve_listen;

/* The [serve] section (issue 12).  Strings are owned by the config;
 * paths are absolute (relative ones are taken from the file's folder). */
typedef struct {
	int present;		/* the file has a [serve] section */
	serve_listen listen;	/* default 127.0.0.1:8080 */
	int listen_set;		/* listen was written in the file: only then
				 * may it be a non-loopback address */
	int listen_line;	/* its line, for messages (0: none) */
	serve_auth auth;
	char *proxy_user_header;	/* default "X-Remote-User" */
	char *proxy_secret_file;	/* auth = proxy: required */
	char *editors_file;		/* auth = local: required */
} tl_serve_conf;

typedef struct {
	char *path;		/* the file that was read */
	char *database;		/* [store] database */
	int busy_timeout_ms;	/* [store] busy_timeout, seconds in file;
				 * default 10 s */
	char *passfile;		/* [store] passfile: libpq's password file
				 * for a postgresql:// database, or NULL */
	char *spool_dir;	/* [store] spool_dir; default: $TMPDIR or
				 * /tmp */
	int log_syslog;		/* [log] target = syslog */
	tl_parse_limits limits;
	char *desk_timezone;	/* [desk] timezone, IANA name, or NULL:
				 * the system's (TZ, /etc/localtime) */
	GPtrArray *mailboxes;	/* of tl_mailbox_conf *, in file order */
	tl_serve_conf serve;	/* [serve] */
} tl_config;

/* Find the configuration file by the lookup order above. explicit_path is
 * --config or NULL. Returns a newly allocated path (g_free) or NULL when no
 * candidate exists. */
char *config_find(const char *explicit_path);

/* The configuration a face starts with: the file config_find() names,
 * read by config_load(), with [store] database replaced by $TIPLINE_DB
 * when that is set; with no file, $TIPLINE_DB alone (hermetic tests,
 * one-off imports) gives config_new_default().  On success *out is a new
 * config (config_free).  TL_CONFIG with *errmsg (g_free; says where a
 * file is looked for, or names file:line) otherwise.  The one home of
 * that order for tipline and tipline-serve. */
tl_status config_load_for_face(const char *explicit_path, tl_config **out,
			       char **errmsg);

/* Read and validate PATH. On success *out is a new config (config_free).
 * On failure returns TL_CONFIG (or TL_NOINPUT when PATH does not exist) and
 * sets *errmsg to a newly allocated "PATH:LINE: what is wrong" (g_free). */
tl_status config_load(const char *path, tl_config **out, char **errmsg);

/* A config with defaults and only a database path, for commands run
 * without a configuration file (import, list ... with $TIPLINE_DB).
 * Never fails; free with config_free. */
tl_config *config_new_default(const char *database);

/* Free a config and every mailbox in it; NULL is allowed. */
void config_free(tl_config *cfg);

/* Parse a size such as "100M", "512k", "2G" or "1048576" (bytes; K/M/G are
 * powers of 1024). Returns -1 when not a size. */
gint64 config_parse_size(const char *s);

/* Parse a duration such as "30d", "12h", "90m", "45s", "2w" into seconds.
 * Returns -1 when not a duration. */
gint64 config_parse_duration(const char *s);

/* Parse a listening address: "unix:PATH" (PATH absolute), "HOST:PORT"
 * with a numeric IPv4 address, or "[IPV6]:PORT".  Host names are refused:
 * what a name resolves to can change, and the loopback check must hold.
 * On success *out is filled (free its strings with config_listen_clear)
 * and TL_OK returned; otherwise TL_USAGE with *errmsg (g_free) saying
 * what was expected. */
tl_status config_listen_parse(const char *s, serve_listen *out,
			      char **errmsg);

/* Free the strings of L and zero it; NULL is allowed. */
void config_listen_clear(serve_listen *l);

/* Check that PATH (the editors_file) is not writable or readable by
 * group or others and is a regular file (secret_file_open); TL_CONFIG
 * with *errmsg otherwise.  A missing file is TL_NOINPUT. */
tl_status config_private_file_check(const char *path, const char *key,
				    char **errmsg);

/* ==== secret ==== */

/* Open PATH, a file that holds a secret (password_file, the [serve]
 * proxy_secret_file and editors_file), the one home of the rule for
 * them: a regular file (a symbolic link is followed: secrets are often
 * links into a secrets mount) that neither group nor others may read or
 * write, as ssh treats a private key.  WHAT names the setting in
 * messages ("mailbox tips: password_file").  *fd_out is the open file
 * (close it), or -1: TL_NOINPUT when PATH does not exist, else TL_CONFIG,
 * with *errmsg (g_free). */
tl_status secret_file_open(const char *path, const char *what, int *fd_out,
			   char **errmsg);

/* The secret in PATH (checked by secret_file_open): at most 64 KiB, one
 * final newline (LF or CRLF) dropped, refused when empty or holding a
 * NUL.  *out is newly allocated: wipe it (explicit_bzero) and g_free;
 * not secret_free, which also ends the non-dumpable hold that only
 * secret_get takes.  TL_CONFIG with *errmsg on any failure. */
tl_status secret_file_read(const char *path, const char *what, char **out,
			   char **errmsg);

/* secret.c - the credential of a [mailbox NAME]: a password read from
 * password_file or printed by password_command, or an OAuth 2.0 bearer
 * token printed by token_command (Gmail, Microsoft 365).
 *
 * Secrets never appear on a command line, in an error message or in a log
 * line: messages name the file or the key ("token_command"), never the
 * command's output.
 */

/* How long a password_command or token_command may run, in seconds. */
#define SECRET_COMMAND_TIMEOUT 60

/* Get the credential of MB, trying token_command, password_command and
 * password_file in that order (the first one set is used).
 *
 * password_file: refused (TL_CONFIG) when it is readable by its group or by
 * others, when it cannot be read, or when it is empty; one final newline
 * ("\n" or "\r\n") is dropped.
 * password_command / token_command: run with /bin/sh -c exactly as the
 * administrator wrote it (no word of tipline's is added), stdin from
 * /dev/null, stderr inherited; its stdout, minus one final newline, is the
 * secret. A command that fails, is killed, times out (SECRET_COMMAND_TIMEOUT)
 * or prints nothing gives TL_NOPERM and a message saying which key failed
 * and its exit status. Nothing set gives TL_CONFIG.
 *
 * On success *secret_out is newly allocated (free it with secret_free(),
 * which wipes it) and *is_token is 1 for token_command, else 0. On failure
 * *errmsg (g_free) names the mailbox and the file or key.
 *
 * From the call until secret_free() the process is non-dumpable
 * (nodump_hold): no core file can hold the secret.  Every intermediate
 * buffer (the 64 KiB read buffer, a refused output) is wiped before this
 * returns; the secret itself exists once, exactly its length. */
tl_status secret_get(const tl_mailbox_conf *mb, char **secret_out,
		     int *is_token, char **errmsg);

/* Overwrite (explicit_bzero) and free a secret from secret_get(), and end
 * its non-dumpable hold; NULL is allowed (and holds nothing). */
void secret_free(char *secret);

/* ==== ingest ==== */

/* ingest.c - the one path from a message file to a queued submission,
 * shared by `fetch` (spool files) and `import` (files, Maildir, mbox):
 * content hash -> duplicate check -> GMime parse -> store insert.
 *
 * The caller owns the transaction (store_begin/store_commit), so a fetch
 * can commit a batch and a crash leaves either all or none of it.
 */

/* What became of one message; also the ledger outcome for a fetch. */
typedef struct {
	ledger_outcome outcome;	/* the ledger's outcome (store.h) */
	gint64 submission_id;	/* the new row, or the one duplicated; 0
				 * for a duplicate of a purged message */
	char content_hash[65];
} ingest_result;

/* Ingest the message in PATH from SRC. known_hash may carry the content
 * hash when the caller computed it while spooling (else NULL).
 * TOO_LARGE_REASON non-NULL means PATH holds only the header block of a
 * message over the size limit: it is stored as "too_large" with that
 * reason. Returns TL_OK with *res filled for every outcome, including a
 * message that cannot be parsed (stored raw, "quarantined"). Failures:
 * TL_NOINPUT (PATH unreadable), TL_TEMPFAIL (database busy, disk full),
 * TL_SOFTWARE; *errmsg (g_free) names PATH. */
tl_status ingest_file(store *st, const tl_config *cfg, const char *path,
		      const char *known_hash, const store_source *src,
		      const char *too_large_reason, ingest_result *res,
		      char **errmsg);

/* The queue status a message of parser class C starts in (ingest, and
 * reparse of a quarantined submission): the one place the two enums
 * meet.  QUEUE_INVALID for an invalid class. */
queue_status ingest_queue_status(msg_class c);

/* ==== fetch ==== */

/* fetch.c - the cron job's core: every message of a mailbox into the queue
 * exactly once, whatever happens (issue 3).
 *
 * The invariants, per (mailbox, UIDVALIDITY):
 *  - every UID the fetch saw has exactly one ledger row (stored, duplicate,
 *    too_large, quarantined, auto_reply, bounce, spam), written in the same
 *    SQLite transaction as the submission it refers to and as the new
 *    mailbox_state.last_uid, so a crash leaves all three or none;
 *  - last_uid is a watermark: every listed UID at or below it has a ledger
 *    row, so the next run asks the server only for UID last_uid+1:*;
 *  - the after_fetch action (seen, flag, move, delete) is sent only after
 *    the commit that holds the message (a durable, fsynced commit before a
 *    destructive move or delete), and ledger.action_done records that it
 *    was applied; rows left at 0 by a crash are applied again at the start
 *    of the next run (all actions are idempotent for UIDs, and a UID that
 *    is gone is no error);
 *  - a UIDVALIDITY change makes the mailbox be rescanned from UID 1; the
 *    content hash turns every message already queued into a "duplicate"
 *    ledger row, so nothing is lost and nothing doubled. Pending actions of
 *    the old UIDVALIDITY are set to action_done = 2 (their UIDs now mean
 *    other messages).
 *
 * No write transaction waits for the network: a reader thread spools the
 * next group of messages to files (pipelined, no SQLite lock held) while
 * this thread ingests the last group in short write transactions (at most
 * FETCH_BATCH_MAX messages or FETCH_BATCH_MS of holding the write lock),
 * and the two meet only between transactions (docs/design.md, "Threads
 * of a fetch"), so an editor's decision waits about a second at most
 * even during a large backlog.
 *
 * Nothing here prints to stdout or exits; progress goes to log_debug.
 */

#define FETCH_BATCH_MAX 200	/* messages per write transaction */
#define FETCH_BATCH_MS 500	/* ms of holding the write lock */
#define FETCH_YIELD_MS 105	/* pause after holding it that long */
/* Messages spooled before ingesting.  200, not 1,000: the spool files
 * of a chunk go back to the pool (util.h, spool) as it is stored, and
 * the chunk after next is written into them, so a fetch creates files
 * for about two chunks only (a fetch of 2,000 small mails took 30 % less
 * CPU, docs/performance.md); one UID FETCH pipeline per chunk. */
#define FETCH_CHUNK_MAX 200
#define FETCH_CHUNK_BYTES (32 * 1024 * 1024)	/* RFC822.SIZE sum */

/* What one fetch_mailbox() call did; counts of ledger outcomes committed. */
typedef struct {
	int stored;		/* new submissions: new, auto_reply, bounce,
				 * spam */
	int quarantined;	/* new submissions that could not be parsed */
	int too_large;		/* new too_large entries (headers only) */
	int duplicates;		/* already queued (import, UIDVALIDITY reset) */
	int actions;		/* messages the after_fetch action was
				 * applied to, repairs included */
	int repaired;		/* of which left pending by an earlier run */
	int nothing_new;	/* 1 when only STATUS was needed */
	guint32 uidvalidity;	/* as the server reported it */
	guint32 uidnext;
	guint32 last_uid;	/* the watermark after the run */
	int unfetchable;	/* UIDs given up this run (see
				 * FETCH_UNFETCHABLE_RUNS) */
	int db_moved;		/* the database at the path is no longer the
				 * one written, or (PostgreSQL) the
				 * connection and with it the mailbox's lock
				 * was lost: stop every mailbox */
	int held_elsewhere;	/* PostgreSQL: another process holds this
				 * mailbox's lock (store_mailbox_lock_try);
				 * skipped, nothing done, TL_OK */
	int done_elsewhere;	/* another process finished this mailbox
				 * after this run began (fetch_env's
				 * success_at_start); skipped, nothing done,
				 * TL_OK */
} fetch_counts;

/* Where a fetch of one mailbox is, for a progress display. Counts are of
 * this run: messages (and their RFC822.SIZE bytes) listed above the
 * watermark, and those received so far. */
typedef struct {
	const char *mailbox;	/* the [mailbox NAME] */
	guint total, done;
	gint64 bytes_total, bytes_done;
	int finished;		/* the last call for this mailbox */
} fetch_progress;

/* Called from inside fetch_mailbox() after the listing, after each
 * message received, and once at the end (finished = 1); never when there
 * was nothing new. Must not call back into the fetch.  "After each
 * message received" runs on the fetch's reader thread (docs/design.md,
 * Threads of a fetch) while the main thread may be logging: never two
 * calls at once, but not on the caller's thread either. */
typedef void (*fetch_progress_fn)(const fetch_progress *p, void *user);

/* What the command gives a fetch besides the configuration. */
typedef struct {
	/* From store_guard_take() right after the store was opened; before
	 * every after_fetch action the fetch proves with it that its
	 * commits are in the database at the path (NULL: only the rows are
	 * checked). */
	const store_guard *guard;
	fetch_progress_fn progress;	/* may be NULL */
	void *progress_user;
	/* From fetch_env_snapshot(): each mailbox's last_success_utc when
	 * this run began (mailbox name -> string; a mailbox never fetched
	 * has no entry), or NULL to poll every mailbox whatever others did.
	 * Owned by the env (fetch_env_clear). */
	GHashTable *success_at_start;
} fetch_env;

/* Note in ENV->success_at_start when each mailbox of MBS (tl_mailbox_conf
 * *) last succeeded, so that fetch_mailbox() can skip a mailbox another
 * fetcher (PostgreSQL, several hosts) finished after this run began: its
 * messages are stored, and polling it again would cost a connection and
 * a few round trips for nothing (issue 13).  One read per mailbox, no
 * transaction.  On a database error nothing is noted (every mailbox is
 * polled) and the error is left for the fetch itself to meet.  On SQLite
 * nothing is noted either: the fetch lock keeps every other fetch out for
 * the whole run, so there is nothing to look for. */
void fetch_env_snapshot(store *st, const GPtrArray *mbs, fetch_env *env);

/* Free what fetch_env_snapshot() noted; ENV itself is the caller's. */
void fetch_env_clear(fetch_env *env);

/* A message the server fails to send (the connection dies while it is
 * being received) in this many runs is given up: it gets a quarantined
 * placeholder entry and is left on the server (fetch-fail.c). */
#define FETCH_UNFETCHABLE_RUNS 3

/* An after_fetch action the server refuses the same way (a tagged NO, the
 * session still usable) in this many runs in a row is reported as a
 * configuration error (78) instead of a temporary one (75). */
#define FETCH_REFUSED_RUNS 3

/* Take the lock that keeps two fetches (two cron runs) off one SQLite
 * database: flock(LOCK_EX | LOCK_NB) on "DATABASE.lock" (created mode
 * 0660, opened with safefile_open: a planted link is refused with
 * TL_NOPERM). Held elsewhere: TL_TEMPFAIL (and only then) with "another
 * tipline fetch is running ..."; a lock file that cannot be opened or
 * locked: TL_CONFIG. *errmsg is newly allocated (g_free). *fd_out is the
 * lock's descriptor, for fetch_lock_release(). The kernel drops the lock
 * when the process dies, so a crash never leaves it stale. A PostgreSQL
 * URL (store_is_url) has no file to lock: TL_OK with *fd_out = -1, as
 * fetchers share that database and claim one mailbox at a time
 * (store_mailbox_lock_try). */
tl_status fetch_lock_take(const char *database, int *fd_out, char **errmsg);

/* Release a lock from fetch_lock_take(); a negative fd is allowed. */
void fetch_lock_release(int fd);

/* Claim every [mailbox] of CFG on ST (store_mailbox_lock_try) for as long
 * as ST stays open, so that a fetch started meanwhile skips each one
 * (`tipline copy` holds them all while it reads or writes a queue). On
 * SQLite there is nothing to claim (fetch_lock_take keeps fetches off the
 * whole file): TL_OK. A mailbox a fetch holds now: TL_TEMPFAIL, "a tipline
 * fetch of mailbox NAME is running on DATABASE; try again later"; the
 * database unreachable: TL_TEMPFAIL with the store's error. *errmsg is
 * newly allocated (g_free). Claims taken before a refusal stay until ST
 * is closed. */
tl_status fetch_claim_mailboxes(const tl_config *cfg, store *st,
				char **errmsg);

/* Spool files are named by imap_fetch_bodies()/imap_fetch_header() (see
 * imap-cmd.c) with this prefix. */
#define FETCH_SPOOL_PREFIX "tipline-imap-"

/* Spool files of `tipline import` (the mbox split's spool_pool). */
#define IMPORT_SPOOL_PREFIX "tipline-mbox-"

/* An import takes no lock that keeps another off the spool folder, so
 * its files are swept only when they are this old (seconds): a running
 * import writes each file it uses again (util.h: spool_pool never hands
 * out a file written more than an hour ago), so a day-old one belongs to
 * a run that was killed. */
#define IMPORT_SPOOL_STALE_S 86400

/* Remove the spool files a killed fetch or import left in SPOOL_DIR (a
 * kill -9 or a power cut gives no chance to unlink them): fetch files
 * (FETCH_SPOOL_PREFIX) modified at least MIN_AGE_S seconds ago (0: all),
 * import files (IMPORT_SPOOL_PREFIX) at least IMPORT_SPOOL_STALE_S ago.
 * With MIN_AGE_S 0, call only with the fetch lock held: then no other
 * fetch of this database is writing any. A spool directory shared with
 * other programs or databases (the default, $TMPDIR) may hold another
 * tipline's files in flight: there pass MIN_AGE_S > 0. Regular files
 * only (lstat): a planted link is left alone. Returns how many were
 * removed. */
int fetch_spool_sweep(const char *spool_dir, int min_age_s);

/* Who prepares the spool folder: the sweep's policy differs. */
typedef enum {
	SPOOL_FOR_FETCH,	/* called with the fetch lock held */
	SPOOL_FOR_IMPORT	/* no fetch lock: only day-old files go */
} spool_use;

/* The spool folder of a fetch or import of CFG into *SPOOL (newly
 * allocated, g_free): [store] spool_dir, else the temporary directory;
 * made (0700) when missing, and swept of what an interrupted run left
 * (fetch_spool_sweep), *SWEPT the files removed.  For a fetch, our own
 * spool_dir is ours alone on SQLite (the fetch lock), so all of them go;
 * a shared temporary directory, or any spool_dir when fetchers of one
 * PostgreSQL database may run at once on this host, can hold another
 * tipline's files in flight, so there only files a day old go.  An
 * import holds no fetch lock: only day-old files go.  TL_TEMPFAIL (disk
 * full) or TL_CONFIG with *errmsg (g_free), and *SPOOL set all the
 * same. */
tl_status spool_prepare(const tl_config *cfg, spool_use use, char **spool,
			guint *swept, char **errmsg);

/* Install SIGTERM/SIGINT handlers that ask the fetch to stop between two
 * messages (committing what it has stored); a second signal kills the
 * process at once. Also ignores SIGPIPE (a closed server socket must be an
 * error return, not death). */
void fetch_signals_install(void);

/* Non-zero once SIGTERM or SIGINT has been received. */
int fetch_stop_requested(void);

/* The connection parameters of MB, for fetch and doctor alike (one home):
 * *p points into MB and at *secret (newly read from password_file,
 * password_command or token_command; secret_free() it once connected).
 * Errors as secret_get(): TL_CONFIG, TL_NOPERM, with *errmsg. */
tl_status fetch_params_get(const tl_mailbox_conf *mb, imap_params *p,
			   char **secret, char **errmsg);

/* One finding of fetch_check_server(), for doctor to print. */
typedef struct {
	char *label;		/* "folder", "move to" */
	char *text;		/* what was found, or what is wrong and the
				 * fix */
	tl_status rc;		/* TL_OK, or the status the next fetch would
				 * end with */
} fetch_check;

void fetch_check_free(fetch_check *c);

/* Try on the logged-in session S what the next fetch of MB needs on the
 * server side (issue 10 item 6), without changing anything there but
 * \Recent: the URL's mailbox in the server's hierarchy exists and can be
 * SELECTed (read-write when after_fetch changes anything); for after_fetch
 * move, the folder translated to the server's separator (LIST) is not the
 * mailbox itself, exists, can hold messages (MYRIGHTS with ACL, else
 * EXAMINE). Appends fetch_check * to OUT (free func fetch_check_free) and
 * returns the most serious status. CFG gives FILE:LINE in messages.
 * *mailbox_out (g_free; NULL when it could not be resolved) is the URL's
 * mailbox as the server names it, for STATUS. */
tl_status fetch_check_server(imap_session *s, const tl_config *cfg,
			     const tl_mailbox_conf *mb, GPtrArray *out,
			     char **mailbox_out);

/* Fetch mailbox MB into ST (a read-write store, no transaction open) with
 * the spool directory SPOOL_DIR and ENV (may be NULL). Fills *counts
 * (zeroed first) and records last_success_utc or last_error in
 * mailbox_state. A failed connection
 * during the transfer is retried once on a fresh connection (everything is
 * idempotent through the ledger).
 *
 * One process at a time fetches a mailbox: MB is claimed first with
 * store_mailbox_lock_try() and let go at the end; a mailbox another
 * process holds (PostgreSQL, several fetchers) is skipped at once:
 * TL_OK with counts->held_elsewhere set and nothing else done.  So is one
 * another process finished since ENV's snapshot (fetch_env_snapshot),
 * with counts->done_elsewhere set.  Before
 * every after_fetch action the claim is checked again
 * (store_mailbox_lock_check): a lost one stops the run, db_moved set.
 *
 * Returns TL_OK; TL_TEMPFAIL (network, timeout, database busy past the
 * busy timeout, disk full, stopped by a signal), TL_NOPERM (login refused,
 * certificate untrusted, token_command failed), TL_CONFIG (bad URL,
 * plaintext refused, missing mailbox or move folder, unreadable
 * password_file, a move folder the server refused in FETCH_REFUSED_RUNS
 * runs in a row) or TL_SOFTWARE, with *errmsg (g_free) naming the
 * mailbox. Whatever the status, every message counted in *counts is
 * committed, and no message has been touched on the server whose ledger
 * row is not visible in the database at its path (counts->db_moved is set
 * when it was not: the caller must stop). */
tl_status fetch_mailbox(store *st, const tl_config *cfg,
			const tl_mailbox_conf *mb, const char *spool_dir,
			const fetch_env *env, fetch_counts *counts,
			char **errmsg);


/* ==== preview ==== */

/* preview-run.c - the client of tipline-preview, the worker that makes
 * a thumbnail of a photo or a still of a clip in a process of its own
 * (protocol: preview/preview.h).  Nothing here decodes an image: tipline
 * links no image or video library, only the worker does. */

typedef enum {
	PREVIEW_KIND_IMAGE = 0,	/* JPEG, PNG, WebP, HEIC */
	PREVIEW_KIND_VIDEO,	/* MP4, MOV: a still at about 1 s */
} preview_kind;

/* How to run the worker; zero fields take the defaults. */
typedef struct {
	const char *worker;	/* path of tipline-preview; NULL: beside
				 * the running executable (/proc/self/exe) */
	unsigned size;		/* fit in size x size pixels; 0: 480 */
	guint64 max_pixels;	/* 0: the worker's 120 Mpx */
	unsigned memory_mib;	/* worker's RLIMIT_AS; 0: 1024 MiB */
	unsigned cpu_seconds;	/* worker's RLIMIT_CPU; 0: 20 s */
	unsigned timeout_ms;	/* wall clock, then SIGKILL; 0: 30000 */
	/* Called (when not NULL) with the worker's pid once it runs: a
	 * server may record it; the tests kill it mid-decode. */
	void (*started)(GPid pid, gpointer data);
	gpointer started_data;
} preview_options;

/* Run the worker on the whole of the regular file or memfd FD (from
 * offset 0; borrowed, not closed) or, failing that, a pipe, with the
 * options OPT (NULL: defaults).  Thread-safe: the worker is started
 * with posix_spawn and only the fds it needs; the caller's other fds
 * are not inherited.  Never crashes or stalls the caller beyond the
 * timeout, whatever the input does to the worker.
 *
 * Returns TL_OK and *out (a new GBytes, a JPEG of at most
 * PREVIEW_MAX_OUTPUT bytes, no metadata); or "no preview" with *reason
 * (g_free, one line): TL_DATA when the input has none (unsupported,
 * over a limit, broken, or the worker crashed, was killed or timed out
 * on it), TL_SOFTWARE when the worker could not be run at all (missing,
 * not executable: *reason names the path). */
tl_status preview_run_fd(const preview_options *opt, preview_kind kind,
			 int fd, GBytes **out, char **reason);

/* The same for bytes in memory (borrowed): they are handed to the
 * worker through a sealed memfd, so a clip stays seekable. */
tl_status preview_run_bytes(const preview_options *opt, preview_kind kind,
			    GBytes *in, GBytes **out, char **reason);

/* preview-cache.c - previews made once and kept in the store (issue 12):
 * what the browser desk shows and `tipline previews` makes ahead. */

/* The preview of attachment INDEX (from 0) of submission SUBMISSION_ID
 * that fits in SIZE x SIZE pixels (0: PREVIEW_DEFAULT_SIZE), from the
 * cache (store.h store-preview) or, when not cached, made by the worker
 * with OPT (NULL: defaults; its size is replaced by SIZE) and cached.
 * *out is a new store_preview (store_preview_free): state OK with the
 * JPEG, or NONE with the reason, and made_now TRUE when this call ran
 * the worker.
 *
 * Only a photo tipline-preview decodes (attachment_media format JPEG,
 * PNG, WebP, HEIF) or a clip (MP4, QuickTime) goes to the worker; any
 * other attachment, and a dangerous one (media.h) whatever it is, is
 * NONE without running it and nothing is cached.  A failed decode
 * (broken, over a limit, crashed, timed out) is cached as NONE with the
 * worker's reason, so that it is not tried again.
 *
 * The decoded bytes go to the worker through a memfd
 * (store_attachment_write, temporary copy of the original under TMPDIR,
 * NULL: g_get_tmp_dir()), so the caller's memory does not grow with the
 * attachment.  Must be called outside any store transaction: the worker
 * runs with no lock held, and the result is stored by one INSERT OR
 * IGNORE afterwards; when two callers make the same preview at once,
 * the first stored stays and both return a valid preview.  Thread use:
 * one store per thread, as always.
 *
 * TL_OK; TL_DATA with *errmsg (g_free) when there is no such attachment
 * or its original is damaged; TL_SOFTWARE when the worker cannot be run
 * at all (nothing cached: a setup problem is not the file's fault);
 * TL_TEMPFAIL and others from the store.  *out is NULL on failure. */
tl_status preview_get(store *st, gint64 submission_id, gint64 index,
		      unsigned size, const preview_options *opt,
		      const char *tmpdir, store_preview **out,
		      char **errmsg);

/* The previews preview_get would make and has not cached at SIZE (0:
 * PREVIEW_DEFAULT_SIZE) by this worker version: photos and clips it
 * sends to the worker, of submissions received at or after SINCE_UTC
 * (NULL: all), newest first, at most LIMIT (0: all), as
 * store_preview_todo (*out: store_preview *, state MISSING; errors in
 * store_errmsg). */
tl_status preview_todo(store *st, const char *since_utc, gint64 limit,
		       unsigned size, GPtrArray **out);

#endif
