/* detail.c - one submission as a JSON object; list rows as a JSON array;
 * the raw header block. */
#include <string.h>

#include "store-priv.h"

static void
add_text(JsonBuilder *b, const char *name, sqlite3_stmt *q, int col)
{
	const unsigned char *t = sqlite3_column_text(q, col);

	json_builder_set_member_name(b, name);
	if (t == NULL)
		json_builder_add_null_value(b);
	else
		json_builder_add_string_value(b, (const char *)t);
}

static void
add_bool(JsonBuilder *b, const char *name, sqlite3_stmt *q, int col)
{
	json_builder_set_member_name(b, name);
	json_builder_add_boolean_value(b, sqlite3_column_int(q, col) != 0);
}

static void
add_int(JsonBuilder *b, const char *name, sqlite3_stmt *q, int col)
{
	json_builder_set_member_name(b, name);
	if (sqlite3_column_type(q, col) == SQLITE_NULL)
		json_builder_add_null_value(b);
	else
		json_builder_add_int_value(b, sqlite3_column_int64(q, col));
}

/* "a\nb" (or NULL) as ["a", "b"]; empty lines are dropped. */
static void
add_lines(JsonBuilder *b, const char *name, const char *text, char sep)
{
	char d[2] = { sep, '\0' };
	char **v = g_strsplit(text != NULL ? text : "", d, -1);

	json_builder_set_member_name(b, name);
	json_builder_begin_array(b);
	for (int i = 0; v[i] != NULL; i++)
		if (*v[i] != '\0')
			json_builder_add_string_value(b, v[i]);
	json_builder_end_array(b);
	g_strfreev(v);
}

