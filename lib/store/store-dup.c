/* store-dup.c - probable duplicates: the same sender's same text. */
#include <string.h>

#include "util.h"
#include "store-dup-priv.h"

/* The characters below FOLD_FAST_MAX whose case folding by GLib
 * (g_utf8_casefold) is their lowercase (g_unichar_tolower), one bit each.
 * Found by asking GLib once, not from a table of ours: the keys are
 * stored (text_key) and compared with later mail's, so they must stay
 * GLib's to the byte.  The range holds Latin, Greek, Cyrillic and
 * Vietnamese (U+1EA0..U+1EF9); a character outside it or not in the set
 * (ß, µ, ŉ, İ, ΐ, ...) is folded by GLib itself. */
#define FOLD_FAST_MAX 0x2000

static guint8 fold_fast[FOLD_FAST_MAX / 8];

/* For each ASCII character its folding (one byte: GLib folds A-Z to
 * a-z, the rest to themselves), or 0 for white space (GLib's: \t \n
 * \f \r and the space, not \v), asked from GLib as above. */
static char fold_ascii[128];

static gpointer
fold_fast_init(gpointer unused)
{
	(void)unused;
	for (gunichar c = 1; c < 0x80; c++) {
		char in = (char)c, *f = g_utf8_casefold(&in, 1);

		fold_ascii[c] = g_unichar_isspace(c) ? 0 : f[0];
		g_free(f);
	}
	for (gunichar c = 0x80; c < FOLD_FAST_MAX; c++) {
		char in[6], low[6], *f;
		gint n = g_unichar_to_utf8(c, in);
		gint m = g_unichar_to_utf8(g_unichar_tolower(c), low);

		f = g_utf8_casefold(in, n);
		if ((gint)strlen(f) == m && memcmp(f, low, (size_t)m) == 0)
			fold_fast[c / 8] |= (guint8)(1u << (c % 8));
		g_free(f);
	}
	return NULL;
}

/* Append the case folding of the non-ASCII character C (whose UTF-8 is
 * P, N bytes) to OUT, as g_utf8_casefold folds it. */
static void
fold_char(GString *out, gunichar c, const char *p, gsize n)
{
	char low[6];

	if (c < FOLD_FAST_MAX && (fold_fast[c / 8] & (1u << (c % 8))) != 0) {
		g_string_append_len(out, low,
				    g_unichar_to_utf8(g_unichar_tolower(c),
						      low));
	} else {
		char *f = g_utf8_casefold(p, (gssize)n);

		g_string_append(out, f);
		g_free(f);
	}
}

/* NFC (TEXT is NFC), case folded as g_utf8_casefold folds it, each run
 * of white space (g_unichar_isspace) made one space, trimmed: one pass,
 * where casefolding the whole text and then copying it character by
 * character took 8 % of an import of small mail (callgrind, 4 Dec
 * 2026).  Folding never makes or unmakes white space, so testing the
 * unfolded character is the same as testing the folded one. */
static GString *
dup_normal(const char *nfc)
{
	static GOnce once = G_ONCE_INIT;
	GString *norm = g_string_sized_new(strlen(nfc));
	gboolean space = FALSE;

	g_once(&once, fold_fast_init, NULL);
	for (const char *p = nfc; *p != '\0'; ) {
		guchar b = (guchar)*p;
		gsize n = (gsize)g_utf8_skip[b];
		gunichar c = b < 0x80 ? b : g_utf8_get_char(p);

		if (b < 0x80 ? fold_ascii[b] == 0 : g_unichar_isspace(c)) {
			space = norm->len > 0;
		} else {
			if (space)
				g_string_append_c(norm, ' ');
			space = FALSE;
			if (b < 0x80)
				g_string_append_c(norm, fold_ascii[b]);
			else
				fold_char(norm, c, p, n);
		}
		p += n;
	}
	return norm;
}

char *
store_dup_text_key(const msg_submission *sub)
{
	char *nfc, out[65];
	GString *norm;
	hash_sha256 *h;

	if (sub->from_addr == NULL || sub->text == NULL)
		return NULL;
	if ((nfc = nfc_normalize(sub->text, -1)) == NULL)
		return NULL;
	norm = dup_normal(nfc);
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
