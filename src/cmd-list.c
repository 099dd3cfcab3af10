/* cmd-list.c - `tipline list`: the queue, filtered and sorted; and the
 * table/JSON printer that `search` shares (cmd-listing.h). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd-listing.h"
#include "detail.h"
#include "display.h"
#include "log.h"

#define W_STATUS	11	/* "quarantined" */
#define W_DATE		16	/* "2024-06-09 06:00" */
#define W_FROM		24
#define W_ATT		3
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
		  "dated on or after DATE (YYYY-MM-DD, local)", "DATE" },
		{ "until", 0, 0, G_OPTION_ARG_STRING, &o->until,
		  "dated on or before DATE (YYYY-MM-DD, local)", "DATE" },
		{ "from", 0, 0, G_OPTION_ARG_STRING, &o->from,
		  "sender name or address contains TEXT (diacritics "
		  "optional)", "TEXT" },
		{ "has-attachments", 0, 0, G_OPTION_ARG_NONE,
		  &o->has_attachments, "only submissions with attachments",
		  NULL },
		{ "limit", 0, 0, G_OPTION_ARG_INT64, &o->limit,
		  "at most N rows", "N" },
		{ "offset", 0, 0, G_OPTION_ARG_INT64, &o->offset,
		  "skip the first N rows", "N" },
		{ "sort", 0, 0, G_OPTION_ARG_STRING, &o->sort,
		  "date (newest first), sender or given-name "
		  "(Vietnamese order)", "KEY" },
		{ "reverse", 0, 0, G_OPTION_ARG_NONE, &o->reverse,
		  "reverse the order", NULL },
		{ "flat", 0, 0, G_OPTION_ARG_NONE, &o->flat,
		  "list follow-ups on their own rows", NULL },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &o->json,
		  "print JSON (docs/json-schema.md)", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};

	memcpy(entries, e, sizeof e);
	return entries;
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
	if (o->all && o->statuses != NULL && o->statuses[0] != NULL) {
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
	if (o->limit < 0 || o->offset < 0) {
		err = g_strdup("--limit and --offset take a number >= 0");
		rc = TL_USAGE;
		goto bad;
	}
	if (o->sort == NULL || strcmp(o->sort, "date") == 0 ||
	    strcmp(o->sort, "relevance") == 0)
		f->sort = DESK_SORT_DATE;
	else if (strcmp(o->sort, "sender") == 0)
		f->sort = DESK_SORT_SENDER;
	else if (strcmp(o->sort, "given-name") == 0)
		f->sort = DESK_SORT_GIVEN_NAME;
	else {
		err = g_strdup_printf("--sort %s: use date, sender or "
				      "given-name", o->sort);
		rc = TL_USAGE;
		goto bad;
	}
	f->statuses = (const char *const *)o->statuses;
	f->all = o->all;
	f->since_utc = o->since_utc;
	f->until_utc = o->until_utc;
	f->from = o->from;
	f->has_attachments = o->has_attachments;
	f->limit = o->limit;
	f->offset = o->offset;
	f->reverse = o->reverse;
	f->no_threads = o->flat;
	return TL_OK;
bad:
	fprintf(stderr, "tipline %s: %s\n", cmd, err);
	g_free(err);
	return rc;
}

void
listing_options_free(listing_options *o)
{
	g_strfreev(o->status);
	g_strfreev(o->statuses);
	g_free(o->since);
	g_free(o->until);
	g_free(o->from);
	g_free(o->sort);
	g_free(o->since_utc);
	g_free(o->until_utc);
}

static const char *
status_sgr(const char *status)
{
	if (strcmp(status, "new") == 0)
		return "\033[1m";
	if (strcmp(status, "quarantined") == 0 ||
	    strcmp(status, "too_large") == 0)
		return "\033[33m";
	if (strcmp(status, "approved") == 0)
		return "\033[32m";
	if (strcmp(status, "rejected") == 0 || strcmp(status, "spam") == 0)
		return "\033[2m";
	return "";
}

