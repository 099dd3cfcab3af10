/* query-priv.h - what an editor types into `tipline search`, parsed into words,
 * phrases, alternatives and exclusions, and written out as FTS5 query
 * expressions.  Pure: no database, no I/O; never fails.
 *
 * Syntax (documented in tipline(1), SEARCH SYNTAX):
 * - words separated by white space must all occur, in any order, anywhere
 *   in the submission;
 * - "quoted words" must occur together, in that order (a missing closing
 *   quote ends the phrase at the end of the input);
 * - -word or -"quoted words" excludes submissions that contain it;
 * - OR (upper case) between two words or phrases accepts either; it binds
 *   tighter than the implicit AND ("a OR b c" is "(a or b) and c").
 * Everything else is text: an OR at either end, next to an exclusion or
 * next to another OR is the word "or"; a lone "-" and anything without a
 * letter or digit ("*", "(((") is dropped; FTS5's own operators (AND,
 * NOT, NEAR, *, ^, :, column filters) are never interpreted, because every
 * word is written out as an FTS5 string (SQLite FTS5 documentation,
 * "Full-text Query Syntax": "" escapes a quote inside a string).  A
 * string is tokenized by FTS5 itself, so "cay-do.jpg" is the phrase
 * "cay do jpg", exactly as the indexed text was split.
 */
#ifndef TIPLINE_QUERY_H
#define TIPLINE_QUERY_H

#include <glib.h>

/* One word or quoted phrase as typed, NFC-normalised, without the quotes
 * or the leading "-". */
typedef struct {
	char *text;
	gboolean quoted;	/* came from "quoted words" */
} query_term;

/* A parsed query.  Every group must match (AND); a group matches when
 * any of its terms does (OR).  No excluded term may match. */
typedef struct {
	GPtrArray *groups;	/* GPtrArray * of query_term *, in order */
	GPtrArray *excluded;	/* query_term * */
} query;

/* Parse INPUT (any bytes; invalid UTF-8 is repaired, then NFC).  Never
 * NULL; free with query_free(). */
query *query_parse(const char *input);

void query_free(query *q);

/* TRUE when Q has no word to look for (empty input, only punctuation, or
 * only exclusions): such a query finds nothing. */
gboolean query_is_empty(const query *q);

/* The query in a canonical form for tests and messages: groups separated
 * by spaces, alternatives as "(a | b)", quoted terms in double quotes,
 * exclusions last with "-".  Newly allocated (g_free). */
char *query_describe(const query *q);

/* The FTS5 MATCH expression of Q: every term an FTS5 string, groups
 * joined by AND, alternatives by OR, then NOT (excluded...) when
 * EXCLUDE.  FOLD turns đ/Đ into d/D for the folded index (whose
 * tokenizer removes the other diacritics itself).  NULL when Q is empty.
 * Newly allocated (g_free). */
char *query_fts(const query *q, gboolean fold, gboolean exclude);

/* Phrase I (0-based) of query_fts(Q, FOLD, TRUE) as an FTS5 expression
 * of its own: the groups' terms in order, then the excluded ones, as
 * FTS5 numbers the phrases of that expression.  NULL past the last.
 * Newly allocated (g_free). */
char *query_fts_phrase(const query *q, guint i, gboolean fold);
/* The phrases of query_fts(Q, ...) whose closeness ranks a result: those
 * of the groups that have a single term, as indexes of the phrases in
 * that expression (0-based, in order of appearance), in the order typed.
 * At most MAX are written to OUT; returns how many.  Fewer than two means
 * every result is equally close. */
int query_near_phrases(const query *q, int *out, int max);

#endif
