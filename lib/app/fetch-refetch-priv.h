/* fetch-refetch-priv.h - messages once too large, fetched again when
 * max_message_size allows them (fetch-refetch.c).
 */
#ifndef TIPLINE_FETCH_REFETCH_H
#define TIPLINE_FETCH_REFETCH_H

#include "fetch-run-priv.h"

/* Download, ingest and commit the too_large entries of the selected
 * mailbox that max_message_size now allows, then apply after_fetch to
 * them (fetch-refetch.c). */
tl_status fetch_refetch(fetch_run *r, char **errmsg);

/* How many such entries wait (0 on any error), for the STATUS-only poll. */
int fetch_refetch_waiting(store *st, const tl_mailbox_conf *mb,
			  guint32 uidvalidity);

#endif
