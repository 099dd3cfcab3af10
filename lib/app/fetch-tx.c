/* fetch-tx.c - the database side of a fetch: short write transactions that
 * carry the submissions, their ledger rows and the watermark together, and
 * the after_fetch actions applied only after they commit (see
 * fetch-tx-priv.h). */
#include <string.h>

#include "util.h"
#include "fetch-tx-priv.h"
#include "app.h"
#include "store.h"

/* ---- after_fetch actions ---------------------------------------------- */

/* The database at the path is not the one this run wrote (WHY, freed
 * here): stop the run before anything is done on the server. */
static tl_status
guard_stop(fetch_run *r, tl_status rc, char *why, char **errmsg)
{
	fetch_set_err(errmsg, "mailbox %s: %s; stopping, nothing was moved, "
		      "deleted or flagged on the server (the next run "
		      "fetches whatever that database lacks)", r->mb->name,
		      why);
	g_free(why);
	r->c->db_moved = 1;
	return rc;
}

/* Apply the configured after_fetch action to UIDS on the server, then mark
 * them done in the ledger. BODY.PEEK[] never sets \Seen, so "none" needs
 * no command. Idempotent: every action may be repeated after a crash; a
 * UID that is already gone is no error for UID STORE/MOVE/EXPUNGE. */
static tl_status
actions_apply(fetch_run *r, const guint32 *uids, size_t n, char **errmsg)
{
	const tl_mailbox_conf *mb = r->mb;
	char *op = NULL, *why = NULL;
	tl_status rc = TL_OK;

	if (n == 0)
		return TL_OK;
	if (r->c->db_moved)
		return TL_TEMPFAIL;
	/* Issue 9 section 3: the commit must be in the database at the
	 * path, not only in a file this process still has open (an admin
	 * restored a backup or removed the database meanwhile); otherwise
	 * the server keeps the only copy. */
	rc = store_guard_check(r->st, r->env->guard, mb->name,
			       r->uidvalidity, uids, n, &why);
	if (rc != TL_OK)
		return guard_stop(r, rc, why, errmsg);
	/* Issue 13: on PostgreSQL the mailbox is ours only while our
	 * session holds its advisory lock; a lost connection took the
	 * lock with it, and another fetcher may be at work (the guard
	 * above proves the rows through a new connection, which says
	 * nothing of the lock). */
	if ((rc = store_mailbox_lock_check(r->st, mb->name)) != TL_OK)
		return guard_stop(r, rc, g_strdup(store_errmsg(r->st)),
				  errmsg);
	fault_point("before-action");
	switch (mb->after_fetch) {
	case AFTER_FETCH_NONE:
		break;
	case AFTER_FETCH_SEEN:
		rc = imap_uid_store(r->s, uids, n, "+FLAGS.SILENT (\\Seen)",
				    errmsg);
		break;
	case AFTER_FETCH_FLAG:
		op = g_strdup_printf("+FLAGS.SILENT (%s)",
				     mb->flag_keyword != NULL ?
				     mb->flag_keyword : "$Tipline");
		rc = imap_uid_store(r->s, uids, n, op, errmsg);
		break;
	case AFTER_FETCH_MOVE:
		rc = imap_uid_move(r->s, uids, n, r->move_folder != NULL ?
				   r->move_folder : mb->after_fetch_folder,
				   errmsg);
		break;
	case AFTER_FETCH_DELETE:
		rc = imap_uid_delete(r->s, uids, n, errmsg);
		break;
	}
	g_free(op);
	if (rc != TL_OK)
		return imap_session_usable(r->s) ? rc : fetch_net(r, rc);
	fault_point("after-action");
	if ((rc = store_begin(r->st)) != TL_OK)
		goto db_fail;
	if ((rc = ledger_mark(r->st, mb->name, r->uidvalidity, uids, n,
			      LEDGER_ACTION_DONE)) != TL_OK) {
		store_rollback(r->st);
		goto db_fail;
	}
	/* Not durable: losing this commit only repeats the action. */
	if ((rc = store_commit(r->st, 0)) != TL_OK) {
		store_rollback(r->st);
		goto db_fail;
	}
	fault_point("action-recorded");
	r->c->actions += (int)n;
	return TL_OK;
db_fail:
	fetch_set_err(errmsg, "mailbox %s: %s", mb->name, store_errmsg(r->st));
	return rc;
}

