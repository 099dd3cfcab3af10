/* page-bulk.c - bulk decisions that need no JavaScript (issue 12): GET
 * /bulk lists the new submissions with a checkbox each; POST
 * /bulk/confirm shows what will happen and asks again with a second
 * form; POST /bulk/apply decides each with desk_decide, as page_decide
 * and `tipline approve` do, under the editor's name (one audit row per
 * submission), refusing each one whose status is no longer the one the
 * editor saw.  The chosen ids travel as fields "id.N" whose value is
 * what the editor saw, "STATUS:VERSION" (desk_expect; a bare "STATUS"
 * checks the status alone), so that one form field per id needs no
 * repeated names. */
#include <string.h>

#include "serve.h"

#define NOTE_MAX 4000	/* bytes of a decision's note, as page-sub.c */

/* One chosen submission. */
typedef struct {
	gint64 id;
	desk_expect seen;	/* what the editor's page showed */
} pick;

static gint
pick_cmp(gconstpointer a, gconstpointer b)
{
	const pick *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* Parse the value of an "id.N" field ("STATUS" or "STATUS:VERSION")
 * into *SEEN; FALSE when it is neither. */
static gboolean
seen_read(const char *v, desk_expect *seen)
{
	const char *colon = strchr(v, ':');
	char *status = g_strndup(v, colon != NULL ? (gsize)(colon - v) :
				 strlen(v));
	char *end = NULL;

	seen->status = queue_status_parse(status);
	seen->version = -1;
	g_free(status);
	if (colon != NULL) {
		seen->version = g_ascii_strtoll(colon + 1, &end, 10);
		if (!g_ascii_isdigit(colon[1]) || *end != '\0')
			return FALSE;
	}
	return queue_status_name(seen->status) != NULL;
}

/* The "id.N" fields of FORM, by id (g_array_unref); NULL when one is
 * malformed or there are more than SERVE_BULK_MAX. */
static GArray *
picks_read(GHashTable *form)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(pick));
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, form);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const char *key = k;
		char *end = NULL;
		pick p;

		if (!g_str_has_prefix(key, "id."))
			continue;
		p.id = g_ascii_strtoll(key + 3, &end, 10);
		if (!g_ascii_isdigit(key[3]) || *end != '\0' || p.id <= 0 ||
		    !seen_read(v, &p.seen) || a->len >= SERVE_BULK_MAX) {
			g_array_unref(a);
			return NULL;
		}
		g_array_append_val(a, p);
	}
	g_array_sort(a, pick_cmp);
	return a;
}

/* The checkbox or hidden field of ID, carrying SEEN. */
static void
pick_input(GString *o, gint64 id, const desk_expect *seen, gboolean hidden)
{
	char *name = g_strdup_printf("id.%" G_GINT64_FORMAT, id);
	char *value = seen->version < 0 ?
		g_strdup(queue_status_name(seen->status)) :
		g_strdup_printf("%s:%" G_GINT64_FORMAT,
				queue_status_name(seen->status),
				seen->version);

	html_raw(o, hidden ? "<input type=\"hidden\"" :
		 "<input type=\"checkbox\"");
	html_attr(o, "name", name);
	html_attr(o, "value", value);
	html_raw(o, ">");
	g_free(value);
	g_free(name);
}

static void
bad(serve_page *p, const char *what)
{
	p->status = 400;
	page_message(p->body, "Bad request", what);
}

/* What each checkbox of ROWS carries into *SEEN (g_free; one per row),
 * status and version read together (issue 12); the table shows nothing
 * that a decision changes.  Errors as desk_expect_load. */
static tl_status
seen_load(const serve_req *r, GPtrArray *rows, desk_expect **seen,
	  char **err)
{
	gint64 *ids = g_new(gint64, rows->len + 1);
	tl_status rc;

	*seen = g_new(desk_expect, rows->len + 1);
	for (guint i = 0; i < rows->len; i++)
		ids[i] = ((const desk_row *)rows->pdata[i])->id;
	rc = desk_expect_load(r->st, ids, rows->len, *seen, err);
	g_free(ids);
	return rc;
}

