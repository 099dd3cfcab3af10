/* test-query.c - the search box's syntax (src/query.h): what each input
 * means (query_describe) and the FTS5 expressions it becomes, as a table;
 * and how close its words stand in a result (desk-rank-priv.h).
 * Every input must give an expression FTS5 accepts; 41-desk-search.t and
 * 70-search-words.t run them against a database. */
#include <math.h>
#include <string.h>

#include <glib.h>
#include <sqlite3.h>

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

/* query_fts_phrase: the phrases in the order FTS5 numbers them in
 * query_fts's expression, groups first, then the excluded. */
static void
test_fts_phrase(void)
{
	query *q = query_parse("đà nẵng cháy OR ngập \"kho hàng\" -xe");
	const char *want[] = { "\"dà\"", "\"nẵng\"", "\"cháy\"", "\"ngập\"",
			       "\"kho hàng\"", "\"xe\"" };
	guint i;

	for (i = 0; i < G_N_ELEMENTS(want); i++) {
		char *f = query_fts_phrase(q, i, TRUE);

		g_assert_cmpstr(f, ==, want[i]);
		g_free(f);
	}
	g_assert_null(query_fts_phrase(q, i, TRUE));
	g_assert_null(query_fts_phrase(q, 1000, TRUE));
	query_free(q);
	q = query_parse("Đèn");
	{
		char *f = query_fts_phrase(q, 0, FALSE);

		g_assert_cmpstr(f, ==, "\"Đèn\"");
		g_free(f);
	}
	query_free(q);
}

/* desk_rank_idf and desk_rank_bm25, worked by hand from FTS5's formula
 * (k1 1.2, b 0.75). */
static void
test_bm25_formula(void)
{
	double idf[2] = { desk_rank_idf(100, 10), desk_rank_idf(100, 60) };
	double freq[2] = { 4.0, 1.0 }, want;

	g_assert_cmpfloat_with_epsilon(idf[0], log(90.5 / 10.5), 1e-12);
	/* In more than half the rows: next to nothing, never negative. */
	g_assert_cmpfloat(idf[1], ==, 1e-6);
	g_assert_cmpfloat(desk_rank_idf(10, 5), ==, 1e-6);
	want = -(idf[0] * 4.0 * 2.2 / (4.0 + 1.2 * (0.25 + 0.75 * 30.0 / 20.0))
		 + idf[1] * 1.0 * 2.2 / (1.0 + 1.2 * (0.25 + 0.75 * 1.5)));
	g_assert_cmpfloat_with_epsilon(desk_rank_bm25(freq, idf, 2, 30.0, 20.0),
				       want, 1e-12);
	g_assert_cmpfloat(desk_rank_bm25(freq, idf, 0, 30.0, 20.0), ==, 0.0);
}