/* Apply the action to the committed UIDs waiting in r->act_uids. A failed
 * action that leaves the session usable (a missing move folder) does not
 * stop the fetch: storing comes first, the rows stay pending, and the
 * status is reported at the end. */
tl_status
fetch_actions_flush(fetch_run *r, char **errmsg)
{
	char *err = NULL;
	tl_status rc;

	if (r->act_uids->len == 0)
		return TL_OK;
	if (r->act_rc != TL_OK) {
		g_array_set_size(r->act_uids, 0);
		return TL_OK;
	}
	rc = actions_apply(r, (guint32 *)(void *)r->act_uids->data,
			   r->act_uids->len, &err);
	g_array_set_size(r->act_uids, 0);
	if (rc == TL_OK)
		return TL_OK;
	if (rc == TL_TEMPFAIL && (r->c->db_moved ||
				  !imap_session_usable(r->s))) {
		/* Keep an earlier, more telling message if there is one. */
		if (*errmsg == NULL)
			*errmsg = err;
		else
			g_free(err);
		return rc;
	}
	/* The server answered NO with the session still usable: not a
	 * network failure, and retrying at once would not help. Not logged
	 * here: fetch_mailbox() returns it and the command prints it, once
	 * (issue 11). */
	r->refused = rc == TL_TEMPFAIL;
	r->act_rc = rc;
	r->act_err = err;
	return TL_OK;
}

/* ---- transactions ----------------------------------------------------- */

tl_status
fetch_tx_open(fetch_run *r, char **errmsg)
{
	tl_status rc;

	if (r->in_tx)
		return TL_OK;
	if ((rc = store_begin(r->st)) != TL_OK) {
		fetch_set_err(errmsg, "mailbox %s: %s", r->mb->name,
			store_errmsg(r->st));
		return rc;
	}
	r->in_tx = 1;
	r->tx_start = g_get_monotonic_time();
	if (r->hog_start == 0)
		r->hog_start = r->tx_start;
	memset(&r->tx, 0, sizeof r->tx);
	return TL_OK;
}

void
fetch_tx_abort(fetch_run *r)
{
	if (r->in_tx)
		store_rollback(r->st);
	r->in_tx = 0;
	g_array_set_size(r->tx_uids, 0);
}

void
fetch_tx_count(fetch_run *r, ledger_outcome outcome)
{
	switch (outcome) {
	case LEDGER_OUTCOME_DUPLICATE:
		r->tx.duplicates++;
		break;
	case LEDGER_OUTCOME_QUARANTINED:
		r->tx.quarantined++;
		break;
	case LEDGER_OUTCOME_TOO_LARGE:
		r->tx.too_large++;
		break;
	default:	/* stored, auto_reply, bounce, spam */
		r->tx.stored++;
		break;
	}
}

/* Advance the watermark over every listed UID that is done. */
static guint32
watermark(fetch_run *r)
{
	while (r->wm < r->list->len &&
	       g_array_index(r->list, fetch_uid, r->wm).done)
		r->wm++;
	if (r->wm == 0)
		return r->last_uid;
	return MAX(r->last_uid, g_array_index(r->list, fetch_uid,
					      r->wm - 1).uid);
}

/* Inside the open transaction, before it commits: is this still the
 * database at the path, and is it where our last commit left it (its
 * watermark is ours)? A database replaced or removed (stat), or rolled
 * back in place by a restore through SQLite (the watermark went back),
 * must not get a watermark above messages it lacks. */
