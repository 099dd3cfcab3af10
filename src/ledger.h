/* ledger.h - the fetch's memory in SQLite: mailbox_state (where the last
 * fetch of each [mailbox NAME] stopped, and how it ended) and ledger (one
 * outcome for every (mailbox, UIDVALIDITY, UID) ever seen). See schema.sql
 * and fetch.h for the invariants they keep.
 *
 * Every function returns a tl_status from store_fail() (TL_TEMPFAIL for a
 * busy or full database) with the detail in store_errmsg(st). Functions
 * that write must be called inside store_begin()/store_commit() unless
 * their comment says otherwise.
 */
#ifndef TIPLINE_LEDGER_H
#define TIPLINE_LEDGER_H

#include <glib.h>

#include "status.h"
#include "store.h"

/* ledger.action_done values. */
#define LEDGER_ACTION_PENDING 0	/* stored; after_fetch not yet applied */
#define LEDGER_ACTION_DONE 1	/* applied (or none was configured) */
#define LEDGER_ACTION_VOID 2	/* UIDVALIDITY changed before it could be
				 * applied: the UID names another message */
#define LEDGER_ACTION_GONE 4	/* a too_large message removed from the
				 * server before it could be fetched whole:
				 * nothing left to complete or act on */
#define LEDGER_ACTION_KEPT 3	/* deliberately not applied: only the header
				 * of a message over max_message_size was
				 * stored, so move/delete would destroy the
				 * only full copy */

/* One mailbox_state row. Strings are newly allocated (ledger_state_clear). */
typedef struct {
	int exists;		/* 0: never fetched (other fields 0/NULL) */
	guint32 uidvalidity;
	guint32 last_uid;
	guint32 start_uid;	/* 0 when start = all */
	char *last_success_utc;
	char *last_error;
	char *last_error_utc;
} ledger_state;

/* Read the row of MAILBOX (works on a read-only store). A missing row is
 * TL_OK with exists = 0. */
tl_status ledger_state_load(store *st, const char *mailbox,
			    ledger_state *out);

/* Free the strings of S and zero it. */
void ledger_state_clear(ledger_state *s);

/* Set uidvalidity and last_uid of MAILBOX, creating the row. START_UID > 0
 * also records the starting UID (start = now). */
tl_status ledger_state_save(store *st, const char *mailbox,
			    guint32 uidvalidity, guint32 last_uid,
			    guint32 start_uid);

/* Record the end of a fetch: ERROR NULL sets last_success_utc, else
 * last_error and last_error_utc. Runs in its own (autocommit) statement. */
tl_status ledger_state_result(store *st, const char *mailbox,
			      const char *error);

/* Insert the ledger row of one UID. SUBMISSION_ID 0 stores NULL; SIZE is
 * RFC822.SIZE. A row that exists already is a TL_SOFTWARE error (the
 * watermark logic must never offer a UID twice). */
tl_status ledger_insert(store *st, const char *mailbox, guint32 uidvalidity,
			guint32 uid, const char *outcome,
			gint64 submission_id, gint64 size, int action_done);

/* Append to UIDS (GArray of guint32), ascending, the UIDs of MAILBOX under
 * UIDVALIDITY whose action_done is LEDGER_ACTION_PENDING. */
tl_status ledger_pending(store *st, const char *mailbox, guint32 uidvalidity,
			 GArray *uids);

/* Set action_done = VALUE for the N UIDS. */
tl_status ledger_mark(store *st, const char *mailbox, guint32 uidvalidity,
		      const guint32 *uids, size_t n, int value);

/* Set every pending row of MAILBOX whose UIDVALIDITY is not UIDVALIDITY to
 * LEDGER_ACTION_VOID; *n_out (may be NULL) gets how many. */
tl_status ledger_void_other(store *st, const char *mailbox,
			    guint32 uidvalidity, int *n_out);

/* Add to SET (a GHashTable made with g_direct_hash, keys
 * GUINT_TO_POINTER(uid)) the UIDs above AFTER that already have a row. */
tl_status ledger_uids_after(store *st, const char *mailbox,
			    guint32 uidvalidity, guint32 after,
			    GHashTable *set);

/* fetch_failure.state: one to/from-string pair (schema.sql). */
typedef enum {
	LEDGER_FAIL_FAILING = 0,	/* transfer died, will be retried */
	LEDGER_FAIL_UNFETCHABLE,	/* given up: placeholder queued */
	LEDGER_FAIL_REFUSED,	/* uid 0: after_fetch refused by the server */
} ledger_fail_state;

const char *ledger_fail_state_name(ledger_fail_state s);
/* -1 for an unknown name. */
int ledger_fail_state_parse(const char *name);

/* One fetch_failure row; strings newly allocated (ledger_fail_clear). */
typedef struct {
	char *mailbox;
	guint32 uidvalidity, uid;
	ledger_fail_state state;
	int runs;
	gint64 size;
	char *first_utc, *last_utc, *error;
	gint64 submission_id;
	char *submission_status;	/* of the placeholder, NULL if none */
} ledger_fail;

void ledger_fail_free(ledger_fail *f);

/* Record that UID of MAILBOX failed in run RUN_ID with ERROR (a new row in
 * STATE, or one more run for an existing one: `runs` grows once per run
 * id). *runs_out gets the runs counted so far. Autocommit when no
 * transaction is open. */
tl_status ledger_fail_note(store *st, const char *mailbox,
			   guint32 uidvalidity, guint32 uid,
			   ledger_fail_state state, gint64 run_id,
			   gint64 size, const char *error, int *runs_out);

/* Set the state and placeholder of an existing row (inside the
 * transaction that queues the placeholder). */
tl_status ledger_fail_give_up(store *st, const char *mailbox,
			      guint32 uidvalidity, guint32 uid,
			      gint64 submission_id);

/* Delete the row of UID (0: the mailbox's 'refused' row) unless it is
 * 'unfetchable'; no row is no error. */
tl_status ledger_fail_forget(store *st, const char *mailbox,
			     guint32 uidvalidity, guint32 uid);

/* Add to SET (g_direct_hash, GUINT_TO_POINTER(uid) ->
 * GINT_TO_POINTER(runs)) the 'failing' UIDs of MAILBOX under
 * UIDVALIDITY. */
tl_status ledger_fail_failing(store *st, const char *mailbox,
			      guint32 uidvalidity, GHashTable *set);

/* Append to OUT (GPtrArray of ledger_fail *, free func set by the
 * caller to ledger_fail_free) every 'unfetchable' and 'refused' row of
 * MAILBOX, UID order. Works on a read-only store; a database made before
 * the table existed gives no rows. */
tl_status ledger_fail_list(store *st, const char *mailbox, GPtrArray *out);

#endif
