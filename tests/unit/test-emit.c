/* test-emit.c - one walk, two emitters (src/emit.h): the JSON and the
 * flat text emitter render the same fields with the same values from one
 * typed detail_submission, the JSON is valid whatever the strings hold,
 * and the queue statuses and desk actions convert to and from their
 * strings in one place (store.h). */
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "emit.h"
#include "store.h"

/* A submission with a GPS photo inside a forwarded message, a dangerous
 * file, a follow-up, a history row and a legacy-font conversion: every
 * branch of the walk. */
typedef struct {
	detail_submission d;
	detail_attachment photo, exe;
	detail_media media;
	detail_forward fwd;
	detail_legacy legacy;
	audit_row hist;
	char *warnings[2], *refs[3];
} sample;

static void
sample_init(sample *s)
{
	detail_follow_up fu = { 7, 1, TRUE, FALSE, TRUE };

	memset(s, 0, sizeof *s);
	s->media = (detail_media){ "JPEG", "2024-06-06T10:20:00Z", "Canon",
		"Canon EOS 80D", 8, 8, 6, -1, "exif",
		"https://www.openstreetmap.org/?mlat=21.028800" };
	s->photo = (detail_attachment){ 0, "cây đổ.jpg", "image/jpeg", 315,
		"ab12", "attachment", TRUE, 21.0288, 105.8523, NULL, 0, NULL,
		FALSE, "2.2", &s->media };
	s->exe = (detail_attachment){ 1, "hoa-don.exe.pdf", "application/pdf",
		68, "cd34", "attachment", FALSE, 0, 0,
		"a Windows program named as a document", -1, "c1@x", TRUE,
		"3", NULL };
	s->fwd = (detail_forward){ "Trần Thị B", "reader.b@example.org",
		"Ảnh", NULL, "f@example.org", "xem ảnh", 1 };
	s->legacy = (detail_legacy){ "TCVN3", NULL, "Hà Nội" };
	s->hist = (audit_row){ 1, 5, "2024-06-06T10:21:00Z", "test-editor",
		"ingest", NULL, "new", NULL };
	s->warnings[0] = "a \"quoted\" warning\\with a backslash";
	s->refs[0] = "a@example.org";
	s->refs[1] = "b@example.org";
	s->d = (detail_submission){ .id = 5, .status = QUEUE_QUARANTINED,
		.from_name = "Nguyễn Văn A",
		.from_addr = "reader.a@example.org",
		.subject = "Cây đổ", .date_utc = "2024-06-06T10:20:00Z",
		.date_offset_known = TRUE, .date_offset_min = -150,
		.received_utc = "2024-06-06T10:21:00Z", .text = "Xin chào\n",
		.quote_offset = -1, .is_signed = TRUE, .has_gps = TRUE,
		.warnings = s->warnings, .source = "file", .raw_size = 4096,
		.attachment_count = 2, .parent_id = 0, .references = s->refs,
		.legacy = &s->legacy };
	s->d.attachments = g_ptr_array_new();
	g_ptr_array_add(s->d.attachments, &s->photo);
	g_ptr_array_add(s->d.attachments, &s->exe);
	s->d.forwarded = g_ptr_array_new();
	g_ptr_array_add(s->d.forwarded, &s->fwd);
	s->d.history = g_ptr_array_new();
	g_ptr_array_add(s->d.history, &s->hist);
	s->d.follow_ups = g_array_new(FALSE, FALSE, sizeof fu);
	g_array_append_val(s->d.follow_ups, fu);
}

static void
sample_clear(sample *s)
{
	g_ptr_array_unref(s->d.attachments);
	g_ptr_array_unref(s->d.forwarded);
	g_ptr_array_unref(s->d.history);
	g_array_unref(s->d.follow_ups);
}

