/* fetch.c - one mailbox into the queue, exactly once (see app.h).
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
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "fetch-fail-priv.h"
#include "fetch-names-priv.h"
#include "fetch-refetch-priv.h"
#include "fetch-run-priv.h"
#include "fetch-tx-priv.h"
#include "store.h"
#include "app.h"

/* ---- progress --------------------------------------------------------- */

/* Report progress (throttled to 10 per second unless FORCE). */
static void
fetch_progress_report(fetch_run *r, int force)
{
	gint64 now;

	if (r->env->progress == NULL || r->prog.total == 0)
		return;
	now = g_get_monotonic_time();
	if (!force && now - r->prog_us < 100 * 1000)
		return;
	r->prog_us = now;
	r->env->progress(&r->prog, r->env->progress_user);
}

/* ---- spooling --------------------------------------------------------- */

/* The spooling of one chunk: run inline by the main thread, or by the
 * reader thread while the main thread ingests and commits the chunk
 * before it (fetch_pass). While it runs, the job owns the IMAP session
 * (r->s), the items of CHUNK, their spool files and r->prog; it reads
 * only the configuration besides, and never touches the store, r->list
 * or anything else of the run. Ownership returns to the main thread at
 * the join (libcurl: a handle may pass between threads, never be used
 * by two at once). */
typedef struct {
	fetch_run *r;
	GArray *chunk;		/* of fetch_item */
	GThread *thread;	/* NULL: run inline */
	tl_status rc;
	char *err;		/* owned */
	int net_failed;		/* an IMAP call failed with TL_TEMPFAIL */
} spool_job;

static int
item_cmp(const void *a, const void *b)
{
	guint32 x = ((const fetch_item *)a)->uid;
	guint32 y = ((const fetch_item *)b)->uid;

	return x < y ? -1 : x > y;
}

/* Note an IMAP call's result RC in the job: TL_TEMPFAIL means the session
 * is dead, unless it came from a stop (SIGTERM: on_body's TL_TEMPFAIL)
 * that left the session usable, so that the committed chunk's actions
 * are still sent before exit 75, as a run without the reader thread
 * does.  Returns RC.  Called on the thread that holds the session. */
static tl_status
job_net(spool_job *j, tl_status rc)
{
	if (rc == TL_TEMPFAIL && !(fetch_stop_requested() &&
				   imap_session_usable(j->r->s)))
		j->net_failed = 1;
	return rc;
}

/* imap_body_cb: remember the spool file of UID in the job's chunk. */
static tl_status
on_body(guint32 uid, const char *spool_path, const char *content_hash,
	gint64 size, void *user)
{
	spool_job *j = user;
	fetch_run *r = j->r;
	fetch_item key = { 0 }, *it;

	key.uid = uid;
	it = bsearch(&key, j->chunk->data, j->chunk->len, sizeof key,
		     item_cmp);
	if (it == NULL || it->path != NULL) {
		/* Not asked for (or twice): never ours to keep. */
		spool_pool_give(r->spool, g_strdup(spool_path));
		return TL_OK;
	}
	it->path = g_strdup(spool_path);
	g_strlcpy(it->hash, content_hash, sizeof it->hash);
	r->prog.done++;
	r->prog.bytes_done += size;
	fetch_progress_report(r, 0);
	fault_point("spool-written");
	if (fetch_stop_requested())
		return TL_TEMPFAIL;
	return TL_OK;
}

/* Give the spool files of CHUNK back to R's pool and empty it. */
static void
chunk_clear(fetch_run *r, GArray *chunk)
{
	guint i;

	for (i = 0; i < chunk->len; i++) {
		fetch_item *it = &g_array_index(chunk, fetch_item, i);

		spool_pool_give(r->spool, g_steal_pointer(&it->path));
	}
	g_array_set_size(chunk, 0);
}

/* A UID the server answered without a body (BODY[] NIL, or no FETCH
 * data at all) is either expunged meanwhile (Dovecot says NIL then) or a
 * message the server cannot render (Exchange does this): list the UIDs
 * again and mark those still there "nobody", so that their header is
 * queued as quarantined instead of the UID being skipped for good (QA
 * F32). One extra command, only when something was missing. */
