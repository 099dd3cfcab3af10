/* uu.c - uuencode blocks in text bodies (see uu-priv.h). */
#include <string.h>

#include "uu-priv.h"

/* Next line of BUF from *pos: its start and length without CR/LF. */
static gboolean
next_line(const char *buf, size_t len, size_t *pos, const char **l,
	  size_t *llen)
{
	const char *nl;

	if (*pos >= len)
		return FALSE;
	*l = buf + *pos;
	nl = memchr(*l, '\n', len - *pos);
	*llen = nl != NULL ? (size_t)(nl - *l) : len - *pos;
	*pos += *llen + (nl != NULL ? 1 : 0);
	if (*llen > 0 && (*l)[*llen - 1] == '\r')
		(*llen)--;
	return TRUE;
}

/* "begin 644 name": returns the name's offset in L, or 0. */
static size_t
begin_line(const char *l, size_t n)
{
	size_t i = 6, digits = 0;

	if (n < 9 || memcmp(l, "begin ", 6) != 0)
		return 0;
	while (i < n && l[i] >= '0' && l[i] <= '7') {
		i++;
		digits++;
	}
	if (digits < 3 || digits > 4 || i >= n || l[i] != ' ' || i + 1 >= n)
		return 0;
	return i + 1;
}

/* A uuencoded data line: its length character matches its size. */
static gboolean
data_line(const char *l, size_t n)
{
	size_t count, need;

	if (n == 0)
		return FALSE;
	count = (size_t)((l[0] - ' ') & 63);
	need = (count + 2) / 3 * 4 + 1;
	for (size_t i = 0; i < n; i++)
		if (l[i] < ' ' || l[i] > '`')
			return FALSE;
	return n >= need && n <= need + 2;
}

GArray *
uu_find(const char *buf, size_t len)
{
	GArray *out = g_array_new(FALSE, TRUE, sizeof(uu_block));
	size_t pos = 0;

	while (pos < len) {
		size_t start = pos, llen, name, p2;
		const char *l;
		gboolean ok = FALSE;

		if (!next_line(buf, len, &pos, &l, &llen))
			break;
		name = begin_line(l, llen);
		if (name == 0)
			continue;
		p2 = pos;
		while (next_line(buf, len, &p2, &l, &llen)) {
			if (llen == 3 && memcmp(l, "end", 3) == 0) {
				ok = TRUE;
				break;
			}
			if (llen == 1 && l[0] == '`')
				continue;
			if (llen == 0 || !data_line(l, llen))
				break;
		}
		if (ok) {
			uu_block b;
			const char *bl = buf + start;
			const char *nl = memchr(bl, '\n', len - start);
			size_t bn = nl != NULL ? (size_t)(nl - bl) :
			    len - start;

			if (bn > 0 && bl[bn - 1] == '\r')
				bn--;
			b.start = start;
			b.end = p2;
			b.name = g_strndup(bl + name, bn - name);
			g_array_append_val(out, b);
			pos = p2;
		}
	}
	return out;
}

void
uu_blocks_free(GArray *blocks)
{
	if (blocks == NULL)
		return;
	for (guint i = 0; i < blocks->len; i++)
		g_free(g_array_index(blocks, uu_block, i).name);
	g_array_free(blocks, TRUE);
}

void
uu_decode(const char *buf, const uu_block *b,
	  void (*sink)(const void *data, size_t len, void *ud), void *ud)
{
	size_t pos = b->start, llen;
	const char *l;
	gboolean first = TRUE;

	while (pos < b->end && next_line(buf, b->end, &pos, &l, &llen)) {
		unsigned char out[64];
		size_t count, o = 0;

		if (first) {	/* the begin line */
			first = FALSE;
			continue;
		}
		if (llen == 3 && memcmp(l, "end", 3) == 0)
			break;
		if (llen == 0)
			continue;
		count = (size_t)((l[0] - ' ') & 63);
		for (size_t i = 1; i + 3 < llen + 3 && o < count; i += 4) {
			unsigned char c[4] = { 0, 0, 0, 0 };

			for (size_t k = 0; k < 4; k++)
				c[k] = i + k < llen ?
				    (unsigned char)((l[i + k] - ' ') & 63) : 0;
			out[o++] = (unsigned char)(c[0] << 2 | c[1] >> 4);
			if (o < count)
				out[o++] = (unsigned char)(c[1] << 4 |
				    c[2] >> 2);
			if (o < count)
				out[o++] = (unsigned char)(c[2] << 6 | c[3]);
			if (i + 4 >= llen)
				break;
		}
		if (o > count)
			o = count;
		sink(out, o, ud);
	}
}
