/* desk-walk-priv.h - which rows make a page of a thread-sorted list, read
 * from the newest messages down (desk_list on both backends).
 *
 * The list sorts a row by its thread key, the later of its own time and
 * its latest follow-up's, then by the largest id of its thread.  Every
 * message that can raise a listed row's key (the row itself; a follow-up
 * of a listed root) is fed in, newest first: a row's first message so met
 * carries its key, so the rows come out in key order, one time at a time
 * ("a group").  Only the order inside a group needs the ids, which the
 * page's own query sorts: the walk keeps the groups that overlap the
 * page, and how many of their rows come before it.  Its cost is that of
 * reading the messages down to the page, not of sorting the queue: a
 * page 1,000 deep of a million submissions read in 2 s with every row's
 * key computed and sorted.  Pure: no database here. */
#ifndef TIPLINE_DESK_WALK_H
#define TIPLINE_DESK_WALK_H

#include <glib.h>

typedef struct {
	gint64 from, to;	/* the page: rows [from, to) in key order */
	gint64 placed;		/* rows of the groups before this one */
	char *key;		/* this group's time (NULL before the first) */
	GHashTable *met;	/* every row met so far (gint64 *) */
	GArray *group;		/* the rows (gint64) first met at KEY */
	GArray *ids;		/* the rows of the groups on the page */
	gint64 skip;		/* how many of IDS, in key order, precede it */
	gboolean done;		/* the page's groups are all in IDS */
} desk_walk;

/* Start W for the page of LIMIT (> 0) rows after OFFSET (>= 0). */
void desk_walk_init(desk_walk *w, gint64 offset, gint64 limit);

/* One message: ROW the listed row it belongs to (its own id, or a
 * follow-up's root), KEY its time (queue_utc or received_utc; copied).
 * Messages must come in KEY order, newest first (or oldest first, see
 * above); the order among equal keys does not matter.  TRUE once the
 * page is known (read no more). */
gboolean desk_walk_add(desk_walk *w, gint64 row, const char *key);

/* No more messages: the last group is complete. */
void desk_walk_end(desk_walk *w);

/* Free what W holds (not W). */
void desk_walk_clear(desk_walk *w);

#endif
