/* store-write.c - a parsed submission and its raw bytes into the store,
 * and the raw bytes back out, both streamed in fixed-size chunks so memory
 * does not grow with the message (a reader's 50 MB video). */
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
#include "originals-priv.h"

#define RAW_CHUNK STORE_RAW_CHUNK

/* The earlier submission from the same sender that this one answers
 * (In-Reply-To first, then References from the nearest), or 0. */
static gint64
find_parent(store *st, const msg_submission *sub)
{
	sqlite3_stmt *q = NULL;
	char **refs = NULL;
	GPtrArray *ids = g_ptr_array_new();
	gint64 parent = 0;

	if (sub->in_reply_to != NULL)
		g_ptr_array_add(ids, sub->in_reply_to);
	if (sub->references != NULL) {
		refs = g_strsplit(sub->references, " ", -1);
		for (int i = g_strv_length(refs) - 1; i >= 0; i--)
			if (*refs[i] != '\0')
				g_ptr_array_add(ids, refs[i]);
	}
	/* Only the same sender continues a thread: anyone who learns a
	 * tip's Message-ID could otherwise slip a "follow-up" (retract,
	 * publish my name) into a source's thread, where it is folded away
	 * (QA F15). A reply from another address stays a submission of its
	 * own. */
	if (ids->len > 0 && sub->from_addr != NULL &&
	    (q = store_stmt(st, "SELECT id FROM submission WHERE "
	    "message_id = ? AND lower(from_addr) = lower(?) ORDER BY id "
	    "LIMIT 1")) != NULL) {
		for (guint i = 0; i < ids->len && parent == 0; i++) {
			sqlite3_reset(q);
			sqlite3_bind_text(q, 1, ids->pdata[i], -1,
					  SQLITE_STATIC);
			sqlite3_bind_text(q, 2, sub->from_addr, -1,
					  SQLITE_STATIC);
			if (sqlite3_step(q) == SQLITE_ROW)
				parent = sqlite3_column_int64(q, 0);
		}
	}
	if (q != NULL)
		sqlite3_reset(q);
	g_ptr_array_free(ids, TRUE);
	g_strfreev(refs);
	return parent;
}

static void
bind_text_or_null(sqlite3_stmt *q, int i, const char *s)
{
	if (s != NULL)
		sqlite3_bind_text(q, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(q, i);
}

/* Copy the file at PATH into the raw chunks of submission ID, RAW_CHUNK
 * bytes a row in order of seq. A single zeroblob() row filled with
 * sqlite3_blob_write() wrote every page of a large message to the WAL
 * twice (once zeroed, when the page cache spilled, then filled); rows of
 * a fixed size are written once and need only one chunk in memory. An
 * empty message gets one empty chunk: every submission has its original. */
static tl_status
raw_rows_insert(store *st, gint64 id, const char *path, gint64 size)
{
	sqlite3_stmt *q = NULL;
	char *buf = NULL;
	gint64 off = 0, seq = 0;
	tl_status rc = TL_OK;
	int fd;
	ssize_t n;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		store_set_error(st, "%s: %s", path, g_strerror(errno));
		return TL_NOINPUT;
	}
	if ((q = store_stmt(st, "INSERT INTO raw(submission_id, seq, bytes) "
			    "VALUES (?, ?, ?)")) == NULL) {
		rc = store_fail(st, "raw");
		goto out;
	}
	buf = g_malloc(RAW_CHUNK);
	do {
		n = read(fd, buf, (size_t)MIN((gint64)RAW_CHUNK, size - off));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (n == 0 && off < size)) {
			/* The file changed under us: refuse rather than
			 * keep a truncated original. */
			store_set_error(st, "%s: %s (%" G_GINT64_FORMAT " of %"
				G_GINT64_FORMAT " bytes stored)", path,
				n < 0 ? g_strerror(errno) : "file shrank",
				off, size);
			rc = TL_SOFTWARE;
			break;
		}
		sqlite3_reset(q);
		sqlite3_bind_int64(q, 1, id);
		sqlite3_bind_int64(q, 2, seq++);
		sqlite3_bind_blob(q, 3, buf, (int)n, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_DONE) {
			rc = store_fail(st, "raw");
			break;
		}
		off += n;
	} while (off < size);
