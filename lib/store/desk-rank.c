/* desk-rank.c - the ranking of a search on SQLite: how close its words
 * stand, and bm25 with IDFs counted by the caller (see desk-rank-priv.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "desk-rank-priv.h"

/* The largest number of phrases looked at; more words than this rank by
 * their first MAX_PHRASES. */
#define MAX_PHRASES 32

/* An instance with its place J in the typed order. */
typedef struct {
	int col, off, j;
} placed;

static int
placed_cmp(const void *a, const void *b)
{
	const placed *x = a, *y = b;

	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->j < y->j ? -1 : x->j > y->j;
}

/* Whether the K phrases follow one another from P (an instance of the
 * first); V is sorted. */
static gboolean
together_from(const placed *v, int n, const placed *p, const int *sizes,
	      int k)
{
	placed want = { p->col, p->off, 0 };

	for (int j = 1; j < k; j++) {
		want.off += sizes[j - 1];
		want.j = j;
		if (bsearch(&want, v, (size_t)n, sizeof *v, placed_cmp) == NULL)
			return FALSE;
	}
	return TRUE;
}

/* Whether some window of one column holds all K phrases with at most
 * DISTANCE tokens between the end of its first instance and the start of
 * its last: the classic smallest-window sweep over V (sorted). */
static gboolean
near_in(const placed *v, int n, const int *sizes, int k, int distance)
{
	int count[MAX_PHRASES] = { 0 }, covered = 0, l = 0;

	for (int r = 0; r < n; r++) {
		if (r > 0 && v[r].col != v[r - 1].col) {
			memset(count, 0, sizeof count);
			covered = 0;
			l = r;
		}
		if (count[v[r].j]++ == 0)
			covered++;
		while (covered == k) {
			if (v[r].off - (v[l].off + sizes[v[l].j]) <= distance)
				return TRUE;
			if (--count[v[l].j] == 0)
				covered--;
			l++;
		}
	}
	return FALSE;
}

int
desk_rank_proximity(const desk_rank_inst *inst, int n, const int *phrases,
		    const int *sizes, int k, int distance)
{
	placed *v;
	int m = 0, result = 0;

	if (k < 2 || n < k)
		return 0;
	if (k > MAX_PHRASES)
		k = MAX_PHRASES;
	v = g_new(placed, n);
	for (int i = 0; i < n; i++)
		for (int j = 0; j < k; j++)
			if (inst[i].phrase == phrases[j]) {
				v[m].col = inst[i].col;
				v[m].off = inst[i].off;
				v[m++].j = j;
				break;
			}
	qsort(v, (size_t)m, sizeof *v, placed_cmp);
	for (int i = 0; i < m && result == 0; i++)
		if (v[i].j == 0 && together_from(v, m, &v[i], sizes, k))
			result = 2;
	if (result == 0 && near_in(v, m, sizes, k, distance))
		result = 1;
	g_free(v);
	return result;
}

/* tl_proximity(TABLE, DISTANCE, PHRASE...) for the current row. */
static void
sql_proximity(const Fts5ExtensionApi *api, Fts5Context *fts,
	      sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	int phrases[MAX_PHRASES], sizes[MAX_PHRASES];
	int k = 0, n = 0, rc, nphrases = api->xPhraseCount(fts);
	desk_rank_inst *inst = NULL;

	for (int i = 1; i < nval && k < MAX_PHRASES; i++) {
		int p = sqlite3_value_int(val[i]);

		if (p < 0 || p >= nphrases)
			continue;
		phrases[k] = p;
		sizes[k++] = api->xPhraseSize(fts, p);
	}
	if (nval < 1 || k < 2) {
		sqlite3_result_int(ctx, 0);
		return;
	}
	if ((rc = api->xInstCount(fts, &n)) != SQLITE_OK)
		goto fail;
	inst = g_new(desk_rank_inst, n > 0 ? n : 1);
	for (int i = 0; i < n; i++)
		if ((rc = api->xInst(fts, i, &inst[i].phrase, &inst[i].col,
				     &inst[i].off)) != SQLITE_OK)
			goto fail;
	sqlite3_result_int(ctx, desk_rank_proximity(inst, n, phrases,
	    sizes, k, sqlite3_value_int(val[0])));
	g_free(inst);
	return;
fail:
	g_free(inst);
	sqlite3_result_error_code(ctx, rc);
}

double
desk_rank_bm25(const double *freq, const double *idf, int n, double d,
	       double avgdl)
{
	const double k1 = 1.2, b = 0.75;
	double score = 0.0;

	/* Bracketed as fts5_aux.c is, operation for operation: another
	 * order moves the last bit, and rows whose scores tie but for it
	 * (common syllables all weigh 1e-6) came out swapped. */
	for (int i = 0; i < n; i++)
		score += idf[i] * ((freq[i] * (k1 + 1.0)) /
				   (freq[i] + k1 * (1 - b + b * d / avgdl)));
	return -1.0 * score;
}

double
desk_rank_idf(gint64 rows, gint64 hits)
{
	double idf = log((rows - hits + 0.5) / (hits + 0.5));

	return idf <= 0.0 ? 1e-6 : idf;
}

