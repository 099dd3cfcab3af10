/* test-preview.c - preview_run_fd/preview_run_bytes, the client of the
 * preview worker: a picture gives a JPEG; a refusal, a crash, a kill in
 * the middle of decoding, a stall and a missing worker each give "no
 * preview" with a reason, and the caller goes on working.  The inputs
 * are made by tests/preview-fixtures.sh in $PREVIEW_FIXTURES; the worker
 * is $PREVIEW_WORKER (tests/133-preview-client.t sets both). */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "app.h"

static const char *fixtures, *worker;

static GBytes *fixture(const char *name)
{
	char *path = g_build_filename(fixtures, name, NULL);
	char *data = NULL;
	gsize len = 0;

	g_assert_true(g_file_get_contents(path, &data, &len, NULL));
	g_free(path);
	return g_bytes_new_take(data, len);
}

static gboolean is_jpeg(GBytes *b)
{
	gsize len = 0;
	const guint8 *p = g_bytes_get_data(b, &len);

	return len > 100 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff &&
	       p[len - 2] == 0xff && p[len - 1] == 0xd9;
}

static tl_status run(const preview_options *o, preview_kind kind,
		     const char *name, GBytes **out, char **reason)
{
	GBytes *in = fixture(name);
	tl_status st = preview_run_bytes(o, kind, in, out, reason);

	g_bytes_unref(in);
	return st;
}

static void test_photo(void)
{
	preview_options o = { .worker = worker };
	GBytes *out = NULL;
	char *reason = NULL;

	g_assert_cmpint(run(&o, PREVIEW_KIND_IMAGE, "portrait.jpg", &out,
			    &reason), ==, TL_OK);
	g_assert_null(reason);
	g_assert_true(is_jpeg(out));
	g_bytes_unref(out);
}

static void test_clip_fd(void)
{
	preview_options o = { .worker = worker };
	char *path = g_build_filename(fixtures, "clip.mp4", NULL);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	GBytes *out = NULL;
	char *reason = NULL;

	g_assert_cmpint(fd, >=, 0);
	/* The worker maps the whole file whatever the offset. */
	g_assert_cmpint(lseek(fd, 100, SEEK_SET), ==, 100);
	g_assert_cmpint(preview_run_fd(&o, PREVIEW_KIND_VIDEO, fd, &out,
				       &reason), ==, TL_OK);
	g_assert_true(is_jpeg(out));
	g_bytes_unref(out);
	close(fd);
	g_free(path);
}

static void test_refused(void)
{
	preview_options o = { .worker = worker };
	GBytes *out = NULL;
	char *reason = NULL;

	g_assert_cmpint(run(&o, PREVIEW_KIND_IMAGE, "big.png", &out,
			    &reason), ==, TL_DATA);
	g_assert_null(out);
	g_assert_cmpstr(reason, ==, "30000x30000 pixels is over the limit "
			"of 120000000");
	g_free(reason);
	g_assert_cmpint(run(&o, PREVIEW_KIND_IMAGE, "notes.txt", &out,
			    &reason), ==, TL_DATA);
	g_assert_cmpstr(reason, ==, "not a JPEG, PNG, WebP or HEIC image");
	g_free(reason);
}

/* Kill the worker once it has spent 0.2 s of CPU time on its input (a
 * 900 Mpx PNG it is allowed to decode here, which takes seconds). */
static gpointer killer(gpointer data)
{
	GPid pid = GPOINTER_TO_INT(data);
	char *path = g_strdup_printf("/proc/%d/stat", (int)pid);
	long tick = sysconf(_SC_CLK_TCK);
	gpointer killed = GINT_TO_POINTER(0);

	for (int i = 0; i < 60000; i++) {
		char *stat = NULL, *p;
		unsigned long ut = 0, stt = 0;
		char state = 'Z';

		if (!g_file_get_contents(path, &stat, NULL, NULL))
			break;
		p = strrchr(stat, ')');
		if (p != NULL)
			sscanf(p + 2, "%c %*d %*d %*d %*d %*d %*u %*u %*u "
			       "%*u %*u %lu %lu", &state, &ut, &stt);
		g_free(stat);
		if (state == 'Z')
			break;
		if ((long)(ut + stt) * 5 >= tick) {
			kill(pid, SIGKILL);
			killed = GINT_TO_POINTER(1);
			break;
		}
		g_usleep(1000);
	}
	g_free(path);
	return killed;
}