void
page_bulk(const serve_req *r, serve_page *p)
{
	GArray *st = g_array_new(FALSE, FALSE, sizeof(queue_status));
	queue_status nw = QUEUE_NEW;
	GPtrArray *rows = NULL;
	desk_expect *seen = NULL;
	desk_filter f;
	char *err = NULL;
	tl_status rc;

	g_array_append_val(st, nw);
	memset(&f, 0, sizeof f);
	f.statuses = st;
	f.no_threads = TRUE;
	f.limit = SERVE_BULK_MAX;
	f.editor = r->editor;
	rc = desk_list(r->st, &f, &rows, &err);
	g_array_unref(st);
	if (rc == TL_OK)
		rc = seen_load(r, rows, &seen, &err);
	p->body = g_string_new(NULL);
	if (rc != TL_OK) {
		p->status = rc == TL_TEMPFAIL ? 503 : 500;
		page_message(p->body, "The queue cannot be read", err);
		g_free(err);
		goto out;
	}
	p->status = 200;
	html_page_begin(p->body, "Bulk decisions", r->editor, r->csrf);
	html_raw(p->body, "<h1>Bulk decisions</h1>\n<form method=\"post\" "
		 "action=\"/bulk/confirm\">");
	html_csrf(p->body, r->csrf);
	html_raw(p->body, "<table><thead><tr><th></th><th>#</th>"
		 "<th>Date</th><th>From</th><th>Subject</th></tr>"
		 "</thead><tbody>\n");
	for (guint i = 0; i < rows->len; i++) {
		const desk_row *d = rows->pdata[i];

		html_raw(p->body, "<tr class=\"row\"><td><label>");
		pick_input(p->body, d->id, &seen[i], FALSE);
		html_raw(p->body, "</label></td><td>#");
		html_int(p->body, d->id);
		html_raw(p->body, "</td><td>");
		html_when(p->body, d->queue_utc ? d->queue_utc :
			  d->date_utc, FALSE);
		html_raw(p->body, "</td><td>");
		html_text(p->body, d->from_name ? d->from_name : d->from_addr);
		html_raw(p->body, "</td><td>");
		html_text(p->body, d->subject);
		html_raw(p->body, "</td></tr>\n");
	}
	html_raw(p->body, "</tbody></table>\n<p><label>Note <input "
		 "name=\"note\" size=\"40\"></label></p><p>"
		 "<button name=\"action\" value=\"approve\">Approve "
		 "chosen...</button><button name=\"action\" value=\"reject\">"
		 "Reject chosen...</button><button name=\"action\" "
		 "value=\"spam\">Spam chosen...</button></p></form>\n");
	html_page_end(p->body);
out:
	if (rows != NULL)
		g_ptr_array_unref(rows);
	g_free(seen);
}

/* The action, note and picks of a bulk form; FALSE with P filled (400)
 * when they are not a decision. */
static gboolean
bulk_read(const serve_req *r, serve_page *p, desk_action *action,
	  const char **note, GArray **picks)
{
	const char *n = g_hash_table_lookup(r->form, "note");

	*action = desk_action_parse(g_hash_table_lookup(r->form, "action"));
	*picks = picks_read(r->form);
	if (*action == DESK_INVALID_ACTION ||
	    (n != NULL && strlen(n) > NOTE_MAX) || *picks == NULL) {
		if (*picks != NULL)
			g_array_unref(*picks);
		bad(p, "Not a decision.");
		return FALSE;
	}
	if ((*picks)->len == 0) {
		g_array_unref(*picks);
		bad(p, "No submission was chosen: go back and tick some.");
		return FALSE;
	}
	*note = n != NULL && *n != '\0' ? n : NULL;
	return TRUE;
}

