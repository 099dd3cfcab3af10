/* cmd-listing.h - what `list` and `search` share: their filter options and
 * the table/JSON printer.  Implemented in cmd-list.c (command layer: these
 * print to stdout).
 */
#ifndef TIPLINE_CMD_LISTING_H
#define TIPLINE_CMD_LISTING_H

#include <glib.h>

#include "commands.h"
#include "store.h"

/* Option values as GOptionContext fills them; zero-initialise. */
typedef struct {
	char **status;		/* --status (repeatable, comma lists) */
	gboolean all;
	char *since, *until, *from, *sort;
	char *mailbox;		/* --mailbox NAME */
	char **has;		/* --has KIND (repeatable, comma lists) */
	gboolean has_attachments, reverse, flat, json;
	gint64 limit, offset;	/* limit -1: not given (see listing_filter) */
	gboolean unseen;	/* list only: --unseen */
	gboolean paged;		/* the limit is the terminal's default page */
	/* Parsed forms, owned here (listing_options_free). */
	GArray *statuses;	/* queue_status, from --status */
	char *since_utc, *until_utc;
} listing_options;

/* The GOptionEntry list for O, terminated; static storage reused per
 * call (one command per process). */
GOptionEntry *listing_entries(listing_options *o);

/* Rows a terminal gets without --limit (issue 10); --json and piped
 * output get every row. */
#define LISTING_PAGE_ROWS 100

/* Check O's values and fill F (borrowing from O).  TL_USAGE with a
 * message on stderr when a value is wrong.  Without --limit, a terminal
 * gets LISTING_PAGE_ROWS rows (o->paged), anything else every row. */
tl_status listing_filter(const char *cmd, listing_options *o,
			 desk_filter *f);

/* Free what listing_filter and GOptionContext allocated in O. */
void listing_options_free(listing_options *o);

/* Print ROWS (desk_row *) as an aligned table or, with o->json, as the
 * JSON array of docs/json-schema.md.  SEARCH adds the "exact" member. */
void listing_print(const listing_options *o, GPtrArray *rows,
		   gboolean search);

#endif
