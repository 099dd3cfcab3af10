/* cmd-search.c - `tipline search QUERY`: full-text search, diacritics
 * optional (FTS5, see desk.h). */
#include <stdio.h>

#include "cmd-listing.h"
#include "log.h"

tl_status
cmd_search(tl_ctx *ctx, int argc, char **argv)
{
	listing_options o = { 0 };
	desk_filter f;
	GPtrArray *rows = NULL;
	char *err = NULL, *query = NULL;
	tl_status rc;
	int done = 0;

	rc = cmd_parse_options("search", "QUERY... [--status STATUS | --all] "
	    "[--since DATE] [--until DATE] [--from TEXT] [--has-attachments] "
	    "[--limit N] [--offset N] [--sort relevance|date|sender|"
	    "given-name] [--json]",
	    "Search subject, sender, text, forwarded messages and attachment "
	    "names.  Diacritics are optional (\"da nang\" finds \"Đà "
	    "Nẵng\"); several words match as a phrase; matches with the "
	    "exact diacritics rank first.  Every status but bounce unless "
	    "--status or --all.",
	    listing_entries(&o), &argc, &argv, 1, -1, &done);
	if (rc != TL_OK || done)
		goto out;
	if ((rc = listing_filter("search", &o, &f)) != TL_OK)
		goto out;
	if (o.sort == NULL || g_strcmp0(o.sort, "relevance") == 0)
		f.sort = DESK_SORT_RELEVANCE;
	/* `tipline search da nang` is the phrase "da nang". */
	query = g_strjoinv(" ", argv + 1);
	if ((rc = desk_connection_setup(ctx->st, &err)) != TL_OK ||
	    (rc = desk_search(ctx->st, query, &f, &rows, &err)) != TL_OK) {
		cmd_err("search", "%s", err);
		goto out;
	}
	listing_print(&o, rows, TRUE);
	rc = cmd_output_done("search");
out:
	if (rows != NULL)
		g_ptr_array_unref(rows);
	listing_options_free(&o);
	g_free(query);
	g_free(err);
	return rc;
}
