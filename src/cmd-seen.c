/* cmd-seen.c - `tipline seen ID... | --all`: mark submissions as seen by
 * the editor running it, so that `list --unseen` leaves them out. */
#include <stdio.h>

#include "commands.h"
#include "util.h"
#include "store.h"

tl_status
cmd_seen(tl_ctx *ctx, int argc, char **argv)
{
	gboolean all = FALSE;
	GOptionEntry e[] = {
		{ "all", 0, 0, G_OPTION_ARG_NONE, &all,
		  "every submission in the queue", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	gint64 *ids = NULL;
	gboolean *found = NULL;
	guint marked = 0;
	tl_status rc;
	int done = 0;

	rc = cmd_parse_options("seen", "ID... | --all",
	    "Mark submissions as seen by you (the login name, or "
	    "$TIPLINE_EDITOR), so that list --unseen leaves them out.  "
	    "show on a terminal does this for the submission it shows.",
	    e, &argc, &argv, 0, -1, &done);
	if (rc != TL_OK || done)
		return rc;
	if (all == (argc > 1)) {
		cmd_err("seen", "give submission ids or --all");
		return TL_USAGE;
	}
	ids = g_new0(gint64, argc);
	found = g_new0(gboolean, argc);
	for (int i = 1; i < argc; i++) {
		if ((ids[i - 1] = cmd_parse_id(argv[i])) == 0) {
			cmd_err("seen", "\"%s\" is not a "
				"submission id", argv[i]);
			rc = TL_USAGE;
			goto out;
		}
	}
	rc = store_seen_mark(ctx->st, ctx->editor, ids, (guint)argc - 1, all,
			     found, &marked);
	if (rc != TL_OK) {
		cmd_err("seen", "%s", store_errmsg(ctx->st));
		goto out;
	}
	for (int i = 1; !all && i < argc; i++) {
		if (found[i - 1])
			continue;
		cmd_err("seen", "no submission %" G_GINT64_FORMAT, ids[i - 1]);
		rc = TL_DATA;
	}
	log_info("%u submission%s marked as seen by %s", marked,
		 marked == 1 ? "" : "s", ctx->editor);
out:
	g_free(ids);
	g_free(found);
	return rc;
}
