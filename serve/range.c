/* range.c - the Range header of a GET (RFC 9110 section 14), for the
 * clip route: a browser's <video> asks for pieces so that an editor can
 * seek in a 50 MB clip without loading it all.  Pure: no I/O. */
#include <string.h>

#include "serve.h"

/* Digits at *P as an unsigned number; FALSE when none or too large. */
static gboolean
digits(const char **p, guint64 *out)
{
	guint64 v = 0;
	const char *s = *p;

	if (!g_ascii_isdigit(*s))
		return FALSE;
	for (; g_ascii_isdigit(*s); s++) {
		if (v > (G_MAXUINT64 - 9) / 10)
			return FALSE;
		v = v * 10 + (guint64)(*s - '0');
	}
	*p = s;
	*out = v;
	return TRUE;
}

serve_range
serve_range_parse(const char *header, guint64 size, guint64 *start,
		  guint64 *len)
{
	const char *p = header;
	guint64 a = 0, b = 0;
	gboolean have_a, have_b;

	*start = 0;
	*len = size;
	if (p == NULL)
		return SERVE_RANGE_NONE;
	while (*p == ' ' || *p == '\t')
		p++;
	/* Only "bytes", and only one range: a server may ignore the rest
	 * and send the whole (RFC 9110 14.2). */
	if (g_ascii_strncasecmp(p, "bytes=", 6) != 0)
		return SERVE_RANGE_NONE;
	p += 6;
	while (*p == ' ' || *p == '\t')
		p++;
	have_a = digits(&p, &a);
	if (*p++ != '-')
		return SERVE_RANGE_NONE;
	have_b = digits(&p, &b);
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '\0' || (!have_a && !have_b) ||
	    (have_a && have_b && b < a))
		return SERVE_RANGE_NONE;
	if (!have_a) {
		/* A suffix: the last B bytes (all of them when B >= SIZE);
		 * "-0" asks for nothing and cannot be satisfied. */
		if (b == 0 || size == 0)
			return SERVE_RANGE_UNSATISFIABLE;
		*len = MIN(b, size);
		*start = size - *len;
		return SERVE_RANGE_OK;
	}
	if (a >= size)
		return SERVE_RANGE_UNSATISFIABLE;
	if (!have_b || b >= size)
		b = size - 1;
	*start = a;
	*len = b - a + 1;
	return SERVE_RANGE_OK;
}
