/* desk.c - list, search, threads and decisions over the store. */
#include <stdio.h>
#include <string.h>

#include <unicode/ucol.h>
#include <unicode/ustring.h>

#include "desk-rank-priv.h"
#include "desk-walk-priv.h"
#include "pg-desk-priv.h"
#include "pg-search-priv.h"
#include "store-priv.h"
#include "query-priv.h"

/* What needs an editor (issue 2): the default of `list`. */
static const queue_status list_default[] = {
	QUEUE_NEW, QUEUE_QUARANTINED, QUEUE_TOO_LARGE, QUEUE_INVALID
};
/* Search looks everywhere but at bounces, which carry other people's
 * mail (issue 5). */
static const queue_status search_default[] = {
	QUEUE_NEW, QUEUE_APPROVED, QUEUE_REJECTED, QUEUE_SPAM,
	QUEUE_AUTO_REPLY, QUEUE_QUARANTINED, QUEUE_TOO_LARGE, QUEUE_INVALID
};

/* The ORDER BY key of a sender: the display name, else the address. */
#define SENDER_KEY(a) "coalesce(nullif(" a ".from_name, ''), " a \
	".from_addr, '')"

static int
collate_vi(void *arg, int na, const void *a, int nb, const void *b)
{
	UErrorCode err = U_ZERO_ERROR;
	UCollationResult r;

	r = ucol_strcollUTF8((UCollator *)arg, a, na, b, nb, &err);
	if (U_FAILURE(err) || r == UCOL_EQUAL) {
		/* Names ICU calls equal (or, which cannot happen for UTF-8
		 * input, cannot compare) order by their bytes, as the stored
		 * sort keys do (sort-key-priv.h): a list ordered by either
		 * way comes out the same. */
		int c = memcmp(a, b, (size_t)(na < nb ? na : nb));

		return c != 0 ? c : na - nb;
	}
	return r == UCOL_LESS ? -1 : 1;
}

static void
collator_free(void *arg)
{
	ucol_close((UCollator *)arg);
}


static void
sql_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *s = sqlite3_value_text(argv[0]);
	char *f;

	(void)argc;
	if (s == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	f = nfc_fold((const char *)s);
	sqlite3_result_text(ctx, f, -1, g_free);
}

/* The given name in Vietnamese order: the last word ("A" in "Nguyễn Văn
 * A"); the whole string when it has one word. */
static void
sql_given_name(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	const char *end, *start;

	(void)argc;
	if (s == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	end = s + strlen(s);
	while (end > s && g_ascii_isspace(end[-1]))
		end--;
	start = end;
	while (start > s && !g_ascii_isspace(start[-1]))
		start--;
	sqlite3_result_text(ctx, start, (int)(end - start), SQLITE_TRANSIENT);
}

tl_status
desk_connection_setup(store *st, char **errmsg)
{
	sqlite3 *db = store_db(st);
	UErrorCode err = U_ZERO_ERROR;
	UCollator *coll;
	int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;

	if (store_pg(st) != NULL)
		return pg_desk_connection_setup(st, errmsg);
	coll = ucol_open("vi", &err);
	if (U_FAILURE(err) || coll == NULL) {
		*errmsg = g_strdup_printf("ICU collation \"vi\": %s",
					  u_errorName(err));
		return TL_SOFTWARE;
	}
	/* Unlike every other SQLite interface, a failed
	 * sqlite3_create_collation_v2 does not call the destructor. */
	if (sqlite3_create_collation_v2(db, "VI", SQLITE_UTF8, coll,
					collate_vi, collator_free) !=
	    SQLITE_OK) {
		ucol_close(coll);
		goto fail;
	}
	if (sqlite3_create_function_v2(db, "tl_fold", 1, flags, NULL,
				       sql_fold, NULL, NULL, NULL) !=
	    SQLITE_OK ||
	    sqlite3_create_function_v2(db, "tl_given_name", 1, flags, NULL,
				       sql_given_name, NULL, NULL, NULL) !=
	    SQLITE_OK)
		goto fail;
	return TL_OK;
fail:
	*errmsg = g_strdup_printf("registering SQL functions: %s",
				  sqlite3_errmsg(db));
	return TL_SOFTWARE;
}

tl_status
desk_statuses_parse(char **args, GArray **out, char **errmsg)
{
	GArray *v = g_array_new(FALSE, FALSE, sizeof(queue_status));

	*out = NULL;
	for (int i = 0; args != NULL && args[i] != NULL; i++) {
		char **parts = g_strsplit(args[i], ",", -1);

		for (int j = 0; parts[j] != NULL; j++) {
			char *s = g_strstrip(parts[j]);
			queue_status q = queue_status_parse(s);
			gboolean dup = FALSE;

			if (*s == '\0')
				continue;
			if (q == QUEUE_INVALID) {
				*errmsg = g_strdup_printf("unknown status "
				    "\"%s\" (one of new, approved, rejected, "
				    "spam, auto_reply, bounce, quarantined, "
				    "too_large)", s);
				g_strfreev(parts);
				g_array_unref(v);
				return TL_USAGE;
			}
			for (guint k = 0; k < v->len; k++)
				dup |= g_array_index(v, queue_status, k) == q;
			if (!dup)
				g_array_append_val(v, q);
		}
		g_strfreev(parts);
	}
	*out = v;
	return TL_OK;
}

tl_status
desk_date_parse(const char *s, gboolean end_of_day, char **out,
		char **errmsg)
{
	GDateTime *t = NULL, *u;
	int y, m, d;
	char tail;

	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3) {
		t = g_date_time_new_local(y, m, d, 0, 0, 0);
		if (t != NULL && end_of_day) {
			GDateTime *next = g_date_time_add_days(t, 1);

			g_date_time_unref(t);
			t = next;
		}
	} else {
		GTimeZone *tz = g_time_zone_new_local();

		t = g_date_time_new_from_iso8601(s, tz);
		g_time_zone_unref(tz);
	}
	if (t == NULL) {
		*errmsg = g_strdup_printf("\"%s\" is not a date (YYYY-MM-DD "
					  "or ISO 8601)", s);
		return TL_USAGE;
	}
	u = g_date_time_to_utc(t);
	*out = g_date_time_format(u, "%Y-%m-%dT%H:%M:%SZ");
	g_date_time_unref(u);
	g_date_time_unref(t);
	return TL_OK;
}

unsigned
desk_has_parse(const char *name)
{
	static const char *const names[] = { "photo", "video", "gps",
					     "danger" };

	for (guint i = 0; name != NULL && i < G_N_ELEMENTS(names); i++)
		if (strcmp(name, names[i]) == 0)
			return 1u << i;
	return 0;
}

/* The ids of the submissions that carry BIT itself, as a subquery.  Each
 * reads a small set from an index (photos and clips by their
 * attachment_media rows, GPS by submission_gps, dangerous files by
 * attachment_danger, schema.sql), so that the queue can be read from the
 * few that match instead of probing every row of a large queue.  Photo
 * and video as the page judged them: the declared type, and bytes that
 * media.c read. */
static void
has_set_add(GString *sql, unsigned bit)
{
	if (bit == DESK_HAS_GPS)
		g_string_append(sql, "SELECT g.id FROM submission g "
				"WHERE g.has_gps <> 0");
	else if (bit == DESK_HAS_DANGER)
		g_string_append(sql, "SELECT a.submission_id FROM attachment "
				"a WHERE a.danger IS NOT NULL");
	else
		/* CROSS JOIN: from the media rows, which SQLite would
		 * otherwise reach through every attachment. */
		g_string_append_printf(sql, "SELECT a.submission_id FROM "
		    "attachment_media m CROSS JOIN attachment a WHERE a.id = "
		    "m.attachment_id AND lower(a.content_type) LIKE '%s/%%'",
		    bit == DESK_HAS_PHOTO ? "image" : "video");
}

/* F's mailbox and has conditions on alias A; with THREADS a root also
 * matches a has bit through one of its follow-ups (store.h).  BROAD:
 * the statuses select most of the queue, so the mailbox is no index's
 * key either (see where_add). */