out:
	close(fd);
	g_free(buf);
	if (q != NULL)
		sqlite3_reset(q);
	return rc;
}

/* The original of submission ID from the file at PATH (SIZE bytes): a
 * file of its own when it is large (originals-priv.h: written once, not
 * into the WAL and again at the checkpoint), else raw rows.  SRC->taken
 * as store.h says. */
static tl_status
raw_insert(store *st, gint64 id, const char *path, gint64 size,
	   const store_source *src)
{
	gboolean taken = FALSE;
	tl_status rc;

	if (size < orig_file_min())
		return raw_rows_insert(st, id, path, size);
	rc = orig_put_path(st, id, path, size, src->taken != NULL, &taken);
	if (taken)
		*src->taken = TRUE;
	return rc;
}

static void
bind_uint_or_null(sqlite3_stmt *q, int col, gint64 v)
{
	if (v > 0)
		sqlite3_bind_int64(q, col, v);
	else
		sqlite3_bind_null(q, col);
}

/* The photo/video facts of the attachment just inserted as row ATT_ID. */
static tl_status
attachment_media_insert(store *st, gint64 att_id, const media_facts *f)
{
	sqlite3_stmt *q = NULL;

	if (f->format == NULL)
		return TL_OK;
	if ((q = store_stmt(st, "INSERT INTO attachment_media("
	    "attachment_id, format, taken, make, model, width, height, "
	    "orientation, duration_s, gps_source) VALUES "
	    "(?,?,?,?,?,?,?,?,?,?)")) == NULL)
		return store_fail(st, "attachment media");
	sqlite3_reset(q);
	sqlite3_bind_int64(q, 1, att_id);
	bind_text_or_null(q, 2, f->format);
	bind_text_or_null(q, 3, f->taken);
	bind_text_or_null(q, 4, f->make);
	bind_text_or_null(q, 5, f->model);
	bind_uint_or_null(q, 6, f->width);
	bind_uint_or_null(q, 7, f->height);
	bind_uint_or_null(q, 8, f->orientation);
	if (f->duration > 0)
		sqlite3_bind_double(q, 9, f->duration);
	else
		sqlite3_bind_null(q, 9);
	bind_text_or_null(q, 10, f->gps_source);
	if (sqlite3_step(q) != SQLITE_DONE) {
		sqlite3_reset(q);
		return store_fail(st, "attachment media");
	}
	sqlite3_reset(q);
	return TL_OK;
}