static int
prepare(store *st, const char *sql, gint64 id, sqlite3_stmt **q)
{
	if (sqlite3_prepare_v2(store_db(st), sql, -1, q, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(*q, 1, id);
	return 0;
}

/* ---- photo and video facts (attachment_media) ---- */

/* A map link for a position; OpenStreetMap, which needs no account and
 * whose URL carries only the point (opening it tells the map server the
 * place, not who sent the photo). New string (g_free). */
static char *
media_map_url(double lat, double lon)
{
	char a[G_ASCII_DTOSTR_BUF_SIZE], o[G_ASCII_DTOSTR_BUF_SIZE];

	g_ascii_formatd(a, sizeof a, "%.6f", lat);
	g_ascii_formatd(o, sizeof o, "%.6f", lon);
	return g_strdup_printf("https://www.openstreetmap.org/?mlat=%s&mlon=%s"
			       "#map=16/%s/%s", a, o, a, o);
}

/* The "media" member of attachment IDX of submission ID: the object of
 * docs/json-schema.md, or null when the attachment is no photo or video
 * tipline reads (or was stored before attachment_media existed). */
static tl_status
media_add(store *st, JsonBuilder *b, gint64 id, gint64 idx)
{
	sqlite3_stmt *q = NULL;
	int r;

	if (prepare(st, "SELECT m.format, m.taken, m.make, m.model, m.width, "
		    "m.height, m.orientation, m.duration_s, m.gps_source, "
		    "a.has_gps, a.gps_lat, a.gps_lon FROM attachment a "
		    "JOIN attachment_media m ON m.attachment_id = a.id "
		    "WHERE a.submission_id = ? AND a.idx = ?", id, &q) != 0)
		return store_fail(st, "attachment media");
	sqlite3_bind_int64(q, 2, idx);
	json_builder_set_member_name(b, "media");
	if ((r = sqlite3_step(q)) != SQLITE_ROW) {
		json_builder_add_null_value(b);
		sqlite3_finalize(q);
		return r == SQLITE_DONE ? TL_OK :
		    store_fail(st, "attachment media");
	}
	json_builder_begin_object(b);
	add_text(b, "format", q, 0);
	add_text(b, "taken", q, 1);
	add_text(b, "make", q, 2);
	add_text(b, "model", q, 3);
	add_int(b, "width", q, 4);
	add_int(b, "height", q, 5);
	add_int(b, "orientation", q, 6);
	json_builder_set_member_name(b, "duration_s");
	if (sqlite3_column_type(q, 7) == SQLITE_NULL)
		json_builder_add_null_value(b);
	else
		json_builder_add_double_value(b, sqlite3_column_double(q, 7));
	add_text(b, "gps_source", q, 8);
	json_builder_set_member_name(b, "map_url");
	if (sqlite3_column_int(q, 9) != 0) {
		char *u = media_map_url(sqlite3_column_double(q, 10),
					sqlite3_column_double(q, 11));

		json_builder_add_string_value(b, u);
		g_free(u);
	} else
		json_builder_add_null_value(b);
	json_builder_end_object(b);
	sqlite3_finalize(q);
	return TL_OK;
}

static tl_status
attachments_add(store *st, JsonBuilder *b, gint64 id)
{
	sqlite3_stmt *q = NULL;
	tl_status mrc;
	int r;

	if (prepare(st, "SELECT idx, filename, content_type, size, sha256, "
		    "disposition, has_gps, gps_lat, gps_lon, danger, "
		    "forwarded_idx, content_id, name_generated, part_path "
		    "FROM attachment WHERE submission_id = ? ORDER BY idx",
		    id, &q) != 0)
		return store_fail(st, "attachments");
	json_builder_set_member_name(b, "attachments");
	json_builder_begin_array(b);
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		json_builder_begin_object(b);
		add_int(b, "index", q, 0);
		add_text(b, "filename", q, 1);
		add_text(b, "content_type", q, 2);
		add_int(b, "size", q, 3);
		add_text(b, "sha256", q, 4);
		add_text(b, "disposition", q, 5);
		add_bool(b, "has_gps", q, 6);
		json_builder_set_member_name(b, "gps");
		if (sqlite3_column_int(q, 6) != 0) {
			json_builder_begin_object(b);
			json_builder_set_member_name(b, "lat");
			json_builder_add_double_value(b,
			    sqlite3_column_double(q, 7));
			json_builder_set_member_name(b, "lon");
			json_builder_add_double_value(b,
			    sqlite3_column_double(q, 8));
			json_builder_end_object(b);
		} else {
			json_builder_add_null_value(b);
		}
		add_text(b, "danger", q, 9);
		json_builder_set_member_name(b, "in_forwarded");
		json_builder_add_boolean_value(b,
		    sqlite3_column_int(q, 10) >= 0);
		json_builder_set_member_name(b, "forwarded_index");
		if (sqlite3_column_int(q, 10) >= 0)
			json_builder_add_int_value(b,
			    sqlite3_column_int(q, 10));
		else
			json_builder_add_null_value(b);
		add_text(b, "content_id", q, 11);
		add_bool(b, "name_generated", q, 12);
		add_text(b, "part", q, 13);
		if ((mrc = media_add(st, b, id, sqlite3_column_int64(q, 0)))
		    != TL_OK) {
			sqlite3_finalize(q);
			return mrc;
		}
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	sqlite3_finalize(q);
	return r == SQLITE_DONE ? TL_OK : store_fail(st, "attachments");
}

static tl_status
forwarded_add(store *st, JsonBuilder *b, gint64 id)
{
	sqlite3_stmt *q = NULL;
	int r;

	if (prepare(st, "SELECT from_name, from_addr, subject, date_utc, "
		    "message_id, text, depth FROM forwarded "
		    "WHERE submission_id = ? ORDER BY idx", id, &q) != 0)
		return store_fail(st, "forwarded");
	json_builder_set_member_name(b, "forwarded");
	json_builder_begin_array(b);
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		json_builder_begin_object(b);
		add_text(b, "from_name", q, 0);
		add_text(b, "from_addr", q, 1);
		add_text(b, "subject", q, 2);
		add_text(b, "date_utc", q, 3);
		add_text(b, "message_id", q, 4);
		add_text(b, "text", q, 5);
		add_int(b, "depth", q, 6);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	sqlite3_finalize(q);
	return r == SQLITE_DONE ? TL_OK : store_fail(st, "forwarded");
}

/* "legacy_font_converted": the TCVN3/VNI text converted, or null. */
static tl_status
legacy_add(store *st, JsonBuilder *b, gint64 id)
{
	sqlite3_stmt *q = NULL;
	int r;

	if (prepare(st, "SELECT font, subject, text FROM legacy_text "
		    "WHERE submission_id = ?", id, &q) != 0)
		return store_fail(st, "legacy_text");
	json_builder_set_member_name(b, "legacy_font_converted");
	r = sqlite3_step(q);
	if (r == SQLITE_ROW) {
		json_builder_begin_object(b);
		add_text(b, "font", q, 0);
		add_text(b, "subject", q, 1);
		add_text(b, "text", q, 2);
		json_builder_end_object(b);
		r = SQLITE_DONE;
	} else {
		json_builder_add_null_value(b);
	}
	sqlite3_finalize(q);
	return r == SQLITE_DONE ? TL_OK : store_fail(st, "legacy_text");
}

static tl_status
history_add(store *st, JsonBuilder *b, gint64 id)
{
	sqlite3_stmt *q = NULL;
	int r;

	if (prepare(st, "SELECT at_utc, editor, action, old_status, "
		    "new_status, note FROM audit WHERE submission_id = ? "
		    "ORDER BY id", id, &q) != 0)
		return store_fail(st, "history");
	json_builder_set_member_name(b, "history");
	json_builder_begin_array(b);
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		json_builder_begin_object(b);
		add_text(b, "at_utc", q, 0);
		add_text(b, "editor", q, 1);
		add_text(b, "action", q, 2);
		add_text(b, "old_status", q, 3);
		add_text(b, "new_status", q, 4);
		add_text(b, "note", q, 5);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	sqlite3_finalize(q);
	return r == SQLITE_DONE ? TL_OK : store_fail(st, "history");
}

/* The follow-ups' ids ("follow_ups", oldest first) and, beside them in
 * the same order, what each carries ("follow_up_marks": attachments, GPS,
 * dangerous file, quarantined), so that `show` of a thread's first
 * submission warns about a photo or an exe that came later, as its list
 * row does (issue 10 items 1 and 3). */
static tl_status
follow_ups_add(store *st, JsonBuilder *b, gint64 id)
{
	sqlite3_stmt *q = NULL;
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	JsonBuilder *m = json_builder_new();
	JsonNode *marks = NULL;
	int r;

	if (prepare(st, "SELECT s.id, s.attachment_count, s.has_gps, "
		    "EXISTS (SELECT 1 FROM attachment a WHERE "
		    "a.submission_id = s.id AND a.danger IS NOT NULL), "
		    "s.status = 'quarantined' FROM submission s "
		    "WHERE s.parent_id = ? "
		    "ORDER BY coalesce(s.date_utc, s.received_utc), s.id", id,
		    &q) != 0) {
		r = SQLITE_ERROR;
		goto out;
	}
	json_builder_begin_array(m);
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		gint64 fid = sqlite3_column_int64(q, 0);

		g_array_append_val(ids, fid);
		json_builder_begin_object(m);
		json_builder_set_member_name(m, "id");
		json_builder_add_int_value(m, fid);
		json_builder_set_member_name(m, "attachment_count");
		json_builder_add_int_value(m, sqlite3_column_int64(q, 1));
		json_builder_set_member_name(m, "has_gps");
		json_builder_add_boolean_value(m, sqlite3_column_int(q, 2));
		json_builder_set_member_name(m, "has_danger");
		json_builder_add_boolean_value(m, sqlite3_column_int(q, 3));
		json_builder_set_member_name(m, "quarantined");
		json_builder_add_boolean_value(m, sqlite3_column_int(q, 4));
		json_builder_end_object(m);
	}
	json_builder_end_array(m);
	marks = json_builder_get_root(m);
	json_builder_set_member_name(b, "follow_ups");
	json_builder_begin_array(b);
	for (guint i = 0; i < ids->len; i++)
		json_builder_add_int_value(b, g_array_index(ids, gint64, i));
	json_builder_end_array(b);
	json_builder_set_member_name(b, "follow_up_marks");
	json_builder_add_value(b, marks);	/* takes it */
out:
	sqlite3_finalize(q);
	g_array_unref(ids);
	g_object_unref(m);
	return r == SQLITE_DONE ? TL_OK : store_fail(st, "follow-ups");
}

/* Why there is no submission ID: purged (the audit log says when and by
 * whom), removed otherwise, or never there.  Always TL_DATA, as for an
 * id that never existed, unless the database fails. */
static tl_status
not_found(store *st, gint64 id, char **errmsg)
{
	audit_row *p = NULL;
	gboolean existed = FALSE;
	tl_status rc = audit_purge_find(st, id, &p, &existed, errmsg);

	if (rc != TL_OK)
		return rc;
	if (p != NULL)
		*errmsg = g_strdup_printf("submission %" G_GINT64_FORMAT
					  " was purged on %s by %s", id,
					  p->at_utc, p->editor);
	else if (existed)
		*errmsg = g_strdup_printf("submission %" G_GINT64_FORMAT
					  " was removed (the audit log keeps "
					  "its history)", id);
	else
		*errmsg = g_strdup_printf("no submission %" G_GINT64_FORMAT,
					  id);
	audit_row_free(p);
	return TL_DATA;
}

tl_status
detail_load(store *st, gint64 id, JsonNode **out, char **errmsg)
{
	JsonBuilder *b = NULL;
	sqlite3_stmt *q = NULL;
	tl_status rc = TL_OK;
	int r;

	*out = NULL;
	if (prepare(st, "SELECT id, status, message_id, from_name, from_addr,"
		    " subject, date_utc, date_offset_min, received_utc, text,"
		    " text_source, quote_offset, html, is_auto_reply,"
		    " is_bounce, is_spam, is_signed, is_encrypted, has_gps,"
		    " charset_repaired, legacy_font_hint, dsn_summary,"
		    " warnings, error, source, source_path, raw_size,"
		    " attachment_count, parent_id, in_reply_to, refs"
		    " FROM submission WHERE id = ?", id, &q) != 0) {
		rc = store_fail(st, "show");
		goto fail;
	}
	r = sqlite3_step(q);
	if (r == SQLITE_DONE) {
		sqlite3_finalize(q);
		return not_found(st, id, errmsg);
	}
	if (r != SQLITE_ROW) {
		rc = store_fail(st, "show");
		goto fail;
	}
	b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "schema");
	json_builder_add_string_value(b, DETAIL_JSON_SCHEMA);
	add_int(b, "id", q, 0);
	add_text(b, "status", q, 1);
	add_text(b, "message_id", q, 2);
	add_text(b, "from_name", q, 3);
	add_text(b, "from_addr", q, 4);
	add_text(b, "subject", q, 5);
	add_text(b, "date_utc", q, 6);
	add_int(b, "date_offset_min", q, 7);
	add_text(b, "received_utc", q, 8);
	add_text(b, "text", q, 9);
	add_text(b, "text_source", q, 10);
	add_int(b, "quote_offset", q, 11);
	add_text(b, "html", q, 12);
	add_bool(b, "is_auto_reply", q, 13);
	add_bool(b, "is_bounce", q, 14);
	add_bool(b, "is_spam", q, 15);
	add_bool(b, "is_signed", q, 16);
	add_bool(b, "is_encrypted", q, 17);
	add_bool(b, "has_gps", q, 18);
	add_bool(b, "charset_repaired", q, 19);
	add_text(b, "legacy_font_hint", q, 20);
	add_text(b, "dsn_summary", q, 21);
	add_lines(b, "warnings", (const char *)sqlite3_column_text(q, 22),
		  '\n');
	add_text(b, "error", q, 23);
	add_text(b, "source", q, 24);
	add_text(b, "source_path", q, 25);
	add_int(b, "raw_size", q, 26);
	add_int(b, "attachment_count", q, 27);
	add_int(b, "parent_id", q, 28);
	add_text(b, "in_reply_to", q, 29);
	add_lines(b, "references", (const char *)sqlite3_column_text(q, 30),
		  ' ');
	sqlite3_finalize(q);
	q = NULL;
	if ((rc = attachments_add(st, b, id)) != TL_OK ||
	    (rc = forwarded_add(st, b, id)) != TL_OK ||
	    (rc = legacy_add(st, b, id)) != TL_OK ||
	    (rc = history_add(st, b, id)) != TL_OK ||
	    (rc = follow_ups_add(st, b, id)) != TL_OK)
		goto fail;
	json_builder_end_object(b);
	*out = json_builder_get_root(b);
	g_object_unref(b);
	return TL_OK;
fail:
	sqlite3_finalize(q);
	if (b != NULL)
		g_object_unref(b);
	*errmsg = g_strdup(store_errmsg(st));
	return rc;
}

