/* desk.h - the editors' queries over the store: list with filters and
 * sorting, full-text search, threads of follow-ups, and decisions.
 *
 * Nothing here prints or exits.  Every function takes an open store and
 * returns a tl_status with detail in a caller-freed *errmsg (g_free).
 *
 * Vietnamese specifics (see docs/json-schema.md and tipline(1)):
 * - sorting by sender uses ICU's "vi" collation (CLDR order: a < ă < â,
 *   d < đ, o < ô < ơ, u < ư, tones secondary), registered on the
 *   connection as COLLATE VI by desk_connection_setup();
 * - search parses the user's text with query.h (all words in any order,
 *   "phrases", -exclusions, OR; every term written out as an FTS5 string,
 *   so no input is ever an FTS5 syntax error), matches it against the
 *   folded FTS5 table (unicode61 remove_diacritics 2 plus đ/Đ -> d, which
 *   Unicode does not decompose), and ranks the words together first, then
 *   rows whose exact-diacritic text (search_exact) also matches, then by
 *   bm25.
 */
#ifndef TIPLINE_DESK_H
#define TIPLINE_DESK_H

#include <glib.h>

#include "status.h"
#include "store.h"

typedef enum {
	DESK_SORT_DATE = 0,	/* newest first (by Date, else arrival) */
	DESK_SORT_SENDER,	/* display name (else address), ICU "vi" */
	DESK_SORT_GIVEN_NAME,	/* last word of the name, then the name */
	DESK_SORT_RELEVANCE,	/* search only: exact first, then bm25 */
	DESK_SORT_ARRIVAL,	/* newest first by when tipline stored it */
} desk_sort;

/* Which submissions to return.  Zero-initialise, then set fields; the
 * strings are borrowed for the call. */
typedef struct {
	const char *const *statuses;	/* NULL-terminated, validated by
					 * desk_statuses_parse; NULL: the
					 * command's default set */
	gboolean all;		/* every status (overrides statuses) */
	const char *since_utc;	/* inclusive ISO 8601 UTC bound, or NULL */
	const char *until_utc;	/* exclusive bound, or NULL */
	const char *from;	/* substring of the sender's name or address,
				 * compared folded (case, diacritics, đ) */
	gboolean has_attachments;
	gint64 limit;		/* 0: no limit */
	gint64 offset;
	desk_sort sort;
	gboolean reverse;	/* oldest first / Z to A */
	gboolean no_threads;	/* list every follow-up on its own row */
	/* Issue 10.  --since/--until compare the arrival time
	 * (received_utc) instead of the queue time (the sender's Date). */
	gboolean arrival_bounds;
	/* The editor whose seen rows decide desk_row.unseen (NULL: every
	 * row counts as unseen); with UNSEEN only the rows (and threads) with
	 * something this editor has not seen are returned. */
	const char *editor;
	gboolean unseen;
} desk_filter;

/* One row of a list or search result.  Owned by the GPtrArray that
 * desk_list/desk_search return (free with g_ptr_array_unref). */
typedef struct {
	gint64 id;
	char *status;
	char *date_utc;		/* Date header, else arrival time */
	char *from_name;	/* may be NULL */
	char *from_addr;	/* may be NULL */
	char *subject;		/* may be NULL */
	gint64 attachment_count;
	gboolean has_gps;
	gint64 parent_id;	/* thread root, 0 when this is a root */
	gint64 follow_ups;	/* follow-ups of this root (any status) */
	gboolean exact;		/* search: every wanted word matched with
				 * the diacritics as typed */
	/* Issue 10. */
	char *received_utc;	/* when tipline stored it */
	gboolean has_danger;	/* an attachment is dangerous (media.c) */
	gint64 duplicate_of;	/* probable duplicate of this earlier
				 * submission (store-dup.h), else 0 */
	gboolean unseen;	/* the filter's editor has not seen it, or
				 * (a thread) one of its follow-ups */
	/* A thread (follow_ups > 0): every message of it together, the
	 * root included.  Otherwise the row's own values. */
	gint64 thread_attachments;
	gboolean thread_gps;
	gboolean thread_danger;
	gboolean thread_quarantined;	/* a message in it is quarantined */
	char *thread_latest_utc;	/* its latest arrival */
	/* Its latest message's queue time (the Date, else the arrival
	 * when the Date is implausible): where the date order puts the
	 * thread, and what list's DATE column shows for it (editor trial
	 * finding 3).  NULL for a row that starts no thread. */
	char *thread_latest_queue_utc;
	/* Where the date order puts this message: its Date, or its arrival
	 * when the Date is implausible (in the future, or long before it
	 * arrived: store-write.c).  DATE_IMPLAUSIBLE says which, so a forged
	 * or broken Date is never shown as if it were true. */
	char *queue_utc;
	gboolean date_implausible;
} desk_row;

