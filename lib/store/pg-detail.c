/* pg-detail.c - one submission as typed data on PostgreSQL (detail.c's
 * counterpart: the same statements, one result per part). */
#include <string.h>

#include "detail-build-priv.h"
#include "pg-detail-priv.h"

/* Run SQL with submission ID as $1 into *res. */
static tl_status
by_id(store *st, const char *what, const char *sql, gint64 id,
      PGresult **res)
{
	pg_params p = PG_PARAMS_INIT;
	tl_status rc;

	pg_p_int(&p, id);
	rc = pg_run(store_pg(st), what, sql, &p, res);
	pg_params_clear(&p);
	return rc;
}

/* An integer column, DFLT for SQL NULL. */
static gint64
int_or(const PGresult *res, int r, int c, gint64 dflt)
{
	return PQgetisnull(res, r, c) ? dflt : pg_int(res, r, c);
}

/* The media facts of row R (columns 14..22 of attachments_load), which
 * stay NULL when the attachment has no attachment_media row. */
static detail_media *
media_read(const PGresult *res, int r, const detail_attachment *a)
{
	detail_media *m;

	if (PQgetisnull(res, r, 14))
		return NULL;
	m = g_new0(detail_media, 1);
	m->format = pg_dup(res, r, 14);
	m->taken = pg_dup(res, r, 15);
	m->make = pg_dup(res, r, 16);
	m->model = pg_dup(res, r, 17);
	m->width = int_or(res, r, 18, -1);
	m->height = int_or(res, r, 19, -1);
	m->orientation = int_or(res, r, 20, -1);
	m->duration_s = PQgetisnull(res, r, 21) ? -1.0 :
	    pg_double(res, r, 21);
	m->gps_source = pg_dup(res, r, 22);
	if (a->has_gps)
		m->map_url = detail_map_url(a->gps_lat, a->gps_lon);
	return m;
}

static tl_status
attachments_load(store *st, detail_submission *d)
{
	PGresult *res = NULL;
	tl_status rc;

	rc = by_id(st, "attachments", "SELECT a.idx, a.filename, "
		   "a.content_type, a.size, a.sha256, a.disposition, "
		   "a.has_gps, a.gps_lat, a.gps_lon, a.danger, "
		   "a.forwarded_idx, a.content_id, a.name_generated, "
		   "a.part_path, m.format, m.taken, m.make, m.model, m.width,"
		   " m.height, m.orientation, m.duration_s, m.gps_source "
		   "FROM attachment a LEFT JOIN attachment_media m ON "
		   "m.attachment_id = a.id WHERE a.submission_id = $1 "
		   "ORDER BY a.idx", d->id, &res);
	if (rc != TL_OK)
		return rc;
	for (int r = 0; r < PQntuples(res); r++) {
		detail_attachment *a = g_new0(detail_attachment, 1);

		g_ptr_array_add(d->attachments, a);
		a->index = pg_int(res, r, 0);
		a->filename = pg_dup(res, r, 1);
		a->content_type = pg_dup(res, r, 2);
		a->size = pg_int(res, r, 3);
		a->sha256 = pg_dup(res, r, 4);
		a->disposition = pg_dup(res, r, 5);
		a->has_gps = pg_int(res, r, 6) != 0;
		a->gps_lat = pg_double(res, r, 7);
		a->gps_lon = pg_double(res, r, 8);
		a->danger = pg_dup(res, r, 9);
		a->forwarded_index = pg_int(res, r, 10) >= 0 ?
		    (int)pg_int(res, r, 10) : -1;
		a->content_id = pg_dup(res, r, 11);
		a->name_generated = pg_int(res, r, 12) != 0;
		a->part = pg_dup(res, r, 13);
		a->media = media_read(res, r, a);
	}
	PQclear(res);
	return TL_OK;
}

static tl_status
forwarded_load(store *st, detail_submission *d)
{
	PGresult *res = NULL;
	tl_status rc;

	rc = by_id(st, "forwarded", "SELECT from_name, from_addr, subject, "
		   "date_utc, message_id, text, depth FROM forwarded WHERE "
		   "submission_id = $1 ORDER BY idx", d->id, &res);
	if (rc != TL_OK)
		return rc;
	for (int r = 0; r < PQntuples(res); r++) {
		detail_forward *f = g_new0(detail_forward, 1);

		f->from_name = pg_dup(res, r, 0);
		f->from_addr = pg_dup(res, r, 1);
		f->subject = pg_dup(res, r, 2);
		f->date_utc = pg_dup(res, r, 3);
		f->message_id = pg_dup(res, r, 4);
		f->text = g_strdup(pg_text(res, r, 5) != NULL ?
				   pg_text(res, r, 5) : "");
		f->depth = pg_int(res, r, 6);
		g_ptr_array_add(d->forwarded, f);
	}
	PQclear(res);
	return TL_OK;
}

/* The TCVN3/VNI text converted, if any. */
static tl_status
legacy_load(store *st, detail_submission *d)
{
	PGresult *res = NULL;
	tl_status rc;

	rc = by_id(st, "legacy_text", "SELECT font, subject, text FROM "
		   "legacy_text WHERE submission_id = $1", d->id, &res);
	if (rc != TL_OK)
		return rc;
	if (PQntuples(res) > 0) {
		d->legacy = g_new0(detail_legacy, 1);
		d->legacy->font = pg_dup(res, 0, 0);
		d->legacy->subject = pg_dup(res, 0, 1);
		d->legacy->text = pg_dup(res, 0, 2);
	}
	PQclear(res);
	return TL_OK;
}

