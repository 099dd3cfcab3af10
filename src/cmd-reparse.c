/* cmd-reparse.c - `tipline reparse ID... | --all-quarantined`: parse the
 * stored original again, after a parser fix, so a poison message that was
 * quarantined becomes a normal submission without being fetched again.
 *
 * A quarantined submission that now parses moves to the status the parser
 * gives it; any other keeps its status, which may be an editor's choice.
 */
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "util.h"

static tl_status
reparse_one(tl_ctx *ctx, gint64 id)
{
	char *raw = NULL, *err = NULL;
	msg_submission *sub = NULL;
	queue_status old = QUEUE_INVALID, status;
	tl_status rc;

	if ((rc = store_submission_status(ctx->st, id, &old)) != TL_OK)
		goto dberr;
	if (old == QUEUE_INVALID) {
		cmd_err("reparse", "no submission %" G_GINT64_FORMAT, id);
		return TL_DATA;
	}
	rc = store_raw_to_tempfile(ctx->st, id, ctx->cfg->spool_dir, &raw);
	if (rc != TL_OK) {
		cmd_err("reparse", "submission %" G_GINT64_FORMAT
		    ": cannot copy the original: %s",
			id, store_errmsg(ctx->st));
		goto out;
	}
	rc = message_parse_file(raw, &ctx->cfg->limits, &sub, &err);
	if (rc != TL_OK) {
		cmd_err("reparse", "submission %" G_GINT64_FORMAT
		    ": %s", id, err);
		goto out;
	}
	/* Only a quarantined submission takes the status the parser gives;
	 * any other status may be an editor's decision (a reopened
	 * auto-reply is "new" on purpose: QA F30), and it stands. */
	if (old == QUEUE_QUARANTINED)
		status = ingest_queue_status(message_classify(sub));
	else
		status = old;
	if ((rc = store_begin(ctx->st)) != TL_OK)
		goto dberr;
	rc = store_submission_reparse(ctx->st, id, sub, status,
				      sub->quarantine_reason);
	if (rc == TL_OK)
		rc = store_audit(ctx->st, id, ctx->editor, AUDIT_REPARSE,
				 queue_status_name(old),
				 queue_status_name(status),
				 sub->quarantine_reason);
	if (rc == TL_OK)
		rc = store_commit(ctx->st, 0);
	if (rc != TL_OK) {
		store_rollback(ctx->st);
		goto dberr;
	}
	log_info("#%" G_GINT64_FORMAT ": %s -> %s", id, queue_status_name(old),
		 queue_status_name(status));
	goto out;
dberr:
	cmd_err("reparse", "submission %" G_GINT64_FORMAT
	    ": %s", id, store_errmsg(ctx->st));
out:
	if (raw != NULL)
		unlink(raw);
	g_free(raw);
	g_free(err);
	message_free(sub);
	return rc;
}

/* --sort-keys: the desk's sort keys of every submission that has none
 * (store_sort_keys_mend; `tipline doctor` counts them). */
static tl_status
reparse_sort_keys(tl_ctx *ctx)
{
	gint64 added = 0;
	tl_status rc = store_sort_keys_mend(ctx->st, &added);

	if (rc != TL_OK)
		cmd_err("reparse", "sort keys: %s", store_errmsg(ctx->st));
	else
		log_info("sort keys made for %" G_GINT64_FORMAT
			 " submission(s)", added);
	return rc;
}

tl_status
cmd_reparse(tl_ctx *ctx, int argc, char **argv)
{
	gboolean all_q = FALSE, keys = FALSE;
	GOptionEntry entries[] = {
		{ "all-quarantined", 0, 0, G_OPTION_ARG_NONE, &all_q,
		  "every quarantined submission", NULL },
		{ "sort-keys", 0, 0, G_OPTION_ARG_NONE, &keys,
		  "no message: make the sender sort keys of every submission "
		  "that lacks them (doctor counts them)", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GArray *ids = NULL;
	tl_status rc, worst = TL_OK;
	int done;

	rc = cmd_parse_options("reparse", "ID... | --all-quarantined | "
			       "--sort-keys",
			       "Parse stored original messages again.",
			       entries, &argc, &argv, 0, -1, &done);
	if (rc != TL_OK || done)
		return rc;
	if ((argc > 1) + all_q + keys != 1) {
		cmd_err("reparse", "give submission ids, --all-quarantined "
			"or --sort-keys");
		return TL_USAGE;
	}
	if (keys)
		return reparse_sort_keys(ctx);
	if (all_q) {
		ids = g_array_new(FALSE, FALSE, sizeof(gint64));
		if ((rc = store_quarantined_ids(ctx->st, ids)) != TL_OK) {
			cmd_err("reparse", "%s", store_errmsg(ctx->st));
			g_array_free(ids, TRUE);
			return rc;
		}
	} else {
		ids = g_array_new(FALSE, FALSE, sizeof(gint64));
		for (int i = 1; i < argc; i++) {
			gint64 id = cmd_parse_id(argv[i]);

			if (id == 0) {
				cmd_err("reparse", "\"%s\" is not an id",
					argv[i]);
				g_array_free(ids, TRUE);
				return TL_USAGE;
			}
			g_array_append_val(ids, id);
		}
	}
	for (guint i = 0; i < ids->len; i++) {
		rc = reparse_one(ctx, g_array_index(ids, gint64, i));
		worst = tl_status_worst(worst, rc);
		if (rc == TL_TEMPFAIL || rc == TL_SOFTWARE)
			break;
	}
	g_array_free(ids, TRUE);
	return worst;
}
