/* store-check.c - integrity check and a fetch's local needs, for doctor. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "store-priv.h"
#include "pg-check-priv.h"

/* Less free space than this is a full disk for a fetch: the spool, the
 * WAL and the database all grow by a message's size. */
#define MIN_FREE_BYTES (8LL * 1024 * 1024)

/* The watchdog of one integrity check: PRAGMA quick_check is a single
 * virtual machine instruction, so a progress handler never runs during
 * it; sqlite3_interrupt(), which the b-tree check honours and which may
 * be called from another thread, stops it at the deadline. */
typedef struct {
	GMutex lock;
	GCond cond;
	sqlite3 *db;
	gint64 deadline;	/* g_get_monotonic_time() units */
	int done;
	int fired;
} watchdog;

static gpointer
watchdog_run(gpointer p)
{
	watchdog *w = p;

	g_mutex_lock(&w->lock);
	while (!w->done)
		if (!g_cond_wait_until(&w->cond, &w->lock, w->deadline)) {
			if (!w->done) {
				sqlite3_interrupt(w->db);
				w->fired = 1;
			}
			break;
		}
	g_mutex_unlock(&w->lock);
	return NULL;
}

tl_status
store_integrity_check(store *st, int full, gint64 max_ms,
		      store_integrity *res)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *q = NULL;
	gint64 start = g_get_monotonic_time();
	watchdog w;
	GThread *th;
	tl_status rc = TL_OK;
	int r;

	memset(res, 0, sizeof *res);
	if (max_ms <= 0)
		return TL_OK;	/* stopped at once: not finished */
	if (store_pg(st) != NULL)
		return pg_store_integrity_check(st, max_ms, res);
	if (sqlite3_prepare_v2(db, full ? "PRAGMA integrity_check(10)" :
			       "PRAGMA quick_check(10)", -1, &q, NULL) !=
	    SQLITE_OK) {
		/* Damage in the schema pages stops the check before its
		 * first row: that is its one problem, named by SQLite. */
		rc = store_fail(st, "integrity check");
		if (rc == TL_DATA) {
			res->first = g_strdup(sqlite3_errmsg(db));
			res->problems = 1;
		}
		return rc;
	}
	memset(&w, 0, sizeof w);
	g_mutex_init(&w.lock);
	g_cond_init(&w.cond);
	w.db = db;
	w.deadline = start + max_ms * 1000;
	th = g_thread_new("tipline-check", watchdog_run, &w);
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(q, 0);
		const char *nl;

		if (line == NULL || strcmp(line, "ok") == 0)
			continue;
		/* The first row may start "*** in database main ***\n". */
		if (g_str_has_prefix(line, "***") &&
		    (nl = strchr(line, '\n')) != NULL)
			line = nl + 1;
		if (res->problems++ == 0)
			res->first = g_strdup(line);
	}
	g_mutex_lock(&w.lock);
	w.done = 1;
	g_cond_signal(&w.cond);
	g_mutex_unlock(&w.lock);
	g_thread_join(th);
	res->elapsed_ms = (g_get_monotonic_time() - start) / 1000;
	if (r == SQLITE_DONE && !w.fired) {
		res->finished = 1;
	} else if (r == SQLITE_DONE ||
		   (sqlite3_extended_errcode(db) & 0xff) == SQLITE_INTERRUPT) {
		/* Interrupted: what it found so far may be cut mid-page. */
		res->finished = 0;
		res->problems = 0;
		g_clear_pointer(&res->first, g_free);
	} else {
		rc = store_fail(st, "integrity check");
		if (rc == TL_DATA && res->first == NULL)
			res->first = g_strdup(store_errmsg(st));
		res->problems += rc == TL_DATA;
	}
	sqlite3_finalize(q);
	g_mutex_clear(&w.lock);
	g_cond_clear(&w.cond);
	if (rc == TL_OK && res->problems > 0)
		rc = TL_DATA;
	return rc;
}

void
store_integrity_clear(store_integrity *res)
{
	g_free(res->first);
	res->first = NULL;
}

/* The login whose rights the checks use (newly allocated). */
static char *
login_name(void)
{
	struct passwd *pw = getpwuid(geteuid());

	return pw != NULL && pw->pw_name != NULL ? g_strdup(pw->pw_name) :
	       g_strdup_printf("uid %u", (unsigned)geteuid());
}

/* Can this login create files in the existing folder DIR (WHAT names its
 * role)? Also a read-only mount and a full disk. */
static tl_status
folder_writable(const char *dir, const char *what, char **msg)
{
	struct statvfs vfs;
	char *who = login_name();
	tl_status rc = TL_OK;

	if (statvfs(dir, &vfs) == 0 && (vfs.f_flag & ST_RDONLY) != 0) {
		*msg = g_strdup_printf("%s %s is on a read-only file system: "
			"remount it read-write, or move %s", what, dir, what);
		rc = TL_NOPERM;
	} else if (access(dir, W_OK | X_OK) != 0) {
		*msg = g_strdup_printf("%s %s: %s: %s may not create files in "
			"it (give the folder to the fetch user or its group, "
			"mode 2770; docs/operations.md)", what, dir,
			g_strerror(errno), who);
		rc = TL_NOPERM;
	} else if (statvfs(dir, &vfs) == 0 &&
		   (gint64)vfs.f_bavail * (gint64)vfs.f_frsize <
		   MIN_FREE_BYTES) {
		*msg = g_strdup_printf("%s %s: disk full (%" G_GINT64_FORMAT
			" KiB free): free space there", what, dir,
			(gint64)vfs.f_bavail * (gint64)vfs.f_frsize / 1024);
		rc = TL_TEMPFAIL;
	}
	g_free(who);
	return rc;
}