static tl_status
guard_tx(fetch_run *r, char **errmsg)
{
	ledger_state state;
	char *err = NULL, *db = NULL;
	tl_status rc;

	rc = store_guard_check(r->st, r->env->guard, r->mb->name,
			       r->uidvalidity, NULL, 0, &err);
	memset(&state, 0, sizeof state);
	/* A row without UIDVALIDITY is only a recorded error: watermark 0. */
	if (rc == TL_OK && ledger_state_load(r->st, r->mb->name, &state) ==
	    TL_OK && ((state.uidvalidity != 0 &&
		       state.uidvalidity != r->uidvalidity) ||
		      (state.uidvalidity != 0 ? state.last_uid : 0) !=
		      r->last_uid)) {
		db = store_database_display(store_path(r->st));
		err = g_strdup_printf("database %s went back while this fetch "
				      "ran (its last UID of mailbox %s is %u, "
				      "this fetch committed %u: a restored "
				      "backup?)", db, r->mb->name,
				      state.last_uid, r->last_uid);
		rc = TL_TEMPFAIL;
	}
	g_free(db);
	ledger_state_clear(&state);
	return rc != TL_OK ? guard_stop(r, rc, err, errmsg) : TL_OK;
}

/* Write the watermark and commit the open transaction (durably before a
 * move or delete), then queue its UIDs for the after_fetch action. */
tl_status
fetch_tx_commit(fetch_run *r, char **errmsg)
{
	guint32 wm;
	tl_status rc;

	if (!r->in_tx)
		return TL_OK;
	if ((rc = guard_tx(r, errmsg)) != TL_OK) {
		fetch_tx_abort(r);
		return rc;
	}
	wm = watermark(r);
	rc = ledger_state_save(r->st, r->mb->name, r->uidvalidity, wm, 0);
	if (rc != TL_OK)
		goto fail;
	fault_point("before-commit");
	if ((rc = store_commit(r->st, r->durable)) != TL_OK)
		goto fail;
	fault_point("after-commit");
	r->in_tx = 0;
	r->last_uid = wm;
	r->c->last_uid = wm;
	r->c->stored += r->tx.stored;
	r->c->quarantined += r->tx.quarantined;
	r->c->too_large += r->tx.too_large;
	r->c->duplicates += r->tx.duplicates;
	if (r->mb->after_fetch != AFTER_FETCH_NONE)
		g_array_append_vals(r->act_uids, r->tx_uids->data,
				    r->tx_uids->len);
	g_array_set_size(r->tx_uids, 0);
	/* Held the write lock for half a second or more (in one or several
	 * transactions back to back; each is at most FETCH_BATCH_MS): step
	 * aside a little longer than SQLite's busy-handler sleep (100 ms
	 * once it has waited a while), so a waiting editor gets in after a
	 * second at worst. SQLite's locks are not fair queues and cannot
	 * show a waiter; store_begin() signals one through a flock, so the
	 * pause is paid only when someone waits (it cost 1.5 s of sleep per
	 * 2,000 messages when paid always). */
	if (g_get_monotonic_time() - r->hog_start >=
	    FETCH_BATCH_MS * (gint64)1000) {
		if (store_writer_waiting(r->st))
			g_usleep(FETCH_YIELD_MS * 1000);
		r->hog_start = 0;
	}
	return TL_OK;
fail:
	fetch_set_err(errmsg, "mailbox %s: %s", r->mb->name,
		      store_errmsg(r->st));
	fetch_tx_abort(r);
	return rc;
}

/* ---- ingest ----------------------------------------------------------- */

/* Last resort for a message ingest_file() could not store (a bug, or a
 * message that trips the store): keep its raw bytes as "quarantined" with
 * the error, so one poison message never blocks the mailbox. */