static void
content_where_add(GString *sql, GPtrArray *params, const desk_filter *f,
		  const char *a, gboolean threads, gboolean broad)
{
	if (f->mailbox != NULL) {
		g_string_append_printf(sql, " AND %s%s.source = ?",
				       broad ? "+" : "", a);
		g_ptr_array_add(params, g_strconcat("imap:", f->mailbox,
						    NULL));
	}
	for (unsigned bit = 1; bit <= DESK_HAS_DANGER; bit <<= 1) {
		if (!(f->has & bit))
			continue;
		g_string_append_printf(sql, " AND %s.id IN (", a);
		has_set_add(sql, bit);
		if (threads) {
			g_string_append(sql, " UNION ALL SELECT t.parent_id "
					"FROM submission t WHERE t.parent_id "
					"IS NOT NULL AND t.id IN (");
			has_set_add(sql, bit);
			g_string_append(sql, ")");
		}
		g_string_append(sql, ")");
	}
}

/* The statuses F selects, DEFAULTS (ended by QUEUE_INVALID) when it
 * names none (g_array_unref). */
static GArray *
statuses_selected(const desk_filter *f, const queue_status *defaults)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(queue_status));

	if (f->statuses != NULL && f->statuses->len > 0)
		g_array_append_vals(a, f->statuses->data, f->statuses->len);
	else
		for (guint i = 0; defaults[i] != QUEUE_INVALID; i++)
			g_array_append_val(a, defaults[i]);
	return a;
}

/* Append " AND PLUS A.status IN (?, ...)" for the statuses SEL to SQL,
 * their names to PARAMS (PLUS "+" keeps SQLite off the status index). */
static void
status_in_add(GString *sql, GPtrArray *params, const char *plus,
	      const char *a, const GArray *sel)
{
	g_string_append_printf(sql, " AND %s%s.status IN (", plus, a);
	for (guint i = 0; i < sel->len; i++) {
		g_string_append(sql, i ? ", ?" : "?");
		g_ptr_array_add(params, g_strdup(queue_status_name(
		    g_array_index(sel, queue_status, i))));
	}
	g_string_append_c(sql, ')');
}

/* Do the statuses F selects (DEFAULTS when it names none) include one
 * that piles up (decided, auto-replies, bounces: most of a lived-in
 * queue, kept for years), rather than only the few that wait for an
 * editor? */
static gboolean
statuses_pile(const desk_filter *f, const queue_status *defaults)
{
	GArray *a = statuses_selected(f, defaults);
	gboolean pile = FALSE;

	for (guint i = 0; !pile && i < a->len; i++) {
		queue_status q = g_array_index(a, queue_status, i);

		pile = q != QUEUE_NEW && q != QUEUE_QUARANTINED &&
		       q != QUEUE_TOO_LARGE;
	}
	g_array_unref(a);
	return pile;
}

/* Append " AND ..." conditions on table alias A for filter F to SQL, with
 * their text parameters to PARAMS (in order); THREADS as
 * content_where_add. */
static void
where_add(GString *sql, GPtrArray *params, const desk_filter *f,
	  const char *a, const queue_status *defaults, gboolean threads)
{
	gboolean broad = f->all || f->has != 0 ||
			 statuses_pile(f, defaults);

	if (!f->all) {
		/* Without an index on the status ("+"), when it selects most
		 * of the queue or a has set does better: SQLite (no ANALYZE
		 * statistics) would otherwise read and sort every row of
		 * those statuses for a page of 50 instead of walking the
		 * time index (a page of new,approved,rejected,spam: 70 ms
		 * instead of 1 at 100,000 submissions, bench/serve.sh). */
		GArray *sel = statuses_selected(f, defaults);

		status_in_add(sql, params, broad ? "+" : "", a, sel);
		g_array_unref(sel);
	}
	if (f->since_utc != NULL) {
		g_string_append_printf(sql, " AND %s.%s >= ?", a,
		    f->arrival_bounds ? "received_utc" : "queue_utc");
		g_ptr_array_add(params, g_strdup(f->since_utc));
	}
	if (f->until_utc != NULL) {
		g_string_append_printf(sql, " AND %s.%s < ?", a,
		    f->arrival_bounds ? "received_utc" : "queue_utc");
		g_ptr_array_add(params, g_strdup(f->until_utc));
	}
	if (f->from != NULL && *f->from != '\0') {
		g_string_append_printf(sql, " AND instr(tl_fold(coalesce("
		    "%s.from_name, '') || ' ' || coalesce(%s.from_addr, '')),"
		    " ?) > 0", a, a);
		g_ptr_array_add(params, nfc_fold(f->from));
	}
	if (f->has_attachments)
		g_string_append_printf(sql, " AND %s.attachment_count > 0", a);
	content_where_add(sql, params, f, a, threads, broad);
}

/* Whether ST has the desk's sort keys of every submission up to the
 * newest.  A version 3 database that no read-write open has upgraded
 * yet lacks the table (a read-only open does not add tables), and a
 * fetch makes the keys of what it adds when it closes (store_fetch_tune):
 * until then the queue is sorted by collating, as before the keys, so
 * that no submission is left out.  Two index lookups; a statement that
 * does not compile (no table) is "no". */
static gboolean
keys_here(store *st)
{
	sqlite3_stmt *q = NULL;
	gboolean yes = FALSE;

	if (sqlite3_prepare_v2(store_db(st), "SELECT (SELECT coalesce(max("
			       "submission_id), 0) FROM sort_key) >= (SELECT "
			       "coalesce(max(id), 0) FROM submission)", -1, &q,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		yes = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return yes;
}

/* The join that order_add's ORDER BY needs when F sorts by sender or
 * given name and ST has the keys (KEYED), else "". */
static const char *
keys_join(const desk_filter *f, gboolean keyed)
{
	return keyed && (f->sort == DESK_SORT_SENDER ||
			 f->sort == DESK_SORT_GIVEN_NAME) ?
	       " JOIN sort_key k ON k.submission_id = s.id" : "";
}

/* ORDER BY and LIMIT of F.  By sender or given name with KEYED (the query
 * joins keys_join as k): the keys in the index's order, so that a page
 * is read from the index instead of sorting the queue. */
static void
order_add(GString *sql, const desk_filter *f, gboolean keyed)
{
	const char *dir = f->reverse ? "DESC" : "ASC";

	switch (f->sort) {
	case DESK_SORT_SENDER:
		if (keyed)
			g_string_append_printf(sql, " ORDER BY k.sender %s, "
			    "k.submission_id %s", dir, dir);
		else
			g_string_append_printf(sql, " ORDER BY "
			    SENDER_KEY("s") " COLLATE VI %s, s.id %s", dir,
			    dir);
		break;
	case DESK_SORT_GIVEN_NAME:
		if (keyed)
			g_string_append_printf(sql, " ORDER BY k.given %s, "
			    "k.submission_id %s", dir, dir);
		else
			g_string_append_printf(sql, " ORDER BY tl_given_name("
			    SENDER_KEY("s") ") COLLATE VI %s, "
			    SENDER_KEY("s") " COLLATE VI %s, s.id %s", dir,
			    dir, dir);
		break;
	/* Relevance outside search_relevance() has no score: by date. */
	case DESK_SORT_RELEVANCE:
	case DESK_SORT_DATE:
	case DESK_SORT_ARRIVAL:
	default:
		g_string_append_printf(sql, " ORDER BY s.%s %s, s.id %s",
		    f->sort == DESK_SORT_ARRIVAL ? "received_utc" :
		    "queue_utc", f->reverse ? "ASC" : "DESC",
		    f->reverse ? "ASC" : "DESC");
		break;
	}
	if (f->limit > 0 || f->offset > 0)
		g_string_append_printf(sql, " LIMIT %" G_GINT64_FORMAT
				       " OFFSET %" G_GINT64_FORMAT,
				       f->limit > 0 ? f->limit : -1,
				       f->offset > 0 ? f->offset : 0);
}

static void
row_free(gpointer p)
{
	desk_row *r = p;

	g_free(r->date_utc);
	g_free(r->from_name);
	g_free(r->from_addr);
	g_free(r->subject);
	g_free(r->received_utc);
	g_free(r->queue_utc);
	g_free(r->thread_latest_utc);
	g_free(r->thread_latest_queue_utc);
	g_free(r);
}

static char *
col_dup(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);

	return t != NULL ? g_strdup((const char *)t) : NULL;
}

#define ROW_COLUMNS "s.id, s.status, coalesce(s.date_utc, s.received_utc), " \
	"s.from_name, s.from_addr, s.subject, s.attachment_count, " \
	"s.has_gps, coalesce(s.parent_id, 0), s.queue_utc"

/* Run SQL with PARAMS and collect desk_rows: the ROW_COLUMNS, then the
 * follow-up count, then (search) the exact flag or (list) received_utc. */
static tl_status
rows_collect(store *st, const char *sql, GPtrArray *params,
	     GPtrArray **rows, char **errmsg)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *q = NULL;
	GPtrArray *out = g_ptr_array_new_with_free_func(row_free);
	tl_status rc = TL_OK;
	int r;

	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		goto fail;
	for (guint i = 0; i < params->len; i++)
		sqlite3_bind_text(q, (int)i + 1, params->pdata[i], -1,
				  SQLITE_STATIC);
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		desk_row *row = g_new0(desk_row, 1);

		row->id = sqlite3_column_int64(q, 0);
		row->status = queue_status_parse((const char *)
		    sqlite3_column_text(q, 1));
		row->date_utc = col_dup(q, 2);
		row->from_name = col_dup(q, 3);
		row->from_addr = col_dup(q, 4);
		row->subject = col_dup(q, 5);
		row->attachment_count = sqlite3_column_int64(q, 6);
		row->has_gps = sqlite3_column_int(q, 7) != 0;
		row->parent_id = sqlite3_column_int64(q, 8);
		row->queue_utc = col_dup(q, 9);
		row->date_implausible = row->queue_utc != NULL &&
		    g_strcmp0(row->queue_utc, row->date_utc) != 0;
		row->follow_ups = sqlite3_column_int64(q, 10);
		if (sqlite3_column_count(q) > 11 &&
		    strcmp(sqlite3_column_name(q, 11), "received_utc") == 0)
			row->received_utc = col_dup(q, 11);
		else if (sqlite3_column_count(q) > 11)
			row->exact = sqlite3_column_int(q, 11) != 0;
		g_ptr_array_add(out, row);
	}
	if (r != SQLITE_DONE)
		goto fail;
	*rows = out;
	out = NULL;
	goto out;
