/* desk-walk.c - the rows of a page of a thread-sorted list (see
 * desk-walk-priv.h). */
#include <string.h>

#include "desk-walk-priv.h"

void
desk_walk_init(desk_walk *w, gint64 offset, gint64 limit)
{
	memset(w, 0, sizeof *w);
	w->from = MAX(offset, 0);
	/* --limit may be any number: the end of the list, not a wrap. */
	w->to = MAX(limit, 0) > G_MAXINT64 - w->from ? G_MAXINT64 :
		w->from + MAX(limit, 0);
	w->met = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
				       NULL);
	w->group = g_array_new(FALSE, FALSE, sizeof(gint64));
	w->ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	w->done = w->to <= w->from;
}

/* The current group is complete: its rows sit at [placed, placed + n)
 * of the list; kept when that overlaps the page.  Groups are contiguous,
 * so the first one kept holds the page's first row. */
static void
group_close(desk_walk *w)
{
	gint64 n = w->group->len;

	if (n > 0 && w->placed < w->to && w->placed + n > w->from) {
		if (w->ids->len == 0)
			w->skip = w->from - w->placed;
		g_array_append_vals(w->ids, w->group->data, w->group->len);
	}
	w->placed += n;
	g_array_set_size(w->group, 0);
	if (w->placed >= w->to)
		w->done = TRUE;
}

gboolean
desk_walk_add(desk_walk *w, gint64 row, const char *key)
{
	if (w->done)
		return TRUE;
	if (w->key == NULL || strcmp(key, w->key) != 0) {
		group_close(w);
		if (w->done)
			return TRUE;
		g_free(w->key);
		w->key = g_strdup(key);
	}
	if (!g_hash_table_contains(w->met, &row)) {
		g_hash_table_add(w->met, g_memdup2(&row, sizeof row));
		g_array_append_val(w->group, row);
	}
	return FALSE;
}

void
desk_walk_end(desk_walk *w)
{
	if (!w->done)
		group_close(w);
	w->done = TRUE;
}

void
desk_walk_clear(desk_walk *w)
{
	g_hash_table_unref(w->met);
	g_array_unref(w->group);
	g_array_unref(w->ids);
	g_free(w->key);
	memset(w, 0, sizeof *w);
}
