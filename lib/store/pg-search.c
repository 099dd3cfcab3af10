/* pg-search.c - full-text search on the PostgreSQL backend (see
 * pg-search-priv.h; the SQLite version is desk_search in desk.c). */
#include <stdlib.h>
#include <string.h>

#include "desk-rank-priv.h"
#include "pg-desk-priv.h"
#include "pg-search-priv.h"
#include "query-priv.h"

/* Search looks everywhere but at bounces (desk.c). */
static const queue_status search_default[] = {
	QUEUE_NEW, QUEUE_APPROVED, QUEUE_REJECTED, QUEUE_SPAM,
	QUEUE_AUTO_REPLY, QUEUE_QUARANTINED, QUEUE_TOO_LARGE, QUEUE_INVALID
};

/* As desk.c: words at most this many tokens apart are "close". */
#define SEARCH_NEAR 8
/* desk.c's bm25 weights (subject 4, sender 2, text 1, extras 1) as
 * ts_rank_cd's {D, C, B, A}; 1: divided by 1 + log(length), as bm25
 * favours the shorter document. */
#define RANK "ts_rank_cd('{0.25, 0.25, 0.5, 1.0}', s.search_folded, "

/* Append S to OUT as an element of a PostgreSQL array literal. */
static void
array_elem(GString *out, const char *s)
{
	if (out->len > 1)
		g_string_append_c(out, ',');
	g_string_append_c(out, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			g_string_append_c(out, '\\');
		g_string_append_c(out, *s);
	}
	g_string_append_c(out, '"');
}

/* Every term of Q as a text[] literal: the groups' terms in order, then
 * the excluded ones (the numbering of term_add). */
static char *
terms_array(const query *q)
{
	GString *a = g_string_new("{");

	for (guint i = 0; i < q->groups->len; i++) {
		GPtrArray *g = q->groups->pdata[i];

		for (guint j = 0; j < g->len; j++)
			array_elem(a, ((query_term *)g->pdata[j])->text);
	}
	for (guint i = 0; i < q->excluded->len; i++)
		array_elem(a, ((query_term *)q->excluded->pdata[i])->text);
	g_string_append_c(a, '}');
	return g_string_free(a, FALSE);
}

/* Term N (1-based in terms_array, which is $1) as a tsquery of CFG. */
static void
term_add(GString *sql, const char *cfg, guint n)
{
	g_string_append_printf(sql, "phraseto_tsquery('%s', tl_search_words("
			       "($1::text[])[%u]))", cfg, n);
}

/* Q as a tsquery of CFG: the groups ANDed, each an OR of its terms; with
 * EXCLUDE, and none of the excluded terms. */
static void
tsquery_add(GString *sql, const query *q, const char *cfg, gboolean exclude)
{
	guint n = 1;

	g_string_append_c(sql, '(');
	for (guint i = 0; i < q->groups->len; i++) {
		GPtrArray *g = q->groups->pdata[i];

		g_string_append(sql, i > 0 ? " && (" : "(");
		for (guint j = 0; j < g->len; j++) {
			if (j > 0)
				g_string_append(sql, " || ");
			term_add(sql, cfg, n++);
		}
		g_string_append_c(sql, ')');
	}
	if (exclude && q->excluded->len > 0) {
		g_string_append(sql, " && !!(");
		for (guint i = 0; i < q->excluded->len; i++) {
			if (i > 0)
				g_string_append(sql, " || ");
			term_add(sql, cfg, n++);
		}
		g_string_append_c(sql, ')');
	}
	g_string_append_c(sql, ')');
}

/* ---- proximity (relevance order) ---- */

/* The single-term groups' terms (query_near_phrases) as lexemes: their
 * number in *k, each one's lexemes in order in PHRASES[j] (g_strfreev),
 * and all of them as a text[] literal in *all. */
typedef struct {
	int k;
	char **phrases[32];
	int sizes[32];
	char *all;
} near_words;

static void
near_free(near_words *w)
{
	for (int j = 0; j < w->k; j++)
		g_strfreev(w->phrases[j]);
	g_free(w->all);
	w->k = 0;
	w->all = NULL;
}

