/* cmd-audit.c - `tipline audit [ID] [--editor NAME] [--since DATE]
 * [--until DATE] [--limit N] [--json]` (alias `log`): the editors' audit
 * log, also for submissions that were purged (store.h). */
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "commands.h"
#include "display.h"
#include "emit.h"
#include "util.h"

#define W_WHEN 16
#define W_EDITOR 14
#define W_ACTION 8

typedef struct {
	char *editor, *since, *until;
	gint64 limit;
	gboolean json;
} audit_options;

/* The array of docs/json-schema.md ("audit"). */
static void
print_json(GPtrArray *rows)
{
	emitter *e = emit_json_new(FALSE);
	char *s;

	emit_audit_rows(e, rows);
	s = emit_finish(e);
	fputs(s, stdout);
	g_free(s);
}

/* "new -> approved", "-> new", "approved" or "-". */
/* The action's name, "?" for one this version does not know. */
static const char *
action_label(audit_action a)
{
	const char *name = audit_action_name(a);

	return name != NULL ? name : "?";
}

static char *
status_change(const audit_row *r)
{
	if (r->old_status != NULL && r->new_status != NULL &&
	    strcmp(r->old_status, r->new_status) != 0)
		return g_strdup_printf("%s -> %s", r->old_status,
				       r->new_status);
	if (r->new_status != NULL)
		return g_strdup_printf("%s%s", r->old_status ? "" : "-> ",
				       r->new_status);
	return g_strdup(r->old_status != NULL ? r->old_status : "-");
}

static void
print_table(GPtrArray *rows)
{
	printf("%-*s  %6s  %-*s  %-*s  %s\n", W_WHEN, "WHEN", "ID", W_EDITOR,
	       "EDITOR", W_ACTION, "ACTION", "STATUS / NOTE");
	for (guint i = 0; i < rows->len; i++) {
		const audit_row *r = rows->pdata[i];
		char *when = localtime_text(r->at_utc, FALSE);
		char *who = display_fit(r->editor, W_EDITOR, TRUE);
		char *what = display_fit(action_label(r->action), W_ACTION,
					  TRUE);
		char *change = status_change(r);
		char *note = r->note != NULL ? display_clean(r->note, FALSE) :
		    NULL;
		char id[24];

		if (r->submission_id > 0)
			snprintf(id, sizeof id, "%" G_GINT64_FORMAT,
				 r->submission_id);
		else
			snprintf(id, sizeof id, "all");
		printf("%-*s  %6s  %s  %s  %s%s%s\n", W_WHEN, when, id, who,
		       what, change, note ? "  " : "", note ? note : "");
		g_free(when);
		g_free(who);
		g_free(what);
		g_free(change);
		g_free(note);
	}
}

tl_status
cmd_audit(tl_ctx *ctx, int argc, char **argv)
{
	audit_options o = { 0 };
	GOptionEntry e[] = {
		{ "editor", 0, 0, G_OPTION_ARG_STRING, &o.editor,
		  "only what this editor (login name) did", "NAME" },
		{ "since", 0, 0, G_OPTION_ARG_STRING, &o.since,
		  "on or after DATE (YYYY-MM-DD, local, or ISO 8601)",
		  "DATE" },
		{ "until", 0, 0, G_OPTION_ARG_STRING, &o.until,
		  "on or before DATE", "DATE" },
		{ "limit", 0, 0, G_OPTION_ARG_INT64, &o.limit,
		  "only the newest N rows", "N" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &o.json,
		  "print JSON (docs/json-schema.md)", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	const char *name = argv[0];
	audit_filter f = { 0 };
	GPtrArray *rows = NULL;
	char *err = NULL, *since = NULL, *until = NULL;
	tl_status rc;
	int done = 0;

	rc = cmd_parse_options(name, "[ID] [--editor NAME] [--since DATE] "
	    "[--until DATE] [--limit N] [--json]",
	    "The editors' audit log, oldest first: who ingested, decided, "
	    "exported, reparsed or purged which submission, and when.  "
	    "Purged submissions keep their history.", e, &argc, &argv, 0, 1,
	    &done);
	if (rc != TL_OK || done)
		goto out;
	if (argc > 1 && (f.submission_id = cmd_parse_id(argv[1])) == 0) {
		cmd_err(name, "\"%s\" is not a submission id", argv[1]);
		rc = TL_USAGE;
		goto out;
	}
	if (o.limit < 0) {
		cmd_err(name, "--limit must not be negative");
		rc = TL_USAGE;
		goto out;
	}
	if ((o.since != NULL &&
	     (rc = desk_date_parse(o.since, FALSE, &since, &err)) != TL_OK) ||
	    (o.until != NULL &&
	     (rc = desk_date_parse(o.until, TRUE, &until, &err)) != TL_OK)) {
		cmd_err(name, "%s", err);
		goto out;
	}
	f.editor = o.editor;
	f.since_utc = since;
	f.until_utc = until;
	f.limit = o.limit;
	if ((rc = audit_rows_load(ctx->st, &f, &rows, &err)) != TL_OK) {
		cmd_err(name, "%s", err);
		goto out;
	}
	if (o.json)
		print_json(rows);
	else if (rows->len == 0)
		log_info("no audit rows match");
	else
		print_table(rows);
	if (rc == TL_OK)
		rc = cmd_output_done(name);
out:
	if (rows != NULL)
		g_ptr_array_unref(rows);
	g_free(o.editor);
	g_free(o.since);
	g_free(o.until);
	g_free(since);
	g_free(until);
	g_free(err);
	return rc;
}
