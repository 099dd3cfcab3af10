/* originals.c - originals kept as files beside a SQLite database (see
 * originals-priv.h). */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "store-priv.h"
#include "originals-priv.h"
#include "store-values-priv.h"

#define ORIG_CHUNK STORE_RAW_CHUNK
/* Attempts at a fresh random name before giving up (each one a
 * collision with an existing file: practically never more than one). */
#define ORIG_NAME_TRIES 16

struct orig_writer {
	store *st;
	int fd;
	char *name;
	gint64 size;		/* bytes written so far */
};

gint64
orig_file_min(void)
{
	/* fault_int takes numbers below a million only: enough for tests,
	 * and the real threshold is its default. */
	return fault_int("TIPLINE_ORIGINAL_FILE_MIN", ORIG_FILE_MIN);
}

char *
orig_dir_path(const char *db_path)
{
	return g_strconcat(db_path, ".originals", NULL);
}

/* The folder must be a real folder of this user or of the database's
 * owner or group: a link in its place was refused by O_NOFOLLOW. */
static const char *
dir_refused(int fd, const char *db_path)
{
	struct stat sb, ob;

	if (fstat(fd, &sb) != 0)
		return g_strerror(errno);
	if (!S_ISDIR(sb.st_mode))
		return "not a folder";
	if (sb.st_uid != geteuid() &&
	    (stat(db_path, &ob) != 0 || (sb.st_uid != ob.st_uid &&
					 sb.st_gid != ob.st_gid)))
		return "belongs to another user";
	return NULL;
}

int
orig_dir_open(const char *db_path, char **errmsg)
{
	char *path = orig_dir_path(db_path);
	const char *why = NULL;
	int fd, e = 0;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		/* O_NOFOLLOW|O_DIRECTORY on a symbolic link: ELOOP or
		 * ENOTDIR, depending on the kernel. */
		why = e == ELOOP || e == ENOTDIR ? "a symbolic link or not a "
		      "folder" : g_strerror(e);
	} else if ((why = dir_refused(fd, db_path)) != NULL) {
		e = EPERM;
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		*errmsg = g_strdup_printf("%s: %s%s", path, why, e != ENOENT ?
			"; refused (tipline never follows or adopts a link "
			"here: remove it if nobody should have put it there)"
			: "");
	g_free(path);
	errno = e;
	return fd;
}

int
orig_file_open(int dirfd, const char *name, const char *db_path,
	       char **errmsg)
{
	int fd = -1;

	safefile_open(dirfd, name, O_RDONLY, 0, db_path, &fd, errmsg);
	return fd;
}

/* ST's folder, made (like the database: group-shared, umask 007) when
 * CREATE; its descriptor is kept for the store's life.  -1 with the
 * store's error set. */
static int
dir_fd(store *st, gboolean create)
{
	char *path = NULL, *err = NULL;
	int e, fd = store_orig_dirfd(st);

	if (fd >= 0)
		return fd;
	if (create) {
		mode_t old = umask(007);

		path = orig_dir_path(store_path(st));
		/* Editors share the database through its group and read
		 * (show, export) and purge originals too: 0770, not 0700. */
		if (mkdir(path, 0770) != 0 && errno != EEXIST) {
			e = errno;
			umask(old);
			store_set_error(st, "%s: %s", path, g_strerror(e));
			g_free(path);
			errno = e;
			return -1;
		}
		umask(old);
		g_free(path);
	}
	if ((fd = orig_dir_open(store_path(st), &err)) < 0) {
		e = errno;
		store_set_error(st, "%s", err);
		g_free(err);
		errno = e;
		return -1;
	}
	store_orig_dirfd_set(st, fd);
	return fd;
}

/* The status for errno E of a file operation in the folder. */
static tl_status
file_status(int e)
{
	switch (e) {
	case ELOOP: case EMLINK: case EPERM: case EACCES: case EROFS:
	case EINVAL:
		return TL_NOPERM;
	default:
		return TL_TEMPFAIL;	/* ENOSPC, EDQUOT, EIO */
	}
}