static const char lexemes_sql[] =
	"SELECT t.ord, string_agg(u.lexeme, ' ' ORDER BY p.pos) FROM "
	"unnest($1::text[]) WITH ORDINALITY AS t(w, ord) CROSS JOIN LATERAL "
	"unnest(to_tsvector('tl_folded', tl_search_words(t.w))) u CROSS "
	"JOIN LATERAL unnest(u.positions) p(pos) GROUP BY t.ord "
	"ORDER BY t.ord";

/* Fill W for Q (W->k stays 0 when fewer than two terms rank by
 * closeness). */
static tl_status
near_load(store *st, const query *q, near_words *w, char **errmsg)
{
	GString *terms = g_string_new("{"), *all = g_string_new("{");
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	int k = 0;
	tl_status rc = TL_OK;

	memset(w, 0, sizeof *w);
	for (guint i = 0; i < q->groups->len && k < 32; i++) {
		GPtrArray *g = q->groups->pdata[i];

		if (g->len == 1) {
			array_elem(terms, ((query_term *)g->pdata[0])->text);
			k++;
		}
	}
	g_string_append_c(terms, '}');
	if (k < 2)
		goto out;
	pg_p_text(&p, terms->str);
	if ((rc = pg_run(store_pg(st), "search", lexemes_sql, &p, &res)) !=
	    TL_OK) {
		*errmsg = g_strdup(store_errmsg(st));
		goto out;
	}
	/* A term without a lexeme (none: query.c keeps only terms with a
	 * letter or digit) would leave a hole; then nothing is close. */
	if (PQntuples(res) != k)
		goto out;
	for (int j = 0; j < k; j++) {
		w->phrases[j] = g_strsplit(pg_text(res, j, 1), " ", -1);
		w->sizes[j] = (int)g_strv_length(w->phrases[j]);
		for (int i = 0; i < w->sizes[j]; i++)
			array_elem(all, w->phrases[j][i]);
	}
	w->k = k;
	g_string_append_c(all, '}');
	w->all = g_string_free(all, FALSE);
	all = NULL;
out:
	PQclear(res);
	pg_params_clear(&p);
	g_string_free(terms, TRUE);
	if (all != NULL)
		g_string_free(all, TRUE);
	return rc;
}

/* One lexeme's places in a row: positions and weights, in order. */
typedef struct {
	char *lexeme;
	GArray *pos;		/* int */
	GArray *weight;		/* char */
} lex_places;

static void
places_free(gpointer p)
{
	lex_places *l = p;

	g_free(l->lexeme);
	g_array_unref(l->pos);
	g_array_unref(l->weight);
	g_free(l);
}

/* Parse "lexeme POS,POS W,W" lines (the positions column) into a table
 * lexeme -> lex_places. */
static GHashTable *
places_parse(const char *text)
{
	GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
					      places_free);
	char **lines = g_strsplit(text != NULL ? text : "", "\n", -1);

	for (int i = 0; lines[i] != NULL; i++) {
		char **f = g_strsplit(lines[i], " ", 3);
		lex_places *l;
		char **pos, **wt;

		if (g_strv_length(f) != 3) {
			g_strfreev(f);
			continue;
		}
		l = g_new0(lex_places, 1);
		l->lexeme = g_strdup(f[0]);
		l->pos = g_array_new(FALSE, FALSE, sizeof(int));
		l->weight = g_array_new(FALSE, FALSE, sizeof(char));
		pos = g_strsplit(f[1], ",", -1);
		wt = g_strsplit(f[2], ",", -1);
		for (int j = 0; pos[j] != NULL && wt[j] != NULL; j++) {
			int v = atoi(pos[j]);

			g_array_append_val(l->pos, v);
			g_array_append_val(l->weight, wt[j][0]);
		}
		g_strfreev(pos);
		g_strfreev(wt);
		g_strfreev(f);
		g_hash_table_replace(t, l->lexeme, l);
	}
	g_strfreev(lines);
	return t;
}

