/* page-sub.c - GET /s/ID (one submission and its decision form) and
 * POST /s/ID/decide.  Read through detail_load, the JSON of `show
 * --json`, for now: thin on purpose, to be rewritten over the typed
 * submission and the HTML emitter of issue 11.  Decisions go through
 * desk_decide, as `tipline approve` does, under the editor's name. */
#include <string.h>

#include "serve.h"

#define NOTE_MAX 4000	/* bytes of a decision's note */

static const char *
str(JsonObject *o, const char *key)
{
	JsonNode *n = json_object_get_member(o, key);

	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) ||
	    json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(n);
}

static gint64
num(JsonObject *o, const char *key, gint64 dflt)
{
	JsonNode *n = json_object_get_member(o, key);

	if (n == NULL || !JSON_NODE_HOLDS_VALUE(n))
		return dflt;
	return json_node_get_int(n);
}

static JsonArray *
arr(JsonObject *o, const char *key)
{
	JsonNode *n = json_object_get_member(o, key);

	return n != NULL && JSON_NODE_HOLDS_ARRAY(n) ?
	       json_node_get_array(n) : NULL;
}

/* Load submission ID under the store lock.  *obj borrows from *node. */
static tl_status
load(serve_ctx *ctx, gint64 id, JsonNode **node, char **err)
{
	tl_status rc;

	g_mutex_lock(&ctx->store_lock);
	rc = detail_load(ctx->st, id, node, err);
	g_mutex_unlock(&ctx->store_lock);
	return rc;
}

static void
field(GString *o, const char *label, const char *value)
{
	html_raw(o, "<dt>");
	html_text(o, label);
	html_raw(o, "</dt><dd>");
	html_text(o, value ? value : "-");
	html_raw(o, "</dd>");
}

/* The text with a reply's quoted part folded away (issue 12). */
static void
text_out(GString *o, const char *text, gint64 quote)
{
	gsize len = text ? strlen(text) : 0;
	char *head;

	if (text == NULL || *text == '\0') {
		html_raw(o, "<p>(no text)</p>\n");
		return;
	}
	if (quote <= 0 || (gsize)quote >= len ||
	    !g_utf8_validate(text, quote, NULL)) {
		html_raw(o, "<pre class=\"text\">");
		html_text(o, text);
		html_raw(o, "</pre>\n");
		return;
	}
	head = g_strndup(text, (gsize)quote);
	html_raw(o, "<pre class=\"text\">");
	html_text(o, head);
	html_raw(o, "</pre>\n<details><summary>Quoted text</summary>"
		 "<pre class=\"text\">");
	html_text(o, text + quote);
	html_raw(o, "</pre></details>\n");
	g_free(head);
}

static void
warnings_out(GString *o, JsonArray *w)
{
	if (w == NULL || json_array_get_length(w) == 0)
		return;
	html_raw(o, "<h2>Warnings</h2><ul class=\"warnings\">");
	for (guint i = 0; i < json_array_get_length(w); i++) {
		html_raw(o, "<li>");
		html_text(o, json_array_get_string_element(w, i));
		html_raw(o, "</li>");
	}
	html_raw(o, "</ul>\n");
}

static void
attachments_out(GString *o, JsonArray *a)
{
	if (a == NULL || json_array_get_length(a) == 0)
		return;
	html_raw(o, "<h2>Attachments</h2><table><tr><th>Name</th>"
		 "<th>Type</th><th>Bytes</th><th></th></tr>\n");
	for (guint i = 0; i < json_array_get_length(a); i++) {
		JsonObject *at = json_array_get_object_element(a, i);
		const char *danger = str(at, "danger");

		html_raw(o, "<tr><td>");
		html_text(o, str(at, "filename"));
		html_raw(o, "</td><td>");
		html_text(o, str(at, "content_type"));
		html_raw(o, "</td><td>");
		html_int(o, num(at, "size", 0));
		html_raw(o, "</td><td>");
		if (danger != NULL) {
			html_raw(o, "<span class=\"badge danger\">");
			html_text(o, danger);
			html_raw(o, "</span>");
		}
		html_raw(o, "</td></tr>\n");
	}
	html_raw(o, "</table>\n");
}

static void
history_out(GString *o, JsonArray *h)
{
	if (h == NULL || json_array_get_length(h) == 0)
		return;
	html_raw(o, "<h2>History</h2><table>\n");
	for (guint i = 0; i < json_array_get_length(h); i++) {
		JsonObject *e = json_array_get_object_element(h, i);

		html_raw(o, "<tr><td>");
		html_text(o, str(e, "at_utc"));
		html_raw(o, "</td><td>");
		html_text(o, str(e, "editor"));
		html_raw(o, "</td><td>");
		html_text(o, str(e, "action"));
		html_raw(o, "</td><td>");
		html_text(o, str(e, "new_status"));
		html_raw(o, "</td><td>");
		html_text(o, str(e, "note"));
		html_raw(o, "</td></tr>\n");
	}
	html_raw(o, "</table>\n");
}

static void
decide_form(GString *o, gint64 id, const char *status, const char *csrf)
{
	char *action = g_strdup_printf("/s/%" G_GINT64_FORMAT "/decide", id);

	html_raw(o, "<form method=\"post\" class=\"decide\"");
	html_attr(o, "action", action);
	html_raw(o, ">");
	html_csrf(o, csrf);
	html_raw(o, "<input type=\"hidden\" name=\"seen_status\"");
	html_attr(o, "value", status);
	html_raw(o, "><p><label>Note <input name=\"note\" size=\"40\">"
		 "</label></p><p>"
		 "<button name=\"action\" value=\"approve\" data-key=\"a\">"
		 "Approve <kbd>a</kbd></button>"
		 "<button name=\"action\" value=\"reject\" data-key=\"r\">"
		 "Reject <kbd>r</kbd></button>"
		 "<button name=\"action\" value=\"spam\">Spam</button>"
		 "<button name=\"action\" value=\"reopen\">Reopen</button>"
		 "</p></form>\n");
	g_free(action);
}

