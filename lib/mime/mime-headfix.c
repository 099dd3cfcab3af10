/* mime-headfix.c - top-level header block repairs before GMime parses a
 * message (see mime-headfix-priv.h). */
#include <string.h>

#include "mime-headfix-priv.h"

#define HEAD_MAX	(4 * 1024 * 1024)

gboolean
mime_headfix_field_like(const char *p, size_t len)
{
	size_t i = 0;

	while (i < len && p[i] > ' ' && p[i] < 0x7F && p[i] != ':')
		i++;
	return i > 0 && i < len && p[i] == ':';
}

/* Bytes of white space (SP, HT) at the start of P (LEN bytes). */
static size_t
wsp_len(const char *p, size_t len)
{
	size_t i = 0;

	while (i < len && (p[i] == ' ' || p[i] == '\t'))
		i++;
	return i;
}

/* The line at P in BUF (ending at END): its length without the line
 * end, and where the next line starts (END when there is none). */
static size_t
line_at(const char *p, const char *end, const char **next)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t l;

	if (nl == NULL) {
		*next = end;
		return (size_t)(end - p);
	}
	*next = nl + 1;
	l = (size_t)(nl - p);
	if (l > 0 && p[l - 1] == '\r')
		l--;
	return l;
}

/* Read the header block of S into a new array (up to and including the
 * empty line that ends it, or HEAD_MAX bytes). */
static GByteArray *
head_read(GMimeStream *s)
{
	GByteArray *b = g_byte_array_new();
	char chunk[4096];
	ssize_t n;

	while (b->len < HEAD_MAX &&
	       (n = g_mime_stream_read(s, chunk, sizeof chunk)) > 0) {
		gsize old = b->len;

		g_byte_array_append(b, (const guint8 *)chunk, (guint)n);
		/* Stop once an empty line has been read (LF LF or LF CR
		 * LF, looking back across the chunk boundary). */
		for (gsize i = old > 2 ? old - 2 : 0; i + 1 < b->len; i++)
			if (b->data[i] == '\n' && (b->data[i + 1] == '\n' ||
			    (b->data[i + 1] == '\r' && i + 2 < b->len &&
			     b->data[i + 2] == '\n')))
				return b;
	}
	return b;
}

GMimeStream *
mime_headfix_wrap(GMimeStream *s, int *fixed)
{
	gint64 start = g_mime_stream_tell(s);
	GByteArray *b;
	const char *buf, *end, *p, *next;
	gint64 cut = 0, blank_at = -1, blank_end = -1;
	gboolean crlf = FALSE;
	int f = 0;
	GMimeStream *cat, *part;
	size_t l, w;

	if (fixed != NULL)
		*fixed = 0;
	if (start < 0)
		return g_object_ref(s);
	b = head_read(s);
	g_mime_stream_seek(s, start, GMIME_STREAM_SEEK_SET);
	if (b->len == 0) {
		/* An empty message: nothing to repair (and b->data is NULL,
		 * where pointer arithmetic is undefined). */
		g_byte_array_free(b, TRUE);
		return g_object_ref(s);
	}
	buf = (const char *)b->data;
	end = buf + b->len;
	l = line_at(buf, end, &next);
	w = wsp_len(buf, l);
	if (w > 0 && w < l && mime_headfix_field_like(buf + w, l - w)) {
		cut = (gint64)w;
		f |= MIME_HEADFIX_INDENTED_FIRST;
	}
	for (p = next; p < end; p = next) {
		const char *after;
		size_t nl;

		l = line_at(p, end, &next);
		if (l == 0)
			break;	/* the header's real end */
		if (wsp_len(p, l) != l || next >= end)
			continue;
		nl = line_at(next, end, &after);
		if (nl == 0 || mime_headfix_field_like(next, nl) ||
		    (wsp_len(next, nl) > 0 && wsp_len(next, nl) < nl))
			continue;	/* obsolete folding, or the end */
		blank_at = (gint64)(p - buf);
		blank_end = (gint64)(next - buf);
		crlf = p[l] == '\r';
		f |= MIME_HEADFIX_BLANK_END;
		break;
	}
	g_byte_array_free(b, TRUE);
	if (f == 0)
		return g_object_ref(s);
	cat = g_mime_stream_cat_new();
	if (blank_at >= 0) {
		part = g_mime_stream_substream(s, start + cut,
					       start + blank_at);
		g_mime_stream_cat_add_source(GMIME_STREAM_CAT(cat), part);
		g_object_unref(part);
		part = g_mime_stream_mem_new_with_buffer(crlf ? "\r\n" : "\n",
							 crlf ? 2 : 1);
		g_mime_stream_cat_add_source(GMIME_STREAM_CAT(cat), part);
		g_object_unref(part);
		cut = blank_end;
	}
	part = g_mime_stream_substream(s, start + cut, s->bound_end);
	g_mime_stream_cat_add_source(GMIME_STREAM_CAT(cat), part);
	g_object_unref(part);
	/* A substream need not hold its source (GMimeStreamFs's does not
	 * own the descriptor): keep S alive as long as the result. */
	g_object_set_data_full(G_OBJECT(cat), "tipline-source",
			       g_object_ref(s), g_object_unref);
	if (fixed != NULL)
		*fixed = f;
	return cat;
}

const char *
mime_headfix_describe(int fixed)
{
	if (fixed == (MIME_HEADFIX_INDENTED_FIRST | MIME_HEADFIX_BLANK_END))
		return "indented first header line read as a header field; "
		    "a line of white space only read as the end of the "
		    "header";
	if (fixed & MIME_HEADFIX_INDENTED_FIRST)
		return "indented first header line read as a header field";
	if (fixed & MIME_HEADFIX_BLANK_END)
		return "a line of white space only read as the end of the "
		    "header (the text after it is the body)";
	return NULL;
}
