/* test-security.c - unit tests for issue 9 §2: the policy for files in
 * folders others may write (safefile), export names that stay safe on
 * the file systems editors copy to (safename), and keeping secrets out of
 * core dumps (nodump, secret). */
#include <dirent.h>
#include <signal.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "util.h"
#include "fixture-folder.h"
#include "app.h"

static void
expect_name(const char *in, const char *want)
{
	char *s = safename_make(in, "generated");

	g_assert_cmpstr(s, ==, want);
	g_free(s);
}

/* Windows device names, whatever the case and extension, with a
 * superscript digit, and the console devices. */
static void
test_devices(void)
{
	expect_name("CON", "_CON");
	expect_name("con.tar.gz", "_con.tar.gz");
	expect_name("Aux .txt", "_Aux .txt");
	expect_name("COM\xc2\xb9.txt", "_COM\xc2\xb9.txt");	/* COM¹ */
	expect_name("lpt\xc2\xb3", "_lpt\xc2\xb3");		/* lpt³ */
	expect_name("LPT\xc2\xb2.doc", "_LPT\xc2\xb2.doc");
	expect_name("CONIN$", "_CONIN$");
	expect_name("conout$.log", "_conout$.log");
	expect_name("COM0.jpg", "_COM0.jpg");
	/* Not devices. */
	expect_name("COM10.txt", "COM10.txt");
	expect_name("COM\xc2\xb9" "0.txt", "COM\xc2\xb9" "0.txt");
	expect_name("CONSOLE.txt", "CONSOLE.txt");
	expect_name("NULL", "NULL");
}

/* Look-alikes of '/', '\\', '.' and ':' become '_'; Vietnamese and
 * Japanese letters stay. */
static void
test_lookalikes(void)
{
	expect_name("a\xef\xbc\x8f" "b.pdf", "a_b.pdf");	/* U+FF0F */
	expect_name("a\xe2\x88\x95" "b.pdf", "a_b.pdf");	/* U+2215 */
	expect_name("a\xe2\x81\x84" "b.pdf", "a_b.pdf");	/* U+2044 */
	expect_name("a\xef\xbc\xbc" "b.pdf", "a_b.pdf");	/* U+FF3C */
	expect_name("a\xe2\xa7\xb8" "b.pdf", "a_b.pdf");	/* U+29F8 */
	expect_name("invoice\xef\xbc\x8e" "pdf", "invoice_pdf"); /* U+FF0E */
	expect_name("invoice\xe2\x80\xa4" "exe", "invoice_exe"); /* U+2024 */
	expect_name("x\xe2\x80\xa5" "y", "x_y");		/* U+2025 */
	expect_name("c\xef\xbc\x9a" "x", "c_x");		/* U+FF1A */
	/* Vietnamese, NFC or NFD in, NFC out, untouched. */
	expect_name("\xe1\xba\xa2nh hi\xe1\xbb\x87n tr\xc6\xb0\xe1\xbb\x9dng "
		    "\xc4\x90\xc3\xa0 N\xe1\xba\xb5ng.jpg",
		    "\xe1\xba\xa2nh hi\xe1\xbb\x87n tr\xc6\xb0\xe1\xbb\x9dng "
		    "\xc4\x90\xc3\xa0 N\xe1\xba\xb5ng.jpg");
	expect_name("a\xcc\x89nh.jpg", "\xe1\xba\xa3nh.jpg");	/* ảnh NFD */
	/* ノート */
	expect_name("\xe3\x83\x8e\xe3\x83\xbc\xe3\x83\x88.txt",
		    "\xe3\x83\x8e\xe3\x83\xbc\xe3\x83\x88.txt");
}

/* Names that show nothing get the generated name; invisible characters
 * and trailing dots and spaces do not hang off either end. */
static void
test_invisible(void)
{
	expect_name("\xe2\x80\x8b\xe2\x80\x8b", "generated");	/* ZWSP */
	expect_name("\xe2\x80\xae", "generated");		/* RLO */
	expect_name("\xe2\x80\x8f\xe2\x81\xa6", "generated");	/* RLM LRI */
	expect_name("\xe3\x80\x80 \xc2\xa0", "generated");	/* spaces */
	expect_name("\xe2\xa0\x80", "generated");		/* braille */
	expect_name("\xe3\x85\xa4", "generated");		/* filler */
	expect_name("\xef\xbb\xbf\xe2\x80\x8d", "generated");	/* BOM ZWJ */
	expect_name(" . ", "generated");
	expect_name("report.pdf. . ", "report.pdf");
	expect_name("report.pdf\xe3\x80\x80", "report.pdf");
	expect_name("\xe2\x80\x8b" "report.pdf", "report.pdf");
}

