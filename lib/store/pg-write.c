/* pg-write.c - the write path on PostgreSQL (pg-write-priv.h): a
 * submission, its parts and its original into the store, the original
 * back out chunk by chunk, and the duplicate-text keys.  The values are
 * made by store-write.c's shared helpers (store-write-priv.h), so both
 * backends store the same row for the same message. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "store-priv.h"
#include "store-dup-priv.h"
#include "sort-key-priv.h"
#include "store-values-priv.h"
#include "pg-write-priv.h"

/* A double as text for a DOUBLE PRECISION parameter (round-trips). */
static void
p_double_or_null(pg_params *p, int present, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	if (!present) {
		pg_p_text(p, NULL);
		return;
	}
	pg_p_text(p, g_strdup(g_ascii_dtostr(buf, sizeof buf, v)));
	p->owned[p->n - 1] = (char *)p->values[p->n - 1];
}

/* The earliest submission with Message-ID MID from SENDER (compared in
 * lower case), or 0: the parent lookup and the twin check of
 * store-write.c. */
static gint64
by_message_id(pg_db *db, const char *mid, const char *sender)
{
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	gint64 id = 0;

	pg_p_text(&p, mid);
	pg_p_text(&p, sender);
	if (pg_prep(db, "message-id", "SELECT id FROM submission WHERE "
		    "message_id = $1 AND lower(from_addr) = lower($2) "
		    "ORDER BY id LIMIT 1", &p, &res) == TL_OK &&
	    PQntuples(res) > 0)
		id = pg_int(res, 0, 0);
	PQclear(res);
	pg_params_clear(&p);
	return id;
}

/* As store-write.c's find_parent: In-Reply-To first, then References
 * from the nearest; the same sender only (QA F15). */
static gint64
find_parent(pg_db *db, const msg_submission *sub)
{
	char **refs = NULL;
	gint64 parent = 0;

	if (sub->from_addr == NULL)
		return 0;
	if (sub->in_reply_to != NULL)
		parent = by_message_id(db, sub->in_reply_to, sub->from_addr);
	if (parent == 0 && sub->references != NULL) {
		refs = g_strsplit(sub->references, " ", -1);
		for (int i = g_strv_length(refs) - 1; i >= 0 && parent == 0;
		     i--)
			if (*refs[i] != '\0')
				parent = by_message_id(db, refs[i],
						       sub->from_addr);
	}
	g_strfreev(refs);
	return parent;
}

/* Read the next piece of the original at PATH (FD, OFF of SIZE bytes
 * read so far) into BUF: at most STORE_RAW_CHUNK bytes, *N of them.  A
 * file that ends early or fails is refused (TL_SOFTWARE, the store's
 * error set) rather than kept truncated. */
static tl_status
raw_read(store *st, int fd, const char *path, char *buf, gint64 off,
	 gint64 size, ssize_t *n)
{
	do
		*n = read(fd, buf, (size_t)MIN((gint64)STORE_RAW_CHUNK,
					       size - off));
	while (*n < 0 && errno == EINTR);
	if (*n < 0 || (*n == 0 && off < size)) {
		store_set_error(st, "%s: %s (%" G_GINT64_FORMAT " of %"
				G_GINT64_FORMAT " bytes stored)", path,
				*n < 0 ? g_strerror(errno) : "file shrank",
				off, size);
		return TL_SOFTWARE;
	}
	return TL_OK;
}

/* An original of one chunk: one INSERT (one round trip, where a COPY
 * takes two). */
static tl_status
raw_insert_one(pg_db *db, gint64 id, const char *buf, ssize_t n)
{
	pg_params p = PG_PARAMS_INIT;
	tl_status rc;

	pg_p_int(&p, id);
	pg_p_int(&p, 0);
	pg_p_bytes(&p, buf, (int)n);
	rc = pg_prep(db, "raw", "INSERT INTO raw(submission_id, seq, bytes) "
		     "VALUES ($1, $2, $3)", &p, NULL);
	pg_params_clear(&p);
	return rc;
}

/* The rest of a longer original (the first chunk, N bytes, in BUF):
 * every chunk a row of one binary COPY, so PostgreSQL stores chunk K
 * while this reads chunk K+1 instead of answering each (photo mail is
 * mostly this; docs/performance.md).  One chunk in memory. */
