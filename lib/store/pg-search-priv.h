/* pg-search-priv.h - desk_search (store.h) on the PostgreSQL backend
 * (issue 13).  The query is parsed by query.c as on SQLite; each term
 * (word or "phrase") becomes phraseto_tsquery over tl_search_words(term)
 * (schema-pg.sql: the words as FTS5's unicode61 splits them), with the
 * configuration tl_folded (diacritics and đ folded, matched against the
 * search_folded column) or tl_exact (lower case only, search_exact);
 * groups are joined with &&, alternatives with ||, exclusions with !!.
 * The editor's text travels as one text[] parameter and never as
 * to_tsquery syntax, so no input is a query syntax error.
 *
 * Relevance as desk.c ranks it: the words as a phrase in the order typed
 * first, then within SEARCH_NEAR words of each other, then apart
 * (desk_rank_proximity of desk-rank-priv.h, fed with the positions of the
 * query's lexemes read from the row's tsvector; the weight A/B/C/D stands
 * for FTS5's column, so words in the subject and the sender are never
 * "together"); then rows matching with the diacritics as typed; then
 * ts_rank_cd with the column weights of desk.c's bm25 (subject 4, sender
 * 2, text and extras 1) normalised by the document's length; then id.
 */
#ifndef TIPLINE_PG_SEARCH_PRIV_H
#define TIPLINE_PG_SEARCH_PRIV_H

#include "store-priv.h"

tl_status pg_desk_search(store *st, const char *query_text,
			 const desk_filter *f, GPtrArray **rows,
			 char **errmsg);

#endif
