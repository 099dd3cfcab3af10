/* sandbox.c - the limits tipline-preview sets on itself before it
 * touches its input (preview.h says which and why). */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "preview.h"
#include "sandbox-priv.h"

static int limit_set(int resource, const char *name, rlim_t soft,
		     rlim_t hard, char **reason)
{
	struct rlimit rl = { soft, hard };

	if (setrlimit(resource, &rl) == 0)
		return 0;
	*reason = g_strdup_printf("cannot set %s: %s", name, strerror(errno));
	return -1;
}

int preview_sandbox_enter(const preview_limits *lim,
			  const char **isolation, char **reason)
{
	rlim_t mem = (rlim_t)lim->memory_mib << 20;

	/* Nothing the parent left open (a database, a socket) stays
	 * reachable from a decoder. */
	if (close_range(3, ~0U, 0) != 0) {
		*reason = g_strdup_printf("close_range: %s", strerror(errno));
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
		*reason = g_strdup_printf("prctl: %s", strerror(errno));
		return -1;
	}
	/* RLIMIT_CPU: SIGXCPU at the soft limit, SIGKILL a second later;
	 * RLIMIT_FSIZE only matters when stdout is a file. */
	if (limit_set(RLIMIT_CORE, "RLIMIT_CORE", 0, 0, reason) != 0 ||
	    limit_set(RLIMIT_AS, "RLIMIT_AS", mem, mem, reason) != 0 ||
	    limit_set(RLIMIT_CPU, "RLIMIT_CPU", lim->cpu_seconds,
		      lim->cpu_seconds + 1, reason) != 0 ||
	    limit_set(RLIMIT_FSIZE, "RLIMIT_FSIZE", PREVIEW_MAX_OUTPUT,
		      PREVIEW_MAX_OUTPUT, reason) != 0 ||
	    limit_set(RLIMIT_NOFILE, "RLIMIT_NOFILE", 64, 64, reason) != 0)
		return -1;
	/* A network namespace of our own has only a loopback that is
	 * down; a user namespace lets an unprivileged server make one. */
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0)
		*isolation = "user+net namespace";
	else if (unshare(CLONE_NEWNET) == 0)
		*isolation = "net namespace";
	else
		*isolation = "none";
	return 0;
}

int preview_sandbox_seal(char **reason)
{
	return limit_set(RLIMIT_NOFILE, "RLIMIT_NOFILE", 3, 3, reason);
}
