/* test-serve-range.c - serve_range_parse (serve/range.c), the Range
 * header of the clip route (RFC 9110 section 14).  serve/ is an
 * executable of its own, not in libtipline.a: its pure file is compiled
 * in here. */
#include <glib.h>

#include "../../serve/range.c"

typedef struct {
	const char *header;
	guint64 size;
	serve_range want;
	guint64 start, len;
} range_case;

static const range_case cases[] = {
	{ NULL, 5000, SERVE_RANGE_NONE, 0, 5000 },
	{ "bytes=0-1023", 5000, SERVE_RANGE_OK, 0, 1024 },
	{ "bytes=-500", 5000, SERVE_RANGE_OK, 4500, 500 },
	{ "bytes=-9000", 5000, SERVE_RANGE_OK, 0, 5000 },
	{ "bytes=1000-", 5000, SERVE_RANGE_OK, 1000, 4000 },
	{ "bytes=4000-99999", 5000, SERVE_RANGE_OK, 4000, 1000 },
	{ "bytes=4999-4999", 5000, SERVE_RANGE_OK, 4999, 1 },
	{ "BYTES=10-19", 5000, SERVE_RANGE_OK, 10, 10 },
	{ "bytes=5000-", 5000, SERVE_RANGE_UNSATISFIABLE, 0, 5000 },
	{ "bytes=9000-9999", 5000, SERVE_RANGE_UNSATISFIABLE, 0, 5000 },
	{ "bytes=-0", 5000, SERVE_RANGE_UNSATISFIABLE, 0, 5000 },
	{ "bytes=0-", 0, SERVE_RANGE_UNSATISFIABLE, 0, 0 },
	/* Ignored: the whole is sent (RFC 9110 14.2). */
	{ "bytes=20-10", 5000, SERVE_RANGE_NONE, 0, 5000 },
	{ "bytes=0-1,5-9", 5000, SERVE_RANGE_NONE, 0, 5000 },
	{ "bytes=-", 5000, SERVE_RANGE_NONE, 0, 5000 },
	{ "items=0-9", 5000, SERVE_RANGE_NONE, 0, 5000 },
	{ "bytes=a-9", 5000, SERVE_RANGE_NONE, 0, 5000 },
	{ "bytes=99999999999999999999-", 5000, SERVE_RANGE_NONE, 0, 5000 },
};

static void
test_cases(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		const range_case *c = &cases[i];
		guint64 start = 77, len = 77;
		serve_range got = serve_range_parse(c->header, c->size,
						    &start, &len);

		g_test_message("%s of %" G_GUINT64_FORMAT,
			       c->header ? c->header : "(none)", c->size);
		g_assert_cmpint(got, ==, c->want);
		if (got == SERVE_RANGE_OK || got == SERVE_RANGE_NONE) {
			g_assert_cmpuint(start, ==, c->start);
			g_assert_cmpuint(len, ==, c->len);
		}
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/serve/range", test_cases);
	return g_test_run();
}
