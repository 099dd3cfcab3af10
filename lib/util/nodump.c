/* nodump.c - keep secrets out of core dumps (see util.h). */
#include <sys/prctl.h>

#include "util.h"

static int holds;
static int was_dumpable;

void
nodump_hold(void)
{
	if (holds++ == 0) {
		was_dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
		(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	}
}

void
nodump_release(void)
{
	if (holds <= 0)
		return;
	if (--holds == 0 && was_dumpable > 0)
		(void)prctl(PR_SET_DUMPABLE, was_dumpable, 0, 0, 0);
}

int
nodump_holds(void)
{
	return holds;
}