static tl_status
raw_copy(store *st, pg_db *db, gint64 id, int fd, const char *path,
	 char *buf, ssize_t n, gint64 size)
{
	gint64 off = 0, seq = 0;
	tl_status rc;

	rc = pg_copy_begin(db, "raw", "COPY raw (submission_id, seq, bytes) "
			   "FROM STDIN (FORMAT binary)", 1);
	while (rc == TL_OK) {
		guint8 head[2 + 4 + 8 + 4 + 8 + 4], *h = head;

		h = pg_copy_int(h, 3, 2);		/* fields */
		h = pg_copy_int(h, 8, 4);
		h = pg_copy_int(h, (guint64)id, 8);
		h = pg_copy_int(h, 8, 4);
		h = pg_copy_int(h, (guint64)seq++, 8);
		pg_copy_int(h, (guint64)n, 4);
		if ((rc = pg_copy_put(db, "raw", head, sizeof head)) != TL_OK ||
		    (rc = pg_copy_put(db, "raw", buf, (size_t)n)) != TL_OK)
			return rc;
		fault_point("raw-chunk-sent");	/* tests/212 */
		off += n;
		if (off >= size)
			return pg_copy_end(db, "raw", 1, NULL);
		rc = raw_read(st, fd, path, buf, off, size, &n);
		if (rc != TL_OK) {
			/* cancelled: the message's savepoint undoes it */
			pg_copy_end(db, "raw", 1, "tipline: the original "
				    "could not be read");
			return rc;
		}
	}
	return rc;
}

/* The original at PATH (SIZE bytes) into raw rows of STORE_RAW_CHUNK
 * bytes: one chunk in memory. */
static tl_status
raw_insert(store *st, pg_db *db, gint64 id, const char *path, gint64 size)
{
	char *buf;
	tl_status rc;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		store_set_error(st, "%s: %s", path, g_strerror(errno));
		return TL_NOINPUT;
	}
	buf = g_malloc(STORE_RAW_CHUNK);
	if ((rc = raw_read(st, fd, path, buf, 0, size, &n)) == TL_OK)
		rc = n >= size ? raw_insert_one(db, id, buf, n) :
		     raw_copy(st, db, id, fd, path, buf, n, size);
	close(fd);
	g_free(buf);
	return rc;
}

/* The photo/video facts of attachment ATT_ID. */
static tl_status
attachment_media_insert(pg_db *db, gint64 att_id, const media_facts *f)
{
	pg_params p = PG_PARAMS_INIT;
	tl_status rc;

	if (f->format == NULL)
		return TL_OK;
	pg_p_int(&p, att_id);
	pg_p_text(&p, f->format);
	pg_p_text(&p, f->taken);
	pg_p_text(&p, f->make);
	pg_p_text(&p, f->model);
	pg_p_id_or_null(&p, f->width);
	pg_p_id_or_null(&p, f->height);
	pg_p_id_or_null(&p, f->orientation);
	p_double_or_null(&p, f->duration > 0, f->duration);
	pg_p_text(&p, f->gps_source);
	rc = pg_prep(db, "attachment media", "INSERT INTO attachment_media("
		     "attachment_id, format, taken, make, model, width, "
		     "height, orientation, duration_s, gps_source) VALUES "
		     "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", &p, NULL);
	pg_params_clear(&p);
	return rc;
}

static tl_status
attachments_insert(pg_db *db, gint64 id, const msg_submission *sub)
{
	tl_status rc = TL_OK;

	for (guint i = 0; sub->attachments != NULL &&
	     i < sub->attachments->len && rc == TL_OK; i++) {
		const msg_attachment *a = sub->attachments->pdata[i];
		pg_params p = PG_PARAMS_INIT;
		PGresult *res = NULL;

		pg_p_int(&p, id);
		pg_p_int(&p, i);
		pg_p_text(&p, a->part_path ? a->part_path : "");
		pg_p_text(&p, a->filename ? a->filename : "");
		pg_p_int(&p, a->name_generated);
		pg_p_text(&p, a->content_type ? a->content_type :
			  "application/octet-stream");
		pg_p_text(&p, a->disposition ? a->disposition : "attachment");
		pg_p_text(&p, a->content_id);
		pg_p_int(&p, a->size);
		pg_p_text(&p, a->sha256);
		pg_p_int(&p, a->forwarded_index);
		pg_p_int(&p, a->has_gps);
		p_double_or_null(&p, a->has_gps, a->gps_lat);
		p_double_or_null(&p, a->has_gps, a->gps_lon);
		pg_p_text(&p, a->danger);
		rc = pg_prep(db, "attachment", "INSERT INTO attachment("
			     "submission_id, idx, part_path, filename, "
			     "name_generated, content_type, disposition, "
			     "content_id, size, sha256, forwarded_idx, "
			     "has_gps, gps_lat, gps_lon, danger) VALUES ($1, "
			     "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
			     "$13, $14, $15) RETURNING id", &p, &res);
		if (rc == TL_OK)
			rc = attachment_media_insert(db, pg_int(res, 0, 0),
						     &a->media);
		PQclear(res);
		pg_params_clear(&p);
	}
	return rc;
}

