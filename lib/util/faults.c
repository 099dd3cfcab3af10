/* faults.c - test-only crash injection (see util.h). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#ifdef TIPLINE_FAULTS
static long fault_count;
/* fetch's reader thread passes points too (issue 14): one point at a time,
 * so that the Nth is one point and a hook's command runs alone. */
static GRecMutex fault_lock;

void
fault_hook(const char *name)
{
	static long seen;
	const char *at = getenv("TIPLINE_FAULT_RUN_AT");
	const char *cmd = getenv("TIPLINE_FAULT_RUN_CMD");
	const char *colon;
	size_t len;

	if (at == NULL || cmd == NULL || (colon = strrchr(at, ':')) == NULL)
		return;
	len = (size_t)(colon - at);
	if (strlen(name) != len || strncmp(at, name, len) != 0)
		return;
	g_rec_mutex_lock(&fault_lock);
	if (++seen == strtol(colon + 1, NULL, 10)) {
		fprintf(stderr, "tipline: running the fault command at "
			"%s:%ld\n", name, seen);
		fflush(stderr);
		if (system(cmd) != 0)
			fprintf(stderr, "tipline: the fault command failed\n");
	}
	g_rec_mutex_unlock(&fault_lock);
}

void
fault_point(const char *name)
{
	const char *at = getenv("TIPLINE_CRASH_AT");
	const char *pause = getenv("TIPLINE_PAUSE_AT");
	long n = at != NULL ? strtol(at, NULL, 10) : 0;

	g_rec_mutex_lock(&fault_lock);
	fault_count++;
	fault_hook(name);
	if (pause != NULL && strtol(pause, NULL, 10) == fault_count) {
		fprintf(stderr, "tipline: paused at fault point %ld: %s\n",
			fault_count, name);
		fflush(stderr);
		raise(SIGSTOP);
	}
	if (n > 0 && fault_count == n) {
		/* _exit, not exit: no atexit handlers, no SQLite close, no
		 * LOGOUT - as close to a power cut as a process can get. */
		fprintf(stderr, "tipline: crash at fault point %ld: %s\n",
			fault_count, name);
		fflush(stderr);
		_exit(99);
	}
	if (getenv("TIPLINE_FAULT_TRACE") != NULL)
		fprintf(stderr, "tipline: fault point %ld: %s\n",
			fault_count, name);
	g_rec_mutex_unlock(&fault_lock);
}

int
fault_int(const char *name, int dflt)
{
	const char *v = getenv(name);
	long n = v != NULL ? strtol(v, NULL, 10) : 0;

	return n > 0 && n < 1000000 ? (int)n : dflt;
}
#else
void
fault_point(const char *name)
{
	(void)name;
}

void
fault_hook(const char *name)
{
	(void)name;
}

int
fault_int(const char *name, int dflt)
{
	(void)name;
	return dflt;
}
#endif
