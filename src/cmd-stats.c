/* cmd-stats.c - `tipline stats [--days N] [--json]`: how full the queue
 * is, how much came in per day, and whether every mailbox is still being
 * fetched (a monitoring script can alarm on last_success_utc). */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "display.h"
#include "store.h"
#include "util.h"

static void
member_str(JsonBuilder *b, const char *name, const char *v)
{
	json_builder_set_member_name(b, name);
	if (v == NULL)
		json_builder_add_null_value(b);
	else
		json_builder_add_string_value(b, v);
}

static void
stats_text(const store_stats *s, gint64 days)
{
	guint i;

	printf("Submissions per status:\n");
	for (i = 0; i < s->statuses->len; i++) {
		const store_stats_status *x = &g_array_index(s->statuses,
						store_stats_status, i);

		printf("  %-12s %8" G_GINT64_FORMAT "\n", x->status, x->count);
	}
	printf("  %-12s %8" G_GINT64_FORMAT "\n", "total", s->total);
	printf("\nReceived per day (UTC, last %" G_GINT64_FORMAT " days):\n",
	       days);
	for (i = 0; i < s->days->len; i++) {
		const store_stats_day *d = &g_array_index(s->days,
						store_stats_day, i);

		printf("  %s %8" G_GINT64_FORMAT "\n", d->date, d->count);
	}
	printf("\nMailboxes:\n");
	for (i = 0; i < s->mailboxes->len; i++) {
		const store_stats_mailbox *m = &g_array_index(s->mailboxes,
						store_stats_mailbox, i);
		/* The newsroom's zone, named (editor trial finding 4);
		 * --json keeps the UTC values. */
		char *ok = display_named_time(m->last_success_utc);
		char *bad = display_named_time(m->last_error_utc);

		printf("  %-16s last fetch %s", m->mailbox,
		       m->last_success_utc ? ok : "never");
		if (m->last_error_utc != NULL &&
		    (m->last_success_utc == NULL ||
		     strcmp(m->last_error_utc, m->last_success_utc) > 0))
			printf("; failing since %s: %s", bad,
			       m->last_error ? m->last_error : "?");
		printf("\n");
		g_free(ok);
		g_free(bad);
	}
}

static void
stats_json(const store_stats *s)
{
	JsonBuilder *b = json_builder_new();
	JsonNode *root;
	char *out;
	guint i;

	json_builder_begin_object(b);
	member_str(b, "schema", DETAIL_JSON_SCHEMA);
	json_builder_set_member_name(b, "statuses");
	json_builder_begin_object(b);
	for (i = 0; i < s->statuses->len; i++) {
		const store_stats_status *x = &g_array_index(s->statuses,
						store_stats_status, i);

		json_builder_set_member_name(b, x->status);
		json_builder_add_int_value(b, x->count);
	}
	json_builder_end_object(b);
	json_builder_set_member_name(b, "total");
	json_builder_add_int_value(b, s->total);
	json_builder_set_member_name(b, "days");
	json_builder_begin_array(b);
	for (i = 0; i < s->days->len; i++) {
		const store_stats_day *d = &g_array_index(s->days,
						store_stats_day, i);

		json_builder_begin_object(b);
		member_str(b, "date", d->date);
		json_builder_set_member_name(b, "count");
		json_builder_add_int_value(b, d->count);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "mailboxes");
	json_builder_begin_array(b);
	for (i = 0; i < s->mailboxes->len; i++) {
		const store_stats_mailbox *m = &g_array_index(s->mailboxes,
						store_stats_mailbox, i);

		json_builder_begin_object(b);
		member_str(b, "mailbox", m->mailbox);
		member_str(b, "last_success_utc", m->last_success_utc);
		member_str(b, "last_error_utc", m->last_error_utc);
		member_str(b, "last_error", m->last_error);
		json_builder_set_member_name(b, "last_uid");
		json_builder_add_int_value(b, m->last_uid);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	out = detail_json_string(root, TRUE);
	fputs(out, stdout);
	g_free(out);
	json_node_unref(root);
	g_object_unref(b);
}

tl_status
cmd_stats(tl_ctx *ctx, int argc, char **argv)
{
	gboolean json = FALSE;
	gint64 days = 14;
	GOptionEntry e[] = {
		{ "days", 0, 0, G_OPTION_ARG_INT64, &days,
		  "per-day counts for the last N days (default 14)", "N" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json,
		  "print JSON (docs/json-schema.md)", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	store_stats s;
	tl_status rc;
	int done = 0;

	memset(&s, 0, sizeof s);
	rc = cmd_parse_options("stats", "[--days N] [--json]",
	    "Counts per status, submissions received per day (UTC), and the "
	    "last successful fetch of every mailbox.", e, &argc, &argv, 0, 0,
	    &done);
	if (rc != TL_OK || done)
		goto out;
	if (days < 1 || days > 3660) {
		cmd_err("stats", "--days takes 1 to 3660");
		rc = TL_USAGE;
		goto out;
	}
	if ((rc = store_stats_load(ctx->st, (int)days, &s)) != TL_OK) {
		cmd_err("stats", "%s", store_errmsg(ctx->st));
		goto out;
	}
	if (json)
		stats_json(&s);
	else
		stats_text(&s, days);
	rc = cmd_output_done("stats");
out:
	store_stats_clear(&s);
	return rc;
}
