/* store-dup.c - probable duplicates: the same sender's same text. */
#include <string.h>

#include "util.h"
#include "store-dup-priv.h"

char *
store_dup_text_key(const msg_submission *sub)
{
	char *nfc, *folded, out[65];
	GString *norm;
	hash_sha256 *h;
	gboolean space = FALSE;

	if (sub->from_addr == NULL || sub->text == NULL)
		return NULL;
	if ((nfc = nfc_normalize(sub->text, -1)) == NULL)
		return NULL;
	folded = g_utf8_casefold(nfc, -1);
	norm = g_string_sized_new(strlen(folded));
	for (const char *p = folded; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_isspace(c)) {
			space = norm->len > 0;
			continue;
		}
		if (space)
			g_string_append_c(norm, ' ');
		space = FALSE;
		g_string_append_unichar(norm, c);
	}
	g_free(folded);
	g_free(nfc);
	if (norm->len == 0) {
		g_string_free(norm, TRUE);
		return NULL;
	}
	h = hash_sha256_new();
	hash_sha256_update(h, norm->str, norm->len);
	hash_sha256_finish(h, out);
	g_string_free(norm, TRUE);
	return g_strdup(out);
}

/* ISO 8601 UTC time ISO moved by HOURS, newly allocated, or NULL. */
static char *
iso_add_hours(const char *iso, int hours)
{
	GDateTime *t = g_date_time_new_from_iso8601(iso, NULL), *d;
	char *r;

	if (t == NULL)
		return NULL;
	d = g_date_time_add_hours(t, hours);
	r = g_date_time_format(d, "%Y-%m-%dT%H:%M:%SZ");
	g_date_time_unref(d);
	g_date_time_unref(t);
	return r;
}

void
store_dup_window(const char *queue_utc, char **lo, char **hi)
{
	*lo = iso_add_hours(queue_utc, -STORE_DUP_WINDOW_HOURS);
	*hi = iso_add_hours(queue_utc, STORE_DUP_WINDOW_HOURS);
}

gint64
store_dup_find(store *st, const char *sender, const char *key,
	       const char *queue_utc)
{
	char *lo = NULL, *hi = NULL;
	sqlite3_stmt *q = NULL;
	gint64 id = 0;

	store_dup_window(queue_utc, &lo, &hi);
	if (sender == NULL || key == NULL || lo == NULL || hi == NULL ||
	    (q = store_stmt(st, "SELECT submission_id FROM text_key WHERE "
	    "sender = lower(?1) AND text_hash = ?2 AND queue_utc BETWEEN "
	    "?3 AND ?4 ORDER BY submission_id LIMIT 1")) == NULL)
		goto out;
	sqlite3_bind_text(q, 1, sender, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, lo, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, hi, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW)
		id = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
out:
	g_free(lo);
	g_free(hi);
	return id;
}

tl_status
store_dup_record(store *st, gint64 id, const char *sender, const char *key,
		 const char *queue_utc, gint64 dup_of)
{
	sqlite3_stmt *q;
	int r;

	if (sender == NULL || key == NULL)
		return TL_OK;
	q = store_stmt(st, "INSERT OR REPLACE INTO text_key(submission_id, "
		       "sender, text_hash, queue_utc, duplicate_of) "
		       "VALUES (?, lower(?), ?, ?, ?)");
	if (q == NULL)
		return store_fail(st, "text_key");
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_text(q, 2, sender, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, queue_utc, -1, SQLITE_STATIC);
	if (dup_of > 0)
		sqlite3_bind_int64(q, 5, dup_of);
	else
		sqlite3_bind_null(q, 5);
	r = sqlite3_step(q);
	sqlite3_reset(q);
	return r == SQLITE_DONE ? TL_OK : store_fail(st, "text_key");
}
