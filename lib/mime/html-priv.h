/* html-priv.h - HTML to plain text for the body of an HTML-only message, with
 * libxml2's forgiving HTML parser, run as a push parser with SAX
 * callbacks: no document tree, so memory follows the text, not the markup
 * (a DOM of a 27 MB HTML mail took 1.5 GB).
 *
 * Nothing is ever fetched: the parser runs with HTML_PARSE_NONET and
 * images are reduced to their alt text.  head, style, script, title,
 * noscript and template are skipped; block elements (p, div, br, li, tr,
 * h1-h6, blockquote, table ...) end a line; entities are decoded by
 * libxml2; a link keeps its text and, when it differs, its target in
 * angle brackets so an editor sees where it pointed.
 */
#ifndef TIPLINE_HTML_H
#define TIPLINE_HTML_H

#include <stddef.h>

/* Convert LEN bytes of UTF-8 HTML (already charset-converted; any
 * <meta charset> is ignored) to text with LF line ends: a block element
 * ends a line, <br> breaks one (at most one empty line in a row).
 * Returns a newly allocated UTF-8 string (g_free), "" for a document
 * without text; never NULL. */
char *html_to_text(const char *html, size_t len);

#endif
