/* fetch-tx-priv.h - the database side of a fetch run: short write
 * transactions carrying submissions, ledger rows and the watermark
 * together, and the after_fetch actions applied once they commit
 * (fetch-tx.c).
 */
#ifndef TIPLINE_FETCH_TX_H
#define TIPLINE_FETCH_TX_H

#include "fetch-run-priv.h"

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

#endif
