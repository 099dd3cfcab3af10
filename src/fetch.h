/* fetch.h - the cron job's core: every message of a mailbox into the queue
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
 * Network and database work never overlap: a group of messages is spooled
 * to files first (pipelined, no SQLite lock held), then ingested in short
 * write transactions (at most FETCH_BATCH_MAX messages or FETCH_BATCH_MS of
 * holding the write lock), so an editor's decision waits about a second at
 * most even during a large backlog.
 *
 * Nothing here prints to stdout or exits; progress goes to log_debug.
 */
#ifndef TIPLINE_FETCH_H
#define TIPLINE_FETCH_H

#include <glib.h>

#include "config.h"
#include "status.h"
#include "store.h"

#define FETCH_BATCH_MAX 200	/* messages per write transaction */
#define FETCH_BATCH_MS 500	/* ms of holding the write lock */
#define FETCH_YIELD_MS 105	/* pause after holding it that long */
#define FETCH_CHUNK_MAX 1000	/* messages spooled before ingesting */
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
} fetch_counts;

/* Take the lock that keeps two fetches (two cron runs) off one database:
 * flock(LOCK_EX | LOCK_NB) on "DATABASE.lock" (created mode 0660, opened
 * with safefile_open: a planted link is refused with TL_NOPERM). Held
 * elsewhere: TL_TEMPFAIL (and only then) with "another tipline fetch is
 * running ..."; a lock file that cannot be opened or locked: TL_CONFIG.
 * *errmsg is newly allocated (g_free). *fd_out is the lock's descriptor,
 * for fetch_lock_release(). The kernel drops the lock when the process
 * dies, so a crash never leaves it stale. */
tl_status fetch_lock_take(const char *database, int *fd_out, char **errmsg);

/* Release a lock from fetch_lock_take(); a negative fd is allowed. */
void fetch_lock_release(int fd);

/* Spool files are named by imap_fetch_bodies()/imap_fetch_header() (see
 * imap-cmd.c) with this prefix. */
#define FETCH_SPOOL_PREFIX "tipline-imap-"

/* Remove the spool files a killed fetch left in SPOOL_DIR (a kill -9 or a
 * power cut gives no chance to unlink them). Call only with the fetch lock
 * held: then no other fetch of this database is writing any. A spool
 * directory shared with other programs or databases (the default, $TMPDIR)
 * may hold another tipline's files in flight, so there MIN_AGE_S > 0 spares
 * files modified less than that many seconds ago. Returns how many were
 * removed. */
int fetch_spool_sweep(const char *spool_dir, int min_age_s);

/* Install SIGTERM/SIGINT handlers that ask the fetch to stop between two
 * messages (committing what it has stored); a second signal kills the
 * process at once. Also ignores SIGPIPE (a closed server socket must be an
 * error return, not death). */
void fetch_signals_install(void);

/* Non-zero once SIGTERM or SIGINT has been received. */
int fetch_stop_requested(void);

/* Fetch mailbox MB into ST (a read-write store, no transaction open) with
 * the spool directory SPOOL_DIR. Fills *counts (zeroed first) and records
 * last_success_utc or last_error in mailbox_state. A failed connection
 * during the transfer is retried once on a fresh connection (everything is
 * idempotent through the ledger).
 *
 * Returns TL_OK; TL_TEMPFAIL (network, timeout, database busy past the
 * busy timeout, disk full, stopped by a signal), TL_NOPERM (login refused,
 * certificate untrusted, token_command failed), TL_CONFIG (bad URL,
 * plaintext refused, missing mailbox or move folder, unreadable
 * password_file) or TL_SOFTWARE, with *errmsg (g_free) naming the mailbox.
 * Whatever the status, every message counted in *counts is committed, and
 * no message that is not committed has been touched on the server. */
tl_status fetch_mailbox(store *st, const tl_config *cfg,
			const tl_mailbox_conf *mb, const char *spool_dir,
			fetch_counts *counts, char **errmsg);

#endif