static gint64
count_of(sqlite3 *db, const char *sql, const char *match)
{
	sqlite3_stmt *q = NULL;
	gint64 n;

	g_assert_cmpint(sqlite3_prepare_v2(db, sql, -1, &q, NULL), ==,
			SQLITE_OK);
	if (match != NULL)
		sqlite3_bind_text(q, 1, match, -1, SQLITE_STATIC);
	g_assert_cmpint(sqlite3_step(q), ==, SQLITE_ROW);
	n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

/* đ and Đ as d and D, as search_source folds them (schema.sql). */
static void
fold_dd(GString *s)
{
	for (gsize i = 0; i + 1 < s->len; i++)
		if ((guchar)s->str[i] == 0xc4 &&
		    ((guchar)s->str[i + 1] == 0x91 ||
		     (guchar)s->str[i + 1] == 0x90)) {
			s->str[i] = (guchar)s->str[i + 1] == 0x91 ? 'd' : 'D';
			g_string_erase(s, (gssize)i + 1, 1);
		}
}

/* tl_bm25 with every row counted is FTS5's bm25(), row by row and to
 * the last bit, for words, OR, phrases, NOT and a query of more words
 * than SQLite lets a function have arguments (127); with a window's
 * counts (ROWS > 0) the scores move.  The last bit matters: scores that
 * differ only there ordered tied rows the other way (common syllables
 * all weigh 1e-6).  Exact equality assumes tipline and the system's
 * SQLite evaluate the formula alike (x86-64: no fused multiply-add).
 * A table of its own with desk.c's tokenizer and weights, in memory. */
static void
test_bm25_fts5(void)
{
	static const char *const words[] = { "đường", "nước", "ngập",
		"cháy", "kho", "hàng", "Nẵng", "Đà", "mất", "điện", "xe",
		"cầu", "sông", "mưa", "bão", "chợ", "trường", "phố", "gió",
		"lũ", "đèn", "cây", "nhà", "dân", "trạm", "bến", "đê" };
	static const char *const inputs[] = { "ngập", "đà nẵng",
		"cháy OR ngập kho", "\"kho hàng\" mất", "điện -cháy",
		"nước đường OR điện -kho", NULL };
	char *many;
	sqlite3 *db = NULL;
	char *err = NULL;

	g_assert_cmpint(sqlite3_open(":memory:", &db), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING "
		"fts5(subject, sender, body, extra, tokenize = 'unicode61 "
		"remove_diacritics 2')", NULL, NULL, NULL), ==, SQLITE_OK);
	g_assert_cmpint(desk_rank_register(db, &err), ==, TL_OK);
	for (guint r = 0; r < 120; r++) {
		GString *col[4];
		char *sql;

		for (int c = 0; c < 4; c++) {
			col[c] = g_string_new(NULL);
			for (guint w = 0; w < 1 + (r * 7 + (guint)c * 3) % 6;
			     w++)
				g_string_append_printf(col[c], "%s ", words[
				    (r * 13 + w * w * 5 + (guint)c) %
				    G_N_ELEMENTS(words)]);
		}
		/* đ folded as search_source folds it (schema.sql). */
		/* A phrase for the quoted input, in a few rows. */
		if (r % 17 == 3)
			g_string_append(col[2], "cháy kho hàng mất điện");
		for (int c = 0; c < 4; c++)
			fold_dd(col[c]);
		sql = sqlite3_mprintf("INSERT INTO t VALUES (%Q, %Q, %Q, %Q)",
				      col[0]->str, col[1]->str, col[2]->str,
				      col[3]->str);
		g_assert_cmpint(sqlite3_exec(db, sql, NULL, NULL, NULL), ==,
				SQLITE_OK);
		sqlite3_free(sql);
		for (int c = 0; c < 4; c++)
			g_string_free(col[c], TRUE);
	}
	{
		/* 150 words: ngập, then the rest ORed with it. */
		GString *m = g_string_new("ngập");

		for (int w = 1; w < 150; w++)
			g_string_append_printf(m, " OR %s",
			    words[(guint)w % G_N_ELEMENTS(words)]);
		many = g_string_free(m, FALSE);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(inputs); i++) {
		query *q = query_parse(inputs[i] != NULL ? inputs[i] : many);
		char *match = query_fts(q, TRUE, TRUE), *phrase;
		GString *sql = g_string_new("SELECT bm25(t, 4.0, 2.0, 1.0, "
					    "1.0), tl_bm25(t, 4.0, 2.0, 1.0, "
					    "1.0, '0"), *win = g_string_new(
					    ", tl_bm25(t, 4.0, 2.0, 1.0, 1.0, "
					    "'50");
		gint64 rows = 0, wanted = 0, moved = 0;
		guint n;
		sqlite3_stmt *st = NULL;

		for (guint g = 0; g < q->groups->len; g++)
			wanted += ((GPtrArray *)q->groups->pdata[g])->len;
		for (n = 0; (phrase = query_fts_phrase(q, n, TRUE)) != NULL;
		     n++) {
			gint64 hits = count_of(db, "SELECT count(*) FROM t "
					       "WHERE t MATCH ?", phrase);

			g_string_append_printf(sql, " %" G_GINT64_FORMAT, hits);
			/* A window of 50 rows holding a third of them. */
			g_string_append_printf(win, " %" G_GINT64_FORMAT,
					       n < wanted ? hits / 3 : -1);
			g_free(phrase);
		}
		g_string_append_printf(sql, "')%s'), t.* FROM t WHERE t MATCH "
				       "?", win->str);
		g_assert_cmpint(sqlite3_prepare_v2(db, sql->str, -1, &st, NULL),
				==, SQLITE_OK);
		sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW) {
			double fts5 = sqlite3_column_double(st, 0);

			rows++;
			g_assert_cmpfloat(sqlite3_column_double(st, 1), ==,
					  fts5);
			/* The window's counts are used. */
			moved += fabs(sqlite3_column_double(st, 2) - fts5) >
				 1e-9;
		}
		if (g_test_verbose())
			g_printerr("%s: %u phrases, %" G_GINT64_FORMAT
				   " rows, %" G_GINT64_FORMAT " moved\n",
				   inputs[i] != NULL ? inputs[i] :
				   "(150 words)", n, rows, moved);
		g_assert_cmpint(rows, >, 0);
		g_assert_cmpint(moved, >, 0);
		sqlite3_finalize(st);
		g_string_free(sql, TRUE);
		g_string_free(win, TRUE);
		g_free(match);
		query_free(q);
	}
	g_free(many);
	sqlite3_close(db);
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
	g_test_add_func("/query/fts-phrase", test_fts_phrase);
	g_test_add_func("/rank/bm25-formula", test_bm25_formula);
	g_test_add_func("/rank/bm25-fts5", test_bm25_fts5);
	g_test_add_func("/rank/proximity", test_proximity);
	g_test_add_func("/rank/candidates", test_candidates);
	return g_test_run();
}