static tl_status
attachments_insert(store *st, gint64 id, const msg_submission *sub)
{
	sqlite3_stmt *q = NULL;
	tl_status rc = TL_OK;

	if (sub->attachments == NULL || sub->attachments->len == 0)
		return TL_OK;
	if ((q = store_stmt(st, "INSERT INTO attachment("
	    "submission_id, idx, part_path, filename, name_generated, "
	    "content_type, disposition, content_id, size, sha256, "
	    "forwarded_idx, has_gps, gps_lat, gps_lon, danger) VALUES "
	    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) == NULL)
		return store_fail(st, "attachment");
	for (guint i = 0; i < sub->attachments->len && rc == TL_OK; i++) {
		const msg_attachment *a = sub->attachments->pdata[i];

		sqlite3_reset(q);
		sqlite3_bind_int64(q, 1, id);
		sqlite3_bind_int(q, 2, (int)i);
		bind_text_or_null(q, 3, a->part_path ? a->part_path : "");
		bind_text_or_null(q, 4, a->filename ? a->filename : "");
		sqlite3_bind_int(q, 5, a->name_generated);
		bind_text_or_null(q, 6, a->content_type ? a->content_type :
				  "application/octet-stream");
		bind_text_or_null(q, 7, a->disposition ? a->disposition :
				  "attachment");
		bind_text_or_null(q, 8, a->content_id);
		sqlite3_bind_int64(q, 9, a->size);
		bind_text_or_null(q, 10, a->sha256);
		sqlite3_bind_int(q, 11, a->forwarded_index);
		sqlite3_bind_int(q, 12, a->has_gps);
		if (a->has_gps) {
			sqlite3_bind_double(q, 13, a->gps_lat);
			sqlite3_bind_double(q, 14, a->gps_lon);
		} else {
			sqlite3_bind_null(q, 13);
			sqlite3_bind_null(q, 14);
		}
		bind_text_or_null(q, 15, a->danger);
		if (sqlite3_step(q) != SQLITE_DONE)
			rc = store_fail(st, "attachment");
		else
			rc = attachment_media_insert(st,
			    sqlite3_last_insert_rowid(store_db(st)),
			    &a->media);
	}
	sqlite3_reset(q);
	return rc;
}

static tl_status
forwarded_insert(store *st, gint64 id, const msg_submission *sub)
{
	sqlite3_stmt *q = NULL;
	tl_status rc = TL_OK;

	if (sub->forwarded == NULL || sub->forwarded->len == 0)
		return TL_OK;
	if ((q = store_stmt(st, "INSERT INTO forwarded("
	    "submission_id, idx, depth, from_name, from_addr, subject, "
	    "date_utc, message_id, text) VALUES (?,?,?,?,?,?,?,?,?)")) == NULL)
		return store_fail(st, "forwarded");
	for (guint i = 0; i < sub->forwarded->len && rc == TL_OK; i++) {
		const msg_forwarded *f = sub->forwarded->pdata[i];

		sqlite3_reset(q);
		sqlite3_bind_int64(q, 1, id);
		sqlite3_bind_int(q, 2, (int)i);
		sqlite3_bind_int(q, 3, f->depth > 0 ? f->depth : 1);
		bind_text_or_null(q, 4, f->from_name);
		bind_text_or_null(q, 5, f->from_addr);
		bind_text_or_null(q, 6, f->subject);
		bind_text_or_null(q, 7, f->date_utc);
		bind_text_or_null(q, 8, f->message_id);
		bind_text_or_null(q, 9, f->text ? f->text : "");
		if (sqlite3_step(q) != SQLITE_DONE)
			rc = store_fail(st, "forwarded");
	}
	sqlite3_reset(q);
	return rc;
}

/* The converted TCVN3/VNI text beside the text as sent (schema.sql
 * legacy_text), replacing any earlier one (reparse); none when SUB has
 * none. */
static tl_status
legacy_store(store *st, gint64 id, const msg_submission *sub)
{
	sqlite3_stmt *q;
	tl_status rc = TL_OK;

	if ((q = store_stmt(st, "DELETE FROM legacy_text WHERE "
	    "submission_id = ?")) == NULL)
		return store_fail(st, "legacy_text");
	sqlite3_bind_int64(q, 1, id);
	if (sqlite3_step(q) != SQLITE_DONE)
		rc = store_fail(st, "legacy_text");
	sqlite3_reset(q);
	if (rc != TL_OK || sub->legacy_text == NULL ||
	    sub->legacy_font_hint == NULL)
		return rc;
	if ((q = store_stmt(st, "INSERT INTO legacy_text("
	    "submission_id, font, subject, text) VALUES (?,?,?,?)")) == NULL)
		return store_fail(st, "legacy_text");
	sqlite3_bind_int64(q, 1, id);
	bind_text_or_null(q, 2, sub->legacy_font_hint);
	bind_text_or_null(q, 3, sub->legacy_subject);
	bind_text_or_null(q, 4, sub->legacy_text);
	if (sqlite3_step(q) != SQLITE_DONE)
		rc = store_fail(st, "legacy_text");
	sqlite3_reset(q);
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
	"?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?"

/* The id is one above any id ever given, purged ones included (id_floor,
 * see schema.sql), so an id always names the same submission. */
static const char insert_sql[] =
	"INSERT INTO submission(id, " SUBMISSION_COLUMNS ") VALUES ("
	"1 + max(coalesce((SELECT max(id) FROM submission), 0), "
	"coalesce((SELECT max(max_id) FROM id_floor), 0)), "
	SUBMISSION_PARAMS ") ON CONFLICT(content_hash) DO NOTHING";

/* Reparse keeps where and when the message arrived: those are bound from
 * the row itself (see store_submission_reparse). */
static const char reparse_sql[] =
	"UPDATE submission SET (" SUBMISSION_COLUMNS ") = ("
	SUBMISSION_PARAMS ") WHERE id = ?";

/* An earlier submission with SUB's Message-ID from the same sender, or 0.
 * Message-ID alone never makes a duplicate (it can be missing, and
 * different messages share one), and a tip sent to two newsroom addresses
 * arrives with different trace headers, so a different content hash: such
 * a twin is stored and flagged for the editor (QA F29). */
static gint64
same_message_id(store *st, const msg_submission *sub)
{
	sqlite3_stmt *q;
	gint64 id = 0;

	if (sub->message_id == NULL || sub->from_addr == NULL ||
	    (q = store_stmt(st, "SELECT id FROM submission WHERE "
	    "message_id = ? AND lower(from_addr) = lower(?) ORDER BY id "
	    "LIMIT 1")) == NULL)
		return 0;
	sqlite3_bind_text(q, 1, sub->message_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, sub->from_addr, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW)
		id = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return id;
}

static void
bind_submission(sqlite3_stmt *q, const msg_submission *sub, const char *status,
		const char *hash, const char *now, gint64 parent, char *extra,
		char *warnings, const char *error, const char *source,
		const store_source *src, gint64 raw_size,
		const char *queued)
{
	int i = 1;

	bind_text_or_null(q, i++, status);
	bind_text_or_null(q, i++, hash);
	bind_text_or_null(q, i++, sub->message_id);
	bind_text_or_null(q, i++, sub->from_name);
	bind_text_or_null(q, i++, sub->from_addr);
	bind_text_or_null(q, i++, sub->subject);
	bind_text_or_null(q, i++, sub->date_utc);
	sqlite3_bind_int(q, i++, sub->date_offset_min);
	bind_text_or_null(q, i++, now);
	bind_text_or_null(q, i++, sub->in_reply_to);
	bind_text_or_null(q, i++, sub->references);
	if (parent > 0)
		sqlite3_bind_int64(q, i++, parent);
	else
		sqlite3_bind_null(q, i++);
	bind_text_or_null(q, i++, sub->text ? sub->text : "");
	bind_text_or_null(q, i++, sub->text_source);
	sqlite3_bind_int64(q, i++, sub->quote_offset);
	bind_text_or_null(q, i++, sub->html);
	bind_text_or_null(q, i++, extra);
	sqlite3_bind_int(q, i++, sub->is_auto_reply);
	sqlite3_bind_int(q, i++, sub->is_bounce);
	sqlite3_bind_int(q, i++, sub->is_spam);
	sqlite3_bind_int(q, i++, sub->is_signed);
	sqlite3_bind_int(q, i++, sub->is_encrypted);
	sqlite3_bind_int(q, i++, sub->has_gps);
	sqlite3_bind_int(q, i++, sub->charset_repaired);
	bind_text_or_null(q, i++, sub->legacy_font_hint);
	bind_text_or_null(q, i++, sub->dsn_summary);
	bind_text_or_null(q, i++, warnings);
	bind_text_or_null(q, i++, error);
	bind_text_or_null(q, i++, source);
	bind_text_or_null(q, i++, src->path);
	sqlite3_bind_int64(q, i++, raw_size);
	sqlite3_bind_int(q, i++, sub->attachments ? (int)sub->attachments->len
			 : 0);
	bind_text_or_null(q, i++, queued);
}

/* The desk's sort keys of submission ID from SUB's sender, replacing
 * any earlier ones (reparse). */
static tl_status
keys_put(store *st, gint64 id, const msg_submission *sub)
{
	sort_keyer *k = store_sort_keyer(st);
	sqlite3_stmt *q;
	int r;

	if (k == NULL)
		return TL_SOFTWARE;
	q = store_stmt(st, sort_key_insert_sql);
	r = q == NULL ? SQLITE_ERROR : sort_key_put(q, k, id, sub->from_name,
						    sub->from_addr);
	return r == SQLITE_OK ? TL_OK : store_fail(st, "sort key");
}

tl_status
store_submission_insert(store *st, const msg_submission *sub,
			const char *raw_path, gint64 raw_size,
			const char *content_hash, const store_source *src,
			queue_status status, const char *error, gint64 *id_out,
			gint64 *dup_of)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *q = NULL;
	char *now = NULL, *extra = NULL;
	char *warnings = NULL, *source, *editor = NULL;
	gint64 id = 0, twin, dup = 0;
	const char *queued;
	char *text_key = NULL;
	tl_status rc = TL_OK;

	if (store_pg(st) != NULL)
		return pg_submission_insert(st, sub, raw_path, raw_size,
					    content_hash, src, status, error,
					    id_out, dup_of);
	now = store_now_utc();
	extra = store_values_search_extra(sub);
	/* Computed once: it parses and formats times. */
	queued = store_values_queue_time(sub->date_utc, now);
	text_key = store_dup_text_key(sub);
	*id_out = 0;
	*dup_of = 0;
	source = src->mailbox ? g_strdup_printf("imap:%s", src->mailbox)
			      : g_strdup("file");
	if ((twin = same_message_id(st, sub)) == 0)
		dup = store_dup_find(st, sub->from_addr, text_key, queued);
	warnings = store_values_warnings(sub, twin, dup, queued, now);
	if (twin > 0)
		dup = twin;
	if ((q = store_stmt(st, insert_sql)) == NULL) {
		rc = store_fail(st, "submission");
		goto out;
	}
	bind_submission(q, sub, queue_status_name(status), content_hash, now,
			find_parent(st, sub), extra, warnings, error, source,
			src, raw_size, queued);
	if (sqlite3_step(q) != SQLITE_DONE) {
		rc = store_fail(st, "submission");
		goto out;
	}
	if (sqlite3_changes(db) == 0) {
		*dup_of = store_find_by_hash(st, content_hash);
		goto out;
	}
	id = sqlite3_last_insert_rowid(db);
	store_index_later(st, id);
	store_sort_keys_later(st, id);
	editor = store_editor_name();
	/* The original last: once a spool file is renamed into the
	 * originals folder, nothing may fail for a reason of the message's
	 * own (the caller would store it raw as quarantined from the same
	 * path). */
	if ((rc = attachments_insert(st, id, sub)) != TL_OK ||
	    (rc = forwarded_insert(st, id, sub)) != TL_OK ||
	    (rc = store_dup_record(st, id, sub->from_addr, text_key, queued,
				   dup)) != TL_OK ||
	    (rc = store_audit(st, id, editor, AUDIT_INGEST, NULL,
			      queue_status_name(status),
			      src->mailbox ? source : src->path)) != TL_OK ||
	    (rc = legacy_store(st, id, sub)) != TL_OK ||
	    (rc = raw_insert(st, id, raw_path, raw_size, src)) != TL_OK)
		goto out;
	*id_out = id;
out:
	if (q != NULL)
		sqlite3_reset(q);
	g_free(now);
	g_free(extra);
	g_free(warnings);
	g_free(source);
	g_free(editor);
	g_free(text_key);
	return rc;
}

/* The content hash and size recorded for submission ID's original (as
 * rewritten by tipline, if it was), or FALSE. */
static gboolean
raw_expected(store *st, gint64 id, char hash[65], gint64 *size)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT coalesce(w.stored_hash, "
		"s.content_hash), coalesce(w.stored_size, s.raw_size) FROM "
		"submission s LEFT JOIN raw_rewritten w ON w.submission_id = "
		"s.id WHERE s.id = ?");
	gboolean found = FALSE;

	/* A database made by a build of this schema version from before
	 * raw_rewritten has no rewritten originals. */
	if (q == NULL)
		q = store_stmt(st, "SELECT content_hash, raw_size FROM "
			       "submission WHERE id = ?");
	if (q == NULL)
		return FALSE;
	sqlite3_bind_int64(q, 1, id);
	if (sqlite3_step(q) == SQLITE_ROW &&
	    sqlite3_column_type(q, 0) == SQLITE_TEXT) {
		g_strlcpy(hash, (const char *)sqlite3_column_text(q, 0), 65);
		*size = sqlite3_column_int64(q, 1);
		found = TRUE;
	}
	sqlite3_reset(q);
	return found;
}

