/* store-backup.c - a consistent copy of the database while fetch and
 * editors keep working (`tipline backup FILE`).
 *
 * SQLite's online backup (one backup step of -1 pages) copies every page
 * inside one read transaction: in WAL mode writers are not blocked and
 * the copy is the database as of one commit.  The copy is written to a
 * temporary file next to FILE, switched to a plain rollback journal (one
 * self-contained file), checked with PRAGMA quick_check, synced, and only
 * then renamed to FILE: a nightly job's second run replaces the last copy
 * atomically (a reader sees the old copy or the new one, never half of
 * one).  An existing FILE is replaced only when it is an earlier backup:
 * a regular file with one link, ours, empty or a SQLite database; a link
 * or anything else is refused (util.h).  Mode 0600: a backup holds
 * every tip and every source's address.  The originals kept as files
 * (originals-priv.h) go to FILE.originals/, each checked against the
 * copy's own rows, before the copy is renamed in place
 * (backup-originals.c): the backup is FILE and that folder together.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "store-priv.h"
#include "backup-originals-priv.h"

static tl_status
copy_db(sqlite3 *src, const char *tmp, gint64 *pages, char **errmsg)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *b = NULL;
	sqlite3_stmt *q = NULL;
	tl_status rc = TL_OK;
	int r, tries = 0;

	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		*errmsg = g_strdup_printf("%s: %s", tmp, sqlite3_errmsg(dst));
		rc = TL_TEMPFAIL;
		goto out;
	}
	b = sqlite3_backup_init(dst, "main", src, "main");
	if (b == NULL) {
		*errmsg = g_strdup_printf("%s: %s", tmp, sqlite3_errmsg(dst));
		rc = TL_SOFTWARE;
		goto out;
	}
	/* BUSY/LOCKED: a writer is checkpointing; wait and go on. */
	while ((r = sqlite3_backup_step(b, -1)) == SQLITE_BUSY ||
	       r == SQLITE_LOCKED) {
		if (++tries > 100)
			break;
		sqlite3_sleep(100);
	}
	*pages = sqlite3_backup_pagecount(b);
	sqlite3_backup_finish(b);
	if (r != SQLITE_DONE) {
		*errmsg = g_strdup_printf("backup: %s", sqlite3_errstr(r));
		rc = (r == SQLITE_BUSY || r == SQLITE_LOCKED ||
		      r == SQLITE_FULL || r == SQLITE_IOERR) ? TL_TEMPFAIL :
		    TL_SOFTWARE;
		goto out;
	}
	if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL,
			 NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(dst, "PRAGMA quick_check", -1, &q, NULL) !=
	    SQLITE_OK || sqlite3_step(q) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(q, 0), "ok") != 0) {
		*errmsg = g_strdup_printf("%s: the copy failed its check: %s",
		    tmp, q ? (const char *)sqlite3_column_text(q, 0) :
		    sqlite3_errmsg(dst));
		rc = TL_SOFTWARE;
	}
out:
	sqlite3_finalize(q);
	sqlite3_close_v2(dst);
	return rc;
}

/* May FILE, which exists, be replaced by a new backup?  TL_OK when it is
 * a plain file of ours (safefile_open's checks) that is empty or a SQLite
 * database, so that a mistyped path is never overwritten. */
static tl_status
target_check(const char *file, char **errmsg)
{
	static const char magic[16] = "SQLite format 3";
	char head[16];
	ssize_t n;
	tl_status rc;
	int fd = -1;

	rc = safefile_open(AT_FDCWD, file, O_RDONLY, 0, NULL, &fd, errmsg);
	if (rc != TL_OK)
		return rc;
	n = read(fd, head, sizeof head);
	if (n != 0 && (n != (ssize_t)sizeof head ||
		       memcmp(head, magic, sizeof head) != 0)) {
		*errmsg = g_strdup_printf("%s exists and is not a tipline "
					  "backup; not overwritten", file);
		rc = TL_USAGE;
	}
	close(fd);
	return rc;
}

/* Rename TMP over FILE and sync the folder, so the new name survives a
 * power cut. */
static tl_status
put_in_place(const char *tmp, const char *file, const char *dir,
	     char **errmsg)
{
	int dfd, e;

	if (rename(tmp, file) != 0) {
		e = errno;	/* before g_strdup_printf can change it */
		*errmsg = g_strdup_printf("%s: %s", file, g_strerror(e));
		return e == EISDIR ? TL_USAGE : TL_TEMPFAIL;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return TL_OK;
}

tl_status
store_backup(store *st, const char *file, store_backup_info *out,
	     char **errmsg)
{
	char *tmp = NULL, *dir = NULL;
	struct stat sb;
	tl_status rc = TL_OK;
	int fd = -1, e;

	memset(out, 0, sizeof *out);
	if (store_pg(st) != NULL) {
		/* A database server has its own backup tools, which know its
		 * WAL, roles and replicas; a file written here would be a
		 * second, weaker kind of backup to look after. */
		*errmsg = g_strdup("the queue is in PostgreSQL: back it up "
			"with pg_dump (pg_dump -Fc -f FILE DATABASE) or the "
			"server's own backups (pg_basebackup, WAL "
			"archiving); see docs/operations.md");
		return TL_USAGE;
	}
	if (lstat(file, &sb) == 0 &&
	    (rc = target_check(file, errmsg)) != TL_OK)
		goto out;
	dir = g_path_get_dirname(file);
	tmp = g_build_filename(dir, ".tipline-backup-XXXXXX", NULL);
	if ((fd = safefile_mkstemp(tmp, O_RDWR, 0600)) < 0) {
		e = errno;
		*errmsg = g_strdup_printf("%s: %s", dir, g_strerror(e));
		rc = e == ENOENT ? TL_NOINPUT : TL_TEMPFAIL;
		goto out;
	}
	/* SQLite writes the copy through its own descriptor; this one
	 * (the file just created and checked) is kept for fsync. */
	if ((rc = copy_db(store_db(st), tmp, &out->pages, errmsg)) != TL_OK)
		goto fail;
	if (fsync(fd) != 0 || fstat(fd, &sb) != 0) {
		*errmsg = g_strdup_printf("%s: %s", tmp, g_strerror(errno));
		rc = TL_TEMPFAIL;
		goto fail;
	}
	/* The files before the database that names them goes in place:
	 * FILE never names a file its folder lacks. */
	if ((rc = backup_originals_copy(st, tmp, file, &out->files,
					&out->file_bytes, errmsg)) != TL_OK ||
	    (rc = put_in_place(tmp, file, dir, errmsg)) != TL_OK)
		goto fail;
	backup_originals_prune(file);
	out->bytes = (gint64)sb.st_size;
	goto out;
fail:
	unlink(tmp);
out:
	if (fd >= 0)
		close(fd);
	g_free(tmp);
	g_free(dir);
	return rc;
}