void
detail_json_add_str(JsonBuilder *b, const char *name, const char *v)
{
	json_builder_set_member_name(b, name);
	if (v == NULL)
		json_builder_add_null_value(b);
	else
		json_builder_add_string_value(b, v);
}

/* The members list rows gained in issue 10 (docs/json-schema.md). */
static void
rows_json_issue10(JsonBuilder *b, const desk_row *r)
{
	detail_json_add_str(b, "received_utc", r->received_utc);
	json_builder_set_member_name(b, "date_implausible");
	json_builder_add_boolean_value(b, r->date_implausible);
	json_builder_set_member_name(b, "has_danger");
	json_builder_add_boolean_value(b, r->has_danger);
	json_builder_set_member_name(b, "duplicate_of");
	if (r->duplicate_of > 0)
		json_builder_add_int_value(b, r->duplicate_of);
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "unseen");
	json_builder_add_boolean_value(b, r->unseen);
	json_builder_set_member_name(b, "thread");
	if (r->follow_ups == 0 || r->parent_id > 0) {
		json_builder_add_null_value(b);
		return;
	}
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "attachment_count");
	json_builder_add_int_value(b, r->thread_attachments);
	json_builder_set_member_name(b, "has_gps");
	json_builder_add_boolean_value(b, r->thread_gps);
	json_builder_set_member_name(b, "has_danger");
	json_builder_add_boolean_value(b, r->thread_danger);
	json_builder_set_member_name(b, "quarantined");
	json_builder_add_boolean_value(b, r->thread_quarantined);
	detail_json_add_str(b, "latest_received_utc", r->thread_latest_utc);
	detail_json_add_str(b, "latest_queue_utc", r->thread_latest_queue_utc);
	json_builder_end_object(b);
}