static tl_status
forwarded_insert(pg_db *db, gint64 id, const msg_submission *sub)
{
	tl_status rc = TL_OK;

	for (guint i = 0; sub->forwarded != NULL &&
	     i < sub->forwarded->len && rc == TL_OK; i++) {
		const msg_forwarded *f = sub->forwarded->pdata[i];
		pg_params p = PG_PARAMS_INIT;

		pg_p_int(&p, id);
		pg_p_int(&p, i);
		pg_p_int(&p, f->depth > 0 ? f->depth : 1);
		pg_p_text(&p, f->from_name);
		pg_p_text(&p, f->from_addr);
		pg_p_text(&p, f->subject);
		pg_p_text(&p, f->date_utc);
		pg_p_text(&p, f->message_id);
		pg_p_text(&p, f->text ? f->text : "");
		rc = pg_prep(db, "forwarded", "INSERT INTO forwarded("
			     "submission_id, idx, depth, from_name, from_addr, "
			     "subject, date_utc, message_id, text) VALUES ($1, "
			     "$2, $3, $4, $5, $6, $7, $8, $9)", &p, NULL);
		pg_params_clear(&p);
	}
	return rc;
}

/* The converted TCVN3/VNI text, replacing any earlier one. */
static tl_status
legacy_store(pg_db *db, gint64 id, const msg_submission *sub)
{
	pg_params p = PG_PARAMS_INIT;
	tl_status rc;

	pg_p_int(&p, id);
	rc = pg_prep(db, "legacy_text", "DELETE FROM legacy_text WHERE "
		     "submission_id = $1", &p, NULL);
	if (rc != TL_OK || sub->legacy_text == NULL ||
	    sub->legacy_font_hint == NULL)
		goto out;
	pg_p_text(&p, sub->legacy_font_hint);
	pg_p_text(&p, sub->legacy_subject);
	pg_p_text(&p, sub->legacy_text);
	rc = pg_prep(db, "legacy_text", "INSERT INTO legacy_text("
		     "submission_id, font, subject, text) VALUES ($1, $2, $3, "
		     "$4)", &p, NULL);
out:
	pg_params_clear(&p);
	return rc;
}

#define SUBMISSION_COLUMNS \
	"status, content_hash, message_id, from_name, from_addr, subject," \
	" date_utc, date_offset_min, received_utc, in_reply_to, refs," \
	" parent_id, text, text_source, quote_offset, html, search_extra," \
	" is_auto_reply, is_bounce, is_spam, is_signed, is_encrypted," \
	" has_gps, charset_repaired, legacy_font_hint, dsn_summary," \
	" warnings, error, source, source_path, raw_size, attachment_count," \
	" queue_utc"
#define SUBMISSION_PARAMS \
	"$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15," \
	" $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28," \
	" $29, $30, $31, $32, $33"

/* The id comes from the identity column: ids are never given twice,
 * purged ones included (id_floor is for `tipline copy`).  A second
 * fetcher inserting the same message waits for the first one's
 * transaction and then inserts nothing: exactly once. */
static const char insert_sql[] =
	"INSERT INTO submission(" SUBMISSION_COLUMNS ") VALUES ("
	SUBMISSION_PARAMS ") ON CONFLICT (content_hash) DO NOTHING "
	"RETURNING id";

/* Reparse keeps where and when the message arrived (bound from the row
 * itself). */
