/* pg-preview.c - the preview cache on PostgreSQL (store-preview.c's
 * counterpart). */
#include <string.h>

#include "pg-preview-priv.h"

#define ATTACHMENT_COLS \
	"a.submission_id, a.idx, a.id, a.part_path, a.content_type, " \
	"m.format, a.danger, a.size"

/* The attachment's columns 0..7 of row R (ATTACHMENT_COLS). */
static store_preview *
preview_from_row(const PGresult *res, int r)
{
	store_preview *p = g_new0(store_preview, 1);

	p->submission_id = pg_int(res, r, 0);
	p->index = pg_int(res, r, 1);
	p->attachment_id = pg_int(res, r, 2);
	p->part = pg_dup(res, r, 3);
	p->content_type = pg_dup(res, r, 4);
	p->format = pg_dup(res, r, 5);
	p->danger = pg_dup(res, r, 6);
	p->bytes = pg_int(res, r, 7);
	return p;
}

/* The cached row, if any, in the LEFT JOIN's columns 8..11; the JPEG
 * comes as BYTEA's text form (hex), which PQunescapeBytea decodes.
 * FALSE when it cannot (out of memory). */
static gboolean
preview_cached(store_preview *p, const PGresult *res)
{
	const char *status = pg_text(res, 0, 8);
	unsigned char *jpeg;
	size_t len = 0;

	if (status == NULL)
		return TRUE;	/* STORE_PREVIEW_MISSING */
	p->made_utc = pg_dup(res, 0, 9);
	if (strcmp(status, "ok") != 0) {
		p->state = STORE_PREVIEW_NONE;
		p->reason = pg_dup(res, 0, 11);
		return TRUE;
	}
	p->state = STORE_PREVIEW_OK;
	jpeg = PQunescapeBytea((const unsigned char *)(pg_text(res, 0, 10) !=
				NULL ? pg_text(res, 0, 10) : ""), &len);
	if (jpeg == NULL)
		return FALSE;
	p->jpeg = g_bytes_new(jpeg, len);
	PQfreemem(jpeg);
	return TRUE;
}

tl_status
pg_store_preview_load(store *st, gint64 submission_id, gint64 index,
		      unsigned size, int version, store_preview **out)
{
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	tl_status rc;

	*out = NULL;
	pg_p_int(&p, size);
	pg_p_int(&p, version);
	pg_p_int(&p, submission_id);
	pg_p_int(&p, index);
	rc = pg_run(store_pg(st), "preview", "SELECT " ATTACHMENT_COLS ", "
		    "p.status, p.made_utc, p.jpeg, p.reason FROM attachment a "
		    "LEFT JOIN attachment_media m ON m.attachment_id = a.id "
		    "LEFT JOIN preview p ON p.attachment_id = a.id AND p.size "
		    "= $1 AND p.version = $2 WHERE a.submission_id = $3 AND "
		    "a.idx = $4", &p, &res);
	pg_params_clear(&p);
	if (rc != TL_OK)
		return rc;
	if (PQntuples(res) == 0) {
		store_set_error(st, "#%" G_GINT64_FORMAT " has no attachment %"
				G_GINT64_FORMAT, submission_id, index);
		rc = TL_DATA;
	} else {
		*out = preview_from_row(res, 0);
		if (!preview_cached(*out, res)) {
			store_preview_free(*out);
			*out = NULL;
			store_set_error(st, "preview: out of memory");
			rc = TL_TEMPFAIL;
		}
	}
	PQclear(res);
	return rc;
}