/* Whether L has position POS with weight W. */
static gboolean
has_place(const lex_places *l, int pos, char w)
{
	for (guint i = 0; l != NULL && i < l->pos->len; i++)
		if (g_array_index(l->pos, int, i) == pos &&
		    g_array_index(l->weight, char, i) == w)
			return TRUE;
	return FALSE;
}

/* The proximity (desk_rank_proximity) of W's phrases in one row whose
 * lexeme places are TEXT. */
static int
row_proximity(const near_words *w, const char *text)
{
	GHashTable *t = places_parse(text);
	GArray *inst = g_array_new(FALSE, FALSE, sizeof(desk_rank_inst));
	int phrases[32], prox;

	for (int j = 0; j < w->k; j++) {
		const lex_places *first = g_hash_table_lookup(t,
		    w->phrases[j][0]);

		phrases[j] = j;
		for (guint i = 0; first != NULL && i < first->pos->len; i++) {
			int p0 = g_array_index(first->pos, int, i);
			char wt = g_array_index(first->weight, char, i);
			gboolean all = TRUE;
			desk_rank_inst in = { j, wt, p0 };

			for (int m = 1; all && m < w->sizes[j]; m++)
				all = has_place(g_hash_table_lookup(t,
				    w->phrases[j][m]), p0 + m, wt);
			if (all)
				g_array_append_val(inst, in);
		}
	}
	prox = desk_rank_proximity((desk_rank_inst *)(void *)inst->data,
				   (int)inst->len, phrases, w->sizes, w->k,
				   SEARCH_NEAR);
	g_array_unref(inst);
	g_hash_table_unref(t);
	return prox;
}

/* A row and its sort keys. */
typedef struct {
	desk_row *row;
	int prox;
	double rank;
} ranked;

static gint
ranked_cmp(gconstpointer a, gconstpointer b, gpointer reverse)
{
	const ranked *x = a, *y = b;
	int c;

	if (x->prox != y->prox)
		c = x->prox > y->prox ? -1 : 1;
	else if (x->row->exact != y->row->exact)
		c = x->row->exact ? -1 : 1;
	else if (x->rank != y->rank)
		c = x->rank > y->rank ? -1 : 1;
	else
		c = x->row->id > y->row->id ? -1 : x->row->id < y->row->id;
	return *(const gboolean *)reverse ? -c : c;
}

/* ---- the statements ---- */

/* Extra columns: exact, then (relevance) the rank and the places. */
typedef struct {
	double rank;
	char *places;
} row_keys;

static void
keys_free(gpointer p)
{
	row_keys *k = p;

	g_free(k->places);
	g_free(k);
}

/* DATA: NULL, or (relevance) a table desk_row * -> row_keys *. */
static void
search_extra(desk_row *row, const PGresult *res, int i, int col,
	     void *data)
{
	GHashTable *keys_by_row = data;

	row->exact = pg_int(res, i, col) != 0;
	if (keys_by_row != NULL) {
		row_keys *k = g_new0(row_keys, 1);

		k->rank = pg_double(res, i, col + 1);
		k->places = pg_dup(res, i, col + 2);
		g_hash_table_insert(keys_by_row, row, k);
	}
}

/* The newest id of the queue in *top (0 when empty), for the windows of
 * search_window(). */
static tl_status
search_top(store *st, gint64 *top, char **errmsg)
{
	PGresult *res = NULL;
	tl_status rc;

	*top = 0;
	if ((rc = pg_run(store_pg(st), "search", "SELECT coalesce(max(id), "
			 "0) FROM submission", NULL, &res)) != TL_OK) {
		*errmsg = g_strdup(store_errmsg(st));
		return rc;
	}
	*top = pg_int(res, 0, 0);
	PQclear(res);
	return TL_OK;
}