/* A new empty file with a random name in ST's folder: its descriptor and
 * *name (g_free), or -1 with the store's error.  The name is the
 * file's, taken with O_EXCL: a rename over it cannot replace anyone
 * else's, and a retry after a crash never collides with an orphan. */
static int
new_file(store *st, char **name)
{
	int dfd = dir_fd(st, TRUE), fd = -1, e = 0;
	char *err = NULL;

	*name = NULL;
	if (dfd < 0)
		return -1;
	for (int i = 0; i < ORIG_NAME_TRIES && fd < 0; i++) {
		g_free(*name);
		*name = g_strdup_printf("o%08x%08x", g_random_int(),
					g_random_int());
		mode_t old = umask(007);	/* as the database's */

		g_clear_pointer(&err, g_free);
		safefile_open(dfd, *name, O_RDWR | O_CREAT | O_EXCL, 0660,
			      store_path(st), &fd, &err);
		e = errno;
		umask(old);
		if (fd < 0 && e != EEXIST)
			break;
	}
	if (fd < 0) {
		store_set_error(st, "%s: %s", store_path(st), err != NULL ?
				err : "no free name for an original");
		g_clear_pointer(name, g_free);
		errno = e;
	}
	g_free(err);
	return fd;
}

tl_status
orig_writer_open(store *st, orig_writer **out)
{
	orig_writer *w = g_new0(orig_writer, 1);
	int e;

	*out = NULL;
	w->st = st;
	if ((w->fd = new_file(st, &w->name)) < 0) {
		e = errno;
		g_free(w);
		return file_status(e);
	}
	*out = w;
	return TL_OK;
}

tl_status
orig_writer_write(orig_writer *w, const void *buf, size_t n)
{
	int e;

	if (safefile_write_all(w->fd, buf, n)) {
		w->size += (gint64)n;
		return TL_OK;
	}
	e = errno;
	store_set_error(w->st, "%s.originals/%s: %s%s", store_path(w->st),
			w->name, g_strerror(e), e == ENOSPC || e == EDQUOT ?
			" (the disk is full: free space and run it again)" :
			"");
	return file_status(e);
}

void
orig_writer_abort(orig_writer *w)
{
	if (w == NULL)
		return;
	close(w->fd);
	unlinkat(store_orig_dirfd(w->st), w->name, 0);
	g_free(w->name);
	g_free(w);
}

/* Record NAME (SIZE bytes) as submission ID's original file. */
static tl_status
row_add(store *st, gint64 id, const char *name, gint64 size)
{
	sqlite3_stmt *q = store_stmt(st, "INSERT INTO original_file("
				     "submission_id, name, size) VALUES "
				     "(?, ?, ?)");
	int r;

	if (q == NULL)
		return store_fail(st, "original file");
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_text(q, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, size);
	r = sqlite3_step(q);
	sqlite3_reset(q);
	return r == SQLITE_DONE ? TL_OK : store_fail(st, "original file");
}

/* Sync FD (the file NAME); the store's error on failure. */
static tl_status
file_sync(store *st, int fd, const char *name)
{
	if (fsync(fd) == 0) {
		fault_point("original-synced");
		return TL_OK;
	}
	store_set_error(st, "%s.originals/%s: fsync: %s", store_path(st),
			name, g_strerror(errno));
	return TL_TEMPFAIL;
}

tl_status
orig_writer_finish(orig_writer *w, gint64 id)
{
	tl_status rc;

	if ((rc = file_sync(w->st, w->fd, w->name)) != TL_OK ||
	    (rc = row_add(w->st, id, w->name, w->size)) != TL_OK) {
		orig_writer_abort(w);
		return rc;
	}
	close(w->fd);
	store_orig_added(w->st, w->name);
	g_free(w);
	return TL_OK;
}

