/* detail.c - one submission as typed data (detail_submission); the raw
 * header block. */
#include <string.h>

#include "detail-build-priv.h"
#include "pg-detail-priv.h"

/* A text column as a new string (g_free), NULL for SQL NULL. */
static char *
col_str(sqlite3_stmt *q, int col)
{
	return g_strdup((const char *)sqlite3_column_text(q, col));
}

/* An integer column, DFLT for SQL NULL. */
static gint64
col_int(sqlite3_stmt *q, int col, gint64 dflt)
{
	if (sqlite3_column_type(q, col) == SQLITE_NULL)
		return dflt;
	return sqlite3_column_int64(q, col);
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

/* The media facts of attachment A of submission ID into a->media, which
 * stays NULL when the attachment is no photo or video tipline reads (or
 * was stored before attachment_media existed). */
static tl_status
media_load(store *st, detail_attachment *a, gint64 id)
{
	sqlite3_stmt *q = NULL;
	detail_media *m;
	int r;

	if (prepare(st, "SELECT m.format, m.taken, m.make, m.model, m.width, "
		    "m.height, m.orientation, m.duration_s, m.gps_source, "
		    "a.has_gps, a.gps_lat, a.gps_lon FROM attachment a "
		    "JOIN attachment_media m ON m.attachment_id = a.id "
		    "WHERE a.submission_id = ? AND a.idx = ?", id, &q) != 0)
		return store_fail(st, "attachment media");
	sqlite3_bind_int64(q, 2, a->index);
	if ((r = sqlite3_step(q)) != SQLITE_ROW) {
		sqlite3_finalize(q);
		return r == SQLITE_DONE ? TL_OK :
		    store_fail(st, "attachment media");
	}
	m = a->media = g_new0(detail_media, 1);
	m->format = col_str(q, 0);
	m->taken = col_str(q, 1);
	m->make = col_str(q, 2);
	m->model = col_str(q, 3);
	m->width = col_int(q, 4, -1);
	m->height = col_int(q, 5, -1);
	m->orientation = col_int(q, 6, -1);
	m->duration_s = sqlite3_column_type(q, 7) == SQLITE_NULL ? -1.0 :
	    sqlite3_column_double(q, 7);
	m->gps_source = col_str(q, 8);
	if (sqlite3_column_int(q, 9) != 0)
		m->map_url = detail_map_url(sqlite3_column_double(q, 10),
					   sqlite3_column_double(q, 11));
	sqlite3_finalize(q);
	return TL_OK;
}

static tl_status
attachments_load(store *st, detail_submission *d)
{
	sqlite3_stmt *q = NULL;
	tl_status rc = TL_OK;
	int r;

	if (prepare(st, "SELECT idx, filename, content_type, size, sha256, "
		    "disposition, has_gps, gps_lat, gps_lon, danger, "
		    "forwarded_idx, content_id, name_generated, part_path "
		    "FROM attachment WHERE submission_id = ? ORDER BY idx",
		    d->id, &q) != 0)
		return store_fail(st, "attachments");
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		detail_attachment *a = g_new0(detail_attachment, 1);

		g_ptr_array_add(d->attachments, a);
		a->index = sqlite3_column_int64(q, 0);
		a->filename = col_str(q, 1);
		a->content_type = col_str(q, 2);
		a->size = sqlite3_column_int64(q, 3);
		a->sha256 = col_str(q, 4);
		a->disposition = col_str(q, 5);
		a->has_gps = sqlite3_column_int(q, 6) != 0;
		a->gps_lat = sqlite3_column_double(q, 7);
		a->gps_lon = sqlite3_column_double(q, 8);
		a->danger = col_str(q, 9);
		a->forwarded_index = sqlite3_column_int(q, 10) >= 0 ?
		    sqlite3_column_int(q, 10) : -1;
		a->content_id = col_str(q, 11);
		a->name_generated = sqlite3_column_int(q, 12) != 0;
		a->part = col_str(q, 13);
		if ((rc = media_load(st, a, d->id)) != TL_OK)
			break;
	}
	sqlite3_finalize(q);
	if (rc != TL_OK)
		return rc;
	return r == SQLITE_DONE ? TL_OK : store_fail(st, "attachments");
}