JsonNode *
detail_rows_json(GPtrArray *rows, gboolean search)
{
	JsonBuilder *b = json_builder_new();
	JsonNode *root;

	json_builder_begin_array(b);
	for (guint i = 0; i < rows->len; i++) {
		const desk_row *r = rows->pdata[i];

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "id");
		json_builder_add_int_value(b, r->id);
		detail_json_add_str(b, "status", r->status);
		detail_json_add_str(b, "date_utc", r->date_utc);
		detail_json_add_str(b, "from_name", r->from_name);
		detail_json_add_str(b, "from_addr", r->from_addr);
		detail_json_add_str(b, "subject", r->subject);
		json_builder_set_member_name(b, "attachment_count");
		json_builder_add_int_value(b, r->attachment_count);
		json_builder_set_member_name(b, "has_gps");
		json_builder_add_boolean_value(b, r->has_gps);
		json_builder_set_member_name(b, "parent_id");
		if (r->parent_id > 0)
			json_builder_add_int_value(b, r->parent_id);
		else
			json_builder_add_null_value(b);
		json_builder_set_member_name(b, "follow_up_count");
		json_builder_add_int_value(b, r->follow_ups);
		if (search) {
			json_builder_set_member_name(b, "exact");
			json_builder_add_boolean_value(b, r->exact);
		}
		rows_json_issue10(b, r);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	root = json_builder_get_root(b);
	g_object_unref(b);
	return root;
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

char *
detail_json_string(JsonNode *node, gboolean pretty)
{
	JsonGenerator *g = json_generator_new();
	GString *out;
	char *s;

	json_generator_set_root(g, node);
	json_generator_set_pretty(g, pretty);
	json_generator_set_indent(g, 2);
	s = json_generator_to_data(g, NULL);
	out = g_string_sized_new(strlen(s) + 2);
	json_text_repair(out, s);
	g_string_append_c(out, '\n');
	g_free(s);
	g_object_unref(g);
	return g_string_free(out, FALSE);
}

/* Offset of the end of the header block in BUF (the first empty line),
 * or -1 when it is not there yet. */
static gssize
head_end(const char *buf, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (i == 0)
			return 0;	/* no header at all */
		if (i + 1 < len && buf[i + 1] == '\n')
			return (gssize)i + 1;
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return (gssize)i + 1;
	}
	return -1;
}

