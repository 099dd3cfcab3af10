/* mime-limits.c - pre-parse limit scan (see mime-limits-priv.h). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "mime-limits-priv.h"

#define LINE_KEEP	1024	/* bytes of a line kept for matching */
#define CTYPE_KEEP	8192	/* bytes of a Content-Type kept */

typedef struct {
	const tl_parse_limits *lim;
	GPtrArray *stack;	/* boundaries (char *), NULL: rfc822 */
	gboolean in_header;
	gint64 header_bytes;
	int parts;
	GString *ctype;		/* Content-Type, unfolded */
	gboolean in_ctype;
	char *reason;
	gint64 pos;		/* file offset after the current byte */
	gint64 top_end;		/* end of the top-level header, or -1 */
	int nuls;		/* NUL bytes seen in header blocks */
} scan;

/* RFC 2045 parameter value: quoted or a token; newly allocated or NULL. */
static char *
param_value(const char *ct, const char *name)
{
	const char *p = ct;
	size_t n = strlen(name);

	while ((p = strchr(p, ';')) != NULL) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (g_ascii_strncasecmp(p, name, n) != 0)
			continue;
		p += n;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '=')
			continue;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '"') {
			const char *e = strchr(p + 1, '"');

			return e != NULL ? g_strndup(p + 1, e - p - 1) : NULL;
		}
		n = strcspn(p, "; \t");
		return n > 0 ? g_strndup(p, n) : NULL;
	}
	return NULL;
}

static void
broken(scan *s, char *why)
{
	if (s->reason == NULL)
		s->reason = why;
	else
		g_free(why);
}

static void
push(scan *s, char *boundary)
{
	g_ptr_array_add(s->stack, boundary);
	if ((int)s->stack->len > s->lim->max_mime_depth)
		broken(s, g_strdup_printf("MIME nesting deeper than %d",
					  s->lim->max_mime_depth));
}

/* The header block just ended: nest as its Content-Type says. */
static void
header_end(scan *s)
{
	const char *ct = s->ctype->str;

	if (s->top_end < 0)
		s->top_end = s->pos;
	s->in_header = FALSE;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	if (g_ascii_strncasecmp(ct, "multipart/", 10) == 0) {
		char *b = param_value(ct, "boundary");

		if (b != NULL && *b != '\0')
			push(s, b);
		else
			g_free(b);
	} else if (g_ascii_strncasecmp(ct, "message/rfc822", 14) == 0 ||
		   g_ascii_strncasecmp(ct, "message/global", 14) == 0) {
		/* The inner message's header follows at once. */
		push(s, NULL);
		s->in_header = TRUE;
		s->header_bytes = 0;
	}
	g_string_truncate(s->ctype, 0);
	s->in_ctype = FALSE;
}

static void
part_start(scan *s)
{
	if (++s->parts > s->lim->max_parts)
		broken(s, g_strdup_printf("more than %d MIME parts",
					  s->lim->max_parts));
	s->in_header = TRUE;
	s->header_bytes = 0;
	g_string_truncate(s->ctype, 0);
	s->in_ctype = FALSE;
}

static gboolean
lwsp_only(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return FALSE;
	return TRUE;
}

/* One line: L holds its first KEPT bytes (no CR/LF), FULL its length. */
static void
line(scan *s, const char *l, size_t kept, gint64 full)
{
	if (s->in_header) {
		s->header_bytes += full + 1;
		if (s->header_bytes > s->lim->max_header_bytes) {
			broken(s, g_strdup_printf("header block larger than "
			    "%" G_GINT64_FORMAT " bytes",
			    s->lim->max_header_bytes));
			return;
		}
		if (full == 0) {
			header_end(s);
			return;
		}
		if (l[0] == ' ' || l[0] == '\t') {
			if (s->in_ctype && s->ctype->len < CTYPE_KEEP)
				g_string_append_len(s->ctype, l, kept);
			return;
		}
		s->in_ctype = kept >= 13 &&
		    g_ascii_strncasecmp(l, "content-type:", 13) == 0;
		if (s->in_ctype) {
			g_string_truncate(s->ctype, 0);
			g_string_append_len(s->ctype, l + 13, kept - 13);
		}
		return;
	}
	if (kept < 3 || l[0] != '-' || l[1] != '-')
		return;
	for (guint i = s->stack->len; i > 0; i--) {
		const char *b = g_ptr_array_index(s->stack, i - 1);
		size_t n = b != NULL ? strlen(b) : 0;

		gboolean close;

		if (b == NULL || kept < n + 2 || memcmp(l + 2, b, n) != 0)
			continue;
		/* Only white space may follow (RFC 2046 5.1.1), so that
		 * "--b" does not match a line "--bc". */
		close = kept >= n + 4 && l[n + 2] == '-' && l[n + 3] == '-';
		if ((gint64)kept != full || !lwsp_only(l + n + 2 + (close ? 2 :
		    0), kept - n - 2 - (close ? 2 : 0)))
			continue;
		/* Inner levels end with their parent's boundary. */
		g_ptr_array_set_size(s->stack, i);
		if (close)
			g_ptr_array_set_size(s->stack, i - 1);
		else
			part_start(s);
		return;
	}
}

