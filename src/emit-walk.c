/* emit-walk.c - the one walk over each typed result (emit.h): the member
 * names and their order are docs/json-schema.md's ("tipline-json/1"). */
#include "emit.h"

static void
strv(emitter *e, const char *key, char **v)
{
	emit_key(e, key);
	emit_begin_list(e);
	for (guint i = 0; v != NULL && v[i] != NULL; i++)
		emit_string(e, v[i]);
	emit_end(e);
}

static void
media(emitter *e, const detail_media *m)
{
	emit_key(e, "media");
	if (m == NULL) {
		emit_null(e);
		return;
	}
	emit_begin_map(e);
	emit_pair_str(e, "format", m->format);
	emit_pair_str(e, "taken", m->taken);
	emit_pair_str(e, "make", m->make);
	emit_pair_str(e, "model", m->model);
	emit_pair_int_opt(e, "width", m->width, -1);
	emit_pair_int_opt(e, "height", m->height, -1);
	emit_pair_int_opt(e, "orientation", m->orientation, -1);
	emit_key(e, "duration_s");
	if (m->duration_s < 0)
		emit_null(e);
	else
		emit_real(e, m->duration_s);
	emit_pair_str(e, "gps_source", m->gps_source);
	emit_pair_str(e, "map_url", m->map_url);
	emit_end(e);
}

static void
attachment(emitter *e, const detail_attachment *a)
{
	emit_begin_map(e);
	emit_pair_int(e, "index", a->index);
	emit_pair_str(e, "filename", a->filename);
	emit_pair_str(e, "content_type", a->content_type);
	emit_pair_int(e, "size", a->size);
	emit_pair_str(e, "sha256", a->sha256);
	emit_pair_str(e, "disposition", a->disposition);
	emit_pair_bool(e, "has_gps", a->has_gps);
	emit_key(e, "gps");
	if (a->has_gps) {
		emit_begin_map(e);
		emit_key(e, "lat");
		emit_real(e, a->gps_lat);
		emit_key(e, "lon");
		emit_real(e, a->gps_lon);
		emit_end(e);
	} else {
		emit_null(e);
	}
	emit_pair_str(e, "danger", a->danger);
	emit_pair_bool(e, "in_forwarded", a->forwarded_index >= 0);
	emit_pair_int_opt(e, "forwarded_index", a->forwarded_index, -1);
	emit_pair_str(e, "content_id", a->content_id);
	emit_pair_bool(e, "name_generated", a->name_generated);
	emit_pair_str(e, "part", a->part);
	media(e, a->media);
	emit_end(e);
}

static void
forward(emitter *e, const detail_forward *f)
{
	emit_begin_map(e);
	emit_pair_str(e, "from_name", f->from_name);
	emit_pair_str(e, "from_addr", f->from_addr);
	emit_pair_str(e, "subject", f->subject);
	emit_pair_str(e, "date_utc", f->date_utc);
	emit_pair_str(e, "message_id", f->message_id);
	emit_pair_str(e, "text", f->text);
	emit_pair_int(e, "depth", f->depth);
	emit_end(e);
}

static void
legacy(emitter *e, const detail_legacy *l)
{
	emit_key(e, "legacy_font_converted");
	if (l == NULL) {
		emit_null(e);
		return;
	}
	emit_begin_map(e);
	emit_pair_str(e, "font", l->font);
	emit_pair_str(e, "subject", l->subject);
	emit_pair_str(e, "text", l->text);
	emit_end(e);
}

/* One audit row; FULL adds the row's own id and submission id (audit
 * --json), which a submission's history leaves out. */
static void
audit_entry(emitter *e, const audit_row *r, gboolean full)
{
	emit_begin_map(e);
	if (full) {
		emit_pair_int(e, "id", r->id);
		emit_pair_int_opt(e, "submission_id", r->submission_id, 0);
	}
	emit_pair_str(e, "at_utc", r->at_utc);
	emit_pair_str(e, "editor", r->editor);
	emit_pair_str(e, "action", audit_action_name(r->action));
	emit_pair_str(e, "old_status", r->old_status);
	emit_pair_str(e, "new_status", r->new_status);
	emit_pair_str(e, "note", r->note);
	emit_end(e);
}

