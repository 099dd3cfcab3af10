/* page-queue.c - GET /: the queue, as `tipline list` shows it (desk_list
 * with the editor's unseen marks), SERVE_PAGE_ROWS a page, from the typed
 * rows of store.h.  Thin on purpose: filters, search and threads are to
 * come (issue 12). */
#include <string.h>

#include "serve.h"

static void
badge(GString *o, gboolean on, const char *cls, const char *label)
{
	if (!on)
		return;
	html_raw(o, "<span");
	html_attr(o, "class", cls);
	html_raw(o, ">");
	html_text(o, label);
	html_raw(o, "</span>");
}

static void
row_out(GString *o, const desk_row *d)
{
	char *href = g_strdup_printf("/s/%" G_GINT64_FORMAT, d->id);
	gboolean thread = d->follow_ups > 0;

	html_raw(o, "<tr class=\"row\"><td><a");
	html_attr(o, "href", href);
	html_raw(o, ">#");
	html_int(o, d->id);
	html_raw(o, "</a></td><td>");
	html_text(o, queue_status_name(d->status));
	html_raw(o, "</td><td>");
	html_text(o, thread && d->thread_latest_queue_utc ?
		  d->thread_latest_queue_utc : d->queue_utc ? d->queue_utc :
		  d->date_utc);
	html_raw(o, "</td><td>");
	html_text(o, d->from_name ? d->from_name : d->from_addr);
	html_raw(o, "</td><td>");
	badge(o, d->unseen, "badge", "new");
	badge(o, thread ? d->thread_gps : d->has_gps, "badge", "GPS");
	badge(o, thread ? d->thread_danger : d->has_danger, "badge danger",
	      "dangerous");
	badge(o, thread ? d->thread_quarantined :
	      d->status == QUEUE_QUARANTINED, "badge", "quarantine");
	badge(o, d->duplicate_of > 0, "badge", "duplicate");
	html_text(o, d->subject);
	if (thread) {
		html_raw(o, " <span class=\"badge\">+");
		html_int(o, d->follow_ups);
		html_raw(o, "</span>");
	}
	html_raw(o, "</td></tr>\n");
	g_free(href);
}

void
page_queue(const serve_req *r, serve_page *p)
{
	desk_filter f;
	GPtrArray *rows = NULL;
	const char *pg = r->query ? g_hash_table_lookup(r->query, "page") :
			 NULL;
	gint64 page = pg ? g_ascii_strtoll(pg, NULL, 10) : 1;
	char *err = NULL;
	tl_status rc;

	if (page < 1 || page > 100000)
		page = 1;
	memset(&f, 0, sizeof f);
	f.limit = SERVE_PAGE_ROWS;
	f.offset = (page - 1) * SERVE_PAGE_ROWS;
	f.editor = r->editor;
	g_mutex_lock(&r->ctx->store_lock);
	rc = desk_list(r->ctx->st, &f, &rows, &err);
	g_mutex_unlock(&r->ctx->store_lock);
	p->body = g_string_new(NULL);
	if (rc != TL_OK) {
		log_err("serve: queue: %s", err);
		p->status = rc == TL_TEMPFAIL ? 503 : 500;
		page_message(p->body, "The queue cannot be read", err);
		g_free(err);
		return;
	}
	p->status = 200;
	html_page_begin(p->body, "Queue", r->editor, r->csrf);
	html_raw(p->body, "<h1>Queue</h1>\n<table><thead><tr><th>#</th>"
		 "<th>Status</th><th>Date (UTC)</th><th>From</th>"
		 "<th>Subject</th></tr></thead><tbody>\n");
	for (guint i = 0; i < rows->len; i++)
		row_out(p->body, rows->pdata[i]);
	html_raw(p->body, "</tbody></table>\n<nav>");
	if (page > 1) {
		char *href = g_strdup_printf("/?page=%" G_GINT64_FORMAT,
					     page - 1);

		html_raw(p->body, "<a rel=\"prev\"");
		html_attr(p->body, "href", href);
		html_raw(p->body, ">Newer</a> ");
		g_free(href);
	}
	if (rows->len == SERVE_PAGE_ROWS) {
		char *href = g_strdup_printf("/?page=%" G_GINT64_FORMAT,
					     page + 1);

		html_raw(p->body, "<a rel=\"next\"");
		html_attr(p->body, "href", href);
		html_raw(p->body, ">Older</a>");
		g_free(href);
	}
	html_raw(p->body, "</nav>\n");
	html_page_end(p->body);
	g_ptr_array_unref(rows);
}
