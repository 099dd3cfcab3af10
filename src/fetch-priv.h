/* fetch-priv.h - what fetch.c (spooling, the session) and fetch-tx.c
 * (transactions, ingest, after_fetch actions) share; not a public
 * interface (see fetch.h). */
#ifndef TIPLINE_FETCH_PRIV_H
#define TIPLINE_FETCH_PRIV_H

#include "fetch.h"
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
	int in_tx;
	gint64 tx_start, hog_start;	/* monotonic us */
	fetch_counts tx;	/* counts of the open transaction */
	int durable;		/* move/delete: fsync before acting */
	int net_failed;		/* an IMAP call failed with TL_TEMPFAIL */
	tl_status act_rc;	/* first failed after_fetch action */
	char *act_err;
	int batch_max, chunk_max;
} fetch_run;

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

#endif
