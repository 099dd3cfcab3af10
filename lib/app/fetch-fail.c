/* fetch-fail.c - failures that come back on every run (issue 9 section 3,
 * issue 10 item 6).
 *
 * A message the server can never send (Dovecot answers "* BYE Internal
 * error" when the file behind it is unreadable) used to end every run
 * with 75 at that UID, so nothing above it was ever stored. Now each run
 * whose connection dies while a UID is being received counts one failed
 * run for that UID in fetch_failure; later runs fetch every other message
 * first and that UID alone at the end; after FETCH_UNFETCHABLE_RUNS runs
 * it is given up: a quarantined placeholder entry tells the editor (list,
 * show) and doctor tells monitoring, and the message stays on the server.
 * The count is per run, not per connection, so the retry on a fresh
 * connection inside one run does not count twice.
 *
 * Likewise an after_fetch action the server refuses (a tagged NO) in
 * FETCH_REFUSED_RUNS runs in a row is no longer reported as temporary.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "fetch-fail-priv.h"
#include "fetch-tx-priv.h"
#include "store.h"

tl_status
fetch_fail_load(fetch_run *r, char **errmsg)
{
	tl_status rc;

	if (r->failing == NULL)
		r->failing = g_hash_table_new(g_direct_hash, g_direct_equal);
	rc = ledger_fail_failing(r->st, r->mb->name, r->uidvalidity,
				 r->failing);
	if (rc != TL_OK)
		fetch_set_err(errmsg, "mailbox %s: %s", r->mb->name,
			      store_errmsg(r->st));
	return rc;
}

/* Write the placeholder's text: a small message of tipline's own naming
 * the UID (so no two placeholders share a content hash). */
static char *
placeholder_write(fetch_run *r, guint32 uid, gint64 size, char **err)
{
	GError *e = NULL;
	char *path, *text;
	int fd;

	/* In the spool, named as spool files are, so a crash's leftover is
	 * swept like theirs. */
	path = g_build_filename(r->spool_dir, FETCH_SPOOL_PREFIX "XXXXXX",
				NULL);
	fd = safefile_mkstemp(path, O_RDWR, 0600);
	if (fd < 0) {
		*err = g_strdup_printf("%s: %s", path, g_strerror(errno));
		g_free(path);
		return NULL;
	}
	close(fd);
	text = g_strdup_printf(
		"From: tipline <tipline@localhost>\r\n"
		"Subject: [tipline] message UID %u of mailbox %s could not be "
		"fetched\r\n"
		"X-Tipline-Unfetchable: mailbox=%s; uidvalidity=%u; uid=%u; "
		"size=%" G_GINT64_FORMAT "\r\n"
		"MIME-Version: 1.0\r\n"
		"Content-Type: text/plain; charset=utf-8\r\n\r\n"
		"The IMAP server broke the connection each time it was asked "
		"for this message, in %d runs of tipline fetch. The message "
		"is still on the server, untouched: read it there, or ask the "
		"mail server's admin (an unreadable or damaged file is the "
		"usual cause).\r\n", uid, r->mb->name, r->mb->name,
		r->uidvalidity, uid, size, FETCH_UNFETCHABLE_RUNS);
	if (!g_file_set_contents(path, text, -1, &e)) {
		*err = g_strdup(e->message);
		g_error_free(e);
		g_unlink(path);
		g_clear_pointer(&path, g_free);
	}
	g_free(text);
	return path;
}

/* Queue the placeholder of the listed UID at IDX and commit it. */
static void
give_up(fetch_run *r, size_t idx, int runs)
{
	fetch_uid *u = &g_array_index(r->list, fetch_uid, idx);
	fetch_item it;
	char *err = NULL;
	tl_status rc;

	memset(&it, 0, sizeof it);
	it.uid = u->uid;
	it.idx = idx;
	it.unfetchable = 1;
	it.path = placeholder_write(r, u->uid, u->size, &err);
	rc = it.path != NULL ? fetch_ingest_item(r, &it, &err) : TL_TEMPFAIL;
	if (rc == TL_OK)
		rc = fetch_tx_commit(r, &err);
	if (it.path != NULL) {
		g_unlink(it.path);
		g_free(it.path);
	}
	if (rc != TL_OK) {
		log_err("mailbox %s uid %u: could not queue the placeholder of "
			"a message the server failed to send: %s", r->mb->name,
			u->uid, err != NULL ? err : tl_status_name(rc));
	} else {
		r->c->unfetchable++;
		g_hash_table_remove(r->failing, GUINT_TO_POINTER(u->uid));
		log_err("mailbox %s uid %u: given up after %d runs in which "
			"the server broke the connection while sending it; a "
			"quarantined placeholder tells the editors, the "
			"message stays on the server", r->mb->name, u->uid,
			runs);
	}
	g_free(err);
}

