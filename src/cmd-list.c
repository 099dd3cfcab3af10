/* cmd-list.c - `tipline list`: the queue, filtered and sorted; and the
 * table/JSON printer that `search` shares (cmd-listing.h). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd-listing.h"
#include "store.h"
#include "display.h"
#include "emit.h"
#include "util.h"
#include "pager.h"

#define W_STATUS	11	/* "quarantined" */
#define W_DATE		16	/* "2024-06-09 06:00" */
#define W_FROM		24
#define W_ATT		3
#define W_MARKS		5	/* "!XQ=?" */
#define W_SUBJECT_MIN	20

static GOptionEntry entries[16];

GOptionEntry *
listing_entries(listing_options *o)
{
	GOptionEntry e[] = {
		{ "status", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->status,
		  "only these statuses (repeatable, or a comma list)",
		  "STATUS" },
		{ "all", 0, 0, G_OPTION_ARG_NONE, &o->all,
		  "every status", NULL },
		{ "since", 0, 0, G_OPTION_ARG_STRING, &o->since,
		  "list: arrived, search: dated, on or after DATE "
		  "(YYYY-MM-DD, local)", "DATE" },
		{ "until", 0, 0, G_OPTION_ARG_STRING, &o->until,
		  "list: arrived, search: dated, on or before DATE "
		  "(YYYY-MM-DD, local)", "DATE" },
		{ "from", 0, 0, G_OPTION_ARG_STRING, &o->from,
		  "sender name or address contains TEXT (diacritics "
		  "optional)", "TEXT" },
		{ "has-attachments", 0, 0, G_OPTION_ARG_NONE,
		  &o->has_attachments, "only submissions with attachments",
		  NULL },
		{ "mailbox", 0, 0, G_OPTION_ARG_STRING, &o->mailbox,
		  "only submissions fetched from this IMAP mailbox",
		  "NAME" },
		{ "has", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->has,
		  "only submissions with a photo, video, gps position or "
		  "dangerous file (repeatable: all must hold)", "KIND" },
		{ "limit", 0, 0, G_OPTION_ARG_INT64, &o->limit,
		  "at most N rows", "N" },
		{ "offset", 0, 0, G_OPTION_ARG_INT64, &o->offset,
		  "skip the first N rows", "N" },
		{ "sort", 0, 0, G_OPTION_ARG_STRING, &o->sort,
		  "date (newest first), arrival, sender or given-name "
		  "(Vietnamese order)", "KEY" },
		{ "reverse", 0, 0, G_OPTION_ARG_NONE, &o->reverse,
		  "reverse the order", NULL },
		{ "flat", 0, 0, G_OPTION_ARG_NONE, &o->flat,
		  "list follow-ups on their own rows", NULL },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &o->json,
		  "print JSON (docs/json-schema.md)", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};

	/* -1: no --limit given (a terminal then gets a page). */
	o->limit = -1;
	memcpy(entries, e, sizeof e);
	return entries;
}

/* --has values (each may be a comma list) into DESK_HAS_ bits. */
static tl_status
listing_has(char **args, unsigned *bits, char **err)
{
	for (int i = 0; args != NULL && args[i] != NULL; i++) {
		char **parts = g_strsplit(args[i], ",", -1);

		for (int j = 0; parts[j] != NULL; j++) {
			unsigned b = desk_has_parse(g_strstrip(parts[j]));

			if (b == 0) {
				*err = g_strdup_printf("--has %s: use photo, "
						       "video, gps or danger",
						       parts[j]);
				g_strfreev(parts);
				return TL_USAGE;
			}
			*bits |= b;
		}
		g_strfreev(parts);
	}
	return TL_OK;
}

