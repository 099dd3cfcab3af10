/* page-queue.c - GET /: the queue (issue 12, Pages, first bullet).
 *
 * The same store calls as the command line: desk_list as `tipline list`
 * (threads folded, arrival bounds, the editor's seen marks), desk_search
 * for q= as `tipline search`, desk_statuses_parse and desk_date_parse for
 * status= (repeatable; each may be a comma list) and since=/until=;
 * has= and mailbox= are desk_filter's has and mailbox, so the store
 * filters and pages (limit and offset) in SQL.  Every parameter is
 * checked before the store is asked; a bad one is a 400 page naming it.
 * Every value leaves through html-out.c. */
#include <string.h>

#include "serve.h"

/* The filters as the editor gave them (borrowed from the query table). */
typedef struct {
	const char *q, *status, *since, *until, *has, *mailbox;
	gboolean unseen;
	gint64 page;
} queue_args;

static const char *
arg(const serve_req *r, const char *name)
{
	const char *v = r->query ? g_hash_table_lookup(r->query, name) : NULL;

	return v != NULL && *v != '\0' ? v : NULL;
}

/* Read and check the parameters that need no store; *why on a bad one. */
static gboolean
args_read(const serve_req *r, queue_args *a, char **why)
{
	const char *pg = arg(r, "page"), *un = arg(r, "unseen");
	char *end = NULL;

	memset(a, 0, sizeof *a);
	a->q = arg(r, "q");
	a->status = arg(r, "status");
	a->since = arg(r, "since");
	a->until = arg(r, "until");
	a->has = arg(r, "has");
	a->mailbox = arg(r, "mailbox");
	a->page = 1;
	if (pg != NULL) {
		a->page = g_ascii_strtoll(pg, &end, 10);
		if (*end != '\0' || a->page < 1 || a->page > 100000) {
			*why = g_strdup_printf("page: \"%s\" is not a page "
					       "number (1 to 100000)", pg);
			return FALSE;
		}
	}
	if (un != NULL && strcmp(un, "1") != 0) {
		*why = g_strdup_printf("unseen: \"%s\" (only 1)", un);
		return FALSE;
	}
	a->unseen = un != NULL;
	if (a->has != NULL && desk_has_parse(a->has) == 0) {
		*why = g_strdup_printf("has: \"%s\" (photo, video, gps or "
				       "danger)", a->has);
		return FALSE;
	}
	if (a->mailbox != NULL && strlen(a->mailbox) > 256) {
		*why = g_strdup("mailbox: longer than 256 bytes");
		return FALSE;
	}
	return TRUE;
}

/* The store's page for A: SERVE_PAGE_ROWS rows and one more (to know
 * whether a next page exists) in *rows (g_ptr_array_unref), filtered and
 * paged by the store.  On a bad status or date TL_USAGE with *err for the
 * 400 page. */
static tl_status
queue_fetch(const serve_req *r, const queue_args *a, GPtrArray **rows,
	    char **err)
{
	desk_filter f;
	GArray *st = NULL;
	char *since = NULL, *until = NULL;
	char *sv[2] = { (char *)a->status, NULL };
	tl_status rc = TL_OK;

	memset(&f, 0, sizeof f);
	if (a->status != NULL &&
	    (rc = desk_statuses_parse(sv, &st, err)) != TL_OK)
		goto out;
	if (a->since != NULL &&
	    (rc = desk_date_parse(a->since, FALSE, &since, err)) != TL_OK)
		goto out;
	if (a->until != NULL &&
	    (rc = desk_date_parse(a->until, TRUE, &until, err)) != TL_OK)
		goto out;
	f.statuses = st;
	f.since_utc = since;
	f.until_utc = until;
	/* As `tipline list`: the bounds are about arrival (issue 10). */
	f.arrival_bounds = TRUE;
	f.editor = r->editor;
	f.unseen = a->unseen;
	f.mailbox = a->mailbox;
	f.has = desk_has_parse(a->has);
	f.limit = SERVE_PAGE_ROWS + 1;
	f.offset = (a->page - 1) * SERVE_PAGE_ROWS;
	f.sort = a->q != NULL ? DESK_SORT_RELEVANCE :
		 a->unseen ? DESK_SORT_ARRIVAL : DESK_SORT_DATE;
	rc = a->q != NULL ? desk_search(r->st, a->q, &f, rows, err) :
	     desk_list(r->st, &f, rows, err);
out:
	if (st != NULL)
		g_array_unref(st);
	g_free(since);
	g_free(until);
	return rc;
}