/* What tl_bm25 keeps for its query (xSetAuxdata): the average row
 * length as FTS5's bm25() takes it (xRowCount, xColumnTotalSize), the
 * IDFs made from one COUNTS argument, and room for a row's phrase
 * frequencies (filled and used within one call).  Shared by every
 * tl_bm25 of the statement, so the IDFs are made again when another
 * one's COUNTS differ. */
typedef struct {
	double avgdl;
	sqlite3_int64 rows;
	char *counts;
	int nphrase;
	double *idf;
	double *freq;
} bm25_query;

static void
bm25_query_free(void *p)
{
	bm25_query *b = p;

	g_free(b->counts);
	g_free(b->idf);
	g_free(b->freq);
	g_free(b);
}

/* IDFs for the NPHRASE phrases from COUNTS, "ROWS HITS HITS...": ROWS 0
 * means the table's own (B->rows); a negative or missing HITS gives 0. */
static void
bm25_idf_parse(bm25_query *b, const char *counts)
{
	char *end = NULL;
	gint64 among = g_ascii_strtoll(counts, &end, 10);

	if (among <= 0)
		among = b->rows;
	for (int i = 0; i < b->nphrase; i++) {
		const char *p = end;
		gint64 hits = g_ascii_strtoll(p, &end, 10);

		b->idf[i] = end != p && hits >= 0 ?
			    desk_rank_idf(among, hits) : 0.0;
	}
	g_free(b->counts);
	b->counts = g_strdup(counts);
}

static bm25_query *
bm25_query_get(const Fts5ExtensionApi *api, Fts5Context *fts,
	       const char *counts, int *rc)
{
	bm25_query *b = api->xGetAuxdata(fts, 0);
	sqlite3_int64 tokens = 0;

	*rc = SQLITE_OK;
	if (b == NULL) {
		b = g_new0(bm25_query, 1);
		b->nphrase = api->xPhraseCount(fts);
		b->idf = g_new0(double, b->nphrase + 1);
		b->freq = g_new0(double, b->nphrase + 1);
		if ((*rc = api->xRowCount(fts, &b->rows)) != SQLITE_OK ||
		    (*rc = api->xColumnTotalSize(fts, -1, &tokens)) !=
		    SQLITE_OK) {
			bm25_query_free(b);
			return NULL;
		}
		b->avgdl = (double)tokens / (double)b->rows;
		if ((*rc = api->xSetAuxdata(fts, b, bm25_query_free)) !=
		    SQLITE_OK)
			return NULL;	/* xSetAuxdata freed it */
	}
	if (b->counts == NULL || strcmp(b->counts, counts) != 0)
		bm25_idf_parse(b, counts);
	return b;
}

/* tl_bm25(TABLE, WEIGHT..., COUNTS) for the current row: one weight per
 * column, then the counts of desk-rank-priv.h as one text. */
static void
sql_bm25(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
	 int nval, sqlite3_value **val)
{
	int ncol = api->xColumnCount(fts), n = 0, tokens = 0, rc;
	const char *counts = ncol < nval ?
		(const char *)sqlite3_value_text(val[ncol]) : NULL;
	bm25_query *b = bm25_query_get(api, fts, counts != NULL ? counts : "",
				       &rc);

	if (b == NULL || (rc = api->xInstCount(fts, &n)) != SQLITE_OK)
		goto out;
	memset(b->freq, 0, sizeof(double) * (size_t)b->nphrase);
	for (int i = 0; i < n; i++) {
		int phrase, col, off;

		if ((rc = api->xInst(fts, i, &phrase, &col, &off)) !=
		    SQLITE_OK)
			goto out;
		if (phrase >= 0 && phrase < b->nphrase)
			b->freq[phrase] += col < ncol && col < nval ?
				sqlite3_value_double(val[col]) : 1.0;
	}
	if ((rc = api->xColumnSize(fts, -1, &tokens)) == SQLITE_OK)
		sqlite3_result_double(ctx, desk_rank_bm25(b->freq, b->idf,
							  b->nphrase,
							  (double)tokens,
							  b->avgdl));
out:
	if (rc != SQLITE_OK)
		sqlite3_result_error_code(ctx, rc);
}

tl_status
desk_rank_register(sqlite3 *db, char **errmsg)
{
	fts5_api *api = NULL;
	sqlite3_stmt *q = NULL;
	const char *failed = "tl_proximity";

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &q, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_pointer(q, 1, &api, "fts5_api_ptr", NULL);
		sqlite3_step(q);
	}
	sqlite3_finalize(q);
	if (api != NULL &&
	    api->xCreateFunction(api, "tl_proximity", NULL, sql_proximity,
				 NULL) == SQLITE_OK) {
		failed = "tl_bm25";
		if (api->xCreateFunction(api, "tl_bm25", NULL, sql_bm25,
					 NULL) == SQLITE_OK)
			return TL_OK;
	}
	*errmsg = g_strdup_printf("registering %s: %s", failed, api == NULL ?
				  "no FTS5" : sqlite3_errmsg(db));
	return TL_SOFTWARE;
}

gint64
desk_rank_candidates(gint64 limit, gint64 offset)
{
	gint64 want;

	if (limit <= 0)
		return 0;
	if (offset > G_MAXINT64 / 2 || limit > G_MAXINT64 / 2)
		return 0;
	want = limit + MAX(offset, 0);
	return (want + DESK_RANK_CANDIDATES - 1) / DESK_RANK_CANDIDATES *
	       DESK_RANK_CANDIDATES;
}