static tl_status
forwarded_load(store *st, detail_submission *d)
{
	sqlite3_stmt *q = NULL;
	int r;

	if (prepare(st, "SELECT from_name, from_addr, subject, date_utc, "
		    "message_id, text, depth FROM forwarded "
		    "WHERE submission_id = ? ORDER BY idx", d->id, &q) != 0)
		return store_fail(st, "forwarded");
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		detail_forward *f = g_new0(detail_forward, 1);

		f->from_name = col_str(q, 0);
		f->from_addr = col_str(q, 1);
		f->subject = col_str(q, 2);
		f->date_utc = col_str(q, 3);
		f->message_id = col_str(q, 4);
		f->text = col_str(q, 5);
		if (f->text == NULL)
			f->text = g_strdup("");
		f->depth = sqlite3_column_int64(q, 6);
		g_ptr_array_add(d->forwarded, f);
	}
	sqlite3_finalize(q);
	return r == SQLITE_DONE ? TL_OK : store_fail(st, "forwarded");
}

/* The TCVN3/VNI text converted, if any. */
static tl_status
legacy_load(store *st, detail_submission *d)
{
	sqlite3_stmt *q = NULL;
	int r;

	if (prepare(st, "SELECT font, subject, text FROM legacy_text "
		    "WHERE submission_id = ?", d->id, &q) != 0)
		return store_fail(st, "legacy_text");
	r = sqlite3_step(q);
	if (r == SQLITE_ROW) {
		d->legacy = g_new0(detail_legacy, 1);
		d->legacy->font = col_str(q, 0);
		d->legacy->subject = col_str(q, 1);
		d->legacy->text = col_str(q, 2);
		r = SQLITE_DONE;
	}
	sqlite3_finalize(q);
	return r == SQLITE_DONE ? TL_OK : store_fail(st, "legacy_text");
}

static tl_status
history_load(store *st, detail_submission *d)
{
	sqlite3_stmt *q = NULL;
	int r;

	if (prepare(st, "SELECT at_utc, editor, action, old_status, "
		    "new_status, note, id FROM audit WHERE submission_id = ? "
		    "ORDER BY id", d->id, &q) != 0)
		return store_fail(st, "history");
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		audit_row *h = g_new0(audit_row, 1);

		h->submission_id = d->id;
		h->at_utc = col_str(q, 0);
		h->editor = col_str(q, 1);
		h->action = audit_action_parse((const char *)
					       sqlite3_column_text(q, 2));
		h->old_status = col_str(q, 3);
		h->new_status = col_str(q, 4);
		h->note = col_str(q, 5);
		h->id = sqlite3_column_int64(q, 6);
		g_ptr_array_add(d->history, h);
	}
	sqlite3_finalize(q);
	return r == SQLITE_DONE ? TL_OK : store_fail(st, "history");
}

/* The follow-ups, oldest first, with what each carries (attachments,
 * GPS, dangerous file, quarantined), so that `show` of a thread's first
 * submission warns about a photo or an exe that came later, as its list
 * row does (issue 10 items 1 and 3). */