fail:
	rc = store_fail(st, "query");
	*errmsg = g_strdup(store_errmsg(st));
out:
	sqlite3_finalize(q);
	if (out != NULL)
		g_ptr_array_unref(out);
	return rc;
}

/* What a row shows beyond its own columns (issue 10): its arrival time,
 * dangerous attachments, probable duplicate, whether EDITOR has seen it,
 * and for a thread the flags of all its messages.  Dangerous files and
 * duplicates are rare: both sets are read whole, from partial indexes
 * (schema.sql); the rest is an indexed lookup per row returned. */
static const char danger_sql[] =
	"SELECT DISTINCT submission_id FROM attachment "
	"WHERE danger IS NOT NULL";
static const char dups_sql[] =
	"SELECT submission_id, duplicate_of FROM text_key "
	"WHERE duplicate_of IS NOT NULL";
static const char seen_sql[] =
	"SELECT 1 FROM seen WHERE editor = ?2 AND submission_id = ?1";
static const char received_sql[] =
	"SELECT received_utc FROM submission WHERE id = ?";
static const char thread_sql[] =
	"SELECT sum(t.attachment_count), max(t.has_gps), "
	"max(EXISTS (SELECT 1 FROM attachment a WHERE a.submission_id = t.id "
	"AND a.danger IS NOT NULL)), max(t.status = 'quarantined'), "
	"max(t.received_utc), max(t.id <> ?1 AND (?2 IS NULL OR NOT EXISTS "
	"(SELECT 1 FROM seen WHERE editor = ?2 AND submission_id = t.id))), "
	"max(t.queue_utc) FROM submission t WHERE t.id = ?1 OR "
	"t.parent_id = ?1";

typedef struct {
	GHashTable *danger;	/* submission id -> itself */
	GHashTable *dups;	/* submission id -> duplicate_of */
	const char *editor;
} enricher;

/* Fill MAP from the two-column (or one-column) query SQL. */
static tl_status
id_map_load(store *st, const char *sql, GHashTable *map)
{
	sqlite3_stmt *q = store_stmt(st, sql);
	int r;

	if (q == NULL)
		return store_fail(st, "flags");
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		gint64 k = sqlite3_column_int64(q, 0);
		gint64 v = sqlite3_column_count(q) > 1 ?
		    sqlite3_column_int64(q, 1) : k;

		g_hash_table_insert(map, g_memdup2(&k, sizeof k),
				    g_memdup2(&v, sizeof v));
	}
	sqlite3_reset(q);
	return r == SQLITE_DONE ? TL_OK : store_fail(st, "flags");
}

/* One probe of SQL (?1 ID, ?2 EDITOR): TRUE when it returns a row. */
static int
probe(store *st, const char *sql, gint64 id, const char *editor)
{
	sqlite3_stmt *q = store_stmt(st, sql);
	int r;

	if (q == NULL)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_text(q, 2, editor, -1, SQLITE_STATIC);
	r = sqlite3_step(q);
	sqlite3_reset(q);
	return r == SQLITE_ROW ? 1 : r == SQLITE_DONE ? 0 : -1;
}

static tl_status
row_enrich(store *st, desk_row *r, const enricher *e)
{
	const gint64 *dup = g_hash_table_lookup(e->dups, &r->id);
	sqlite3_stmt *t;
	int rc;

	r->has_danger = g_hash_table_contains(e->danger, &r->id);
	r->duplicate_of = dup != NULL ? *dup : 0;
	r->unseen = TRUE;
	if (e->editor != NULL) {
		if ((rc = probe(st, seen_sql, r->id, e->editor)) < 0)
			return store_fail(st, "flags");
		r->unseen = rc == 0;
	}
	if (r->received_utc == NULL) {
		/* Search rows do not carry it (desk_list's do). */
		sqlite3_stmt *a = store_stmt(st, received_sql);

		if (a == NULL)
			return store_fail(st, "flags");
		sqlite3_bind_int64(a, 1, r->id);
		if (sqlite3_step(a) == SQLITE_ROW)
			r->received_utc = col_dup(a, 0);
		sqlite3_reset(a);
	}
	r->thread_attachments = r->attachment_count;
	r->thread_gps = r->has_gps;
	r->thread_danger = r->has_danger;
	r->thread_quarantined = r->status == QUEUE_QUARANTINED;
	r->thread_latest_utc = g_strdup(r->received_utc);
	if (r->follow_ups == 0 || r->parent_id > 0)
		return TL_OK;
	if ((t = store_stmt(st, thread_sql)) == NULL)
		return store_fail(st, "flags");
	sqlite3_bind_int64(t, 1, r->id);
	sqlite3_bind_text(t, 2, e->editor, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(t)) == SQLITE_ROW) {
		r->thread_attachments = sqlite3_column_int64(t, 0);
		r->thread_gps = sqlite3_column_int(t, 1) != 0;
		r->thread_danger = sqlite3_column_int(t, 2) != 0;
		r->thread_quarantined = sqlite3_column_int(t, 3) != 0;
		g_free(r->thread_latest_utc);
		r->thread_latest_utc = col_dup(t, 4);
		r->unseen |= sqlite3_column_int(t, 5) != 0;
		r->thread_latest_queue_utc = col_dup(t, 6);
	}
	sqlite3_reset(t);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? TL_OK :
	    store_fail(st, "flags");
}

static tl_status
rows_enrich(store *st, GPtrArray *rows, const char *editor, char **errmsg)
{
	enricher e = {
		g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
				      g_free),
		g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
				      g_free),
		editor,
	};
	tl_status rc = TL_OK;
	/* One read transaction for all rows: each statement would
	 * otherwise open its own, with its locks and stat(2)s (9,000 of
	 * them for a list of 3,000). */
	gboolean tx = sqlite3_get_autocommit(store_db(st)) &&
	    sqlite3_exec(store_db(st), "BEGIN", NULL, NULL, NULL) ==
	    SQLITE_OK;

	if (rows->len > 0 &&
	    ((rc = id_map_load(st, danger_sql, e.danger)) != TL_OK ||
	     (rc = id_map_load(st, dups_sql, e.dups)) != TL_OK))
		goto out;
	for (guint i = 0; i < rows->len && rc == TL_OK; i++)
		rc = row_enrich(st, rows->pdata[i], &e);
out:
	if (rc != TL_OK)
		*errmsg = g_strdup(store_errmsg(st));
	if (tx)
		sqlite3_exec(store_db(st), "COMMIT", NULL, NULL, NULL);
	g_hash_table_unref(e.danger);
	g_hash_table_unref(e.dups);
	return rc;
}