tl_status
listing_filter(const char *cmd, listing_options *o, desk_filter *f)
{
	char *err = NULL;
	tl_status rc = TL_OK;

	memset(f, 0, sizeof *f);
	if (o->status != NULL &&
	    (rc = desk_statuses_parse(o->status, &o->statuses, &err)) !=
	    TL_OK)
		goto bad;
	if (o->all && o->statuses != NULL && o->statuses->len > 0) {
		err = g_strdup("--all and --status exclude each other");
		rc = TL_USAGE;
		goto bad;
	}
	if (o->since != NULL &&
	    (rc = desk_date_parse(o->since, FALSE, &o->since_utc, &err)) !=
	    TL_OK)
		goto bad;
	if (o->until != NULL &&
	    (rc = desk_date_parse(o->until, TRUE, &o->until_utc, &err)) !=
	    TL_OK)
		goto bad;
	o->paged = FALSE;
	if (o->limit == -1) {
		o->paged = !o->json && isatty(STDOUT_FILENO) == 1;
		o->limit = o->paged ? LISTING_PAGE_ROWS : 0;
	}
	if (o->limit < 0 || o->offset < 0) {
		err = g_strdup("--limit and --offset take a number >= 0");
		rc = TL_USAGE;
		goto bad;
	}
	if (o->sort == NULL || strcmp(o->sort, "date") == 0 ||
	    strcmp(o->sort, "relevance") == 0)
		f->sort = DESK_SORT_DATE;
	else if (strcmp(o->sort, "arrival") == 0)
		f->sort = DESK_SORT_ARRIVAL;
	else if (strcmp(o->sort, "sender") == 0)
		f->sort = DESK_SORT_SENDER;
	else if (strcmp(o->sort, "given-name") == 0)
		f->sort = DESK_SORT_GIVEN_NAME;
	else {
		err = g_strdup_printf("--sort %s: use date, arrival, "
				      "sender or given-name", o->sort);
		rc = TL_USAGE;
		goto bad;
	}
	f->statuses = o->statuses;
	f->all = o->all;
	f->since_utc = o->since_utc;
	f->until_utc = o->until_utc;
	f->from = o->from;
	f->has_attachments = o->has_attachments;
	f->mailbox = o->mailbox;
	if ((rc = listing_has(o->has, &f->has, &err)) != TL_OK)
		goto bad;
	f->limit = o->limit;
	f->offset = o->offset;
	f->reverse = o->reverse;
	f->no_threads = o->flat;
	return TL_OK;
bad:
	cmd_err(cmd, "%s", err);
	g_free(err);
	return rc;
}

void
listing_options_free(listing_options *o)
{
	g_strfreev(o->status);
	if (o->statuses != NULL)
		g_array_unref(o->statuses);
	g_free(o->since);
	g_free(o->until);
	g_free(o->from);
	g_free(o->mailbox);
	g_strfreev(o->has);
	g_free(o->sort);
	g_free(o->since_utc);
	g_free(o->until_utc);
}

static const char *
status_sgr(queue_status status)
{
	switch (status) {
	case QUEUE_NEW:
		return "\033[1m";
	case QUEUE_QUARANTINED:
	case QUEUE_TOO_LARGE:
		return "\033[33m";
	case QUEUE_APPROVED:
		return "\033[32m";
	case QUEUE_REJECTED:
	case QUEUE_SPAM:
		return "\033[2m";
	default:
		return "";
	}
}

/* The marks after ATT (issue 10), for the row or, for a thread, for
 * every message in it: ! a GPS position, X a dangerous file, Q a
 * quarantined follow-up, = a probable duplicate, ? an implausible Date
 * (not on a thread row, whose DATE is its latest message's).  Written
 * into M (at least W_MARKS + 1 bytes). */
static void
row_marks(const desk_row *r, char *m)
{
	int n = 0;

	if (r->thread_gps)
		m[n++] = '!';
	if (r->thread_danger)
		m[n++] = 'X';
	if (r->thread_quarantined && r->status != QUEUE_QUARANTINED)
		m[n++] = 'Q';
	if (r->duplicate_of > 0)
		m[n++] = '=';
	if (r->date_implausible && !(r->follow_ups > 0 && r->parent_id == 0))
		m[n++] = '?';
	m[n] = '\0';
}

/* The marks padded to W_MARKS, the alarming ones (! X) in red. */
static void
marks_append(GString *out, const char *m, gboolean colour)
{
	for (const char *p = m; *p != '\0'; p++) {
		gboolean red = *p == '!' || *p == 'X';

		g_string_append_printf(out, "%s%c%s",
		    display_sgr(colour && red, "\033[31m"), *p,
		    display_sgr(colour && red, "\033[0m"));
	}
	for (size_t i = strlen(m); i < W_MARKS; i++)
		g_string_append_c(out, ' ');
}