static tl_status
history_load(store *st, detail_submission *d)
{
	PGresult *res = NULL;
	tl_status rc;

	rc = by_id(st, "history", "SELECT at_utc, editor, action, "
		   "old_status, new_status, note, id FROM audit WHERE "
		   "submission_id = $1 ORDER BY id", d->id, &res);
	if (rc != TL_OK)
		return rc;
	for (int r = 0; r < PQntuples(res); r++) {
		audit_row *h = g_new0(audit_row, 1);

		h->submission_id = d->id;
		h->at_utc = pg_dup(res, r, 0);
		h->editor = pg_dup(res, r, 1);
		h->action = audit_action_parse(pg_text(res, r, 2));
		h->old_status = pg_dup(res, r, 3);
		h->new_status = pg_dup(res, r, 4);
		h->note = pg_dup(res, r, 5);
		h->id = pg_int(res, r, 6);
		g_ptr_array_add(d->history, h);
	}
	PQclear(res);
	return TL_OK;
}

/* The follow-ups, oldest first, with what each carries (detail.c). */
static tl_status
follow_ups_load(store *st, detail_submission *d)
{
	PGresult *res = NULL;
	tl_status rc;

	rc = by_id(st, "follow-ups", "SELECT s.id, s.attachment_count, "
		   "s.has_gps, EXISTS (SELECT 1 FROM attachment a WHERE "
		   "a.submission_id = s.id AND a.danger IS NOT NULL), "
		   "s.status = 'quarantined' FROM submission s WHERE "
		   "s.parent_id = $1 ORDER BY coalesce(s.date_utc, "
		   "s.received_utc) COLLATE \"C\", s.id", d->id, &res);
	if (rc != TL_OK)
		return rc;
	for (int r = 0; r < PQntuples(res); r++) {
		detail_follow_up f = {
			.id = pg_int(res, r, 0),
			.attachment_count = pg_int(res, r, 1),
			.has_gps = pg_int(res, r, 2) != 0,
			.has_danger = pg_int(res, r, 3) != 0,
			.quarantined = pg_int(res, r, 4) != 0,
		};

		g_array_append_val(d->follow_ups, f);
	}
	PQclear(res);
	return TL_OK;
}

/* The submission row itself (columns of pg_detail_load's SELECT). */
static void
row_read(detail_submission *d, const PGresult *res)
{
	d->id = pg_int(res, 0, 0);
	d->status = queue_status_parse(pg_text(res, 0, 1));
	d->message_id = pg_dup(res, 0, 2);
	d->from_name = pg_dup(res, 0, 3);
	d->from_addr = pg_dup(res, 0, 4);
	d->subject = pg_dup(res, 0, 5);
	d->date_utc = pg_dup(res, 0, 6);
	d->date_offset_known = !PQgetisnull(res, 0, 7);
	d->date_offset_min = pg_int(res, 0, 7);
	d->received_utc = pg_dup(res, 0, 8);
	d->text = g_strdup(pg_text(res, 0, 9) != NULL ? pg_text(res, 0, 9) :
			   "");
	d->text_source = pg_dup(res, 0, 10);
	d->quote_offset = int_or(res, 0, 11, -1);
	d->html = pg_dup(res, 0, 12);
	d->is_auto_reply = pg_int(res, 0, 13) != 0;
	d->is_bounce = pg_int(res, 0, 14) != 0;
	d->is_spam = pg_int(res, 0, 15) != 0;
	d->is_signed = pg_int(res, 0, 16) != 0;
	d->is_encrypted = pg_int(res, 0, 17) != 0;
	d->has_gps = pg_int(res, 0, 18) != 0;
	d->charset_repaired = pg_int(res, 0, 19) != 0;
	d->legacy_font_hint = pg_dup(res, 0, 20);
	d->dsn_summary = pg_dup(res, 0, 21);
	d->warnings = detail_split_items(pg_text(res, 0, 22), '\n');
	d->error = pg_dup(res, 0, 23);
	d->source = pg_dup(res, 0, 24);
	d->source_path = pg_dup(res, 0, 25);
	d->raw_size = pg_int(res, 0, 26);
	d->attachment_count = pg_int(res, 0, 27);
	d->parent_id = int_or(res, 0, 28, 0);
	d->in_reply_to = pg_dup(res, 0, 29);
	d->references = detail_split_items(pg_text(res, 0, 30), ' ');
}

tl_status
pg_detail_load(store *st, gint64 id, detail_submission **out,
	       char **errmsg)
{
	detail_submission *d = NULL;
	PGresult *res = NULL;
	tl_status rc;

	*out = NULL;
	rc = by_id(st, "show", "SELECT id, status, message_id, from_name, "
		   "from_addr, subject, date_utc, date_offset_min, "
		   "received_utc, text, text_source, quote_offset, html, "
		   "is_auto_reply, is_bounce, is_spam, is_signed, "
		   "is_encrypted, has_gps, charset_repaired, "
		   "legacy_font_hint, dsn_summary, warnings, error, source, "
		   "source_path, raw_size, attachment_count, parent_id, "
		   "in_reply_to, refs FROM submission WHERE id = $1", id,
		   &res);
	if (rc != TL_OK)
		goto fail;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return detail_not_found(st, id, errmsg);
	}
	d = detail_new();
	row_read(d, res);
	PQclear(res);
	if ((rc = attachments_load(st, d)) != TL_OK ||
	    (rc = forwarded_load(st, d)) != TL_OK ||
	    (rc = legacy_load(st, d)) != TL_OK ||
	    (rc = history_load(st, d)) != TL_OK ||
	    (rc = follow_ups_load(st, d)) != TL_OK)
		goto fail;
	*out = d;
	return TL_OK;
fail:
	detail_free(d);
	*errmsg = g_strdup(store_errmsg(st));
	return rc;
}
