/* desk-rank-priv.h - how close a search's words stand in one submission, for
 * the ranking of desk_search(): an FTS5 auxiliary function,
 *
 *   tl_proximity(search_folded, DISTANCE, PHRASE, PHRASE...)
 *
 * used in SQL next to bm25() (ORDER BY proximity, exact, bm25).  It reads
 * the phrase instances FTS5 has already found for the current row
 * (Fts5ExtensionApi xInst, the data bm25 uses), so it costs nothing like
 * a second phrase or NEAR query over the whole index.  PHRASE arguments
 * are indexes of phrases in the MATCH expression (0-based, in the order
 * they appear), in the order the editor typed them.
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

/* Register tl_proximity on DB's FTS5 (SQLite's fts5_api, obtained with
 * "SELECT fts5(?1)" and sqlite3_bind_pointer as the FTS5 documentation
 * describes).  Call once per connection.  TL_SOFTWARE with *errmsg when
 * SQLite has no FTS5. */
tl_status desk_rank_register(sqlite3 *db, char **errmsg);

#endif
