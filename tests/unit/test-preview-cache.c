/* test-preview-cache.c - preview_get (lib/app) and the preview cache
 * (lib/store store-preview): a preview is made once and then read from
 * the store; of two makers of the same preview only the first stores
 * (the other's INSERT OR IGNORE leaves it); a dangerous file and a text
 * file never reach the worker and nothing is kept for them; a missing
 * worker caches nothing.  tests/149-preview-cache-unit.t imports the
 * message into $PREVIEW_DB (#1: 0 portrait.jpg, 1 photo.jpg.scr (JPEG
 * bytes, dangerous), 2 note.txt) and sets $PREVIEW_WORKER. */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "app.h"
#include "preview.h"

static const char *db_path, *worker;

static store *open_db(void)
{
	store *st = NULL;
	char *err = NULL;

	g_assert_cmpint(store_open(db_path, NULL, STORE_READWRITE,
				    5000, &st, &err),
			==, TL_OK);
	g_assert_null(err);
	return st;
}

static store_preview *get(store *st, gint64 idx, unsigned size,
			  const char *w, tl_status want)
{
	preview_options o = { .worker = w };
	store_preview *p = NULL;
	char *err = NULL;

	g_assert_cmpint(preview_get(st, 1, idx, size, &o, NULL, &p, &err), ==,
			want);
	if (want != TL_OK) {
		g_assert_null(p);
		g_assert_nonnull(err);
	}
	g_free(err);
	return p;
}

static store_preview_state cached(store *st, gint64 idx, unsigned size)
{
	store_preview *p = NULL;
	store_preview_state s;

	g_assert_cmpint(store_preview_load(st, 1, idx, size, PREVIEW_VERSION,
					   &p), ==, TL_OK);
	s = p->state;
	store_preview_free(p);
	return s;
}

/* A and B want the same preview; B makes it while A's own attempt is
 * under way; A's result is not stored over B's and A then reads B's. */
static void test_race(void)
{
	store *a = open_db(), *b = open_db();
	store_preview *pa = NULL, *pb, *again;
	gboolean stored = TRUE;
	gint64 t0, t1, t2;

	g_assert_cmpint(store_preview_load(a, 1, 0, 480, PREVIEW_VERSION,
					   &pa), ==, TL_OK);
	g_assert_cmpint(pa->state, ==, STORE_PREVIEW_MISSING);
	g_assert_cmpstr(pa->format, ==, "JPEG");
	t0 = g_get_monotonic_time();
	pb = get(b, 0, 480, worker, TL_OK);
	t1 = g_get_monotonic_time();
	g_assert_cmpint(pb->state, ==, STORE_PREVIEW_OK);
	g_assert_true(pb->made_now);
	pa->state = STORE_PREVIEW_OK;
	pa->jpeg = g_bytes_new_static("not B's", 7);
	g_assert_cmpint(store_preview_put(a, pa, 480, PREVIEW_VERSION,
					  &stored), ==, TL_OK);
	g_assert_false(stored);
	t2 = g_get_monotonic_time();
	again = get(a, 0, 480, worker, TL_OK);
	printf("# made by the worker: %.1f ms; from the cache: %.3f ms\n",
	       (t1 - t0) / 1000.0, (g_get_monotonic_time() - t2) / 1000.0);
	g_assert_false(again->made_now);
	g_assert_true(g_bytes_equal(again->jpeg, pb->jpeg));
	store_preview_free(again);
	store_preview_free(pa);
	store_preview_free(pb);
	store_close(a);
	store_close(b);
}

static void test_refused(void)
{
	store *st = open_db();
	store_preview *p = get(st, 1, 480, worker, TL_OK);

	g_assert_cmpint(p->state, ==, STORE_PREVIEW_NONE);
	g_assert_true(g_str_has_prefix(p->reason, "dangerous file: "));
	g_assert_false(p->made_now);
	g_assert_cmpint(cached(st, 1, 480), ==, STORE_PREVIEW_MISSING);
	store_preview_free(p);
	p = get(st, 2, 480, worker, TL_OK);
	g_assert_cmpint(p->state, ==, STORE_PREVIEW_NONE);
	g_assert_cmpstr(p->reason, ==, "not a photo or clip tipline previews "
			"(application/octet-stream)");
	g_assert_cmpint(cached(st, 2, 480), ==, STORE_PREVIEW_MISSING);
	store_preview_free(p);
	g_assert_null(get(st, 9, 480, worker, TL_DATA));
	store_close(st);
}

/* A worker that cannot run is the installation's fault, not the file's:
 * nothing is cached, so a fixed installation makes the preview. */
static void test_missing_worker(void)
{
	store *st = open_db();
	store_preview *p;

	g_assert_null(get(st, 0, 100, "/nonexistent/tipline-preview",
			  TL_SOFTWARE));
	g_assert_cmpint(cached(st, 0, 100), ==, STORE_PREVIEW_MISSING);
	p = get(st, 0, 100, worker, TL_OK);
	g_assert_true(p->made_now);
	g_assert_cmpint(cached(st, 0, 100), ==, STORE_PREVIEW_OK);
	store_preview_free(p);
	store_close(st);
}

/* The attachment vanished (purged, reparsed) while the worker ran. */
static void test_gone(void)
{
	store *st = open_db();
	store_preview p = { .submission_id = 1, .index = 0,
			    .attachment_id = 999999,
			    .state = STORE_PREVIEW_NONE, .reason = "x" };
	gboolean stored = TRUE;

	g_assert_cmpint(store_preview_put(st, &p, 480, PREVIEW_VERSION,
					  &stored), ==, TL_DATA);
	g_assert_false(stored);
	store_close(st);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	db_path = g_getenv("PREVIEW_DB");
	worker = g_getenv("PREVIEW_WORKER");
	if (db_path == NULL || worker == NULL) {
		printf("1..0 # SKIP PREVIEW_DB and PREVIEW_WORKER unset (run "
		       "tests/149-preview-cache-unit.t)\n");
		return 0;
	}
	g_test_add_func("/preview-cache/race", test_race);
	g_test_add_func("/preview-cache/refused", test_refused);
	g_test_add_func("/preview-cache/missing-worker", test_missing_worker);
	g_test_add_func("/preview-cache/gone", test_gone);
	return g_test_run();
}