/* Copy SIZE bytes of the file at PATH into W. */
static tl_status
copy_in(orig_writer *w, const char *path, gint64 size)
{
	char *buf = g_malloc(ORIG_CHUNK);
	tl_status rc = TL_OK;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = 0;

	if (fd < 0) {
		store_set_error(w->st, "%s: %s", path, g_strerror(errno));
		g_free(buf);
		return TL_NOINPUT;
	}
	while (rc == TL_OK && w->size < size) {
		n = read(fd, buf, (size_t)MIN((gint64)ORIG_CHUNK,
					      size - w->size));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		rc = orig_writer_write(w, buf, (size_t)n);
	}
	if (rc == TL_OK && w->size != size) {
		/* The file changed under us: refuse rather than keep a
		 * truncated original. */
		store_set_error(w->st, "%s: %s (%" G_GINT64_FORMAT " of %"
				G_GINT64_FORMAT " bytes stored)", path,
				n < 0 ? g_strerror(errno) : "file shrank",
				w->size, size);
		rc = TL_SOFTWARE;
	}
	close(fd);
	g_free(buf);
	return rc;
}

/* Rename the caller's file PATH over W's empty new file, then use the
 * renamed file.  TL_OK with *moved FALSE when the two are on different
 * file systems (copy instead). */
static tl_status
rename_in(orig_writer *w, const char *path, gint64 size, gboolean *moved)
{
	int dfd = store_orig_dirfd(w->st), fd = -1, e;
	char *err = NULL;
	struct stat sb;

	*moved = FALSE;
	if (renameat(AT_FDCWD, path, dfd, w->name) != 0) {
		e = errno;
		if (e == EXDEV)
			return TL_OK;
		store_set_error(w->st, "%s: rename into %s.originals: %s",
				path, store_path(w->st), g_strerror(e));
		return file_status(e);
	}
	*moved = TRUE;
	fault_point("original-renamed");
	/* The descriptor of the empty file now names nothing: open the
	 * renamed one under the policy (it must be a plain file of ours
	 * with one link, as a spool file is). */
	close(w->fd);
	w->fd = -1;
	if (safefile_open(dfd, w->name, O_RDWR, 0, store_path(w->st), &fd,
			  &err) != TL_OK) {
		store_set_error(w->st, "%s.originals/%s", store_path(w->st),
				err);
		g_free(err);
		return TL_SOFTWARE;
	}
	w->fd = fd;
	if (fstat(fd, &sb) != 0 || sb.st_size != size) {
		store_set_error(w->st, "%s: %" G_GINT64_FORMAT " bytes, not "
				"the %" G_GINT64_FORMAT " stored", path,
				(gint64)sb.st_size, size);
		return TL_SOFTWARE;
	}
	/* A spool file is 0600; editors read originals through the
	 * database's group (best effort: this login reads it anyway). */
	(void)fchmod(fd, 0660);
	w->size = size;
	return TL_OK;
}

tl_status
orig_put_path(store *st, gint64 id, const char *path, gint64 size,
	      gboolean take, gboolean *taken)
{
	orig_writer *w = NULL;
	gboolean moved = FALSE;
	tl_status rc;

	*taken = FALSE;
	if ((rc = orig_writer_open(st, &w)) != TL_OK)
		return rc;
	/* The row first: once PATH is renamed away, nothing that can fail
	 * for a reason of the message's own may follow. */
	if ((rc = row_add(st, id, w->name, size)) != TL_OK)
		goto fail;
	if (take && (rc = rename_in(w, path, size, &moved)) != TL_OK) {
		*taken = moved;
		goto fail;
	}
	*taken = moved;
	if (!moved && (rc = copy_in(w, path, size)) != TL_OK)
		goto fail;
	if ((rc = file_sync(st, w->fd, w->name)) != TL_OK)
		goto fail;
	close(w->fd);
	store_orig_added(st, w->name);
	g_free(w);
	return TL_OK;
fail:
	/* The caller rolls the row back with its savepoint or
	 * transaction; a file renamed in is ours now, and goes. */
	orig_writer_abort(w);
	return rc;
}