/* detail_header_block's consumer: bytes up to the blank line that ends
 * the header block, or MAX bytes. */
typedef struct {
	GByteArray *buf;
	gint64 max;
	gssize end;
} head_reader;

static tl_status
head_collect(const void *chunk, size_t n, void *data, int *enough)
{
	head_reader *h = data;

	/* Scan the whole buffer again: the blank line may straddle two
	 * chunks (at most max_bytes / 256 KiB scans). */
	g_byte_array_append(h->buf, chunk, (guint)MIN((gint64)n,
			    h->max - (gint64)h->buf->len));
	h->end = head_end((const char *)h->buf->data, h->buf->len);
	*enough = h->end >= 0 || (gint64)h->buf->len >= h->max;
	return TL_OK;
}

tl_status
detail_header_block(store *st, gint64 id, gint64 max_bytes, char **out,
		    gsize *len, char **errmsg)
{
	head_reader h = { g_byte_array_new(), max_bytes, -1 };
	tl_status rc;

	/* Through the store's raw path, which reads the rows of this
	 * submission (not the raw row whose rowid happens to be ID) and
	 * checks the original against its content hash. */
	rc = store_raw_read(st, id, head_collect, &h);
	if (rc != TL_OK) {
		*errmsg = g_strdup(store_errmsg(st));
		g_byte_array_unref(h.buf);
		return rc;
	}
	if (h.end < 0)
		h.end = (gssize)MIN((gint64)h.buf->len, max_bytes);
	*len = (gsize)h.end;
	g_byte_array_append(h.buf, (const guint8 *)"", 1);
	h.buf->data[h.end] = '\0';
	*out = (char *)g_byte_array_free(h.buf, FALSE);
	return TL_OK;
}

gboolean
detail_header_is_routing(const char *name, gsize len)
{
	static const char *const exact[] = {
		"received", "x-received", "return-path", "delivered-to",
		"x-original-to", "dkim-signature", "x-google-dkim-signature",
		"domainkey-signature", "authentication-results",
		"received-spf", "x-originating-ip", "x-spam-checker-version",
		NULL
	};
	static const char *const prefix[] = {
		"arc-", "x-google-", "x-gm-", "x-ms-exchange-", "x-forefront-",
		"x-microsoft-antispam", "x-ms-", "x-eopattributedmessage",
		NULL
	};

	for (int i = 0; exact[i] != NULL; i++)
		if (strlen(exact[i]) == len &&
		    g_ascii_strncasecmp(name, exact[i], len) == 0)
			return TRUE;
	for (int i = 0; prefix[i] != NULL; i++)
		if (strlen(prefix[i]) <= len &&
		    g_ascii_strncasecmp(name, prefix[i],
					strlen(prefix[i])) == 0)
			return TRUE;
	return FALSE;
}
