/* fetch-refetch.c - complete the too_large entries once max_message_size
 * allows them (QA finding F17).
 *
 * A message over the limit is queued with its header only and its UID is
 * below the watermark, so no ordinary fetch would look at it again. When
 * the administrator raises max_message_size, the next run downloads each
 * such UID that now fits, ingests the full message in the same transaction
 * that rewrites its ledger row, and removes the header-only entry if no
 * editor has touched it (its audit rows stay; an entry an editor already
 * decided on is kept and pointed at the full one). After the commit the
 * mailbox's after_fetch action applies as for any message.
 */
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "fetch-refetch-priv.h"
#include "fetch-tx-priv.h"
#include "app.h"
#include "store.h"

/* One too_large row to complete. */
typedef struct {
	guint32 uid;
	gint64 old_id;		/* the header-only submission */
	char *path;		/* spool file once received, owned */
	char hash[65];
} refetch_item;

static int
item_cmp(const void *a, const void *b)
{
	guint32 x = ((const refetch_item *)a)->uid;
	guint32 y = ((const refetch_item *)b)->uid;

	return x < y ? -1 : x > y;
}

/* Ledger rows of the current UIDVALIDITY whose message was stored header
 * only and now fits the limit, by UID. Works on a read-only store too. */
static tl_status
refetch_list(store *st, const tl_mailbox_conf *mb, guint32 uidvalidity,
	     GArray *out)
{
	GArray *rows = g_array_new(FALSE, FALSE, sizeof(ledger_too_large));
	tl_status rc;
	guint i;

	rc = ledger_too_large_list(st, mb->name, uidvalidity,
				   mb->max_message_size, rows);
	for (i = 0; rc == TL_OK && i < rows->len; i++) {
		refetch_item it;

		memset(&it, 0, sizeof it);
		it.uid = g_array_index(rows, ledger_too_large, i).uid;
		it.old_id = g_array_index(rows, ledger_too_large,
					  i).submission_id;
		g_array_append_val(out, it);
	}
	g_array_unref(rows);
	g_array_sort(out, item_cmp);
	return rc;
}

int
fetch_refetch_waiting(store *st, const tl_mailbox_conf *mb,
		      guint32 uidvalidity)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(refetch_item));
	int n = 0;

	if (refetch_list(st, mb, uidvalidity, a) == TL_OK)
		n = (int)a->len;
	g_array_unref(a);
	return n;
}

typedef struct {
	GArray *items;
} refetch_ctx;

static tl_status
on_body(guint32 uid, const char *spool_path, const char *content_hash,
	gint64 size, void *user)
{
	refetch_ctx *rc = user;
	refetch_item key, *it;

	(void)size;
	memset(&key, 0, sizeof key);
	key.uid = uid;
	it = bsearch(&key, rc->items->data, rc->items->len, sizeof key,
		     item_cmp);
	if (it == NULL || it->path != NULL) {
		unlink(spool_path);
		return TL_OK;
	}
	it->path = g_strdup(spool_path);
	g_strlcpy(it->hash, content_hash, sizeof it->hash);
	fault_point("spool-written");
	return fetch_stop_requested() ? TL_TEMPFAIL : TL_OK;
}

/* Inside the open transaction: ingest the full message of IT, rewrite its
 * ledger row, retire the header-only entry. */
static tl_status
refetch_one(fetch_run *r, refetch_item *it, char **errmsg)
{
	/* The spool file is read, not taken (refetch unlinks it). */
	store_source src = { r->mb->name, r->uidvalidity, it->uid, NULL,
			     NULL, NULL };
	ingest_result res;
	int removable = 0;
	char *err = NULL, *note = NULL;
	tl_status rc;

	rc = ingest_file(r->st, r->cfg, it->path, it->hash, &src, NULL, &res,
			 &err);
	if (rc != TL_OK) {
		fetch_set_err(errmsg, "mailbox %s uid %u: %s", r->mb->name,
			      it->uid, err != NULL ? err : "refetch failed");
		g_free(err);
		return rc;
	}
	rc = ledger_refetch_record(r->st, r->mb->name, r->uidvalidity,
				   it->uid, res.outcome, res.submission_id,
				   r->mb->after_fetch == AFTER_FETCH_NONE ?
				   LEDGER_ACTION_DONE :
				   LEDGER_ACTION_PENDING);
	if (rc != TL_OK || it->old_id <= 0)
		return rc;
	if ((rc = store_too_large_removable(r->st, it->old_id, &removable)) !=
	    TL_OK)
		return rc;
	note = g_strdup_printf("full message fetched after max_message_size "
			       "was raised: #%" G_GINT64_FORMAT "%s",
			       res.submission_id, removable ?
			       "; this header-only entry was removed" : "");
	rc = store_audit(r->st, it->old_id, "tipline", AUDIT_REFETCH, NULL,
			 NULL, note);
	g_free(note);
	if (rc == TL_OK && removable)
		rc = store_submission_delete(r->st, it->old_id);
	log_info("mailbox %s uid %u: too_large #%" G_GINT64_FORMAT
		 " completed as #%" G_GINT64_FORMAT " (%s)", r->mb->name,
		 it->uid, it->old_id, res.submission_id,
		 ledger_outcome_name(res.outcome));
	fetch_tx_count(r, res.outcome);
	return rc;
}