/* Every thread's follow-ups at once (count, latest times, latest id),
 * read from the thread index and joined to the rows as t: one lookup in
 * memory per row instead of three index probes (issue 10, `list` of
 * 3,000 rows under 50 ms). */
#define THREADS_CTE "WITH t AS (SELECT parent_id AS root, count(*) AS n, " \
	"max(queue_utc) AS queue_utc, max(received_utc) AS received_utc, " \
	"max(id) AS id FROM submission WHERE parent_id IS NOT NULL " \
	"GROUP BY parent_id) "

/* The time a thread is sorted by: its latest message's (COL is
 * queue_utc or received_utc), so a late follow-up brings it up. */
static void
thread_key_add(GString *sql, const char *col)
{
	g_string_append_printf(sql, "max(s.%s, coalesce(t.%s, ''))", col,
			       col);
}

/* The conditions of desk_list on alias s, with their parameters; WITH_T
 * when the query joins THREADS_CTE as t. */
static void
list_where(GString *sql, GPtrArray *params, const desk_filter *f,
	   gboolean with_t)
{
	where_add(sql, params, f, "s", list_default, !f->no_threads);
	if (!f->no_threads) {
		/* A follow-up rides with its root when the root is listed
		 * too; alone it must still reach an editor. */
		g_string_append(sql, " AND (s.parent_id IS NULL OR NOT EXISTS "
				"(SELECT 1 FROM submission r WHERE "
				"r.id = s.parent_id");
		where_add(sql, params, f, "r", list_default, TRUE);
		g_string_append(sql, "))");
	}
	if (f->unseen) {
		/* Unseen: the row itself, or (a thread) a follow-up. */
		const char *e = f->editor != NULL ? f->editor : "";

		g_string_append(sql, " AND (NOT EXISTS (SELECT 1 FROM seen "
				"WHERE editor = ? AND submission_id = s.id)");
		g_ptr_array_add(params, g_strdup(e));
		if (!f->no_threads) {
			g_string_append_printf(sql, " OR (%s EXISTS (SELECT 1 "
			    "FROM submission c WHERE c.parent_id = s.id AND "
			    "NOT EXISTS (SELECT 1 FROM seen WHERE editor = ? "
			    "AND submission_id = c.id)))",
			    with_t ? "t.n IS NOT NULL AND" : "");
			g_ptr_array_add(params, g_strdup(e));
		}
		g_string_append(sql, ")");
	}
}

static sqlite3_stmt *
prepare_bound(store *st, const char *sql, GPtrArray *params)
{
	sqlite3_stmt *q = NULL;

	if (sqlite3_prepare_v2(store_db(st), sql, -1, &q, NULL) != SQLITE_OK)
		return NULL;
	for (guint i = 0; i < params->len; i++)
		sqlite3_bind_text(q, (int)i + 1, params->pdata[i], -1,
				  SQLITE_STATIC);
	return q;
}

/* One statement of list_walk's: prepared with FIRST (may be NULL) as
 * its first parameter, then PARAMS; NULL when SQLite refused it. */
static sqlite3_stmt *
prepare_after(store *st, const char *sql, const char *first,
	      GPtrArray *params)
{
	sqlite3_stmt *q = NULL;
	int n = 1;

	if (sqlite3_prepare_v2(store_db(st), sql, -1, &q, NULL) != SQLITE_OK)
		return NULL;
	if (first != NULL)
		sqlite3_bind_text(q, n++, first, -1, SQLITE_STATIC);
	for (guint i = 0; i < params->len; i++)
		sqlite3_bind_text(q, n++, params->pdata[i], -1,
				  SQLITE_STATIC);
	return q;
}

/* The statements list_walk merges, each giving (row, time) newest
 * first, or oldest first when UP (a reverse list) with the row's thread
 * key third (the walk then counts a row at its key only, where the
 * newest-first walk counts it where it first meets it): the selected
 * rows by their own time, one per status in STATUSES (not NULL: a few
 * waiting ones) so that each walks its stretch of submission_list (in one
 * IN SQLite read and sorted every row of them: 30,000 new ones at a
 * million), else one over the time index; then the follow-ups of
 * selected roots by theirs, from the follow-ups' time index, each joined
 * to its root (one statement: the id sets of a has= filter are built
 * once, not once per follow-up).  Only the time orders them: the walk
 * needs no order among equal times, and the index gives that one without
 * a sort.  NULL in *q for one SQLite refused. */
static void
walk_prepare(store *st, const char *col, const char *cond,
	     GPtrArray *params, const GArray *statuses, gboolean up,
	     GPtrArray *q)
{
	const char *dir = up ? "ASC" : "DESC";
	/* The thread key of the row s, from submission_thread. */
	char *key = up ? g_strdup_printf(", max(s.%s, coalesce((SELECT "
	    "max(x.%s) FROM submission x WHERE x.parent_id = s.id), ''))",
	    col, col) : g_strdup("");
	char *sql;

	if (statuses != NULL && statuses->len >= 2) {
		sql = g_strdup_printf("SELECT s.id, s.%s%s FROM submission s "
				      "WHERE s.status = ?%s ORDER BY s.%s %s",
				      col, key, cond, col, dir);
		for (guint i = 0; i < statuses->len; i++)
			g_ptr_array_add(q, prepare_after(st, sql,
			    queue_status_name(g_array_index(statuses,
			    queue_status, i)), params));
	} else {
		sql = g_strdup_printf("SELECT s.id, s.%s%s FROM submission s "
				      "WHERE 1%s ORDER BY s.%s %s", col, key,
				      cond, col, dir);
		g_ptr_array_add(q, prepare_after(st, sql, NULL, params));
	}
	g_free(sql);
	sql = g_strdup_printf("SELECT c.parent_id, c.%s%s FROM submission c "
			      "JOIN submission s ON s.id = c.parent_id WHERE "
			      "c.parent_id IS NOT NULL%s ORDER BY c.%s %s",
			      col, key, cond, col, dir);
	g_ptr_array_add(q, prepare_after(st, sql, NULL, params));
	g_free(sql);
	g_free(key);
}

/* Step Q: whether it gave a row in *live; FALSE when SQLite failed. */
static gboolean
walk_step(sqlite3_stmt *q, gboolean *live)
{
	int r = sqlite3_step(q);

	*live = r == SQLITE_ROW;
	return r == SQLITE_ROW || r == SQLITE_DONE;
}

static void
walk_stmt_free(gpointer q)
{
	sqlite3_finalize(q);
}

/* The live statement of Q whose message comes next (the newest, or the
 * oldest when UP) in *at, and its time; NULL when all are done. */
static const char *
walk_next(GPtrArray *q, const gboolean *live, gboolean up, guint *at)
{
	const char *key = NULL, *k;

	for (guint i = 0; i < q->len; i++) {
		if (!live[i] || (k = (const char *)sqlite3_column_text(
		    q->pdata[i], 1)) == NULL)
			continue;
		if (key == NULL || (up ? strcmp(k, key) < 0 :
				    strcmp(k, key) > 0)) {
			key = k;
			*at = i;
		}
	}
	return key;
}

/* The rows of a page of a thread-sorted list into W (desk-walk-priv.h):
 * walk_prepare's statements merged by time, read down to the page and no
 * further (a page 1,000 deep of a million: 50,000 rows read instead of
 * every row's thread key computed and sorted).  COND and PARAMS select
 * rows (alias s) as list_where; COL is queue_utc or received_utc; UP: a
 * reverse list, oldest first. */
static tl_status
list_walk(store *st, const char *col, const char *cond, GPtrArray *params,
	  const GArray *statuses, gboolean up, desk_walk *w)
{
	GPtrArray *q = g_ptr_array_new_with_free_func(walk_stmt_free);
	gboolean *live = NULL;
	tl_status rc = TL_OK;

	walk_prepare(st, col, cond, params, statuses, up, q);
	live = g_new0(gboolean, q->len);
	for (guint i = 0; i < q->len; i++)
		if (q->pdata[i] == NULL || !walk_step(q->pdata[i], &live[i]))
			goto fail;
	for (;;) {
		guint at = 0;
		const char *key = walk_next(q, live, up, &at);
		sqlite3_stmt *m = key != NULL ? q->pdata[at] : NULL;

		if (key == NULL) {
			desk_walk_end(w);
			break;
		}
		/* Oldest first, a row sits at its key: its last message. */
		if ((!up || strcmp(key, (const char *)sqlite3_column_text(m,
		    2)) == 0) && desk_walk_add(w, sqlite3_column_int64(m, 0),
					       key))
			break;
		if (!walk_step(m, &live[at]))
			goto fail;
	}
	goto out;
fail:
	rc = store_fail(st, "page");
out:
	g_ptr_array_unref(q);
	g_free(live);
	return rc;
}

