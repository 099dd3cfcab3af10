/* page-sub.c - GET /s/ID (one submission and its decision form) and
 * POST /s/ID/decide.  Drawn from the typed submission of store.h
 * (detail_load), as `show` is; decisions go through desk_decide, as
 * `tipline approve` does, under the editor's name. */
#include <string.h>

#include "serve.h"

#define NOTE_MAX 4000	/* bytes of a decision's note */

static void
field(GString *o, const char *label, const char *value)
{
	html_raw(o, "<dt>");
	html_text(o, label);
	html_raw(o, "</dt><dd>");
	html_text(o, value ? value : "-");
	html_raw(o, "</dd>");
}

/* A time field in the newsroom's zone, with its offset. */
static void
when_field(GString *o, const char *label, const char *iso_utc)
{
	html_raw(o, "<dt>");
	html_text(o, label);
	html_raw(o, "</dt><dd>");
	if (iso_utc != NULL)
		html_when(o, iso_utc, TRUE);
	else
		html_raw(o, "-");
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
warnings_out(GString *o, char **w)
{
	if (w == NULL || w[0] == NULL)
		return;
	html_raw(o, "<h2>Warnings</h2><ul class=\"warnings\">");
	for (int i = 0; w[i] != NULL; i++) {
		html_raw(o, "<li>");
		html_text(o, w[i]);
		html_raw(o, "</li>");
	}
	html_raw(o, "</ul>\n");
}

/* The preview of AT as the page shows it: an <img> of the thumbnail
 * route when the worker made one (made now, once, if not cached), else
 * "no preview".  A clip's still comes with the clip itself. */
static void
preview_out(GString *o, const serve_req *r, gint64 id,
	    const detail_attachment *at)
{
	store_preview *p = NULL;
	char *err = NULL, *url;
	gboolean ok;

	ok = preview_get(r->st, id, at->index, 0, NULL, NULL, &p,
			 &err) == TL_OK && p->state == STORE_PREVIEW_OK;
	store_preview_free(p);
	g_free(err);
	if (!ok) {
		html_raw(o, "<p class=\"nopreview\">no preview</p>");
	} else {
		url = page_media_url(id, at->index, "thumb");
		html_raw(o, "<img");
		html_attr(o, "src", url);
		html_attr(o, "alt", at->filename);
		html_raw(o, ">");
		g_free(url);
	}
	if (page_media_is_clip(at)) {
		url = page_media_url(id, at->index, "clip");
		html_raw(o, "<video controls preload=\"none\"");
		html_attr(o, "src", url);
		html_raw(o, "></video>");
		g_free(url);
	}
}

/* Each attachment with its warnings beside it, its preview (photos and
 * clips only; never a dangerous file) and a download link. */
static void
attachments_out(GString *o, const serve_req *r, gint64 id, GPtrArray *a)
{
	char *url;

	if (a == NULL || a->len == 0)
		return;
	html_raw(o, "<h2>Attachments</h2><table><tr><th>Name</th>"
		 "<th>Type</th><th>Bytes</th><th></th><th></th></tr>\n");
	for (guint i = 0; i < a->len; i++) {
		const detail_attachment *at = a->pdata[i];

		html_raw(o, "<tr><td>");
		html_text(o, at->filename);
		html_raw(o, "</td><td>");
		html_text(o, at->content_type);
		html_raw(o, "</td><td>");
		html_int(o, at->size);
		html_raw(o, "</td><td>");
		if (at->has_gps)
			html_raw(o, "<span class=\"badge\">GPS</span>");
		if (at->danger != NULL) {
			html_raw(o, "<span class=\"badge danger\">");
			html_text(o, at->danger);
			html_raw(o, "</span>");
		}
		url = page_media_url(id, at->index, "download");
		html_raw(o, "<a");
		html_attr(o, "href", url);
		html_raw(o, " download>Download</a>");
		g_free(url);
		html_raw(o, "</td><td>");
		if (page_media_has_preview(at))
			preview_out(o, r, id, at);
		html_raw(o, "</td></tr>\n");
	}
	html_raw(o, "</table>\n");
}

static void
history_out(GString *o, GPtrArray *h)
{
	if (h == NULL || h->len == 0)
		return;
	html_raw(o, "<h2>History</h2><table>\n");
	for (guint i = 0; i < h->len; i++) {
		const audit_row *e = h->pdata[i];

		html_raw(o, "<tr><td>");
		html_when(o, e->at_utc, FALSE);
		html_raw(o, "</td><td>");
		html_text(o, e->editor);
		html_raw(o, "</td><td>");
		html_text(o, audit_action_name(e->action));
		html_raw(o, "</td><td>");
		html_text(o, e->new_status);
		html_raw(o, "</td><td>");
		html_text(o, e->note);
		html_raw(o, "</td></tr>\n");
	}
	html_raw(o, "</table>\n");
}

/* The decision form, carrying what the editor sees (SEEN: the status
 * and the version, issue 12) for page_decide to check. */
static void
decide_form(GString *o, gint64 id, const desk_expect *seen,
	    const char *csrf)
{
	char *action = g_strdup_printf("/s/%" G_GINT64_FORMAT "/decide", id);
	char *version = g_strdup_printf("%" G_GINT64_FORMAT, seen->version);

	html_raw(o, "<form method=\"post\" class=\"decide\"");
	html_attr(o, "action", action);
	html_raw(o, ">");
	html_csrf(o, csrf);
	html_raw(o, "<input type=\"hidden\" name=\"seen_status\"");
	html_attr(o, "value", queue_status_name(seen->status));
	html_raw(o, "><input type=\"hidden\" name=\"seen_version\"");
	html_attr(o, "value", version);
	html_raw(o, "><p><label>Note <input name=\"note\" size=\"40\">"
		 "</label></p><p>"
		 "<button name=\"action\" value=\"approve\" data-key=\"a\">"
		 "Approve <kbd>a</kbd></button>"
		 "<button name=\"action\" value=\"reject\" data-key=\"r\">"
		 "Reject <kbd>r</kbd></button>"
		 "<button name=\"action\" value=\"spam\">Spam</button>"
		 "<button name=\"action\" value=\"reopen\">Reopen</button>"
		 "</p></form>\n");
	g_free(version);
	g_free(action);
}

/* The "mark seen" form (issue 10 and 12: showing a submission to an
 * editor marks it seen, but a GET never changes anything).  keys.js
 * submits it on load unless the address says it just did (?seen=1);
 * without JavaScript the button does it. */
static void
seen_form(GString *o, gint64 id, const char *csrf)
{
	char *action = g_strdup_printf("/s/%" G_GINT64_FORMAT "/seen", id);

	html_raw(o, "<form method=\"post\" id=\"mark-seen\"");
	html_attr(o, "action", action);
	html_raw(o, ">");
	html_csrf(o, csrf);
	html_raw(o, "<button>Mark seen</button></form>\n");
	g_free(action);
}

/* Record that the editor of R has seen ID (store_seen_mark, as `tipline
 * seen`) on the request's connection.  *found says whether ID exists. */
static tl_status
seen_mark(const serve_req *r, gint64 id, gboolean *found, char **err)
{
	tl_status rc = store_seen_mark(r->st, r->editor, &id, 1, FALSE,
				       found, NULL);

	if (rc != TL_OK)
		*err = g_strdup(store_errmsg(r->st));
	return rc;
}

void
page_seen(const serve_req *r, gint64 id, serve_page *p)
{
	gboolean found = FALSE;
	char *err = NULL;
	tl_status rc;

	rc = seen_mark(r, id, &found, &err);
	p->body = g_string_new(NULL);
	if (rc != TL_OK || !found) {
		p->status = rc == TL_OK ? 404 : rc == TL_TEMPFAIL ? 503 : 500;
		page_message(p->body, "Not marked", rc == TL_OK ?
			     "No such submission." : err);
		g_free(err);
		return;
	}
	p->status = 303;
	p->location = g_strdup_printf("/s/%" G_GINT64_FORMAT "?seen=1", id);
}

static void
head_out(GString *o, const detail_submission *d)
{
	char *from = g_strdup_printf("%s%s%s%s",
				     d->from_name ? d->from_name : "",
				     d->from_addr ? " <" : "",
				     d->from_addr ? d->from_addr : "",
				     d->from_addr ? ">" : "");

	html_raw(o, "<dl>");
	field(o, "From", from);
	when_field(o, "Date", d->date_utc);
	when_field(o, "Received", d->received_utc);
	field(o, "Status", queue_status_name(d->status));
	html_raw(o, "</dl>\n");
	g_free(from);
}

void
page_submission(const serve_req *r, gint64 id, serve_page *p)
{
	detail_submission *d = NULL;
	desk_expect seen;
	char *err = NULL, *title;
	tl_status rc;

	/* What the decision form carries is read first: a decision made
	 * between this and the page's own read makes the form stale (409),
	 * never lets it through (issue 12). */
	rc = desk_expect_load(r->st, &id, 1, &seen, &err);
	if (rc == TL_OK)
		rc = detail_load(r->st, id, &d, &err);
	p->body = g_string_new(NULL);
	if (rc != TL_OK) {
		p->status = rc == TL_DATA ? 404 : rc == TL_TEMPFAIL ? 503 :
			    500;
		page_message(p->body, "No such submission", err);
		g_free(err);
		return;
	}
	title = g_strdup_printf("#%" G_GINT64_FORMAT, id);
	p->status = 200;
	html_page_begin(p->body, title, r->editor, r->csrf);
	html_raw(p->body, "<h1>");
	html_text(p->body, title);
	html_raw(p->body, " ");
	html_text(p->body, d->subject ? d->subject : "(no subject)");
	html_raw(p->body, "</h1>\n");
	head_out(p->body, d);
	decide_form(p->body, id, &seen, r->csrf);
	seen_form(p->body, id, r->csrf);
	warnings_out(p->body, d->warnings);
	text_out(p->body, d->text, d->quote_offset);
	attachments_out(p->body, r, id, d->attachments);
	history_out(p->body, d->history);
	html_page_end(p->body);
	g_free(title);
	detail_free(d);
}

/* The last decision in D's history, as "approve by EDITOR at TIME", for
 * a 409 (g_free). */
static char *
last_decision(const detail_submission *d)
{
	const audit_row *e = detail_last_decision(d);
	const char *what;

	if (e == NULL)
		return g_strdup("someone");
	what = audit_action_name(e->action);
	return g_strdup_printf("%s by %s at %s", what ? what : "?",
			       e->editor ? e->editor : "?",
			       e->at_utc ? e->at_utc : "?");
}

static void
conflict(serve_page *p, gint64 id, const detail_submission *d)
{
	char *who = last_decision(d);
	char *msg = g_strdup_printf("Submission #%" G_GINT64_FORMAT " was "
				    "decided meanwhile (%s); it is now %s. "
				    "Nothing was changed: reload it and "
				    "decide again.", id, who,
				    queue_status_name(d->status));

	p->status = 409;
	page_message(p->body, "Decided meanwhile", msg);
	g_free(msg);
	g_free(who);
}

/* What the decision form FORM says the editor saw (fields seen_status
 * and seen_version) into *E; a missing field is not checked (a form of
 * an older page).  FALSE when one is malformed. */
static gboolean
expect_read(GHashTable *form, desk_expect *e)
{
	const char *seen = g_hash_table_lookup(form, "seen_status");
	const char *ver = g_hash_table_lookup(form, "seen_version");
	char *end = NULL;

	e->status = seen != NULL ? queue_status_parse(seen) : QUEUE_INVALID;
	e->version = ver != NULL ? g_ascii_strtoll(ver, &end, 10) : -1;
	if (seen != NULL && e->status == QUEUE_INVALID)
		return FALSE;
	return ver == NULL || (g_ascii_isdigit(*ver) && *end == '\0');
}

void
page_decide(const serve_req *r, gint64 id, serve_page *p)
{
	desk_action action = desk_action_parse(g_hash_table_lookup(r->form,
								   "action"));
	const char *note = g_hash_table_lookup(r->form, "note");
	detail_submission *d = NULL;
	desk_decision res;
	desk_expect expect;
	char *err = NULL, *serr = NULL;
	tl_status rc;

	p->body = g_string_new(NULL);
	if (action == DESK_INVALID_ACTION ||
	    (note != NULL && strlen(note) > NOTE_MAX)) {
		p->status = 400;
		page_message(p->body, "Bad request", "Not a decision.");
		return;
	}
	if (note != NULL && *note == '\0')
		note = NULL;
	/* The status and the version the editor saw are checked by the
	 * store inside its write transaction (desk_decide_expect), so that
	 * two editors, of this server or of another on the same database,
	 * cannot both pass the check (issue 12: a stale decision is refused
	 * with 409). */
	if (!expect_read(r->form, &expect)) {
		p->status = 400;
		page_message(p->body, "Bad request",
			     "Not a status or version.");
		return;
	}
	rc = desk_decide_expect(r->st, &id, 1, &expect, action,
				r->editor, note, &res, &err);
	if (rc == TL_OK && !res.found) {
		rc = TL_DATA;
		err = g_strdup_printf("no submission %" G_GINT64_FORMAT, id);
	}
	/* Refused: the page says who decided meanwhile. */
	if (rc == TL_OK && res.stale &&
	    (rc = detail_load(r->st, id, &d, &err)) == TL_OK) {
		conflict(p, id, d);
		detail_free(d);
		return;
	}
	/* Deciding on it is having seen it; a failure to mark is only
	 * logged, the decision stands. */
	if (rc == TL_OK && seen_mark(r, id, NULL, &serr) != TL_OK) {
		log_warn("serve: %s: #%" G_GINT64_FORMAT " not marked seen: "
			 "%s", r->editor, id, serr);
		g_free(serr);
	}
	detail_free(d);
	if (rc != TL_OK) {
		p->status = rc == TL_DATA ? 404 : rc == TL_TEMPFAIL ? 503 :
			    500;
		page_message(p->body, "Nothing was changed", err);
		g_free(err);
		return;
	}
	log_info("serve: %s: #%" G_GINT64_FORMAT " %s -> %s", r->editor, id,
		 queue_status_name(res.old_status),
		 queue_status_name(res.new_status));
	p->status = 303;
	p->location = g_strdup_printf("/s/%" G_GINT64_FORMAT, id);
}
