/* fetch.c - one mailbox into the queue, exactly once (see fetch.h).
 *
 * One run of a mailbox:
 *   connect, STATUS -> nothing new: LOGOUT (a cron poll costs CAPABILITY,
 *   authentication, STATUS and LOGOUT, nothing more);
 *   else SELECT -> UIDVALIDITY check -> repair pending after_fetch actions
 *   -> UID FETCH (UID RFC822.SIZE) from last_uid+1 -> in chunks: spool the
 *   bodies (pipelined; only the header block of a message over
 *   max_message_size), ingest them in short transactions, apply the
 *   after_fetch action to what was committed, mark it in the ledger.
 * Every durable step is a fault_point() for the crash tests.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "faults.h"
#include "hash.h"
#include "fetch.h"
#include "imap.h"
#include "ingest.h"
#include "ledger.h"
#include "log.h"
#include "secret.h"

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

static void
set_err(char **errmsg, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Replace *errmsg (if not already set) with a formatted message. */
static void
set_err(char **errmsg, const char *fmt, ...)
{
	va_list ap;

	if (*errmsg != NULL)
		return;
	va_start(ap, fmt);
	*errmsg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
}

/* Remember a failed IMAP call: TL_TEMPFAIL means the session is dead. */
static tl_status
net(fetch_run *r, tl_status rc)
{
	if (rc == TL_TEMPFAIL)
		r->net_failed = 1;
	return rc;
}

/* ---- after_fetch actions ---------------------------------------------- */

/* Apply the configured after_fetch action to UIDS on the server, then mark
 * them done in the ledger. BODY.PEEK[] never sets \Seen, so "none" needs
 * no command. Idempotent: every action may be repeated after a crash; a
 * UID that is already gone is no error for UID STORE/MOVE/EXPUNGE. */
static tl_status
actions_apply(fetch_run *r, const guint32 *uids, size_t n, char **errmsg)
{
	const tl_mailbox_conf *mb = r->mb;
	char *op = NULL;
	tl_status rc = TL_OK;

	if (n == 0)
		return TL_OK;
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
		rc = imap_uid_move(r->s, uids, n, mb->after_fetch_folder,
				   errmsg);
		break;
	case AFTER_FETCH_DELETE:
		rc = imap_uid_delete(r->s, uids, n, errmsg);
		break;
	}
	g_free(op);
	if (rc != TL_OK)
		return net(r, rc);
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
	set_err(errmsg, "mailbox %s: %s", mb->name, store_errmsg(r->st));
	return rc;
}

/* Apply the action to the committed UIDs waiting in r->act_uids. A failed
 * action that leaves the session usable (a missing move folder) does not
 * stop the fetch: storing comes first, the rows stay pending, and the
 * status is reported at the end. */
static tl_status
actions_flush(fetch_run *r, char **errmsg)
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
	if (rc == TL_TEMPFAIL) {
		*errmsg = err;
		return rc;
	}
	log_err("%s", err != NULL ? err : "after_fetch failed");
	r->act_rc = rc;
	r->act_err = err;
	return TL_OK;
}

/* ---- transactions ----------------------------------------------------- */