static void
badge(GString *o, gboolean on, const char *cls, const char *label)
{
	if (!on)
		return;
	html_raw(o, "<span");
	html_attr(o, "class", cls);
	html_raw(o, ">");
	html_text(o, label);
	html_raw(o, "</span> ");
}

static void
row_out(GString *o, const desk_row *d)
{
	char *href = g_strdup_printf("/s/%" G_GINT64_FORMAT, d->id);
	gboolean thread = d->follow_ups > 0;
	gint64 att = thread ? d->thread_attachments : d->attachment_count;
	/* In the newsroom's zone: serve-main.c sets TZ from [desk]
	 * timezone, as tipline's main() does. */
	char *when = localtime_text(thread && d->thread_latest_queue_utc ?
				d->thread_latest_queue_utc : d->queue_utc ?
				d->queue_utc : d->date_utc, FALSE);

	html_raw(o, "<tr class=\"row\"><td><a");
	html_attr(o, "href", href);
	html_raw(o, ">#");
	html_int(o, d->id);
	html_raw(o, "</a></td><td>");
	html_text(o, queue_status_name(d->status));
	html_raw(o, "</td><td>");
	html_text(o, when);
	html_raw(o, "</td><td>");
	html_text(o, d->from_name ? d->from_name : d->from_addr);
	html_raw(o, "</td><td>");
	badge(o, d->unseen, "badge", "new");
	badge(o, thread ? d->thread_gps : d->has_gps, "badge gps", "GPS");
	badge(o, thread ? d->thread_danger : d->has_danger, "badge danger",
	      "dangerous");
	badge(o, thread ? d->thread_quarantined :
	      d->status == QUEUE_QUARANTINED, "badge quarantine",
	      "quarantine");
	badge(o, d->duplicate_of > 0, "badge duplicate", "duplicate");
	if (att > 0) {
		html_raw(o, "<span class=\"badge att\">");
		html_int(o, att);
		html_raw(o, att == 1 ? " attachment</span> " :
			 " attachments</span> ");
	}
	html_text(o, d->subject);
	if (thread) {
		html_raw(o, " <span class=\"badge thread\">+");
		html_int(o, d->follow_ups);
		html_raw(o, " follow-up");
		html_raw(o, d->follow_ups == 1 ? "</span>" : "s</span>");
	}
	html_raw(o, "</td></tr>\n");
	g_free(when);
	g_free(href);
}

/* "/?q=...&status=...&page=N": the filters of A kept, URL-encoded (then
 * escaped again by html_attr). */
static char *
queue_href(const queue_args *a, gint64 page)
{
	GString *u = g_string_new("/?");
	const char *names[] = { "q", "status", "since", "until", "has",
				"mailbox" };
	const char *vals[] = { a->q, a->status, a->since, a->until, a->has,
			       a->mailbox };

	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		if (vals[i] == NULL)
			continue;
		g_string_append_printf(u, "%s=", names[i]);
		g_string_append_uri_escaped(u, vals[i], NULL, TRUE);
		g_string_append_c(u, '&');
	}
	if (a->unseen)
		g_string_append(u, "unseen=1&");
	g_string_append_printf(u, "page=%" G_GINT64_FORMAT, page);
	return g_string_free(u, FALSE);
}

static void
input(GString *o, const char *label, const char *name, const char *value,
      const char *type)
{
	html_raw(o, "<label>");
	html_text(o, label);
	html_raw(o, " <input");
	html_attr(o, "type", type);
	html_attr(o, "name", name);
	html_attr(o, "value", value ? value : "");
	html_raw(o, "></label>\n");
}

