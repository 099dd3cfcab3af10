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

/* The order of the report: what needs an editor first. */
static const queue_status statuses[] = {
	QUEUE_NEW, QUEUE_QUARANTINED, QUEUE_TOO_LARGE, QUEUE_APPROVED,
	QUEUE_REJECTED, QUEUE_SPAM, QUEUE_AUTO_REPLY, QUEUE_BOUNCE,
};

static tl_status
query_fail(tl_ctx *ctx, sqlite3_stmt *q)
{
	tl_status rc = store_fail(ctx->st, "stats");

	sqlite3_finalize(q);
	cmd_err("stats", "%s", store_errmsg(ctx->st));
	return rc;
}

static const char *
col(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);

	return t != NULL ? (const char *)t : NULL;
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
	emitter *b = emit_json_new(TRUE);
	sqlite3 *db;
	sqlite3_stmt *q = NULL;
	gint64 total = 0;
	tl_status rc;
	int done = 0;

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
	db = store_db(ctx->st);
	emit_begin_map(b);
	emit_pair_str(b, "schema", DETAIL_JSON_SCHEMA);
	emit_key(b, "statuses");
	emit_begin_map(b);
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM submission WHERE "
			       "status = ?", -1, &q, NULL) != SQLITE_OK) {
		rc = query_fail(ctx, q);
		goto out;
	}
	if (!json)
		printf("Submissions per status:\n");
	for (gsize i = 0; i < G_N_ELEMENTS(statuses); i++) {
		const char *name = queue_status_name(statuses[i]);
		gint64 n;

		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_ROW) {
			rc = query_fail(ctx, q);
			goto out;
		}
		n = sqlite3_column_int64(q, 0);
		total += n;
		emit_pair_int(b, name, n);
		if (!json)
			printf("  %-12s %8" G_GINT64_FORMAT "\n", name, n);
	}
	sqlite3_finalize(q);
	q = NULL;
	emit_end(b);
	emit_pair_int(b, "total", total);
	if (!json)
		printf("  %-12s %8" G_GINT64_FORMAT "\n", "total", total);

	/* received_utc is ISO 8601, so its first 10 bytes are the UTC day. */
	if (sqlite3_prepare_v2(db, "SELECT substr(received_utc, 1, 10) AS d, "
	    "count(*) FROM submission WHERE received_utc >= "
	    "strftime('%Y-%m-%d', 'now', ?) GROUP BY d ORDER BY d", -1, &q,
	    NULL) != SQLITE_OK) {
		rc = query_fail(ctx, q);
		goto out;
	}
	{
		char *mod = g_strdup_printf("-%" G_GINT64_FORMAT " days",
					    days - 1);

		sqlite3_bind_text(q, 1, mod, -1, g_free);
	}
	emit_key(b, "days");
	emit_begin_list(b);
	if (!json)
		printf("\nReceived per day (UTC, last %" G_GINT64_FORMAT
		       " days):\n", days);
	while (sqlite3_step(q) == SQLITE_ROW) {
		emit_begin_map(b);
		emit_pair_str(b, "date", col(q, 0));
		emit_pair_int(b, "count",
		    sqlite3_column_int64(q, 1));
		emit_end(b);
		if (!json)
			printf("  %s %8" G_GINT64_FORMAT "\n", col(q, 0),
			       (gint64)sqlite3_column_int64(q, 1));
	}
	emit_end(b);
	sqlite3_finalize(q);
	q = NULL;

	if (sqlite3_prepare_v2(db, "SELECT mailbox, last_success_utc, "
	    "last_error_utc, last_error, last_uid, uidvalidity FROM "
	    "mailbox_state ORDER BY mailbox", -1, &q, NULL) != SQLITE_OK) {
		rc = query_fail(ctx, q);
		goto out;
	}
	emit_key(b, "mailboxes");
	emit_begin_list(b);
	if (!json)
		printf("\nMailboxes:\n");
	while (sqlite3_step(q) == SQLITE_ROW) {
		emit_begin_map(b);
		emit_pair_str(b, "mailbox", col(q, 0));
		emit_pair_str(b, "last_success_utc", col(q, 1));
		emit_pair_str(b, "last_error_utc", col(q, 2));
		emit_pair_str(b, "last_error", col(q, 3));
		emit_pair_int(b, "last_uid",
		    sqlite3_column_int64(q, 4));
		emit_end(b);
		if (!json) {
			/* The newsroom's zone, named (editor trial finding
			 * 4); --json keeps the UTC values. */
			char *ok = display_named_time(col(q, 1));
			char *bad = display_named_time(col(q, 2));

			printf("  %-16s last fetch %s", col(q, 0),
			       col(q, 1) ? ok : "never");
			if (col(q, 2) != NULL && (col(q, 1) == NULL ||
			    strcmp(col(q, 2), col(q, 1)) > 0))
				printf("; failing since %s: %s", bad,
				       col(q, 3) ? col(q, 3) : "?");
			printf("\n");
			g_free(ok);
			g_free(bad);
		}
	}
	emit_end(b);
	sqlite3_finalize(q);
	q = NULL;
	emit_end(b);
	if (json) {
		char *s = emit_finish(b);

		b = NULL;
		fputs(s, stdout);
		g_free(s);
	}
	if (rc == TL_OK)
		rc = cmd_output_done("stats");
out:
	if (b != NULL)
		g_free(emit_finish(b));
	return rc;
}
