/* cmd-purge.c - `tipline purge --status STATUS --older-than DURATION
 * [--dry-run]`: delete old submissions for good (see store.h). */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "store.h"
#include "util.h"

/* --older-than OLDER in seconds into *SECS; TL_USAGE (printed) for
 * what is not a duration or is too short to be a retention period. */
static tl_status
older_than_parse(const char *older, gint64 *secs)
{
	if ((*secs = config_parse_duration(older)) < 0) {
		cmd_err("purge", "--older-than %s: not a "
			"duration (30d, 12h, 2w)", older);
		return TL_USAGE;
	}
	/* A retention period is days: a bare "90" (seconds elsewhere in
	 * tipline) in a nightly cron line would destroy every matching tip
	 * older than a minute and a half, for good (QA F24). */
	if (g_ascii_isdigit(older[strlen(older) - 1]) || *secs < 3600) {
		cmd_err("purge", "--older-than %s: give a unit "
			"and at least an hour (e.g. 90d)", older);
		return TL_USAGE;
	}
	return TL_OK;
}

/* Tips no editor has decided on (new, quarantined, too_large) are not
 * purged by accident: TL_USAGE (printed) for such a status in STATUSES
 * without FORCE. */
static tl_status
statuses_check(const GArray *statuses, gboolean force)
{
	for (guint i = 0; i < statuses->len && !force; i++) {
		queue_status q = g_array_index(statuses, queue_status, i);

		if (q == QUEUE_NEW || q == QUEUE_QUARANTINED ||
		    q == QUEUE_TOO_LARGE) {
			cmd_err("purge", "--status %s: no "
				"editor has decided on these; add --force to "
				"purge them anyway", queue_status_name(q));
			return TL_USAGE;
		}
	}
	return TL_OK;
}

/* What RES purged (or, DRY_RUN, would purge) of the statuses JOINED:
 * the count and size, the ids on a dry run, the follow-ups whose quote
 * of a purged submission was removed. */
static void
purge_report(const purge_result *res, gboolean dry_run, const char *joined)
{
	char *size = g_format_size((guint64)res->raw_bytes);

	printf("%s %" G_GINT64_FORMAT " submission%s (%s of raw mail) with "
	       "status %s received before %s\n",
	       dry_run ? "would purge" : "purged", res->count,
	       res->count == 1 ? "" : "s", size, joined, res->cutoff_utc);
	g_free(size);
	if (dry_run) {
		for (guint i = 0; i < res->ids->len; i++)
			printf("%s%" G_GINT64_FORMAT, i ? " " : "  ids: ",
			       g_array_index(res->ids, gint64, i));
		if (res->ids->len > 0)
			printf("\n");
	}
	if (res->redacted != NULL && res->redacted->len > 0) {
		printf("%s quoted text of a purged submission %s %u "
		       "follow-up%s:", dry_run ? "would remove the" :
		       "removed the", dry_run ? "from" : "from",
		       res->redacted->len, res->redacted->len == 1 ? "" :
		       "s");
		for (guint i = 0; i < res->redacted->len; i++)
			printf(" #%" G_GINT64_FORMAT,
			       g_array_index(res->redacted, gint64, i));
		printf("\n");
	}
	if (!dry_run && res->kept != NULL)
		printf("note: %s\n", res->kept);
}

tl_status
cmd_purge(tl_ctx *ctx, int argc, char **argv)
{
	char **status = NULL;
	GArray *statuses = NULL;
	char *older = NULL, *err = NULL, *criteria = NULL, *joined = NULL;
	gboolean dry_run = FALSE, force = FALSE;
	GOptionEntry e[] = {
		{ "status", 0, 0, G_OPTION_ARG_STRING_ARRAY, &status,
		  "purge submissions with this status (repeatable, or a "
		  "comma list)", "STATUS" },
		{ "older-than", 0, 0, G_OPTION_ARG_STRING, &older,
		  "received more than DURATION ago (30d, 12h, 2w ...)",
		  "DURATION" },
		{ "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run,
		  "only say what would be purged", NULL },
		{ "force", 0, 0, G_OPTION_ARG_NONE, &force,
		  "also purge new, quarantined and too_large submissions",
		  NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	purge_result res = { 0 };
	gint64 secs;
	tl_status rc;
	int done = 0;

	rc = cmd_parse_options("purge", "--status STATUS --older-than "
	    "DURATION [--dry-run] [--force]",
	    "Delete submissions for good: the message, its attachments, its "
	    "search entries, and the editors' notes on it; then scrub the "
	    "database and its write-ahead log so that the text cannot be "
	    "recovered from the files.  The purge is audited (count and "
	    "criteria, no content).", e, &argc, &argv, 0, 0, &done);
	if (rc != TL_OK || done)
		goto out;
	if (status == NULL || older == NULL) {
		cmd_err("purge", "--status and --older-than are "
			"both required");
		rc = TL_USAGE;
		goto out;
	}
	if ((rc = desk_statuses_parse(status, &statuses, &err)) != TL_OK ||
	    statuses->len == 0) {
		cmd_err("purge", "%s", err ? err :
			"--status is empty");
		rc = TL_USAGE;
		goto out;
	}
	if ((rc = older_than_parse(older, &secs)) != TL_OK ||
	    (rc = statuses_check(statuses, force)) != TL_OK)
		goto out;
	joined = queue_status_list_name(statuses);
	criteria = g_strdup_printf("status %s, older than %s", joined, older);
	rc = purge_run(ctx->st, statuses, secs, dry_run,
		       ctx->editor, criteria, &res, &err);
	if (rc != TL_OK && res.count == 0) {
		cmd_err("purge", "%s", err);
		goto out;
	}
	purge_report(&res, dry_run, joined);
	if (rc != TL_OK)
		cmd_err("purge", "%s", err);
out:
	if (res.ids != NULL)
		g_array_unref(res.ids);
	if (res.redacted != NULL)
		g_array_unref(res.redacted);
	g_strfreev(status);
	if (statuses != NULL)
		g_array_unref(statuses);
	g_free(older);
	g_free(err);
	g_free(criteria);
	g_free(joined);
	return rc;
}
