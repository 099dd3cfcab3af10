/* status.h - result codes shared by every tipline module.
 *
 * Core modules return a tl_status; only the command layer (src/cmd-*.c and
 * src/tipline.c) turns one into a process exit code, following sysexits(3).
 */
#ifndef TIPLINE_STATUS_H
#define TIPLINE_STATUS_H

/* Ordered so that, among the failures a fetch of several mailboxes can
 * report, tl_status_worst() picks the one the operator must act on first
 * (configuration > authentication/TLS > temporary). */
typedef enum {
	TL_OK = 0,
	TL_TEMPFAIL,	/* network, server busy or gone, lock held, db busy: 75 */
	TL_DATA,	/* a message that cannot be stored at all: 65 */
	TL_NOINPUT,	/* a missing input path: 66 */
	TL_USAGE,	/* bad command line: 64 */
	TL_SOFTWARE,	/* internal error, out of memory, SQLite misuse: 70 */
	TL_NOPERM,	/* login refused, certificate not trusted: 77 */
	TL_CONFIG,	/* configuration error: 78 */
} tl_status;

/* The sysexits(3) code for a status (0, 64, 65, 66, 70, 75, 77 or 78). */
int tl_status_exit_code(tl_status st);

/* A constant English name for a status ("temporary failure", ...); never
 * NULL, static storage. */
const char *tl_status_name(tl_status st);

/* The more serious of two statuses, by the order 78 > 77 > 70 > 64 > 66 >
 * 65 > 75 > 0, so a run over several mailboxes exits with the failure that
 * needs a human first. */
tl_status tl_status_worst(tl_status a, tl_status b);

#endif