static const char reparse_sql[] =
	"UPDATE submission SET (" SUBMISSION_COLUMNS ") = ROW("
	SUBMISSION_PARAMS ") WHERE id = $34";

/* The 33 values of SUBMISSION_COLUMNS, in order (store-write.c's
 * bind_submission). */
static void
p_submission(pg_params *p, const msg_submission *sub, const char *status,
	     const char *hash, const char *now, gint64 parent,
	     const char *extra, const char *warnings, const char *error,
	     const char *source, const char *path, gint64 raw_size,
	     const char *queued)
{
	pg_p_text(p, status);
	pg_p_text(p, hash);
	pg_p_text(p, sub->message_id);
	pg_p_text(p, sub->from_name);
	pg_p_text(p, sub->from_addr);
	pg_p_text(p, sub->subject);
	pg_p_text(p, sub->date_utc);
	pg_p_int(p, sub->date_offset_min);
	pg_p_text(p, now);
	pg_p_text(p, sub->in_reply_to);
	pg_p_text(p, sub->references);
	pg_p_id_or_null(p, parent);
	pg_p_text(p, sub->text ? sub->text : "");
	pg_p_text(p, sub->text_source);
	pg_p_int(p, sub->quote_offset);
	pg_p_text(p, sub->html);
	pg_p_text(p, extra);
	pg_p_int(p, sub->is_auto_reply);
	pg_p_int(p, sub->is_bounce);
	pg_p_int(p, sub->is_spam);
	pg_p_int(p, sub->is_signed);
	pg_p_int(p, sub->is_encrypted);
	pg_p_int(p, sub->has_gps);
	pg_p_int(p, sub->charset_repaired);
	pg_p_text(p, sub->legacy_font_hint);
	pg_p_text(p, sub->dsn_summary);
	pg_p_text(p, warnings);
	pg_p_text(p, error);
	pg_p_text(p, source);
	pg_p_text(p, path);
	pg_p_int(p, raw_size);
	pg_p_int(p, sub->attachments ? (gint64)sub->attachments->len : 0);
	pg_p_text(p, queued);
}

/* store_dup_find (store-dup-priv.h) on PostgreSQL; 0 on any error. */
static gint64
dup_find(pg_db *db, const char *sender, const char *key,
	 const char *queue_utc)
{
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	char *lo = NULL, *hi = NULL;
	gint64 id = 0;

	store_dup_window(queue_utc, &lo, &hi);
	if (sender == NULL || key == NULL || lo == NULL || hi == NULL)
		goto out;

	pg_p_text(&p, sender);
	pg_p_text(&p, key);
	pg_p_text(&p, lo);
	pg_p_text(&p, hi);
	if (pg_prep(db, "text_key", "SELECT submission_id FROM text_key "
		    "WHERE sender = lower($1) AND text_hash = $2 AND queue_utc "
		    "BETWEEN $3 AND $4 ORDER BY submission_id LIMIT 1", &p,
		    &res) == TL_OK && PQntuples(res) > 0)
		id = pg_int(res, 0, 0);
	PQclear(res);
	pg_params_clear(&p);
out:
	g_free(lo);
	g_free(hi);
	return id;
}

/* store_dup_record on PostgreSQL. */
static tl_status
dup_record(pg_db *db, gint64 id, const char *sender, const char *key,
	   const char *queue_utc, gint64 dup_of)
{
	pg_params p = PG_PARAMS_INIT;
	tl_status rc;

	if (sender == NULL || key == NULL)
		return TL_OK;
	pg_p_int(&p, id);
	pg_p_text(&p, sender);
	pg_p_text(&p, key);
	pg_p_text(&p, queue_utc);
	pg_p_id_or_null(&p, dup_of);
	rc = pg_prep(db, "text_key", "INSERT INTO text_key(submission_id, "
		     "sender, text_hash, queue_utc, duplicate_of) VALUES ($1, "
		     "lower($2), $3, $4, $5) ON CONFLICT (submission_id) DO "
		     "UPDATE SET sender = EXCLUDED.sender, text_hash = "
		     "EXCLUDED.text_hash, queue_utc = EXCLUDED.queue_utc, "
		     "duplicate_of = EXCLUDED.duplicate_of", &p, NULL);
	pg_params_clear(&p);
	return rc;
}

/* The desk's sort keys of submission ID from SUB's sender, replacing
 * any earlier ones (reparse): the same bytes as on SQLite. */
