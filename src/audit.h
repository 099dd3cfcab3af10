/* audit.h - reading the editors' audit log (the audit table of
 * schema.sql; store_audit() in store.h writes it): who did what to which
 * submission, when, and with which note.
 *
 * Rows outlive a purge (purge.h): a purged submission's history stays,
 * with notes cleared, followed by one "purge" row of its own (written by
 * purge_run since issue 10) and the purge's whole-queue summary row
 * (submission_id NULL: count and criteria).  Nothing here prints; errors
 * are a tl_status from store_fail() with *errmsg (g_free).
 */
#ifndef TIPLINE_AUDIT_H
#define TIPLINE_AUDIT_H

#include <glib.h>

#include "status.h"
#include "store.h"

/* One audit row.  Strings are newly allocated; free with audit_row_free
 * (the GPtrArray of audit_rows_load does). */
typedef struct {
	gint64 id;		/* the row's own id: chronological order */
	gint64 submission_id;	/* 0: about the whole queue (a purge's
				 * summary) */
	char *at_utc;		/* ISO 8601 UTC */
	char *editor;
	char *action;		/* ingest, approve, reject, spam, reopen,
				 * export, reparse, refetch, purge */
	char *old_status, *new_status, *note;	/* may be NULL */
} audit_row;

/* Which rows audit_rows_load returns.  Zero-initialise, then set fields;
 * strings are borrowed for the call. */
typedef struct {
	gint64 submission_id;	/* 0: every submission (and the whole-queue
				 * rows) */
	const char *editor;	/* exact login name, or NULL */
	const char *since_utc;	/* inclusive ISO 8601 UTC, or NULL */
	const char *until_utc;	/* exclusive bound, or NULL */
	gint64 limit;		/* 0: all; else the newest LIMIT rows */
} audit_filter;

void audit_row_free(gpointer row);

/* The rows F selects, oldest first (by row id: the order they were
 * written).  *rows: GPtrArray of audit_row * (g_ptr_array_unref). */
tl_status audit_rows_load(store *st, const audit_filter *f,
			  GPtrArray **rows, char **errmsg);

/* The "purge" row of submission ID into *row (audit_row_free), or *row =
 * NULL when ID was never purged, or was purged before purges recorded
 * each id.  *existed is TRUE when the log has any row for ID, so that a
 * caller can tell "was here once" from "never was". */
tl_status audit_purge_find(store *st, gint64 id, audit_row **row,
			   gboolean *existed, char **errmsg);

#endif