void
page_submission(const serve_req *r, gint64 id, serve_page *p)
{
	JsonNode *node = NULL;
	JsonObject *o;
	char *err = NULL, *from = NULL, *title;
	tl_status rc = load(r->ctx, id, &node, &err);

	p->body = g_string_new(NULL);
	if (rc != TL_OK) {
		p->status = rc == TL_DATA ? 404 : rc == TL_TEMPFAIL ? 503 :
			    500;
		page_message(p->body, "No such submission", err);
		g_free(err);
		return;
	}
	o = json_node_get_object(node);
	title = g_strdup_printf("#%" G_GINT64_FORMAT, id);
	p->status = 200;
	html_page_begin(p->body, title, r->editor, r->csrf);
	html_raw(p->body, "<h1>");
	html_text(p->body, title);
	html_raw(p->body, " ");
	html_text(p->body, str(o, "subject") ? str(o, "subject") :
		  "(no subject)");
	html_raw(p->body, "</h1>\n<dl>");
	from = g_strdup_printf("%s%s%s%s", str(o, "from_name") ?
			       str(o, "from_name") : "",
			       str(o, "from_addr") ? " <" : "",
			       str(o, "from_addr") ? str(o, "from_addr") : "",
			       str(o, "from_addr") ? ">" : "");
	field(p->body, "From", from);
	field(p->body, "Date (UTC)", str(o, "date_utc"));
	field(p->body, "Received (UTC)", str(o, "received_utc"));
	field(p->body, "Status", str(o, "status"));
	html_raw(p->body, "</dl>\n");
	decide_form(p->body, id, str(o, "status"), r->csrf);
	warnings_out(p->body, arr(o, "warnings"));
	text_out(p->body, str(o, "text"), num(o, "quote_offset", -1));
	attachments_out(p->body, arr(o, "attachments"));
	history_out(p->body, arr(o, "history"));
	html_page_end(p->body);
	g_free(from);
	g_free(title);
	json_node_unref(node);
}

/* The last decision in the history of O, as "approve by EDITOR at
 * TIME", for a 409 (g_free). */
static char *
last_decision(JsonObject *o)
{
	JsonArray *h = arr(o, "history");
	guint n = h ? json_array_get_length(h) : 0;
	JsonObject *e;

	if (n == 0)
		return g_strdup("someone");
	e = json_array_get_object_element(h, n - 1);
	return g_strdup_printf("%s by %s at %s", str(e, "action") ?
			       str(e, "action") : "?", str(e, "editor") ?
			       str(e, "editor") : "?", str(e, "at_utc") ?
			       str(e, "at_utc") : "?");
}

void
page_decide(const serve_req *r, gint64 id, serve_page *p)
{
	const char *action = g_hash_table_lookup(r->form, "action");
	const char *note = g_hash_table_lookup(r->form, "note");
	const char *seen = g_hash_table_lookup(r->form, "seen_status");
	JsonNode *node = NULL;
	desk_decision res;
	char *err = NULL, *who, *msg;
	tl_status rc;

	p->body = g_string_new(NULL);
	if (action == NULL || desk_action_status(action) == NULL ||
	    (note != NULL && strlen(note) > NOTE_MAX)) {
		p->status = 400;
		page_message(p->body, "Bad request", "Not a decision.");
		return;
	}
	if (note != NULL && *note == '\0')
		note = NULL;
	/* Read and decide under one hold of the store lock, so that two
	 * editors of this server cannot both pass the check (issue 12:
	 * a stale decision is refused with 409). */
	g_mutex_lock(&r->ctx->store_lock);
	rc = detail_load(r->ctx->st, id, &node, &err);
	if (rc == TL_OK && seen != NULL &&
	    g_strcmp0(seen, str(json_node_get_object(node), "status")) != 0) {
		g_mutex_unlock(&r->ctx->store_lock);
		who = last_decision(json_node_get_object(node));
		msg = g_strdup_printf("Submission #%" G_GINT64_FORMAT " was "
				      "decided meanwhile (%s); it is now %s. "
				      "Nothing was changed: reload it and "
				      "decide again.", id, who,
				      str(json_node_get_object(node),
					  "status"));
		p->status = 409;
		page_message(p->body, "Decided meanwhile", msg);
		g_free(msg);
		g_free(who);
		json_node_unref(node);
		return;
	}
	if (rc == TL_OK)
		rc = desk_decide(r->ctx->st, &id, 1, action, r->editor, note,
				 &res, &err);
	g_mutex_unlock(&r->ctx->store_lock);
	if (node != NULL)
		json_node_unref(node);
	if (rc != TL_OK) {
		p->status = rc == TL_DATA ? 404 : rc == TL_TEMPFAIL ? 503 :
			    500;
		page_message(p->body, "Nothing was changed", err);
		g_free(err);
		return;
	}
	log_info("serve: %s: #%" G_GINT64_FORMAT " %s -> %s", r->editor, id,
		 res.old_status, res.new_status);
	p->status = 303;
	p->location = g_strdup_printf("/s/%" G_GINT64_FORMAT, id);
}