tl_status
orig_lookup(store *st, gint64 id, char **name, gint64 *size)
{
	sqlite3_stmt *q;
	int r;

	*name = NULL;
	*size = 0;
	q = store_stmt(st, "SELECT name, size FROM original_file WHERE "
		       "submission_id = ?");
	if (q == NULL)	/* a database older than version 4 */
		return TL_OK;
	sqlite3_bind_int64(q, 1, id);
	r = sqlite3_step(q);
	if (r == SQLITE_ROW) {
		*name = g_strdup((const char *)sqlite3_column_text(q, 0));
		*size = sqlite3_column_int64(q, 1);
	}
	sqlite3_reset(q);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return store_fail(st, "original file");
	return TL_OK;
}

/* Feed the open file FD through FN (see orig_read). */
static tl_status
feed(store *st, int fd, const char *name, store_raw_fn fn, void *data,
     hash_content *h, gint64 *size)
{
	char *buf = g_malloc(ORIG_CHUNK);
	tl_status rc = TL_OK;
	int enough = 0;
	ssize_t n;

	for (;;) {
		n = read(fd, buf, ORIG_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		hash_content_update(h, buf, (size_t)n);
		*size += n;
		if (!enough && rc == TL_OK)
			rc = fn(buf, (size_t)n, data, &enough);
		if (rc != TL_OK)
			break;
	}
	if (rc == TL_OK && n < 0) {
		store_set_error(st, "%s.originals/%s: %s", store_path(st),
				name, g_strerror(errno));
		rc = TL_DATA;
	}
	g_free(buf);
	return rc;
}

tl_status
orig_read(store *st, gint64 id, const char *name, store_raw_fn fn,
	  void *data, hash_content *h, gint64 *size)
{
	int dfd = dir_fd(st, FALSE), fd = -1;
	char *err = NULL;
	tl_status rc;

	if (dfd >= 0)
		fd = orig_file_open(dfd, name, store_path(st), &err);
	if (fd < 0) {
		if (err != NULL)
			store_set_error(st, "%s.originals/%s", store_path(st),
					err);
		store_set_error(st, "#%" G_GINT64_FORMAT ": its original "
				"message file cannot be read: %s; restore the "
				"database and its originals folder from a "
				"backup (docs/operations.md)", id,
				store_errmsg(st));
		g_free(err);
		return TL_DATA;
	}
	rc = feed(st, fd, name, fn, data, h, size);
	close(fd);
	return rc;
}

tl_status
orig_retire(store *st, gint64 id)
{
	sqlite3_stmt *q = NULL;
	int r;

	if (sqlite3_prepare_v2(store_db(st), "INSERT OR IGNORE INTO "
			       "original_scrub(name, since_utc) SELECT name, "
			       "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM "
			       "original_file WHERE submission_id = ?1; "
			       , -1, &q, NULL) != SQLITE_OK)
		return store_fail(st, "original file");
	sqlite3_bind_int64(q, 1, id);
	r = sqlite3_step(q);
	sqlite3_finalize(q);
	if (r != SQLITE_DONE)
		return store_fail(st, "original file");
	if (sqlite3_prepare_v2(store_db(st), "DELETE FROM original_file "
			       "WHERE submission_id = ?1", -1, &q, NULL) !=
	    SQLITE_OK)
		return store_fail(st, "original file");
	sqlite3_bind_int64(q, 1, id);
	r = sqlite3_step(q);
	sqlite3_finalize(q);
	return r == SQLITE_DONE ? TL_OK : store_fail(st, "original file");
}

/* Overwrite file NAME of folder DFD with zeros, sync it and unlink it.
 * A missing file is done already (a scrub cut short after its unlink).
 * What the file system keeps elsewhere (a journal, a snapshot, an SSD's
 * remapped blocks) is beyond this: docs/operations.md says so. */
static tl_status
scrub_file(store *st, int dfd, const char *name)
{
	static const char zeros[64 * 1024];
	char *err = NULL;
	struct stat sb;
	gint64 left;
	int fd = -1;
	tl_status rc = TL_OK;

	if (safefile_open(dfd, name, O_WRONLY, 0, store_path(st), &fd,
			  &err) != TL_OK) {
		int e = errno;

		if (e == ENOENT) {
			g_free(err);
			return TL_OK;
		}
		if (e == ELOOP || e == EMLINK || e == EINVAL) {
			/* A link planted under a purged file's name: not
			 * followed; the name itself goes. */
			g_free(err);
			unlinkat(dfd, name, 0);
			return TL_OK;
		}
		/* Not writable by this login: kept, with its row, for a
		 * purge run by one who may (never unlinked unscrubbed). */
		store_set_error(st, "%s.originals/%s", store_path(st), err);
		g_free(err);
		return file_status(e);
	}
	left = fstat(fd, &sb) == 0 ? (gint64)sb.st_size : 0;
	while (left > 0 && rc == TL_OK) {
		size_t n = (size_t)MIN(left, (gint64)sizeof zeros);

		if (!safefile_write_all(fd, zeros, n))
			rc = TL_TEMPFAIL;
		left -= (gint64)n;
	}
	if (rc == TL_OK && fsync(fd) != 0)
		rc = TL_TEMPFAIL;
	if (rc != TL_OK)
		store_set_error(st, "%s.originals/%s: scrub: %s",
				store_path(st), name, g_strerror(errno));
	close(fd);
	if (unlinkat(dfd, name, 0) != 0 && errno != ENOENT && rc == TL_OK) {
		store_set_error(st, "%s.originals/%s: %s", store_path(st),
				name, g_strerror(errno));
		rc = TL_TEMPFAIL;
	}
	return rc;
}

/* The names original_scrub holds, into NAMES. */
static tl_status
scrub_names(store *st, GPtrArray *names)
{
	sqlite3_stmt *q = NULL;
	int r;

	if (sqlite3_prepare_v2(store_db(st), "SELECT name FROM "
			       "original_scrub ORDER BY name", -1, &q, NULL)
	    != SQLITE_OK)
		return TL_OK;	/* older than version 4: nothing */
	while ((r = sqlite3_step(q)) == SQLITE_ROW)
		g_ptr_array_add(names, g_strdup((const char *)
						sqlite3_column_text(q, 0)));
	sqlite3_finalize(q);
	return r == SQLITE_DONE ? TL_OK : store_fail(st, "scrub");
}

/* Delete the original_scrub rows of NAMES, in a transaction. */
static tl_status
scrub_forget(store *st, GPtrArray *names)
{
	sqlite3_stmt *q = NULL;
	tl_status rc;

	if ((rc = store_begin(st)) != TL_OK)
		return rc;
	if (sqlite3_prepare_v2(store_db(st), "DELETE FROM original_scrub "
			       "WHERE name = ?", -1, &q, NULL) != SQLITE_OK)
		rc = store_fail(st, "scrub");
	for (guint i = 0; rc == TL_OK && i < names->len; i++) {
		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, names->pdata[i], -1, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_DONE)
			rc = store_fail(st, "scrub");
	}
	sqlite3_finalize(q);
	if (rc == TL_OK)
		return store_commit(st, 1);
	store_rollback(st);
	return rc;
}

