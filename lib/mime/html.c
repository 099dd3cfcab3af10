/* html.c - HTML to text with libxml2's HTML push parser and SAX callbacks
 * (see html-priv.h).  No document tree is built: a DOM of a 27 MB HTML mail
 * took 1.5 GB (QA F20); the SAX walk keeps only the open element names
 * and the text produced. */
#include <string.h>

#include <glib.h>
#include <libxml/HTMLparser.h>

#include "html-priv.h"

#define FEED	65536	/* bytes handed to the parser at a time */

typedef struct {
	GString *out;
	int pre;		/* inside <pre>: keep white space */
	int space;		/* a collapsed space is pending */
	int skip;		/* inside head/style/script...: drop text */
	GPtrArray *links;	/* open <a>: link_mark * */
	html_removed removed;	/* what the text leaves out */
} html_ctx;

/* An open <a>: its target and where its text starts in the output. */
typedef struct {
	char *href;
	gsize start;
} link_mark;

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

static gboolean
is(const xmlChar *name, const char *what)
{
	return g_ascii_strcasecmp((const char *)name, what) == 0;
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
text_add(html_ctx *c, const char *s, size_t len)
{
	GString *o = c->out;

	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

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
text_str(html_ctx *c, const char *s)
{
	text_add(c, s, strlen(s));
}

static const xmlChar *
attr(const xmlChar **atts, const char *name)
{
	for (int i = 0; atts != NULL && atts[i] != NULL; i += 2)
		if (g_ascii_strcasecmp((const char *)atts[i], name) == 0)
			return atts[i + 1];
	return NULL;
}

/* Would a browser fetch URL from the network?  Leading white space and
 * control characters are dropped as the WHATWG URL parser does, and for
 * http(s) it reads a backslash as a slash, so \\host is //host. */
static gboolean
url_remote(const char *u)
{
	while (*u != '\0' && (unsigned char)*u <= ' ')
		u++;
	if ((u[0] == '/' || u[0] == '\\') && (u[1] == '/' || u[1] == '\\'))
		return TRUE;
	return g_ascii_strncasecmp(u, "http:", 5) == 0 ||
	    g_ascii_strncasecmp(u, "https:", 6) == 0;
}

/* Does a srcset list (URL [descriptor], ...) name a remote candidate? */
static gboolean
srcset_remote(const char *s)
{
	for (const char *p = s; p != NULL; p = strchr(p, ',')) {
		if (*p == ',')
			p++;
		if (url_remote(p))
			return TRUE;
	}
	return FALSE;
}

/* Does CSS (a style= attribute) use url() of a remote address? */
static gboolean
css_remote(const char *css)
{
	const char *u = NULL;

	for (const char *p = css; (p = strchr(p, '(')) != NULL; p++) {
		if (p - css < 3 || g_ascii_strncasecmp(p - 3, "url", 3) != 0)
			continue;
		u = p + 1;
		while (*u == ' ' || *u == '\t' || *u == '"' || *u == '\'')
			u++;
		if (url_remote(u))
			return TRUE;
	}
	return FALSE;
}

/* Count what element NAME with ATTS would have fetched or linked to
 * (html_removed in html-priv.h). */
static void
removed_count(html_ctx *c, const xmlChar *name, const xmlChar **atts)
{
	const char *src = (const char *)attr(atts, "src");
	const char *set = (const char *)attr(atts, "srcset");
	const char *bg = (const char *)attr(atts, "background");
	const char *css = (const char *)attr(atts, "style");
	const char *href = (const char *)attr(atts, "href");
	const char *type = (const char *)attr(atts, "type");
	gboolean img = is(name, "img") || is(name, "image") ||
	    (is(name, "input") && type != NULL &&
	     g_ascii_strcasecmp(type, "image") == 0);

	if ((img && src != NULL && url_remote(src)) ||
	    (img && set != NULL && srcset_remote(set)) ||
	    (bg != NULL && url_remote(bg)) ||
	    (css != NULL && css_remote(css)))
		c->removed.remote_images++;
	if ((is(name, "a") || is(name, "area")) && href != NULL &&
	    *href != '\0' && *href != '#')
		c->removed.links++;
}

static void
on_start(void *ud, const xmlChar *name, const xmlChar **atts)
{
	html_ctx *c = ud;

	if (name == NULL)
		return;
	removed_count(c, name, atts);
	if (is_skipped(name)) {
		c->skip++;
		return;
	}
	if (c->skip > 0)
		return;
	if (is(name, "br")) {
		line_break(c);
	} else if (is(name, "img")) {
		/* Remote images are never fetched: the alt text stands in. */
		const xmlChar *alt = attr(atts, "alt");

		if (alt != NULL && *alt != '\0') {
			text_str(c, "[");
			text_str(c, (const char *)alt);
			text_str(c, "]");
		}
	} else if (is(name, "a")) {
		link_mark *m = g_new0(link_mark, 1);
		const xmlChar *href = attr(atts, "href");

		m->href = href != NULL ? g_strdup((const char *)href) : NULL;
		m->start = c->out->len;
		g_ptr_array_add(c->links, m);
	}
	if (is_block(name))
		line_end(c);
	if (is(name, "pre"))
		c->pre++;
	if (is(name, "td") || is(name, "th"))
		c->space = 1;
}

static void
link_free(gpointer p)
{
	link_mark *m = p;

	g_free(m->href);
	g_free(m);
}

static void
on_end(void *ud, const xmlChar *name)
{
	html_ctx *c = ud;

	if (name == NULL)
		return;
	if (is_skipped(name)) {
		if (c->skip > 0)
			c->skip--;
		return;
	}
	if (c->skip > 0)
		return;
	if (is(name, "a") && c->links->len > 0) {
		link_mark *m = g_ptr_array_index(c->links, c->links->len - 1);
		const char *h = m->href;

		/* Links stay text; the target is shown when the text does
		 * not already say it. */
		if (h != NULL && *h != '\0' && *h != '#' &&
		    g_ascii_strncasecmp(h, "javascript:", 11) != 0 &&
		    m->start <= c->out->len &&
		    strstr(c->out->str + m->start, h) == NULL) {
			text_str(c, " <");
			text_str(c, h);
			text_str(c, ">");
		}
		g_ptr_array_remove_index(c->links, c->links->len - 1);
	}
	if (is(name, "pre") && c->pre > 0)
		c->pre--;
	if (is_block(name))
		line_end(c);
}

static void
on_text(void *ud, const xmlChar *ch, int len)
{
	html_ctx *c = ud;

	if (c->skip == 0 && len > 0)
		text_add(c, (const char *)ch, (size_t)len);
}

char *
html_to_text(const char *html, size_t len, html_removed *removed)
{
	html_ctx c = { NULL, 0, 0, 0, NULL, { 0, 0 } };
	htmlSAXHandler sax;
	htmlParserCtxtPtr ctxt;

	c.out = g_string_new(NULL);
	c.links = g_ptr_array_new_with_free_func(link_free);
	memset(&sax, 0, sizeof sax);
	sax.startElement = on_start;
	sax.endElement = on_end;
	sax.characters = on_text;
	sax.cdataBlock = on_text;
	sax.ignorableWhitespace = on_text;
	ctxt = htmlCreatePushParserCtxt(&sax, &c, NULL, 0, NULL,
					XML_CHAR_ENCODING_UTF8);
	if (ctxt != NULL) {
		/* The text is UTF-8 already: a <meta charset> must not make
		 * libxml2 decode it a second time. */
		htmlCtxtUseOptions(ctxt, HTML_PARSE_NOERROR |
				   HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
				   HTML_PARSE_IGNORE_ENC);
		for (size_t off = 0; off < len; off += FEED)
			htmlParseChunk(ctxt, html + off,
				       (int)MIN((size_t)FEED, len - off), 0);
		htmlParseChunk(ctxt, NULL, 0, 1);
		htmlFreeParserCtxt(ctxt);
	}
	line_end(&c);
	/* Drop trailing empty lines. */
	while (c.out->len > 0 && c.out->str[c.out->len - 1] == '\n')
		g_string_truncate(c.out, c.out->len - 1);
	g_ptr_array_free(c.links, TRUE);
	if (removed != NULL) {
		removed->remote_images += c.removed.remote_images;
		removed->links += c.removed.links;
	}
	return g_string_free(c.out, FALSE);
}