static void started(GPid pid, gpointer data)
{
	*(GThread **)data = g_thread_new("killer", killer,
					 GINT_TO_POINTER(pid));
}

static void test_killed(void)
{
	GThread *t = NULL;
	preview_options o = {
		.worker = worker, .max_pixels = 1000000000ULL,
		.started = started, .started_data = &t,
	};
	GBytes *out = NULL;
	char *reason = NULL;

	g_assert_cmpint(run(&o, PREVIEW_KIND_IMAGE, "big.png", &out,
			    &reason), ==, TL_DATA);
	g_assert_nonnull(t);
	g_assert_true(GPOINTER_TO_INT(g_thread_join(t)) == 1);
	g_assert_null(out);
	g_assert_cmpstr(reason, ==, "the preview worker was killed by "
			"signal 9 (Killed)");
	g_free(reason);
	/* The caller is unharmed and the next preview works. */
	test_photo();
}

static void test_stall(void)
{
	char *sleeper = g_build_filename(fixtures, "sleeper.sh", NULL);
	preview_options o = { .worker = sleeper, .timeout_ms = 300 };
	GBytes *out = NULL;
	char *reason = NULL;

	g_assert_cmpint(run(&o, PREVIEW_KIND_IMAGE, "portrait.jpg", &out,
			    &reason), ==, TL_DATA);
	g_assert_cmpstr(reason, ==, "the preview worker took more than "
			"300 ms and was stopped");
	g_free(reason);
	g_free(sleeper);
}

static void test_crash(void)
{
	char *suicide = g_build_filename(fixtures, "suicide.sh", NULL);
	preview_options o = { .worker = suicide };
	GBytes *out = NULL;
	char *reason = NULL;

	g_assert_cmpint(run(&o, PREVIEW_KIND_IMAGE, "portrait.jpg", &out,
			    &reason), ==, TL_DATA);
	g_assert_cmpstr(reason, ==, "the preview worker was killed by "
			"signal 9 (Killed)");
	g_free(reason);
	g_free(suicide);
}

static void test_missing(void)
{
	preview_options o = { .worker = "/nonexistent/tipline-preview" };
	GBytes *out = NULL;
	char *exe, *dir, *want, *reason = NULL;

	g_assert_cmpint(run(&o, PREVIEW_KIND_IMAGE, "portrait.jpg", &out,
			    &reason), ==, TL_SOFTWARE);
	g_assert_cmpstr(reason, ==, "cannot run /nonexistent/tipline-preview:"
			" No such file or directory");
	g_free(reason);
	/* No path: beside the running program (here build/tests/). */
	g_assert_cmpint(run(NULL, PREVIEW_KIND_IMAGE, "portrait.jpg", &out,
			    &reason), ==, TL_SOFTWARE);
	exe = g_file_read_link("/proc/self/exe", NULL);
	dir = g_path_get_dirname(exe);
	want = g_strdup_printf("cannot run %s/tipline-preview: No such file "
			       "or directory", dir);
	g_assert_cmpstr(reason, ==, want);
	g_free(want);
	g_free(dir);
	g_free(exe);
	g_free(reason);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	fixtures = g_getenv("PREVIEW_FIXTURES");
	worker = g_getenv("PREVIEW_WORKER");
	if (fixtures == NULL || worker == NULL) {
		printf("1..0 # SKIP PREVIEW_FIXTURES and PREVIEW_WORKER "
		       "unset (run tests/133-preview-client.t)\n");
		return 0;
	}
	g_test_add_func("/preview/photo", test_photo);
	g_test_add_func("/preview/clip-fd", test_clip_fd);
	g_test_add_func("/preview/refused", test_refused);
	g_test_add_func("/preview/killed-mid-decode", test_killed);
	g_test_add_func("/preview/stall", test_stall);
	g_test_add_func("/preview/crash", test_crash);
	g_test_add_func("/preview/missing", test_missing);
	return g_test_run();
}