/* The DATE of row R: for a thread folded into its row (list, not search)
 * its latest message's queue time, since that is where the thread sits:
 * the root's own Date on the top row made new material look old (editor
 * trial finding 3).  --json keeps date_utc the root's. */
static char *
row_date(const desk_row *r, gboolean threads)
{
	if (threads && r->follow_ups > 0 && r->parent_id == 0 &&
	    r->thread_latest_queue_utc != NULL)
		return localtime_text(r->thread_latest_queue_utc, FALSE);
	/* An implausible Date (a clock years off, or a forged future date
	 * that would pin the row to the top) is not shown as if true: the
	 * arrival, where the row sits, marked '?' (editor trial). */
	if (r->date_implausible)
		return localtime_text(r->queue_utc, FALSE);
	return localtime_text(r->date_utc, FALSE);
}

static void
print_table(GPtrArray *rows, gboolean colour, int cols, gboolean threads)
{
	int wid = 2, wsub = 0;
	GString *line = g_string_new(NULL), *out = g_string_new(NULL);
	gboolean any_marks = FALSE;

	for (guint i = 0; i < rows->len; i++) {
		const desk_row *r = rows->pdata[i];
		int w = snprintf(NULL, 0, "%" G_GINT64_FORMAT, r->id);

		wid = MAX(wid, w);
	}
	/* A known terminal width cuts the subject; a pipe gets it whole. */
	if (cols > 0)
		wsub = MAX(W_SUBJECT_MIN, cols - (wid + W_STATUS + W_DATE +
			   W_FROM + W_ATT + W_MARKS + 4 * 2 + 1));
	printf("%s%*s  %-*s  %-*s  %-*s  %*s %-*s %s%s\n",
	       display_sgr(colour, "\033[4m"), wid, "ID", W_STATUS, "STATUS",
	       W_DATE, "DATE", W_FROM, "FROM", W_ATT, "ATT", W_MARKS, "",
	       "SUBJECT", display_sgr(colour, "\033[0m"));
	for (guint i = 0; i < rows->len; i++) {
		const desk_row *r = rows->pdata[i];
		/* A display name that reads like an address (and is not
		 * the sender's) could pass an impostor off as a known
		 * source (QA F44): then the real address is shown. */
		const char *who = r->from_name != NULL && *r->from_name &&
		    (strchr(r->from_name, '@') == NULL ||
		     g_ascii_strcasecmp(r->from_name,
				r->from_addr ? r->from_addr : "") == 0) ?
		    r->from_name : r->from_addr;
		char *date = row_date(r, threads);
		char *st = display_fit(queue_status_name(r->status), W_STATUS,
		    TRUE);
		char *from = display_fit(who != NULL ? who : "-", W_FROM, TRUE);
		char *subj_raw, *subj;
		char att[24], marks[W_MARKS + 1];

		g_string_truncate(line, 0);
		if (r->parent_id > 0)
			g_string_append_printf(line, "[re #%" G_GINT64_FORMAT
					       "] ", r->parent_id);
		g_string_append(line, r->subject != NULL ? r->subject : "");
		if (r->follow_ups > 0)
			g_string_append_printf(line, " [+%" G_GINT64_FORMAT
			    " follow-up%s]", r->follow_ups,
			    r->follow_ups == 1 ? "" : "s");
		if (r->duplicate_of > 0)
			g_string_append_printf(line, " [same as #%"
			    G_GINT64_FORMAT "?]", r->duplicate_of);
		subj_raw = g_strdup(line->str);
		subj = wsub > 0 ? display_fit(subj_raw, wsub, FALSE) :
		    display_clean(subj_raw, FALSE);
		if (r->thread_attachments > 0)
			snprintf(att, sizeof att, "%" G_GINT64_FORMAT,
				 r->thread_attachments);
		else
			snprintf(att, sizeof att, "-");
		row_marks(r, marks);
		any_marks |= marks[0] != '\0';
		g_string_truncate(out, 0);
		g_string_append_printf(out, "%*" G_GINT64_FORMAT "  %s%s%s  "
		    "%-*s  %s  %*s ", wid, r->id,
		    display_sgr(colour, status_sgr(r->status)), st,
		    display_sgr(colour, "\033[0m"), W_DATE, date, from,
		    W_ATT, att);
		marks_append(out, marks, colour);
		printf("%s %s\n", out->str, subj);
		g_free(date);
		g_free(st);
		g_free(from);
		g_free(subj_raw);
		g_free(subj);
	}
	if (any_marks && cols > 0)
		printf("%s! GPS position  X dangerous file  Q quarantined "
		       "follow-up  = probable duplicate  ? implausible Date "
		       "(arrival shown)%s\n",
		       display_sgr(colour, "\033[2m"),
		       display_sgr(colour, "\033[0m"));
	g_string_free(out, TRUE);
	g_string_free(line, TRUE);
}

