/* page-login.c - the login form (auth = local) and the short pages of
 * errors and refusals. */
#include "serve.h"

void
page_message(GString *o, const char *title, const char *what)
{
	html_page_begin(o, title, NULL, NULL);
	html_raw(o, "<h1>");
	html_text(o, title);
	html_raw(o, "</h1><p>");
	html_text(o, what);
	html_raw(o, "</p>\n");
	html_page_end(o);
}

void
page_login(GString *o, const char *message)
{
	html_page_begin(o, "Log in", NULL, NULL);
	html_raw(o, "<h1>Log in</h1>\n");
	if (message != NULL) {
		html_raw(o, "<p class=\"error\">");
		html_text(o, message);
		html_raw(o, "</p>\n");
	}
	html_raw(o, "<form method=\"post\" action=\"/login\">"
		 "<p><label>Editor <input name=\"editor\" "
		 "autocomplete=\"username\" required></label></p>"
		 "<p><label>Password <input name=\"password\" "
		 "type=\"password\" autocomplete=\"current-password\" "
		 "required></label></p>"
		 "<p><button>Log in</button></p></form>\n");
	html_page_end(o);
}
