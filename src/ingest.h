/* ingest.h - the one path from a message file to a queued submission,
 * shared by `fetch` (spool files) and `import` (files, Maildir, mbox):
 * content hash -> duplicate check -> GMime parse -> store insert.
 *
 * The caller owns the transaction (store_begin/store_commit), so a fetch
 * can commit a batch and a crash leaves either all or none of it.
 */
#ifndef TIPLINE_INGEST_H
#define TIPLINE_INGEST_H

#include <glib.h>

#include "config.h"
#include "store.h"

/* What became of one message; also the ledger outcome for a fetch. */
typedef struct {
	const char *outcome;	/* "stored", "duplicate", "quarantined",
				 * "auto_reply", "bounce", "spam",
				 * "too_large" (static strings) */
	gint64 submission_id;	/* the new row, or the one duplicated; 0
				 * for a duplicate of a purged message */
	char content_hash[65];
} ingest_result;

/* Ingest the message in PATH from SRC. known_hash may carry the content
 * hash when the caller computed it while spooling (else NULL).
 * TOO_LARGE_REASON non-NULL means PATH holds only the header block of a
 * message over the size limit: it is stored as "too_large" with that
 * reason. Returns TL_OK with *res filled for every outcome, including a
 * message that cannot be parsed (stored raw, "quarantined"). Failures:
 * TL_NOINPUT (PATH unreadable), TL_TEMPFAIL (database busy, disk full),
 * TL_SOFTWARE; *errmsg (g_free) names PATH. */
tl_status ingest_file(store *st, const tl_config *cfg, const char *path,
		      const char *known_hash, const store_source *src,
		      const char *too_large_reason, ingest_result *res,
		      char **errmsg);

#endif
