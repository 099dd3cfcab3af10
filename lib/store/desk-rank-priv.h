/* desk-rank-priv.h - the ranking of desk_search() on SQLite: two FTS5
 * auxiliary functions,
 *
 *   tl_proximity(search_folded, DISTANCE, PHRASE, PHRASE...)
 *   tl_bm25(search_folded, WEIGHT_0 .. WEIGHT_3, COUNTS)
 *
 * used as ORDER BY proximity, exact, tl_bm25.  Both read the phrase
 * instances FTS5 has already found for the current row (Fts5ExtensionApi
 * xInst), so neither costs a second phrase or NEAR query over the index.
 *
 * tl_proximity's PHRASE arguments are indexes of phrases in the MATCH
 * expression (0-based, in the order they appear), in the order the
 * editor typed them.
 *
 * tl_bm25 is FTS5's bm25() (desk_rank_bm25) with each phrase's IDF
 * (desk_rank_idf) made from counts the caller gives, as one text so that
 * a query of many words stays within SQLite's 127 arguments a function:
 * COUNTS is "ROWS HITS_0 HITS_1 ...", HITS_i rows of ROWS holding phrase
 * i of the MATCH expression (in FTS5's order); ROWS 0 means the table's
 * own count (xRowCount), and a missing (or negative) HITS_i an IDF of 0:
 * desk.c leaves out the excluded phrases, which come last and which no
 * result holds.  FTS5's own bm25() counts
 * each phrase's rows by reading its whole doclist (xQueryPhrase) before
 * the first row is scored: at 1,000,000 submissions that took 7 to 27 ms
 * of every search with a common syllable (duong is in 77 % of the rows,
 * trang in 74 %), whatever the number of rows ranked.  desk.c counts
 * them among the newest DESK_RANK_IDF_ROWS rows instead; on a smaller
 * queue that is every row, and the scores are bm25()'s.
 */
#ifndef TIPLINE_DESK_RANK_H
#define TIPLINE_DESK_RANK_H

#include <sqlite3.h>

#include "util.h"

/* One phrase instance in a row: phrase index, column, token offset. */
typedef struct {
	int phrase, col, off;
} desk_rank_inst;

/* The proximity of PHRASES[0..K) (phrase indexes; SIZES[i] is the number
 * of tokens of PHRASES[i]) given the N instances INST of one row, in any
 * order: 2 when one column has them one right after the other, in that
 * order ("da nang" in "Đà Nẵng"); 1 when one column has them all, in any
 * order, with at most DISTANCE tokens between the end of the first and
 * the start of the last (FTS5's NEAR); 0 otherwise, and when K < 2.
 * Pure; INST is not changed. */
int desk_rank_proximity(const desk_rank_inst *inst, int n,
			const int *phrases, const int *sizes, int k,
			int distance);

/* How many matches a search in relevance order ranks: the newest this
 * many (by id, which grows with arrival) that pass the filters.  Ranking
 * reads every ranked match (positions and weights; on PostgreSQL both
 * tsvectors), so ranking all of them made a common word on a large queue
 * take seconds (800,000 matches of "duong" among 1,000,000 submissions);
 * the newest thousand are ranked in a few milliseconds, and they are the
 * ones an editor is after.  A queue with fewer matches is ranked whole,
 * as before. */
#define DESK_RANK_CANDIDATES 1000

/* The number of newest matches to rank for a page of LIMIT rows after
 * OFFSET (both >= 0): DESK_RANK_CANDIDATES, or the smallest multiple of
 * it that holds OFFSET + LIMIT rows, so that the pages within the first
 * thousand matches come from one ranking; 0 (rank every match) when
 * LIMIT is 0 (no limit). */
gint64 desk_rank_candidates(gint64 limit, gint64 offset);

/* The Okapi BM25 score of one row as FTS5's bm25() gives it (fts5_aux.c:
 * k1 = 1.2, b = 0.75), negated so that the best row sorts first: minus
 * the sum over the N phrases of
 *
 *   IDF[i] * FREQ[i] * (k1 + 1) / (FREQ[i] + k1 * (1 - b + b * D / AVGDL))
 *
 * FREQ[i]: the phrase's instances in the row, each counted with its
 * column's weight; D: the row's tokens; AVGDL: the tokens of an average
 * row of the table (> 0).  Pure. */
double desk_rank_bm25(const double *freq, const double *idf, int n,
		      double d, double avgdl);

/* The IDF of a phrase found in HITS of ROWS rows, as FTS5's bm25()
 * computes it: log((ROWS - HITS + 0.5) / (HITS + 0.5)), or 1e-6 when
 * that is not positive (a phrase in half the rows or more weighs next to
 * nothing, and never less than nothing).  Pure. */
double desk_rank_idf(gint64 rows, gint64 hits);

/* How many of the newest submissions a search counts its phrases in for
 * their IDFs (desk.c, search_idf): enough for a phrase's share of the
 * mail to show, few enough that counting a syllable found in most rows
 * takes a few milliseconds (tl_bm25, above).  A queue of this many or
 * fewer is counted whole. */
#define DESK_RANK_IDF_ROWS 100000

/* Register tl_proximity and tl_bm25 on DB's FTS5 (SQLite's fts5_api,
 * obtained with "SELECT fts5(?1)" and sqlite3_bind_pointer as the FTS5
 * documentation describes).  Call once per connection.  TL_SOFTWARE with
 * *errmsg when SQLite has no FTS5. */
tl_status desk_rank_register(sqlite3 *db, char **errmsg);

#endif
