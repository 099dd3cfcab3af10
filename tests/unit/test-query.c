/* test-query.c - the search box's syntax (src/query.h): what each input
 * means (query_describe) and the FTS5 expressions it becomes, as a table.
 * Every input must give an expression FTS5 accepts; 41-desk-search.t and
 * 70-search-words.t run them against a database. */
#include <string.h>

#include <glib.h>

#include "query.h"

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
test_proximity(void)
{
	query *q = query_parse("đà nẵng (cháy OR ngập) \"kho hàng\" -x");
	char *t = NULL, *n = NULL;

	/* Only single-term groups, in the order typed. */
	g_assert_true(query_fts_proximity(q, TRUE, 8, &t, &n));
	g_assert_cmpstr(t, ==, "\"dà nẵng kho hàng\"");
	g_assert_cmpstr(n, ==, "NEAR(\"dà\" \"nẵng\" \"kho hàng\", 8)");
	g_free(t);
	g_free(n);
	query_free(q);
	q = query_parse("nguoi -x");
	g_assert_false(query_fts_proximity(q, TRUE, 8, &t, &n));
	g_assert_null(t);
	g_assert_null(n);
	query_free(q);
	q = query_parse("a OR b c");
	g_assert_false(query_fts_proximity(q, TRUE, 8, &t, &n));
	query_free(q);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/query/table", test_table);
	g_test_add_func("/query/exact-form", test_exact_form);
	g_test_add_func("/query/proximity", test_proximity);
	return g_test_run();
}