static char *
create(int dfd, const char *name)
{
	char *final = NULL, *err = NULL;
	int fd = -1;

	g_assert_cmpint(safename_create(dfd, name, 0600, &fd, &final, &err),
			==, TL_OK);
	close(fd);
	return final;
}

/* Names differing only in case (or normalization) would overwrite each
 * other on macOS, Windows and FAT: the second gets a suffix. */
static void
test_case_clash(void)
{
	int dfd;
	char *dir = fixture_tmp_folder("tl-sec-XXXXXX", &dfd);
	char *s, *err = NULL;

	g_free(create(dfd, "Photo.JPG"));
	s = create(dfd, "photo.jpg");
	g_assert_cmpstr(s, ==, "photo-2.jpg");
	g_free(s);
	s = create(dfd, "PHOTO.jpg");
	g_assert_cmpstr(s, ==, "PHOTO-3.jpg");
	g_free(s);
	g_free(create(dfd, "\xe1\xba\xa2NH.jpg"));		/* ẢNH */
	s = create(dfd, "\xe1\xba\xa3nh.jpg");			/* ảnh */
	g_assert_cmpstr(s, ==, "\xe1\xba\xa3nh-2.jpg");
	g_free(s);
	/* A file already there in NFD, written by another tool. */
	close(openat(dfd, "ta\xcc\x80i lie\xcc\xa3\xcc\x82u.txt",
		     O_CREAT | O_WRONLY, 0600));
	s = create(dfd, "T\xc3\x80I LI\xe1\xbb\x86U.txt");	/* TÀI LIỆU */
	g_assert_cmpstr(s, ==, "T\xc3\x80I LI\xe1\xbb\x86U-2.txt");
	g_free(s);
	s = create(dfd, "other.txt");
	g_assert_cmpstr(s, ==, "other.txt");
	g_free(s);
	g_assert_cmpint(safename_mkdir(dfd, "Folder", 0700, &s, &err), ==,
			TL_OK);
	g_free(s);
	g_assert_cmpint(safename_mkdir(dfd, "folder", 0700, &s, &err), ==,
			TL_OK);
	g_assert_cmpstr(s, ==, "folder-2");
	g_free(s);
	fixture_rm_tree(dir, dfd);
}

static tl_status
open_in(int dfd, const char *name, int flags, const char *owner_of,
	int *err_out, char **msg)
{
	int fd = -1;
	tl_status rc = safefile_open(dfd, name, flags, 0600, owner_of, &fd,
				     msg);

	*err_out = rc == TL_OK ? 0 : errno;
	if (fd >= 0)
		close(fd);
	return rc;
}

/* Symbolic links, hard links and FIFOs are refused with the path named;
 * O_TRUNC never empties a linked file; a plain file passes. */
