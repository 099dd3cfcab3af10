/* spool.c - scratch files used again within one run (see util.h). */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* Files kept for reuse at most: more are live at once only when a chunk
 * of a fetch holds more (FETCH_CHUNK_MAX), and those are removed. */
#define SPOOL_KEEP_MAX 1024

/* A kept file written longer ago than this is removed, not used again.
 * In a shared temporary folder another fetcher sweeps spool files a day
 * old (fetch_spool_sweep): lstat, then unlink.  A file this fetch
 * reopened between the two would lose its name with the message just
 * written into it.  A file reopened younger than this is written
 * (mtime now) long before any sweep can find it a day old.  Also keeps
 * an idle file at the bottom of the pool from holding a tip's text all
 * through a long run. */
#define SPOOL_REUSE_MAX_AGE 3600

struct spool_pool {
	char *dir;
	char *tmpl;		/* DIR/PREFIXXXXXXX */
	GMutex lock;		/* take and give come from two threads */
	GPtrArray *free;	/* of char *: files whose contents are done */
};

spool_pool *
spool_pool_new(const char *dir, const char *prefix)
{
	spool_pool *p = g_new0(spool_pool, 1);
	char *name = g_strconcat(prefix, "XXXXXX", NULL);

	p->dir = g_strdup(dir);
	p->tmpl = g_build_filename(dir, name, NULL);
	g_free(name);
	g_mutex_init(&p->lock);
	p->free = g_ptr_array_new_with_free_func(g_free);
	return p;
}

/* A kept file, opened again under the safefile policy; NULL (and the
 * name dropped) when it is gone or refused, e.g. swept by another
 * fetcher's fetch_spool_sweep in a shared temporary folder.  A passing
 * failure (EMFILE, ENFILE, ENOMEM, EIO: TL_TEMPFAIL) leaves the file
 * with the last message written to it: its name goes back to the
 * bottom of the pool, so that spool_pool_free still removes it (a tip's
 * text left in the temporary folder for a day otherwise) and the next
 * take tries the others first. */
static char *
take_kept(spool_pool *p, int *fd)
{
	char *path = NULL, *err = NULL;
	struct stat sb;
	tl_status rc;
	int e;

	g_mutex_lock(&p->lock);
	if (p->free->len > 0)
		path = g_ptr_array_steal_index_fast(p->free,
						    p->free->len - 1);
	g_mutex_unlock(&p->lock);
	if (path == NULL)
		return NULL;
	if ((rc = safefile_open(AT_FDCWD, path, O_RDWR, 0, NULL, fd,
				&err)) != TL_OK) {
		e = errno;
		log_debug("spool file %s not used again: %s", path, err);
		g_free(err);
		if (rc == TL_TEMPFAIL) {
			g_mutex_lock(&p->lock);
			g_ptr_array_insert(p->free, 0, path);
			g_mutex_unlock(&p->lock);
		} else {
			g_free(path);
		}
		errno = e;
		return NULL;
	}
	if (fstat(*fd, &sb) == 0 &&
	    time(NULL) - sb.st_mtime >= SPOOL_REUSE_MAX_AGE) {
		/* ours (safefile_open checked the owner and the links) */
		close(*fd);
		*fd = -1;
		unlink(path);
		g_free(path);
		return NULL;
	}
	return path;
}

int
spool_pool_take(spool_pool *p, char **path, gboolean *reused)
{
	int fd = -1;

	*reused = FALSE;
	if ((*path = take_kept(p, &fd)) != NULL) {
		*reused = TRUE;
		return fd;
	}
	*path = g_strdup(p->tmpl);
	if ((fd = safefile_mkstemp(*path, O_RDWR, 0600)) < 0) {
		int e = errno;

		g_clear_pointer(path, g_free);
		errno = e;
	}
	return fd;
}

void
spool_pool_give(spool_pool *p, char *path)
{
	gboolean kept = FALSE;

	if (path == NULL)
		return;
	if (p != NULL) {
		g_mutex_lock(&p->lock);
		if (p->free->len < SPOOL_KEEP_MAX) {
			g_ptr_array_add(p->free, path);
			kept = TRUE;
		}
		g_mutex_unlock(&p->lock);
	}
	if (!kept) {
		unlink(path);
		g_free(path);
	}
}

const char *
spool_pool_dir(const spool_pool *p)
{
	return p->dir;
}

void
spool_pool_free(spool_pool *p)
{
	if (p == NULL)
		return;
	for (guint i = 0; i < p->free->len; i++)
		unlink(g_ptr_array_index(p->free, i));
	g_ptr_array_unref(p->free);
	g_mutex_clear(&p->lock);
	g_free(p->tmpl);
	g_free(p->dir);
	g_free(p);
}