/* Feed submission ID's raw rows through FN, into H and *size. */
static tl_status
raw_rows_read(store *st, gint64 id, store_raw_fn fn, void *data,
	      hash_content *h, gint64 *size)
{
	sqlite3_stmt *q;
	tl_status rc = TL_OK;
	int r, enough = 0;

	q = store_stmt(st, "SELECT bytes FROM raw WHERE submission_id = ? "
		       "ORDER BY seq");
	if (q == NULL)
		return store_fail(st, "raw");
	sqlite3_bind_int64(q, 1, id);
	while (rc == TL_OK && (r = sqlite3_step(q)) == SQLITE_ROW) {
		const char *p = sqlite3_column_blob(q, 0);
		int n = sqlite3_column_bytes(q, 0);

		hash_content_update(h, p, (size_t)n);
		*size += n;
		if (!enough)
			rc = fn(p, (size_t)n, data, &enough);
	}
	if (rc == TL_OK && r != SQLITE_DONE)
		rc = store_fail(st, "raw read");
	sqlite3_reset(q);
	return rc;
}

tl_status
store_raw_read(store *st, gint64 id, store_raw_fn fn, void *data)
{
	hash_content *h = NULL;
	char want[65], got[65], *name = NULL;
	gint64 want_size = 0, size = 0, file_size = 0;
	tl_status rc;

	if (store_pg(st) != NULL)
		return pg_raw_read(st, id, fn, data);
	if (!raw_expected(st, id, want, &want_size)) {
		store_set_error(st, "#%" G_GINT64_FORMAT ": no such submission",
				id);
		return TL_DATA;
	}
	if ((rc = orig_lookup(st, id, &name, &file_size)) != TL_OK)
		return rc;
	h = hash_content_new();
	/* A large original is a file of its own, read and checked in the
	 * same pieces as the rows (originals-priv.h). */
	if (name != NULL)
		rc = orig_read(st, id, name, fn, data, h, &size);
	else
		rc = raw_rows_read(st, id, fn, data, h, &size);
	g_free(name);
	hash_content_finish(h, got);
	if (rc == TL_OK && size == 0 && want_size > 0) {
		/* No rows: purge removed an original it could not redact
		 * (QA F41), or they were deleted by hand. */
		store_set_error(st, "#%" G_GINT64_FORMAT ": its original "
				"message is no longer stored (see its "
				"warnings)", id);
		return TL_DATA;
	}
	/* The original is the evidence: bytes changed on disk since it
	 * arrived (a bad sector, a hand edit) must never pass unnoticed. */
	if (rc == TL_OK &&
	    !store_values_raw_matches(want, want_size, got, size)) {
		store_set_error(st, "#%" G_GINT64_FORMAT ": the stored "
			"original is damaged: its %" G_GINT64_FORMAT " bytes "
			"no longer match the content hash and size recorded "
			"when it arrived (%" G_GINT64_FORMAT " bytes); restore "
			"the database from a backup (docs/operations.md)", id,
			size, want_size);
		rc = TL_DATA;
	}
	return rc;
}

