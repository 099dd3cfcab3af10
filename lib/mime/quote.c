/* quote.c - reply quote detection (see quote-priv.h). */
#include <string.h>

#include "quote-priv.h"

typedef struct {
	const char *start;	/* first byte of the line */
	size_t len;		/* without the LF */
} line;

static gboolean
line_blank(const line *l)
{
	for (size_t i = 0; i < l->len; i++)
		if (!g_ascii_isspace(l->start[i]))
			return FALSE;
	return TRUE;
}

static gboolean
line_quoted(const line *l)
{
	size_t i = 0;

	while (i < l->len && (l->start[i] == ' ' || l->start[i] == '\t'))
		i++;
	return i < l->len && l->start[i] == '>';
}

/* L, trimmed, ends with one of the attribution endings. */
static gboolean
ends_attribution(const line *l)
{
	static const char *const ends[] = {
		"đã viết:", "wrote:", "a écrit :", "a écrit:", "schrieb:",
		"escribió:", "scritto:", "написал:", "написала:", NULL
	};
	size_t n = l->len;

	while (n > 0 && g_ascii_isspace(l->start[n - 1]))
		n--;
	for (size_t i = 0; ends[i] != NULL; i++) {
		size_t m = strlen(ends[i]);

		if (n >= m && memcmp(l->start + n - m, ends[i], m) == 0)
			return TRUE;
	}
	return FALSE;
}

static gboolean
starts_attribution(const line *l)
{
	static const char *const starts[] = {
		"Vào ", "On ", "Le ", "Am ", "El ", "Il ", "Em ", NULL
	};

	for (size_t i = 0; starts[i] != NULL; i++) {
		size_t m = strlen(starts[i]);

		if (l->len >= m && memcmp(l->start, starts[i], m) == 0)
			return TRUE;
	}
	return FALSE;
}

static gboolean
is_separator(const line *l)
{
	static const char *const seps[] = {
		"-----Original Message-----", "----- Original Message -----",
		"-----Tin nhắn gốc-----", "-----Thư gốc-----", NULL
	};

	for (size_t i = 0; seps[i] != NULL; i++) {
		size_t m = strlen(seps[i]);

		if (l->len >= m && strncmp(l->start, seps[i], m) == 0)
			return TRUE;
	}
	return FALSE;
}

static gboolean
starts_with_any(const line *l, const char *const *words)
{
	for (size_t i = 0; words[i] != NULL; i++) {
		size_t m = strlen(words[i]);

		if (l->len >= m && memcmp(l->start, words[i], m) == 0)
			return TRUE;
	}
	return FALSE;
}

/* Line I opens the header block Outlook puts above a quoted message:
 * "From:" (or its Vietnamese "Từ:") and, within the next three lines,
 * "Sent:" / "Date:" ("Gửi:", "Đã gửi:", "Ngày:"). */
static gboolean
outlook_block(GArray *lines, guint i)
{
	static const char *const from[] = {
		"From: ", "Từ: ", "*From:*", "De : ", "Von: ", NULL
	};
	static const char *const sent[] = {
		"Sent: ", "Date: ", "Gửi: ", "Đã gửi: ", "Ngày: ",
		"*Sent:*", "Envoyé : ", "Gesendet: ", NULL
	};

	if (!starts_with_any(&g_array_index(lines, line, i), from))
		return FALSE;
	for (guint k = i + 1; k < lines->len && k <= i + 3; k++)
		if (starts_with_any(&g_array_index(lines, line, k), sent))
			return TRUE;
	return FALSE;
}

gint64
quote_find(const char *text)
{
	GArray *lines = g_array_new(FALSE, FALSE, sizeof(line));
	const char *p = text;
	gint64 res = -1;
	guint i, q;
	int last_content = -1;

	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		line l = { p, nl != NULL ? (size_t)(nl - p) : strlen(p) };

		g_array_append_val(lines, l);
		p = nl != NULL ? nl + 1 : p + l.len;
	}
	/* Outlook's separator, or its header block of the earlier message
	 * ("From: / Sent:", "Từ: / Gửi:"): the rest is that message. */
	for (i = 0; i < lines->len; i++) {
		line *l = &g_array_index(lines, line, i);

		if (i > 0 && is_separator(l)) {
			res = l->start - text;
			goto out;
		}
		if (i > 0 && outlook_block(lines, i)) {
			line *prev = &g_array_index(lines, line, i - 1);

			/* Include the "_____" rule Outlook draws above. */
			if (prev->len >= 10 && prev->start[0] == '_')
				l = prev;
			res = l->start - text;
			goto out;
		}
	}
	/* The trailing block made only of quoted and blank lines. */
	for (i = 0; i < lines->len; i++) {
		line *l = &g_array_index(lines, line, i);

		if (!line_blank(l) && !line_quoted(l))
			last_content = (int)i;
	}
	q = (guint)(last_content + 1);
	while (q < lines->len && line_blank(&g_array_index(lines, line, q)))
		q++;
	if (q >= lines->len)
		goto out;	/* no quoted line at the end */
	res = g_array_index(lines, line, q).start - text;
	/* An attribution just before it, possibly wrapped onto two lines. */
	if (last_content >= 0 &&
	    ends_attribution(&g_array_index(lines, line, last_content))) {
		int a = last_content;
		line *prev = a > 0 ? &g_array_index(lines, line, a - 1) : NULL;

		if (!starts_attribution(&g_array_index(lines, line, a)) &&
		    prev != NULL && starts_attribution(prev) &&
		    !line_blank(prev))
			a--;
		res = g_array_index(lines, line, a).start - text;
	}
	if (res == 0)
		res = -1;	/* all quote, no reply: nothing to hide */
out:
	g_array_free(lines, TRUE);
	return res;
}