void
listing_print(const listing_options *o, GPtrArray *rows, gboolean search)
{
	gboolean colour;
	int cols;

	if (o->json) {
		emitter *e = emit_json_new(FALSE);
		char *s;

		emit_desk_rows(e, rows, search);
		s = emit_finish(e);
		fputs(s, stdout);
		g_free(s);
		return;
	}
	if (rows->len == 0) {
		log_info("no submissions match");
		return;
	}
	/* Decided on the terminal itself, before a pager takes stdout. */
	colour = display_use_colour(STDOUT_FILENO);
	cols = display_columns(STDOUT_FILENO);
	pager_start();
	print_table(rows, colour, cols, !search && !o->flat);
	if (o->paged && (gint64)rows->len >= o->limit)
		printf("(the first %" G_GINT64_FORMAT " rows: --offset %"
		       G_GINT64_FORMAT " shows the next, --limit 0 all)\n",
		       o->limit, o->offset + o->limit);
}

tl_status
cmd_list(tl_ctx *ctx, int argc, char **argv)
{
	listing_options o = { 0 };
	desk_filter f;
	GPtrArray *rows = NULL;
	char *err = NULL;
	tl_status rc;
	int done = 0;

	GOptionEntry e[G_N_ELEMENTS(entries) + 1];
	GOptionEntry *shared = listing_entries(&o);
	guint n = 0;

	/* The shared options, then list's own. */
	while (shared[n].long_name != NULL) {
		e[n] = shared[n];
		n++;
	}
	e[n++] = (GOptionEntry){ "unseen", 0, 0, G_OPTION_ARG_NONE,
	    &o.unseen, "only what you have not seen yet (oldest arrival "
	    "last)", NULL };
	e[n] = (GOptionEntry){ NULL, 0, 0, 0, NULL, NULL, NULL };
	rc = cmd_parse_options("list", "[--unseen] [--status STATUS | --all] "
	    "[--since DATE] [--until DATE] [--from TEXT] [--has-attachments] "
	    "[--mailbox NAME] [--has KIND] "
	    "[--limit N] [--offset N] "
	    "[--sort date|arrival|sender|given-name] [--reverse] [--flat] "
	    "[--json]",
	    "List submissions, newest first; by default those that need an "
	    "editor (new, quarantined, too_large).  A follow-up is shown "
	    "with its thread's first message, and the thread sits where its "
	    "latest message would.  --unseen: only what this editor has not "
	    "been shown yet (show on a terminal, or tipline seen).",
	    e, &argc, &argv, 0, 0, &done);
	if (rc != TL_OK || done)
		goto out;
	if ((rc = listing_filter("list", &o, &f)) != TL_OK)
		goto out;
	/* list's --since/--until are about arrival (issue 10): what came
	 * in today is in --since TODAY, whatever its Date says. */
	f.arrival_bounds = TRUE;
	f.editor = ctx->editor;
	f.unseen = o.unseen;
	if (o.unseen && o.sort == NULL)
		f.sort = DESK_SORT_ARRIVAL;
	if ((rc = desk_connection_setup(ctx->st, &err)) != TL_OK ||
	    (rc = desk_list(ctx->st, &f, &rows, &err)) != TL_OK) {
		cmd_err("list", "%s", err);
		goto out;
	}
	listing_print(&o, rows, FALSE);
	rc = cmd_output_done("list");
	pager_finish();
out:
	if (rows != NULL)
		g_ptr_array_unref(rows);
	listing_options_free(&o);
	g_free(err);
	return rc;
}
