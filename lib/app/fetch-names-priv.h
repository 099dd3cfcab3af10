/* fetch-names-priv.h - the run's mailbox and move folder in the server's
 * hierarchy, for fetch and for doctor's check (fetch-names.c).
 */
#ifndef TIPLINE_FETCH_NAMES_H
#define TIPLINE_FETCH_NAMES_H

#include "fetch-run-priv.h"

/* Put the URL's mailbox and the move folder into the server's hierarchy
 * (r->mailbox, r->move_folder; LIST only when a name has a '/'), and
 * refuse a move folder that is the mailbox itself (fetch-names.c). */
tl_status fetch_names_resolve(fetch_run *r, int with_move, char **errmsg);

/* After STATUS or SELECT of r->mailbox failed with RC (a tagged NO): ask
 * LIST what is really wrong and return the status to report (TL_CONFIG
 * for a mailbox that does not exist or cannot be selected, TL_TEMPFAIL
 * for one that vanished between STATUS and SELECT), replacing *errmsg. */
tl_status fetch_names_explain(fetch_run *r, int after_status, tl_status rc,
			      char **errmsg);

#endif