/* A parsed JSON value as the text emitter's lines ("path: value"). */
static void
flatten(JsonNode *n, const char *path, GPtrArray *out)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	const char *p = *path ? path : "value";

	if (JSON_NODE_HOLDS_OBJECT(n)) {
		JsonObject *o = json_node_get_object(n);
		GList *names = json_object_get_members(o);

		for (GList *l = names; l != NULL; l = l->next) {
			char *sub = *path ? g_strdup_printf("%s.%s", path,
			    (char *)l->data) : g_strdup(l->data);

			flatten(json_object_get_member(o, l->data), sub, out);
			g_free(sub);
		}
		g_list_free(names);
	} else if (JSON_NODE_HOLDS_ARRAY(n)) {
		JsonArray *a = json_node_get_array(n);

		for (guint i = 0; i < json_array_get_length(a); i++) {
			char *sub = *path ? g_strdup_printf("%s.%u", path, i)
			    : g_strdup_printf("%u", i);

			flatten(json_array_get_element(a, i), sub, out);
			g_free(sub);
		}
	} else if (JSON_NODE_HOLDS_NULL(n)) {
		g_ptr_array_add(out, g_strdup_printf("%s: null", p));
	} else if (json_node_get_value_type(n) == G_TYPE_BOOLEAN) {
		g_ptr_array_add(out, g_strdup_printf("%s: %s", p,
		    json_node_get_boolean(n) ? "true" : "false"));
	} else if (json_node_get_value_type(n) == G_TYPE_INT64) {
		g_ptr_array_add(out, g_strdup_printf("%s: %" G_GINT64_FORMAT,
		    p, json_node_get_int(n)));
	} else if (json_node_get_value_type(n) == G_TYPE_DOUBLE) {
		g_ptr_array_add(out, g_strdup_printf("%s: %s", p,
		    g_ascii_formatd(buf, sizeof buf, "%.6g",
				    json_node_get_double(n))));
	} else {
		char *one = g_strdup(json_node_get_string(n));

		/* The text emitter writes one line per value. */
		g_strdelimit(one, "\n", ' ');
		g_ptr_array_add(out, g_strdup_printf("%s: %s", p, one));
		g_free(one);
	}
}

static JsonNode *
parse(const char *text)
{
	JsonParser *p = json_parser_new();
	GError *err = NULL;
	JsonNode *root = NULL;

	if (json_parser_load_from_data(p, text, -1, &err))
		root = json_node_copy(json_parser_get_root(p));
	else
		g_test_message("invalid JSON: %s", err->message);
	g_clear_error(&err);
	g_object_unref(p);
	return root;
}

/* The text emitter's lines, with display_clean's newline made a space
 * the way flatten() does it. */
static GPtrArray *
text_lines(const char *text)
{
	GPtrArray *v = g_ptr_array_new_with_free_func(g_free);
	char **lines = g_strsplit(text, "\n", -1);

	for (guint i = 0; lines[i] != NULL; i++)
		if (*lines[i] != '\0')
			g_ptr_array_add(v, g_strdup(lines[i]));
	g_strfreev(lines);
	return v;
}

static void
test_same_fields(void)
{
	sample s;
	emitter *j = emit_json_new(TRUE), *t = emit_text_new();
	char *js, *ts;
	JsonNode *root;
	GPtrArray *from_json = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *from_text;

	sample_init(&s);
	emit_submission(j, &s.d);
	emit_submission(t, &s.d);
	js = emit_finish(j);
	ts = emit_finish(t);
	root = parse(js);
	g_assert_nonnull(root);
	flatten(root, "", from_json);
	from_text = text_lines(ts);
	/* Same fields, same values, same order. */
	g_assert_cmpuint(from_json->len, ==, from_text->len);
	for (guint i = 0; i < from_json->len; i++)
		g_assert_cmpstr(from_json->pdata[i], ==, from_text->pdata[i]);
	/* And the values are the struct's, not just each other's. */
	g_assert_true(g_ptr_array_find_with_equal_func(from_text,
	    "attachments.0.gps.lat: 21.0288", g_str_equal, NULL));
	g_assert_true(g_ptr_array_find_with_equal_func(from_text,
	    "attachments.1.danger: a Windows program named as a document",
	    g_str_equal, NULL));
	g_assert_true(g_ptr_array_find_with_equal_func(from_text,
	    "attachments.0.forwarded_index: 0", g_str_equal, NULL));
	g_assert_true(g_ptr_array_find_with_equal_func(from_text,
	    "forwarded.0.from_addr: reader.b@example.org", g_str_equal,
	    NULL));
	g_assert_true(g_ptr_array_find_with_equal_func(from_text,
	    "status: quarantined", g_str_equal, NULL));
	g_assert_true(g_ptr_array_find_with_equal_func(from_text,
	    "follow_up_marks.0.quarantined: true", g_str_equal, NULL));
	g_assert_true(g_ptr_array_find_with_equal_func(from_text,
	    "date_offset_min: -150", g_str_equal, NULL));
	g_assert_true(g_ptr_array_find_with_equal_func(from_text,
	    "attachments.1.media: null", g_str_equal, NULL));
	g_assert_true(g_str_has_prefix(js, "{\n  \"schema\" : \""
				       DETAIL_JSON_SCHEMA "\",\n"));
	json_node_unref(root);
	g_ptr_array_unref(from_json);
	g_ptr_array_unref(from_text);
	g_free(js);
	g_free(ts);
	sample_clear(&s);
}

