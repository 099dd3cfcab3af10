/* sort-key.c - the desk's sender and given-name keys (sort-key-priv.h). */
#include <string.h>

#include <unicode/ucol.h>
#include <unicode/uversion.h>
#include <unicode/ustring.h>

#include "sort-key-priv.h"

struct sort_keyer {
	UCollator *coll;
	GByteArray *tmp;	/* the sender key while the given one is
				 * made */
};

const char sort_key_insert_sql[] =
	"INSERT OR REPLACE INTO sort_key(submission_id, sender, given) "
	"VALUES (?1, ?2, ?3)";

sort_keyer *
sort_keyer_new(char **errmsg)
{
	UErrorCode err = U_ZERO_ERROR;
	UCollator *coll = ucol_open("vi", &err);
	sort_keyer *k;

	if (U_FAILURE(err) || coll == NULL) {
		*errmsg = g_strdup_printf("ICU collation \"vi\": %s",
					  u_errorName(err));
		return NULL;
	}
	k = g_new0(sort_keyer, 1);
	k->coll = coll;
	k->tmp = g_byte_array_new();
	return k;
}

void
sort_keyer_free(sort_keyer *k)
{
	if (k == NULL)
		return;
	ucol_close(k->coll);
	g_byte_array_unref(k->tmp);
	g_free(k);
}

guint32
sort_keyer_version(const sort_keyer *k)
{
	UVersionInfo v;

	ucol_getVersion(k->coll, v);
	return (guint32)v[0] << 24 | (guint32)v[1] << 16 |
	       (guint32)v[2] << 8 | v[3];
}

char *
sort_key_version_text(guint32 version)
{
	UVersionInfo v = { version >> 24, (version >> 16) & 0xff,
			   (version >> 8) & 0xff, version & 0xff };
	char text[U_MAX_VERSION_STRING_LENGTH];

	u_versionToString(v, text);
	return g_strdup(text);
}

char *
sort_key_icu_text(void)
{
	UVersionInfo v;
	char text[U_MAX_VERSION_STRING_LENGTH];

	u_getVersion(v);
	u_versionToString(v, text);
	return g_strdup(text);
}

/* The length of S's first SORT_KEY_MAX_CHARS characters, cut at a
 * character's start (a lead byte).  Bytes are bounded too: invalid UTF-8
 * (continuation bytes only) has no characters to count. */
static size_t
prefix_len(const char *s, size_t len)
{
	size_t i = 0, chars = 0;

	for (; i < len && i < 4 * SORT_KEY_MAX_CHARS; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			continue;
		if (chars++ == SORT_KEY_MAX_CHARS)
			break;
	}
	return i;
}

/* Append the ICU key of S (LEN bytes of UTF-8) and then S itself to OUT.
 * ucol_getSortKey after a conversion to UTF-16 rather than
 * ucol_nextSortKeyPart over a UTF-8 iterator: its result is documented
 * to end with the key's only 0x00 byte, which the concatenation relies
 * on, while the parts' key "may or may not be compatible"; the input is
 * at most SORT_KEY_MAX_CHARS long, so the conversion is cheap.  Invalid
 * UTF-8 becomes U+FFFD for ICU and stays as it is in the bytes. */
static void
key_append(UCollator *coll, const char *s, size_t len, GByteArray *out)
{
	UChar u[4 * SORT_KEY_MAX_CHARS];
	uint8_t buf[1024], *key = buf;
	int32_t ulen = 0, klen;
	UErrorCode err = U_ZERO_ERROR;

	u_strFromUTF8WithSub(u, G_N_ELEMENTS(u), &ulen, s, (int32_t)len,
			     0xFFFD, NULL, &err);
	if (U_FAILURE(err))
		ulen = 0;
	klen = ucol_getSortKey(coll, u, ulen, buf, sizeof buf);
	if (klen > (int32_t)sizeof buf) {
		key = g_malloc((gsize)klen);
		klen = ucol_getSortKey(coll, u, ulen, key, klen);
	}
	g_byte_array_append(out, key, (guint)klen);
	g_byte_array_append(out, (const guint8 *)s, (guint)len);
	if (key != buf)
		g_free(key);
}