static tl_status
keys_put(store *st, pg_db *db, gint64 id, const msg_submission *sub)
{
	GByteArray *sender = g_byte_array_new(), *given = g_byte_array_new();
	pg_params p = PG_PARAMS_INIT;
	sort_keyer *k = store_sort_keyer(st);
	tl_status rc = TL_SOFTWARE;

	if (k == NULL)
		goto out;
	sort_keys_make(k, sub->from_name, sub->from_addr, sender, given);
	pg_p_int(&p, id);
	pg_p_bytes(&p, sender->data, (int)sender->len);
	pg_p_bytes(&p, given->data, (int)given->len);
	rc = pg_prep(db, "sort key", "INSERT INTO sort_key(submission_id, "
		     "sender, given) VALUES ($1, $2, $3) ON CONFLICT "
		     "(submission_id) DO UPDATE SET sender = EXCLUDED.sender, "
		     "given = EXCLUDED.given", &p, NULL);
	pg_params_clear(&p);
out:
	g_byte_array_unref(sender);
	g_byte_array_unref(given);
	return rc;
}

/* Everything of a new submission ID but its row. */
static tl_status
parts_insert(store *st, pg_db *db, gint64 id, const msg_submission *sub,
	     const char *raw_path, gint64 raw_size, const char *text_key,
	     const char *queued, gint64 dup, queue_status status,
	     const char *source, const store_source *src)
{
	char *editor = store_editor_name();
	tl_status rc;

	if ((rc = raw_insert(st, db, id, raw_path, raw_size)) == TL_OK &&
	    (rc = attachments_insert(db, id, sub)) == TL_OK &&
	    (rc = forwarded_insert(db, id, sub)) == TL_OK &&
	    (rc = dup_record(db, id, sub->from_addr, text_key, queued,
			     dup)) == TL_OK &&
	    (rc = keys_put(st, db, id, sub)) == TL_OK &&
	    (rc = store_audit(st, id, editor, AUDIT_INGEST, NULL,
			      queue_status_name(status),
			      src->mailbox ? source : src->path)) == TL_OK)
		rc = legacy_store(db, id, sub);
	g_free(editor);
	return rc;
}

tl_status
pg_submission_insert(store *st, const msg_submission *sub,
		     const char *raw_path, gint64 raw_size,
		     const char *content_hash, const store_source *src,
		     queue_status status, const char *error, gint64 *id_out,
		     gint64 *dup_of)
{
	pg_db *db = store_pg(st);
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	char *now = store_now_utc(), *extra = store_values_search_extra(sub);
	const char *queued = store_values_queue_time(sub->date_utc, now);
	char *text_key = store_dup_text_key(sub), *warnings, *source;
	gint64 id, twin = 0, dup = 0;
	tl_status rc;

	*id_out = 0;
	*dup_of = 0;
	source = src->mailbox ? g_strdup_printf("imap:%s", src->mailbox)
			      : g_strdup("file");
	if (sub->message_id != NULL && sub->from_addr != NULL)
		twin = by_message_id(db, sub->message_id, sub->from_addr);
	if (twin == 0)
		dup = dup_find(db, sub->from_addr, text_key, queued);
	warnings = store_values_warnings(sub, twin, dup, queued, now);
	if (twin > 0)
		dup = twin;
	p_submission(&p, sub, queue_status_name(status), content_hash, now,
		     find_parent(db, sub), extra, warnings, error, source,
		     src->path, raw_size, queued);
	if ((rc = pg_prep(db, "submission", insert_sql, &p, &res)) != TL_OK)
		goto out;
	if (PQntuples(res) == 0) {
		*dup_of = store_find_by_hash(st, content_hash);
		goto out;
	}
	id = pg_int(res, 0, 0);
	store_index_later(st, id);
	rc = parts_insert(st, db, id, sub, raw_path, raw_size, text_key,
			  queued, dup, status, source, src);
	if (rc == TL_OK)
		*id_out = id;
out:
	PQclear(res);
	pg_params_clear(&p);
	g_free(now);
	g_free(extra);
	g_free(warnings);
	g_free(source);
	g_free(text_key);
	return rc;
}