/* Whatever a sender put in a string, the JSON parses: U+001F (which
 * json-glib 1.6 writes raw) is escaped and invalid UTF-8 becomes
 * U+FFFD. */
static void
test_json_escapes(void)
{
	emitter *j = emit_json_new(FALSE);
	char *js;
	JsonNode *root;
	JsonArray *a;

	emit_begin_list(j);
	emit_string(j, "a\x1f" "b");
	emit_string(j, "c\xff" "d");
	emit_string(j, NULL);
	emit_begin_map(j);
	emit_pair_int_opt(j, "n", -1, -1);
	emit_end(j);
	emit_end(j);
	js = emit_finish(j);
	g_assert_nonnull(strstr(js, "a\\u001fb"));
	root = parse(js);
	g_assert_nonnull(root);
	a = json_node_get_array(root);
	g_assert_cmpstr(json_array_get_string_element(a, 0), ==, "a\x1f" "b");
	g_assert_cmpstr(json_array_get_string_element(a, 1), ==,
			"c\xef\xbf\xbd" "d");
	g_assert_true(json_array_get_null_element(a, 2));
	g_assert_true(json_object_get_null_member(
	    json_array_get_object_element(a, 3), "n"));
	g_assert_cmpstr(js + strlen(js) - 1, ==, "\n");
	json_node_unref(root);
	g_free(js);
}

/* Every status and action converts to its string and back; anything
 * else is invalid, never a default. */
static void
test_enum_strings(void)
{
	static const char *const st[] = { "new", "approved", "rejected",
		"spam", "auto_reply", "bounce", "quarantined", "too_large" };
	static const char *const act[] = { "approve", "reject", "spam",
		"reopen" };

	g_assert_cmpint(G_N_ELEMENTS(st), ==, QUEUE_N_STATUSES);
	for (gsize i = 0; i < G_N_ELEMENTS(st); i++) {
		g_assert_cmpint(queue_status_parse(st[i]), ==, (int)i);
		g_assert_cmpstr(queue_status_name((queue_status)i), ==, st[i]);
	}
	g_assert_cmpint(queue_status_parse("New"), ==, QUEUE_INVALID);
	g_assert_cmpint(queue_status_parse(NULL), ==, QUEUE_INVALID);
	g_assert_null(queue_status_name(QUEUE_INVALID));
	g_assert_null(queue_status_name(QUEUE_N_STATUSES));
	for (gsize i = 0; i < G_N_ELEMENTS(act); i++) {
		g_assert_cmpint(desk_action_parse(act[i]), ==, (int)i);
		g_assert_cmpstr(desk_action_name((desk_action)i), ==, act[i]);
	}
	g_assert_cmpint(desk_action_status(DESK_APPROVE), ==, QUEUE_APPROVED);
	g_assert_cmpint(desk_action_status(DESK_REJECT), ==, QUEUE_REJECTED);
	g_assert_cmpint(desk_action_status(DESK_SPAM), ==, QUEUE_SPAM);
	g_assert_cmpint(desk_action_status(DESK_REOPEN), ==, QUEUE_NEW);
	g_assert_cmpint(desk_action_parse("seen"), ==, DESK_INVALID_ACTION);
	g_assert_cmpint(desk_action_status(DESK_INVALID_ACTION), ==,
			QUEUE_INVALID);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/emit/json-and-text-same-fields", test_same_fields);
	g_test_add_func("/emit/json-escapes", test_json_escapes);
	g_test_add_func("/emit/enum-strings", test_enum_strings);
	return g_test_run();
}