static tl_status
tx_open(fetch_run *r, char **errmsg)
{
	tl_status rc;

	if (r->in_tx)
		return TL_OK;
	if ((rc = store_begin(r->st)) != TL_OK) {
		set_err(errmsg, "mailbox %s: %s", r->mb->name,
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

static void
tx_abort(fetch_run *r)
{
	if (r->in_tx)
		store_rollback(r->st);
	r->in_tx = 0;
	g_array_set_size(r->tx_uids, 0);
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

/* Write the watermark and commit the open transaction (durably before a
 * move or delete), then queue its UIDs for the after_fetch action. */
static tl_status
tx_commit(fetch_run *r, char **errmsg)
{
	guint32 wm;
	tl_status rc;

	if (!r->in_tx)
		return TL_OK;
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
	 * transactions back to back): step aside longer than SQLite's
	 * busy-handler sleep (100 ms at most), so a waiting editor gets in
	 * and waits about a second at worst. */
	if (g_get_monotonic_time() - r->hog_start >=
	    FETCH_BATCH_MS * (gint64)1000) {
		g_usleep(120 * 1000);
		r->hog_start = 0;
	}
	return TL_OK;
fail:
	set_err(errmsg, "mailbox %s: %s", r->mb->name, store_errmsg(r->st));
	tx_abort(r);
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
	memset(res, 0, sizeof *res);
	rc = hash_content_file(it->path, res->content_hash, &size, &err);
	if (rc == TL_OK)
		rc = store_submission_insert(r->st, &sub, it->path, size,
					     res->content_hash, src,
					     "quarantined", why, &id, &dup);
	g_ptr_array_unref(empty);
	g_free(err);
	if (rc != TL_OK)
		return rc;
	res->outcome = dup > 0 ? "duplicate" : "quarantined";
	res->submission_id = dup > 0 ? dup : id;
	return TL_OK;
}

static int
sp_exec(fetch_run *r, const char *sql)
{
	return sqlite3_exec(store_db(r->st), sql, NULL, NULL, NULL);
}

/* Ingest one spooled message inside the open transaction and write its
 * ledger row. TL_TEMPFAIL (database busy or full) aborts the transaction;
 * the caller stops. */
static tl_status
ingest_item(fetch_run *r, fetch_item *it, char **errmsg)
{
	fetch_uid *u = &g_array_index(r->list, fetch_uid, it->idx);
	store_source src = { r->mb->name, r->uidvalidity, it->uid, NULL };
	ingest_result res;
	char *reason = NULL, *err = NULL;
	tl_status rc;

	if ((rc = tx_open(r, errmsg)) != TL_OK)
		return rc;
	if (it->too_large)
		reason = g_strdup_printf("message is %" G_GINT64_FORMAT
					 " bytes, over max_message_size (%"
					 G_GINT64_FORMAT "); only its header "
					 "was fetched", u->size,
					 r->mb->max_message_size);
	/* A savepoint per message: a message that fails halfway is undone
	 * alone, not with the whole batch. */
	if (sp_exec(r, "SAVEPOINT msg") != SQLITE_OK) {
		rc = store_fail(r->st, "savepoint");
		goto fail;
	}
	rc = ingest_file(r->st, r->cfg, it->path,
			 it->too_large ? NULL : it->hash, &src, reason, &res,
			 &err);
	if (rc == TL_TEMPFAIL) {
		set_err(errmsg, "mailbox %s uid %u: %s", r->mb->name,
			it->uid, err != NULL ? err : "temporary failure");
		goto fail;
	}
	if (rc != TL_OK) {
		char *why = g_strdup_printf("could not be stored normally: "
					    "%s", err != NULL ? err : "?");

		log_warn("mailbox %s uid %u: %s; keeping it raw as "
			 "quarantined", r->mb->name, it->uid, why);
		sp_exec(r, "ROLLBACK TO msg");
		rc = quarantine_raw(r, it, &src, why, &res);
		g_free(why);
		if (rc != TL_OK) {
			set_err(errmsg, "mailbox %s uid %u: %s", r->mb->name,
				it->uid, store_errmsg(r->st));
			goto fail;
		}
	}
	rc = ledger_insert(r->st, r->mb->name, r->uidvalidity, it->uid,
			   res.outcome, res.submission_id, u->size,
			   r->mb->after_fetch == AFTER_FETCH_NONE ?
			   LEDGER_ACTION_DONE : LEDGER_ACTION_PENDING);
	if (rc != TL_OK || sp_exec(r, "RELEASE msg") != SQLITE_OK) {
		if (rc == TL_OK)
			rc = store_fail(r->st, "release");
		set_err(errmsg, "mailbox %s uid %u: %s", r->mb->name,
			it->uid, store_errmsg(r->st));
		goto fail;
	}
	log_debug("mailbox %s uid %u: %s (submission %" G_GINT64_FORMAT ")",
		  r->mb->name, it->uid, res.outcome, res.submission_id);
	if (strcmp(res.outcome, "duplicate") == 0)
		r->tx.duplicates++;
	else if (strcmp(res.outcome, "quarantined") == 0)
		r->tx.quarantined++;
	else if (strcmp(res.outcome, "too_large") == 0)
		r->tx.too_large++;
	else
		r->tx.stored++;
	u->done = 1;
	g_array_append_val(r->tx_uids, it->uid);
	fault_point("ingested");
	g_free(reason);
	g_free(err);
	return TL_OK;
fail:
	g_free(reason);
	g_free(err);
	/* Roll back the whole transaction: the UIDs marked done in it are
	 * pending again (the watermark was not committed either). */
	tx_abort(r);
	return rc;
}

/* ---- spooling --------------------------------------------------------- */

static int
item_cmp(const void *a, const void *b)
{
	guint32 x = ((const fetch_item *)a)->uid;
	guint32 y = ((const fetch_item *)b)->uid;

	return x < y ? -1 : x > y;
}

/* imap_body_cb: remember the spool file of UID in the chunk. */
static tl_status
on_body(guint32 uid, const char *spool_path, const char *content_hash,
	gint64 size, void *user)
{
	fetch_run *r = user;
	fetch_item key = { 0 }, *it;

	(void)size;
	key.uid = uid;
	it = bsearch(&key, r->chunk->data, r->chunk->len, sizeof key,
		     item_cmp);
	if (it == NULL || it->path != NULL) {
		/* Not asked for (or twice): never ours to keep. */
		unlink(spool_path);
		return TL_OK;
	}
	it->path = g_strdup(spool_path);
	g_strlcpy(it->hash, content_hash, sizeof it->hash);
	fault_point("spool-written");
	if (fetch_stop_requested())
		return TL_TEMPFAIL;
	return TL_OK;
}

static void
chunk_clear(fetch_run *r)
{
	guint i;

	for (i = 0; i < r->chunk->len; i++) {
		fetch_item *it = &g_array_index(r->chunk, fetch_item, i);

		if (it->path != NULL) {
			unlink(it->path);
			g_free(it->path);
		}
	}
	g_array_set_size(r->chunk, 0);
}

/* Spool the chunk: bodies pipelined, then the header of each message over
 * the size limit. Whatever was received before a failure stays spooled
 * and is still ingested (it is complete). A UID the server no longer has
 * is marked done (vanished) only when the command itself succeeded. */
static tl_status
chunk_spool(fetch_run *r, char **errmsg)
{
	GArray *uids = g_array_new(FALSE, FALSE, sizeof(guint32));
	gint64 t0 = g_get_monotonic_time();
	tl_status rc = TL_OK;
	guint i;

	for (i = 0; i < r->chunk->len; i++) {
		fetch_item *it = &g_array_index(r->chunk, fetch_item, i);

		if (!it->too_large)
			g_array_append_val(uids, it->uid);
	}
	if (uids->len > 0) {
		rc = imap_fetch_bodies(r->s, (guint32 *)(void *)uids->data,
				       uids->len, r->spool_dir, on_body, r,
				       errmsg);
		net(r, rc);
	}
	for (i = 0; i < r->chunk->len && rc == TL_OK; i++) {
		fetch_item *it = &g_array_index(r->chunk, fetch_item, i);

		if (it->too_large) {
			rc = imap_fetch_header(r->s, it->uid, r->spool_dir,
					       &it->path, errmsg);
			if (rc == TL_NOINPUT) {
				g_free(*errmsg);
				*errmsg = NULL;
				g_array_index(r->list, fetch_uid,
					      it->idx).done = 1;
				rc = TL_OK;
				continue;
			}
			net(r, rc);
			if (rc == TL_OK)
				fault_point("spool-written");
		} else if (it->path == NULL) {
			log_debug("mailbox %s uid %u: gone from the server",
				  r->mb->name, it->uid);
			g_array_index(r->list, fetch_uid, it->idx).done = 1;
		}
	}
	if (rc == TL_OK && fetch_stop_requested())
		rc = TL_TEMPFAIL;
	/* A long transfer let any waiting editor in. */
	if (g_get_monotonic_time() - t0 > 100 * 1000)
		r->hog_start = 0;
	g_array_unref(uids);
	return rc;
}

/* Ingest every spooled item of the chunk in UID order, committing every
 * batch_max messages or FETCH_BATCH_MS. */
static tl_status
chunk_ingest(fetch_run *r, char **errmsg)
{
	tl_status rc = TL_OK;
	guint i;

	for (i = 0; i < r->chunk->len; i++) {
		fetch_item *it = &g_array_index(r->chunk, fetch_item, i);

		/* Even after a stop signal: these are whole on disk, and
		 * storing them takes milliseconds each. */
		if (it->path == NULL)
			continue;
		rc = ingest_item(r, it, errmsg);
		unlink(it->path);
		g_free(it->path);
		it->path = NULL;
		if (rc != TL_OK)
			return rc;
		if (r->tx_uids->len >= (guint)r->batch_max ||
		    g_get_monotonic_time() - r->tx_start >=
		    FETCH_BATCH_MS * (gint64)1000)
			if ((rc = tx_commit(r, errmsg)) != TL_OK)
				return rc;
	}
	return tx_commit(r, errmsg);
}

/* ---- one session ------------------------------------------------------ */

/* Apply after_fetch to rows an earlier run committed but did not finish
 * (a crash or a lost connection between commit and action). */
static tl_status
repair_pending(fetch_run *r, char **errmsg)
{
	GArray *uids = g_array_new(FALSE, FALSE, sizeof(guint32));
	tl_status rc;

	rc = ledger_pending(r->st, r->mb->name, r->uidvalidity, uids);
	if (rc != TL_OK) {
		set_err(errmsg, "mailbox %s: %s", r->mb->name,
			store_errmsg(r->st));
	} else if (uids->len > 0) {
		log_info("mailbox %s: applying after_fetch to %u message(s) "
			 "stored by an interrupted run", r->mb->name,
			 uids->len);
		g_array_append_vals(r->act_uids, uids->data, uids->len);
		r->c->repaired += (int)uids->len;
		rc = actions_flush(r, errmsg);
	}
	g_array_unref(uids);
	return rc;
}

/* List the UIDs above the watermark with their sizes, dropping those that
 * already have a ledger row (left above the watermark by a run that
 * stopped in the middle of a chunk). */
static tl_status
list_new(fetch_run *r, char **errmsg)
{
	GArray *uids = g_array_new(FALSE, FALSE, sizeof(guint32));
	GArray *sizes = g_array_new(FALSE, FALSE, sizeof(gint64));
	GHashTable *known = g_hash_table_new(g_direct_hash, g_direct_equal);
	tl_status rc;
	guint i;

	rc = net(r, imap_uid_sizes(r->s, r->last_uid + 1, uids, sizes,
				   errmsg));
	if (rc != TL_OK)
		goto out;
	rc = ledger_uids_after(r->st, r->mb->name, r->uidvalidity,
			       r->last_uid, known);
	if (rc != TL_OK) {
		set_err(errmsg, "mailbox %s: %s", r->mb->name,
			store_errmsg(r->st));
		goto out;
	}
	for (i = 0; i < uids->len; i++) {
		fetch_uid u = { 0, 0, 0 };

		u.uid = g_array_index(uids, guint32, i);
		u.size = g_array_index(sizes, gint64, i);
		if (u.uid <= r->last_uid)
			continue;
		u.done = g_hash_table_contains(known, GUINT_TO_POINTER(u.uid));
		g_array_append_val(r->list, u);
	}
out:
	g_array_unref(uids);
	g_array_unref(sizes);
	g_hash_table_unref(known);
	return rc;
}

/* Fetch and ingest the listed UIDs chunk by chunk. */
static tl_status
fetch_listed(fetch_run *r, char **errmsg)
{
	size_t i = 0, n = r->list->len;
	tl_status rc = TL_OK;

	while (i < n && rc == TL_OK) {
		gint64 bytes = 0;

		chunk_clear(r);
		for (; i < n && r->chunk->len < (guint)r->chunk_max; i++) {
			fetch_uid *u = &g_array_index(r->list, fetch_uid, i);
			fetch_item it;

			if (u->done)
				continue;
			memset(&it, 0, sizeof it);
			it.uid = u->uid;
			it.idx = i;
			it.too_large = r->mb->max_message_size > 0 &&
				       u->size > r->mb->max_message_size;
			if (!it.too_large && r->chunk->len > 0 &&
			    bytes + u->size > FETCH_CHUNK_BYTES)
				break;
			if (!it.too_large)
				bytes += u->size;
			g_array_append_val(r->chunk, it);
		}
		if (r->chunk->len == 0)
			break;
		rc = chunk_spool(r, errmsg);
		/* Even after a cut, what arrived whole is stored. */
		{
			char *err2 = NULL;
			tl_status rc2 = chunk_ingest(r, &err2);

			if (rc2 != TL_OK) {
				g_free(*errmsg);
				*errmsg = err2;
				rc = rc2;
			} else {
				g_free(err2);
			}
		}
		if (rc == TL_OK || !r->net_failed) {
			tl_status rc3 = actions_flush(r, errmsg);

			if (rc == TL_OK)
				rc = rc3;
		}
		if (rc == TL_OK && fetch_stop_requested())
			rc = TL_TEMPFAIL;
	}
	chunk_clear(r);
	return rc;
}

/* One connection's worth of work. *connected tells whether the login
 * succeeded (only then is a retry worth it). */
static tl_status
session_run(fetch_run *r, const imap_params *p, int *connected,
	    char **errmsg)
{
	const tl_mailbox_conf *mb = r->mb;
	const char *mailbox;
	ledger_state state;
	guint32 uv = 0, un = 0, msgs = 0, uv2 = 0, un2 = 0;
	GArray *pending = g_array_new(FALSE, FALSE, sizeof(guint32));
	int known, voided = 0;
	tl_status rc;

	memset(&state, 0, sizeof state);
	rc = imap_connect(p, &r->s, errmsg);
	if (rc != TL_OK)
		goto out;
	*connected = 1;
	mailbox = imap_url_mailbox(r->s);
	rc = net(r, imap_status(r->s, mailbox, &uv, &un, &msgs, errmsg));
	if (rc != TL_OK)
		goto out;
	r->c->uidvalidity = uv;
	r->c->uidnext = un;
	if ((rc = ledger_state_load(r->st, mb->name, &state)) != TL_OK)
		goto db_fail;
	known = state.exists && state.uidvalidity != 0;
	if ((rc = ledger_pending(r->st, mb->name, uv, pending)) != TL_OK)
		goto db_fail;

	if (!known && mb->start == START_NOW) {
		/* A first fetch of an old mailbox may skip its history: the
		 * starting UID is recorded so that nobody wonders later. */
		if ((rc = store_begin(r->st)) != TL_OK)
			goto db_fail;
		rc = ledger_state_save(r->st, mb->name, uv,
				       un > 0 ? un - 1 : 0, un > 0 ? un : 1);
		if (rc == TL_OK)
			rc = store_commit(r->st, 0);
		if (rc != TL_OK) {
			store_rollback(r->st);
			goto db_fail;
		}
		fault_point("start-recorded");
		log_info("mailbox %s: start = now: starting at UID %u "
			 "(%u older message(s) left alone)", mb->name, un,
			 msgs);
		r->c->nothing_new = 1;
		r->c->last_uid = r->last_uid = un > 0 ? un - 1 : 0;
		goto out;
	}
	if (known && state.uidvalidity == uv && un <= state.last_uid + 1 &&
	    pending->len == 0) {
		r->c->nothing_new = 1;
		r->c->last_uid = r->last_uid = state.last_uid;
		goto out;
	}

	rc = net(r, imap_select(r->s, mailbox, &uv2, &un2, errmsg));
	if (rc != TL_OK)
		goto out;
	r->uidvalidity = uv2;
	r->c->uidvalidity = uv2;
	r->last_uid = known && state.uidvalidity == uv2 ? state.last_uid : 0;
	if (known && state.uidvalidity != uv2) {
		/* RFC 3501 2.3.1.1: the old UIDs mean nothing now. Rescan
		 * from 1; the content hash finds what is queued already. */
		log_warn("mailbox %s: UIDVALIDITY changed from %u to %u; "
			 "rescanning the whole mailbox (messages already "
			 "queued are recorded as duplicates)", mb->name,
			 state.uidvalidity, uv2);
		if ((rc = store_begin(r->st)) != TL_OK)
			goto db_fail;
		rc = ledger_void_other(r->st, mb->name, uv2, &voided);
		if (rc == TL_OK)
			rc = ledger_state_save(r->st, mb->name, uv2, 0, 0);
		if (rc == TL_OK)
			rc = store_commit(r->st, 0);
		if (rc != TL_OK) {
			store_rollback(r->st);
			goto db_fail;
		}
		fault_point("uidvalidity-reset");
		if (voided > 0)
			log_warn("mailbox %s: %d after_fetch action(s) of "
				 "UIDVALIDITY %u can no longer be applied",
				 mb->name, voided, state.uidvalidity);
	}
	if ((rc = repair_pending(r, errmsg)) != TL_OK)
		goto out;
	if ((rc = list_new(r, errmsg)) != TL_OK)
		goto out;
	log_debug("mailbox %s: %u new message(s) above UID %u", mb->name,
		  r->list->len, r->last_uid);
	if ((rc = fetch_listed(r, errmsg)) != TL_OK)
		goto out;
	/* Everything listed is done: nothing left below UIDNEXT (messages
	 * expunged by someone else included), so the next poll can stop
	 * at STATUS. */
	if (un2 > 0 && r->last_uid < un2 - 1) {
		if ((rc = store_begin(r->st)) != TL_OK)
			goto db_fail;
		rc = ledger_state_save(r->st, mb->name, uv2, un2 - 1, 0);
		if (rc == TL_OK)
			rc = store_commit(r->st, 0);
		if (rc != TL_OK) {
			store_rollback(r->st);
			goto db_fail;
		}
		r->last_uid = un2 - 1;
	} else if (!known) {
		/* First run over an empty mailbox: remember UIDVALIDITY. */
		if ((rc = store_begin(r->st)) != TL_OK)
			goto db_fail;
		rc = ledger_state_save(r->st, mb->name, uv2, r->last_uid, 0);
		if (rc == TL_OK)
			rc = store_commit(r->st, 0);
		if (rc != TL_OK) {
			store_rollback(r->st);
			goto db_fail;
		}
	}
	r->c->last_uid = r->last_uid;
	goto out;
db_fail:
	set_err(errmsg, "mailbox %s: %s", mb->name, store_errmsg(r->st));
out:
	if (r->s != NULL) {
		imap_logout(r->s);
		r->s = NULL;
	}
	ledger_state_clear(&state);
	g_array_unref(pending);
	return rc;
}

tl_status
fetch_mailbox(store *st, const tl_config *cfg, const tl_mailbox_conf *mb,
	      const char *spool_dir, fetch_counts *counts, char **errmsg)
{
	imap_params p;
	char *secret = NULL, *err = NULL;
	int is_token = 0, attempt, connected;
	tl_status rc;

	memset(counts, 0, sizeof *counts);
	rc = secret_get(mb, &secret, &is_token, &err);
	memset(&p, 0, sizeof p);
	p.url = mb->url;
	p.username = mb->username;
	p.secret = secret;
	p.secret_is_token = is_token;
	p.auth_mechanism = mb->auth_mechanism;
	p.cafile = mb->cafile;
	p.allow_plaintext = mb->allow_plaintext;
	p.connect_timeout = mb->connect_timeout;
	p.low_speed_time = mb->low_speed_time;
	for (attempt = 0; rc == TL_OK && attempt < 2; attempt++) {
		fetch_run r;

		memset(&r, 0, sizeof r);
		r.st = st;
		r.cfg = cfg;
		r.mb = mb;
		r.spool_dir = spool_dir;
		r.c = counts;
		r.list = g_array_new(FALSE, FALSE, sizeof(fetch_uid));
		r.chunk = g_array_new(FALSE, FALSE, sizeof(fetch_item));
		r.tx_uids = g_array_new(FALSE, FALSE, sizeof(guint32));
		r.act_uids = g_array_new(FALSE, FALSE, sizeof(guint32));
		r.durable = mb->after_fetch == AFTER_FETCH_MOVE ||
			    mb->after_fetch == AFTER_FETCH_DELETE;
		r.batch_max = fault_int("TIPLINE_BATCH_MAX", FETCH_BATCH_MAX);
		r.chunk_max = fault_int("TIPLINE_CHUNK_MAX", FETCH_CHUNK_MAX);
		connected = 0;
		g_free(err);
		err = NULL;
		rc = session_run(&r, &p, &connected, &err);
		tx_abort(&r);
		if (rc == TL_OK && r.act_rc != TL_OK) {
			rc = r.act_rc;
			err = r.act_err;
			r.act_err = NULL;
		}
		g_free(r.act_err);
		g_array_unref(r.list);
		g_array_unref(r.chunk);
		g_array_unref(r.tx_uids);
		g_array_unref(r.act_uids);
		if (rc == TL_TEMPFAIL && r.net_failed && connected &&
		    attempt == 0 && !fetch_stop_requested()) {
			log_warn("%s; retrying once on a fresh connection",
				 err != NULL ? err : "connection lost");
			rc = TL_OK;
			continue;
		}
		break;
	}
	secret_free(secret);
	if (rc == TL_TEMPFAIL && fetch_stop_requested()) {
		g_free(err);
		err = g_strdup_printf("mailbox %s: stopped by a signal; "
				      "the next run continues", mb->name);
	}
	if (rc != TL_OK && err == NULL)
		err = g_strdup_printf("mailbox %s: %s", mb->name,
				      tl_status_name(rc));
	else if (rc != TL_OK && !g_str_has_prefix(err, "mailbox ")) {
		/* IMAP errors name the host; the operator thinks in
		 * [mailbox NAME] sections. */
		char *e = g_strdup_printf("mailbox %s: %s", mb->name, err);

		g_free(err);
		err = e;
	}
	/* Best effort: a database too busy to take this note is already
	 * the error being reported. */
	if (ledger_state_result(st, mb->name, rc == TL_OK ? NULL : err) !=
	    TL_OK)
		log_debug("mailbox %s: could not record the result: %s",
			  mb->name, store_errmsg(st));
	if (rc != TL_OK)
		*errmsg = err;
	else
		g_free(err);
	return rc;
}
