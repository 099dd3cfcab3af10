/* html-out.c - the one escaping output helper of the desk's pages: every
 * value a page shows goes through html_text or html_attr (serve.h), so a
 * submission's subject, sender, text or file name can never become
 * markup, whatever bytes it holds. */
#include <string.h>

#include "serve.h"

void
html_text(GString *o, const char *s)
{
	char *valid;

	if (s == NULL)
		return;
	/* Invalid UTF-8 would let a browser guess; replace it first. */
	valid = g_utf8_make_valid(s, -1);
	for (const unsigned char *p = (const unsigned char *)valid; *p; p++) {
		switch (*p) {
		case '&': g_string_append(o, "&amp;"); break;
		case '<': g_string_append(o, "&lt;"); break;
		case '>': g_string_append(o, "&gt;"); break;
		case '"': g_string_append(o, "&quot;"); break;
		case '\'': g_string_append(o, "&#39;"); break;
		default:
			if ((*p < 0x20 && *p != '\t' && *p != '\n') ||
			    *p == 0x7f)
				break;
			g_string_append_c(o, (char)*p);
		}
	}
	g_free(valid);
}

void
html_attr(GString *o, const char *name, const char *value)
{
	g_string_append_printf(o, " %s=\"", name);
	html_text(o, value ? value : "");
	g_string_append_c(o, '"');
}

void
html_raw(GString *o, const char *literal)
{
	g_string_append(o, literal);
}

void
html_int(GString *o, gint64 v)
{
	g_string_append_printf(o, "%" G_GINT64_FORMAT, v);
}

void
html_csrf(GString *o, const char *csrf)
{
	html_raw(o, "<input type=\"hidden\" name=\"csrf\"");
	html_attr(o, "value", csrf);
	html_raw(o, ">");
}

void
html_page_begin(GString *o, const char *title, const char *editor,
		const char *csrf)
{
	html_raw(o, "<!DOCTYPE html>\n<html lang=\"vi\"><head>"
		 "<meta charset=\"utf-8\">"
		 "<meta name=\"viewport\" content=\"width=device-width\">"
		 "<title>");
	html_text(o, title);
	html_raw(o, " - tipline</title>"
		 "<link rel=\"stylesheet\" href=\"/static/tipline.css\">"
		 "<script src=\"/static/keys.js\" defer></script>"
		 "</head><body><header><a href=\"/\">tipline</a>");
	if (editor != NULL)
		html_raw(o, "<nav><a href=\"/bulk\">Bulk</a> "
			 "<a href=\"/audit\">Audit</a> "
			 "<a href=\"/stats\">Stats</a></nav>");
	if (editor != NULL) {
		html_raw(o, "<span class=\"editor\">");
		html_text(o, editor);
		html_raw(o, "</span><form method=\"post\" "
			 "action=\"/logout\">");
		html_csrf(o, csrf);
		html_raw(o, "<button>Log out</button></form>");
	}
	html_raw(o, "</header>\n<main>\n");
}

void
html_page_end(GString *o)
{
	html_raw(o, "</main>\n<aside id=\"keys\" hidden><p>Keys: "
		 "<kbd>j</kbd>/<kbd>k</kbd> next/previous, <kbd>a</kbd> "
		 "approve, <kbd>r</kbd> reject, <kbd>?</kbd> this help"
		 "</p></aside>\n</body></html>\n");
}

void
html_when(GString *o, const char *iso_utc, gboolean longform)
{
	char *local;

	if (iso_utc == NULL)
		return;
	local = localtime_text(iso_utc, longform);
	html_raw(o, "<time");
	html_attr(o, "datetime", iso_utc);
	html_raw(o, ">");
	html_text(o, local);
	html_raw(o, "</time>");
	g_free(local);
}