static tl_status
follow_ups_load(store *st, detail_submission *d)
{
	sqlite3_stmt *q = NULL;
	int r;

	if (prepare(st, "SELECT s.id, s.attachment_count, s.has_gps, "
		    "EXISTS (SELECT 1 FROM attachment a WHERE "
		    "a.submission_id = s.id AND a.danger IS NOT NULL), "
		    "s.status = 'quarantined' FROM submission s "
		    "WHERE s.parent_id = ? "
		    "ORDER BY coalesce(s.date_utc, s.received_utc), s.id",
		    d->id, &q) != 0)
		return store_fail(st, "follow-ups");
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		detail_follow_up f = {
			.id = sqlite3_column_int64(q, 0),
			.attachment_count = sqlite3_column_int64(q, 1),
			.has_gps = sqlite3_column_int(q, 2) != 0,
			.has_danger = sqlite3_column_int(q, 3) != 0,
			.quarantined = sqlite3_column_int(q, 4) != 0,
		};

		g_array_append_val(d->follow_ups, f);
	}
	sqlite3_finalize(q);
	return r == SQLITE_DONE ? TL_OK : store_fail(st, "follow-ups");
}

/* The submission row itself (columns of detail_load's SELECT). */
static void
row_read(detail_submission *d, sqlite3_stmt *q)
{
	d->id = sqlite3_column_int64(q, 0);
	d->status = queue_status_parse((const char *)
				       sqlite3_column_text(q, 1));
	d->message_id = col_str(q, 2);
	d->from_name = col_str(q, 3);
	d->from_addr = col_str(q, 4);
	d->subject = col_str(q, 5);
	d->date_utc = col_str(q, 6);
	d->date_offset_known = sqlite3_column_type(q, 7) != SQLITE_NULL;
	d->date_offset_min = sqlite3_column_int64(q, 7);
	d->received_utc = col_str(q, 8);
	d->text = col_str(q, 9);
	if (d->text == NULL)
		d->text = g_strdup("");
	d->text_source = col_str(q, 10);
	d->quote_offset = col_int(q, 11, -1);
	d->html = col_str(q, 12);
	d->is_auto_reply = sqlite3_column_int(q, 13) != 0;
	d->is_bounce = sqlite3_column_int(q, 14) != 0;
	d->is_spam = sqlite3_column_int(q, 15) != 0;
	d->is_signed = sqlite3_column_int(q, 16) != 0;
	d->is_encrypted = sqlite3_column_int(q, 17) != 0;
	d->has_gps = sqlite3_column_int(q, 18) != 0;
	d->charset_repaired = sqlite3_column_int(q, 19) != 0;
	d->legacy_font_hint = col_str(q, 20);
	d->dsn_summary = col_str(q, 21);
	d->warnings = detail_split_items((const char *)
					 sqlite3_column_text(q, 22), '\n');
	d->error = col_str(q, 23);
	d->source = col_str(q, 24);
	d->source_path = col_str(q, 25);
	d->raw_size = sqlite3_column_int64(q, 26);
	d->attachment_count = sqlite3_column_int64(q, 27);
	d->parent_id = col_int(q, 28, 0);
	d->in_reply_to = col_str(q, 29);
	d->references = detail_split_items((const char *)
					   sqlite3_column_text(q, 30), ' ');
}

tl_status
detail_load(store *st, gint64 id, detail_submission **out, char **errmsg)
{
	detail_submission *d = NULL;
	sqlite3_stmt *q = NULL;
	tl_status rc = TL_OK;
	int r;

	if (store_pg(st) != NULL)
		return pg_detail_load(st, id, out, errmsg);
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
		return detail_not_found(st, id, errmsg);
	}
	if (r != SQLITE_ROW) {
		rc = store_fail(st, "show");
		goto fail;
	}
	d = detail_new();
	row_read(d, q);
	sqlite3_finalize(q);
	q = NULL;
	if ((rc = attachments_load(st, d)) != TL_OK ||
	    (rc = forwarded_load(st, d)) != TL_OK ||
	    (rc = legacy_load(st, d)) != TL_OK ||
	    (rc = history_load(st, d)) != TL_OK ||
	    (rc = follow_ups_load(st, d)) != TL_OK)
		goto fail;
	*out = d;
	return TL_OK;
fail:
	sqlite3_finalize(q);
	detail_free(d);
	*errmsg = g_strdup(store_errmsg(st));
	return rc;
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
