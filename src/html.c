/* html.c - HTML to text with libxml2 (see html.h). */
#include <string.h>

#include <glib.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "html.h"

typedef struct {
	GString *out;
	int pre;		/* inside <pre>: keep white space */
	int space;		/* a collapsed space is pending */
} html_ctx;

static gboolean
name_in(const xmlChar *name, const char *const *list)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (g_ascii_strcasecmp((const char *)name, list[i]) == 0)
			return TRUE;
	return FALSE;
}

static gboolean
is_skipped(const xmlChar *name)
{
	static const char *const skip[] = {
		"head", "style", "script", "title", "noscript", "template",
		"object", "embed", "iframe", NULL
	};

	return name_in(name, skip);
}

static gboolean
is_block(const xmlChar *name)
{
	static const char *const block[] = {
		"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5",
		"h6", "blockquote", "table", "ul", "ol", "dl", "dt", "dd",
		"hr", "pre", "section", "article", "header", "footer",
		"address", "center", "form", "fieldset", "main", "nav",
		"aside", "figure", "figcaption", "caption", "body", NULL
	};

	return name_in(name, block);
}

/* End the current line unless the output already ends one. */
static void
line_end(html_ctx *c)
{
	GString *o = c->out;

	c->space = 0;
	while (o->len > 0 && o->str[o->len - 1] == ' ')
		g_string_truncate(o, o->len - 1);
	if (o->len == 0 || o->str[o->len - 1] == '\n')
		return;
	g_string_append_c(o, '\n');
}

/* <br>: a line break even on an empty line, at most one empty line. */
static void
line_break(html_ctx *c)
{
	GString *o = c->out;

	c->space = 0;
	while (o->len > 0 && o->str[o->len - 1] == ' ')
		g_string_truncate(o, o->len - 1);
	if (o->len == 0 || (o->len >= 2 && o->str[o->len - 1] == '\n' &&
	    o->str[o->len - 2] == '\n'))
		return;
	g_string_append_c(o, '\n');
}

static void
text_add(html_ctx *c, const char *s)
{
	GString *o = c->out;

	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (!c->pre && (ch == ' ' || ch == '\t' || ch == '\n' ||
				ch == '\r' || ch == '\f')) {
			c->space = 1;
			continue;
		}
		if (c->pre && ch == '\r')
			continue;
		if (c->space && o->len > 0 && o->str[o->len - 1] != '\n')
			g_string_append_c(o, ' ');
		c->space = 0;
		g_string_append_c(o, (char)ch);
	}
}

static void
walk(html_ctx *c, xmlNode *n, int depth)
{
	for (; n != NULL; n = n->next) {
		if (n->type == XML_TEXT_NODE ||
		    n->type == XML_CDATA_SECTION_NODE) {
			if (n->content != NULL)
				text_add(c, (const char *)n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE || n->name == NULL)
			continue;
		if (is_skipped(n->name))
			continue;
		/* libxml2 nests deeply on hostile input; its own parser
		 * caps depth at 256, we stop a bit earlier to stay safe. */
		if (depth > 512)
			continue;
		if (g_ascii_strcasecmp((const char *)n->name, "img") == 0) {
			xmlChar *alt = xmlGetProp(n, BAD_CAST "alt");

			if (alt != NULL && *alt != '\0') {
				text_add(c, "[");
				text_add(c, (const char *)alt);
				text_add(c, "]");
			}
			xmlFree(alt);
			continue;
		}
		if (g_ascii_strcasecmp((const char *)n->name, "br") == 0) {
			line_break(c);
			continue;
		}
		if (is_block(n->name))
			line_end(c);
		if (g_ascii_strcasecmp((const char *)n->name, "pre") == 0)
			c->pre++;
		if (g_ascii_strcasecmp((const char *)n->name, "td") == 0 ||
		    g_ascii_strcasecmp((const char *)n->name, "th") == 0)
			c->space = 1;
		{
			size_t before = c->out->len;

			walk(c, n->children, depth + 1);
			if (g_ascii_strcasecmp((const char *)n->name,
					       "a") == 0) {
				xmlChar *href = xmlGetProp(n, BAD_CAST "href");
				const char *h = (const char *)href;

				if (h != NULL && *h != '\0' && *h != '#' &&
				    g_ascii_strncasecmp(h, "javascript:", 11) &&
				    strstr(c->out->str + before, h) == NULL) {
					text_add(c, " <");
					text_add(c, h);
					text_add(c, ">");
				}
				xmlFree(href);
			}
		}
		if (g_ascii_strcasecmp((const char *)n->name, "pre") == 0)
			c->pre--;
		if (is_block(n->name))
			line_end(c);
	}
}

char *
html_to_text(const char *html, size_t len)
{
	html_ctx c = { NULL, 0, 0 };
	htmlDocPtr doc;
	int n = len > (size_t)G_MAXINT ? G_MAXINT : (int)len;

	c.out = g_string_new(NULL);
	doc = htmlReadMemory(html, n, NULL, "UTF-8",
			     HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
			     HTML_PARSE_NONET | HTML_PARSE_NOBLANKS);
	if (doc != NULL) {
		walk(&c, xmlDocGetRootElement(doc), 0);
		xmlFreeDoc(doc);
	}
	line_end(&c);
	/* Drop trailing empty lines. */
	while (c.out->len > 0 && c.out->str[c.out->len - 1] == '\n')
		g_string_truncate(c.out, c.out->len - 1);
	return g_string_free(c.out, FALSE);
}
