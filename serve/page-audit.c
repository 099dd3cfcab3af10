/* page-audit.c - GET /audit: the editors' audit log, as `tipline audit`
 * reads it (audit_rows_load), newest first, SERVE_AUDIT_ROWS a page, with
 * optional editor and day filters.  Every value goes through
 * html-out.c. */
#include <string.h>

#include "serve.h"

#define AUDIT_PAGES_MAX 1000	/* deepest page: each costs page*rows */

static const char *
q(const serve_req *r, const char *name)
{
	const char *v = r->query ? g_hash_table_lookup(r->query, name) : NULL;

	return v != NULL && *v != '\0' ? v : NULL;
}

/* "YYYY-MM-DD" (a UTC day) into *since and the next day into *until
 * (g_free); FALSE when D is not such a date. */
static gboolean
day_bounds(const char *d, char **since, char **until)
{
	GDate *g;
	char buf[16];

	if (d == NULL || strlen(d) != 10)
		return FALSE;
	g = g_date_new();
	g_date_set_parse(g, d);
	if (!g_date_valid(g) || d[4] != '-' || d[7] != '-') {
		g_date_free(g);
		return FALSE;
	}
	g_date_strftime(buf, sizeof buf, "%Y-%m-%d", g);
	*since = g_strdup(buf);
	g_date_add_days(g, 1);
	g_date_strftime(buf, sizeof buf, "%Y-%m-%d", g);
	*until = g_strdup(buf);
	g_date_free(g);
	return TRUE;
}

static void
audit_row_out(GString *o, const audit_row *e)
{
	const char *what = audit_action_name(e->action);

	html_raw(o, "<tr class=\"row\"><td>");
	html_when(o, e->at_utc, FALSE);
	html_raw(o, "</td><td>");
	if (e->submission_id > 0) {
		char *href = g_strdup_printf("/s/%" G_GINT64_FORMAT,
					     e->submission_id);

		html_raw(o, "<a");
		html_attr(o, "href", href);
		html_raw(o, ">#");
		html_int(o, e->submission_id);
		html_raw(o, "</a>");
		g_free(href);
	} else {
		html_raw(o, "all");
	}
	html_raw(o, "</td><td class=\"editor\">");
	html_text(o, e->editor);
	html_raw(o, "</td><td>");
	html_text(o, what ? what : "?");
	html_raw(o, "</td><td>");
	html_text(o, e->old_status);
	html_raw(o, "</td><td>");
	html_text(o, e->new_status);
	html_raw(o, "</td><td>");
	html_text(o, e->note);
	html_raw(o, "</td></tr>\n");
}

/* The filter form (GET: it changes nothing, so it has no token). */
static void
audit_form(GString *o, const char *editor, const char *day)
{
	html_raw(o, "<form method=\"get\" action=\"/audit\"><label>Editor "
		 "<input name=\"editor\"");
	html_attr(o, "value", editor ? editor : "");
	html_raw(o, "></label> <label>Day (UTC) <input name=\"day\" "
		 "placeholder=\"YYYY-MM-DD\"");
	html_attr(o, "value", day ? day : "");
	html_raw(o, "></label> <button>Show</button></form>\n");
}

static void
audit_nav(GString *o, gint64 page, gboolean older, const char *editor,
	  const char *day)
{
	html_raw(o, "<nav>");
	for (int k = 0; k < 2; k++) {
		gint64 to = k == 0 ? page - 1 : page + 1;
		char *ed, *dy, *href;

		if ((k == 0 && page <= 1) || (k == 1 && !older))
			continue;
		ed = g_uri_escape_string(editor ? editor : "", NULL, FALSE);
		dy = g_uri_escape_string(day ? day : "", NULL, FALSE);
		href = g_strdup_printf("/audit?page=%" G_GINT64_FORMAT
				       "&editor=%s&day=%s", to, ed, dy);
		html_raw(o, k == 0 ? "<a rel=\"prev\"" : " <a rel=\"next\"");
		html_attr(o, "href", href);
		html_raw(o, k == 0 ? ">Newer</a>" : ">Older</a>");
		g_free(ed);
		g_free(dy);
		g_free(href);
	}
	html_raw(o, "</nav>\n");
}

void
page_audit(const serve_req *r, serve_page *p)
{
	const char *editor = q(r, "editor"), *day = q(r, "day");
	const char *pg = q(r, "page");
	gint64 page = pg ? g_ascii_strtoll(pg, NULL, 10) : 1;
	char *since = NULL, *until = NULL, *err = NULL;
	audit_filter f = { 0 };
	GPtrArray *rows = NULL;
	tl_status rc;
	gint64 first, last;

	p->body = g_string_new(NULL);
	if (page < 1 || page > AUDIT_PAGES_MAX)
		page = 1;
	if (day != NULL && !day_bounds(day, &since, &until)) {
		p->status = 400;
		page_message(p->body, "Bad request", "The day is not a date "
			     "(YYYY-MM-DD).");
		return;
	}
	f.editor = editor;
	f.since_utc = since;
	f.until_utc = until;
	/* The store gives the newest LIMIT rows, oldest first: take as
	 * many as reach this page and read them backwards. */
	f.limit = page * SERVE_AUDIT_ROWS;
	rc = audit_rows_load(r->st, &f, &rows, &err);
	g_free(since);
	g_free(until);
	if (rc != TL_OK) {
		p->status = rc == TL_TEMPFAIL ? 503 : 500;
		page_message(p->body, "The audit log cannot be read", err);
		g_free(err);
		return;
	}
	p->status = 200;
	html_page_begin(p->body, "Audit log", r->editor, r->csrf);
	html_raw(p->body, "<h1>Audit log</h1>\n");
	audit_form(p->body, editor, day);
	html_raw(p->body, "<table><thead><tr><th>When</th><th>#</th>"
		 "<th>Editor</th><th>Action</th><th>Old</th><th>New</th>"
		 "<th>Note</th></tr></thead><tbody>\n");
	first = (gint64)rows->len - 1 - (page - 1) * SERVE_AUDIT_ROWS;
	last = (gint64)rows->len - page * SERVE_AUDIT_ROWS;
	for (gint64 i = first; i >= 0 && i >= last; i--)
		audit_row_out(p->body, rows->pdata[i]);
	html_raw(p->body, "</tbody></table>\n");
	audit_nav(p->body, page, (gint64)rows->len == f.limit &&
		  page < AUDIT_PAGES_MAX, editor, day);
	html_page_end(p->body);
	g_ptr_array_unref(rows);
}