/* The filter form: GET, prefilled, no script needed. */
static void
form_out(GString *o, const queue_args *a)
{
	const char *kinds[] = { "", "photo", "video", "gps", "danger" };

	html_raw(o, "<form method=\"get\" action=\"/\" class=\"filters\">\n");
	input(o, "Search", "q", a->q, "search");
	input(o, "Status", "status", a->status, "text");
	input(o, "Since", "since", a->since, "text");
	input(o, "Until", "until", a->until, "text");
	input(o, "Mailbox", "mailbox", a->mailbox, "text");
	html_raw(o, "<label>Has <select name=\"has\">");
	for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
		html_raw(o, "<option");
		html_attr(o, "value", kinds[i]);
		if (a->has != NULL && strcmp(a->has, kinds[i]) == 0)
			html_raw(o, " selected");
		html_raw(o, ">");
		html_text(o, *kinds[i] ? kinds[i] : "anything");
		html_raw(o, "</option>");
	}
	html_raw(o, "</select></label>\n<label><input type=\"checkbox\" "
		 "name=\"unseen\" value=\"1\"");
	if (a->unseen)
		html_raw(o, " checked");
	html_raw(o, "> only what I have not seen</label>\n"
		 "<button type=\"submit\">Filter</button> "
		 "<a href=\"/\">Clear</a>\n</form>\n");
}

static void
nav_out(GString *o, const queue_args *a, gboolean more)
{
	char *href = NULL;

	html_raw(o, "<nav>");
	if (a->page > 1) {
		href = queue_href(a, a->page - 1);
		html_raw(o, "<a rel=\"prev\"");
		html_attr(o, "href", href);
		html_raw(o, ">Newer</a> ");
		g_free(href);
	}
	if (more) {
		href = queue_href(a, a->page + 1);
		html_raw(o, "<a rel=\"next\"");
		html_attr(o, "href", href);
		html_raw(o, ">Older</a>");
		g_free(href);
	}
	html_raw(o, "</nav>\n");
}

void
page_queue(const serve_req *r, serve_page *p)
{
	queue_args a;
	GPtrArray *rows = NULL;
	char *err = NULL;
	tl_status rc;
	guint n;
	char *tz = localtime_zone_name();

	p->body = g_string_new(NULL);
	if (!args_read(r, &a, &err)) {
		rc = TL_USAGE;
		goto fail;
	}
	if ((rc = queue_fetch(r, &a, &rows, &err)) != TL_OK)
		goto fail;
	p->status = 200;
	html_page_begin(p->body, "Queue", r->editor, r->csrf);
	html_raw(p->body, "<h1>Queue</h1>\n");
	form_out(p->body, &a);
	if (a.q != NULL) {
		html_raw(p->body, "<p class=\"searched\">Search: ");
		html_text(p->body, a.q);
		html_raw(p->body, "</p>\n");
	}
	html_raw(p->body, "<table><thead><tr><th>#</th><th>Status</th>"
		 "<th>Date (");
	html_text(p->body, tz);
	html_raw(p->body, ")</th><th>From</th><th>Subject</th></tr></thead>"
		 "<tbody>\n");
	n = MIN(rows->len, SERVE_PAGE_ROWS);
	for (guint i = 0; i < n; i++)
		row_out(p->body, rows->pdata[i]);
	html_raw(p->body, "</tbody></table>\n");
	nav_out(p->body, &a, rows->len > SERVE_PAGE_ROWS);
	html_page_end(p->body);
	goto out;
fail:
	if (rc == TL_USAGE) {
		p->status = 400;
		page_message(p->body, "Bad filter", err);
	} else {
		log_err("serve: queue: %s", err);
		p->status = rc == TL_TEMPFAIL ? 503 : 500;
		page_message(p->body, "The queue cannot be read", err);
	}
out:
	if (rows != NULL)
		g_ptr_array_unref(rows);
	g_free(tz);
	g_free(err);
}
