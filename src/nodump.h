/* nodump.h - keep secrets out of core dumps.
 *
 * A fetch that crashes (or is sent SIGABRT) after login would leave the
 * IMAP password and the AUTHENTICATE string in a core file (issue 9).
 * While any part of the process holds a secret (secret_get's buffer,
 * libcurl's copies of CURLOPT_PASSWORD / XOAUTH2_BEARER and of the SASL
 * messages it builds) the process is made non-dumpable with
 * prctl(PR_SET_DUMPABLE, 0): the kernel writes no core file and other
 * processes of the same user may not ptrace it or read /proc/PID/mem.
 * Holds nest; the last release restores the setting found at the first
 * hold (a set-uid process stays non-dumpable).  Knows nothing of mail;
 * not thread-safe (tipline is single-threaded).
 */
#ifndef TIPLINE_NODUMP_H
#define TIPLINE_NODUMP_H

/* Begin holding a secret: the process is non-dumpable until the matching
 * nodump_release().  Cannot fail in a way that matters (prctl fails only
 * on a kernel without it). */
void nodump_hold(void);

/* End one hold; the last one makes the process dumpable again, if it was
 * before the first.  Call only after every copy of the secret has been
 * wiped. */
void nodump_release(void);

/* How many holds are open (for tests). */
int nodump_holds(void);

#endif
