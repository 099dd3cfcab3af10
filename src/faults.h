/* faults.h - test-only crash injection at the durable steps of a fetch.
 *
 * The crash tests (tests/31-crash.t) need fetch to end abruptly, with no
 * cleanup at all, at its Nth durable step, and then prove that the next run
 * reaches the same final state as an uninterrupted one (isync's
 * run-tests.pl does the same for mbsync). Only build/tipline-faults, which
 * is compiled with -DTIPLINE_FAULTS, honours the environment variables
 * below; in the release ./tipline every function here does nothing, so a
 * stray variable in a cron environment cannot kill a production fetch.
 *
 *   TIPLINE_CRASH_AT=N    _exit(99) at the Nth fault_point() of the run
 *                         (counted across every mailbox), after printing
 *                         "tipline: crash at fault point N: NAME" on stderr
 *   TIPLINE_PAUSE_AT=N    stop (SIGSTOP) at the Nth fault point, after
 *                         printing "tipline: paused at fault point N:
 *                         NAME", so a test can look at the live process
 *                         (/proc/PID/status, its memory) and SIGCONT it
 *   TIPLINE_FAULT_TRACE=1 print every fault point passed, without crashing
 *                         ("tipline: fault point N: NAME"), so a test can
 *                         count the points of a clean run
 *   TIPLINE_FAULT_RUN_AT=NAME:K and TIPLINE_FAULT_RUN_CMD=SHELL
 *                         run SHELL (/bin/sh -c, waited for) at the Kth
 *                         passing of the point or hook NAME, then go on:
 *                         a test replaces the database or deletes a
 *                         mailbox at an exact step of a running fetch
 */
#ifndef TIPLINE_FAULTS_H
#define TIPLINE_FAULTS_H

/* A durable step has just happened or is about to: NAME is a constant such
 * as "spool-written" or "before-commit". May not return (see above). */
void fault_point(const char *name);

/* A step worth a test hook but not a durable one (no crash point, not
 * counted): only TIPLINE_FAULT_RUN_AT can name it. */
void fault_hook(const char *name);

/* The integer in the environment variable NAME in a TIPLINE_FAULTS build
 * (tests shrink batch sizes with it), else DFLT. Also DFLT when the variable
 * is unset or not a positive integer. */
int fault_int(const char *name, int dflt);

#endif