/* UIDs that got no body: if the server no longer lists them, the message
 * was removed before it could be completed. Record that once (ledger
 * action_done = LEDGER_ACTION_GONE, a note on the entry) so that later
 * runs stop asking (QA F43). Still listed (a body the server cannot send):
 * tried again next run. */
static tl_status
refetch_gone(fetch_run *r, GArray *items, char **errmsg)
{
	GArray *uids = g_array_new(FALSE, FALSE, sizeof(guint32));
	GArray *sizes = g_array_new(FALSE, FALSE, sizeof(gint64));
	GHashTable *there = g_hash_table_new(g_direct_hash, g_direct_equal);
	guint32 first = 0;
	tl_status rc = TL_OK;
	guint i;

	for (i = 0; i < items->len; i++) {
		refetch_item *it = &g_array_index(items, refetch_item, i);

		if (it->path == NULL && (first == 0 || it->uid < first))
			first = it->uid;
	}
	if (first == 0)
		goto out;
	rc = fetch_net(r, imap_uid_sizes(r->s, first, uids, sizes, errmsg));
	for (i = 0; rc == TL_OK && i < uids->len; i++)
		g_hash_table_add(there, GUINT_TO_POINTER(
			(guint)g_array_index(uids, guint32, i)));
	for (i = 0; rc == TL_OK && i < items->len; i++) {
		refetch_item *it = &g_array_index(items, refetch_item, i);

		if (it->path != NULL ||
		    g_hash_table_contains(there, GUINT_TO_POINTER(it->uid)))
			continue;
		log_warn("mailbox %s uid %u: removed from the server before "
			 "it could be fetched whole; #%" G_GINT64_FORMAT
			 " keeps only its header", r->mb->name, it->uid,
			 it->old_id);
		if ((rc = fetch_tx_open(r, errmsg)) != TL_OK)
			break;
		rc = ledger_mark(r->st, r->mb->name, r->uidvalidity, &it->uid,
				 1, LEDGER_ACTION_GONE);
		if (rc == TL_OK && it->old_id > 0)
			rc = store_audit(r->st, it->old_id, "tipline",
					 AUDIT_REFETCH, NULL, NULL,
					 "the message was removed from the "
					 "server before it could be fetched "
					 "whole");
		if (rc != TL_OK) {
			fetch_set_err(errmsg, "mailbox %s: %s", r->mb->name,
				      store_errmsg(r->st));
			fetch_tx_abort(r);
			break;
		}
	}
out:
	g_array_unref(uids);
	g_array_unref(sizes);
	g_hash_table_unref(there);
	return rc;
}

tl_status
fetch_refetch(fetch_run *r, char **errmsg)
{
	refetch_ctx ctx;
	GArray *uids = g_array_new(FALSE, FALSE, sizeof(guint32));
	tl_status rc;
	guint i;

	ctx.items = g_array_new(FALSE, FALSE, sizeof(refetch_item));
	rc = refetch_list(r->st, r->mb, r->uidvalidity, ctx.items);
	if (rc != TL_OK) {
		fetch_set_err(errmsg, "mailbox %s: %s", r->mb->name,
			      store_errmsg(r->st));
		goto out;
	}
	if (ctx.items->len == 0)
		goto out;
	log_info("mailbox %s: fetching %u message(s) queued header-only now "
		 "that max_message_size allows them", r->mb->name,
		 ctx.items->len);
	for (i = 0; i < ctx.items->len; i++)
		g_array_append_val(uids, g_array_index(ctx.items,
					refetch_item, i).uid);
	rc = fetch_net(r, imap_fetch_bodies(r->s, (guint32 *)(void *)
					    uids->data, uids->len,
					    r->spool, on_body, &ctx,
					    errmsg));
	if (rc == TL_OK)
		rc = refetch_gone(r, ctx.items, errmsg);
	/* Whatever arrived whole is stored, as in a normal chunk. */
	for (i = 0; i < ctx.items->len; i++) {
		refetch_item *it = &g_array_index(ctx.items, refetch_item, i);
		tl_status rc2;

		if (it->path == NULL)
			continue;
		if ((rc2 = fetch_tx_open(r, errmsg)) == TL_OK)
			rc2 = refetch_one(r, it, errmsg);
		if (rc2 == TL_OK) {
			g_array_append_val(r->tx_uids, it->uid);
			fault_point("ingested");
		} else {
			fetch_tx_abort(r);
			rc = rc2;
			break;
		}
	}
	{
		/* A no-op when no transaction is open. */
		tl_status rc2 = fetch_tx_commit(r, errmsg);

		if (rc == TL_OK)
			rc = rc2;
	}
	if (rc == TL_OK || !r->net_failed) {
		tl_status rc3 = fetch_actions_flush(r, errmsg);

		if (rc == TL_OK)
			rc = rc3;
	}
out:
	for (i = 0; i < ctx.items->len; i++) {
		refetch_item *it = &g_array_index(ctx.items, refetch_item, i);

		if (it->path != NULL) {
			unlink(it->path);
			g_free(it->path);
		}
	}
	g_array_unref(ctx.items);
	g_array_unref(uids);
	return rc;
}