tl_status
pg_submission_reparse(store *st, gint64 id, const msg_submission *sub,
		      queue_status status, const char *error)
{
	pg_db *db = store_pg(st);
	pg_params p = PG_PARAMS_INIT;
	PGresult *old = NULL;
	char *extra = store_values_search_extra(sub);
	char *warnings = store_values_warnings(sub, 0, 0, NULL, NULL);
	const char *received;
	tl_status rc;

	pg_p_int(&p, id);
	rc = pg_run(db, "reparse", "SELECT content_hash, received_utc, "
		    "source, source_path, raw_size FROM submission WHERE "
		    "id = $1", &p, &old);
	pg_params_clear(&p);
	if (rc != TL_OK)
		goto out;
	if (PQntuples(old) == 0) {
		store_set_error(st, "#%" G_GINT64_FORMAT ": no such submission",
				id);
		rc = TL_DATA;
		goto out;
	}
	received = pg_text(old, 0, 1);
	p_submission(&p, sub, queue_status_name(status), pg_text(old, 0, 0),
		     received, find_parent(db, sub), extra, warnings, error,
		     pg_text(old, 0, 2), pg_text(old, 0, 3), pg_int(old, 0, 4),
		     store_values_queue_time(sub->date_utc, received));
	pg_p_int(&p, id);
	if ((rc = pg_run(db, "reparse", reparse_sql, &p, NULL)) != TL_OK ||
	    (rc = keys_put(st, db, id, sub)) != TL_OK)
		goto out;
	pg_params_clear(&p);
	/* The parts may change: their media facts and previews go with
	 * them (ON DELETE CASCADE) and are made again. */
	pg_p_int(&p, id);
	if ((rc = pg_run(db, "reparse", "DELETE FROM attachment WHERE "
			 "submission_id = $1", &p, NULL)) != TL_OK ||
	    (rc = pg_run(db, "reparse", "DELETE FROM forwarded WHERE "
			 "submission_id = $1", &p, NULL)) != TL_OK)
		goto out;
	if ((rc = attachments_insert(db, id, sub)) == TL_OK &&
	    (rc = forwarded_insert(db, id, sub)) == TL_OK)
		rc = legacy_store(db, id, sub);
out:
	PQclear(old);
	pg_params_clear(&p);
	g_free(extra);
	g_free(warnings);
	return rc;
}

/* The content hash and size recorded for submission ID's original (as
 * rewritten by tipline, if it was): TL_OK and *found. */
static tl_status
raw_expected(pg_db *db, gint64 id, char hash[65], gint64 *size,
	     int *found)
{
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	tl_status rc;

	*found = 0;
	pg_p_int(&p, id);
	rc = pg_run(db, "raw", "SELECT coalesce(w.stored_hash, "
		    "s.content_hash), coalesce(w.stored_size, s.raw_size) "
		    "FROM submission s LEFT JOIN raw_rewritten w ON "
		    "w.submission_id = s.id WHERE s.id = $1", &p, &res);
	if (rc == TL_OK && PQntuples(res) == 1 && pg_text(res, 0, 0)) {
		g_strlcpy(hash, pg_text(res, 0, 0), 65);
		*size = pg_int(res, 0, 1);
		*found = 1;
	}
	PQclear(res);
	pg_params_clear(&p);
	return rc;
}

/* Every raw chunk of ID through FN and H in order of seq, one chunk
 * (one statement, a binary result) at a time; *size counts the bytes. */
static tl_status
raw_chunks(pg_db *db, gint64 id, hash_content *h, store_raw_fn fn,
	   void *data, gint64 *size)
{
	gint64 seq = -1;
	tl_status rc = TL_OK;
	int enough = 0;

	for (;;) {
		pg_params p = PG_PARAMS_INIT;
		PGresult *res = NULL;
		const char *bytes;
		int n;

		pg_p_int(&p, id);
		pg_p_int(&p, seq);
		/* seq as text: a binary integer would come in network
		 * order. */
		rc = pg_run_binary(db, "raw read", "SELECT seq::text, bytes "
				   "FROM raw WHERE submission_id = $1 AND "
				   "seq > $2 ORDER BY seq LIMIT 1", &p, &res);
		pg_params_clear(&p);
		if (rc != TL_OK || PQntuples(res) == 0) {
			PQclear(res);
			break;
		}
		seq = g_ascii_strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		bytes = PQgetvalue(res, 0, 1);
		n = PQgetlength(res, 0, 1);
		hash_content_update(h, bytes, (size_t)n);
		*size += n;
		if (!enough)
			rc = fn(bytes, (size_t)n, data, &enough);
		PQclear(res);
		if (rc != TL_OK)
			break;
	}
	return rc;
}