static tl_status
check_missing(spool_job *j, char **errmsg)
{
	fetch_run *r = j->r;
	GArray *uids = NULL, *sizes = NULL;
	GHashTable *there = NULL;
	guint32 first = 0;
	tl_status rc = TL_OK;
	guint i;

	for (i = 0; i < j->chunk->len; i++) {
		fetch_item *it = &g_array_index(j->chunk, fetch_item, i);

		if (!it->too_large && it->path == NULL &&
		    (first == 0 || it->uid < first))
			first = it->uid;
	}
	if (first == 0)
		return TL_OK;
	uids = g_array_new(FALSE, FALSE, sizeof(guint32));
	sizes = g_array_new(FALSE, FALSE, sizeof(gint64));
	there = g_hash_table_new(g_direct_hash, g_direct_equal);
	rc = job_net(j, imap_uid_sizes(r->s, first, uids, sizes, errmsg));
	for (i = 0; rc == TL_OK && i < uids->len; i++)
		g_hash_table_add(there, GUINT_TO_POINTER(
			(guint)g_array_index(uids, guint32, i)));
	for (i = 0; rc == TL_OK && i < j->chunk->len; i++) {
		fetch_item *it = &g_array_index(j->chunk, fetch_item, i);

		if (!it->too_large && it->path == NULL &&
		    g_hash_table_contains(there, GUINT_TO_POINTER(it->uid))) {
			log_warn("mailbox %s uid %u: the server lists this "
				 "message but sent no body; queueing its "
				 "header as quarantined", r->mb->name,
				 it->uid);
			it->nobody = 1;
		}
	}
	g_array_unref(uids);
	g_array_unref(sizes);
	g_hash_table_unref(there);
	return rc;
}

/* Spool the job's chunk: bodies pipelined, then the header of each
 * message over the size limit. Whatever was received before a failure
 * stays spooled and is still ingested (it is complete). A UID the server
 * no longer has is marked gone only when the command itself succeeded. */
static tl_status
chunk_spool(spool_job *j, char **errmsg)
{
	fetch_run *r = j->r;
	GArray *uids = g_array_new(FALSE, FALSE, sizeof(guint32));
	tl_status rc = TL_OK;
	guint i;

	for (i = 0; i < j->chunk->len; i++) {
		fetch_item *it = &g_array_index(j->chunk, fetch_item, i);

		if (!it->too_large)
			g_array_append_val(uids, it->uid);
	}
	if (uids->len > 0)
		rc = job_net(j, imap_fetch_bodies(r->s,
			(guint32 *)(void *)uids->data, uids->len,
			r->spool, on_body, j, errmsg));
	if (rc == TL_OK)
		rc = check_missing(j, errmsg);
	for (i = 0; i < j->chunk->len && rc == TL_OK; i++) {
		fetch_item *it = &g_array_index(j->chunk, fetch_item, i);

		if (it->too_large || it->nobody) {
			rc = imap_fetch_header(r->s, it->uid, r->spool,
					       &it->path, errmsg);
			if (rc == TL_NOINPUT) {
				g_free(*errmsg);
				*errmsg = NULL;
				it->gone = 1;
				rc = TL_OK;
				continue;
			}
			job_net(j, rc);
			if (rc == TL_OK)
				fault_point("spool-written");
		} else if (it->path == NULL) {
			log_debug("mailbox %s uid %u: gone from the server",
				  r->mb->name, it->uid);
			it->gone = 1;
		}
	}
	if (rc == TL_OK && fetch_stop_requested())
		rc = TL_TEMPFAIL;
	g_array_unref(uids);
	return rc;
}

static gpointer
spool_thread(gpointer data)
{
	spool_job *j = data;

	j->rc = chunk_spool(j, &j->err);
	return NULL;
}

static void
spool_job_init(spool_job *j, fetch_run *r, GArray *chunk)
{
	memset(j, 0, sizeof *j);
	j->r = r;
	j->chunk = chunk;
}