/* The statuses of F's list as an array (g_array_unref) when walk_prepare
 * reads one statement per status, else NULL.  By queue_utc each walks
 * its stretch of submission_list (status, queue_utc, ... parent_id ...),
 * which holds what the list's conditions look at: the time index alone
 * sends every row to the table for its status and parent (a page 1,000
 * deep of new,approved,rejected,spam: 100 ms more at a million).  By
 * arrival only a few waiting ones: that index is not in arrival order,
 * and SQLite sorts a status's rows first. */
static GArray *
list_split_statuses(const desk_filter *f, const char *col)
{
	if (f->all || f->has != 0 || (strcmp(col, "queue_utc") != 0 &&
				      statuses_pile(f, list_default)))
		return NULL;
	return statuses_selected(f, list_default);
}

/* Append " AND s.id IN (...)" of W's rows to SQL: a page's few. */
static void
walk_ids_add(GString *sql, const desk_walk *w)
{
	g_string_append(sql, " AND s.id IN (");
	for (guint i = 0; i < w->ids->len; i++)
		g_string_append_printf(sql, "%s%" G_GINT64_FORMAT, i ? "," : "",
				       g_array_index(w->ids, gint64, i));
	g_string_append(sql, ")");
}

tl_status
desk_list(store *st, const desk_filter *f, GPtrArray **rows, char **errmsg)
{
	if (store_pg(st) != NULL)
		return pg_desk_list(st, f, rows, errmsg);
	GString *sql = g_string_new(NULL), *cond = g_string_new(NULL);
	GArray *split = NULL;
	GPtrArray *params = g_ptr_array_new_with_free_func(g_free);
	gboolean by_time = f->sort == DESK_SORT_DATE ||
	    f->sort == DESK_SORT_ARRIVAL || f->sort == DESK_SORT_RELEVANCE;
	const char *col = f->sort == DESK_SORT_ARRIVAL ? "received_utc" :
	    "queue_utc";
	gint64 offset = f->offset > 0 ? f->offset : 0;
	gboolean tx = FALSE, paged = by_time && !f->no_threads &&
	    f->limit > 0;
	/* The keys' index pays when the rows are most of the queue; the
	 * few that wait for an editor (30,000 of a million) are sorted
	 * faster by collating them than by looking up each one's key (46
	 * against 84 ms), in the same order. */
	gboolean keyed = !by_time && (f->all || statuses_pile(f,
	    list_default)) && keys_here(st);
	desk_walk w;
	tl_status rc = TL_OK;

	*rows = NULL;
	desk_walk_init(&w, offset, f->limit);
	list_where(cond, params, f, !paged);
	g_string_append_printf(sql, THREADS_CTE "SELECT " ROW_COLUMNS ", "
			       "coalesce(t.n, 0), s.received_utc AS "
			       "received_utc FROM submission s%s LEFT JOIN t "
			       "ON t.root = s.id WHERE 1",
			       keys_join(f, keyed));
	if (paged) {
		/* One snapshot for the walk and the page. */
		tx = sqlite3_get_autocommit(store_db(st)) &&
		    sqlite3_exec(store_db(st), "BEGIN", NULL, NULL, NULL) ==
		    SQLITE_OK;
		split = list_split_statuses(f, col);
		if ((rc = list_walk(st, col, cond->str, params, split,
				    f->reverse, &w)) != TL_OK) {
			*errmsg = g_strdup(store_errmsg(st));
			goto out;
		}
		/* The page's groups, sorted below; the walk counted the
		 * rows before them. */
		walk_ids_add(sql, &w);
		offset = w.skip;
		g_ptr_array_set_size(params, 0);
	} else {
		g_string_append(sql, cond->str);
	}
	if (by_time && !f->no_threads) {
		const char *dir = f->reverse ? "ASC" : "DESC";

		/* Ties (times are to the second): the thread with the
		 * later message, by id, which grows with arrival. */
		g_string_append(sql, " ORDER BY ");
		thread_key_add(sql, col);
		g_string_append_printf(sql, " %s, max(s.id, coalesce(t.id, 0)) "
				       "%s", dir, dir);
		if (f->limit > 0 || offset > 0)
			g_string_append_printf(sql, " LIMIT %" G_GINT64_FORMAT
			    " OFFSET %" G_GINT64_FORMAT,
			    f->limit > 0 ? f->limit : -1, offset);
	} else {
		order_add(sql, f, keyed);
	}
	rc = rows_collect(st, sql->str, params, rows, errmsg);
	if (rc == TL_OK && (rc = rows_enrich(st, *rows, f->editor, errmsg)) !=
	    TL_OK) {
		g_ptr_array_unref(*rows);
		*rows = NULL;
	}
out:
	if (tx)
		sqlite3_exec(store_db(st), "COMMIT", NULL, NULL, NULL);
	desk_walk_clear(&w);
	if (split != NULL)
		g_array_unref(split);
	g_ptr_array_unref(params);
	g_string_free(cond, TRUE);
	g_string_free(sql, TRUE);
	return rc;
}

/* Ranking (search, DESK_SORT_RELEVANCE): bm25 over the folded index plus
 * two bonuses, as lexicographic keys so that no bm25 value can outweigh
 * them.  First how close the words are (tl_proximity, desk-rank-priv.h): 2
 * when the single-term groups occur as one phrase in the order typed
 * ("da nang" in "Đà Nẵng"), 1 when within SEARCH_NEAR tokens of each
 * other, 0 when apart ("đã" in one sentence, "năng" in another).  A
 * Vietnamese word is several one-syllable tokens, so words apart are
 * usually other words.  Then whether every wanted word also matches with
 * its diacritics as typed (the exact index).  Then bm25 weighting the
 * subject and the sender. */
#define SEARCH_NEAR 8

/* Ranked ids are turned into rows this many at a time at first (then
 * four times as many each round): a page of 50 reads about 50 rows. */
#define SEARCH_CHUNK 256
/* status_ids_few: a list of at most this many ids, about 20 ms to build. */
#define SEARCH_STATUS_IDS_MAX 50000

/* Append "ID IN (ids from FROM on matching Q with its diacritics) AS
 * exact" to SQL, with its parameter.  An uncorrelated IN list: looked up
 * once per query, and only among the ids ranked (FROM: 0 for all), since
 * the list is built whole first (71,359 ids for "Đà Nẵng" at 1,000,000
 * submissions, about 10 ms, where the thousand ranked need 1,400). */
static void
search_exact_key(GString *sql, GPtrArray *params, const query *q,
		 const char *id, gint64 from)
{
	g_string_append_printf(sql, "%s IN (SELECT rowid FROM search_exact "
			       "WHERE search_exact MATCH ? AND rowid >= %"
			       G_GINT64_FORMAT ") AS exact", id, from);
	g_ptr_array_add(params, query_fts(q, FALSE, FALSE));
}

/* Append the proximity key of Q to SQL (see SEARCH_NEAR). */
static void
search_prox_key(GString *sql, const query *q)
{
	int p[32], n = query_near_phrases(q, p, G_N_ELEMENTS(p));

	if (n < 2) {
		g_string_append(sql, "0 AS prox");
		return;
	}
	g_string_append_printf(sql, "tl_proximity(search_folded, %d",
			       SEARCH_NEAR);
	for (int i = 0; i < n; i++)
		g_string_append_printf(sql, ", %d", p[i]);
	g_string_append(sql, ") AS prox");
}

/* Whether F names statuses that hold fewer than SEARCH_STATUS_IDS_MAX
 * submissions, in *few, and none at all, in *none (nothing to search).
 * A search walks the matches newest first and looks up each one's row
 * for its status, so a status that holds few of them (new, spam: 1 to
 * 3 % of a lived-in queue) made it read tens of thousands of rows for a
 * page (`kho hang` among the new at 1,000,000: 150 ms; among the spam,
 * 375; among the quarantined, none, 4.3 s).  Such statuses are tested
 * against the list of their ids instead (status_ids_add), which SQLite
 * builds from the status index once per statement: about 0.4 us an id,
 * hence the bound (counted through the index, at most that many
 * entries). */
