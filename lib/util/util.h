/* util.h - the bottom layer: status codes, logging, hashing, NFC,
 * fault hooks, safe files and names; knows no mail, no network, no
 * database.  The only public header of lib/util.
 *
 * Sections, one per module: status, log, faults, hash, nfc, safefile,
 * spool, safename, nodump, scrub, localtime.
 */
#ifndef TIPLINE_UTIL_H
#define TIPLINE_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <glib.h>

/* ==== status ==== */

/* status.c - result codes shared by every tipline module.
 *
 * Core modules return a tl_status; only the command layer (src/cmd-*.c and
 * src/tipline.c) turns one into a process exit code, following sysexits(3).
 */

/* Ordered so that, among the failures a fetch of several mailboxes can
 * report, tl_status_worst() picks the one the operator must act on first
 * (configuration > authentication/TLS > temporary). */
typedef enum {
	TL_OK = 0,
	TL_TEMPFAIL,	/* network, server busy or gone, lock held, db busy:
			 * 75 */
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

/* ==== log ==== */

/* log.c - diagnostics to stderr or syslog (after fdm's log.c).
 *
 * Every message goes through here so that one switch (-v, -q, or
 * "[log] target = syslog") governs all output that is not a command's
 * result. Callers must never pass a password or token: nothing here
 * redacts.
 */

typedef enum {
	LOG_LEVEL_QUIET = 0,	/* errors only (-q) */
	LOG_LEVEL_NORMAL = 1,	/* errors, warnings, notices */
	LOG_LEVEL_DEBUG = 2,	/* everything (-v) */
} log_level;

/* Set the level and target. use_syslog != 0 sends messages to syslog(3)
 * with ident "tipline" and facility LOG_MAIL instead of stderr, and also
 * to stderr when that is a terminal (an editor at the keyboard). */
void log_open(log_level level, int use_syslog);

/* Current level, for callers that want to skip expensive formatting. */
log_level log_get_level(void);

/* Error: always shown. Format as printf; a newline is added.  Printed
 * "tipline: MESSAGE"; a command's errors go through cmd_err (commands.h)
 * instead, which names the command. */
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An error of WHO (a command): "tipline WHO: MESSAGE" on stderr, and
 * "WHO: MESSAGE" to syslog when that is the target; always shown. */
void log_verr_as(const char *who, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* A warning of WHO (a command): "tipline WHO: warning: MESSAGE", the
 * same form as log_verr_as's errors (editor trial finding 5); to syslog
 * as "WHO: warning: MESSAGE" when that is the target; shown unless -q. */
void log_vwarn_as(const char *who, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Warning: shown unless -q.  "tipline: warning: MESSAGE"; a command's
 * warnings go through cmd_warn (commands.h) instead. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Notice: one line per noteworthy event; shown unless -q. */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Debug: shown with -v only. */
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ==== faults ==== */

/* faults.c - test-only crash injection at the durable steps of a fetch.
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

/* ==== hash ==== */

/* hash.c - SHA-256 with OpenSSL's libcrypto (several times faster than
 * GLib's GChecksum here), and the content hash that decides whether two
 * copies are the same message.
 */

/* Incremental content hash: SHA-256 of a message with every CRLF folded to
 * LF and trailing newlines dropped, so that a Maildir/mbox copy (LF) and an
 * IMAP BODY[] (CRLF) of one message hash alike.  A bare CR is kept. */
typedef struct hash_content hash_content;

/* New hasher; never NULL (aborts on allocation failure). */
hash_content *hash_content_new(void);
/* Feed LEN bytes; chunk boundaries do not matter. */
void hash_content_update(hash_content *h, const void *buf, size_t len);
/* Finish: writes 64 hex digits and a NUL to out_hex, frees h. */
void hash_content_finish(hash_content *h, char out_hex[65]);

/* Content hash of a whole file, read in chunks.  TL_NOINPUT when it cannot
 * be read (*errmsg, g_free); *size_out (may be NULL) gets the byte count. */
tl_status hash_content_file(const char *path, char out_hex[65],
			    gint64 *size_out, char **errmsg);

/* Plain SHA-256 (no normalisation), incremental. */
typedef struct hash_sha256 hash_sha256;
hash_sha256 *hash_sha256_new(void);
void hash_sha256_update(hash_sha256 *h, const void *buf, size_t len);
void hash_sha256_finish(hash_sha256 *h, char out_hex[65]);

/* ==== nfc ==== */

/* nfc.c - Unicode NFC in linear time, with ICU.
 *
 * GLib's g_utf8_normalize() is quadratic on text full of combining
 * sequences (it moves the rest of the buffer at each composition): a 1 MB
 * Vietnamese body took a minute, a 4 MB one more than five (QA F19), while
 * the fetch held the database write lock. ICU's normalizer is linear, and
 * ICU is already linked for collation.
 */

/* S (LEN bytes, or NUL-terminated when LEN < 0) in NFC (UAX #15), as a
 * new NUL-terminated UTF-8 string (g_free). Like g_utf8_normalize(...,
 * G_NORMALIZE_NFC): NULL when S is not valid UTF-8 or is NULL. Text that is
 * already NFC (almost all mail) is only checked and copied. */
char *nfc_normalize(const char *s, gssize len);

/* S folded for comparison: each letter replaced by its base letter
 * (canonical decomposition, combining marks dropped), đ/Đ -> d, lower
 * case; invalid UTF-8 bytes dropped.  "Nguyễn ĐẶNG" -> "nguyen dang", and
 * NFC and NFD input fold alike.  NULL gives "".  Newly allocated
 * (g_free). */
char *nfc_fold(const char *s);

/* ==== safefile ==== */

/* safefile.c - opening files in folders that someone else may write.
 *
 * The database folder belongs to the fetch user, and root may run fetch
 * or an editor's command there.  Whoever owns the folder can put a
 * symbolic link or a hard link where tipline is about to open a file
 * (DATABASE.lock pointing at /etc/shadow): a root run that opens it and
 * then gives it to the database's owner (fchown, QA F36) hands that file
 * over.  So every file tipline creates or reuses beside the database, in
 * the spool folder, as a backup or as an export goes through this one
 * policy:
 *
 *   - open with O_NOFOLLOW | O_CLOEXEC | O_NOCTTY (and O_EXCL when the
 *     file must be new): a symbolic link in the last component is refused
 *     by the kernel;
 *   - fstat the descriptor that was opened (not the name, which may have
 *     changed meanwhile): it must be a regular file with exactly one link
 *     (a hard link to someone else's file has two), owned by this user,
 *     or by the owner or group of OWNER_OF (the database, which editors
 *     share through its group);
 *   - only then, when running as root and OWNER_OF belongs to another
 *     user, give an empty file root owns to that user and group (fchown on
 *     the checked descriptor), so the fetch user's cron job can still
 *     open it (QA F36).  Lock and signal files are always empty; nothing
 *     with content is ever given away.
 *
 * A refusal names the path and what was wrong and never changes the
 * file.  SQLite's own files (-wal, -shm, -journal) follow the same rule
 * through safefile_open_nolinks().  Nothing here prints.
 */

/* Open NAME relative to DIRFD (AT_FDCWD for a plain path) under the policy
 * above.  FLAGS is the access mode plus O_CREAT (create or reuse) or
 * O_CREAT|O_EXCL (must be new), O_TRUNC or O_APPEND as needed; MODE is
 * the creation mode (the umask applies).  OWNER_OF, when not NULL, is the
 * path whose owner may also own the file and to whom a root run gives it.
 * On success *fd_out is the open descriptor (the caller closes it).
 * On failure *fd_out is -1 and *errmsg (g_free) names NAME: TL_NOPERM
 * for a refused link, a file that is not regular or belongs to a
 * stranger, or EACCES/EPERM/EROFS; TL_NOINPUT for a missing folder;
 * TL_TEMPFAIL for other file system errors (ENOSPC, EEXIST with O_EXCL).
 * The errno of the failure is left in errno (ELOOP for a symbolic link,
 * EMLINK for a hard link, EPERM for a stranger's file, EINVAL for a file
 * that is not regular). */
tl_status safefile_open(int dirfd, const char *name, int flags, int mode,
			const char *owner_of, int *fd_out, char **errmsg);

/* g_mkstemp_full(TMPL, FLAGS, MODE) under the same policy: a new file
 * (O_EXCL) with a name made from TMPL's trailing "XXXXXX" (TMPL is
 * changed in place), O_NOFOLLOW and O_CLOEXEC added, checked with fstat.
 * Returns the descriptor, or -1 with errno set as for safefile_open. */
int safefile_mkstemp(char *tmpl, int flags, int mode);

/* open(2) for SQLite's unix VFS (its xSetSystemCall "open"; the
 * store installs it): the same refusal of symbolic and hard links for the
 * files SQLite opens itself (the database, -wal, -shm, -journal), which
 * SQLite, run as root, would otherwise write and fchown to the database's
 * owner.  No owner check (editors open the fetch user's database).  A
 * directory (SQLite opens the database's folder to fsync it) may still
 * be reached through a link when opened read-only.  Returns the
 * descriptor or -1 with errno (ELOOP, EMLINK). */
int safefile_open_nolinks(const char *path, int flags, int mode);

/* write(2) until all N bytes of BUF are on FD (a regular file, pipe or
 * memfd opened by the caller, who keeps it): a short write is continued
 * and EINTR retried, as POSIX allows either on any write.  Returns TRUE
 * when all N bytes were written (N == 0 writes nothing); FALSE with
 * errno set otherwise: write's own errno (ENOSPC, EDQUOT, EIO, EPIPE,
 * EAGAIN on a non-blocking descriptor), or ENOSPC for a write that
 * returned 0.  Bytes written before a failure stay written. */
gboolean safefile_write_all(int fd, const void *buf, size_t n);

/* Bytes gathered into SAFEFILE_WBUF_SIZE and written with
 * safefile_write_all() when the buffer fills or is flushed: whole pages
 * and few write calls for a producer of small pieces (a server's 4 KiB
 * TLS records, a JPEG a marker at a time).  The caller owns FD. */
#define SAFEFILE_WBUF_SIZE (64 * 1024)
typedef struct {
	int fd;
	gboolean failed;	/* a write failed: nothing more is written */
	int err;		/* and its errno */
	gsize used;		/* bytes waiting in buf */
	guint8 *buf;
} safefile_wbuf;

/* Start W on FD (-1: none yet); allocates the buffer (safefile_wbuf_free). */
void safefile_wbuf_init(safefile_wbuf *w, int fd);

/* Point W at FD, dropping what it holds unwritten and any failure. */
void safefile_wbuf_reset(safefile_wbuf *w, int fd);

/* Add N bytes of P, writing the buffer whenever it fills.  FALSE once a
 * write has failed (W->err, and errno), now or before. */
gboolean safefile_wbuf_put(safefile_wbuf *w, const void *p, gsize n);

/* Write what W holds.  FALSE once a write has failed (W->err, errno). */
gboolean safefile_wbuf_flush(safefile_wbuf *w);

/* Free W's buffer (unflushed bytes are dropped; FD is not closed). */
void safefile_wbuf_free(safefile_wbuf *w);

/* ==== spool ==== */

/* spool.c - scratch files in one folder, used again within one run.
 *
 * A fetch writes each message to a spool file while it arrives, parses
 * and stores it, and is then done with the file.  Removing it and
 * creating the next costs more than writing small messages: on ext4
 * without a journal (the VMs tipline is measured on) a new inode skips
 * every inode freed in the last minute or more, reading each one's
 * deletion time (fs/ext4/ialloc.c, recently_deleted), so a fetch of
 * 2,000 small mails spent 15-30 % of its CPU in ext4_create.  A pool
 * keeps the files a run is done with and hands them out again:
 * overwritten from the start, then cut to what was written (a cut to
 * zero would make ext4 flush the file at close: auto_da_alloc).  A kept
 * file still holds the last message written to it until it is used
 * again or the pool is freed, as a removed one's blocks do until reused.
 * An import's mbox split writes through one the same way (mbox.c).
 * Thread-safe: one thread may take while another gives. */
typedef struct spool_pool spool_pool;

/* A pool of files DIR/PREFIXxxxxxx (mkstemp's six characters).  Owned by
 * the caller: spool_pool_free.  Nothing is created until a take. */
spool_pool *spool_pool_new(const char *dir, const char *prefix);

/* A file to write from offset 0: one the pool kept, opened again under
 * the safefile policy (a link or a stranger's file put in its place is
 * refused and forgotten), or a new one (safefile_mkstemp, mode 0600).
 * Returns the descriptor (O_RDWR, close-on-exec; the caller closes it)
 * and sets *PATH (newly allocated; hand it back with spool_pool_give, or
 * unlink and g_free it) and *REUSED (TRUE: it may be longer than what
 * the caller writes, so cut it with ftruncate).  -1 with errno as
 * safefile_mkstemp's and *PATH NULL when no file can be made. */
int spool_pool_take(spool_pool *p, char **path, gboolean *reused);

/* The caller is done with PATH's contents: keep the file for a later
 * take (at most 1,024), else remove it.  Takes ownership of PATH (may be
 * NULL: nothing).  P NULL: remove it. */
void spool_pool_give(spool_pool *p, char *path);

/* The folder P's files are in (owned by P), for messages. */
const char *spool_pool_dir(const spool_pool *p);

/* Remove every file kept and free P (NULL: nothing).  Files handed out
 * and not given back are the takers'. */
void spool_pool_free(spool_pool *p);

/* ==== safename ==== */

/* safename.c - file names chosen by strangers, made safe to create.
 *
 * An attachment's name comes from the sender: "../../etc/passwd", "CON",
 * a name with a newline or a right-to-left override, 300 bytes of
 * Vietnamese.  Exported files must land inside the export folder, never
 * replace an existing file, open cleanly on Linux, macOS and Windows (a
 * reporter copies them to a USB stick), and still tell the editor what
 * the sender called them.
 */

/* Longest name produced, in bytes (ext4 and NTFS allow 255; the margin
 * leaves room for a "-NN" suffix and for tools that add their own). */
#define SAFENAME_MAX 200

/* A safe single path component for NAME (any bytes; NULL allowed):
 * valid UTF-8 in NFC; '/', '\\' and the characters Windows forbids
 * (<>:"|?*) become '_'; control characters (newlines, ESC, DEL, C1),
 * Unicode line separators and bidirectional overrides become '_'; leading
 * dots, dashes and spaces and trailing dots and spaces are removed (no
 * hidden files, no "..", no "-rf"); a Windows device name (CON, PRN, AUX,
 * NUL, COM0-9, LPT0-9, with or without extension, any case) gets a '_'
 * prefix; longer than SAFENAME_MAX bytes is cut on a character boundary
 * keeping the extension (up to 16 bytes).  An empty result becomes
 * FALLBACK (which must itself be safe).  Newly allocated (g_free). */
char *safename_make(const char *name, const char *fallback);

/* Create NAME (already safe) in the directory DIRFD with O_EXCL and
 * O_NOFOLLOW, mode MODE; when it exists, try "stem-2.ext", "stem-3.ext",
 * ... (kept within SAFENAME_MAX).  *fd_out is the open file (close it);
 * *final_out the name used (g_free).  TL_NOPERM when the directory may
 * not be written (EACCES, EPERM, EROFS), TL_TEMPFAIL on another file
 * system error such as ENOSPC, with *errmsg (g_free). */
tl_status safename_create(int dirfd, const char *name, int mode,
			  int *fd_out, char **final_out, char **errmsg);

/* Like safename_create for a directory (mkdirat, then "-2", ...). */
tl_status safename_mkdir(int dirfd, const char *name, int mode,
			 char **final_out, char **errmsg);

/* An ASCII slug of TEXT for a folder name: diacritics and đ folded,
 * lower case, runs of anything but [a-z0-9] as one '-', at most MAX
 * bytes, no leading or trailing '-'.  "" when nothing is left.  Newly
 * allocated (g_free). */
char *safename_slug(const char *text, gsize max);

/* ==== nodump ==== */

/* nodump.c - keep secrets out of core dumps.
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

/* ==== scrub ==== */

/* scrub.c - a copy of a JPEG photo without the metadata that can give a
 * source away (Exif with its GPS IFD, XMP, IPTC, comments, embedded
 * thumbnails and secondary images), for publication.  The original stays
 * untouched as evidence; only a new copy is written.
 *
 * A segment filter (JPEG ITU T.81 B.1.1, Exif 2.32 4.5): it copies SOI,
 * the frame, tables and entropy-coded scans as they are and drops APP1
 * (Exif, XMP), APP3..APP13, APP15, COM, APP2 other than ICC_PROFILE (MPF
 * carries whole extra pictures), APP0 other than a JFIF header without a
 * thumbnail, and anything after EOI.  ICC_PROFILE (colour) and APP14
 * "Adobe" (colour transform of CMYK files) are kept: dropping them changes
 * how the picture looks.  The pixels are not re-encoded, so no quality is
 * lost.  The Exif Orientation (Exif 2.32 4.6.4) is the one tag kept: a
 * phone stores a portrait photo as landscape pixels with Orientation 6,
 * and without it the copy shows sideways.  It is written as a new minimal
 * Exif APP1 (IFD0 with that one entry, nothing else) rather than by
 * turning the pixels: a lossless turn (jpegtran) only works on whole
 * 8x8/16x16 blocks and would crop or re-encode the edges, and the pixels
 * would no longer be the original's.
 */

/* TRUE when the first bytes of the file at PATH are a JPEG SOI marker
 * (FF D8 FF). */
gboolean scrub_is_jpeg(const char *path);

/* Read the JPEG at IN_PATH and write the scrubbed copy to OUT_FD (not
 * closed).  *removed (may be NULL) gets the number of segments dropped.
 * TL_DATA when the file is not a well-formed JPEG up to its first scan
 * (nothing useful was written; the caller removes the copy), TL_NOINPUT
 * when IN_PATH cannot be read, TL_TEMPFAIL on a write error; *errmsg
 * (g_free). Memory: one segment (at most 64 KiB); the file is read twice
 * (the first time only up to the first scan, for the Orientation). */
tl_status scrub_jpeg(const char *in_path, int out_fd, int *removed,
		     char **errmsg);

/* ==== localtime ==== */

/* localtime.c - store times in the newsroom's zone ($TZ, which both
 * faces' main() set from [desk] timezone, else /etc/localtime), for the
 * command line and the browser desk alike.  Thread-safe. */

/* A date "2024-06-08T23:00:00Z" (ISO 8601 UTC) as local time
 * "2024-06-09 06:00" (TZ of the process); LONG adds seconds and the zone
 * ("2024-06-09 06:00:00 +07:00"). Unparsable or NULL input gives "-".
 * Newly allocated (g_free). */
char *localtime_text(const char *iso_utc, gboolean longform);

/* The name of the zone localtime_text shows: $TZ (without a leading
 * ':'), as main() sets it from [desk] timezone, else the system's zone
 * identifier (GLib: /etc/localtime's target, "Asia/Ho_Chi_Minh"), else
 * "local".  Newly allocated (g_free). */
char *localtime_zone_name(void);

#endif
