/* pg-ledger-priv.h - the fetch ledger on PostgreSQL (issue 13):
 * mailbox_state, ledger and fetch_failure rows.  Same contracts as the
 * store.h functions of the same names without the pg_ prefix (ledger.c
 * calls these first thing when store_pg() is set; outcomes and failure
 * states come as their names).  Exactly-once rests
 * on ledger's primary key as in SQLite: a second row for one UID is an
 * error (TL_SOFTWARE), and the fetch's per-message savepoint undoes it.
 * Nothing here prints. */
#ifndef TIPLINE_PG_LEDGER_PRIV_H
#define TIPLINE_PG_LEDGER_PRIV_H

#include <glib.h>

#include "util.h"
#include "store-priv.h"

tl_status pg_ledger_state_load(store *st, const char *mailbox,
			       ledger_state *out);
tl_status pg_ledger_state_save(store *st, const char *mailbox,
			       guint32 uidvalidity, guint32 last_uid,
			       guint32 start_uid);
tl_status pg_ledger_state_result(store *st, const char *mailbox,
				 const char *error);
tl_status pg_ledger_insert(store *st, const char *mailbox,
			   guint32 uidvalidity, guint32 uid,
			   const char *outcome, gint64 submission_id,
			   gint64 size, int action_done);
tl_status pg_ledger_pending(store *st, const char *mailbox,
			    guint32 uidvalidity, GArray *uids);
tl_status pg_ledger_mark(store *st, const char *mailbox, guint32 uidvalidity,
			 const guint32 *uids, size_t n, int value);
tl_status pg_ledger_void_other(store *st, const char *mailbox,
			       guint32 uidvalidity, int *n_out);
tl_status pg_ledger_uids_after(store *st, const char *mailbox,
			       guint32 uidvalidity, guint32 after,
			       GHashTable *set);
tl_status pg_ledger_fail_note(store *st, const char *mailbox,
			      guint32 uidvalidity, guint32 uid,
			      const char *state, gint64 run_id, gint64 size,
			      const char *error, int *runs_out);
tl_status pg_ledger_fail_give_up(store *st, const char *mailbox,
				 guint32 uidvalidity, guint32 uid,
				 gint64 submission_id);
tl_status pg_ledger_fail_forget(store *st, const char *mailbox,
				guint32 uidvalidity, guint32 uid);
tl_status pg_ledger_fail_failing(store *st, const char *mailbox,
				 guint32 uidvalidity, GHashTable *set);
tl_status pg_ledger_fail_list(store *st, const char *mailbox,
			      GPtrArray *out);

#endif
