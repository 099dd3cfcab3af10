/* fetch-lock.c - the overlap lock and the stop signals of a fetch (see
 * app.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "util.h"
#include "store.h"

/* Set by the handler (main thread: the reader thread blocks these
 * signals), read by both threads of a fetch: a lock-free atomic is safe
 * in a handler and between threads. */
static atomic_int stop_signal;

static void
on_signal(int sig)
{
	if (atomic_load(&stop_signal)) {
		/* Second signal: the operator means it. */
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	atomic_store(&stop_signal, sig);
}

void
fetch_signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocking poll() returns EINTR and the reader
	 * notices the stop sooner. */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int
fetch_stop_requested(void)
{
	return atomic_load(&stop_signal) != 0;
}

tl_status
fetch_lock_take(const char *database, int *fd_out, char **errmsg)
{
	char *path;
	mode_t old;
	tl_status rc;
	int fd = -1;

	*fd_out = -1;
	if (store_is_url(database))
		return TL_OK;
	path = g_strconcat(database, ".lock", NULL);
	old = umask(007);
	/* Run once as root (by hand), fetch must not leave a lock file that
	 * the fetch user's cron job cannot open (QA F36), nor open or give
	 * away a link the folder's owner planted (util.h). */
	rc = safefile_open(AT_FDCWD, path, O_RDWR | O_CREAT, 0660, database,
			   &fd, errmsg);
	umask(old);
	*fd_out = -1;
	if (rc != TL_OK) {
		char *e = *errmsg;

		*errmsg = g_strdup_printf("lock file %s", e);
		g_free(e);
		if (rc != TL_NOPERM)
			rc = TL_CONFIG;
	} else if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		/* Saved at once: the allocations below may change errno,
		 * and an overlap read as another error would exit 78. */
		int err = errno;

		if (err == EWOULDBLOCK)
			*errmsg = g_strdup_printf("another tipline fetch is "
						  "running (%s is locked); "
						  "try again later", path);
		else
			*errmsg = g_strdup_printf("lock file %s: %s", path,
						  g_strerror(err));
		rc = err == EWOULDBLOCK ? TL_TEMPFAIL : TL_CONFIG;
		close(fd);
	} else {
		*fd_out = fd;
	}
	g_free(path);
	return rc;
}

void
fetch_lock_release(int fd)
{
	if (fd >= 0)
		close(fd);	/* closing drops the flock */
}

/* Whether NAME in SPOOL_DIR is a leftover spool file to remove: a
 * regular file (lstat: a planted link is not followed) with a spool
 * prefix, modified long enough ago for its kind (fetch_spool_sweep). */
static gboolean
spool_stale(const char *path, const char *name, time_t now, int min_age_s)
{
	struct stat sb;
	int age;

	if (g_str_has_prefix(name, FETCH_SPOOL_PREFIX))
		age = min_age_s;
	else if (g_str_has_prefix(name, IMPORT_SPOOL_PREFIX))
		age = MAX(min_age_s, IMPORT_SPOOL_STALE_S);
	else
		return FALSE;
	return lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
	       (age <= 0 || now - sb.st_mtime >= age);
}

int
fetch_spool_sweep(const char *spool_dir, int min_age_s)
{
	GDir *dir = g_dir_open(spool_dir, 0, NULL);
	time_t now = time(NULL);
	const char *name;
	int n = 0;

	if (dir == NULL)
		return 0;
	while ((name = g_dir_read_name(dir)) != NULL) {
		char *path = g_build_filename(spool_dir, name, NULL);

		if (spool_stale(path, name, now, min_age_s) &&
		    unlink(path) == 0)
			n++;
		g_free(path);
	}
	g_dir_close(dir);
	return n;
}

/* *SPOOL (newly allocated): CFG's spool_dir or the temporary folder,
 * made 0700 when missing. */
static tl_status
spool_make(const tl_config *cfg, char **spool, char **errmsg)
{
	*spool = g_strdup(cfg->spool_dir != NULL ? cfg->spool_dir :
			  g_get_tmp_dir());
	if (g_mkdir_with_parents(*spool, 0700) != 0) {
		int e = errno;

		*errmsg = g_strdup_printf("spool_dir %s: %s", *spool,
					  g_strerror(e));
		return e == ENOSPC ? TL_TEMPFAIL : TL_CONFIG;
	}
	return TL_OK;
}

tl_status
spool_prepare(const tl_config *cfg, spool_use use, char **spool,
	      guint *swept, char **errmsg)
{
	int shared = cfg->spool_dir == NULL || store_is_url(cfg->database);
	int min_age = use == SPOOL_FOR_IMPORT ? IMPORT_SPOOL_STALE_S :
		      shared ? 86400 : 0;
	tl_status rc = spool_make(cfg, spool, errmsg);

	*swept = 0;
	if (rc == TL_OK)
		*swept = (guint)fetch_spool_sweep(*spool, min_age);
	return rc;
}

tl_status
fetch_claim_mailboxes(const tl_config *cfg, store *st, char **errmsg)
{
	tl_status rc = TL_OK;

	for (guint i = 0; cfg->mailboxes != NULL &&
	     i < cfg->mailboxes->len && rc == TL_OK; i++) {
		const tl_mailbox_conf *mb = g_ptr_array_index(cfg->mailboxes,
							      i);
		int held = 0;

		rc = store_mailbox_lock_try(st, mb->name, &held);
		if (rc != TL_OK) {
			*errmsg = g_strdup_printf("mailbox %s: %s", mb->name,
						  store_errmsg(st));
		} else if (!held) {
			char *db = store_database_display(store_path(st));

			*errmsg = g_strdup_printf("a tipline fetch of mailbox "
				"%s is running on %s; try again later",
				mb->name, db);
			g_free(db);
			rc = TL_TEMPFAIL;
		}
	}
	return rc;
}
