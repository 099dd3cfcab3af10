/* cmd-previews.c - `tipline previews [--since DATE] [--limit N] [--size
 * PX] [--json]`: make ahead the thumbnails and stills the browser desk
 * shows (issue 12), so that no editor waits for a decode.  Meant for
 * cron after `fetch`, never inside it: fetch's critical time and memory
 * stay as they were, and this binary only starts the worker
 * (tipline-preview), it links no image or video library.  What is
 * cached already (a preview, or "no preview" with its reason) is not
 * made again; dangerous files and types the worker does not decode are
 * never sent to it. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "emit.h"

typedef struct {
	char *since;
	gint64 limit;
	gint64 size;
	gboolean json;
} previews_opts;

static void
previews_text(GPtrArray *made)
{
	guint ok = 0;

	for (guint i = 0; i < made->len; i++) {
		const store_preview *p = made->pdata[i];

		if (p->state == STORE_PREVIEW_OK) {
			ok++;
			printf("#%" G_GINT64_FORMAT " attachment %"
			       G_GINT64_FORMAT ": preview made\n",
			       p->submission_id, p->index);
		} else {
			printf("#%" G_GINT64_FORMAT " attachment %"
			       G_GINT64_FORMAT ": no preview: %s\n",
			       p->submission_id, p->index, p->reason);
		}
	}
	printf("made %u preview%s, %u without one\n", ok, ok == 1 ? "" : "s",
	       made->len - ok);
}

static void
previews_json(GPtrArray *made)
{
	emitter *e = emit_json_new(TRUE);
	char *out;

	emit_previews(e, made);
	out = emit_finish(e);
	fputs(out, stdout);
	g_free(out);
}

/* Make each preview of TODO, collecting the results in MADE.  A damaged
 * original is reported and skipped; a worker that cannot run at all
 * stops the run (every other one would fail the same way). */
static tl_status
previews_make(tl_ctx *ctx, GPtrArray *todo, unsigned size, GPtrArray *made)
{
	tl_status worst = TL_OK;

	for (guint i = 0; i < todo->len; i++) {
		const store_preview *t = todo->pdata[i];
		store_preview *p = NULL;
		char *err = NULL;
		tl_status rc;

		rc = preview_get(ctx->st, t->submission_id, t->index, size,
				 NULL, ctx->cfg->spool_dir, &p, &err);
		if (rc == TL_OK) {
			g_ptr_array_add(made, p);
			continue;
		}
		cmd_err("previews", "%s", err);
		g_free(err);
		worst = tl_status_worst(worst, rc);
		if (rc != TL_DATA)
			break;
	}
	return worst;
}

static tl_status
previews_parse(previews_opts *o, int *argc, char ***argv, int *done)
{
	GOptionEntry e[] = {
		{ "since", 0, 0, G_OPTION_ARG_STRING, &o->since,
		  "only submissions received since DATE", "DATE" },
		{ "limit", 0, 0, G_OPTION_ARG_INT64, &o->limit,
		  "make at most N previews", "N" },
		{ "size", 0, 0, G_OPTION_ARG_INT64, &o->size,
		  "fit in PX x PX pixels (default 480)", "PX" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &o->json,
		  "print JSON (docs/json-schema.md)", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	tl_status rc;

	rc = cmd_parse_options("previews",
	    "[--since DATE] [--limit N] [--size PX] [--json]",
	    "Make the previews of photos and video clips that the browser "
	    "desk shows, newest first, and keep them in the database; what "
	    "is already kept is not made again.", e, argc, argv, 0, 0, done);
	if (rc != TL_OK || *done)
		return rc;
	if (o->limit < 0) {
		cmd_err("previews", "--limit takes 0 (all) or more");
		return TL_USAGE;
	}
	if (o->size != 0 && (o->size < 16 || o->size > 4096)) {
		cmd_err("previews", "--size takes 16 to 4096 pixels");
		return TL_USAGE;
	}
	return TL_OK;
}

tl_status
cmd_previews(tl_ctx *ctx, int argc, char **argv)
{
	previews_opts o = { NULL, 0, 0, FALSE };
	GPtrArray *todo = NULL, *made = NULL;
	char *since_utc = NULL, *err = NULL;
	tl_status rc, mk;
	int done = 0;

	rc = previews_parse(&o, &argc, &argv, &done);
	if (rc != TL_OK || done)
		goto out;
	if (o.since != NULL &&
	    (rc = desk_date_parse(o.since, FALSE, &since_utc, &err)) !=
	    TL_OK) {
		cmd_err("previews", "%s", err);
		goto out;
	}
	rc = preview_todo(ctx->st, since_utc, o.limit, (unsigned)o.size,
			  &todo);
	if (rc != TL_OK) {
		cmd_err("previews", "%s", store_errmsg(ctx->st));
		goto out;
	}
	made = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)store_preview_free);
	mk = previews_make(ctx, todo, (unsigned)o.size, made);
	if (o.json)
		previews_json(made);
	else
		previews_text(made);
	rc = tl_status_worst(mk, cmd_output_done("previews"));
out:
	if (todo != NULL)
		g_ptr_array_unref(todo);
	if (made != NULL)
		g_ptr_array_unref(made);
	g_free(o.since);
	g_free(since_utc);
	g_free(err);
	return rc;
}