static tl_status
quarantine_raw(fetch_run *r, const fetch_item *it, const store_source *src,
	       const char *why, ingest_result *res)
{
	msg_submission sub;
	GPtrArray *empty = g_ptr_array_new();
	gint64 id = 0, dup = 0, size = 0;
	char *err = NULL;
	tl_status rc;

	memset(&sub, 0, sizeof sub);
	sub.text = (char *)"";
	sub.attachments = empty;
	sub.forwarded = empty;
	sub.warnings = empty;
	sub.quarantine_reason = (char *)why;
	if (it->unfetchable)	/* what `list` shows in its row */
		sub.subject = g_strdup_printf("(tipline: message UID %u of "
					      "mailbox %s could not be "
					      "fetched; it is on the server)",
					      it->uid, r->mb->name);
	memset(res, 0, sizeof *res);
	rc = hash_content_file(it->path, res->content_hash, &size, &err);
	if (rc == TL_OK)
		rc = store_submission_insert(r->st, &sub, it->path, size,
					     res->content_hash, src,
					     QUEUE_QUARANTINED, why, &id,
					     &dup);
	g_ptr_array_unref(empty);
	g_free(sub.subject);
	g_free(err);
	if (rc != TL_OK)
		return rc;
	res->outcome = dup > 0 ? LEDGER_OUTCOME_DUPLICATE :
		       LEDGER_OUTCOME_QUARANTINED;
	res->submission_id = dup > 0 ? dup : id;
	return TL_OK;
}

/* Why item IT (its list entry U) is queued without its body, as the
 * quarantine or too_large reason; NULL for a whole message.  New
 * string (g_free). */
static char *
item_reason(const fetch_run *r, const fetch_item *it, const fetch_uid *u)
{
	if (it->unfetchable)
		return g_strdup_printf("the server failed to send this "
				       "message (%" G_GINT64_FORMAT " bytes, "
				       "UID %u) in %d runs: the connection "
				       "died each time; this is a "
				       "placeholder, the message is left on "
				       "the server (ask its admin; read it "
				       "there)", u->size, it->uid,
				       FETCH_UNFETCHABLE_RUNS);
	if (it->nobody)
		return g_strdup_printf("the server lists this message "
				       "(%" G_GINT64_FORMAT " bytes) but "
				       "returned no body for it; only its "
				       "header is queued and the message is "
				       "left on the server", u->size);
	if (it->too_large)
		return g_strdup_printf("message is %" G_GINT64_FORMAT
				       " bytes, over max_message_size (%"
				       G_GINT64_FORMAT "); only its header "
				       "was fetched", u->size,
				       r->mb->max_message_size);
	return NULL;
}

/* Store item IT under the current savepoint: ingested, or its raw bytes
 * as quarantined when it has no body or ingesting failed for a reason
 * of its own.  TL_TEMPFAIL and a failed fallback come back with
 * *errmsg set. */
static tl_status
item_store(fetch_run *r, fetch_item *it, const store_source *src,
	   const char *reason, ingest_result *res, char **errmsg)
{
	char *err = NULL, *why;
	tl_status rc;

	if (it->nobody || it->unfetchable)
		rc = quarantine_raw(r, it, src, reason, res);
	else
		rc = ingest_file(r->st, r->cfg, it->path,
				 it->too_large ? NULL : it->hash, src,
				 reason, res, &err);
	if (rc == TL_TEMPFAIL && err == NULL)
		err = g_strdup(store_errmsg(r->st));
	if (rc == TL_TEMPFAIL) {
		fetch_set_err(errmsg, "mailbox %s uid %u: %s", r->mb->name,
			it->uid, err != NULL ? err : "temporary failure");
		g_free(err);
		return rc;
	}
	if (rc == TL_OK) {
		g_free(err);
		return rc;
	}
	why = g_strdup_printf("could not be stored normally: %s",
			      err != NULL ? err : "?");
	log_warn("mailbox %s uid %u: %s; keeping it raw as quarantined",
		 r->mb->name, it->uid, why);
	store_savepoint_rollback(r->st);
	rc = quarantine_raw(r, it, src, why, res);
	g_free(why);
	if (rc != TL_OK)
		fetch_set_err(errmsg, "mailbox %s uid %u: %s", r->mb->name,
			      it->uid, store_errmsg(r->st));
	g_free(err);
	return rc;
}