static void
test_safefile(void)
{
	int dfd, e = 0, fd;
	char *dir = fixture_tmp_folder("tl-sec-XXXXXX", &dfd);
	char *msg = NULL;
	struct stat sb;

	fd = openat(dfd, "target", O_CREAT | O_WRONLY, 0600);
	g_assert_cmpint(write(fd, "keep", 4), ==, 4);
	close(fd);
	g_assert_cmpint(symlinkat("target", dfd, "sym.lock"), ==, 0);
	g_assert_cmpint(linkat(dfd, "target", dfd, "hard.lock", 0), ==, 0);
	g_assert_cmpint(mkfifoat(dfd, "fifo.lock", 0600), ==, 0);

	g_assert_cmpint(open_in(dfd, "sym.lock", O_RDWR | O_CREAT, NULL, &e,
				&msg), ==, TL_NOPERM);
	g_assert_cmpint(e, ==, ELOOP);
	g_assert_nonnull(strstr(msg, "sym.lock: a symbolic link"));
	g_clear_pointer(&msg, g_free);
	g_assert_cmpint(open_in(dfd, "hard.lock", O_RDWR | O_CREAT | O_TRUNC,
				NULL, &e, &msg), ==, TL_NOPERM);
	g_assert_cmpint(e, ==, EMLINK);
	g_assert_nonnull(strstr(msg, "hard.lock: has more than one link"));
	g_clear_pointer(&msg, g_free);
	g_assert_cmpint(fstatat(dfd, "target", &sb, 0), ==, 0);
	g_assert_cmpint(sb.st_size, ==, 4);	/* O_TRUNC waited */
	g_assert_cmpint(open_in(dfd, "fifo.lock", O_RDONLY, NULL, &e, &msg),
			==, TL_NOPERM);		/* and did not block */
	g_assert_cmpint(e, ==, EINVAL);
	g_clear_pointer(&msg, g_free);
	g_assert_cmpint(open_in(dfd, "new.lock", O_RDWR | O_CREAT, NULL, &e,
				&msg), ==, TL_OK);
	g_assert_cmpint(open_in(dfd, "new.lock", O_RDWR | O_CREAT, NULL, &e,
				&msg), ==, TL_OK);	/* reused */
	g_assert_cmpint(open_in(dfd, "new.lock", O_RDWR | O_CREAT | O_EXCL,
				NULL, &e, &msg), ==, TL_TEMPFAIL);
	g_assert_cmpint(e, ==, EEXIST);
	g_clear_pointer(&msg, g_free);
	g_assert_cmpint(open_in(dfd, "no/such", O_RDONLY, NULL, &e, &msg),
			==, TL_NOINPUT);
	g_clear_pointer(&msg, g_free);
	fixture_rm_tree(dir, dfd);
}

/* SQLite's open: the same refusals, a folder through a link allowed. */
static void
test_nolinks(void)
{
	int dfd, fd;
	char *dir = fixture_tmp_folder("tl-sec-XXXXXX", &dfd);
	char *t = g_build_filename(dir, "t", NULL);
	char *sym = g_build_filename(dir, "db-wal", NULL);
	char *hard = g_build_filename(dir, "db-shm", NULL);
	char *dsym = g_build_filename(dir, "folder", NULL);

	g_assert_true(g_file_set_contents(t, "x", 1, NULL));
	g_assert_cmpint(symlink(t, sym), ==, 0);
	g_assert_cmpint(link(t, hard), ==, 0);
	g_assert_cmpint(symlink(dir, dsym), ==, 0);
	errno = 0;
	g_assert_cmpint(safefile_open_nolinks(sym, O_RDWR | O_CREAT, 0600),
			==, -1);
	g_assert_cmpint(errno, ==, ELOOP);
	g_assert_cmpint(safefile_open_nolinks(hard, O_RDWR, 0600), ==, -1);
	g_assert_cmpint(errno, ==, EMLINK);
	fd = safefile_open_nolinks(dsym, O_RDONLY, 0);
	g_assert_cmpint(fd, >=, 0);
	close(fd);
	g_assert_cmpint(safefile_open_nolinks(sym, O_RDONLY, 0), ==, -1);
	g_free(t);
	g_free(sym);
	g_free(hard);
	g_free(dsym);
	fixture_rm_tree(dir, dfd);
}

/* Take a file from P: a new one when WANT is NULL, else WANT used
 * again; write TEXT to it and give it back.  Its name (g_free). */
static char *
pool_use(spool_pool *p, const char *want, const char *text)
{
	gboolean reused = want == NULL;
	char *path = NULL;
	int fd = spool_pool_take(p, &path, &reused);

	g_assert_cmpint(fd, >=, 0);
	g_assert_true(reused == (want != NULL));
	if (want != NULL)
		g_assert_cmpstr(path, ==, want);
	g_assert_cmpint(write(fd, text, strlen(text)), ==,
			(ssize_t)strlen(text));
	close(fd);
	spool_pool_give(p, g_strdup(path));
	return path;
}

/* Free P, which must remove every file in DIR (DFD), then DIR and the
 * names P1 and P2. */
static void
pool_end(spool_pool *p, char *dir, int dfd, char *p1, char *p2)
{
	spool_pool_free(p);
	g_assert_cmpint(fixture_entries(dfd), ==, 0);
	g_free(p1);
	g_free(p2);
	fixture_rm_tree(dir, dfd);
}

/* A spool file given back is handed out again; one replaced by a link
 * meanwhile is refused (the link's target untouched) and forgotten, and
 * a new file takes its place; freeing the pool removes what it kept. */