void
page_bulk_confirm(const serve_req *r, serve_page *p)
{
	desk_action action;
	const char *note, *name;
	GArray *picks = NULL;

	p->body = g_string_new(NULL);
	if (r->form == NULL || !bulk_read(r, p, &action, &note, &picks))
		return;
	name = desk_action_name(action);
	p->status = 200;
	html_page_begin(p->body, "Confirm", r->editor, r->csrf);
	html_raw(p->body, "<h1>Confirm</h1>\n<p>");
	html_text(p->body, name);
	html_raw(p->body, " <strong id=\"count\">");
	html_int(p->body, picks->len);
	html_raw(p->body, "</strong> submission(s) as ");
	html_text(p->body, r->editor);
	html_raw(p->body, ":</p><ul>");
	for (guint i = 0; i < picks->len; i++) {
		const pick *k = &g_array_index(picks, pick, i);

		html_raw(p->body, "<li>#");
		html_int(p->body, k->id);
		html_raw(p->body, ": ");
		html_text(p->body, queue_status_name(k->seen.status));
		html_raw(p->body, " -&gt; ");
		html_text(p->body, queue_status_name(
				  desk_action_status(action)));
		html_raw(p->body, "</li>");
	}
	html_raw(p->body, "</ul>\n");
	if (note != NULL) {
		html_raw(p->body, "<p>Note: ");
		html_text(p->body, note);
		html_raw(p->body, "</p>\n");
	}
	html_raw(p->body, "<form method=\"post\" action=\"/bulk/apply\">");
	html_csrf(p->body, r->csrf);
	for (guint i = 0; i < picks->len; i++) {
		const pick *k = &g_array_index(picks, pick, i);

		pick_input(p->body, k->id, &k->seen, TRUE);
	}
	html_raw(p->body, "<input type=\"hidden\" name=\"action\"");
	html_attr(p->body, "value", name);
	html_raw(p->body, "><input type=\"hidden\" name=\"note\"");
	html_attr(p->body, "value", note ? note : "");
	html_raw(p->body, "><button>Yes, ");
	html_text(p->body, name);
	html_raw(p->body, "</button> <a href=\"/bulk\">Cancel</a></form>\n");
	html_page_end(p->body);
	g_array_unref(picks);
}

/* Decide K as page_decide does, the status and version the editor saw
 * checked by the store in its write transaction (desk_decide_expect):
 * refused (TL_OK with *stale set to who decided meanwhile, g_free) when
 * they are no longer those. */
static tl_status
apply_one(const serve_req *r, const pick *k, desk_action action,
	  const char *note, char **stale, char **err)
{
	detail_submission *d = NULL;
	desk_decision res;
	tl_status rc;

	rc = desk_decide_expect(r->st, &k->id, 1, &k->seen, action,
				r->editor, note, &res, err);
	if (rc == TL_OK && !res.found) {
		rc = TL_DATA;
		*err = g_strdup_printf("no submission %" G_GINT64_FORMAT,
				       k->id);
	} else if (rc == TL_OK && !res.stale) {
		store_seen_mark(r->st, r->editor, &k->id, 1, FALSE, NULL,
				NULL);
	} else if (rc == TL_OK &&
		   (rc = detail_load(r->st, k->id, &d, err)) == TL_OK) {
		const audit_row *e = detail_last_decision(d);

		*stale = g_strdup_printf("now %s (%s by %s at %s)",
			queue_status_name(d->status),
			e && audit_action_name(e->action) ?
			audit_action_name(e->action) : "?",
			e && e->editor ? e->editor : "?",
			e && e->at_utc ? e->at_utc : "?");
	}
	detail_free(d);
	return rc;
}

void
page_bulk_apply(const serve_req *r, serve_page *p)
{
	desk_action action;
	const char *note;
	GArray *picks = NULL;
	guint done = 0;

	p->body = g_string_new(NULL);
	if (r->form == NULL || !bulk_read(r, p, &action, &note, &picks))
		return;
	p->status = 200;
	html_page_begin(p->body, "Done", r->editor, r->csrf);
	html_raw(p->body, "<h1>Bulk decision</h1>\n<ul>");
	for (guint i = 0; i < picks->len; i++) {
		const pick *k = &g_array_index(picks, pick, i);
		char *stale = NULL, *err = NULL;
		tl_status rc = apply_one(r, k, action, note, &stale, &err);

		html_raw(p->body, rc == TL_OK && stale == NULL ?
			 "<li class=\"applied\">#" : "<li class=\"refused\">#");
		html_int(p->body, k->id);
		html_raw(p->body, ": ");
		if (rc != TL_OK) {
			html_text(p->body, "not changed: ");
			html_text(p->body, err);
		} else if (stale != NULL) {
			html_text(p->body, "decided meanwhile, not changed: ");
			html_text(p->body, stale);
		} else {
			html_text(p->body, queue_status_name(
					  desk_action_status(action)));
			done++;
		}
		html_raw(p->body, "</li>");
		g_free(stale);
		g_free(err);
	}
	html_raw(p->body, "</ul>\n<p>");
	html_int(p->body, done);
	html_raw(p->body, " of ");
	html_int(p->body, picks->len);
	html_raw(p->body, " decided. <a href=\"/bulk\">Back</a></p>\n");
	html_page_end(p->body);
	log_info("serve: %s: bulk %s of %u: %u decided", r->editor,
		 desk_action_name(action), picks->len, done);
	g_array_unref(picks);
}