/* Register on the store's connection what the desk's SQL needs: the
 * collation VI (ICU "vi", ucol_strcollUTF8) and the functions
 * tl_fold(TEXT) (see desk_fold) and tl_given_name(TEXT) (last word).
 * Safe to call more than once.  TL_SOFTWARE when ICU cannot open "vi". */
tl_status desk_connection_setup(store *st, char **errmsg);

/* S folded for comparison: each letter replaced by its base letter
 * (canonical decomposition, combining marks dropped), đ/Đ -> d, lower
 * case; invalid UTF-8 bytes dropped.  "Nguyễn ĐẶNG" -> "nguyen dang", and
 * NFC and NFD input fold alike.  NULL gives "".  Newly allocated
 * (g_free). */
char *desk_fold(const char *s);

/* Parse --status arguments: each may be a comma list ("new,spam").
 * Every name must be one of the eight statuses of issue 2.  Returns a
 * NULL-terminated vector (g_strfreev) of unique names in the order given,
 * or NULL with *errmsg on an unknown name (TL_USAGE). */
tl_status desk_statuses_parse(char **args, char ***out, char **errmsg);

/* Parse a date for --since/--until: "YYYY-MM-DD" (a local calendar day;
 * END_OF_DAY gives the start of the next day, so --until is inclusive)
 * or a full ISO 8601 time with a zone.  *out is ISO 8601 UTC (g_free).
 * TL_USAGE with *errmsg when unparsable. */
tl_status desk_date_parse(const char *s, gboolean end_of_day, char **out,
			  char **errmsg);

/* The queue as the filter selects it.  Statuses default to new,
 * quarantined and too_large.  Threads: a follow-up is folded into its
 * root (the root's follow_ups counts it) whenever the root is itself
 * selected; otherwise it is listed on its own.  Sorted by date or
 * arrival, a thread sits where its latest message would (a late
 * follow-up brings it to the top).  *rows: GPtrArray of desk_row *
 * (g_ptr_array_unref). */
tl_status desk_list(store *st, const desk_filter *f, GPtrArray **rows,
		    char **errmsg);

/* Full-text search for QUERY (any bytes; the syntax of query.h: all words
 * in any order, "phrase", -word, OR) over subject, sender name and
 * address, text, and the store's search_extra (forwarded messages,
 * attachment names), diacritic-insensitive.  Statuses default to every
 * status but bounce; the other filters apply; follow-ups are not folded.
 * Sort: DESK_SORT_RELEVANCE puts the words as a phrase first, then close
 * together, then apart; within each, rows matching with the diacritics as
 * typed (desk_row.exact) first; then bm25.  The other keys sort as in
 * desk_list.  TL_USAGE when QUERY is empty or blank; a query with nothing
 * to look for (only punctuation or exclusions) gives no rows and TL_OK. */
tl_status desk_search(store *st, const char *query, const desk_filter *f,
		      GPtrArray **rows, char **errmsg);

/* What one decision did to one id. */
typedef struct {
	gint64 id;
	gboolean found;		/* FALSE: no such submission */
	char old_status[16];
	char new_status[16];
} desk_decision;

/* Apply ACTION ("approve", "reject", "spam" or "reopen") to the N ids in
 * one write transaction (BEGIN IMMEDIATE, so concurrent editors queue up
 * behind the busy timeout instead of overwriting each other): for each id
 * the status is read and changed with a compare-and-set on that old
 * status, and an audit row (EDITOR, now, ACTION, old, new, NOTE) is
 * written, also when the status does not change (the second of two
 * editors approving the same id is on record too).  RESULTS (N entries,
 * caller-allocated) says what happened per id.  Unknown ids are skipped
 * (found = FALSE); the others are committed.  TL_TEMPFAIL when the
 * database stayed busy: nothing was changed. */
tl_status desk_decide(store *st, const gint64 *ids, guint n,
		      const char *action, const char *editor,
		      const char *note, desk_decision *results,
		      char **errmsg);

/* The status ACTION leads to ("approved", ...), or NULL when ACTION is not
 * a decision (static storage). */
const char *desk_action_status(const char *action);

#endif