/* Spool CHUNK in the main thread. A long transfer let any waiting editor
 * in: the next transaction starts a new half second. */
static void
spool_inline(spool_job *j, fetch_run *r, GArray *chunk)
{
	gint64 t0 = g_get_monotonic_time();

	spool_job_init(j, r, chunk);
	j->rc = chunk_spool(j, &j->err);
	if (g_get_monotonic_time() - t0 > 100 * 1000)
		r->hog_start = 0;
}

/* Start spooling CHUNK in the reader thread. SIGTERM and SIGINT stay
 * with the main thread (blocked in the reader; both only read the stop
 * flag). Without a thread the chunk is spooled inline. */
static void
spool_start(spool_job *j, fetch_run *r, GArray *chunk)
{
	sigset_t stop, old;

	spool_job_init(j, r, chunk);
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, &old);
	j->thread = g_thread_try_new("tipline-spool", spool_thread, j, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (j->thread == NULL)
		spool_inline(j, r, chunk);
}

/* Wait for the reader thread: the session, the chunk and r->prog are the
 * main thread's again. Waiting long (the network was the slower side)
 * let any waiting editor in, as spool_inline. */
static void
spool_join(spool_job *j)
{
	gint64 t0 = g_get_monotonic_time();

	if (j->thread != NULL) {
		g_thread_join(j->thread);
		j->thread = NULL;
		if (g_get_monotonic_time() - t0 > 100 * 1000)
			j->r->hog_start = 0;
	}
	if (j->net_failed)
		j->r->net_failed = 1;
}

/* The main thread's side of a spooled chunk: a UID gone from the server
 * is done. */
static void
chunk_settle(fetch_run *r, GArray *chunk)
{
	guint i;

	for (i = 0; i < chunk->len; i++) {
		fetch_item *it = &g_array_index(chunk, fetch_item, i);

		if (it->gone)
			g_array_index(r->list, fetch_uid, it->idx).done = 1;
	}
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
		rc = fetch_ingest_item(r, it, errmsg);
		spool_pool_give(r->spool, g_steal_pointer(&it->path));
		if (rc != TL_OK)
			return rc;
		if (r->tx_uids->len >= (guint)r->batch_max ||
		    g_get_monotonic_time() - r->tx_start >=
		    FETCH_BATCH_MS * (gint64)1000)
			if ((rc = fetch_tx_commit(r, errmsg)) != TL_OK)
				return rc;
	}
	return fetch_tx_commit(r, errmsg);
}

/* Store what the spooling of the chunk (job J, joined) brought, even
 * after a cut, and record a UID that broke the connection. The error is
 * J's, unless storing failed. */
