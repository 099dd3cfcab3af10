/* detail-build.c - a detail_submission's life and the parts of
 * detail_load that do not depend on the backend (detail-build-priv.h). */
#include <string.h>

#include "detail-build-priv.h"

char **
detail_split_items(const char *text, char sep)
{
	char d[2] = { sep, '\0' };
	char **v = g_strsplit(text != NULL ? text : "", d, -1);
	guint n = 0;

	for (guint i = 0; v[i] != NULL; i++) {
		if (*v[i] != '\0')
			v[n++] = v[i];
		else
			g_free(v[i]);
	}
	v[n] = NULL;
	return v;
}

/* A map link for a position; OpenStreetMap, which needs no account and
 * whose URL carries only the point (opening it tells the map server the
 * place, not who sent the photo). New string (g_free). */
char *
detail_map_url(double lat, double lon)
{
	char a[G_ASCII_DTOSTR_BUF_SIZE], o[G_ASCII_DTOSTR_BUF_SIZE];

	g_ascii_formatd(a, sizeof a, "%.6f", lat);
	g_ascii_formatd(o, sizeof o, "%.6f", lon);
	return g_strdup_printf("https://www.openstreetmap.org/?mlat=%s&mlon=%s"
			       "#map=16/%s/%s", a, o, a, o);
}

static void
media_free(detail_media *m)
{
	if (m == NULL)
		return;
	g_free(m->format);
	g_free(m->taken);
	g_free(m->make);
	g_free(m->model);
	g_free(m->gps_source);
	g_free(m->map_url);
	g_free(m);
}

static void
attachment_free(gpointer p)
{
	detail_attachment *a = p;

	g_free(a->filename);
	g_free(a->content_type);
	g_free(a->sha256);
	g_free(a->disposition);
	g_free(a->danger);
	g_free(a->content_id);
	g_free(a->part);
	media_free(a->media);
	g_free(a);
}

static void
forward_free(gpointer p)
{
	detail_forward *f = p;

	g_free(f->from_name);
	g_free(f->from_addr);
	g_free(f->subject);
	g_free(f->date_utc);
	g_free(f->message_id);
	g_free(f->text);
	g_free(f);
}

/* Why there is no submission ID: purged (the audit log says when and by
 * whom), removed otherwise, or never there.  Always TL_DATA, as for an
 * id that never existed, unless the database fails. */
tl_status
detail_not_found(store *st, gint64 id, char **errmsg)
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

detail_submission *
detail_new(void)
{
	detail_submission *d = g_new0(detail_submission, 1);

	d->attachments = g_ptr_array_new_with_free_func(attachment_free);
	d->forwarded = g_ptr_array_new_with_free_func(forward_free);
	d->history = g_ptr_array_new_with_free_func(audit_row_free);
	d->follow_ups = g_array_new(FALSE, FALSE, sizeof(detail_follow_up));
	return d;
}

void
detail_free(detail_submission *d)
{
	if (d == NULL)
		return;
	g_free(d->message_id);
	g_free(d->from_name);
	g_free(d->from_addr);
	g_free(d->subject);
	g_free(d->date_utc);
	g_free(d->received_utc);
	g_free(d->text);
	g_free(d->text_source);
	g_free(d->html);
	g_free(d->legacy_font_hint);
	g_free(d->dsn_summary);
	g_strfreev(d->warnings);
	g_free(d->error);
	g_free(d->source);
	g_free(d->source_path);
	g_free(d->in_reply_to);
	g_strfreev(d->references);
	g_ptr_array_unref(d->attachments);
	g_ptr_array_unref(d->forwarded);
	if (d->legacy != NULL) {
		g_free(d->legacy->font);
		g_free(d->legacy->subject);
		g_free(d->legacy->text);
		g_free(d->legacy);
	}
	g_ptr_array_unref(d->history);
	g_array_unref(d->follow_ups);
	g_free(d);
}

const audit_row *
detail_last_decision(const detail_submission *d)
{
	for (guint i = d->history != NULL ? d->history->len : 0; i > 0; i--) {
		const audit_row *e = d->history->pdata[i - 1];

		if (audit_action_decides(e->action))
			return e;
	}
	return NULL;
}
