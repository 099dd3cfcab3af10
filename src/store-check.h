/* store-check.h - is the store sound, and can the next fetch use it?
 *
 * For `tipline doctor` and monitoring: SQLite's own integrity check
 * bounded in time, and the local things a fetch needs (the database's
 * folder, the database file, its lock file, the spool folder), each tried
 * as the login that runs the check, without creating or changing
 * anything. Nothing here prints; each check returns a status and a
 * message naming the object and, on failure, the fix.
 */
#ifndef TIPLINE_STORE_CHECK_H
#define TIPLINE_STORE_CHECK_H

#include <glib.h>

#include "status.h"
#include "store.h"

/* What store_integrity_check() found. */
typedef struct {
	int finished;		/* 0 when the deadline cut it short */
	int problems;		/* lines of trouble found (at most 10) */
	char *first;		/* the first of them, or NULL (g_free) */
	gint64 elapsed_ms;	/* time spent */
} store_integrity;

/* Run PRAGMA quick_check (SQLite's check of every page, b-tree, record
 * and NOT NULL/CHECK constraint, without comparing index contents with
 * their tables: O(N), as against integrity_check's O(N log N)), or
 * integrity_check when FULL, for at most MAX_MS milliseconds: a progress
 * handler interrupts it at the deadline, which is reported as not
 * finished rather than as a failure. TL_OK when it finished clean or was
 * cut short; TL_DATA when it found damage (res->first says where);
 * otherwise the store's error (store_errmsg). Free res->first with
 * store_integrity_clear(). */
tl_status store_integrity_check(store *st, int full, gint64 max_ms,
				store_integrity *res);
void store_integrity_clear(store_integrity *res);

/* Can the next fetch, run by this login, open or create the database at
 * PATH? Its folder must exist and be writable (SQLite creates -wal and
 * -shm there, fetch its .lock), not on a read-only file system nor full,
 * and an existing database, -wal and -shm readable and writable. A
 * database not created yet is fine when the folder is. *msg (g_free)
 * says what was found: on TL_OK a short description ("not created yet:
 * the first fetch creates it"), otherwise the problem and its fix.
 * TL_CONFIG for a missing folder, TL_NOPERM for a refused or read-only
 * one, TL_TEMPFAIL for a full disk. */
tl_status store_preflight_database(const char *path, char **msg);

/* Can the next fetch spool messages in DIR (spool_dir, or NULL for the
 * temporary folder fetch uses then)? It must be a writable folder, or
 * missing with a writable parent (fetch creates it). Statuses and *msg
 * as store_preflight_database. */
tl_status store_preflight_spool(const char *dir, char **msg);

/* Can the next fetch take DATABASE.lock? Tries flock(LOCK_EX|LOCK_NB)
 * on the existing file (opened read-only, never created, no symlink
 * followed) and lets it go at once; a fetch running now holding it is
 * fine (TL_OK, *msg says so). A lock file this login may not open for
 * writing, or a symlink or other non-regular file there, is TL_NOPERM
 * with the fix named. A missing file is fine (the folder's check covers
 * creating it). */
tl_status store_preflight_lock(const char *database, char **msg);

#endif
