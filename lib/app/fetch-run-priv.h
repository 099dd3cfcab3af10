/* fetch-run-priv.h - the state of one fetch_mailbox() run, which fetch.c
 * owns and lends to the transaction (fetch-tx.c), refetch, name and
 * failure modules, and the two error helpers they all use. Not a public
 * interface (see app.h).
 */
#ifndef TIPLINE_FETCH_RUN_H
#define TIPLINE_FETCH_RUN_H

#include "app.h"
#include "imap.h"

/* A listed UID: pending until its ledger row is written (or found). */
typedef struct {
	guint32 uid;
	gint64 size;		/* RFC822.SIZE */
	int done;		/* ledger row committed/in the open tx, or the
				 * message vanished from the server */
} fetch_uid;

/* A spooled message of the current chunk. */
typedef struct {
	guint32 uid;
	size_t idx;		/* into run.list */
	int too_large;
	int nobody;		/* listed, but the server sent no body: only
				 * its header is queued (quarantined) */
	int unfetchable;	/* given up after FETCH_UNFETCHABLE_RUNS:
				 * path is a placeholder (fetch-fail.c) */
	int gone;		/* the server no longer has it: set by the
				 * spooling thread, copied to run.list's
				 * done by the main thread after the join */
	char *path;		/* spool file, owned; NULL: not received */
	char hash[65];		/* content hash when the body was received */
} fetch_item;

typedef struct {
	store *st;
	const tl_config *cfg;
	const tl_mailbox_conf *mb;
	const char *spool_dir;
	spool_pool *spool;	/* the spool files, used again (util.h):
				 * taken by the reader thread, given back by
				 * the main thread after each ingest */
	imap_session *s;
	fetch_counts *c;
	guint32 uidvalidity;
	guint32 last_uid;	/* committed watermark */
	GArray *list;		/* of fetch_uid, ascending */
	size_t wm;		/* list[0 .. wm-1] are all done */
	GArray *chunk;		/* of fetch_item: the chunk being ingested
				 * (main thread) */
	GArray *ahead;		/* of fetch_item: the next chunk, spooled
				 * by the reader thread meanwhile (owned by
				 * it until joined; fetch.c) */
	GArray *tx_uids;	/* in the open transaction */
	GArray *act_uids;	/* committed, after_fetch not yet applied */
	int in_tx;		/* fetch-tx.c only (fetch_tx_open/commit) */
	gint64 tx_start, hog_start;	/* monotonic us */
	fetch_counts tx;	/* counts of the open transaction; fetch-tx.c
				 * only (others call fetch_tx_count) */
	int durable;		/* move/delete: fsync before acting */
	int net_failed;		/* an IMAP call failed with TL_TEMPFAIL */
	tl_status act_rc;	/* first failed after_fetch action */
	char *act_err;
	int batch_max, chunk_max;
	const fetch_env *env;	/* never NULL */
	fetch_progress prog;	/* written by whichever thread spools */
	gint64 prog_us;		/* monotonic time of the last report */
	int refused;		/* act_rc is the server's NO, the session
				 * still usable */
	GHashTable *failing;	/* UID -> earlier failed runs (> 0) */
	gint64 run_id;		/* one per fetch_mailbox() call */
	char *mailbox;		/* the URL's mailbox in the server's
				 * hierarchy (fetch-names.c) */
	char *move_folder;	/* after_fetch move FOLDER, likewise */
} fetch_run;

/* Set *errmsg to a formatted message unless it is set already. */
void fetch_set_err(char **errmsg, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Remember a failed IMAP call (TL_TEMPFAIL: the session is dead); returns
 * RC. */
tl_status fetch_net(fetch_run *r, tl_status rc);

#endif