/* The lowest id of the window after *W (0 to start) among ids up to TOP,
 * for K candidates, FOUND the matches the last window held: the newest
 * 16 K ids first; then a window that should hold twice K if matches are
 * spread evenly over the ids (at least twice as wide), or 8 times wider
 * when the last held none; then the whole queue (0: no lower bound).
 * Each window runs the whole statement again, so a rare phrase should
 * not climb in small steps (three statements, 150 ms at a million, when
 * growing 8 times each time).  The newest K matches are
 * looked for among the newest ids first: PostgreSQL cannot read a GIN
 * index in id order, so "the newest 1,000 of 75,000 matches" alone reads
 * all 75,000 rows, while the match ANDed with a range of the primary key
 * (a BitmapAnd) reads only the rows of the window.  A window that holds
 * K matches holds the newest K. */
static gint64
search_window(gint64 k, gint64 top, gint64 *w, gint64 found)
{
	if (*w == 0)
		*w = k * 16;
	else if (found > 0)
		*w = MIN(top, MAX(*w * 2, *w / found * k * 2));
	else
		*w = *w < top / 8 ? *w * 8 : top;
	return *w >= top ? 0 : top - *w + 1;
}

/* The statement of a search for Q with filter F: the rows with their
 * exact flag; with W (relevance), the rank and the places of W's
 * lexemes too, of the newest desk_rank_candidates(F) matches only, from
 * id FROM on (search_window): ranking reads each row's two tsvectors,
 * about 30 us a row, so ranking all 800,000 matches of a common word
 * took seconds; sorted here. */
static void
search_sql(pg_sqlbuf *b, const query *q, const desk_filter *f,
	   const near_words *w, gint64 from)
{
	g_ptr_array_add(b->params, terms_array(q));	/* $1 */
	g_string_append(b->sql, "SELECT " PG_ROW_COLUMNS ", (SELECT count(*) "
			"FROM submission c WHERE c.parent_id = s.id), "
			"s.search_exact @@ ");
	tsquery_add(b->sql, q, "tl_exact", FALSE);
	if (w != NULL) {
		g_string_append(b->sql, ", " RANK);
		tsquery_add(b->sql, q, "tl_folded", TRUE);
		g_string_append(b->sql, ", 1), ");
		if (w->k >= 2) {
			/* The row's tsvector cut to W's lexemes before
			 * unnest: ts_delete of every other lexeme (those
			 * left when W's are deleted).  Unnesting all of
			 * it and filtering took about 40 us a row, most
			 * of a ranked search's SQL at a million. */
			g_string_append(b->sql, "(SELECT string_agg(u.lexeme "
			    "|| ' ' || array_to_string(u.positions, ',') || "
			    "' ' || array_to_string(u.weights, ','), E'\\n') "
			    "FROM unnest(ts_delete(s.search_folded, "
			    "tsvector_to_array(ts_delete(s.search_folded, ");
			pg_desk_param(b, g_strdup(w->all));
			g_string_append(b->sql, "::text[])))) u)");
		} else {
			g_string_append(b->sql, "NULL");
		}
	}
	g_string_append_printf(b->sql, " FROM submission s%s WHERE "
			       "s.search_folded @@ ", w == NULL ?
			       pg_desk_keys_join(f) : "");
	tsquery_add(b->sql, q, "tl_folded", TRUE);
	pg_desk_where(b, f, "s", search_default, FALSE);
	if (w == NULL)
		pg_desk_order(b, f);
	else if (desk_rank_candidates(f->limit, f->offset) > 0)
		g_string_append_printf(b->sql, " AND s.id >= %" G_GINT64_FORMAT
				       " ORDER BY s.id DESC LIMIT %"
				       G_GINT64_FORMAT, from,
				       desk_rank_candidates(f->limit,
							    f->offset));
}

/* Sort ROWS by relevance (KEYS: desk_row * -> row_keys *) and cut F's
 * page. */