static tl_status
status_ids_few(store *st, const desk_filter *f, gboolean *few,
	       gboolean *none, char **errmsg)
{
	/* The test build's TIPLINE_STATUS_IDS_MAX lowers it (tests/234). */
	int max = fault_int("TIPLINE_STATUS_IDS_MAX", SEARCH_STATUS_IDS_MAX);
	GString *sql;
	GPtrArray *params;
	sqlite3_stmt *stmt = NULL;
	tl_status rc = TL_OK;

	*few = FALSE;
	*none = FALSE;
	if (f->all || f->statuses == NULL || f->statuses->len == 0)
		return TL_OK;
	sql = g_string_new("SELECT count(*) FROM (SELECT 1 FROM submission s "
			   "WHERE 1");
	params = g_ptr_array_new_with_free_func(g_free);
	status_in_add(sql, params, "", "s", f->statuses);
	g_string_append_printf(sql, " LIMIT %d)", max);
	if ((stmt = prepare_bound(st, sql->str, params)) == NULL ||
	    sqlite3_step(stmt) != SQLITE_ROW) {
		rc = store_fail(st, "search");
		*errmsg = g_strdup(store_errmsg(st));
	} else {
		*few = sqlite3_column_int64(stmt, 0) < max;
		*none = sqlite3_column_int64(stmt, 0) == 0;
	}
	sqlite3_finalize(stmt);
	g_ptr_array_unref(params);
	g_string_free(sql, TRUE);
	return rc;
}

/* With FEW (status_ids_few), " AND +COL IN (the ids of F's statuses)":
 * a test of each match against a list, before its row is read; "+" keeps
 * FTS5 from taking it as a constraint on its rowid. */
static void
status_ids_add(GString *sql, GPtrArray *params, const desk_filter *f,
	       gboolean few, const char *col)
{
	if (!few)
		return;
	g_string_append_printf(sql, " AND +%s IN (SELECT s.id FROM "
			       "submission s WHERE 1", col);
	status_in_add(sql, params, "", "s", f->statuses);
	g_string_append_c(sql, ')');
}

/* The smallest id among the newest desk_rank_candidates(F) matches of Q
 * that pass F's filters, in *from; 0 when there are fewer (every match
 * is ranked).  FTS5 gives the matches in rowid order from the index and
 * each is looked up until enough pass: a common word on 1,000,000
 * submissions (800,000 matches) takes a few milliseconds.  FEW: as
 * status_ids_add, and then those matches' ids as a JSON array in *ids
 * (g_free; else NULL), so that the ranking tests its matches against
 * them rather than against every id of the statuses again (10 of 55 ms
 * for `kho hang` among 30,000 new). */
static tl_status
search_floor(store *st, const query *q, const desk_filter *f, gboolean few,
	     gint64 *from, char **ids, char **errmsg)
{
	gint64 k = desk_rank_candidates(f->limit, f->offset), n = 0, id = 0;
	GString *sql = NULL, *list = NULL;
	GPtrArray *params = NULL;
	sqlite3_stmt *stmt = NULL;
	tl_status rc = TL_OK;
	int r;

	*from = 0;
	*ids = NULL;
	if (k <= 0)
		return TL_OK;
	sql = g_string_new("SELECT s.id FROM search_folded JOIN submission s "
			   "ON s.id = search_folded.rowid WHERE search_folded "
			   "MATCH ?");
	params = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(params, query_fts(q, TRUE, TRUE));
	status_ids_add(sql, params, f, few, "search_folded.rowid");
	where_add(sql, params, f, "s", search_default, FALSE);
	g_string_append_printf(sql, " ORDER BY search_folded.rowid DESC "
			       "LIMIT %" G_GINT64_FORMAT, k);
	if ((stmt = prepare_bound(st, sql->str, params)) == NULL)
		goto fail;
	if (few)
		list = g_string_new("[");
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		id = sqlite3_column_int64(stmt, 0);
		if (list != NULL)
			g_string_append_printf(list, "%s%" G_GINT64_FORMAT,
					       n > 0 ? "," : "", id);
		n++;
	}
	if (r != SQLITE_DONE)
		goto fail;
	if (n >= k)
		*from = id;	/* the last, the oldest */
	if (list != NULL)
		*ids = g_string_free(g_string_append_c(list, ']'), FALSE);
	list = NULL;
	goto out;
fail:
	rc = store_fail(st, "search");
	*errmsg = g_strdup(store_errmsg(st));
out:
	if (list != NULL)
		g_string_free(list, TRUE);
	sqlite3_finalize(stmt);
	g_ptr_array_unref(params);
	g_string_free(sql, TRUE);
	return rc;
}

/* tl_bm25's COUNTS (desk-rank-priv.h) for the phrases of Q's folded MATCH
 * expression, appended to PARAMS: the rows they are counted among, then
 * each wanted phrase's matches there, in FTS5's order, by one statement
 * reset from phrase to phrase.  The newest DESK_RANK_IDF_ROWS ids when
 * the queue goes higher (their number taken as the span of ids: counting
 * the rows would read that many of the submission table, and only a
 * purge leaves a gap); else every row, "0" (tl_bm25 asks FTS5, as bm25()
 * does).  The excluded phrases come last in FTS5's order and match no
 * result: left out, they weigh nothing. */
static tl_status
search_idf(store *st, const query *q, GPtrArray *params)
{
	/* The test build's TIPLINE_RANK_IDF_ROWS narrows it (tests/233). */
	gint64 window = fault_int("TIPLINE_RANK_IDF_ROWS", DESK_RANK_IDF_ROWS);
	gint64 top = -1, lo;
	guint wanted = 0;
	sqlite3_stmt *s = NULL;
	GString *counts = NULL;
	tl_status rc = TL_SOFTWARE;

	if (sqlite3_prepare_v2(store_db(st), "SELECT coalesce(max(id), 0) "
			       "FROM submission", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		top = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	s = NULL;
	if (top < 0 || sqlite3_prepare_v2(store_db(st), "SELECT count(*) FROM "
			"search_folded WHERE search_folded MATCH ?1 AND "
			"rowid >= ?2", -1, &s, NULL) != SQLITE_OK)
		goto out;
	lo = top > window ? top - window + 1 : 0;
	sqlite3_bind_int64(s, 2, lo);
	counts = g_string_new(NULL);
	g_string_append_printf(counts, "%" G_GINT64_FORMAT,
			       lo > 0 ? top - lo + 1 : 0);
	for (guint g = 0; g < q->groups->len; g++)
		wanted += ((GPtrArray *)q->groups->pdata[g])->len;
	for (guint i = 0; i < wanted; i++) {
		sqlite3_bind_text(s, 1, query_fts_phrase(q, i, TRUE), -1,
				  g_free);
		if (sqlite3_step(s) != SQLITE_ROW)
			goto out;
		g_string_append_printf(counts, " %" G_GINT64_FORMAT,
				       (gint64)sqlite3_column_int64(s, 0));
		sqlite3_reset(s);
	}
	g_ptr_array_add(params, g_string_free(g_steal_pointer(&counts),
					      FALSE));
	rc = TL_OK;
out:
	sqlite3_finalize(s);
	if (counts != NULL)
		g_string_free(counts, TRUE);
	return rc;
}

/* Every id matching Q from id FROM on (0: all), best first (see
 * SEARCH_NEAR), from the index alone; *exact gets the ids matched with
 * their diacritics.  The submission table is not read: most of a large
 * result is never shown. */
static tl_status
search_rank(store *st, const query *q, const desk_filter *f, gboolean few,
	    const char *floor_ids, gint64 from, GArray **ids,
	    GHashTable **exact, char **errmsg)
{
	const char *d = f->reverse ? "ASC" : "DESC";
	const char *a = f->reverse ? "DESC" : "ASC";
	GString *sql = g_string_new("SELECT rowid, ");
	GPtrArray *params = g_ptr_array_new_with_free_func(g_free);
	sqlite3_stmt *stmt = NULL;
	tl_status rc = TL_OK;
	int r;

	*ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	*exact = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
				       NULL);
	if ((rc = desk_rank_register(store_db(st), errmsg)) != TL_OK)
		goto out;
	search_exact_key(sql, params, q, "rowid", from);
	g_string_append(sql, ", ");
	search_prox_key(sql, q);
	g_string_append_printf(sql, " FROM search_folded WHERE search_folded "
	    "MATCH ? AND rowid >= %" G_GINT64_FORMAT, from);
	g_ptr_array_add(params, query_fts(q, TRUE, TRUE));
	/* Only the matches of few statuses are ranked then, the ones
	 * search_floor found when it did: search_rows would drop the
	 * others (the ranking is the same: its weights are counted among
	 * all rows). */
	if (floor_ids != NULL) {
		g_string_append(sql, " AND +rowid IN (SELECT value FROM "
				"json_each(?))");
		g_ptr_array_add(params, g_strdup(floor_ids));
	} else {
		status_ids_add(sql, params, f, few, "rowid");
	}
	g_string_append_printf(sql, " ORDER BY prox %s, exact %s, "
	    "tl_bm25(search_folded, 4.0, 2.0, 1.0, 1.0", d, d);
	if (search_idf(st, q, params) != TL_OK)
		goto fail;
	g_string_append_printf(sql, ", ?) %s, rowid %s", a, d);
	if (sqlite3_prepare_v2(store_db(st), sql->str, -1, &stmt, NULL) !=
	    SQLITE_OK)
		goto fail;
	for (guint i = 0; i < params->len; i++)
		sqlite3_bind_text(stmt, (int)i + 1, params->pdata[i], -1,
				  SQLITE_STATIC);
	while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
		gint64 id = sqlite3_column_int64(stmt, 0);

		g_array_append_val(*ids, id);
		if (sqlite3_column_int(stmt, 1))
			g_hash_table_add(*exact, g_memdup2(&id, sizeof id));
	}
	if (r == SQLITE_DONE)
		goto out;
fail:
	rc = store_fail(st, "search");
	*errmsg = g_strdup(store_errmsg(st));
out:
	sqlite3_finalize(stmt);
	g_ptr_array_unref(params);
	g_string_free(sql, TRUE);
	return rc;
}

