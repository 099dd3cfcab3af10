/* query.c - the search box's syntax (see query-priv.h). */
#include <string.h>

#include "util.h"
#include "query-priv.h"

/* One item of the input before OR is resolved. */
typedef struct {
	char *text;
	gboolean quoted, excluded;
} item;

static void
term_free(gpointer p)
{
	query_term *t = p;

	g_free(t->text);
	g_free(t);
}

/* Whether S holds something FTS5's unicode61 tokenizer keeps (a letter,
 * digit or mark); without one the term would be an empty phrase, which
 * matches nothing. */
static gboolean
has_token(const char *s)
{
	for (; *s != '\0'; s = g_utf8_next_char(s)) {
		gunichar c = g_utf8_get_char(s);

		if (g_unichar_isalnum(c) || g_unichar_ismark(c))
			return TRUE;
	}
	return FALSE;
}

/* Split S (valid NFC UTF-8) into items: white space separates words, a
 * '"' starts a phrase that runs to the next '"' or the end, a '-' in
 * front of a word or phrase excludes it. */
static GArray *
items_split(const char *s)
{
	GArray *items = g_array_new(FALSE, TRUE, sizeof(item));
	const char *p = s;

	while (*p != '\0') {
		item it = { NULL, FALSE, FALSE };
		const char *start;

		if (g_unichar_isspace(g_utf8_get_char(p))) {
			p = g_utf8_next_char(p);
			continue;
		}
		if (*p == '-' && p[1] != '\0' &&
		    !g_unichar_isspace(g_utf8_get_char(p + 1))) {
			it.excluded = TRUE;
			p++;
		}
		if (*p == '"') {
			const char *end = strchr(p + 1, '"');

			it.quoted = TRUE;
			if (end == NULL)
				end = p + strlen(p);
			it.text = g_strndup(p + 1, (gsize)(end - p - 1));
			p = *end == '"' ? end + 1 : end;
		} else {
			start = p;
			while (*p != '\0' &&
			       !g_unichar_isspace(g_utf8_get_char(p)))
				p = g_utf8_next_char(p);
			it.text = g_strndup(start, (gsize)(p - start));
		}
		if (!has_token(it.text)) {
			g_free(it.text);
			continue;
		}
		g_array_append_val(items, it);
	}
	return items;
}

static query_term *
term_new(item *it)
{
	query_term *t = g_new0(query_term, 1);

	t->text = it->text;
	t->quoted = it->quoted;
	it->text = NULL;
	return t;
}

/* A bare, unquoted OR between two terms that are looked for. */
static gboolean
is_or(const item *it)
{
	return !it->quoted && !it->excluded && strcmp(it->text, "OR") == 0;
}

query *
query_parse(const char *input)
{
	query *q = g_new0(query, 1);
	char *valid = g_utf8_make_valid(input != NULL ? input : "", -1);
	char *nfc = nfc_normalize(valid, -1);
	GArray *items = items_split(nfc != NULL ? nfc : "");
	GPtrArray *last = NULL;	/* the group a following OR extends */

	q->groups = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)g_ptr_array_unref);
	q->excluded = g_ptr_array_new_with_free_func(term_free);
	for (guint i = 0; i < items->len; i++) {
		item *it = &g_array_index(items, item, i);
		item *next = i + 1 < items->len ?
		    &g_array_index(items, item, i + 1) : NULL;

		if (it->excluded) {
			g_ptr_array_add(q->excluded, term_new(it));
			last = NULL;
			continue;
		}
		if (is_or(it) && last != NULL && next != NULL &&
		    !next->excluded && !is_or(next)) {
			g_ptr_array_add(last, term_new(next));
			i++;
			continue;
		}
		last = g_ptr_array_new_with_free_func(term_free);
		g_ptr_array_add(last, term_new(it));
		g_ptr_array_add(q->groups, last);
	}
	for (guint i = 0; i < items->len; i++)
		g_free(g_array_index(items, item, i).text);
	g_array_free(items, TRUE);
	g_free(nfc);
	g_free(valid);
	return q;
}

void
query_free(query *q)
{
	if (q == NULL)
		return;
	g_ptr_array_unref(q->groups);
	g_ptr_array_unref(q->excluded);
	g_free(q);
}

