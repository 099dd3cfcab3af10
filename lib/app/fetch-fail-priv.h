/* fetch-fail-priv.h - messages the server cannot send and actions it keeps
 * refusing, counted over runs (fetch-fail.c).
 */
#ifndef TIPLINE_FETCH_FAIL_H
#define TIPLINE_FETCH_FAIL_H

#include "fetch-run-priv.h"

/* Load the UIDs that failed in earlier runs into r->failing. */
tl_status fetch_fail_load(fetch_run *r, char **errmsg);

/* The connection died while the chunk was being received: count a failed
 * run for the first UID that did not arrive and, at
 * FETCH_UNFETCHABLE_RUNS, queue its placeholder and commit it. Errors
 * here are logged, never returned: the network error is the one to
 * report. */
void fetch_fail_chunk(fetch_run *r, const char *why);

/* Forget earlier failures of UIDs stored now (after a commit). */
void fetch_fail_stored(fetch_run *r);

/* After a run that ended with the server refusing the after_fetch action
 * (r->refused): count it; at FETCH_REFUSED_RUNS runs in a row turn RC
 * into TL_CONFIG and say so in *errmsg. After a run without refusal,
 * forget the count. Returns the status to report. */
tl_status fetch_fail_refused(fetch_run *r, tl_status rc, char **errmsg);

#endif
