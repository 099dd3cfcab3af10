/* test-query.c - the search box's syntax (src/query.h): what each input
 * means (query_describe) and the FTS5 expressions it becomes, as a table;
 * and how close its words stand in a result (desk-rank-priv.h).
 * Every input must give an expression FTS5 accepts; 41-desk-search.t and
 * 70-search-words.t run them against a database. */
#include <string.h>

#include <glib.h>

#include "desk-rank-priv.h"
#include "query-priv.h"

typedef struct {
	const char *input;
	const char *meaning;	/* query_describe ("" when empty) */
	const char *folded;	/* query_fts(fold, exclude); NULL: empty */
} parse_case;

static const parse_case cases[] = {
	/* All words, any order; đ folds only in the folded expression. */
	{ "tai nạn Hà Nội", "tai nạn Hà Nội",
	  "\"tai\" AND \"nạn\" AND \"Hà\" AND \"Nội\"" },
	{ "ngập Đà Nẵng", "ngập Đà Nẵng",
	  "\"ngập\" AND \"Dà\" AND \"Nẵng\"" },
	{ "  cay   tran\tphu ", "cay tran phu",
	  "\"cay\" AND \"tran\" AND \"phu\"" },
	/* Phrases, closed or not. */
	{ "\"Hà Nội\" ngập", "\"Hà Nội\" ngập",
	  "\"Hà Nội\" AND \"ngập\"" },
	{ "ngập \"đường Trần", "ngập \"đường Trần\"",
	  "\"ngập\" AND \"dường Trần\"" },
	{ "\"\" x", "x", "\"x\"" },
	/* Exclusions. */
	{ "cháy -chợ", "cháy -chợ", "(\"cháy\") NOT (\"chợ\")" },
	{ "cháy -\"quận 8\" -xe", "cháy -\"quận 8\" -xe",
	  "(\"cháy\") NOT (\"quận 8\" OR \"xe\")" },
	{ "-", "", NULL },
	{ "- a", "a", "\"a\"" },
	{ "a -", "a", "\"a\"" },
	{ "-x", "-x", NULL },
	{ "--x a", "a --x", "(\"a\") NOT (\"-x\")" },
	/* OR between two wanted terms; anywhere else the word "or". */
	{ "cháy OR hỏa hoạn", "(cháy | hỏa) hoạn",
	  "(\"cháy\" OR \"hỏa\") AND \"hoạn\"" },
	{ "a OR b OR \"c d\"", "(a | b | \"c d\")",
	  "(\"a\" OR \"b\" OR \"c d\")" },
	{ "OR a", "OR a", "\"OR\" AND \"a\"" },
	{ "a OR", "a OR", "\"a\" AND \"OR\"" },
	{ "OR", "OR", "\"OR\"" },
	{ "a OR OR b", "a (OR | b)", "\"a\" AND (\"OR\" OR \"b\")" },
	{ "a OR -b", "a OR -b", "(\"a\" AND \"OR\") NOT (\"b\")" },
	{ "-a OR b", "OR b -a", "(\"OR\" AND \"b\") NOT (\"a\")" },
	{ "a or b", "a or b", "\"a\" AND \"or\" AND \"b\"" },
	{ "a \"OR\" b", "a \"OR\" b", "\"a\" AND \"OR\" AND \"b\"" },
	/* FTS5's own syntax is text. */
	{ "NEAR(a b)", "NEAR(a b)", "\"NEAR(a\" AND \"b)\"" },
	{ "a AND b NOT c", "a AND b NOT c",
	  "\"a\" AND \"AND\" AND \"b\" AND \"NOT\" AND \"c\"" },
	{ "subject:x ^a đà*", "subject:x ^a đà*",
	  "\"subject:x\" AND \"^a\" AND \"dà*\"" },
	{ "x\"y", "x\"y", "\"x\"\"y\"" },
	{ "* ((( : \\ '", "", NULL },
	{ "", "", NULL },
	/* Invalid UTF-8 is repaired, NFD becomes NFC. */
	{ "a\xff" "b", "a\xef\xbf\xbd" "b", "\"a\xef\xbf\xbd" "b\"" },
	{ "Cha\xcc\x81y", "Cháy", "\"Cháy\"" },
};

static void
test_table(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		const parse_case *c = &cases[i];
		query *q = query_parse(c->input);
		char *m = query_describe(q);
		char *f = query_fts(q, TRUE, TRUE);

		if (g_test_verbose())
			g_printerr("[%s] -> [%s] [%s]\n", c->input, m,
				   f ? f : "(null)");
		g_assert_cmpstr(m, ==, c->meaning);
		g_assert_cmpstr(f, ==, c->folded);
		g_assert_cmpint(query_is_empty(q), ==, c->folded == NULL);
		g_free(m);
		g_free(f);
		query_free(q);
	}
}