/* The rows of IDS[from, from + n) that pass F's filters, in that order,
 * appended to OUT. */
static tl_status
search_rows(store *st, const GArray *ids, guint from, guint n,
	    const desk_filter *f, GPtrArray *out, char **errmsg)
{
	GString *sql = g_string_new(NULL), *list = g_string_new("[");
	GPtrArray *params = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *rows = NULL;
	tl_status rc;

	for (guint i = from; i < from + n; i++)
		g_string_append_printf(list, "%s%" G_GINT64_FORMAT,
				       i > from ? "," : "",
				       g_array_index(ids, gint64, i));
	g_string_append_c(list, ']');
	/* json_each keeps the rank as its key; one lookup per id. */
	g_string_append(sql, "SELECT " ROW_COLUMNS ", (SELECT count(*) FROM "
			"submission c WHERE c.parent_id = s.id) FROM "
			"json_each(?) h JOIN submission s ON s.id = h.value "
			"WHERE 1");
	g_ptr_array_add(params, g_string_free(list, FALSE));
	where_add(sql, params, f, "s", search_default, FALSE);
	g_string_append(sql, " ORDER BY h.key");
	rc = rows_collect(st, sql->str, params, &rows, errmsg);
	if (rc == TL_OK) {
		g_ptr_array_extend_and_steal(out, rows);
		rows = NULL;
	}
	g_ptr_array_unref(params);
	g_string_free(sql, TRUE);
	return rc;
}

/* Relevance order: rank from the index (the newest
 * desk_rank_candidates(F) matches, search_floor), then read rows a chunk
 * at a time until F's offset and limit are filled. */
static tl_status
search_relevance(store *st, const query *q, const desk_filter *f,
		 GPtrArray **rows, char **errmsg)
{
	GArray *ids = NULL;
	GHashTable *exact = NULL;
	GPtrArray *out = NULL;
	guint64 want = f->limit > 0 ? (guint64)f->limit +
		       (guint64)MAX(f->offset, 0) : G_MAXUINT64;
	guint done = 0, chunk = SEARCH_CHUNK;
	gint64 from = 0;
	gboolean few = FALSE, none = FALSE;
	char *floor_ids = NULL;
	tl_status rc;

	out = g_ptr_array_new_with_free_func(row_free);
	if ((rc = status_ids_few(st, f, &few, &none, errmsg)) != TL_OK)
		goto out;
	if (none) {		/* no submission has those statuses */
		*rows = g_steal_pointer(&out);
		goto out;
	}
	if ((rc = search_floor(st, q, f, few, &from, &floor_ids, errmsg)) !=
	    TL_OK)
		goto out;
	rc = search_rank(st, q, f, few, floor_ids, from, &ids, &exact, errmsg);
	if (rc != TL_OK)
		goto out;
	while (done < ids->len && out->len < want) {
		guint n = MIN(chunk, ids->len - done);

		if ((rc = search_rows(st, ids, done, n, f, out, errmsg)) !=
		    TL_OK)
			goto out;
		done += n;
		chunk = chunk < G_MAXUINT / 4 ? chunk * 4 : chunk;
	}
	if (f->offset > 0)
		g_ptr_array_remove_range(out, 0, (guint)MIN((guint64)f->offset,
							    out->len));
	if (f->limit > 0 && out->len > (guint64)f->limit)
		g_ptr_array_set_size(out, (guint)f->limit);
	for (guint i = 0; i < out->len; i++) {
		desk_row *row = out->pdata[i];

		row->exact = g_hash_table_contains(exact, &row->id);
	}
	/* The same marks as a list row (dangerous file, duplicate, seen,
	 * the thread's flags): a result must warn wherever it shows. */
	if ((rc = rows_enrich(st, out, f->editor, errmsg)) != TL_OK)
		goto out;
	*rows = out;
	out = NULL;
out:
	if (out != NULL)
		g_ptr_array_unref(out);
	if (ids != NULL)
		g_array_unref(ids);
	if (exact != NULL)
		g_hash_table_unref(exact);
	g_free(floor_ids);
	return rc;
}

tl_status
desk_search(store *st, const char *query_text, const desk_filter *f,
	    GPtrArray **rows, char **errmsg)
{
	if (store_pg(st) != NULL)
		return pg_desk_search(st, query_text, f, rows, errmsg);
	GString *sql = NULL;
	GPtrArray *params = NULL;
	char *trimmed = g_strstrip(g_strdup(query_text != NULL ?
					    query_text : ""));
	query *q = NULL;
	tl_status rc;

	if (*trimmed == '\0') {
		g_free(trimmed);
		*errmsg = g_strdup("empty search query");
		return TL_USAGE;
	}
	q = query_parse(trimmed);
	g_free(trimmed);
	if (query_is_empty(q)) {
		/* Only punctuation or only exclusions: nothing to look
		 * for, which is no error. */
		query_free(q);
		*rows = g_ptr_array_new_with_free_func(row_free);
		return TL_OK;
	}
	if (f->sort == DESK_SORT_RELEVANCE) {
		rc = search_relevance(st, q, f, rows, errmsg);
		query_free(q);
		return rc;
	}
	/* By date or sender: the usual ORDER BY over the joined rows. */
	sql = g_string_new(NULL);
	params = g_ptr_array_new_with_free_func(g_free);
	g_string_append(sql, "SELECT " ROW_COLUMNS ", (SELECT count(*) FROM "
			"submission c WHERE c.parent_id = s.id), ");
	search_exact_key(sql, params, q, "s.id", 0);
	/* The matches drive this statement (the full-text index), so the
	 * keys' index cannot give their order: they are collated, in the
	 * keys' order (collate_vi), which took 211 ms for `da nang` at a
	 * million against 256 with a lookup of each match's key. */
	g_string_append(sql, " FROM search_folded JOIN submission s ON "
			"s.id = search_folded.rowid WHERE search_folded MATCH "
			"?");
	g_ptr_array_add(params, query_fts(q, TRUE, TRUE));
	where_add(sql, params, f, "s", search_default, FALSE);
	order_add(sql, f, FALSE);
	rc = rows_collect(st, sql->str, params, rows, errmsg);
	if (rc == TL_OK && (rc = rows_enrich(st, *rows, f->editor, errmsg)) !=
	    TL_OK) {
		g_ptr_array_unref(*rows);
		*rows = NULL;
	}
	g_ptr_array_unref(params);
	g_string_free(sql, TRUE);
	query_free(q);
	return rc;
}

/* Indexed by queue_status: the names in the database and the JSON. */
static const char *const status_names[QUEUE_N_STATUSES] = {
	[QUEUE_NEW] = "new", [QUEUE_APPROVED] = "approved",
	[QUEUE_REJECTED] = "rejected", [QUEUE_SPAM] = "spam",
	[QUEUE_AUTO_REPLY] = "auto_reply", [QUEUE_BOUNCE] = "bounce",
	[QUEUE_QUARANTINED] = "quarantined", [QUEUE_TOO_LARGE] = "too_large",
};

