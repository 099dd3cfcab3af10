/* safefile.c - opening files in folders someone else may write (see
 * util.h). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* Why SB (what was opened) is refused, with errno in *err; NULL when it
 * passes.  OB is the stat of OWNER_OF, or NULL. */
static const char *
check_opened(const struct stat *sb, const struct stat *ob, int *err)
{
	if (!S_ISREG(sb->st_mode)) {
		*err = EINVAL;
		return "not a regular file";
	}
	if (sb->st_nlink != 1) {
		*err = EMLINK;
		return "has more than one link (a hard link to another file?)";
	}
	if (sb->st_uid != geteuid() &&
	    (ob == NULL || (sb->st_uid != ob->st_uid &&
			    sb->st_gid != ob->st_gid))) {
		*err = EPERM;
		return "belongs to another user";
	}
	return NULL;
}

/* Root gives an empty lock or signal file it owns to the owner of the
 * database, as SQLite does with -wal and -shm; best effort. */
static void
give_to_owner(int fd, const struct stat *sb, const struct stat *ob)
{
	if (ob == NULL || geteuid() != 0 || ob->st_uid == 0 ||
	    sb->st_uid != 0 || sb->st_size != 0)
		return;
	if (fchown(fd, ob->st_uid, ob->st_gid) != 0)
		return;	/* the file works either way */
}

static tl_status
status_for(int err)
{
	switch (err) {
	case ELOOP: case EMLINK: case EPERM: case EINVAL: case EACCES:
	case EROFS:
		return TL_NOPERM;
	case ENOENT: case ENOTDIR:
		return TL_NOINPUT;
	default:
		return TL_TEMPFAIL;
	}
}

tl_status
safefile_open(int dirfd, const char *name, int flags, int mode,
	      const char *owner_of, int *fd_out, char **errmsg)
{
	struct stat sb, ob;
	const struct stat *obp = NULL;
	const char *why = NULL;
	int fd, err = 0;

	*fd_out = -1;
	if (owner_of != NULL && stat(owner_of, &ob) == 0)
		obp = &ob;
	/* O_TRUNC waits for the check (it would empty a linked file before
	 * fstat could refuse it); O_NONBLOCK keeps a planted FIFO from
	 * blocking the open. */
	fd = openat(dirfd, name, (flags & ~O_TRUNC) | O_NOFOLLOW | O_CLOEXEC |
		    O_NOCTTY | O_NONBLOCK, mode);
	if (fd < 0) {
		err = errno;
		why = err == ELOOP ? "a symbolic link" : g_strerror(err);
	} else if (fstat(fd, &sb) != 0) {
		err = errno;
		why = g_strerror(err);
	} else if ((why = check_opened(&sb, obp, &err)) == NULL &&
		   ((flags & O_TRUNC) && ftruncate(fd, 0) != 0)) {
		err = errno;
		why = g_strerror(err);
	}
	if (why != NULL) {
		if (fd >= 0)
			close(fd);
		*errmsg = g_strdup_printf("%s: %s%s", name, why,
		    status_for(err) == TL_NOPERM && err != EACCES &&
		    err != EROFS ? "; refused (tipline never follows or "
		    "adopts a link here: remove it if nobody should have put "
		    "it there)" : "");
		errno = err;
		return status_for(err);
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	give_to_owner(fd, &sb, obp);
	*fd_out = fd;
	return TL_OK;
}

int
safefile_mkstemp(char *tmpl, int flags, int mode)
{
	int fd = g_mkstemp_full(tmpl, flags | O_NOFOLLOW | O_CLOEXEC, mode);
	struct stat sb;
	int err = 0;

	if (fd < 0)
		return -1;
	if (fstat(fd, &sb) != 0)
		err = errno;
	else
		check_opened(&sb, NULL, &err);
	if (err != 0) {
		close(fd);
		unlink(tmpl);
		errno = err;
		return -1;
	}
	return fd;
}

int
safefile_open_nolinks(const char *path, int flags, int mode)
{
	int fd = open(path, flags | O_NOFOLLOW, mode);
	struct stat sb;

	if (fd < 0 && errno == ELOOP &&
	    (flags & (O_CREAT | O_WRONLY | O_RDWR)) == 0) {
		/* A database folder reached through a link is fine. */
		fd = open(path, flags | O_DIRECTORY, mode);
		if (fd < 0)
			errno = ELOOP;
		return fd;
	}
	if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    sb.st_nlink > 1) {
		close(fd);
		errno = EMLINK;
		return -1;
	}
	return fd;
}

/* One loop for every file tipline writes: before it, eight copies
 * differed on EINTR and on what a write of 0 means. */
gboolean
safefile_write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k == 0)
				errno = ENOSPC;
			return FALSE;
		}
		p += k;
		n -= (size_t)k;
	}
	return TRUE;
}

void
safefile_wbuf_init(safefile_wbuf *w, int fd)
{
	w->buf = g_malloc(SAFEFILE_WBUF_SIZE);
	safefile_wbuf_reset(w, fd);
}

void
safefile_wbuf_reset(safefile_wbuf *w, int fd)
{
	w->fd = fd;
	w->failed = FALSE;
	w->err = 0;
	w->used = 0;
}

gboolean
safefile_wbuf_flush(safefile_wbuf *w)
{
	gsize n = w->used;

	w->used = 0;
	if (!w->failed && n > 0 && !safefile_write_all(w->fd, w->buf, n)) {
		w->failed = TRUE;
		w->err = errno;
	}
	errno = w->err;
	return !w->failed;
}

gboolean
safefile_wbuf_put(safefile_wbuf *w, const void *p, gsize n)
{
	const guint8 *b = p;

	while (n > 0 && !w->failed) {
		gsize k = MIN(n, SAFEFILE_WBUF_SIZE - w->used);

		memcpy(w->buf + w->used, b, k);
		w->used += k;
		b += k;
		n -= k;
		if (w->used == SAFEFILE_WBUF_SIZE)
			safefile_wbuf_flush(w);
	}
	errno = w->err;
	return !w->failed;
}

void
safefile_wbuf_free(safefile_wbuf *w)
{
	g_clear_pointer(&w->buf, g_free);
	w->used = 0;
}