struct mime_limits_scanner {
	scan s;
	char cur[LINE_KEEP];
	size_t kept;		/* bytes of the current line in cur */
	gint64 full;		/* its whole length so far */
};

mime_limits_scanner *
mime_limits_scanner_new(const tl_parse_limits *limits, gint64 pos)
{
	mime_limits_scanner *m = g_new0(mime_limits_scanner, 1);

	m->s.lim = limits;
	m->s.in_header = TRUE;
	m->s.parts = 1;
	m->s.pos = pos;
	m->s.top_end = -1;
	m->s.stack = g_ptr_array_new_with_free_func(g_free);
	m->s.ctype = g_string_new(NULL);
	return m;
}

gboolean
mime_limits_scanner_feed(mime_limits_scanner *m, const char *buf, size_t n)
{
	scan *s = &m->s;
	char *cur = m->cur;

	for (size_t i = 0; i < n && s->reason == NULL; i++) {
		char c = buf[i];

		if (!s->in_header && c != '\n') {
			/* Body lines: jump to the next newline with memchr
			 * (vectorised) instead of a byte at a time; only the
			 * first LINE_KEEP bytes of a line are needed for
			 * boundary matching. */
			const char *nl = memchr(buf + i, '\n', n - i);
			size_t len = nl != NULL ? (size_t)(nl - (buf + i)) :
						  n - i;
			size_t take = MIN(len, LINE_KEEP - m->kept);

			memcpy(cur + m->kept, buf + i, take);
			m->kept += take;
			m->full += (gint64)len;
			s->pos += (gint64)len;
			i += len - 1;
			continue;
		}
		s->pos++;
		if (c == '\0' && s->in_header)
			s->nuls++;
		if (c == '\n') {
			if (m->kept > 0 && cur[m->kept - 1] == '\r' &&
			    m->full == (gint64)m->kept) {
				m->kept--;
				m->full--;
			}
			line(s, cur, m->kept, m->full);
			m->kept = 0;
			m->full = 0;
			continue;
		}
		if (m->kept < LINE_KEEP)
			cur[m->kept++] = c;
		m->full++;
		/* A header line can also grow without end. */
		if (s->in_header && s->header_bytes + m->full >
		    s->lim->max_header_bytes)
			line(s, cur, m->kept, m->full);
	}
	return s->reason == NULL;
}

int
mime_limits_scanner_finish(mime_limits_scanner *m, mime_limits_info *info,
			   char **reason)
{
	scan *s = &m->s;

	if (s->reason == NULL && m->full > 0)
		line(s, m->cur, m->kept, m->full);
	if (info != NULL) {
		info->header_end = s->top_end;
		info->header_nuls = s->nuls;
	}
	*reason = s->reason;
	g_string_free(s->ctype, TRUE);
	g_ptr_array_free(s->stack, TRUE);
	g_free(m);
	return *reason != NULL ? 1 : 0;
}

int
mime_limits_scan(int fd, const tl_parse_limits *limits, size_t chunk,
		 mime_limits_info *info, char **reason)
{
	mime_limits_scanner *m = NULL;
	gint64 pos;
	char *buf;
	int rc;

	if (chunk == 0 || chunk > MIME_LIMITS_READ)
		chunk = MIME_LIMITS_READ;
	pos = lseek(fd, 0, SEEK_CUR);
	m = mime_limits_scanner_new(limits, pos < 0 ? 0 : pos);
	buf = g_malloc(chunk);
	for (;;) {
		ssize_t n = read(fd, buf, chunk);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			g_free(buf);
			mime_limits_scanner_finish(m, info, reason);
			g_free(*reason);
			*reason = g_strdup_printf("read: %s", g_strerror(e));
			return -1;
		}
		if (n == 0 || !mime_limits_scanner_feed(m, buf, (size_t)n))
			break;
	}
	g_free(buf);
	rc = mime_limits_scanner_finish(m, info, reason);
	return rc;
}
