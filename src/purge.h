/* purge.h - removing submissions for good: retention of personal data.
 *
 * A purge deletes the submission rows with their raw message, attachment
 * and forwarded rows and their full-text entries, clears the notes of
 * their audit rows (an editor's reason may quote the tip), then makes sure
 * the bytes are gone from the files too: SQLite only marks deleted rows
 * free, FTS5 keeps tokens in old index segments until a merge, and the WAL
 * keeps old page images.  So: PRAGMA secure_delete = ON (freed pages are
 * zeroed), FTS5 'rebuild' and 'optimize' on both search tables, commit,
 * wal_checkpoint(TRUNCATE), VACUUM, and wal_checkpoint(TRUNCATE) again.
 *
 * Follow-ups that stay but answer a purged submission (its thread's
 * later messages, a reply naming it in In-Reply-To or References) lose
 * their quoted part (quote_offset) in their text, HTML, search entries
 * and original message, replaced by a note (redact.h, QA F41): a tip
 * purged at its source's request must not survive as a quote.
 *
 * Kept: the ledger rows (mailbox, UIDVALIDITY, UID, outcome; no content),
 * without which the next fetch would download a purged message again,
 * and the audit rows with who/when/what (the purge itself is one more
 * audit row: count and criteria, no content).
 */
#ifndef TIPLINE_PURGE_H
#define TIPLINE_PURGE_H

#include <glib.h>

#include "status.h"
#include "store.h"

typedef struct {
	gint64 count;		/* submissions (to be) removed */
	gint64 raw_bytes;	/* their raw size */
	char cutoff_utc[32];	/* received before this time */
	GArray *ids;		/* gint64, ascending (g_array_unref) */
	gboolean wal_truncated;	/* FALSE: a reader kept the WAL alive */
	GArray *redacted;	/* gint64 ids of the follow-ups whose quote
				 * of a purged submission was (or, dry run,
				 * would be) removed, ascending
				 * (g_array_unref) */
} purge_result;

/* Purge the submissions whose status is one of STATUSES (NULL-terminated,
 * validated) and that were received (stored by tipline) more than
 * OLDER_THAN seconds ago.  DRY_RUN only counts.  The purge is audited as
 * editor EDITOR with CRITERIA (the command line's words) and the count.
 * *res is filled (res->ids and res->redacted allocated, also on
 * failure) on TL_OK.  TL_TEMPFAIL when the
 * database is busy (nothing deleted) or when the WAL could not be
 * truncated because another process was reading (the rows are gone; run
 * the purge again to clean the WAL: res->wal_truncated is FALSE). */
tl_status purge_run(store *st, const char *const *statuses,
		    gint64 older_than, gboolean dry_run, const char *editor,
		    const char *criteria, purge_result *res, char **errmsg);

#endif