tl_status
pg_raw_read(store *st, gint64 id, store_raw_fn fn, void *data)
{
	pg_db *db = store_pg(st);
	hash_content *h = NULL;
	char want[65], got[65];
	gint64 want_size = 0, size = 0;
	int found = 0, own_tx;
	tl_status rc;

	/* The chunks are read by several statements: one snapshot for all
	 * of them, unless the caller's transaction is the snapshot. */
	own_tx = PQtransactionStatus(db->conn) == PQTRANS_IDLE;
	if (own_tx && (rc = pg_exec(db, "raw read", "BEGIN ISOLATION LEVEL "
				    "REPEATABLE READ READ ONLY")) != TL_OK)
		return rc;
	if ((rc = raw_expected(db, id, want, &want_size, &found)) != TL_OK)
		goto out;
	if (!found) {
		store_set_error(st, "#%" G_GINT64_FORMAT ": no such submission",
				id);
		rc = TL_DATA;
		goto out;
	}
	h = hash_content_new();
	rc = raw_chunks(db, id, h, fn, data, &size);
	hash_content_finish(h, got);
	if (rc != TL_OK)
		goto out;
	if (size == 0 && want_size > 0) {
		/* No rows: purge removed an original it could not redact
		 * (QA F41), or they were deleted by hand. */
		store_set_error(st, "#%" G_GINT64_FORMAT ": its original "
				"message is no longer stored (see its "
				"warnings)", id);
		rc = TL_DATA;
	} else if (!store_values_raw_matches(want, want_size, got, size)) {
		store_set_error(st, "#%" G_GINT64_FORMAT ": the stored "
			"original is damaged: its %" G_GINT64_FORMAT " bytes "
			"no longer match the content hash and size recorded "
			"when it arrived (%" G_GINT64_FORMAT " bytes); restore "
			"the database from a backup (docs/operations.md)", id,
			size, want_size);
		rc = TL_DATA;
	}
out:
	if (own_tx)
		pg_exec(db, "raw read", "COMMIT");
	return rc;
}

tl_status
pg_raw_replace(store *st, gint64 id, const void *bytes, size_t len)
{
	pg_db *db = store_pg(st);
	pg_params p = PG_PARAMS_INIT;
	hash_content *h = hash_content_new();
	const char *at = bytes;
	char hex[65], *now = store_now_utc();
	tl_status rc;
	gint64 seq = 0;

	pg_p_int(&p, id);
	rc = pg_run(db, "rewrite original", "DELETE FROM raw WHERE "
		    "submission_id = $1", &p, NULL);
	pg_params_clear(&p);
	/* One chunk even when empty: every submission has its original. */
	while (rc == TL_OK) {
		size_t n = MIN((size_t)STORE_RAW_CHUNK, len);

		hash_content_update(h, at, n);
		pg_p_int(&p, id);
		pg_p_int(&p, seq++);
		pg_p_bytes(&p, at, (int)n);
		rc = pg_run(db, "rewrite original", "INSERT INTO raw("
			    "submission_id, seq, bytes) VALUES ($1, $2, $3)",
			    &p, NULL);
		pg_params_clear(&p);
		at += n;
		len -= n;
		if (len == 0)
			break;
	}
	hash_content_finish(h, hex);
	if (rc != TL_OK)
		goto out;
	pg_p_int(&p, id);
	pg_p_text(&p, hex);
	pg_p_int(&p, (gint64)(at - (const char *)bytes));
	pg_p_text(&p, now);
	rc = pg_run(db, "rewrite original", "INSERT INTO raw_rewritten("
		    "submission_id, stored_hash, stored_size, rewritten_utc) "
		    "VALUES ($1, $2, $3, $4) ON CONFLICT (submission_id) DO "
		    "UPDATE SET stored_hash = EXCLUDED.stored_hash, "
		    "stored_size = EXCLUDED.stored_size, rewritten_utc = "
		    "EXCLUDED.rewritten_utc", &p, NULL);
	pg_params_clear(&p);
out:
	g_free(now);
	return rc;
}

