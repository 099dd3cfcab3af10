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
	r->prog.done++;
	r->prog.bytes_done += size;
	fetch_progress_report(r, 0);
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

/* A UID the server answered without a body (BODY[] NIL, or no FETCH
 * data at all) is either expunged meanwhile (Dovecot says NIL then) or a
 * message the server cannot render (Exchange does this): list the UIDs
 * again and mark those still there "nobody", so that their header is
 * queued as quarantined instead of the UID being skipped for good (QA
 * F32). One extra command, only when something was missing. */
static tl_status
check_missing(fetch_run *r, char **errmsg)
{
	GArray *uids = NULL, *sizes = NULL;
	GHashTable *there = NULL;
	guint32 first = 0;
	tl_status rc = TL_OK;
	guint i;

	for (i = 0; i < r->chunk->len; i++) {
		fetch_item *it = &g_array_index(r->chunk, fetch_item, i);

		if (!it->too_large && it->path == NULL &&
		    (first == 0 || it->uid < first))
			first = it->uid;
	}
	if (first == 0)
		return TL_OK;
	uids = g_array_new(FALSE, FALSE, sizeof(guint32));
	sizes = g_array_new(FALSE, FALSE, sizeof(gint64));
	there = g_hash_table_new(g_direct_hash, g_direct_equal);
	rc = fetch_net(r, imap_uid_sizes(r->s, first, uids, sizes, errmsg));
	for (i = 0; rc == TL_OK && i < uids->len; i++)
		g_hash_table_add(there, GUINT_TO_POINTER(
			(guint)g_array_index(uids, guint32, i)));
	for (i = 0; rc == TL_OK && i < r->chunk->len; i++) {
		fetch_item *it = &g_array_index(r->chunk, fetch_item, i);

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
		fetch_net(r, rc);
	}
	if (rc == TL_OK)
		rc = check_missing(r, errmsg);
	for (i = 0; i < r->chunk->len && rc == TL_OK; i++) {
		fetch_item *it = &g_array_index(r->chunk, fetch_item, i);

		if (it->too_large || it->nobody) {
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
			fetch_net(r, rc);
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
		rc = fetch_ingest_item(r, it, errmsg);
		unlink(it->path);
		g_free(it->path);
		it->path = NULL;
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

/* Fetch and ingest the listed UIDs chunk by chunk: first those that never
 * failed, then (DEFERRED) each UID that broke the connection in an earlier
 * run, alone, so that one message the server cannot send does not hold
 * back the others (issue 9 section 3). */
static tl_status
fetch_pass(fetch_run *r, int deferred, char **errmsg)
{
	size_t i = 0, n = r->list->len;
	guint max = deferred ? 1 : (guint)r->chunk_max;
	tl_status rc = TL_OK;

	while (i < n && rc == TL_OK) {
		gint64 bytes = 0;

		chunk_clear(r);
		for (; i < n && r->chunk->len < max; i++) {
			fetch_uid *u = &g_array_index(r->list, fetch_uid, i);
			fetch_item it;

			if (u->done || is_failing(r, u->uid) != deferred)
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
		if (rc == TL_TEMPFAIL && r->net_failed &&
		    !fetch_stop_requested())
			fetch_fail_chunk(r, *errmsg);
		else if (rc == TL_OK && deferred)
			fetch_fail_stored(r);
		if (rc == TL_OK || !r->net_failed) {
			tl_status rc3 = fetch_actions_flush(r, errmsg);

			if (rc == TL_OK)
				rc = rc3;
		}
		if (rc == TL_OK && fetch_stop_requested())
			rc = TL_TEMPFAIL;
	}
	chunk_clear(r);
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
	static const fetch_env no_env = { NULL, NULL, NULL };

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
	r->c = counts;
	r->list = g_array_new(FALSE, FALSE, sizeof(fetch_uid));
	r->chunk = g_array_new(FALSE, FALSE, sizeof(fetch_item));
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
	g_array_unref(r->tx_uids);
	g_array_unref(r->act_uids);
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