static void
test_exact_form(void)
{
	query *q = query_parse("Đường -Đèn");
	char *f = query_fts(q, FALSE, TRUE);
	char *p = query_fts(q, FALSE, FALSE);

	/* The exact index keeps đ; exclusions can be left out. */
	g_assert_cmpstr(f, ==, "(\"Đường\") NOT (\"Đèn\")");
	g_assert_cmpstr(p, ==, "\"Đường\"");
	g_free(f);
	g_free(p);
	query_free(q);
}

static void
test_near_phrases(void)
{
	query *q = query_parse("đà nẵng cháy OR ngập \"kho hàng\" -x");
	int p[8];

	/* Phrases: 0 đà, 1 nẵng, 2 cháy, 3 ngập, 4 kho hàng, 5 x. */
	g_assert_cmpint(query_near_phrases(q, p, 8), ==, 3);
	g_assert_cmpint(p[0], ==, 0);
	g_assert_cmpint(p[1], ==, 1);
	g_assert_cmpint(p[2], ==, 4);
	g_assert_cmpint(query_near_phrases(q, p, 2), ==, 2);
	query_free(q);
	q = query_parse("nguoi -x");
	g_assert_cmpint(query_near_phrases(q, p, 8), ==, 1);
	query_free(q);
}

/* desk_rank_proximity: instances as FTS5 reports them. */
static void
test_proximity(void)
{
	/* "da nang" in column 0 at 3-4: together. */
	desk_rank_inst a[] = { { 1, 0, 4 }, { 0, 0, 3 }, { 0, 2, 0 } };
	/* "đã" at 2, "năng" at 20 in column 2; and across columns. */
	desk_rank_inst b[] = { { 0, 2, 2 }, { 1, 2, 20 }, { 1, 0, 3 } };
	/* In the wrong order, next to each other: near, not together. */
	desk_rank_inst c[] = { { 1, 1, 5 }, { 0, 1, 6 } };
	/* Three phrases, the middle one two tokens long: "cay" "tran phu"
	 * "lo": together at 7, 8-9, 10. */
	desk_rank_inst d[] = { { 2, 0, 10 }, { 0, 0, 7 }, { 1, 0, 8 },
			       { 0, 0, 1 } };
	int ph[] = { 0, 1, 2 }, one[] = { 1, 1, 1 }, mid[] = { 1, 2, 1 };

	g_assert_cmpint(desk_rank_proximity(a, 3, ph, one, 2, 8), ==, 2);
	g_assert_cmpint(desk_rank_proximity(b, 3, ph, one, 2, 8), ==, 0);
	g_assert_cmpint(desk_rank_proximity(b, 3, ph, one, 2, 17), ==, 1);
	g_assert_cmpint(desk_rank_proximity(b, 3, ph, one, 2, 16), ==, 0);
	g_assert_cmpint(desk_rank_proximity(c, 2, ph, one, 2, 8), ==, 1);
	g_assert_cmpint(desk_rank_proximity(d, 4, ph, mid, 3, 8), ==, 2);
	g_assert_cmpint(desk_rank_proximity(d, 4, ph, one, 3, 8), ==, 1);
	g_assert_cmpint(desk_rank_proximity(d, 3, ph, one, 3, 0), ==, 0);
	/* One phrase, or a phrase with no instance: nothing to compare. */
	g_assert_cmpint(desk_rank_proximity(a, 3, ph, one, 1, 8), ==, 0);
	g_assert_cmpint(desk_rank_proximity(c, 2, ph, one, 3, 8), ==, 0);
}

/* desk_rank_candidates: a first page ranks the newest thousand matches,
 * a page further on the multiple of a thousand that holds it, no limit
 * every match. */
static void
test_candidates(void)
{
	g_assert_cmpint(desk_rank_candidates(50, 0), ==, DESK_RANK_CANDIDATES);
	g_assert_cmpint(DESK_RANK_CANDIDATES, ==, 1000);
	g_assert_cmpint(desk_rank_candidates(50, 950), ==, 1000);
	g_assert_cmpint(desk_rank_candidates(50, 951), ==, 2000);
	g_assert_cmpint(desk_rank_candidates(1, 0), ==, 1000);
	g_assert_cmpint(desk_rank_candidates(5000, 0), ==, 5000);
	g_assert_cmpint(desk_rank_candidates(0, 0), ==, 0);
	g_assert_cmpint(desk_rank_candidates(0, 100), ==, 0);
	g_assert_cmpint(desk_rank_candidates(G_MAXINT64, 1), ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/query/table", test_table);
	g_test_add_func("/query/exact-form", test_exact_form);
	g_test_add_func("/query/near-phrases", test_near_phrases);
	g_test_add_func("/rank/proximity", test_proximity);
	g_test_add_func("/rank/candidates", test_candidates);
	return g_test_run();
}
