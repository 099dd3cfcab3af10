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
 * angle brackets so an editor sees where it pointed.  What was removed is
 * counted (html_removed) so the desk can say so (issue 12).
 */
#ifndef TIPLINE_HTML_H
#define TIPLINE_HTML_H

#include <stddef.h>

/* What html_to_text removed from a document.  A remote image is an
 * element that would fetch an image from the network: <img>, <input
 * type=image> or <image> whose src (or srcset) is http:, https: or
 * protocol-relative //, a legacy background= attribute, or a CSS url()
 * of such an address in a style= attribute; each element counts once.
 * A link is an <a> or <area> with an href other than empty or a #fragment
 * (mailto: and javascript: included: none of them stays clickable). */
typedef struct {
	unsigned remote_images;
	unsigned links;
} html_removed;

/* Convert LEN bytes of UTF-8 HTML (already charset-converted; any
 * <meta charset> is ignored) to text with LF line ends: a block element
 * ends a line, <br> breaks one (at most one empty line in a row).
 * Returns a newly allocated UTF-8 string (g_free), "" for a document
 * without text; never NULL.  When REMOVED is not NULL, what was removed
 * is added to its counts (the caller zeroes it). */
char *html_to_text(const char *html, size_t len, html_removed *removed);

#endif