void
sort_keys_make(sort_keyer *k, const char *from_name, const char *from_addr,
	       GByteArray *sender, GByteArray *given)
{
	/* desk.c's SENDER_KEY: coalesce(nullif(from_name, ''), from_addr,
	 * '') */
	const char *s = from_name != NULL && *from_name != '\0' ? from_name :
	    from_addr != NULL ? from_addr : "";
	const char *end = s + strlen(s), *start;
	const guint8 zero = 0;

	/* desk.c's tl_given_name: the last word, ASCII white space. */
	while (end > s && g_ascii_isspace(end[-1]))
		end--;
	start = end;
	while (start > s && !g_ascii_isspace(start[-1]))
		start--;
	g_byte_array_set_size(sender, 0);
	g_byte_array_set_size(given, 0);
	key_append(k->coll, s, prefix_len(s, strlen(s)), sender);
	key_append(k->coll, start, prefix_len(start, (size_t)(end - start)),
		   given);
	g_byte_array_append(given, &zero, 1);
	g_byte_array_append(given, sender->data, sender->len);
	if (sender->len > SORT_KEY_MAX_BYTES)
		g_byte_array_set_size(sender, SORT_KEY_MAX_BYTES);
	if (given->len > SORT_KEY_MAX_BYTES)
		g_byte_array_set_size(given, SORT_KEY_MAX_BYTES);
}

/* Bind and step INSERT for one row; the keys go through K's buffers. */
static int
put(sqlite3_stmt *insert, sort_keyer *k, GByteArray *given, gint64 id,
    const char *from_name, const char *from_addr)
{
	int r;

	sort_keys_make(k, from_name, from_addr, k->tmp, given);
	sqlite3_bind_int64(insert, 1, id);
	sqlite3_bind_blob(insert, 2, k->tmp->data, (int)k->tmp->len,
			  SQLITE_STATIC);
	sqlite3_bind_blob(insert, 3, given->data, (int)given->len,
			  SQLITE_STATIC);
	r = sqlite3_step(insert);
	sqlite3_reset(insert);
	sqlite3_clear_bindings(insert);
	return r == SQLITE_DONE ? SQLITE_OK : r;
}

int
sort_key_put(sqlite3_stmt *insert, sort_keyer *k, gint64 id,
	     const char *from_name, const char *from_addr)
{
	GByteArray *given = g_byte_array_new();
	int r = put(insert, k, given, id, from_name, from_addr);

	g_byte_array_unref(given);
	return r;
}

int
sort_key_fill(sqlite3 *db, sort_keyer *k, gint64 after, gint64 *added)
{
	sqlite3_stmt *sel = NULL, *ins = NULL;
	GByteArray *given = g_byte_array_new();
	gint64 n = 0;
	int r;

	/* The submission table's rowid order: one forward scan of it. */
	if ((r = sqlite3_prepare_v2(db, "SELECT s.id, s.from_name, "
	    "s.from_addr FROM submission s WHERE s.id > ?1 AND NOT EXISTS "
	    "(SELECT 1 FROM sort_key k WHERE k.submission_id = s.id) "
	    "ORDER BY s.id", -1, &sel, NULL)) != SQLITE_OK ||
	    (r = sqlite3_prepare_v2(db, sort_key_insert_sql, -1, &ins,
				    NULL)) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(sel, 1, after);
	while ((r = sqlite3_step(sel)) == SQLITE_ROW) {
		r = put(ins, k, given, sqlite3_column_int64(sel, 0),
			(const char *)sqlite3_column_text(sel, 1),
			(const char *)sqlite3_column_text(sel, 2));
		if (r != SQLITE_OK)
			goto out;
		n++;
	}
	if (r == SQLITE_DONE)
		r = SQLITE_OK;
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(ins);
	g_byte_array_unref(given);
	if (added != NULL)
		*added = n;
	return r;
}