static void
test_spool_pool(void)
{
	int dfd, fd;
	char *dir = fixture_tmp_folder("tl-sec-XXXXXX", &dfd);
	char *p1 = NULL, *p2 = NULL, *p3 = NULL;
	spool_pool *p = spool_pool_new(dir, "tipline-imap-");
	gboolean reused = TRUE;
	struct stat sb;

	p1 = pool_use(p, NULL, "tin một");
	g_assert_true(g_str_has_prefix(p1, dir));
	p2 = pool_use(p, p1, "x");

	/* the kept file becomes a link to a file of someone else's */
	fd = openat(dfd, "target", O_CREAT | O_WRONLY, 0600);
	g_assert_cmpint(write(fd, "keep", 4), ==, 4);
	close(fd);
	g_assert_cmpint(unlink(p1), ==, 0);
	g_assert_cmpint(symlinkat("target", AT_FDCWD, p1), ==, 0);
	fd = spool_pool_take(p, &p3, &reused);
	g_assert_cmpint(fd, >=, 0);
	g_assert_false(reused);
	g_assert_cmpstr(p3, !=, p1);
	g_assert_cmpint(write(fd, "x", 1), ==, 1);
	close(fd);
	g_assert_cmpint(fstatat(dfd, "target", &sb, 0), ==, 0);
	g_assert_cmpint(sb.st_size, ==, 4);
	spool_pool_give(p, g_strdup(p3));
	g_assert_cmpint(fixture_entries(dfd), ==, 3);	/* target, link, p3 */
	spool_pool_free(p);
	g_assert_cmpint(fixture_entries(dfd), ==, 2);	/* p3 removed */
	g_assert_cmpint(lstat(p1, &sb), ==, 0);	/* the link was not ours */
	g_assert_true(S_ISLNK(sb.st_mode));
	g_free(p1);
	g_free(p2);
	g_free(p3);
	fixture_rm_tree(dir, dfd);
}

/* A kept file that cannot be opened again for a passing reason (no
 * descriptor left: EMFILE) is still the pool's to remove: the spool
 * must not keep a message's bytes after the run (tips are
 * confidential), as it did when the name was dropped with the file
 * still there. */
static void
test_spool_pool_emfile(void)
{
	int dfd, fd, low;
	char *dir = fixture_tmp_folder("tl-sec-XXXXXX", &dfd);
	char *p1 = NULL, *p2 = NULL;
	spool_pool *p = spool_pool_new(dir, "tipline-imap-");
	gboolean reused = TRUE;
	struct rlimit old, lim;

	p1 = pool_use(p, NULL, "Nguyễn Văn A");

	/* no descriptor above the lowest free one: every open fails */
	low = dup(0);
	g_assert_cmpint(low, >=, 0);
	close(low);
	g_assert_cmpint(getrlimit(RLIMIT_NOFILE, &old), ==, 0);
	lim = old;
	lim.rlim_cur = (rlim_t)low;
	g_assert_cmpint(setrlimit(RLIMIT_NOFILE, &lim), ==, 0);
	fd = spool_pool_take(p, &p2, &reused);
	g_assert_cmpint(setrlimit(RLIMIT_NOFILE, &old), ==, 0);
	g_assert_cmpint(fd, ==, -1);
	g_assert_null(p2);

	/* once descriptors are back, the kept file is used again */
	p2 = pool_use(p, p1, "x");
	pool_end(p, dir, dfd, p1, p2);
}

/* A kept file left idle for long (the bottom of the pool in a fetch of
 * a day or more) is not written into again but removed: in a shared
 * temporary folder another fetcher's fetch_spool_sweep removes spool
 * files a day old, and one that decides on such a file just before this
 * fetch reopens it unlinks it just after, so that the message written
 * into it has no name left when it is stored. */
static void
test_spool_pool_idle(void)
{
	int dfd;
	char *dir = fixture_tmp_folder("tl-sec-XXXXXX", &dfd);
	char *p1 = NULL, *p2 = NULL;
	spool_pool *p = spool_pool_new(dir, "tipline-imap-");
	struct timespec ts[2];
	struct stat sb;

	p1 = pool_use(p, NULL, "Trần Thị B");
	/* written two days ago, as fetch_spool_sweep's lstat sees it */
	ts[0].tv_sec = ts[1].tv_sec = time(NULL) - 2 * 86400;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	g_assert_cmpint(utimensat(AT_FDCWD, p1, ts, 0), ==, 0);
	p2 = pool_use(p, NULL, "Lê Văn C");
	g_assert_cmpstr(p2, !=, p1);
	g_assert_cmpint(lstat(p1, &sb), ==, -1);	/* removed */
	pool_end(p, dir, dfd, p1, p2);
}