static void
follow_ups(emitter *e, GArray *fu)
{
	emit_key(e, "follow_ups");
	emit_begin_list(e);
	for (guint i = 0; i < fu->len; i++)
		emit_integer(e, g_array_index(fu, detail_follow_up, i).id);
	emit_end(e);
	emit_key(e, "follow_up_marks");
	emit_begin_list(e);
	for (guint i = 0; i < fu->len; i++) {
		const detail_follow_up *f = &g_array_index(fu,
		    detail_follow_up, i);

		emit_begin_map(e);
		emit_pair_int(e, "id", f->id);
		emit_pair_int(e, "attachment_count", f->attachment_count);
		emit_pair_bool(e, "has_gps", f->has_gps);
		emit_pair_bool(e, "has_danger", f->has_danger);
		emit_pair_bool(e, "quarantined", f->quarantined);
		emit_end(e);
	}
	emit_end(e);
}

/* The submission row's own members, up to "references". */
static void
submission_row(emitter *e, const detail_submission *d)
{
	emit_pair_str(e, "schema", DETAIL_JSON_SCHEMA);
	emit_pair_int(e, "id", d->id);
	emit_pair_str(e, "status", queue_status_name(d->status));
	emit_pair_str(e, "message_id", d->message_id);
	emit_pair_str(e, "from_name", d->from_name);
	emit_pair_str(e, "from_addr", d->from_addr);
	emit_pair_str(e, "subject", d->subject);
	emit_pair_str(e, "date_utc", d->date_utc);
	emit_key(e, "date_offset_min");
	if (d->date_offset_known)
		emit_integer(e, d->date_offset_min);
	else
		emit_null(e);
	emit_pair_str(e, "received_utc", d->received_utc);
	emit_pair_str(e, "text", d->text);
	emit_pair_str(e, "text_source", d->text_source);
	emit_pair_int(e, "quote_offset", d->quote_offset);
	emit_pair_str(e, "html", d->html);
	emit_pair_bool(e, "is_auto_reply", d->is_auto_reply);
	emit_pair_bool(e, "is_bounce", d->is_bounce);
	emit_pair_bool(e, "is_spam", d->is_spam);
	emit_pair_bool(e, "is_signed", d->is_signed);
	emit_pair_bool(e, "is_encrypted", d->is_encrypted);
	emit_pair_bool(e, "has_gps", d->has_gps);
	emit_pair_bool(e, "charset_repaired", d->charset_repaired);
	emit_pair_str(e, "legacy_font_hint", d->legacy_font_hint);
	emit_pair_str(e, "dsn_summary", d->dsn_summary);
	strv(e, "warnings", d->warnings);
	emit_pair_str(e, "error", d->error);
	emit_pair_str(e, "source", d->source);
	emit_pair_str(e, "source_path", d->source_path);
	emit_pair_int(e, "raw_size", d->raw_size);
	emit_pair_int(e, "attachment_count", d->attachment_count);
	emit_pair_int_opt(e, "parent_id", d->parent_id, 0);
	emit_pair_str(e, "in_reply_to", d->in_reply_to);
	strv(e, "references", d->references);
}

void
emit_submission(emitter *e, const detail_submission *d)
{
	emit_begin_map(e);
	submission_row(e, d);
	emit_key(e, "attachments");
	emit_begin_list(e);
	for (guint i = 0; i < d->attachments->len; i++)
		attachment(e, d->attachments->pdata[i]);
	emit_end(e);
	emit_key(e, "forwarded");
	emit_begin_list(e);
	for (guint i = 0; i < d->forwarded->len; i++)
		forward(e, d->forwarded->pdata[i]);
	emit_end(e);
	legacy(e, d->legacy);
	emit_key(e, "history");
	emit_begin_list(e);
	for (guint i = 0; i < d->history->len; i++)
		audit_entry(e, d->history->pdata[i], FALSE);
	emit_end(e);
	follow_ups(e, d->follow_ups);
	emit_end(e);
}

/* The members list rows gained in issue 10 (docs/json-schema.md). */
static void
row_issue10(emitter *e, const desk_row *r)
{
	emit_pair_str(e, "received_utc", r->received_utc);
	emit_pair_bool(e, "date_implausible", r->date_implausible);
	emit_pair_bool(e, "has_danger", r->has_danger);
	emit_pair_int_opt(e, "duplicate_of", MAX(r->duplicate_of, 0), 0);
	emit_pair_bool(e, "unseen", r->unseen);
	emit_key(e, "thread");
	if (r->follow_ups == 0 || r->parent_id > 0) {
		emit_null(e);
		return;
	}
	emit_begin_map(e);
	emit_pair_int(e, "attachment_count", r->thread_attachments);
	emit_pair_bool(e, "has_gps", r->thread_gps);
	emit_pair_bool(e, "has_danger", r->thread_danger);
	emit_pair_bool(e, "quarantined", r->thread_quarantined);
	emit_pair_str(e, "latest_received_utc", r->thread_latest_utc);
	emit_pair_str(e, "latest_queue_utc", r->thread_latest_queue_utc);
	emit_end(e);
}

