/* cmd-stats.c - `tipline stats [--days N] [--json]`: how full the queue
 * is, how much came in per day, and whether every mailbox is still being
 * fetched (a monitoring script can alarm on last_success_utc). */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "display.h"
#include "emit.h"
#include "store.h"
#include "util.h"

static void
stats_text(const store_stats *s, gint64 days)
{
	guint i;

	printf("Submissions per status:\n");
	for (i = 0; i < s->statuses->len; i++) {
		const store_stats_status *x = &g_array_index(s->statuses,
						store_stats_status, i);

		printf("  %-12s %8" G_GINT64_FORMAT "\n",
		       queue_status_name(x->status), x->count);
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
	emitter *e = emit_json_new(TRUE);
	char *out;

	emit_stats(e, s);
	out = emit_finish(e);
	fputs(out, stdout);
	g_free(out);
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