/* LEN BYTES as submission ID's original file (store_raw_replace). */
static tl_status
raw_replace_file(store *st, gint64 id, const char *bytes, size_t len)
{
	orig_writer *w = NULL;
	tl_status rc;

	if ((rc = orig_writer_open(st, &w)) != TL_OK)
		return rc;
	if ((rc = orig_writer_write(w, bytes, len)) != TL_OK) {
		orig_writer_abort(w);
		return rc;
	}
	return orig_writer_finish(w, id);
}

/* LEN BYTES as submission ID's raw rows (store_raw_replace); one chunk
 * even when empty: every submission has its original. */
static tl_status
raw_replace_rows(store *st, gint64 id, const char *p, size_t len)
{
	sqlite3_stmt *q = NULL;
	tl_status rc = TL_OK;
	gint64 seq = 0;

	if (sqlite3_prepare_v2(store_db(st), "INSERT INTO raw(submission_id,"
			       " seq, bytes) VALUES (?, ?, ?)", -1, &q, NULL)
	    != SQLITE_OK)
		return store_fail(st, "rewrite original");
	do {
		size_t n = MIN((size_t)RAW_CHUNK, len);

		sqlite3_reset(q);
		sqlite3_bind_int64(q, 1, id);
		sqlite3_bind_int64(q, 2, seq++);
		sqlite3_bind_blob(q, 3, p, (int)n, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_DONE) {
			rc = store_fail(st, "rewrite original");
			break;
		}
		p += n;
		len -= n;
	} while (len > 0);
	sqlite3_finalize(q);
	return rc;
}

