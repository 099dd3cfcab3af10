/* backup-originals-priv.h - the originals kept as files in a backup
 * (store-backup.c): FILE.originals/ beside the backup FILE, one file per
 * original_file row of the backup's database. */
#ifndef TIPLINE_BACKUP_ORIGINALS_PRIV_H
#define TIPLINE_BACKUP_ORIGINALS_PRIV_H

#include "store-priv.h"

/* Copy into FILE.originals/ (made 0700; a link in its place refused)
 * every original file that COPY (the backup's database, not yet in
 * place) names, from ST's originals folder, each synced and checked
 * against COPY's content hash and size; a file already there from an
 * earlier backup is kept when it checks.  *files and *bytes count them.
 * TL_DATA for a missing or damaged original (*errmsg names it),
 * TL_TEMPFAIL for a full disk, TL_NOPERM for a refused folder or file;
 * *errmsg is g_free'd by the caller. */
tl_status backup_originals_copy(store *st, const char *copy,
				const char *file, gint64 *files,
				gint64 *bytes, char **errmsg);

/* Once FILE is the new backup: remove the files of FILE.originals/ that
 * it does not name (an earlier backup's, purged since).  Best effort:
 * a file left is only one more copy of what the old backup held. */
void backup_originals_prune(const char *file);

#endif
