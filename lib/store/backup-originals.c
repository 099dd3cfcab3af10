/* backup-originals.c - the originals kept as files, copied beside a
 * backup of the database (FILE.originals/), each checked against the
 * backup's own rows (see originals-priv.h and store-backup.c). */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "originals-priv.h"
#include "backup-originals-priv.h"
#include "store-values-priv.h"

#define COPY_CHUNK STORE_RAW_CHUNK

/* One original named by the backup copy. */
typedef struct {
	char *name;
	gint64 size;		/* bytes now stored */
	char hash[65];		/* their content hash (hash.h) */
} named_file;

static void
named_free(gpointer p)
{
	named_file *f = p;

	g_free(f->name);
	g_free(f);
}

/* The originals the backup copy COPY names, with what they must hold. */
static tl_status
list_named(const char *copy, GPtrArray *out, char **errmsg)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	tl_status rc = TL_OK;
	int r;

	if (sqlite3_open_v2(copy, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		goto fail;
	/* A queue older than version 4 (read without an upgrade) has no
	 * originals as files. */
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE name = "
			       "'original_file'", -1, &q, NULL) != SQLITE_OK)
		goto fail;
	r = sqlite3_step(q);
	sqlite3_finalize(q);
	q = NULL;
	if (r == SQLITE_DONE)
		goto out;
	if (sqlite3_prepare_v2(db, "SELECT f.name, coalesce(w.stored_size, "
			       "s.raw_size), coalesce(w.stored_hash, "
			       "s.content_hash) FROM original_file f JOIN "
			       "submission s ON s.id = f.submission_id LEFT "
			       "JOIN raw_rewritten w ON w.submission_id = "
			       "f.submission_id ORDER BY f.name", -1, &q,
			       NULL) != SQLITE_OK)
		goto fail;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		named_file *f = g_new0(named_file, 1);

		f->name = g_strdup((const char *)sqlite3_column_text(q, 0));
		f->size = sqlite3_column_int64(q, 1);
		g_strlcpy(f->hash, (const char *)sqlite3_column_text(q, 2),
			  sizeof f->hash);
		g_ptr_array_add(out, f);
	}
	if (r == SQLITE_DONE)
		goto out;
fail:
	*errmsg = g_strdup_printf("%s: %s", copy, sqlite3_errmsg(db));
	rc = TL_SOFTWARE;
out:
	sqlite3_finalize(q);
	sqlite3_close_v2(db);
	return rc;
}

/* Read FD to its end, writing to OUT (-1: only hash it); the content
 * hash into HEX, the length into *size.  errno on failure. */
static gboolean
hash_copy(int fd, int out, char hex[65], gint64 *size)
{
	hash_content *h = hash_content_new();
	char *buf = g_malloc(COPY_CHUNK);
	gboolean ok = TRUE;
	ssize_t n;

	*size = 0;
	while (ok && (n = read(fd, buf, COPY_CHUNK)) != 0) {
		if (n < 0) {
			ok = errno == EINTR;
			continue;
		}
		hash_content_update(h, buf, (size_t)n);
		*size += n;
		if (out >= 0)
			ok = safefile_write_all(out, buf, (size_t)n);
	}
	hash_content_finish(h, hex);
	g_free(buf);
	return ok;
}

/* Does file F in folder DST hold what it must?  (A nightly backup keeps
 * the files it copied the night before: names are never reused for other
 * bytes while their row lives.) */
static gboolean
dst_good(int dst, const named_file *f, const char *owner)
{
	char hex[65], *err = NULL;
	gint64 size = 0;
	gboolean good;
	int fd = orig_file_open(dst, f->name, owner, &err);

	g_free(err);
	if (fd < 0)
		return FALSE;
	good = hash_copy(fd, -1, hex, &size) &&
	       store_values_raw_matches(f->hash, f->size, hex, size);
	close(fd);
	return good;
}

/* Copy F from folder SRC (of database DB) to folder DST (of backup
 * FILE), synced, checked against the backup's row. */