/* Non-dumpable from secret_get to secret_free, nested holds too. */
static void
test_nodump(void)
{
	tl_mailbox_conf mb;
	char *secret = NULL, *err = NULL;
	char *path = g_build_filename(g_get_tmp_dir(), "tl-sec-pass", NULL);
	int is_token = 0;

	g_assert_cmpint(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 1);
	nodump_hold();
	nodump_hold();
	g_assert_cmpint(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 0);
	nodump_release();
	g_assert_cmpint(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 0);
	nodump_release();
	g_assert_cmpint(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 1);

	memset(&mb, 0, sizeof mb);
	mb.name = "test";
	mb.password_file = path;
	g_assert_true(g_file_set_contents(path, "hunter2\n", -1, NULL));
	g_assert_cmpint(g_chmod(path, 0600), ==, 0);
	g_assert_cmpint(secret_get(&mb, &secret, &is_token, &err), ==, TL_OK);
	g_assert_cmpstr(secret, ==, "hunter2");
	g_assert_cmpint(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 0);
	secret_free(secret);
	g_assert_cmpint(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 1);
	g_assert_cmpint(nodump_holds(), ==, 0);
	/* A refused secret holds nothing either. */
	g_assert_cmpint(g_chmod(path, 0644), ==, 0);
	g_assert_cmpint(secret_get(&mb, &secret, &is_token, &err), ==,
			TL_CONFIG);
	g_free(err);
	g_assert_cmpint(nodump_holds(), ==, 0);
	g_assert_cmpint(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 1);
	g_unlink(path);
	g_free(path);
}

/* A reader that takes the pipe slowly, so the writer blocks again and
 * again while a timer interrupts it. */
typedef struct {
	int fd;
	GChecksum *sum;
	gsize got;
} slow_reader;

static gpointer
read_slowly(gpointer data)
{
	slow_reader *r = data;
	guint8 buf[4096];
	ssize_t n;

	while ((n = read(r->fd, buf, sizeof buf)) != 0) {
		if (n < 0) {
			g_assert_cmpint(errno, ==, EINTR);
			continue;
		}
		g_checksum_update(r->sum, buf, n);
		r->got += (gsize)n;
		if (r->got % (64 * 1024) < sizeof buf)
			g_usleep(2000);	/* the pipe (64 KiB) stays full */
	}
	return NULL;
}

static void
on_alarm(int sig)
{
	(void)sig;
}

/* safefile_write_all: every byte once, in order, through short writes
 * and EINTR (a timer without SA_RESTART interrupts the blocked write
 * every 0.2 ms while the reader sleeps; one of the copies it replaced
 * gave up on EINTR); a full disk and a closed pipe are failures with
 * write's errno. */
static void
test_write_all(void)
{
	gsize len = 8 * 1024 * 1024;
	guint8 *data = g_malloc(len);
	GChecksum *want = g_checksum_new(G_CHECKSUM_SHA256);
	slow_reader r = { -1, g_checksum_new(G_CHECKSUM_SHA256), 0 };
	struct sigaction sa = { 0 }, old_sa;
	struct itimerval tick = { { 0, 200 }, { 0, 200 } }, off = { 0 };
	GThread *t;
	int p[2], full;

	for (gsize i = 0; i < len; i++)
		data[i] = (guint8)(i * 2654435761u >> 13);
	g_checksum_update(want, data, len);
	g_assert_cmpint(pipe(p), ==, 0);
	r.fd = p[0];
	sa.sa_handler = on_alarm;	/* no SA_RESTART: write sees EINTR */
	g_assert_cmpint(sigaction(SIGALRM, &sa, &old_sa), ==, 0);
	t = g_thread_new("reader", read_slowly, &r);
	g_assert_cmpint(setitimer(ITIMER_REAL, &tick, NULL), ==, 0);
	g_assert_true(safefile_write_all(p[1], data, len));
	g_assert_cmpint(setitimer(ITIMER_REAL, &off, NULL), ==, 0);
	close(p[1]);
	g_thread_join(t);
	sigaction(SIGALRM, &old_sa, NULL);
	g_assert_cmpuint(r.got, ==, len);
	g_assert_cmpstr(g_checksum_get_string(r.sum), ==,
			g_checksum_get_string(want));
	close(p[0]);

	g_assert_true(safefile_write_all(-1, data, 0));	/* nothing to do */
	full = open("/dev/full", O_WRONLY | O_CLOEXEC);
	if (full >= 0) {
		errno = 0;
		g_assert_false(safefile_write_all(full, data, 10));
		g_assert_cmpint(errno, ==, ENOSPC);
		close(full);
	}
	g_assert_cmpint(pipe(p), ==, 0);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	errno = 0;
	g_assert_false(safefile_write_all(p[1], data, 10));
	g_assert_cmpint(errno, ==, EPIPE);
	close(p[1]);
	g_checksum_free(want);
	g_checksum_free(r.sum);
	g_free(data);
}

