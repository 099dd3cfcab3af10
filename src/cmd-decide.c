/* cmd-decide.c - `approve`, `reject`, `spam`, `reopen`: an editor's
 * decision on one or many submissions, recorded in the audit log. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "store.h"
#include "util.h"

/* Parse the ids, apply ACTION in one transaction (desk_decide), report.
 * TL_USAGE for a malformed id (nothing changed); TL_DATA when some id
 * does not exist (the others are decided); TL_TEMPFAIL when the database
 * stayed busy (nothing changed). */
static tl_status
decide(tl_ctx *ctx, int argc, char **argv, desk_action act,
       const char *text_opt, const char *summary)
{
	const char *action = desk_action_name(act);
	char *note = NULL, *err = NULL;
	GOptionEntry e[] = {
		{ text_opt, 0, 0, G_OPTION_ARG_STRING, &note,
		  "why (kept in the audit log)", "TEXT" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	char *args = g_strdup_printf("ID... [--%s TEXT]", text_opt);
	desk_decision *res = NULL;
	gint64 *ids = NULL;
	tl_status rc;
	int done = 0, n, missing = 0;

	rc = cmd_parse_options(action, args, summary, e, &argc, &argv, 1, -1,
			       &done);
	if (rc != TL_OK || done)
		goto out;
	n = argc - 1;
	ids = g_new0(gint64, n);
	for (int i = 0; i < n; i++) {
		if ((ids[i] = cmd_parse_id(argv[i + 1])) == 0) {
			cmd_err(action, "\"%s\" is not a "
				"submission id; nothing changed", argv[i + 1]);
			rc = TL_USAGE;
			goto out;
		}
	}
	res = g_new0(desk_decision, n);
	rc = desk_decide(ctx->st, ids, (guint)n, act, ctx->editor, note,
			 res, &err);
	if (rc != TL_OK) {
		cmd_err(action, "%s; nothing changed", err);
		goto out;
	}
	for (int i = 0; i < n; i++) {
		if (!res[i].found) {
			cmd_err(action, "no submission %" G_GINT64_FORMAT,
				res[i].id);
			missing++;
		} else if (res[i].old_status == res[i].new_status) {
			printf("%" G_GINT64_FORMAT ": already %s\n",
			       res[i].id, queue_status_name(res[i].new_status));
		} else {
			printf("%" G_GINT64_FORMAT ": %s -> %s\n", res[i].id,
			       queue_status_name(res[i].old_status),
			       queue_status_name(res[i].new_status));
		}
	}
	if (missing > 0)
		rc = TL_DATA;
out:
	g_free(res);
	g_free(ids);
	g_free(note);
	g_free(args);
	g_free(err);
	return rc;
}

tl_status
cmd_approve(tl_ctx *ctx, int argc, char **argv)
{
	return decide(ctx, argc, argv, DESK_APPROVE, "note",
		      "Approve submissions (status approved).");
}

tl_status
cmd_reject(tl_ctx *ctx, int argc, char **argv)
{
	return decide(ctx, argc, argv, DESK_REJECT, "reason",
		      "Reject submissions (status rejected).");
}

tl_status
cmd_spam(tl_ctx *ctx, int argc, char **argv)
{
	return decide(ctx, argc, argv, DESK_SPAM, "note",
		      "Mark submissions as spam.");
}

tl_status
cmd_reopen(tl_ctx *ctx, int argc, char **argv)
{
	return decide(ctx, argc, argv, DESK_REOPEN, "note",
		      "Put submissions back into the queue (status new).");
}