void
fetch_fail_chunk(fetch_run *r, const char *why)
{
	fetch_item *suspect = NULL;
	int runs = 0;
	guint i;

	/* A spool file we could not write (disk full) is our fault, not
	 * the message's. */
	if (why != NULL && strstr(why, "spool ") != NULL)
		return;
	for (i = 0; i < r->chunk->len && suspect == NULL; i++) {
		fetch_item *it = &g_array_index(r->chunk, fetch_item, i);

		/* Bodies arrive in UID order: the first one missing is the
		 * one the connection died on. */
		if (!it->too_large && !g_array_index(r->list, fetch_uid,
						     it->idx).done)
			suspect = it;
	}
	if (suspect == NULL)
		return;
	if (ledger_fail_note(r->st, r->mb->name, r->uidvalidity,
			     suspect->uid, LEDGER_FAIL_FAILING, r->run_id,
			     g_array_index(r->list, fetch_uid,
					   suspect->idx).size, why, &runs) !=
	    TL_OK) {
		log_warn("mailbox %s: could not record a failed transfer: %s",
			 r->mb->name, store_errmsg(r->st));
		return;
	}
	fault_point("failure-recorded");
	g_hash_table_insert(r->failing, GUINT_TO_POINTER(suspect->uid),
			    GINT_TO_POINTER(runs));
	if (runs >= FETCH_UNFETCHABLE_RUNS) {
		give_up(r, suspect->idx, runs);
		return;
	}
	log_warn("mailbox %s uid %u: the connection died while the server "
		 "was sending this message (failed run %d of %d before it is "
		 "given up; other messages go first)", r->mb->name,
		 suspect->uid, runs, FETCH_UNFETCHABLE_RUNS);
}

void
fetch_fail_stored(fetch_run *r)
{
	guint i;

	for (i = 0; i < r->chunk->len; i++) {
		fetch_item *it = &g_array_index(r->chunk, fetch_item, i);

		if (!g_array_index(r->list, fetch_uid, it->idx).done ||
		    !g_hash_table_remove(r->failing,
					 GUINT_TO_POINTER(it->uid)))
			continue;
		if (ledger_fail_forget(r->st, r->mb->name, r->uidvalidity,
				       it->uid) != TL_OK)
			log_debug("mailbox %s: %s", r->mb->name,
				  store_errmsg(r->st));
	}
}

tl_status
fetch_fail_refused(fetch_run *r, tl_status rc, char **errmsg)
{
	char *e;
	int runs = 0;

	if (!r->refused) {
		/* Best effort: a busy database only delays forgetting. */
		if (r->c->actions > 0)
			(void)ledger_fail_forget(r->st, r->mb->name, 0, 0);
		return rc;
	}
	if (ledger_fail_note(r->st, r->mb->name, 0, 0, LEDGER_FAIL_REFUSED,
			     r->run_id, 0, *errmsg, &runs) != TL_OK)
		return rc;
	fault_point("failure-recorded");
	if (runs < FETCH_REFUSED_RUNS)
		return rc;
	e = g_strdup_printf("%s; the server has refused after_fetch this "
			    "way in %d runs in a row, so this is no temporary "
			    "failure: fix after_fetch (%s:%d) or the server "
			    "(`tipline doctor` checks the folder); the "
			    "messages are stored and the action waits",
			    *errmsg, runs, r->cfg != NULL &&
			    r->cfg->path != NULL ? r->cfg->path : "?",
			    r->mb->after_fetch_line > 0 ?
			    r->mb->after_fetch_line : r->mb->section_line);
	g_free(*errmsg);
	*errmsg = e;
	return TL_CONFIG;
}
