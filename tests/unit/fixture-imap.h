/* fixture-imap.h - what the IMAP unit tests (tests/unit/test-imap-*.c)
 * share: private Dovecots started by tests/fixture/start.sh (or by
 * tests/20-imap.t, which passes their directories in
 * TIPLINE_IMAP_FIXTURES), seeding their mailboxes, cutproxy.py in front
 * of them, and a fetch callback that checks each spool file. The tests
 * that need no server (test-imap-names.c) do not use this.
 *
 * Every function aborts the test program (g_error or g_assert) on
 * failure: a fixture that does not work is a broken test machine.
 */
#ifndef TIPLINE_FIXTURE_IMAP_H
#define TIPLINE_FIXTURE_IMAP_H

#include <glib.h>

#include "util.h"
#include "imap.h"

/* One running Dovecot (the values of its DIR/env file). */
typedef struct {
	char *dir;
	int imap_port, imaps_port;
	char *cafile, *maildir, *log;
	gboolean started;	/* by this program, so stopped by it */
} fixture;

extern char *fixture_top;	/* repository root */
extern fixture fx;		/* default instance */
extern fixture fx_nomove;	/* MOVE hidden */
extern fixture fx_nomove_nouidplus;	/* MOVE and UIDPLUS hidden */
extern fixture fx_notls;	/* no STARTTLS, no IMAPS */
extern spool_pool *fixture_pool;	/* of fixture_spool's files: what
					 * imap_fetch_bodies writes to */
extern char *fixture_spool;	/* spool directory, must be empty
				 * between tests */

/* g_test_init, then find Dovecot and the fixture scripts and start (or
 * load, from TIPLINE_IMAP_FIXTURES="D1:D2:D3:D4") the four servers.
 * FALSE after printing a TAP "1..0 # SKIP" line when Dovecot or the
 * scripts are missing: main then returns 0. */
gboolean fixture_setup(int *argc, char ***argv);

/* Stop what fixture_setup started, remove the spool directory. */
void fixture_teardown(void);

/* Run ARGV with extra environment EXTRA (NULL-terminated "K=V", may be
 * NULL); return its stdout (g_free). */
char *fixture_run(char **argv, const char *const *extra);

/* Seed FILES (NULL-terminated paths) into FOLDER of F, in order; or N
 * generated messages. */
void fixture_seed_files(fixture *f, const char *folder, char **files);
void fixture_seed_count(fixture *f, const char *folder, int n);

/* Write MSGS to files next to the spool directory; return their paths
 * (fixture_unlink_all removes and frees them). */
char **fixture_write_msgs(const GByteArray *const *msgs, size_t n);
void fixture_unlink_all(char **paths);

/* Log in to F's IMAPS port as the test user, URL path FOLDER (may be
 * NULL). When ERR_OUT is NULL a failure aborts; else *ERR_OUT gets the
 * message and the session may be NULL. */
imap_session *fixture_connect(fixture *f, const char *folder,
			      char **err_out);

/* Abort when a spool file was left behind. */
void fixture_assert_spool_empty(void);

/* Wait up to 3 s for NEEDLE in F's Dovecot log after byte FROM; return
 * the whole log (g_free). */
char *fixture_log_wait(fixture *f, const char *needle, gsize from);

/* Start tests/fixture/cutproxy.py in front of port UPSTREAM, cutting
 * after CUT bytes in MODE (fin, rst, stall, trickle); return its port.
 * fixture_proxy_stop kills it. */
int fixture_proxy_start(int upstream, long cut, const char *mode,
			GPid *pid);
void fixture_proxy_stop(GPid pid);

/* Maildir file names of FOLDER's messages in cur/ and new/, one a line
 * (g_free). */
char *fixture_maildir_names(fixture *f, const char *folder);

/* MESSAGES of MAILBOX by STATUS; aborts on failure. */
guint32 fixture_count_in(imap_session *s, const char *mailbox);

/* What imap_fetch_bodies handed over to collect_cb (an imap_body_cb). */
typedef struct {
	GHashTable *bytes;	/* uid -> GBytes */
	GArray *order;		/* uids in callback order */
	guint32 fail_at;	/* return TL_TEMPFAIL for this uid */
	gboolean keep;		/* keep the bytes */
	GPtrArray *paths;	/* when not NULL: the files' names, and the
				 * files go back to fixture_pool */
} collect;

/* Checks the spool file (mode 0600, HASH and SIZE match), keeps it in C
 * when asked, removes it (or gives it back, C->paths). */
tl_status collect_cb(guint32 uid, const char *path, const char *hash,
		     gint64 size, void *user);
void collect_init(collect *c, gboolean keep);
void collect_free(collect *c);

/* A new byte array holding LEN bytes of S, or the string S. */
GByteArray *ba(const char *s, size_t len);
GByteArray *bas(const char *s);

/* A header block for subject SUBJ (a string literal). */
#define HDR(subj) "From: =?UTF-8?B?Tmd1eeG7hW4gVsSDbiBB?= " \
	"<reader.a@example.org>\r\nTo: tips@example.net\r\nSubject: " subj \
	"\r\nMessage-ID: <" subj "@example.org>\r\nDate: Mon, 01 Jan 2024 " \
	"00:00:00 +0000\r\n\r\n"

#endif
