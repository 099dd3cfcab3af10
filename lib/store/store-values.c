/* store-values.c - the values of a submission row that need no SQL,
 * shared by both backends' write paths (store-values-priv.h). */
#include <string.h>

#include "util.h"
#include "store-values-priv.h"
#include "store-dup-priv.h"

/* Text for search beyond subject/sender/body: forwarded messages and
 * attachment names, so "ho guom" finds a photo called Hồ Gươm. */
char *
store_values_search_extra(const msg_submission *sub)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; sub->forwarded && i < sub->forwarded->len; i++) {
		const msg_forwarded *f = sub->forwarded->pdata[i];

		g_string_append_printf(s, "%s %s %s\n%s\n",
			f->from_name ? f->from_name : "",
			f->from_addr ? f->from_addr : "",
			f->subject ? f->subject : "", f->text ? f->text : "");
	}
	for (guint i = 0; sub->attachments && i < sub->attachments->len; i++) {
		const msg_attachment *a = sub->attachments->pdata[i];

		if (!a->name_generated)
			g_string_append_printf(s, "%s\n", a->filename);
	}
	return g_string_free(s, FALSE);
}

static char *
join_warnings(const msg_submission *sub)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; sub->warnings && i < sub->warnings->len; i++) {
		if (s->len > 0)
			g_string_append_c(s, '\n');
		g_string_append(s, sub->warnings->pdata[i]);
	}
	return g_string_free(s, FALSE);
}

char *
store_values_warnings(const msg_submission *sub, gint64 twin, gint64 dup,
		      const char *queued, const char *now)
{
	GString *w = g_string_new(NULL);
	char *own = join_warnings(sub);

	g_string_append(w, own);
	g_free(own);
	if (twin > 0)
		g_string_append_printf(w, "%sthe same Message-ID and sender "
			"as #%" G_GINT64_FORMAT ": probably one tip delivered "
			"twice (to two addresses)", w->len ? "\n" : "", twin);
	else if (dup > 0)
		g_string_append_printf(w, "%sthe same text from the same "
			"sender as #%" G_GINT64_FORMAT " within %d hours: "
			"probably one tip sent twice", w->len ? "\n" : "",
			dup, STORE_DUP_WINDOW_HOURS);
	if (sub->date_utc != NULL && now != NULL && queued == now)
		g_string_append_printf(w, "%sthe sender's Date (%s) is "
			"implausible for a message that arrived at %s; it is "
			"queued by its arrival time", w->len ? "\n" : "",
			sub->date_utc, now);
	return g_string_free(w, FALSE);
}

/* ISO 8601 UTC time ISO plus one day, newly allocated, or NULL. */
static char *
iso_plus_day(const char *iso)
{
	GDateTime *t = g_date_time_new_from_iso8601(iso, NULL), *d;
	char *r;

	if (t == NULL)
		return NULL;
	d = g_date_time_add_days(t, 1);
	r = g_date_time_format(d, "%Y-%m-%dT%H:%M:%SZ");
	g_date_time_unref(d);
	g_date_time_unref(t);
	return r;
}

/* Where a submission sits in the queue: the sender's Date, unless it is
 * implausible for when the message arrived (RECEIVED): a phone whose clock
 * reset sends 1970, a spammer dates mail 2099 to stay on top. Then the
 * arrival time (QA F21). Both are ISO 8601 UTC, so they compare as text.
 * Borrowed: returns one of the two arguments. */
const char *
store_values_queue_time(const char *date_utc, const char *received)
{
	char *latest;
	const char *r = received;

	if (date_utc == NULL || strcmp(date_utc, "1995") < 0)
		return received;
	/* A day of clock skew is normal; more is not. */
	latest = iso_plus_day(received);
	if (latest != NULL && strcmp(date_utc, latest) <= 0)
		r = date_utc;
	g_free(latest);
	return r;
}

/* Do the bytes read back (content hash GOT, SIZE bytes) match what was
 * stored? A header-only too_large entry carries SHA-256("too_large:" +
 * content hash of its headers) (ingest_file), so both forms are asked. */
gboolean
store_values_raw_matches(const char *want, gint64 want_size,
			 const char *got, gint64 size)
{
	char *salted, salted_hex[65];
	hash_sha256 *h;

	if (size != want_size)
		return FALSE;
	if (strcmp(want, got) == 0)
		return TRUE;
	salted = g_strconcat("too_large:", got, NULL);
	h = hash_sha256_new();
	hash_sha256_update(h, salted, strlen(salted));
	hash_sha256_finish(h, salted_hex);
	g_free(salted);
	return strcmp(want, salted_hex) == 0;
}