static void
rows_rank(GPtrArray *rows, GHashTable *keys, const desk_filter *f,
	  const near_words *w)
{
	ranked *v = g_new(ranked, rows->len > 0 ? rows->len : 1);
	guint n = rows->len, from, to;
	gboolean reverse = f->reverse;

	for (guint i = 0; i < n; i++) {
		const row_keys *k = g_hash_table_lookup(keys, rows->pdata[i]);

		v[i].row = rows->pdata[i];
		v[i].rank = k->rank;
		v[i].prox = w->k >= 2 ? row_proximity(w, k->places) : 0;
	}
	g_qsort_with_data(v, (gint)n, sizeof *v, ranked_cmp, &reverse);
	/* The same rows in rank order; then the page is cut (the array
	 * frees what it drops). */
	for (guint i = 0; i < n; i++)
		rows->pdata[i] = v[i].row;
	from = f->offset > 0 ? (guint)MIN((guint64)f->offset, n) : 0;
	to = f->limit > 0 ? (guint)MIN((guint64)from + (guint64)f->limit,
				       n) : n;
	g_ptr_array_remove_range(rows, to, n - to);
	g_ptr_array_remove_range(rows, 0, from);
	g_free(v);
}

/* Free what a search statement and its rows left (for the next window);
 * each may be NULL. */
static void
search_clear(pg_sqlbuf *b, GHashTable **keys, GPtrArray **rows)
{
	if (b->params != NULL)
		g_ptr_array_unref(b->params);
	if (b->sql != NULL)
		g_string_free(b->sql, TRUE);
	b->params = NULL;
	b->sql = NULL;
	if (*keys != NULL)
		g_hash_table_unref(*keys);
	*keys = NULL;
	if (*rows != NULL)
		g_ptr_array_unref(*rows);
	*rows = NULL;
}

tl_status
pg_desk_search(store *st, const char *query_text, const desk_filter *f,
	       GPtrArray **rows, char **errmsg)
{
	pg_sqlbuf b = { NULL, NULL };
	near_words w = { 0 };
	GHashTable *keys = NULL;
	gboolean relevance = f->sort == DESK_SORT_RELEVANCE;
	gint64 k = desk_rank_candidates(f->limit, f->offset);
	gint64 from = 0, top = 0, window = 0;
	char *trimmed = g_strstrip(g_strdup(query_text != NULL ?
					    query_text : ""));
	query *q = NULL;
	tl_status rc;

	*rows = NULL;
	if (*trimmed == '\0') {
		g_free(trimmed);
		*errmsg = g_strdup("empty search query");
		return TL_USAGE;
	}
	q = query_parse(trimmed);
	g_free(trimmed);
	if (query_is_empty(q)) {
		/* Only punctuation or only exclusions (desk.c). */
		query_free(q);
		*rows = pg_desk_rows_new();
		return TL_OK;
	}
	if (relevance && ((rc = near_load(st, q, &w, errmsg)) != TL_OK ||
			  (k > 0 && (rc = search_top(st, &top, errmsg)) !=
			   TL_OK)))
		goto out;
	/* In relevance order, the newest K matches of the newest window
	 * that holds K of them (search_window): the first one almost
	 * always does, so the index is read once. */
	do {
		if (relevance && k > 0)
			from = search_window(k, top, &window, *rows != NULL ?
					     (gint64)(*rows)->len : 0);
		search_clear(&b, &keys, rows);
		b.sql = g_string_new(NULL);
		b.params = g_ptr_array_new_with_free_func(g_free);
		search_sql(&b, q, f, relevance ? &w : NULL, from);
		if (relevance)
			keys = g_hash_table_new_full(NULL, NULL, NULL,
						     keys_free);
		rc = pg_desk_rows(st, &b, search_extra, keys, rows, errmsg);
	} while (rc == TL_OK && relevance && k > 0 && from > 0 &&
		 (gint64)(*rows)->len < k);
	if (rc == TL_OK && relevance)
		rows_rank(*rows, keys, f, &w);
	/* The same marks as a list row: a result must warn wherever it
	 * shows. */
	if (rc == TL_OK && (rc = pg_desk_enrich(st, *rows, f->editor,
						errmsg)) != TL_OK) {
		g_ptr_array_unref(*rows);
		*rows = NULL;
	}
out:
	if (keys != NULL)
		g_hash_table_unref(keys);
	near_free(&w);
	if (b.params != NULL)
		g_ptr_array_unref(b.params);
	if (b.sql != NULL)
		g_string_free(b.sql, TRUE);
	query_free(q);
	return rc;
}
