/* mime-opaque.c - message/rfc822 parts that are not messages (see
 * mime-opaque.h). */
#include <stdlib.h>
#include <string.h>

#include "mime-opaque-priv.h"
#include "mime-part-priv.h"

#define LINE_KEEP	256	/* a boundary line is at most 70 + 4 */

gboolean
mime_opaque_is(GMimeObject *o)
{
	GMimeMessage *m;
	GMimeObject *root;
	int n;

	if (o == NULL || !GMIME_IS_MESSAGE_PART(o))
		return FALSE;
	m = g_mime_message_part_get_message(GMIME_MESSAGE_PART(o));
	if (m == NULL)
		return FALSE;
	n = g_mime_header_list_get_count(g_mime_object_get_header_list(
	    GMIME_OBJECT(m)));
	root = g_mime_message_get_mime_part(m);
	if (root != NULL)
		n += g_mime_header_list_get_count(
		    g_mime_object_get_header_list(root));
	return n == 0;
}

typedef struct {
	const char *delim;	/* "--boundary" */
	size_t dlen;
	int want, seen;		/* part index, delimiters seen - 1 */
	int state;		/* 0 seek, 1 part header, 2 content */
	gint64 begin, end;
	gint64 line_start;
	size_t eol_prev;	/* length of the previous line's end */
	char line[LINE_KEEP];
	size_t llen;		/* bytes of the line so far */
} scan;

/* LINE (the first bytes of a line of TOTAL bytes, without its end) is a
 * boundary of S; *close for the closing one. */
static gboolean
is_delim(const scan *s, const char *line, size_t kept, size_t total,
	 gboolean *close)
{
	size_t i;

	if (total > kept || kept < s->dlen ||
	    memcmp(line, s->delim, s->dlen) != 0)
		return FALSE;
	i = s->dlen;
	*close = kept >= i + 2 && line[i] == '-' && line[i + 1] == '-';
	if (*close)
		i += 2;
	for (; i < kept; i++)
		if (line[i] != ' ' && line[i] != '\t')
			return FALSE;
	return TRUE;
}

/* One whole line: TOTAL bytes without its end of EOL bytes. */
static void
scan_line(scan *s, size_t total, size_t eol)
{
	size_t kept = MIN(total, (size_t)LINE_KEEP);
	gboolean close = FALSE, d = is_delim(s, s->line, kept, total, &close);

	if (s->state == 0 && d && !close && ++s->seen == s->want) {
		s->state = 1;
	} else if (s->state == 1 && total == 0) {
		s->state = 2;
		s->begin = s->line_start + (gint64)eol;
	} else if (s->state == 2 && d) {
		s->end = MAX(s->begin, s->line_start - (gint64)s->eol_prev);
		s->state = 3;
	}
	s->eol_prev = eol;
}

GMimeStream *
mime_opaque_content(GMimeStream *file, GMimeObject *parent, int index)
{
	const char *b;
	char *delim, buf[65536];
	scan s;
	ssize_t n;
	gint64 pos;

	if (file == NULL || parent == NULL || !GMIME_IS_MULTIPART(parent) ||
	    (b = g_mime_multipart_get_boundary(GMIME_MULTIPART(parent))) ==
	    NULL)
		return NULL;
	delim = g_strconcat("--", b, NULL);
	memset(&s, 0, sizeof s);
	s.delim = delim;
	s.dlen = strlen(delim);
	s.want = index;
	s.seen = -1;
	s.end = -1;
	if (g_mime_stream_reset(file) < 0)
		goto fail;
	pos = s.line_start = g_mime_stream_tell(file);
	while (s.state < 3 && (n = g_mime_stream_read(file, buf,
	    sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n && s.state < 3; i++, pos++) {
			if (buf[i] != '\n') {
				if (s.llen < LINE_KEEP)
					s.line[s.llen] = buf[i];
				s.llen++;
				continue;
			}
			{
				size_t total = s.llen, eol = 1;
				size_t kept = MIN(total, (size_t)LINE_KEEP);

				if (total > 0 && s.line[kept - 1] == '\r' &&
				    kept == total) {
					total--;
					eol = 2;
				} else if (total > LINE_KEEP) {
					/* long: not a boundary */
					eol = 1;
				}
				scan_line(&s, total, eol);
			}
			s.llen = 0;
			s.line_start = pos + 1;
		}
	}
	if (s.state == 2) {
		/* No closing boundary (a truncated message): to the end. */
		if (s.llen > 0)
			scan_line(&s, s.llen, 0);
		if (s.state == 2)
			s.end = pos;
	}
	g_mime_stream_reset(file);
	g_free(delim);
	if (s.begin <= 0 || s.end < s.begin)
		return NULL;
	{
		/* A bounded GMimeStreamFs fails a read at its end instead of
		 * returning 0; a filter stream reads it to its end as for
		 * any part. */
		GMimeStream *sub = g_mime_stream_substream(file, s.begin,
							   s.end);
		GMimeStream *f = g_mime_stream_filter_new(sub);

		g_object_unref(sub);
		return f;
	}
fail:
	g_free(delim);
	return NULL;
}

GMimeStream *
mime_opaque_find(GMimeMessage *top, GMimeStream *file, const char *part_path)
{
	const char *dot = strrchr(part_path, '.');
	GMimeObject *o = mime_part_find(top, part_path), *parent;
	long idx;

	if (!mime_opaque_is(o))
		return NULL;
	idx = strtol(dot != NULL ? dot + 1 : part_path, NULL, 10);
	if (dot == NULL) {
		parent = g_mime_message_get_mime_part(top);
	} else {
		char *pp = g_strndup(part_path, dot - part_path);

		parent = mime_part_find(top, pp);
		g_free(pp);
		if (parent != NULL && GMIME_IS_MESSAGE_PART(parent)) {
			GMimeMessage *m = g_mime_message_part_get_message(
			    GMIME_MESSAGE_PART(parent));

			parent = m != NULL ? g_mime_message_get_mime_part(m) :
			    NULL;
		}
	}
	if (idx < 1)
		return NULL;
	return mime_opaque_content(file, parent, (int)idx - 1);
}