tl_status
store_raw_replace(store *st, gint64 id, const void *bytes, size_t len)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *q = NULL;
	hash_content *h = NULL;
	char hex[65], *now = NULL;
	tl_status rc = TL_OK;

	if (store_pg(st) != NULL)
		return pg_raw_replace(st, id, bytes, len);
	h = hash_content_new();
	hash_content_update(h, bytes, len);
	hash_content_finish(h, hex);
	now = store_now_utc();
	if (sqlite3_prepare_v2(db, "DELETE FROM raw WHERE submission_id = ?",
			       -1, &q, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(q, 1, id);
	if (sqlite3_step(q) != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(q);
	q = NULL;
	/* The old file still holds what the rewrite takes out (a purged
	 * tip's quote): scrubbed after the COMMIT (orig_scrub_pending). */
	if ((rc = orig_retire(st, id)) != TL_OK)
		goto out;
	rc = (gint64)len >= orig_file_min() ?
	     raw_replace_file(st, id, bytes, len) :
	     raw_replace_rows(st, id, bytes, len);
	if (rc != TL_OK)
		goto out;
	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO raw_rewritten("
			       "submission_id, stored_hash, stored_size, "
			       "rewritten_utc) VALUES (?, ?, ?, ?)", -1, &q,
			       NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_text(q, 2, hex, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, (gint64)len);
	sqlite3_bind_text(q, 4, now, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE)
		goto fail;
	goto out;
fail:
	rc = store_fail(st, "rewrite original");
out:
	sqlite3_finalize(q);
	g_free(now);
	return rc;
}

/* store_raw_write's consumer: every byte to one descriptor. */
typedef struct {
	store *st;
	int fd;
} raw_to_fd;

static tl_status
write_all(const void *buf, size_t n, void *data, int *enough)
{
	raw_to_fd *w = data;
	int e;

	(void)enough;
	if (safefile_write_all(w->fd, buf, n))
		return TL_OK;
	e = errno;
	store_set_error(w->st, "write: %s", g_strerror(e));
	return e == ENOSPC || e == EDQUOT ? TL_TEMPFAIL : TL_SOFTWARE;
}

tl_status
store_raw_write(store *st, gint64 id, int fd)
{
	raw_to_fd w = { st, fd };

	return store_raw_read(st, id, write_all, &w);
}

tl_status
store_raw_to_tempfile(store *st, gint64 id, const char *dir, char **path_out)
{
	char *path = g_build_filename(dir ? dir : g_get_tmp_dir(),
				      "tipline-raw-XXXXXX", NULL);
	int fd = safefile_mkstemp(path, O_RDWR | O_CLOEXEC, 0600);
	tl_status rc;

	*path_out = NULL;
	if (fd < 0) {
		g_free(path);
		return TL_TEMPFAIL;
	}
	rc = store_raw_write(st, id, fd);
	if (close(fd) != 0 && rc == TL_OK)
		rc = TL_TEMPFAIL;
	if (rc != TL_OK) {
		unlink(path);
		g_free(path);
		return rc;
	}
	*path_out = path;
	return TL_OK;
}

tl_status
store_submission_reparse(store *st, gint64 id, const msg_submission *sub,
			 queue_status status, const char *error)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *old = NULL, *q = NULL;
	char *extra = NULL, *warnings = NULL;
	tl_status rc = TL_OK;
	store_source src = { NULL, 0, 0, NULL, NULL, NULL };
	char *hash = NULL, *received = NULL, *source = NULL, *path = NULL;
	gint64 raw_size = 0;

	if (store_pg(st) != NULL)
		return pg_submission_reparse(st, id, sub, status, error);
	extra = store_values_search_extra(sub);
	warnings = store_values_warnings(sub, 0, 0, NULL, NULL);
	if (sqlite3_prepare_v2(db, "SELECT content_hash, received_utc, "
	    "source, source_path, raw_size FROM submission WHERE id = ?", -1,
	    &old, NULL) != SQLITE_OK) {
		rc = store_fail(st, "reparse");
		goto out;
	}
	sqlite3_bind_int64(old, 1, id);
	if (sqlite3_step(old) != SQLITE_ROW) {
		store_set_error(st, "#%" G_GINT64_FORMAT ": no such submission",
				id);
		rc = TL_DATA;
		goto out;
	}
	hash = g_strdup((const char *)sqlite3_column_text(old, 0));
	received = g_strdup((const char *)sqlite3_column_text(old, 1));
	source = g_strdup((const char *)sqlite3_column_text(old, 2));
	path = g_strdup((const char *)sqlite3_column_text(old, 3));
	raw_size = sqlite3_column_int64(old, 4);
	src.path = path;
	if (sqlite3_prepare_v2(db, reparse_sql, -1, &q, NULL) != SQLITE_OK) {
		rc = store_fail(st, "reparse");
		goto out;
	}
	bind_submission(q, sub, queue_status_name(status), hash, received,
			find_parent(st, sub),
			extra, warnings, error, source, &src, raw_size,
			store_values_queue_time(sub->date_utc, received));
	sqlite3_bind_int64(q, 34, id);
	if (sqlite3_step(q) != SQLITE_DONE) {
		rc = store_fail(st, "reparse");
		goto out;
	}
	{
		/* The parts may change: their previews are made again. */
		char *del = g_strdup_printf("DELETE FROM preview "
			"WHERE attachment_id IN (SELECT id FROM attachment "
			"WHERE submission_id = %" G_GINT64_FORMAT "); "
			"DELETE FROM attachment_media "
			"WHERE attachment_id IN (SELECT id FROM attachment "
			"WHERE submission_id = %" G_GINT64_FORMAT "); "
			"DELETE FROM attachment WHERE "
			"submission_id = %" G_GINT64_FORMAT "; DELETE FROM "
			"forwarded WHERE submission_id = %" G_GINT64_FORMAT,
			id, id, id, id);
		int r = sqlite3_exec(db, del, NULL, NULL, NULL);

		g_free(del);
		if (r != SQLITE_OK) {
			rc = store_fail(st, "reparse");
			goto out;
		}
	}
	if ((rc = keys_put(st, id, sub)) != TL_OK ||
	    (rc = attachments_insert(st, id, sub)) != TL_OK)
		goto out;
	rc = forwarded_insert(st, id, sub);
	if (rc == TL_OK)
		rc = legacy_store(st, id, sub);
out:
	sqlite3_finalize(old);
	sqlite3_finalize(q);
	g_free(extra);
	g_free(warnings);
	g_free(hash);
	g_free(received);
	g_free(source);
	g_free(path);
	return rc;
}