static tl_status
copy_one(int src, const char *db, int dst, const char *file,
	 const named_file *f, char **errmsg)
{
	char hex[65], *err = NULL;
	gint64 size = 0;
	int in = -1, out = -1, e;
	tl_status rc = TL_OK;

	if (dst_good(dst, f, file))
		return TL_OK;
	unlinkat(dst, f->name, 0);
	if ((in = orig_file_open(src, f->name, db, &err)) < 0) {
		*errmsg = g_strdup_printf("%s.originals/%s (it may have been "
					  "purged while the backup ran: run "
					  "it again)", db, err);
		rc = TL_DATA;
		goto out;
	}
	if ((rc = safefile_open(dst, f->name, O_WRONLY | O_CREAT | O_EXCL,
				0600, NULL, &out, &err)) != TL_OK) {
		*errmsg = g_strdup_printf("%s.originals/%s", file, err);
		goto out;
	}
	if (!hash_copy(in, out, hex, &size) || fsync(out) != 0) {
		e = errno;
		*errmsg = g_strdup_printf("%s.originals/%s: %s", file, f->name,
					  g_strerror(e));
		rc = TL_TEMPFAIL;
		goto out;
	}
	/* The original is the evidence: a backup of damaged bytes would
	 * pass for a good one until the day it is needed. */
	if (!store_values_raw_matches(f->hash, f->size, hex, size)) {
		*errmsg = g_strdup_printf("%s.originals/%s: %" G_GINT64_FORMAT
			" bytes that do not match the content hash and size "
			"recorded (%" G_GINT64_FORMAT " bytes): the original "
			"is damaged; not backed up", db, f->name, size,
			f->size);
		rc = TL_DATA;
	}
out:
	if (rc != TL_OK && out >= 0)
		unlinkat(dst, f->name, 0);
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	g_free(err);
	return rc;
}

/* The backup's folder, made (0700: it holds every large tip) or opened;
 * a link in its place is refused. */
static int
dst_open(const char *file, char **errmsg)
{
	char *path = orig_dir_path(file);
	int e;

	if (mkdir(path, 0700) != 0 && errno != EEXIST) {
		e = errno;
		*errmsg = g_strdup_printf("%s: %s", path, g_strerror(e));
		g_free(path);
		errno = e;
		return -1;
	}
	g_free(path);
	return orig_dir_open(file, errmsg);
}

tl_status
backup_originals_copy(store *st, const char *copy, const char *file,
		      gint64 *files, gint64 *bytes, char **errmsg)
{
	GPtrArray *named = g_ptr_array_new_with_free_func(named_free);
	int src = -1, dst = -1;
	tl_status rc;

	*files = *bytes = 0;
	if ((rc = list_named(copy, named, errmsg)) != TL_OK ||
	    named->len == 0)
		goto out;
	if ((src = orig_dir_open(store_path(st), errmsg)) < 0 ||
	    (dst = dst_open(file, errmsg)) < 0) {
		rc = errno == ENOENT ? TL_DATA : TL_NOPERM;
		goto out;
	}
	for (guint i = 0; rc == TL_OK && i < named->len; i++) {
		named_file *f = named->pdata[i];

		rc = copy_one(src, store_path(st), dst, file, f, errmsg);
		*files += 1;
		*bytes += f->size;
	}
	if (rc == TL_OK && fsync(dst) != 0) {
		*errmsg = g_strdup_printf("%s.originals: %s", file,
					  g_strerror(errno));
		rc = TL_TEMPFAIL;
	}
out:
	if (src >= 0)
		close(src);
	if (dst >= 0)
		close(dst);
	g_ptr_array_unref(named);
	return rc;
}

static int
name_cmp(const void *key, const void *elem)
{
	return strcmp(key, (*(named_file *const *)elem)->name);
}

/* Is NAME one of NAMED's?  A binary search: list_named sorts by name in
 * SQLite's BINARY collation, which is strcmp's order for these names,
 * and a prune reads every file of a folder that may hold 100,000. */
static gboolean
is_named(GPtrArray *named, const char *name)
{
	return named->len > 0 &&
	       bsearch(name, named->pdata, named->len, sizeof(gpointer),
		       name_cmp) != NULL;
}

void
backup_originals_prune(const char *file)
{
	GPtrArray *named = g_ptr_array_new_with_free_func(named_free);
	char *err = NULL;
	struct dirent *e;
	DIR *d = NULL;
	int dst;

	if ((dst = orig_dir_open(file, &err)) < 0 ||
	    list_named(file, named, &err) != TL_OK ||
	    (d = fdopendir(dup(dst))) == NULL)
		goto out;
	/* Files of originals the new backup no longer has (purged since
	 * the last one): a backup keeps no more than its database names. */
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && !is_named(named, e->d_name))
			unlinkat(dst, e->d_name, 0);
	fsync(dst);
out:
	if (d != NULL)
		closedir(d);
	if (dst >= 0)
		close(dst);
	g_free(err);
	g_ptr_array_unref(named);
}
