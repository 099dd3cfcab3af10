/* test-store-locks.c - two read-write stores on one database in one
 * process (tipline-serve's pool, serve/pool.c) keep the process's SQLite
 * locks on the file.  Opening the second used to open and close a probe
 * descriptor on the database (check_existing), and a close(2) releases
 * every POSIX lock the process holds on the file (fcntl(2)): another
 * process then found the database unused, checkpointed it and reset the
 * WAL under the open connections, and a later commit was lost. */
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>

#include "store.h"

/* Does another process see a lock on PATH that a write lock over the
 * whole file would conflict with?  Asked from a child: F_GETLK never
 * reports the asking process's own locks. */
static gboolean
locked_for_others(const char *path)
{
	pid_t pid = fork();
	int status = 0;

	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
		int fd = open(path, O_RDONLY);

		if (fd < 0 || fcntl(fd, F_GETLK, &fl) != 0)
			_exit(2);
		_exit(fl.l_type == F_UNLCK ? 1 : 0);
	}
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), !=, 2);
	return WEXITSTATUS(status) == 0;
}

static void
test_second_store_keeps_locks(void)
{
	char *dir = g_dir_make_tmp("tipline-locks-XXXXXX", NULL);
	char *path = g_build_filename(dir, "t.db", NULL);
	char *p = NULL;
	store *a = NULL, *b = NULL;
	char *err = NULL;

	g_assert_cmpint(store_open(path, NULL, STORE_READWRITE, 5000, &a,
				   &err), ==, TL_OK);
	/* In WAL mode an open connection holds a shared lock on the
	 * database file for as long as it is open. */
	g_assert_true(locked_for_others(path));
	g_assert_cmpint(store_open(path, NULL, STORE_WRITE, 5000, &b, &err),
			==, TL_OK);
	g_assert_true(locked_for_others(path));
	store_close(b);
	g_assert_true(locked_for_others(path));
	store_close(a);
	g_assert_false(locked_for_others(path));
	for (const char *const *s = (const char *const[]){ "", "-wal", "-shm",
	     ".waiters", NULL }; *s != NULL; s++) {
		p = g_strconcat(path, *s, NULL);
		unlink(p);
		g_free(p);
	}
	rmdir(dir);
	g_free(path);
	g_free(dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/store/second-store-keeps-locks",
			test_second_store_keeps_locks);
	return g_test_run();
}
