/* store-guard.h - is the database this process writes still the one at
 * its configured path? (issue 9 section 3)
 *
 * An admin who restores a backup (mv backup.db tipline.db) or removes the
 * database while a fetch runs leaves the fetch committing into a file no
 * one will ever open again: SQLite keeps writing through its open
 * descriptor and every commit "succeeds". Before fetch destroys the
 * server's copy of a message (after_fetch move or delete; seen and flag
 * too), it proves with store_guard_check() that the commit holding the
 * message landed in the database at the path.
 */
#ifndef TIPLINE_STORE_GUARD_H
#define TIPLINE_STORE_GUARD_H

#include <sys/types.h>
#include <glib.h>

#include "status.h"
#include "store.h"

/* The file at a store's path when it was opened. */
typedef struct {
	dev_t dev;
	ino_t ino;
	int known;		/* 0: store_guard_take() was not called */
} store_guard;

/* Remember which file is at store_path(ST); call right after
 * store_open(), before anything is committed (the window between the
 * open and the stat is what the row check of store_guard_check() also
 * covers). TL_TEMPFAIL when the path cannot be examined, with *errmsg
 * (g_free) naming it. */
tl_status store_guard_take(store *st, store_guard *g, char **errmsg);

/* Prove that the ledger rows of the N UIDS of MAILBOX under UIDVALIDITY
 * are in the database at store_path(ST): the path still names the file
 * recorded by store_guard_take() (st_dev and st_ino), and a new read-only
 * SQLite connection opened through the path (so it also sees the -wal
 * file now at the path, not the one this process has open) finds a
 * ledger row for every one of them. Call with no transaction open.
 * TL_OK when proven; TL_TEMPFAIL with *errmsg (g_free) saying what moved
 * otherwise; a G with known = 0 checks only the rows. Costs one stat(),
 * one sqlite3_open_v2() and N indexed lookups (about 1 ms for 200). */
tl_status store_guard_check(store *st, const store_guard *g,
			    const char *mailbox, guint32 uidvalidity,
			    const guint32 *uids, size_t n, char **errmsg);

#endif