static void
print_table(GPtrArray *rows)
{
	gboolean colour = display_use_colour(STDOUT_FILENO);
	int cols = display_columns(STDOUT_FILENO), wid = 2, wsub = 0;
	GString *line = g_string_new(NULL);

	for (guint i = 0; i < rows->len; i++) {
		const desk_row *r = rows->pdata[i];
		int w = snprintf(NULL, 0, "%" G_GINT64_FORMAT, r->id);

		wid = MAX(wid, w);
	}
	/* A known terminal width cuts the subject; a pipe gets it whole. */
	if (cols > 0)
		wsub = MAX(W_SUBJECT_MIN, cols - (wid + W_STATUS + W_DATE +
						  W_FROM + W_ATT + 5 * 2));
	printf("%s%*s  %-*s  %-*s  %-*s  %*s  %s%s\n",
	       display_sgr(colour, "\033[4m"), wid, "ID", W_STATUS, "STATUS",
	       W_DATE, "DATE", W_FROM, "FROM", W_ATT, "ATT", "SUBJECT",
	       display_sgr(colour, "\033[0m"));
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
		char *date = display_local_time(r->date_utc, FALSE);
		char *st = display_fit(r->status, W_STATUS, TRUE);
		char *from = display_fit(who != NULL ? who : "-", W_FROM, TRUE);
		char *subj_raw, *subj;
		char att[24];

		g_string_truncate(line, 0);
		if (r->parent_id > 0)
			g_string_append_printf(line, "[re #%" G_GINT64_FORMAT
					       "] ", r->parent_id);
		g_string_append(line, r->subject != NULL ? r->subject : "");
		if (r->follow_ups > 0)
			g_string_append_printf(line, " [+%" G_GINT64_FORMAT
			    " follow-up%s]", r->follow_ups,
			    r->follow_ups == 1 ? "" : "s");
		subj_raw = g_strdup(line->str);
		subj = wsub > 0 ? display_fit(subj_raw, wsub, FALSE) :
		    display_clean(subj_raw, FALSE);
		if (r->attachment_count > 0)
			snprintf(att, sizeof att, "%" G_GINT64_FORMAT,
				 r->attachment_count);
		else
			snprintf(att, sizeof att, "-");
		printf("%*" G_GINT64_FORMAT "  %s%s%s  %-*s  %s  %*s%s%s%s  "
		       "%s\n", wid, r->id,
		       display_sgr(colour, status_sgr(r->status)), st,
		       display_sgr(colour, "\033[0m"), W_DATE, date, from,
		       W_ATT, att,
		       display_sgr(colour && r->has_gps, "\033[31m"),
		       r->has_gps ? "!" : " ",
		       display_sgr(colour && r->has_gps, "\033[0m"), subj);
		g_free(date);
		g_free(st);
		g_free(from);
		g_free(subj_raw);
		g_free(subj);
	}
	g_string_free(line, TRUE);
}

void
listing_print(const listing_options *o, GPtrArray *rows, gboolean search)
{
	if (o->json) {
		JsonNode *n = detail_rows_json(rows, search);
		char *s = detail_json_string(n, FALSE);

		fputs(s, stdout);
		g_free(s);
		json_node_unref(n);
		return;
	}
	if (rows->len == 0) {
		log_info("no submissions match");
		return;
	}
	print_table(rows);
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

	rc = cmd_parse_options("list", "[--status STATUS | --all] "
	    "[--since DATE] [--until DATE] [--from TEXT] [--has-attachments] "
	    "[--limit N] [--offset N] [--sort date|sender|given-name] "
	    "[--reverse] [--flat] [--json]",
	    "List submissions, newest first; by default those that need an "
	    "editor (new, quarantined, too_large).  A follow-up is shown "
	    "with its thread's first message.",
	    listing_entries(&o), &argc, &argv, 0, 0, &done);
	if (rc != TL_OK || done)
		goto out;
	if ((rc = listing_filter("list", &o, &f)) != TL_OK)
		goto out;
	if ((rc = desk_connection_setup(ctx->st, &err)) != TL_OK ||
	    (rc = desk_list(ctx->st, &f, &rows, &err)) != TL_OK) {
		log_err("list: %s", err);
		goto out;
	}
	listing_print(&o, rows, FALSE);
	if (fflush(stdout) != 0) {
		log_err("list: writing output failed");
		rc = TL_SOFTWARE;
	}
out:
	if (rows != NULL)
		g_ptr_array_unref(rows);
	listing_options_free(&o);
	g_free(err);
	return rc;
}