static tl_status
chunk_store(fetch_run *r, spool_job *j, int deferred, char **errmsg)
{
	char *err2 = NULL;
	tl_status rc = j->rc, rc2;

	if (j->err != NULL) {
		g_free(*errmsg);
		*errmsg = j->err;
		j->err = NULL;
	}
	rc2 = chunk_ingest(r, &err2);
	if (rc2 != TL_OK) {
		g_free(*errmsg);
		*errmsg = err2;
		rc = rc2;
	} else {
		g_free(err2);
	}
	if (rc == TL_TEMPFAIL && j->net_failed && !fetch_stop_requested())
		fetch_fail_chunk(r, *errmsg);
	else if (rc == TL_OK && deferred)
		fetch_fail_stored(r);
	return rc;
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
		fetch_set_err(errmsg, "mailbox %s: %s", r->mb->name,
			store_errmsg(r->st));
	} else if (uids->len > 0) {
		/* Not always a crash: the action may have failed (see the
		 * last error in `tipline doctor`). */
		log_info("mailbox %s: applying after_fetch to %u message(s) "
			 "stored by an earlier run that could not apply it",
			 r->mb->name,
			 uids->len);
		g_array_append_vals(r->act_uids, uids->data, uids->len);
		r->c->repaired += (int)uids->len;
		rc = fetch_actions_flush(r, errmsg);
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

	rc = fetch_net(r, imap_uid_sizes(r->s, r->last_uid + 1, uids, sizes,
				   errmsg));
	if (rc != TL_OK)
		goto out;
	rc = ledger_uids_after(r->st, r->mb->name, r->uidvalidity,
			       r->last_uid, known);
	if (rc != TL_OK) {
		fetch_set_err(errmsg, "mailbox %s: %s", r->mb->name,
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
		if (!u.done) {
			r->prog.total++;
			r->prog.bytes_total += u.size;
		}
	}
	rc = fetch_fail_load(r, errmsg);
out:
	g_array_unref(uids);
	g_array_unref(sizes);
	g_hash_table_unref(known);
	return rc;
}

/* Is UID one that failed in an earlier run? */
static int
is_failing(fetch_run *r, guint32 uid)
{
	return r->failing != NULL &&
	       g_hash_table_contains(r->failing, GUINT_TO_POINTER(uid));
}

/* Fill CHUNK (empty) with the next listed UIDs from *POS: at most
 * chunk_max of them (1 when DEFERRED) and FETCH_CHUNK_BYTES, those that
 * never failed, or (DEFERRED) those that did. */
static void
chunk_build(fetch_run *r, GArray *chunk, size_t *pos, int deferred)
{
	size_t i = *pos, n = r->list->len;
	guint max = deferred ? 1 : (guint)r->chunk_max;
	gint64 bytes = 0;

	for (; i < n && chunk->len < max; i++) {
		fetch_uid *u = &g_array_index(r->list, fetch_uid, i);
		fetch_item it;

		if (u->done || is_failing(r, u->uid) != deferred)
			continue;
		memset(&it, 0, sizeof it);
		it.uid = u->uid;
		it.idx = i;
		it.too_large = r->mb->max_message_size > 0 &&
			       u->size > r->mb->max_message_size;
		if (!it.too_large && chunk->len > 0 &&
		    bytes + u->size > FETCH_CHUNK_BYTES)
			break;
		if (!it.too_large)
			bytes += u->size;
		g_array_append_val(chunk, it);
	}
	*pos = i;
}

/* Fetch and ingest the listed UIDs chunk by chunk: first those that never
 * failed, then (DEFERRED) each UID that broke the connection in an earlier
 * run, alone, so that one message the server cannot send does not hold
 * back the others (issue 9 section 3).
 *
 * Overlapped (issue 14): while the main thread ingests and commits chunk
 * K, the reader thread spools chunk K+1 (at most two chunks, 2 x
 * FETCH_CHUNK_BYTES or two messages, on disk; nothing in memory grows).
 * The after_fetch action of chunk K needs the connection, so it is sent
 * once both are done: always after K's commit, as before. A stop signal
 * starts no further chunk; what was spooled ahead is still stored. A
 * failure to store K discards the spool ahead (the next run fetches it).
 * The deferred pass, one suspect UID at a time, is not overlapped. */
static tl_status
fetch_pass(fetch_run *r, int deferred, char **errmsg)
{
	size_t pos = 0;
	spool_job cur, ahead;
	GArray *tmp;
	int started;
	tl_status rc = TL_OK;

	chunk_clear(r, r->chunk);
	chunk_clear(r, r->ahead);
	chunk_build(r, r->chunk, &pos, deferred);
	if (r->chunk->len > 0)
		spool_inline(&cur, r, r->chunk);
	while (r->chunk->len > 0) {
		chunk_settle(r, r->chunk);
		if (cur.net_failed)
			r->net_failed = 1;
		started = 0;
		if (cur.rc == TL_OK && !fetch_stop_requested()) {
			chunk_build(r, r->ahead, &pos, deferred);
			if (r->ahead->len > 0 && !deferred) {
				spool_start(&ahead, r, r->ahead);
				started = 1;
			}
		}
		rc = chunk_store(r, &cur, deferred, errmsg);
		if (started)
			spool_join(&ahead);
		/* Committed UIDs get their action while the session lives;
		 * after a cut the next session applies them first. */
		if (!r->net_failed) {
			tl_status rc3 = fetch_actions_flush(r, errmsg);

			if (rc == TL_OK)
				rc = rc3;
		}
		chunk_clear(r, r->chunk);
		if (rc != TL_OK) {
			if (started)
				g_free(ahead.err);
			break;
		}
		tmp = r->chunk;
		r->chunk = r->ahead;
		r->ahead = tmp;
		if (started)
			cur = ahead;
		else if (r->chunk->len > 0)
			spool_inline(&cur, r, r->chunk);
	}
	chunk_clear(r, r->chunk);
	chunk_clear(r, r->ahead);
	if (rc == TL_OK && fetch_stop_requested())
		rc = TL_TEMPFAIL;
	return rc;
}

static tl_status
fetch_listed(fetch_run *r, char **errmsg)
{
	tl_status rc = fetch_pass(r, 0, errmsg);

	if (rc == TL_OK && r->failing != NULL &&
	    g_hash_table_size(r->failing) > 0)
		rc = fetch_pass(r, 1, errmsg);
	return rc;
}

/* Save the mailbox's ledger state (UIDVALIDITY UV, LAST_UID, NEXT_UID)
 * in a transaction of its own; rolled back on failure (store_errmsg
 * says why). */
static tl_status
state_save_tx(fetch_run *r, guint32 uv, guint32 last_uid, guint32 next_uid)
{
	tl_status rc;

	if ((rc = store_begin(r->st)) != TL_OK)
		return rc;
	rc = ledger_state_save(r->st, r->mb->name, uv, last_uid, next_uid);
	if (rc == TL_OK)
		rc = store_commit(r->st, 0);
	if (rc != TL_OK)
		store_rollback(r->st);
	return rc;
}

/* start = now on a mailbox never fetched: a first fetch of an old
 * mailbox may skip its history, and the starting UID (from UIDNEXT UN)
 * is recorded so that nobody wonders later.  MSGS: the messages left
 * alone. */
static tl_status
start_now_record(fetch_run *r, guint32 uv, guint32 un, guint32 msgs)
{
	tl_status rc = state_save_tx(r, uv, un > 0 ? un - 1 : 0,
				     un > 0 ? un : 1);

	if (rc != TL_OK)
		return rc;
	fault_point("start-recorded");
	log_info("mailbox %s: start = now: starting at UID %u (%u older "
		 "message(s) left alone)", r->mb->name, un, msgs);
	r->c->nothing_new = 1;
	r->c->last_uid = r->last_uid = un > 0 ? un - 1 : 0;
	return TL_OK;
}

/* The server's UIDVALIDITY is now UV2, not the one in STATE: RFC 3501
 * 2.3.1.1, the old UIDs mean nothing now.  The pending actions of the
 * old UIDVALIDITY are voided and the state restarts at 0, so that the
 * whole mailbox is rescanned (the content hash finds what is queued
 * already). */
static tl_status
uidvalidity_reset(fetch_run *r, const ledger_state *state, guint32 uv2)
{
	const char *name = r->mb->name;
	int voided = 0;
	tl_status rc;

	log_warn("mailbox %s: UIDVALIDITY changed from %u to %u; rescanning "
		 "the whole mailbox (messages already queued are recorded as "
		 "duplicates)", name, state->uidvalidity, uv2);
	if ((rc = store_begin(r->st)) != TL_OK)
		return rc;
	rc = ledger_void_other(r->st, name, uv2, &voided);
	if (rc == TL_OK)
		rc = ledger_state_save(r->st, name, uv2, 0, 0);
	if (rc == TL_OK)
		rc = store_commit(r->st, 0);
	if (rc != TL_OK) {
		store_rollback(r->st);
		return rc;
	}
	fault_point("uidvalidity-reset");
	if (voided > 0)
		log_warn("mailbox %s: %d after_fetch action(s) of UIDVALIDITY "
			 "%u can no longer be applied", name, voided,
			 state->uidvalidity);
	return TL_OK;
}

/* After everything listed is done: nothing is left below UIDNEXT UN2
 * (messages expunged by someone else included), so the next poll can
 * stop at STATUS; a first run over an empty mailbox (!KNOWN) remembers
 * UIDVALIDITY UV2. */
static tl_status
state_finish(fetch_run *r, int known, guint32 uv2, guint32 un2)
{
	tl_status rc = TL_OK;

	if (un2 > 0 && r->last_uid < un2 - 1) {
		if ((rc = state_save_tx(r, uv2, un2 - 1, 0)) == TL_OK)
			r->last_uid = un2 - 1;
	} else if (!known) {
		rc = state_save_tx(r, uv2, r->last_uid, 0);
	}
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
	int known;
	tl_status rc;

	memset(&state, 0, sizeof state);
	rc = imap_connect(p, &r->s, errmsg);
	if (rc != TL_OK)
		goto out;
	*connected = 1;
	if ((rc = fetch_net(r, fetch_names_resolve(r, 0, errmsg))) != TL_OK)
		goto out;
	mailbox = r->mailbox;
	rc = fetch_net(r, imap_status(r->s, mailbox, &uv, &un, &msgs, errmsg));
	if (rc == TL_CONFIG)
		rc = fetch_names_explain(r, 0, rc, errmsg);
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
		if ((rc = start_now_record(r, uv, un, msgs)) != TL_OK)
			goto db_fail;
		goto out;
	}
	if (known && state.uidvalidity == uv && un <= state.last_uid + 1 &&
	    pending->len == 0 && fetch_refetch_waiting(r->st, mb, uv) == 0) {
		r->c->nothing_new = 1;
		r->c->last_uid = r->last_uid = state.last_uid;
		goto out;
	}

	if (mb->after_fetch == AFTER_FETCH_MOVE &&
	    (rc = fetch_net(r, fetch_names_resolve(r, 1, errmsg))) != TL_OK)
		goto out;
	fault_hook("before-select");
	rc = fetch_net(r, imap_select(r->s, mailbox, &uv2, &un2, errmsg));
	if (rc == TL_CONFIG)
		rc = fetch_names_explain(r, 1, rc, errmsg);
	if (rc != TL_OK)
		goto out;
	r->uidvalidity = uv2;
	r->c->uidvalidity = uv2;
	r->last_uid = known && state.uidvalidity == uv2 ? state.last_uid : 0;
	if (known && state.uidvalidity != uv2 &&
	    (rc = uidvalidity_reset(r, &state, uv2)) != TL_OK)
		goto db_fail;
	if ((rc = repair_pending(r, errmsg)) != TL_OK)
		goto out;
	if ((rc = fetch_refetch(r, errmsg)) != TL_OK)
		goto out;
	if ((rc = list_new(r, errmsg)) != TL_OK)
		goto out;
	log_debug("mailbox %s: %u new message(s) above UID %u", mb->name,
		  r->list->len, r->last_uid);
	fetch_progress_report(r, 1);
	if ((rc = fetch_listed(r, errmsg)) != TL_OK)
		goto out;
	if ((rc = state_finish(r, known, uv2, un2)) != TL_OK)
		goto db_fail;
	r->c->last_uid = r->last_uid;
	goto out;
db_fail:
	fetch_set_err(errmsg, "mailbox %s: %s", mb->name, store_errmsg(r->st));
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
fetch_params_get(const tl_mailbox_conf *mb, imap_params *p, char **secret,
		 char **errmsg)
{
	int is_token = 0;
	tl_status rc;

	memset(p, 0, sizeof *p);
	*secret = NULL;
	rc = secret_get(mb, secret, &is_token, errmsg);
	if (rc != TL_OK)
		return rc;
	p->url = mb->url;
	p->username = mb->username;
	p->secret = *secret;
	p->secret_is_token = is_token;
	p->auth_mechanism = mb->auth_mechanism;
	p->cafile = mb->cafile;
	p->allow_plaintext = mb->allow_plaintext;
	p->connect_timeout = mb->connect_timeout;
	p->low_speed_time = mb->low_speed_time;
	return TL_OK;
}

/* One attempt's fetch_run for MB, its progress carried on from PROG
 * (a retry lists what is left again). */
static void
run_init(fetch_run *r, store *st, const tl_config *cfg,
	 const tl_mailbox_conf *mb, const char *spool_dir,
	 const fetch_env *env, gint64 run_id, const fetch_progress *prog,
	 fetch_counts *counts)
{
	static const fetch_env no_env = { NULL, NULL, NULL, NULL };

	memset(r, 0, sizeof *r);
	r->env = env != NULL ? env : &no_env;
	r->run_id = run_id;
	r->prog = *prog;
	r->prog.total = prog->done;
	r->prog.bytes_total = prog->bytes_done;
	r->st = st;
	r->cfg = cfg;
	r->mb = mb;
	r->spool_dir = spool_dir;
	r->spool = spool_pool_new(spool_dir, FETCH_SPOOL_PREFIX);
	r->c = counts;
	r->list = g_array_new(FALSE, FALSE, sizeof(fetch_uid));
	r->chunk = g_array_new(FALSE, FALSE, sizeof(fetch_item));
	r->ahead = g_array_new(FALSE, FALSE, sizeof(fetch_item));
	r->tx_uids = g_array_new(FALSE, FALSE, sizeof(guint32));
	r->act_uids = g_array_new(FALSE, FALSE, sizeof(guint32));
	r->durable = mb->after_fetch == AFTER_FETCH_MOVE ||
		     mb->after_fetch == AFTER_FETCH_DELETE;
	r->batch_max = fault_int("TIPLINE_BATCH_MAX", FETCH_BATCH_MAX);
	r->chunk_max = fault_int("TIPLINE_CHUNK_MAX", FETCH_CHUNK_MAX);
}

/* Free what run_init and the session allocated in R (not R). */
static void
run_clear(fetch_run *r)
{
	g_free(r->act_err);
	g_free(r->mailbox);
	g_free(r->move_folder);
	if (r->failing != NULL)
		g_hash_table_unref(r->failing);
	g_array_unref(r->list);
	g_array_unref(r->chunk);
	g_array_unref(r->ahead);
	g_array_unref(r->tx_uids);
	g_array_unref(r->act_uids);
	spool_pool_free(r->spool);
}

/* The message for a fetch of MB that ended in RC with ERR (taken; may
 * be NULL): a stop by signal says so, and every message names the
 * [mailbox NAME] section, the name the operator thinks in (IMAP errors
 * name the host).  New string (g_free). */
static char *
run_error(const tl_mailbox_conf *mb, tl_status rc, char *err)
{
	char *e;

	if (rc == TL_TEMPFAIL && fetch_stop_requested()) {
		g_free(err);
		err = g_strdup_printf("mailbox %s: stopped by a signal; "
				      "the next run continues", mb->name);
	}
	if (err == NULL)
		return g_strdup_printf("mailbox %s: %s", mb->name,
				       tl_status_name(rc));
	if (g_str_has_prefix(err, "mailbox "))
		return err;
	e = g_strdup_printf("mailbox %s: %s", mb->name, err);
	g_free(err);
	return e;
}

void
fetch_env_snapshot(store *st, const GPtrArray *mbs, fetch_env *env)
{
	GHashTable *h;

	if (!store_is_url(store_path(st)))
		return;
	h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	for (guint i = 0; i < mbs->len; i++) {
		const tl_mailbox_conf *mb = g_ptr_array_index(mbs, i);
		ledger_state s;

		memset(&s, 0, sizeof s);
		if (ledger_state_load(st, mb->name, &s) != TL_OK) {
			g_hash_table_destroy(h);
			return;
		}
		if (s.last_success_utc != NULL)
			g_hash_table_replace(h, g_strdup(mb->name),
					     g_strdup(s.last_success_utc));
		ledger_state_clear(&s);
	}
	fetch_env_clear(env);
	env->success_at_start = h;
}

void
fetch_env_clear(fetch_env *env)
{
	if (env->success_at_start != NULL)
		g_hash_table_destroy(env->success_at_start);
	env->success_at_start = NULL;
}

/* Whether MAILBOX (whose lock this process holds, so nobody is fetching
 * it now) succeeded since ENV's snapshot: another fetcher then finished
 * it during this run.  Compared as recorded, not by clock, so hosts with
 * different clocks agree; the record is to the second, so a success in
 * the same second as the one noted looks like it and the mailbox is
 * polled (harmless: at worst the cost this saves).  A database error
 * answers no (poll it). */
static int
finished_elsewhere(store *st, const char *mailbox, const fetch_env *env)
{
	ledger_state s;
	const char *before;
	int done = 0;

	if (env == NULL || env->success_at_start == NULL)
		return 0;
	memset(&s, 0, sizeof s);
	if (ledger_state_load(st, mailbox, &s) != TL_OK)
		return 0;
	before = g_hash_table_lookup(env->success_at_start, mailbox);
	done = s.last_success_utc != NULL &&
	       g_strcmp0(before, s.last_success_utc) != 0;
	ledger_state_clear(&s);
	return done;
}

tl_status
fetch_mailbox(store *st, const tl_config *cfg, const tl_mailbox_conf *mb,
	      const char *spool_dir, const fetch_env *env,
	      fetch_counts *counts, char **errmsg)
{
	imap_params p;
	char *secret = NULL, *err = NULL;
	int attempt, connected, refused = 0;
	gint64 run_id = g_get_real_time();
	fetch_progress prog;
	int held = 0;
	tl_status rc;

	memset(counts, 0, sizeof *counts);
	if ((rc = store_mailbox_lock_try(st, mb->name, &held)) != TL_OK) {
		/* The database is out of reach: so it is for the next
		 * mailboxes too. */
		*errmsg = g_strdup_printf("mailbox %s: %s", mb->name,
					  store_errmsg(st));
		counts->db_moved = 1;
		return rc;
	}
	if (!held) {
		counts->held_elsewhere = 1;
		return TL_OK;
	}
	if (finished_elsewhere(st, mb->name, env)) {
		counts->done_elsewhere = 1;
		store_mailbox_unlock(st, mb->name);
		return TL_OK;
	}
	memset(&prog, 0, sizeof prog);
	prog.mailbox = mb->name;
	rc = fetch_params_get(mb, &p, &secret, &err);
	for (attempt = 0; rc == TL_OK && attempt < 2; attempt++) {
		fetch_run r;

		run_init(&r, st, cfg, mb, spool_dir, env, run_id, &prog,
			 counts);
		connected = 0;
		g_free(err);
		err = NULL;
		rc = session_run(&r, &p, &connected, &err);
		fetch_tx_abort(&r);
		if (rc == TL_OK && r.act_rc != TL_OK) {
			rc = r.act_rc;
			err = r.act_err;
			r.act_err = NULL;
		} else if (r.act_rc != TL_OK && r.act_err != NULL) {
			/* A later failure is the one returned; the refused
			 * action would otherwise go unsaid. */
			log_err("%s", r.act_err);
		}
		refused = rc == r.act_rc && r.refused;
		if (rc == TL_OK || refused)
			rc = fetch_fail_refused(&r, rc, &err);
		prog = r.prog;
		run_clear(&r);
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
	if (prog.total > 0 && env != NULL && env->progress != NULL) {
		prog.finished = 1;
		env->progress(&prog, env->progress_user);
	}
	if (rc != TL_OK)
		err = run_error(mb, rc, err);
	/* Best effort: a database too busy to take this note is already
	 * the error being reported. */
	if (ledger_state_result(st, mb->name, rc == TL_OK ? NULL : err) !=
	    TL_OK)
		log_debug("mailbox %s: could not record the result: %s",
			  mb->name, store_errmsg(st));
	store_mailbox_unlock(st, mb->name);
	if (rc != TL_OK)
		*errmsg = err;
	else
		g_free(err);
	return rc;
}