/* Ingest one spooled message inside the open transaction and write its
 * ledger row. TL_TEMPFAIL (database busy or full) aborts the transaction;
 * the caller stops. */
tl_status
fetch_ingest_item(fetch_run *r, fetch_item *it, char **errmsg)
{
	fetch_uid *u = &g_array_index(r->list, fetch_uid, it->idx);
	gboolean taken = FALSE;
	store_source src = { r->mb->name, r->uidvalidity, it->uid, NULL,
			     NULL, &taken };
	ingest_result res;
	char *reason = NULL;
	int keep;
	tl_status rc;

	if ((rc = fetch_tx_open(r, errmsg)) != TL_OK)
		return rc;
	reason = item_reason(r, it, u);
	/* A savepoint per message: a message that fails halfway is undone
	 * alone, not with the whole batch. */
	if ((rc = store_savepoint(r->st)) != TL_OK) {
		/* PostgreSQL: the first statement after the server went
		 * away. */
		fetch_set_err(errmsg, "mailbox %s uid %u: %s", r->mb->name,
			      it->uid, store_errmsg(r->st));
		goto fail;
	}
	rc = item_store(r, it, &src, reason, &res, errmsg);
	/* A large original's spool file was renamed into the originals
	 * folder: its name is gone, and must never go back to the pool
	 * (another file may take that name; the pool would write into it
	 * or remove it). */
	if (taken)
		g_clear_pointer(&it->path, g_free);
	if (rc != TL_OK)
		goto fail;
	/* A message whose body was not stored (over max_message_size) must
	 * stay on the server: move or delete would destroy its only full
	 * copy. Flags are harmless and still applied. */
	keep = ((it->too_large || it->nobody) &&
		(r->mb->after_fetch == AFTER_FETCH_MOVE ||
		 r->mb->after_fetch == AFTER_FETCH_DELETE)) ||
	       it->unfetchable;
	rc = ledger_insert(r->st, r->mb->name, r->uidvalidity, it->uid,
			   res.outcome, res.submission_id, u->size,
			   r->mb->after_fetch == AFTER_FETCH_NONE ?
			   LEDGER_ACTION_DONE : keep ? LEDGER_ACTION_KEPT :
			   LEDGER_ACTION_PENDING);
	if (rc == TL_OK && it->unfetchable)
		rc = ledger_fail_give_up(r->st, r->mb->name, r->uidvalidity,
					 it->uid, res.submission_id);
	if (rc == TL_OK)
		rc = store_savepoint_release(r->st);
	if (rc != TL_OK) {
		fetch_set_err(errmsg, "mailbox %s uid %u: %s", r->mb->name,
			it->uid, store_errmsg(r->st));
		goto fail;
	}
	log_debug("mailbox %s uid %u: %s (submission %" G_GINT64_FORMAT ")",
		  r->mb->name, it->uid, ledger_outcome_name(res.outcome),
		  res.submission_id);
	fetch_tx_count(r, res.outcome);
	u->done = 1;
	if (keep && !it->unfetchable)	/* fetch-fail.c says it */
		log_warn("mailbox %s uid %u: %s; left on the server "
			 "(after_fetch not applied), only its header is "
			 "queued", r->mb->name, it->uid, it->nobody ?
			 "the server sent no body" : "over max_message_size");
	else if (!keep)
		g_array_append_val(r->tx_uids, it->uid);
	fault_point("ingested");
	g_free(reason);
	return TL_OK;
fail:
	g_free(reason);
	/* Roll back the whole transaction: the UIDs marked done in it are
	 * pending again (the watermark was not committed either). */
	fetch_tx_abort(r);
	return rc;
}
