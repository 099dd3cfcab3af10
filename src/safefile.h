/* safefile.h - opening files in folders that someone else may write.
 *
 * The database folder belongs to the fetch user, and root may run fetch
 * or an editor's command there.  Whoever owns the folder can put a
 * symbolic link or a hard link where tipline is about to open a file
 * (DATABASE.lock pointing at /etc/shadow): a root run that opens it and
 * then gives it to the database's owner (fchown, QA F36) hands that file
 * over.  So every file tipline creates or reuses beside the database, in
 * the spool folder, as a backup or as an export goes through this one
 * policy:
 *
 *   - open with O_NOFOLLOW | O_CLOEXEC | O_NOCTTY (and O_EXCL when the
 *     file must be new): a symbolic link in the last component is refused
 *     by the kernel;
 *   - fstat the descriptor that was opened (not the name, which may have
 *     changed meanwhile): it must be a regular file with exactly one link
 *     (a hard link to someone else's file has two), owned by this user,
 *     or by the owner or group of OWNER_OF (the database, which editors
 *     share through its group);
 *   - only then, when running as root and OWNER_OF belongs to another
 *     user, give an empty file root owns to that user and group (fchown on
 *     the checked descriptor), so the fetch user's cron job can still
 *     open it (QA F36).  Lock and signal files are always empty; nothing
 *     with content is ever given away.
 *
 * A refusal names the path and what was wrong and never changes the
 * file.  SQLite's own files (-wal, -shm, -journal) follow the same rule
 * through safefile_open_nolinks().  Nothing here prints.
 */
#ifndef TIPLINE_SAFEFILE_H
#define TIPLINE_SAFEFILE_H

#include <glib.h>

#include "status.h"

/* Open NAME relative to DIRFD (AT_FDCWD for a plain path) under the policy
 * above.  FLAGS is the access mode plus O_CREAT (create or reuse) or
 * O_CREAT|O_EXCL (must be new), O_TRUNC or O_APPEND as needed; MODE is
 * the creation mode (the umask applies).  OWNER_OF, when not NULL, is the
 * path whose owner may also own the file and to whom a root run gives it.
 * On success *fd_out is the open descriptor (the caller closes it).
 * On failure *fd_out is -1 and *errmsg (g_free) names NAME: TL_NOPERM
 * for a refused link, a file that is not regular or belongs to a
 * stranger, or EACCES/EPERM/EROFS; TL_NOINPUT for a missing folder;
 * TL_TEMPFAIL for other file system errors (ENOSPC, EEXIST with O_EXCL).
 * The errno of the failure is left in errno (ELOOP for a symbolic link,
 * EMLINK for a hard link, EPERM for a stranger's file, EINVAL for a file
 * that is not regular). */
tl_status safefile_open(int dirfd, const char *name, int flags, int mode,
			const char *owner_of, int *fd_out, char **errmsg);

/* g_mkstemp_full(TMPL, FLAGS, MODE) under the same policy: a new file
 * (O_EXCL) with a name made from TMPL's trailing "XXXXXX" (TMPL is
 * changed in place), O_NOFOLLOW and O_CLOEXEC added, checked with fstat.
 * Returns the descriptor, or -1 with errno set as for safefile_open. */
int safefile_mkstemp(char *tmpl, int flags, int mode);

/* open(2) for SQLite's unix VFS (sqlite3_vfs.xSetSystemCall "open"; the
 * store installs it): the same refusal of symbolic and hard links for the
 * files SQLite opens itself (the database, -wal, -shm, -journal), which
 * SQLite, run as root, would otherwise write and fchown to the database's
 * owner.  No owner check (editors open the fetch user's database).  A
 * directory (SQLite opens the database's folder to fsync it) may still
 * be reached through a link when opened read-only.  Returns the
 * descriptor or -1 with errno (ELOOP, EMLINK). */
int safefile_open_nolinks(const char *path, int flags, int mode);

#endif
