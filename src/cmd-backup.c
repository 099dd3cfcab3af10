/* cmd-backup.c - `tipline backup FILE`: a consistent copy of the database
 * while fetch and editors keep working.
 *
 * SQLite's online backup (sqlite3_backup_step with -1) copies every page
 * inside one read transaction: in WAL mode writers are not blocked and
 * the copy is the database as of one commit.  The copy is written to a
 * temporary file next to FILE, switched to a plain rollback journal (one
 * self-contained file), checked with PRAGMA quick_check, synced, and only
 * then linked to FILE, which is never overwritten.  Mode 0600: a backup
 * holds every tip and every source's address.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "log.h"

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

tl_status
cmd_backup(tl_ctx *ctx, int argc, char **argv)
{
	char *tmp = NULL, *err = NULL, *dir = NULL, *size = NULL;
	gint64 pages = 0;
	struct stat sb;
	tl_status rc;
	int done = 0, fd;

	rc = cmd_parse_options("backup", "FILE",
	    "Write a consistent copy of the database to FILE (a new file; "
	    "never overwritten) while fetch and editors keep working.",
	    NULL, &argc, &argv, 1, 1, &done);
	if (rc != TL_OK || done)
		return rc;
	if (lstat(argv[1], &sb) == 0) {
		cmd_err("backup", "%s exists; not overwritten", argv[1]);
		return TL_USAGE;
	}
	dir = g_path_get_dirname(argv[1]);
	tmp = g_build_filename(dir, ".tipline-backup-XXXXXX", NULL);
	if ((fd = g_mkstemp_full(tmp, O_RDWR | O_CLOEXEC, 0600)) < 0) {
		cmd_err("backup", "%s: %s", dir, g_strerror(errno));
		rc = errno == ENOENT ? TL_NOINPUT : TL_TEMPFAIL;
		goto out;
	}
	close(fd);
	if ((rc = copy_db(store_db(ctx->st), tmp, &pages, &err)) != TL_OK)
		goto fail;
	if ((fd = open(tmp, O_RDONLY | O_CLOEXEC)) < 0 || fsync(fd) != 0 ||
	    fstat(fd, &sb) != 0) {
		err = g_strdup_printf("%s: %s", tmp, g_strerror(errno));
		if (fd >= 0)
			close(fd);
		rc = TL_TEMPFAIL;
		goto fail;
	}
	close(fd);
	/* link() fails with EEXIST instead of replacing a file that
	 * appeared meanwhile. */
	if (link(tmp, argv[1]) != 0) {
		err = g_strdup_printf("%s: %s", argv[1], g_strerror(errno));
		rc = errno == EEXIST ? TL_USAGE : TL_TEMPFAIL;
		goto fail;
	}
	unlink(tmp);
	size = g_format_size((guint64)sb.st_size);
	printf("%s: %" G_GINT64_FORMAT " pages, %s, quick_check ok\n",
	       argv[1], pages, size);
	goto out;
fail:
	cmd_err("backup", "%s", err);
	unlink(tmp);
out:
	g_free(tmp);
	g_free(dir);
	g_free(err);
	g_free(size);
	return rc;
}
