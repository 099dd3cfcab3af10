/* cmd-search.c - `tipline search QUERY`: full-text search, diacritics
 * optional (FTS5, see store.h). */
#include <stdio.h>
#include <string.h>

#include "cmd-listing.h"
#include "util.h"

/* Whether ARG (after "--") names an option of ENTRIES that takes a value
 * in the next argument. */
static gboolean
takes_value(const GOptionEntry *entries, const char *arg)
{
	if (strncmp(arg, "--", 2) != 0 || strchr(arg, '=') != NULL)
		return FALSE;
	for (int i = 0; entries[i].long_name != NULL; i++)
		if (strcmp(entries[i].long_name, arg + 2) == 0)
			return entries[i].arg != G_OPTION_ARG_NONE;
	return FALSE;
}

/* "-word" excludes a word (tipline(1), SEARCH SYNTAX), so an argument
 * with one dash is query text, not an unknown option: give it a leading
 * space, which GOption takes for a plain argument and the query parser
 * skips, keeping its place among the words (it matters next to OR).
 * The replaced strings are added to KEEP for freeing. */
static void
dash_words_protect(const GOptionEntry *entries, int argc, char **argv,
		   GPtrArray *keep)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0)
			break;
		if (takes_value(entries, a)) {
			i++;
			continue;
		}
		if (a[0] != '-' || a[1] == '-' || a[1] == '\0' ||
		    strcmp(a, "-h") == 0)
			continue;
		argv[i] = g_strconcat(" ", a, NULL);
		g_ptr_array_add(keep, argv[i]);
	}
}

tl_status
cmd_search(tl_ctx *ctx, int argc, char **argv)
{
	listing_options o = { 0 };
	GOptionEntry *entries = listing_entries(&o);
	GPtrArray *keep = g_ptr_array_new_with_free_func(g_free);
	desk_filter f;
	GPtrArray *rows = NULL;
	char *err = NULL, *query = NULL;
	tl_status rc;
	int done = 0;

	dash_words_protect(entries, argc, argv, keep);
	rc = cmd_parse_options("search", "QUERY... [--status STATUS | --all] "
	    "[--since DATE] [--until DATE] [--from TEXT] [--has-attachments] "
	    "[--mailbox NAME] [--has KIND] "
	    "[--limit N] [--offset N] [--sort relevance|date|sender|"
	    "given-name] [--json]",
	    "Search subject, sender, text, forwarded messages and attachment "
	    "names for all the words, in any order.  \"quoted words\" must "
	    "stand together, -word excludes, OR between two words accepts "
	    "either.  Diacritics are optional (\"da nang\" finds \"Đà "
	    "Nẵng\"); the words together rank first, then matches with the "
	    "exact diacritics.  Every status but bounce unless --status or "
	    "--all.",
	    entries, &argc, &argv, 1, -1, &done);
	if (rc != TL_OK || done)
		goto out;
	if ((rc = listing_filter("search", &o, &f)) != TL_OK)
		goto out;
	f.editor = ctx->editor;	/* "unseen" is this editor's, as in list */
	if (o.sort == NULL || g_strcmp0(o.sort, "relevance") == 0)
		f.sort = DESK_SORT_RELEVANCE;
	/* `tipline search da nang` is the query "da nang": both words. */
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
	g_ptr_array_unref(keep);
	g_free(query);
	g_free(err);
	return rc;
}
