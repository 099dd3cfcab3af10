/* page-stats.c - GET /stats: the typed store_stats that `tipline stats`
 * prints (store_stats_load), over SERVE_STATS_DAYS days.  Every value goes
 * through html-out.c. */
#include <string.h>

#include "serve.h"

static void
stats_body(GString *o, const store_stats *s)
{
	guint i;

	html_raw(o, "<h2>Submissions per status</h2><table id=\"statuses\">");
	for (i = 0; i < s->statuses->len; i++) {
		const store_stats_status *x = &g_array_index(s->statuses,
						store_stats_status, i);

		html_raw(o, "<tr><td>");
		html_text(o, queue_status_name(x->status));
		html_raw(o, "</td><td>");
		html_int(o, x->count);
		html_raw(o, "</td></tr>\n");
	}
	html_raw(o, "<tr><td>total</td><td>");
	html_int(o, s->total);
	html_raw(o, "</td></tr></table>\n<h2>Received per day (UTC, last ");
	html_int(o, SERVE_STATS_DAYS);
	html_raw(o, " days)</h2><table id=\"days\">");
	for (i = 0; i < s->days->len; i++) {
		const store_stats_day *d = &g_array_index(s->days,
						store_stats_day, i);

		html_raw(o, "<tr><td>");
		html_text(o, d->date);
		html_raw(o, "</td><td>");
		html_int(o, d->count);
		html_raw(o, "</td></tr>\n");
	}
	html_raw(o, "</table>\n<h2>Mailboxes</h2><table id=\"mailboxes\">"
		 "<tr><th>Mailbox</th><th>Last fetch</th>"
		 "<th>Last failure</th><th>Error</th></tr>\n");
	for (i = 0; i < s->mailboxes->len; i++) {
		const store_stats_mailbox *m = &g_array_index(s->mailboxes,
						store_stats_mailbox, i);

		html_raw(o, "<tr><td>");
		html_text(o, m->mailbox);
		html_raw(o, "</td><td>");
		if (m->last_success_utc != NULL)
			html_when(o, m->last_success_utc, FALSE);
		else
			html_raw(o, "never");
		html_raw(o, "</td><td>");
		html_when(o, m->last_error_utc, FALSE);
		html_raw(o, "</td><td>");
		html_text(o, m->last_error);
		html_raw(o, "</td></tr>\n");
	}
	html_raw(o, "</table>\n");
}

void
page_stats(const serve_req *r, serve_page *p)
{
	store_stats s;
	tl_status rc;

	memset(&s, 0, sizeof s);
	p->body = g_string_new(NULL);
	rc = store_stats_load(r->st, SERVE_STATS_DAYS, &s);
	if (rc != TL_OK) {
		p->status = rc == TL_TEMPFAIL ? 503 : 500;
		page_message(p->body, "The numbers cannot be read",
			     store_errmsg(r->st));
	}
	if (rc == TL_OK) {
		p->status = 200;
		html_page_begin(p->body, "Stats", r->editor, r->csrf);
		html_raw(p->body, "<h1>Stats</h1>\n");
		stats_body(p->body, &s);
		html_page_end(p->body);
	}
	store_stats_clear(&s);
}