/* safefile_wbuf: small puts reach the file whole and in order, and in
 * whole buffers until the flush (what the spool file and the JPEG
 * scrubber rely on for few, page-sized writes); a failed write sticks
 * until a reset, with write's errno. */
static void
test_wbuf(void)
{
	char *dir = g_dir_make_tmp("tipline-wbuf-XXXXXX", NULL);
	char *path = g_build_filename(dir, "out", NULL);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	GChecksum *want = g_checksum_new(G_CHECKSUM_SHA256);
	guint8 piece[4113];
	safefile_wbuf w;
	gsize total = 0;
	struct stat sb;
	char *got = NULL;
	gsize got_len = 0;
	int full;

	g_assert_cmpint(fd, >=, 0);
	safefile_wbuf_init(&w, fd);
	for (int i = 0; total < 3 * SAFEFILE_WBUF_SIZE / 2; i++) {
		gsize n = 1 + (gsize)(i * 977) % sizeof piece;

		for (gsize k = 0; k < n; k++)
			piece[k] = (guint8)(total + k);
		g_assert_true(safefile_wbuf_put(&w, piece, n));
		g_checksum_update(want, piece, n);
		total += n;
	}
	/* before the flush: one whole buffer written, the rest held */
	g_assert_cmpint(fstat(fd, &sb), ==, 0);
	g_assert_cmpint(sb.st_size, ==, SAFEFILE_WBUF_SIZE);
	g_assert_cmpuint(w.used, ==, total - SAFEFILE_WBUF_SIZE);
	g_assert_true(safefile_wbuf_flush(&w));
	close(fd);
	g_assert_true(g_file_get_contents(path, &got, &got_len, NULL));
	g_assert_cmpuint(got_len, ==, total);
	{
		GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);

		g_checksum_update(sum, (const guint8 *)got, got_len);
		g_assert_cmpstr(g_checksum_get_string(sum), ==,
				g_checksum_get_string(want));
		g_checksum_free(sum);
	}

	full = open("/dev/full", O_WRONLY | O_CLOEXEC);
	if (full >= 0) {
		safefile_wbuf_reset(&w, full);
		g_assert_true(safefile_wbuf_put(&w, piece, 10));   /* held */
		g_assert_false(safefile_wbuf_flush(&w));
		g_assert_cmpint(w.err, ==, ENOSPC);
		g_assert_false(safefile_wbuf_put(&w, piece, 1));   /* sticks */
		g_assert_cmpint(errno, ==, ENOSPC);
		safefile_wbuf_reset(&w, -1);
		g_assert_true(safefile_wbuf_flush(&w));	/* nothing held */
		close(full);
	}
	safefile_wbuf_free(&w);
	g_assert_null(w.buf);
	g_unlink(path);
	g_rmdir(dir);
	g_free(got);
	g_free(path);
	g_free(dir);
	g_checksum_free(want);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/safename/devices", test_devices);
	g_test_add_func("/safename/lookalikes", test_lookalikes);
	g_test_add_func("/safename/invisible", test_invisible);
	g_test_add_func("/safename/case-clash", test_case_clash);
	g_test_add_func("/safefile/open", test_safefile);
	g_test_add_func("/safefile/nolinks", test_nolinks);
	g_test_add_func("/safefile/write-all", test_write_all);
	g_test_add_func("/safefile/wbuf", test_wbuf);
	g_test_add_func("/spool/pool", test_spool_pool);
	g_test_add_func("/spool/pool-emfile", test_spool_pool_emfile);
	g_test_add_func("/spool/pool-idle", test_spool_pool_idle);
	g_test_add_func("/nodump/secret", test_nodump);
	return g_test_run();
}