void
emit_desk_rows(emitter *e, GPtrArray *rows, gboolean search)
{
	emit_begin_list(e);
	for (guint i = 0; i < rows->len; i++) {
		const desk_row *r = rows->pdata[i];

		emit_begin_map(e);
		emit_pair_int(e, "id", r->id);
		emit_pair_str(e, "status", queue_status_name(r->status));
		emit_pair_str(e, "date_utc", r->date_utc);
		emit_pair_str(e, "from_name", r->from_name);
		emit_pair_str(e, "from_addr", r->from_addr);
		emit_pair_str(e, "subject", r->subject);
		emit_pair_int(e, "attachment_count", r->attachment_count);
		emit_pair_bool(e, "has_gps", r->has_gps);
		emit_pair_int_opt(e, "parent_id", MAX(r->parent_id, 0), 0);
		emit_pair_int(e, "follow_up_count", r->follow_ups);
		if (search)
			emit_pair_bool(e, "exact", r->exact);
		row_issue10(e, r);
		emit_end(e);
	}
	emit_end(e);
}

void
emit_audit_rows(emitter *e, GPtrArray *rows)
{
	emit_begin_list(e);
	for (guint i = 0; i < rows->len; i++)
		audit_entry(e, rows->pdata[i], TRUE);
	emit_end(e);
}

void
emit_stats(emitter *e, const store_stats *s)
{
	guint i;

	emit_begin_map(e);
	emit_pair_str(e, "schema", DETAIL_JSON_SCHEMA);
	emit_key(e, "statuses");
	emit_begin_map(e);
	for (i = 0; i < s->statuses->len; i++) {
		const store_stats_status *x = &g_array_index(s->statuses,
		    store_stats_status, i);

		emit_pair_int(e, queue_status_name(x->status), x->count);
	}
	emit_end(e);
	emit_pair_int(e, "total", s->total);
	emit_key(e, "days");
	emit_begin_list(e);
	for (i = 0; i < s->days->len; i++) {
		const store_stats_day *d = &g_array_index(s->days,
		    store_stats_day, i);

		emit_begin_map(e);
		emit_pair_str(e, "date", d->date);
		emit_pair_int(e, "count", d->count);
		emit_end(e);
	}
	emit_end(e);
	emit_key(e, "mailboxes");
	emit_begin_list(e);
	for (i = 0; i < s->mailboxes->len; i++) {
		const store_stats_mailbox *m = &g_array_index(s->mailboxes,
		    store_stats_mailbox, i);

		emit_begin_map(e);
		emit_pair_str(e, "mailbox", m->mailbox);
		emit_pair_str(e, "last_success_utc", m->last_success_utc);
		emit_pair_str(e, "last_error_utc", m->last_error_utc);
		emit_pair_str(e, "last_error", m->last_error);
		emit_pair_int(e, "last_uid", m->last_uid);
		emit_end(e);
	}
	emit_end(e);
	emit_end(e);
}

void
emit_previews(emitter *e, GPtrArray *previews)
{
	gint64 ok = 0, none = 0;
	guint i;

	for (i = 0; i < previews->len; i++) {
		const store_preview *p = previews->pdata[i];

		if (p->state == STORE_PREVIEW_OK)
			ok++;
		else
			none++;
	}
	emit_begin_map(e);
	emit_pair_str(e, "schema", DETAIL_JSON_SCHEMA);
	emit_pair_int(e, "made", ok + none);
	emit_pair_int(e, "ok", ok);
	emit_pair_int(e, "none", none);
	emit_key(e, "previews");
	emit_begin_list(e);
	for (i = 0; i < previews->len; i++) {
		const store_preview *p = previews->pdata[i];
		gsize len = 0;

		if (p->jpeg != NULL)
			g_bytes_get_data(p->jpeg, &len);
		emit_begin_map(e);
		emit_pair_int(e, "id", p->submission_id);
		emit_pair_int(e, "attachment", p->index);
		emit_pair_str(e, "format", p->format);
		emit_pair_str(e, "status", p->state == STORE_PREVIEW_OK ?
			      "ok" : "none");
		emit_pair_int_opt(e, "jpeg_bytes", (gint64)len, 0);
		emit_pair_str(e, "reason", p->reason);
		emit_pair_str(e, "made_utc", p->made_utc);
		emit_end(e);
	}
	emit_end(e);
	emit_end(e);
}