tl_status
orig_scrub_pending(store *st, gint64 *done)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	tl_status rc;
	int dfd;

	if (done != NULL)
		*done = 0;
	if ((rc = scrub_names(st, names)) != TL_OK || names->len == 0)
		goto out;
	if ((dfd = dir_fd(st, FALSE)) < 0 && errno != ENOENT) {
		rc = TL_NOPERM;
		goto out;
	}
	for (guint i = 0; dfd >= 0 && rc == TL_OK && i < names->len; i++)
		rc = scrub_file(st, dfd, names->pdata[i]);
	if (rc == TL_OK && dfd >= 0 && fsync(dfd) != 0) {
		store_set_error(st, "%s.originals: fsync: %s", store_path(st),
				g_strerror(errno));
		rc = TL_TEMPFAIL;
	}
	if (rc == TL_OK)
		fault_point("originals-scrubbed");
	if (rc == TL_OK && (rc = scrub_forget(st, names)) == TL_OK &&
	    done != NULL)
		*done = names->len;
out:
	g_ptr_array_unref(names);
	return rc;
}

/* Is NAME one a row names (original_file or original_scrub)? */
static gboolean
named(store *st, const char *name)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT 1 FROM original_file WHERE "
				     "name = ?1 UNION ALL SELECT 1 FROM "
				     "original_scrub WHERE name = ?1");
	gboolean yes = TRUE;	/* unsure: leave it */

	if (q == NULL)
		return TRUE;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	yes = sqlite3_step(q) != SQLITE_DONE;
	sqlite3_reset(q);
	return yes;
}

