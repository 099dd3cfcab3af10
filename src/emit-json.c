/* emit-json.c - the JSON emitter (emit.h): the only place in tipline
 * that builds JSON.  json-glib's JsonBuilder collects the tree and its
 * JsonGenerator writes it, so the output (member order, spacing, number
 * format) is what `show --json` has printed since tipline-json/1. */
#include <string.h>

#include <json-glib/json-glib.h>

#include "emit.h"

typedef struct {
	emitter ops;		/* first: the emitter handed out */
	JsonBuilder *b;
	gboolean pretty;
	GString *open;		/* 'm' or 'l' per open map or list */
} json_emitter;

static JsonBuilder *
jb(emitter *e)
{
	return ((json_emitter *)e)->b;
}

static void
j_begin_map(emitter *e)
{
	g_string_append_c(((json_emitter *)e)->open, 'm');
	json_builder_begin_object(jb(e));
}

static void
j_begin_list(emitter *e)
{
	g_string_append_c(((json_emitter *)e)->open, 'l');
	json_builder_begin_array(jb(e));
}

/* JsonBuilder has one end call for each kind; the stack says which. */
static void
j_end(emitter *e)
{
	GString *open = ((json_emitter *)e)->open;

	if (open->len == 0)
		return;		/* a programming error: nothing open */
	if (open->str[open->len - 1] == 'm')
		json_builder_end_object(jb(e));
	else
		json_builder_end_array(jb(e));
	g_string_truncate(open, open->len - 1);
}

static void
j_map_key(emitter *e, const char *key)
{
	json_builder_set_member_name(jb(e), key);
}

static void
j_string(emitter *e, const char *s)
{
	if (s == NULL)
		json_builder_add_null_value(jb(e));
	else
		json_builder_add_string_value(jb(e), s);
}

static void
j_integer(emitter *e, gint64 v)
{
	json_builder_add_int_value(jb(e), v);
}

static void
j_real(emitter *e, double v)
{
	json_builder_add_double_value(jb(e), v);
}

static void
j_boolean(emitter *e, gboolean v)
{
	json_builder_add_boolean_value(jb(e), v);
}

static void
j_null(emitter *e)
{
	json_builder_add_null_value(jb(e));
}

/* json-glib 1.6 (Debian 12) escapes control characters below U+001F
 * only ("*p < 0x1f" in json_strescape), so a U+001F in a string is
 * written raw: invalid JSON (RFC 8259 section 7).  It also copies invalid
 * UTF-8 through.  Outside strings the generator writes only spaces and
 * newlines, so every other control byte here is inside a string: escape
 * it, and make the text valid UTF-8 (U+FFFD).  Appends to OUT. */
static void
json_text_repair(GString *out, const char *s)
{
	const char *p = s, *end = s + strlen(s), *bad;

	while (p < end) {
		if (g_utf8_validate(p, end - p, &bad))
			bad = end;
		for (; p < bad; p++) {
			unsigned char c = (unsigned char)*p;

			if (c < 0x20 && c != '\n')
				g_string_append_printf(out, "\\u%04x", c);
			else
				g_string_append_c(out, (char)c);
		}
		if (bad == end)
			break;
		g_string_append(out, "\xEF\xBF\xBD");
		p = bad + 1;
		while (p < end && ((unsigned char)*p & 0xC0) == 0x80)
			p++;
	}
}

static char *
j_finish(emitter *e)
{
	json_emitter *j = (json_emitter *)e;
	JsonGenerator *g = json_generator_new();
	JsonNode *root = json_builder_get_root(j->b);
	GString *out;
	char *s;

	json_generator_set_root(g, root);
	json_generator_set_pretty(g, j->pretty);
	json_generator_set_indent(g, 2);
	s = json_generator_to_data(g, NULL);
	out = g_string_sized_new(strlen(s) + 2);
	json_text_repair(out, s);
	g_string_append_c(out, '\n');
	g_free(s);
	g_object_unref(g);
	if (root != NULL)
		json_node_unref(root);
	g_object_unref(j->b);
	g_string_free(j->open, TRUE);
	g_free(j);
	return g_string_free(out, FALSE);
}

emitter *
emit_json_new(gboolean pretty)
{
	json_emitter *j = g_new0(json_emitter, 1);

	j->ops = (emitter){
		.begin_map = j_begin_map, .begin_list = j_begin_list,
		.end = j_end, .map_key = j_map_key, .string = j_string,
		.integer = j_integer, .real = j_real, .boolean = j_boolean,
		.null = j_null, .finish = j_finish,
	};
	j->b = json_builder_new();
	j->pretty = pretty;
	j->open = g_string_new(NULL);
	return &j->ops;
}