/* An existing file beside the database that the fetch opens read-write. */
static tl_status
file_writable(const char *path, char **msg)
{
	char *who;
	int e;

	if (access(path, R_OK | W_OK) == 0 || errno == ENOENT)
		return TL_OK;
	e = errno;
	who = login_name();
	*msg = g_strdup_printf("%s: %s: %s may not read and write it (give "
		"it to the fetch user or the editors' group, mode 0660)", path,
		g_strerror(e), who);
	g_free(who);
	return TL_NOPERM;
}

tl_status
store_preflight_database(const char *path, char **msg)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	char *dir = g_path_get_dirname(path);
	struct stat sb;
	tl_status rc = TL_OK;

	*msg = NULL;
	if (store_is_url(path)) {
		/* Nothing of the queue is a file here; the database: line
		 * (store_open, store_integrity_check) checks the server. */
		g_free(dir);
		*msg = g_strdup("no database folder: the queue is in "
				"PostgreSQL");
		return TL_OK;
	}
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		int e = stat(dir, &sb) != 0 ? errno : ENOTDIR;

		*msg = g_strdup_printf("database folder %s: %s: create it "
			"(install -d -m 2770 -o FETCHUSER -g EDITORS %s) or "
			"change [store] database", dir, g_strerror(e), dir);
		rc = e == EACCES ? TL_NOPERM : TL_CONFIG;
		goto out;
	}
	if ((rc = folder_writable(dir, "database folder", msg)) != TL_OK)
		goto out;
	for (size_t i = 0; i < G_N_ELEMENTS(suffix); i++) {
		char *p = g_strconcat(path, suffix[i], NULL);

		rc = file_writable(p, msg);
		g_free(p);
		if (rc != TL_OK)
			goto out;
	}
	if (stat(path, &sb) != 0)
		*msg = g_strdup_printf("%s: not created yet; folder %s is "
			"writable, the first fetch creates it", path, dir);
	else {
		/* doctor's "folder:" line: the folder first, as its label
		 * says, then the files checked in it. */
		char *base = g_path_get_basename(path);

		*msg = g_strdup_printf("%s: writable, as is %s", dir, base);
		g_free(base);
	}
out:
	g_free(dir);
	return rc;
}

tl_status
store_preflight_spool(const char *dir, char **msg)
{
	const char *d = dir != NULL ? dir : g_get_tmp_dir();
	char *up = g_strdup(d);
	struct stat sb;
	tl_status rc = TL_OK;

	*msg = NULL;
	if (stat(d, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
		*msg = g_strdup_printf("spool_dir %s: not a folder: change "
				       "[store] spool_dir", d);
		rc = TL_CONFIG;
		goto out;
	}
	/* fetch creates a missing spool_dir with its parents: the nearest
	 * folder that exists must then take new files. */
	while (stat(up, &sb) != 0 && errno == ENOENT) {
		char *parent = g_path_get_dirname(up);

		g_free(up);
		up = parent;
	}
	if (!S_ISDIR(sb.st_mode)) {
		*msg = g_strdup_printf("spool_dir %s: %s is not a folder: "
				       "change [store] spool_dir", d, up);
		rc = TL_CONFIG;
		goto out;
	}
	if ((rc = folder_writable(up, strcmp(up, d) == 0 ? "spool folder" :
				  "spool folder's parent", msg)) != TL_OK)
		goto out;
	*msg = strcmp(up, d) == 0 ?
	       g_strdup_printf("%s: writable", d) :
	       g_strdup_printf("%s: not created yet; the first fetch creates "
			       "it in %s", d, up);
out:
	g_free(up);
	return rc;
}

tl_status
store_preflight_lock(const char *database, char **msg)
{
	char *path = NULL;
	struct stat sb;
	tl_status rc = TL_OK;
	int fd = -1;

	*msg = NULL;
	if (store_is_url(database)) {
		/* A URL + ".lock" is no file to look at. */
		*msg = g_strdup("no lock file: the queue is in PostgreSQL");
		return TL_OK;
	}
	path = g_strconcat(database, ".lock", NULL);
	if (lstat(path, &sb) != 0) {
		*msg = g_strdup_printf("%s: not created yet (the first fetch "
				       "creates it)", path);
		goto out;
	}
	if (!S_ISREG(sb.st_mode) || sb.st_nlink != 1) {
		*msg = g_strdup_printf("%s: not a plain file (a symbolic link, "
			"a hard link or a folder): remove it; fetch makes a "
			"new one", path);
		rc = TL_NOPERM;
		goto out;
	}
	if ((rc = file_writable(path, msg)) != TL_OK)
		goto out;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		*msg = g_strdup_printf("%s: %s", path, g_strerror(errno));
		rc = TL_NOPERM;
	} else if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		flock(fd, LOCK_UN);
		*msg = g_strdup_printf("%s: can be taken", path);
	} else if (errno == EWOULDBLOCK) {
		*msg = g_strdup_printf("%s: held by a fetch running now",
				       path);
	} else {
		*msg = g_strdup_printf("%s: %s", path, g_strerror(errno));
		rc = TL_TEMPFAIL;
	}
out:
	if (fd >= 0)
		close(fd);
	g_free(path);
	return rc;
}