/* The names in folder DFD that no row names, into NAMES. */
static void
orphans(store *st, int dfd, GPtrArray *names)
{
	int fd = dup(dfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;

	if (d == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	rewinddir(d);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && !named(st, e->d_name))
			g_ptr_array_add(names, g_strdup(e->d_name));
	closedir(d);
}

tl_status
orig_orphans_scrub(store *st, gint64 *done)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	tl_status rc = TL_OK;
	int dfd = dir_fd(st, FALSE);

	*done = 0;
	if (dfd >= 0)
		orphans(st, dfd, names);
	for (guint i = 0; rc == TL_OK && i < names->len; i++)
		rc = scrub_file(st, dfd, names->pdata[i]);
	if (rc == TL_OK)
		*done = names->len;
	g_ptr_array_unref(names);
	return rc;
}

/* For doctor (store_originals_check): the orphans of a store opened
 * read-only, counted.  -1 when the folder cannot be read. */
gint64
orig_orphans_count(store *st)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	int dfd = dir_fd(st, FALSE);
	gint64 n;

	if (dfd < 0) {
		g_ptr_array_unref(names);
		return errno == ENOENT ? 0 : -1;
	}
	orphans(st, dfd, names);
	n = names->len;
	g_ptr_array_unref(names);
	return n;
}

/* One original_file row for store_originals_check. */
static void
check_one(store *st, int dfd, const char *name, gint64 size,
	  store_originals *out)
{
	char *err = NULL;
	struct stat sb;
	int fd = dfd >= 0 ? orig_file_open(dfd, name, store_path(st), &err)
			  : -1;

	if (fd < 0) {
		out->missing++;
		if (out->first == NULL)
			out->first = g_strdup_printf("%s.originals/%s: %s",
				store_path(st), name, err != NULL ? err :
				"the folder is missing");
	} else if (fstat(fd, &sb) != 0 || sb.st_size != size) {
		out->wrong_size++;
		if (out->first == NULL)
			out->first = g_strdup_printf("%s.originals/%s: %"
				G_GINT64_FORMAT " bytes, not the %"
				G_GINT64_FORMAT " recorded", store_path(st),
				name, (gint64)sb.st_size, size);
	}
	if (fd >= 0)
		close(fd);
	g_free(err);
}

tl_status
store_originals_check(store *st, store_originals *out)
{
	sqlite3_stmt *q = NULL;
	int dfd, r;

	memset(out, 0, sizeof *out);
	if (store_pg(st) != NULL ||
	    sqlite3_prepare_v2(store_db(st), "SELECT name, size FROM "
			       "original_file ORDER BY submission_id", -1, &q,
			       NULL) != SQLITE_OK)
		return TL_OK;	/* PostgreSQL, or older than version 4 */
	dfd = dir_fd(st, FALSE);
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		out->files++;
		check_one(st, dfd, (const char *)sqlite3_column_text(q, 0),
			  sqlite3_column_int64(q, 1), out);
	}
	sqlite3_finalize(q);
	if (r != SQLITE_DONE)
		return store_fail(st, "original files");
	if (sqlite3_prepare_v2(store_db(st), "SELECT count(*) FROM "
			       "original_scrub", -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		out->scrub_pending = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	if ((out->orphans = orig_orphans_count(st)) < 0) {
		out->orphans = 0;
		return TL_NOPERM;
	}
	return TL_OK;
}

void
store_originals_clear(store_originals *out)
{
	g_clear_pointer(&out->first, g_free);
}
