/* emit-text.c - the flat text emitter (emit.h): "path: value" lines. */
#include <string.h>

#include "display.h"
#include "emit.h"

/* One open map or list: the path up to it, and for a list the index of
 * its next element. */
typedef struct {
	gboolean list;
	gint64 next;		/* lists: index of the next value */
	gsize path_len;		/* length of path when it was opened */
} text_level;

typedef struct {
	emitter ops;		/* first: the emitter handed out */
	GString *out;
	GString *path;		/* "attachments.0" */
	GArray *levels;		/* text_level */
	char *key;		/* the map key given for the next value */
} text_emitter;

static text_emitter *
te(emitter *e)
{
	return (text_emitter *)e;
}

/* Append the name of the next value (key, or list index) to the path;
 * returns the path length before, to restore afterwards. */
static gsize
path_push(text_emitter *t)
{
	gsize before = t->path->len;
	text_level *l = t->levels->len ? &g_array_index(t->levels,
	    text_level, t->levels->len - 1) : NULL;

	if (l == NULL)
		return before;
	if (t->path->len > 0)
		g_string_append_c(t->path, '.');
	if (l->list)
		g_string_append_printf(t->path, "%" G_GINT64_FORMAT,
				       l->next++);
	else
		g_string_append(t->path, t->key != NULL ? t->key : "?");
	g_clear_pointer(&t->key, g_free);
	return before;
}

static void
scalar(text_emitter *t, const char *value)
{
	gsize before = path_push(t);
	char *clean = display_clean(value, FALSE);

	g_string_append_printf(t->out, "%s: %s\n", t->path->len ?
			       t->path->str : "value", clean);
	g_free(clean);
	g_string_truncate(t->path, before);
}

static void
begin(emitter *e, gboolean list)
{
	text_emitter *t = te(e);
	text_level l = { list, 0, 0 };

	l.path_len = t->path->len;
	path_push(t);
	g_array_append_val(t->levels, l);
}

static void
t_begin_map(emitter *e)
{
	begin(e, FALSE);
}

static void
t_begin_list(emitter *e)
{
	begin(e, TRUE);
}

static void
t_end(emitter *e)
{
	text_emitter *t = te(e);
	text_level *l;

	if (t->levels->len == 0)
		return;		/* a programming error: nothing open */
	l = &g_array_index(t->levels, text_level, t->levels->len - 1);
	g_string_truncate(t->path, l->path_len);
	g_array_set_size(t->levels, t->levels->len - 1);
}

static void
t_map_key(emitter *e, const char *key)
{
	g_free(te(e)->key);
	te(e)->key = g_strdup(key);
}

static void
t_string(emitter *e, const char *s)
{
	scalar(te(e), s != NULL ? s : "null");
}

static void
t_integer(emitter *e, gint64 v)
{
	char buf[32];

	g_snprintf(buf, sizeof buf, "%" G_GINT64_FORMAT, v);
	scalar(te(e), buf);
}

static void
t_real(emitter *e, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	scalar(te(e), g_ascii_formatd(buf, sizeof buf, "%.6g", v));
}

static void
t_boolean(emitter *e, gboolean v)
{
	scalar(te(e), v ? "true" : "false");
}

static void
t_null(emitter *e)
{
	scalar(te(e), "null");
}

static char *
t_finish(emitter *e)
{
	text_emitter *t = te(e);
	char *s = g_string_free(t->out, FALSE);

	g_string_free(t->path, TRUE);
	g_array_unref(t->levels);
	g_free(t->key);
	g_free(t);
	return s;
}

emitter *
emit_text_new(void)
{
	text_emitter *t = g_new0(text_emitter, 1);

	t->ops = (emitter){
		.begin_map = t_begin_map, .begin_list = t_begin_list,
		.end = t_end, .map_key = t_map_key, .string = t_string,
		.integer = t_integer, .real = t_real, .boolean = t_boolean,
		.null = t_null, .finish = t_finish,
	};
	t->out = g_string_new(NULL);
	t->path = g_string_new(NULL);
	t->levels = g_array_new(FALSE, FALSE, sizeof(text_level));
	return &t->ops;
}