const char *
queue_status_name(queue_status s)
{
	return s >= 0 && s < QUEUE_N_STATUSES ? status_names[s] : NULL;
}

queue_status
queue_status_parse(const char *name)
{
	for (int i = 0; name != NULL && i < QUEUE_N_STATUSES; i++)
		if (strcmp(status_names[i], name) == 0)
			return (queue_status)i;
	return QUEUE_INVALID;
}

char *
queue_status_list_name(const GArray *statuses)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < statuses->len; i++)
		g_string_append_printf(s, "%s%s", i ? "," : "",
		    queue_status_name(g_array_index(statuses, queue_status,
						    i)));
	return g_string_free(s, FALSE);
}

/* Indexed by desk_action: the command names, the statuses and the audit
 * actions (whose names are the command names). */
static const struct {
	const char *name;
	queue_status to;
	audit_action audit;
} actions[] = {
	[DESK_APPROVE] = { "approve", QUEUE_APPROVED, AUDIT_APPROVE },
	[DESK_REJECT] = { "reject", QUEUE_REJECTED, AUDIT_REJECT },
	[DESK_SPAM] = { "spam", QUEUE_SPAM, AUDIT_SPAM },
	[DESK_REOPEN] = { "reopen", QUEUE_NEW, AUDIT_REOPEN },
};

const char *
desk_action_name(desk_action a)
{
	return a >= 0 && (gsize)a < G_N_ELEMENTS(actions) ? actions[a].name :
	    NULL;
}

desk_action
desk_action_parse(const char *name)
{
	for (gsize i = 0; name != NULL && i < G_N_ELEMENTS(actions); i++)
		if (strcmp(actions[i].name, name) == 0)
			return (desk_action)i;
	return DESK_INVALID_ACTION;
}

queue_status
desk_action_status(desk_action a)
{
	return a >= 0 && (gsize)a < G_N_ELEMENTS(actions) ? actions[a].to :
	    QUEUE_INVALID;
}

audit_action
desk_action_audit(desk_action a)
{
	return a >= 0 && (gsize)a < G_N_ELEMENTS(actions) ?
	    actions[a].audit : AUDIT_INVALID;
}

tl_status
desk_decide(store *st, const gint64 *ids, guint n, desk_action act,
	    const char *editor, const char *note, desk_decision *results,
	    char **errmsg)
{
	return desk_decide_expect(st, ids, n, NULL, act, editor, note, results,
				  errmsg);
}

/* The version of ID (DESK_VERSION_SQL) into *version; SQLite. */
static tl_status
version_read(store *st, gint64 id, gint64 *version)
{
	sqlite3_stmt *q = store_stmt(st, DESK_VERSION_SQL);
	int r;

	if (q == NULL)
		return store_fail(st, "version");
	sqlite3_bind_int64(q, 1, id);
	r = sqlite3_step(q);
	*version = r == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_reset(q);
	return r == SQLITE_ROW ? TL_OK : store_fail(st, "version");
}

tl_status
desk_expect_load(store *st, const gint64 *ids, guint n, desk_expect *out,
		 char **errmsg)
{
	sqlite3_stmt *q = NULL;
	tl_status rc = TL_OK;
	int r = SQLITE_DONE;

	if (store_pg(st) != NULL)
		return pg_desk_expect_load(st, ids, n, out, errmsg);
	if ((q = store_stmt(st, DESK_EXPECT_SQL)) == NULL) {
		rc = store_fail(st, "version");
		goto out;
	}
	for (guint i = 0; i < n; i++) {
		out[i].status = QUEUE_INVALID;
		out[i].version = 0;
		sqlite3_reset(q);
		sqlite3_bind_int64(q, 1, ids[i]);
		if ((r = sqlite3_step(q)) == SQLITE_ROW) {
			out[i].status = queue_status_parse((const char *)
			    sqlite3_column_text(q, 0));
			out[i].version = sqlite3_column_int64(q, 1);
		} else if (r != SQLITE_DONE) {
			rc = store_fail(st, "version");
			break;
		}
	}
	sqlite3_reset(q);
out:
	if (rc != TL_OK)
		*errmsg = g_strdup(store_errmsg(st));
	return rc;
}

/* Whether D, just read under the write lock, is no longer what EXPECT
 * says the editor saw: its status, then (only if asked) its version. */
static tl_status
stale_check(store *st, desk_decision *d, const desk_expect *expect)
{
	gint64 v;
	tl_status rc;

	if (expect == NULL)
		return TL_OK;
	if (expect->status != QUEUE_INVALID &&
	    expect->status != d->old_status)
		d->stale = TRUE;
	else if (expect->version >= 0) {
		if ((rc = version_read(st, d->id, &v)) != TL_OK)
			return rc;
		d->stale = v != expect->version;
	}
	return TL_OK;
}

tl_status
desk_decide_expect(store *st, const gint64 *ids, guint n,
		   const desk_expect *expect, desk_action act,
		   const char *editor, const char *note,
		   desk_decision *results, char **errmsg)
{
	if (store_pg(st) != NULL)
		return pg_desk_decide_expect(st, ids, n, expect, act, editor,
					     note, results, errmsg);
	sqlite3 *db = store_db(st);
	sqlite3_stmt *sel = NULL, *upd = NULL;
	const char *action = desk_action_name(act);
	const char *to = queue_status_name(desk_action_status(act));
	tl_status rc;
	guint i;

	if (action == NULL || to == NULL) {
		*errmsg = g_strdup_printf("unknown decision %d", (int)act);
		return TL_SOFTWARE;
	}
	/* IMMEDIATE: the write lock first, so what we read is what we
	 * change; a second editor waits (busy timeout) and then sees our
	 * result as its old status. */
	if ((rc = store_begin(st)) != TL_OK)
		goto fail;
	if (sqlite3_prepare_v2(db, "SELECT status FROM submission WHERE "
			       "id = ?", -1, &sel, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "UPDATE submission SET status = ?1 "
			       "WHERE id = ?2 AND status = ?3", -1, &upd,
			       NULL) != SQLITE_OK) {
		rc = store_fail(st, action);
		goto fail;
	}
	for (i = 0; i < n; i++) {
		desk_decision *d = &results[i];
		int r;

		memset(d, 0, sizeof *d);
		d->id = ids[i];
		sqlite3_reset(sel);
		sqlite3_bind_int64(sel, 1, ids[i]);
		r = sqlite3_step(sel);
		if (r == SQLITE_DONE)
			continue;
		if (r != SQLITE_ROW) {
			rc = store_fail(st, action);
			goto fail;
		}
		d->found = TRUE;
		d->old_status = queue_status_parse((const char *)
		    sqlite3_column_text(sel, 0));
		d->new_status = desk_action_status(act);
		sqlite3_reset(sel);
		/* Decided meanwhile?  Read under the write lock, so no
		 * other writer can slip in between. */
		if ((rc = stale_check(st, d, expect != NULL ? &expect[i] :
				      NULL)) != TL_OK)
			goto fail;
		if (d->stale) {
			d->new_status = d->old_status;
			continue;
		}
		sqlite3_reset(upd);
		sqlite3_bind_text(upd, 1, to, -1, SQLITE_STATIC);
		sqlite3_bind_int64(upd, 2, ids[i]);
		sqlite3_bind_text(upd, 3, queue_status_name(d->old_status), -1,
				  SQLITE_STATIC);
		if (sqlite3_step(upd) != SQLITE_DONE) {
			rc = store_fail(st, action);
			goto fail;
		}
		if (sqlite3_changes(db) != 1) {
			/* Compare-and-set lost: only possible if someone
			 * wrote without the lock. Give up, retry later. */
			store_set_error(st, "%s: submission %" G_GINT64_FORMAT
					" changed under us", action, ids[i]);
			rc = TL_TEMPFAIL;
			goto fail;
		}
		rc = store_audit(st, ids[i], editor, desk_action_audit(act),
				 queue_status_name(d->old_status), to, note);
		if (rc != TL_OK)
			goto fail;
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	sel = upd = NULL;
	if ((rc = store_commit(st, 0)) != TL_OK)
		goto fail;
	return TL_OK;
fail:
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	*errmsg = g_strdup(store_errmsg(st));
	store_rollback(st);
	return rc;
}
