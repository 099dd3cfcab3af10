/* store-seen.h - what each editor has seen (issue 10): the rows of the
 * seen table behind `list --unseen`.
 *
 * One function marks, so that every face of the desk (show on a terminal
 * now, a browser page later) records "shown to this editor" the same
 * way.  Nothing here prints or exits.
 */
#ifndef TIPLINE_STORE_SEEN_H
#define TIPLINE_STORE_SEEN_H

#include <glib.h>

#include "status.h"
#include "store.h"

/* Record that EDITOR has seen the N submissions IDS (or, when ALL, every
 * submission in the store) now, in one write transaction (store_begin, so
 * a running fetch steps aside).  A submission seen before keeps its first
 * time.  Ids with no submission are skipped: FOUND (N entries, caller's,
 * may be NULL) says which existed; *marked (may be NULL) gets how many
 * rows were new.  ST must be open read-write.  TL_TEMPFAIL when the
 * database stayed busy (nothing marked); other failures TL_SOFTWARE; the
 * text is in store_errmsg(ST). */
tl_status store_seen_mark(store *st, const char *editor, const gint64 *ids,
			  guint n, gboolean all, gboolean *found,
			  guint *marked);

#endif