tl_status
pg_store_preview_put(store *st, const store_preview *p, unsigned size,
		     int version, gboolean *stored)
{
	pg_params q = PG_PARAMS_INIT;
	PGresult *res = NULL;
	char *now = p->made_utc != NULL ? NULL : store_now_utc();
	gboolean ok = p->state == STORE_PREVIEW_OK && p->jpeg != NULL;
	gsize len = 0;
	const void *data = ok ? g_bytes_get_data(p->jpeg, &len) : NULL;
	tl_status rc;

	*stored = FALSE;
	pg_p_int(&q, size);
	pg_p_int(&q, version);
	pg_p_text(&q, now != NULL ? now : p->made_utc);
	pg_p_text(&q, ok ? "ok" : "none");
	if (ok)
		pg_p_bytes(&q, data, (int)len);
	else
		pg_p_text(&q, NULL);
	pg_p_text(&q, ok ? NULL : p->reason != NULL ? p->reason :
		  "no preview");
	pg_p_int(&q, p->attachment_id);
	/* The SELECT makes a vanished attachment (purged or reparsed while
	 * the worker ran) insert nothing instead of failing the foreign
	 * key; ON CONFLICT keeps another maker's row.  RETURNING tells the
	 * three apart: a row (stored), none and the attachment there
	 * (theirs), none and no attachment (gone). */
	rc = pg_run(store_pg(st), "preview", "WITH ins AS (INSERT INTO "
		    "preview(attachment_id, size, version, made_utc, status, "
		    "jpeg, reason) SELECT id, $1::bigint, $2::bigint, "
		    "$3::text, $4::text, $5::bytea, $6::text FROM attachment "
		    "WHERE id = $7 ON CONFLICT DO NOTHING RETURNING 1) "
		    "SELECT (SELECT count(*) FROM ins), EXISTS (SELECT 1 FROM "
		    "attachment WHERE id = $7)", &q, &res);
	pg_params_clear(&q);
	g_free(now);
	if (rc != TL_OK)
		return rc;
	*stored = pg_int(res, 0, 0) > 0;
	if (!*stored && pg_int(res, 0, 1) == 0) {
		store_set_error(st, "#%" G_GINT64_FORMAT ": attachment %"
				G_GINT64_FORMAT " is gone", p->submission_id,
				p->index);
		rc = TL_DATA;
	}
	PQclear(res);
	return rc;
}

tl_status
pg_store_preview_todo(store *st, const char *since_utc, gint64 limit,
		      unsigned size, int version, const char *const *formats,
		      GPtrArray **out)
{
	GString *sql = g_string_new("SELECT " ATTACHMENT_COLS " FROM "
	    "attachment a JOIN attachment_media m ON m.attachment_id = a.id "
	    "JOIN submission s ON s.id = a.submission_id "
	    "WHERE a.danger IS NULL AND s.received_utc >= $1 "
	    "AND NOT EXISTS (SELECT 1 FROM preview p WHERE "
	    "p.attachment_id = a.id AND p.size = $2 AND p.version = $3) "
	    "AND m.format = ANY ($4::text[]) ORDER BY s.received_utc DESC, "
	    "a.submission_id DESC, a.idx LIMIT $5::bigint");
	GString *list = g_string_new("{");
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	tl_status rc;

	*out = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)store_preview_free);
	/* The formats as one array literal: each element quoted, with
	 * '"' and '\' escaped (format names are tipline's own words, but
	 * the array syntax is not theirs to break). */
	for (int i = 0; formats[i] != NULL; i++) {
		g_string_append(list, i ? ",\"" : "\"");
		for (const char *c = formats[i]; *c != '\0'; c++) {
			if (*c == '"' || *c == '\\')
				g_string_append_c(list, '\\');
			g_string_append_c(list, *c);
		}
		g_string_append_c(list, '"');
	}
	g_string_append_c(list, '}');
	pg_p_text(&p, since_utc != NULL ? since_utc : "");
	pg_p_int(&p, size);
	pg_p_int(&p, version);
	pg_p_text(&p, list->str);
	pg_p_id_or_null(&p, limit);	/* LIMIT NULL: all */
	rc = pg_run(store_pg(st), "previews to make", sql->str, &p, &res);
	pg_params_clear(&p);
	if (rc == TL_OK)
		for (int r = 0; r < PQntuples(res); r++)
			g_ptr_array_add(*out, preview_from_row(res, r));
	PQclear(res);
	g_string_free(list, TRUE);
	g_string_free(sql, TRUE);
	return rc;
}
