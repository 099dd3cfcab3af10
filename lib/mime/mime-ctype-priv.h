/* mime-ctype-priv.h - Content-Type values without a subtype.
 *
 * RFC 2045 section 5.1 requires "type/subtype".  Some mailers write a
 * single token ("application-x-gzip; name=...", "BINARY;name=...",
 * "text; charset=..."), and GMime 3.2.13's g_mime_content_type_parse()
 * then falls back to application/octet-stream *without any parameter*
 * (gmime-content-type.c: it gives up before the parameter list), so the
 * file name and the charset are lost.  tipline reads the intended type
 * from the token and keeps the parameters, with a warning.
 */
#ifndef TIPLINE_MIME_CTYPE_H
#define TIPLINE_MIME_CTYPE_H

#include <glib.h>
#include <gmime/gmime.h>

/* RAW is a Content-Type field value (unfolded).  When its type has no
 * subtype, returns a newly allocated value with a type/subtype in its
 * place and the parameters as written: "text" gives text/plain (RFC 2045
 * section 5.2's default), "TYPE-rest" or "TYPE_rest" for a registered
 * top-level TYPE gives TYPE/rest ("application-x-gzip" ->
 * application/x-gzip), anything else application/octet-stream.  NULL when
 * RAW has a subtype (or is NULL).  *was (may be NULL) gets the type
 * token as written (g_free) when a value is returned. */
char *mime_ctype_repair(const char *raw, char **was);

/* When the Content-Type of OBJ (a leaf GMime has built) has no subtype,
 * give OBJ the repaired type with its parameters (OPTS as for parsing)
 * and return a newly allocated warning naming PATH; else NULL. */
char *mime_ctype_fix(GMimeParserOptions *opts, GMimeObject *obj,
		     const char *path);

#endif
