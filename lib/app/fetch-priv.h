/* fetch-priv.h - what fetch.c (spooling, the session) and fetch-tx.c
 * (transactions, ingest, after_fetch actions) share; not a public
 * interface (see fetch.h). */
#ifndef TIPLINE_FETCH_PRIV_H
#define TIPLINE_FETCH_PRIV_H

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
	char *path;		/* spool file, owned; NULL: not received */
	char hash[65];		/* content hash when the body was received */
} fetch_item;

typedef struct {
	store *st;
	const tl_config *cfg;
	const tl_mailbox_conf *mb;
	const char *spool_dir;
	imap_session *s;
	fetch_counts *c;
	guint32 uidvalidity;
	guint32 last_uid;	/* committed watermark */
	GArray *list;		/* of fetch_uid, ascending */
	size_t wm;		/* list[0 .. wm-1] are all done */
	GArray *chunk;		/* of fetch_item */
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
	fetch_progress prog;
	gint64 prog_us;		/* monotonic time of the last report */
	int refused;		/* act_rc is the server's NO, the session
				 * still usable */
	GHashTable *failing;	/* UID -> earlier failed runs (> 0) */
	gint64 run_id;		/* one per fetch_mailbox() call */
	char *mailbox;		/* the URL's mailbox in the server's
				 * hierarchy (fetch-names.c) */
	char *move_folder;	/* after_fetch move FOLDER, likewise */
} fetch_run;

/* Report progress (throttled to 10 per second unless FORCE). */
void fetch_progress_report(fetch_run *r, int force);

/* Set *errmsg to a formatted message unless it is set already. */
void fetch_set_err(char **errmsg, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Remember a failed IMAP call (TL_TEMPFAIL: the session is dead); returns
 * RC. */
tl_status fetch_net(fetch_run *r, tl_status rc);

/* Apply after_fetch to the committed UIDs in r->act_uids and mark them in
 * the ledger; a failure that leaves the session usable is kept in
 * r->act_rc and does not stop the fetch. */
tl_status fetch_actions_flush(fetch_run *r, char **errmsg);

/* Open a write transaction unless one is open (BEGIN IMMEDIATE, waiting
 * at most the busy timeout). */
tl_status fetch_tx_open(fetch_run *r, char **errmsg);

/* Roll back the open transaction, if any. */
void fetch_tx_abort(fetch_run *r);

/* Write the watermark, commit (durably before move/delete), queue the
 * committed UIDs for the action; may pause so a waiting editor gets in. */
tl_status fetch_tx_commit(fetch_run *r, char **errmsg);

/* Count OUTCOME in the open transaction's counts (r->tx), which become
 * the run's counts when it commits. The one place that maps outcomes to
 * the summary's columns, for fetch-tx.c and fetch-refetch.c. */
void fetch_tx_count(fetch_run *r, ledger_outcome outcome);

/* Ingest one spooled message and its ledger row in the open transaction
 * (opened if needed). On failure the transaction is rolled back. */
tl_status fetch_ingest_item(fetch_run *r, fetch_item *it, char **errmsg);

/* Download, ingest and commit the too_large entries of the selected
 * mailbox that max_message_size now allows, then apply after_fetch to
 * them (fetch-refetch.c). */
tl_status fetch_refetch(fetch_run *r, char **errmsg);

/* How many such entries wait (0 on any error), for the STATUS-only poll. */
int fetch_refetch_waiting(store *st, const tl_mailbox_conf *mb,
			  guint32 uidvalidity);

/* Put the URL's mailbox and the move folder into the server's hierarchy
 * (r->mailbox, r->move_folder; LIST only when a name has a '/'), and
 * refuse a move folder that is the mailbox itself (fetch-names.c). */
tl_status fetch_names_resolve(fetch_run *r, int with_move, char **errmsg);

/* After STATUS or SELECT of r->mailbox failed with RC (a tagged NO): ask
 * LIST what is really wrong and return the status to report (TL_CONFIG
 * for a mailbox that does not exist or cannot be selected, TL_TEMPFAIL
 * for one that vanished between STATUS and SELECT), replacing *errmsg. */
tl_status fetch_names_explain(fetch_run *r, int after_status, tl_status rc,
			      char **errmsg);

/* Load the UIDs that failed in earlier runs into r->failing. */
tl_status fetch_fail_load(fetch_run *r, char **errmsg);

/* The connection died while the chunk was being received: count a failed
 * run for the first UID that did not arrive and, at
 * FETCH_UNFETCHABLE_RUNS, queue its placeholder and commit it. Errors
 * here are logged, never returned: the network error is the one to
 * report. */
void fetch_fail_chunk(fetch_run *r, const char *why);

/* Forget earlier failures of UIDs stored now (after a commit). */
void fetch_fail_stored(fetch_run *r);

/* After a run that ended with the server refusing the after_fetch action
 * (r->refused): count it; at FETCH_REFUSED_RUNS runs in a row turn RC
 * into TL_CONFIG and say so in *errmsg. After a run without refusal,
 * forget the count. Returns the status to report. */
tl_status fetch_fail_refused(fetch_run *r, tl_status rc, char **errmsg);

#endif