gboolean
query_is_empty(const query *q)
{
	return q->groups->len == 0;
}

char *
query_describe(const query *q)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < q->groups->len; i++) {
		GPtrArray *g = q->groups->pdata[i];

		if (out->len > 0)
			g_string_append_c(out, ' ');
		if (g->len > 1)
			g_string_append_c(out, '(');
		for (guint j = 0; j < g->len; j++) {
			query_term *t = g->pdata[j];

			g_string_append_printf(out, "%s%s%s%s",
			    j > 0 ? " | " : "", t->quoted ? "\"" : "",
			    t->text, t->quoted ? "\"" : "");
		}
		if (g->len > 1)
			g_string_append_c(out, ')');
	}
	for (guint i = 0; i < q->excluded->len; i++) {
		query_term *t = q->excluded->pdata[i];

		g_string_append_printf(out, "%s-%s%s%s",
		    out->len > 0 ? " " : "", t->quoted ? "\"" : "", t->text,
		    t->quoted ? "\"" : "");
	}
	return g_string_free(out, FALSE);
}

/* Append TEXT to OUT as the inside of an FTS5 string: '"' doubled, and
 * with FOLD đ/Đ as d/D (Unicode gives them no decomposition, so the
 * tokenizer's remove_diacritics leaves them; the index was folded the
 * same way, see schema.sql). */
static void
fts_chars(GString *out, const char *text, gboolean fold)
{
	for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (c == '"')
			g_string_append(out, "\"\"");
		else if (fold && c == 0x0111)
			g_string_append_c(out, 'd');
		else if (fold && c == 0x0110)
			g_string_append_c(out, 'D');
		else
			g_string_append_unichar(out, c);
	}
}

static void
fts_string(GString *out, const query_term *t, gboolean fold)
{
	g_string_append_c(out, '"');
	fts_chars(out, t->text, fold);
	g_string_append_c(out, '"');
}

/* "a" or ("a" OR "b") */
static void
fts_group(GString *out, GPtrArray *g, gboolean fold)
{
	if (g->len > 1)
		g_string_append_c(out, '(');
	for (guint j = 0; j < g->len; j++) {
		if (j > 0)
			g_string_append(out, " OR ");
		fts_string(out, g->pdata[j], fold);
	}
	if (g->len > 1)
		g_string_append_c(out, ')');
}

char *
query_fts(const query *q, gboolean fold, gboolean exclude)
{
	GString *out;

	if (query_is_empty(q))
		return NULL;
	out = g_string_new(NULL);
	if (exclude && q->excluded->len > 0)
		g_string_append_c(out, '(');
	for (guint i = 0; i < q->groups->len; i++) {
		if (i > 0)
			g_string_append(out, " AND ");
		fts_group(out, q->groups->pdata[i], fold);
	}
	if (exclude && q->excluded->len > 0) {
		/* FTS5's NOT is binary: (wanted) NOT (any excluded). */
		g_string_append(out, ") NOT (");
		for (guint i = 0; i < q->excluded->len; i++) {
			if (i > 0)
				g_string_append(out, " OR ");
			fts_string(out, q->excluded->pdata[i], fold);
		}
		g_string_append_c(out, ')');
	}
	return g_string_free(out, FALSE);
}

char *
query_fts_phrase(const query *q, guint i, gboolean fold)
{
	const query_term *t = NULL;
	GString *out;

	/* query_fts's order: the groups' terms, then the excluded ones. */
	for (guint g = 0; t == NULL && g < q->groups->len; g++) {
		GPtrArray *terms = q->groups->pdata[g];

		if (i < terms->len)
			t = terms->pdata[i];
		else
			i -= terms->len;
	}
	if (t == NULL && i < q->excluded->len)
		t = q->excluded->pdata[i];
	if (t == NULL)
		return NULL;
	out = g_string_new(NULL);
	fts_string(out, t, fold);
	return g_string_free(out, FALSE);
}

int
query_near_phrases(const query *q, int *out, int max)
{
	int n = 0, phrase = 0;

	/* query_fts writes the groups in order, each term one phrase. */
	for (guint i = 0; i < q->groups->len; i++) {
		GPtrArray *g = q->groups->pdata[i];

		if (g->len == 1 && n < max)
			out[n++] = phrase;
		phrase += (int)g->len;
	}
	return n;
}
