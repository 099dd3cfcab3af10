/* pg-desk.c - list and decisions on the PostgreSQL backend (see
 * pg-desk-priv.h; the SQLite versions are in desk.c). */
#include <string.h>

#include "desk-walk-priv.h"
#include "pg-desk-priv.h"

/* What needs an editor (issue 2): the default of `list` (desk.c). */
static const queue_status list_default[] = {
	QUEUE_NEW, QUEUE_QUARANTINED, QUEUE_TOO_LARGE, QUEUE_INVALID
};

/* desk.c's tl_fold (nfc_fold): NFC, diacritics off (đ/Đ too: unaccent's
 * default rules), lower case. */
#define FOLD(x) "lower(unaccent(normalize(" x ", NFC)))"

tl_status
pg_desk_connection_setup(store *st, char **errmsg)
{
	tl_status rc = pg_exec(store_pg(st), "desk session", "SET jit = off");

	if (rc != TL_OK)
		*errmsg = g_strdup(store_errmsg(st));
	return rc;
}

void
pg_desk_param(pg_sqlbuf *b, char *value)
{
	g_ptr_array_add(b->params, value);
	g_string_append_printf(b->sql, "$%u", b->params->len);
}

/* The ids of the submissions that carry the DESK_HAS_ BIT by
 * themselves (a SELECT; desk.c's has_set_add).  Photo/video: the
 * declared type, and bytes that media.c read (attachment_media). */
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
		g_string_append_printf(sql, "SELECT a.submission_id FROM "
		    "attachment_media m JOIN attachment a ON a.id = "
		    "m.attachment_id WHERE lower(a.content_type) LIKE '%s/%%'",
		    bit == DESK_HAS_PHOTO ? "image" : "video");
}

/* F's mailbox and has conditions on alias A; with THREADS a root also
 * matches a has bit through one of its follow-ups. */
static void
content_where_add(pg_sqlbuf *b, const desk_filter *f, const char *a,
		  gboolean threads)
{
	if (f->mailbox != NULL) {
		g_string_append_printf(b->sql, " AND %s.source = ", a);
		pg_desk_param(b, g_strconcat("imap:", f->mailbox, NULL));
	}
	for (unsigned bit = 1; bit <= DESK_HAS_DANGER; bit <<= 1) {
		if (!(f->has & bit))
			continue;
		g_string_append_printf(b->sql, " AND %s.id IN (", a);
		has_set_add(b->sql, bit);
		if (threads) {
			g_string_append(b->sql, " UNION ALL SELECT t.parent_id "
					"FROM submission t WHERE t.parent_id "
					"IS NOT NULL AND t.id IN (");
			has_set_add(b->sql, bit);
			g_string_append(b->sql, ")");
		}
		g_string_append(b->sql, ")");
	}
}

void
pg_desk_where(pg_sqlbuf *b, const desk_filter *f, const char *a,
	      const queue_status *defaults, gboolean threads)
{
	gboolean given = f->statuses != NULL && f->statuses->len > 0;
	const char *col = f->arrival_bounds ? "received_utc" : "queue_utc";

	if (!f->all) {
		GString *v = g_string_new("{");

		for (guint i = 0; given ? i < f->statuses->len :
		     defaults[i] != QUEUE_INVALID; i++)
			g_string_append_printf(v, "%s%s", i ? "," : "",
			    queue_status_name(given ? g_array_index(
			    f->statuses, queue_status, i) : defaults[i]));
		g_string_append_c(v, '}');
		g_string_append_printf(b->sql, " AND %s.status = ANY(", a);
		pg_desk_param(b, g_string_free(v, FALSE));
		g_string_append(b->sql, "::text[])");
	}
	if (f->since_utc != NULL) {
		g_string_append_printf(b->sql, " AND %s.%s >= ", a, col);
		pg_desk_param(b, g_strdup(f->since_utc));
	}
	if (f->until_utc != NULL) {
		g_string_append_printf(b->sql, " AND %s.%s < ", a, col);
		pg_desk_param(b, g_strdup(f->until_utc));
	}
	if (f->from != NULL && *f->from != '\0') {
		char *hay = g_strdup_printf("coalesce(%s.from_name, '') || ' ' "
					    "|| coalesce(%s.from_addr, '')", a,
					    a);
		g_string_append_printf(b->sql, " AND strpos(" FOLD("%s")
				       ", lower(unaccent(normalize(", hay);
		pg_desk_param(b, nfc_fold(f->from));
		g_string_append(b->sql, "::text, NFC)))) > 0");
		g_free(hay);
	}
	if (f->has_attachments)
		g_string_append_printf(b->sql, " AND %s.attachment_count > 0",
				       a);
	content_where_add(b, f, a, threads);
}

/* " LIMIT n OFFSET m" of F, when it has either. */
static void
page_add(GString *sql, const desk_filter *f)
{
	if (f->limit > 0)
		g_string_append_printf(sql, " LIMIT %" G_GINT64_FORMAT,
				       f->limit);
	if (f->offset > 0)
		g_string_append_printf(sql, " OFFSET %" G_GINT64_FORMAT,
				       f->offset);
}

const char *
pg_desk_keys_join(const desk_filter *f)
{
	return f->sort == DESK_SORT_SENDER || f->sort == DESK_SORT_GIVEN_NAME ?
	       " JOIN sort_key k ON k.submission_id = s.id" : "";
}

/* By sender or given name: the keys tipline made (sort-key-priv.h), in
 * the order of their index, so that a page is read from it instead of
 * collating the queue with "vi-x-icu"; the same bytes as on SQLite. */
void
pg_desk_order(pg_sqlbuf *b, const desk_filter *f)
{
	const char *dir = f->reverse ? "DESC" : "ASC";
	const char *newest = f->reverse ? "ASC" : "DESC";

	switch (f->sort) {
	case DESK_SORT_SENDER:
	case DESK_SORT_GIVEN_NAME:
		g_string_append_printf(b->sql, " ORDER BY k.%s %s, "
		    "k.submission_id %s", f->sort == DESK_SORT_SENDER ?
		    "sender" : "given", dir, dir);
		break;
	/* Relevance outside a search has no score: by date (desk.c). */
	case DESK_SORT_RELEVANCE:
	case DESK_SORT_DATE:
	case DESK_SORT_ARRIVAL:
	default:
		g_string_append_printf(b->sql, " ORDER BY s.%s %s, s.id %s",
		    f->sort == DESK_SORT_ARRIVAL ? "received_utc" :
		    "queue_utc", newest, newest);
		break;
	}
	page_add(b->sql, f);
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

GPtrArray *
pg_desk_rows_new(void)
{
	return g_ptr_array_new_with_free_func(row_free);
}

/* Run B's statement; *res as pg_run.  *errmsg set on error. */
static tl_status
buf_run(store *st, pg_sqlbuf *b, const char *what, PGresult **res,
	char **errmsg)
{
	pg_params p = PG_PARAMS_INIT;
	tl_status rc;

	if (b->params->len > PG_MAX_PARAMS) {
		*errmsg = g_strdup_printf("%s: too many parameters", what);
		return TL_SOFTWARE;
	}
	for (guint i = 0; i < b->params->len; i++)
		pg_p_text(&p, b->params->pdata[i]);
	rc = pg_run(store_pg(st), what, b->sql->str, &p, res);
	pg_params_clear(&p);
	if (rc != TL_OK)
		*errmsg = g_strdup(store_errmsg(st));
	return rc;
}

tl_status
pg_desk_rows(store *st, pg_sqlbuf *b, pg_desk_extra_fn read_extra,
	     void *data, GPtrArray **rows, char **errmsg)
{
	PGresult *res = NULL;
	GPtrArray *out;
	tl_status rc;

	*rows = NULL;
	if ((rc = buf_run(st, b, "query", &res, errmsg)) != TL_OK)
		return rc;
	out = pg_desk_rows_new();
	for (int i = 0; i < PQntuples(res); i++) {
		desk_row *row = g_new0(desk_row, 1);

		row->id = pg_int(res, i, 0);
		row->status = queue_status_parse(pg_text(res, i, 1));
		row->date_utc = pg_dup(res, i, 2);
		row->from_name = pg_dup(res, i, 3);
		row->from_addr = pg_dup(res, i, 4);
		row->subject = pg_dup(res, i, 5);
		row->attachment_count = pg_int(res, i, 6);
		row->has_gps = pg_int(res, i, 7) != 0;
		row->parent_id = pg_int(res, i, 8);
		row->queue_utc = pg_dup(res, i, 9);
		row->date_implausible = row->queue_utc != NULL &&
		    g_strcmp0(row->queue_utc, row->date_utc) != 0;
		row->follow_ups = pg_int(res, i, 10);
		if (read_extra != NULL)
			read_extra(row, res, i, PG_ROW_NCOLUMNS, data);
		g_ptr_array_add(out, row);
	}
	PQclear(res);
	*rows = out;
	return TL_OK;
}

/* Every row's flags at once: R the rows' ids in order ($1), $2 the
 * editor (NULL: everything unseen), $3 the ids that start a thread (the
 * thread columns are NULL for the others). */
static const char enrich_sql[] =
	"SELECT EXISTS (SELECT 1 FROM attachment a WHERE a.submission_id = "
	"r.id AND a.danger IS NOT NULL), coalesce((SELECT k.duplicate_of "
	"FROM text_key k WHERE k.submission_id = r.id), 0), $2::text IS NULL "
	"OR NOT EXISTS (SELECT 1 FROM seen WHERE editor = $2 AND "
	"submission_id = r.id), (SELECT received_utc FROM submission WHERE "
	"id = r.id), th.* FROM unnest($1::bigint[]) WITH ORDINALITY AS "
	"r(id, ord) LEFT JOIN LATERAL (SELECT sum(t.attachment_count), "
	"max(t.has_gps), bool_or(EXISTS (SELECT 1 FROM attachment a WHERE "
	"a.submission_id = t.id AND a.danger IS NOT NULL)), "
	"bool_or(t.status = 'quarantined'), max(t.received_utc), "
	"bool_or(t.id <> r.id AND ($2::text IS NULL OR NOT EXISTS (SELECT 1 "
	"FROM seen WHERE editor = $2 AND submission_id = t.id))), "
	"max(t.queue_utc) FROM submission t WHERE r.id = ANY($3::bigint[]) "
	"AND (t.id = r.id OR t.parent_id = r.id)) th ON true ORDER BY r.ord";

static void
enrich_one(desk_row *r, const PGresult *res, int i)
{
	r->has_danger = pg_int(res, i, 0) != 0;
	r->duplicate_of = pg_int(res, i, 1);
	r->unseen = pg_int(res, i, 2) != 0;
	if (r->received_utc == NULL)
		r->received_utc = pg_dup(res, i, 3);
	r->thread_attachments = r->attachment_count;
	r->thread_gps = r->has_gps;
	r->thread_danger = r->has_danger;
	r->thread_quarantined = r->status == QUEUE_QUARANTINED;
	r->thread_latest_utc = g_strdup(r->received_utc);
	if (r->follow_ups == 0 || r->parent_id > 0 || PQgetisnull(res, i, 4))
		return;
	r->thread_attachments = pg_int(res, i, 4);
	r->thread_gps = pg_int(res, i, 5) != 0;
	r->thread_danger = pg_int(res, i, 6) != 0;
	r->thread_quarantined = pg_int(res, i, 7) != 0;
	g_free(r->thread_latest_utc);
	r->thread_latest_utc = pg_dup(res, i, 8);
	r->unseen |= pg_int(res, i, 9) != 0;
	r->thread_latest_queue_utc = pg_dup(res, i, 10);
}

tl_status
pg_desk_enrich(store *st, GPtrArray *rows, const char *editor,
	       char **errmsg)
{
	GString *ids = g_string_new("{"), *roots = g_string_new("{");
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	tl_status rc = TL_OK;

	if (rows->len == 0)
		goto out;
	for (guint i = 0; i < rows->len; i++) {
		const desk_row *r = rows->pdata[i];

		g_string_append_printf(ids, "%s%" G_GINT64_FORMAT,
				       i ? "," : "", r->id);
		if (r->follow_ups > 0 && r->parent_id == 0)
			g_string_append_printf(roots, "%s%" G_GINT64_FORMAT,
					       roots->len > 1 ? "," : "",
					       r->id);
	}
	g_string_append_c(ids, '}');
	g_string_append_c(roots, '}');
	pg_p_text(&p, ids->str);
	pg_p_text(&p, editor);
	pg_p_text(&p, roots->str);
	rc = pg_run(store_pg(st), "flags", enrich_sql, &p, &res);
	if (rc == TL_OK && PQntuples(res) != (int)rows->len) {
		store_set_error(st, "flags: %d rows for %u ids",
				PQntuples(res), rows->len);
		rc = TL_SOFTWARE;
	}
	if (rc != TL_OK) {
		*errmsg = g_strdup(store_errmsg(st));
		goto out;
	}
	for (guint i = 0; i < rows->len; i++)
		enrich_one(rows->pdata[i], res, (int)i);
out:
	PQclear(res);
	pg_params_clear(&p);
	g_string_free(ids, TRUE);
	g_string_free(roots, TRUE);
	return rc;
}

/* Every thread's follow-ups at once (desk.c's THREADS_CTE). */
#define THREADS_CTE "WITH t AS (SELECT parent_id AS root, count(*) AS n, " \
	"max(queue_utc) AS queue_utc, max(received_utc) AS received_utc, " \
	"max(id) AS id FROM submission WHERE parent_id IS NOT NULL " \
	"GROUP BY parent_id) "

/* desk.c's list_where; WITH_T when the query joins THREADS_CTE as t. */
static void
list_where(pg_sqlbuf *b, const desk_filter *f, gboolean with_t)
{
	pg_desk_where(b, f, "s", list_default, !f->no_threads);
	if (!f->no_threads) {
		/* A follow-up rides with its root when the root is listed
		 * too; alone it must still reach an editor.  A scalar
		 * subquery, not NOT EXISTS: PostgreSQL turns that into a
		 * hashed subplan that reads every root of the queue first
		 * (67 of the 72 ms of a page of 50 out of 22,000). */
		g_string_append(b->sql, " AND (s.parent_id IS NULL OR (SELECT "
				"count(*) FROM submission r WHERE "
				"r.id = s.parent_id");
		pg_desk_where(b, f, "r", list_default, TRUE);
		g_string_append(b->sql, ") = 0)");
	}
	if (f->unseen) {
		/* Unseen: the row itself, or (a thread) a follow-up. */
		const char *e = f->editor != NULL ? f->editor : "";

		g_string_append(b->sql, " AND (NOT EXISTS (SELECT 1 FROM seen "
				"WHERE editor = ");
		pg_desk_param(b, g_strdup(e));
		g_string_append(b->sql, " AND submission_id = s.id)");
		if (!f->no_threads) {
			g_string_append_printf(b->sql, " OR (%sEXISTS (SELECT "
			    "1 FROM submission c WHERE "
			    "c.parent_id = s.id AND NOT EXISTS (SELECT 1 "
			    "FROM seen WHERE editor = ",
			    with_t ? "t.n IS NOT NULL AND " : "");
			pg_desk_param(b, g_strdup(e));
			g_string_append(b->sql, " AND submission_id = "
					"c.id)))");
		}
		g_string_append(b->sql, ")");
	}
}

static void
list_extra(desk_row *row, const PGresult *res, int i, int col, void *data)
{
	(void)data;
	row->received_utc = pg_dup(res, i, col);
}

/* The messages list_walk reads in one statement at first beyond the
 * page's last row: the rest of its time and a few follow-ups met on the
 * way, so that one statement is usually enough (each further one reads
 * twice as many).  Few: a filter that passes 3 % of the rows (the new
 * ones) reads 30 rows from the time index for each one asked. */
#define WALK_SLACK(n) ((n) / 32 + 8)

/* Append to Q the statement of the next MAX messages of a walk
 * (desk-walk-priv.h, desk.c's list_walk): the selected rows by their own
 * time and the follow-ups of selected roots by theirs, merged newest
 * first, or oldest first when UP (a Merge Append of two index scans), as
 * (row, time, id, and when UP the row's thread key).  AFTER (NULL at
 * first) and AFTER_ID: the last message read, after which the next
 * statement goes on.  COND selects rows as list_where without t (its
 * parameters are Q's first ones); COL is queue_utc or received_utc. */
static void
walk_sql(pg_sqlbuf *q, const char *cond, const char *col, gboolean up,
	 gint64 max, const char *after, gint64 after_id)
{
	const char *dir = up ? "ASC" : "DESC";
	char *own = NULL, *fu = NULL, *key;

	if (after != NULL) {
		guint n = q->params->len;

		g_ptr_array_add(q->params, g_strdup(after));
		g_ptr_array_add(q->params, g_strdup_printf("%" G_GINT64_FORMAT,
							   after_id));
		own = g_strdup_printf(" AND (s.%s, s.id) %s ($%u, $%u::bigint)",
				      col, up ? ">" : "<", n + 1, n + 2);
		fu = g_strdup_printf(" AND (c.%s, c.id) %s ($%u, $%u::bigint)",
				     col, up ? ">" : "<", n + 1, n + 2);
	}
	/* The thread key of the row s (root of c), from submission_thread. */
	key = up ? g_strdup_printf("greatest(s.%s, (SELECT max(x.%s) FROM "
				   "submission x WHERE x.parent_id = s.id))",
				   col, col) : g_strdup("NULL::text");
	g_string_append_printf(q->sql, "SELECT r, k, m, rk FROM ((SELECT s.id "
	    "AS r, s.%s AS k, s.id AS m, %s AS rk FROM submission s WHERE "
	    "true%s%s ORDER BY s.%s %s, s.id %s LIMIT %" G_GINT64_FORMAT ") "
	    "UNION ALL (SELECT c.parent_id, c.%s, c.id, %s FROM submission c "
	    "JOIN submission s ON s.id = c.parent_id WHERE c.parent_id IS NOT "
	    "NULL%s%s ORDER BY c.%s %s, c.id %s LIMIT %" G_GINT64_FORMAT ")) "
	    "w ORDER BY k %s, m %s LIMIT %" G_GINT64_FORMAT, col, key, cond,
	    own != NULL ? own : "", col, dir, dir, max, col, key, cond,
	    fu != NULL ? fu : "", col, dir, dir, max, dir, dir, max);
	g_free(own);
	g_free(fu);
	g_free(key);
}

/* Feed RES's messages to W; oldest first (UP) a row only at its key,
 * its last message. */
static void
walk_feed(desk_walk *w, const PGresult *res, gboolean up)
{
	for (int i = 0; i < PQntuples(res); i++)
		if ((!up || strcmp(pg_text(res, i, 1), pg_text(res, i, 3)) ==
		     0) && desk_walk_add(w, pg_int(res, i, 0),
					 pg_text(res, i, 1)))
			break;
}

/* The rows of a page of a thread-sorted list into W, as desk.c's
 * list_walk: read down to the page and no further (1,000 pages deep of
 * a million: 50,000 messages, instead of every row's thread key computed
 * and sorted), in statements of a few thousand rows or more, each going
 * on after the last.  COND selects rows as list_where without t; UP: a
 * reverse list, oldest first. */
static tl_status
list_walk(store *st, const pg_sqlbuf *cond, const char *col, gboolean up,
	  desk_walk *w, char **errmsg)
{
	gint64 max = w->to < G_MAXINT64 / 2 ? w->to + WALK_SLACK(w->to) :
		     G_MAXINT64, after_id = 0;
	char *after = NULL;
	tl_status rc = TL_OK;

	while (rc == TL_OK && !w->done) {
		pg_sqlbuf q = { g_string_new(NULL),
				g_ptr_array_new_with_free_func(g_free) };
		PGresult *res = NULL;
		int n;

		for (guint j = 0; j < cond->params->len; j++)
			g_ptr_array_add(q.params,
					g_strdup(cond->params->pdata[j]));
		walk_sql(&q, cond->sql->str, col, up, max, after, after_id);
		rc = buf_run(st, &q, "page", &res, errmsg);
		n = rc == TL_OK ? PQntuples(res) : 0;
		if (rc == TL_OK)
			walk_feed(w, res, up);
		if (rc == TL_OK && n < max)
			desk_walk_end(w);
		else if (rc == TL_OK && !w->done) {
			g_free(after);
			after = pg_dup(res, n - 1, 1);
			after_id = pg_int(res, n - 1, 2);
			max = max < G_MAXINT64 / 2 ? max * 2 : G_MAXINT64;
		}
		PQclear(res);
		g_ptr_array_unref(q.params);
		g_string_free(q.sql, TRUE);
	}
	g_free(after);
	return rc;
}

/* Append " AND s.id = ANY($N)" of W's rows to B: a page's few. */
static void
walk_ids_add(pg_sqlbuf *b, const desk_walk *w)
{
	GString *v = g_string_new("{");

	for (guint i = 0; i < w->ids->len; i++)
		g_string_append_printf(v, "%s%" G_GINT64_FORMAT, i ? "," : "",
				       g_array_index(w->ids, gint64, i));
	g_string_append_c(v, '}');
	g_string_append(b->sql, " AND s.id = ANY(");
	pg_desk_param(b, g_string_free(v, FALSE));
	g_string_append(b->sql, "::bigint[])");
}

/* Start the one snapshot of a page's statements, unless the caller's
 * transaction is it; *own whether we did. */
static tl_status
snapshot_begin(store *st, gboolean *own, char **errmsg)
{
	tl_status rc = TL_OK;

	*own = PQtransactionStatus(store_pg(st)->conn) == PQTRANS_IDLE;
	if (*own && (rc = pg_exec(store_pg(st), "page", "BEGIN ISOLATION "
	    "LEVEL REPEATABLE READ READ ONLY")) != TL_OK) {
		*own = FALSE;
		*errmsg = g_strdup(store_errmsg(st));
	}
	return rc;
}

tl_status
pg_desk_list(store *st, const desk_filter *f, GPtrArray **rows,
	     char **errmsg)
{
	pg_sqlbuf b = { g_string_new(NULL),
			g_ptr_array_new_with_free_func(g_free) };
	pg_sqlbuf cond = { g_string_new(NULL), b.params };
	gboolean by_time = f->sort == DESK_SORT_DATE ||
	    f->sort == DESK_SORT_ARRIVAL || f->sort == DESK_SORT_RELEVANCE;
	const char *col = f->sort == DESK_SORT_ARRIVAL ? "received_utc" :
	    "queue_utc";
	gboolean own_tx = FALSE, paged = by_time && !f->no_threads &&
	    f->limit > 0;
	desk_filter page = *f;
	desk_walk w;
	tl_status rc;

	*rows = NULL;
	desk_walk_init(&w, f->offset, f->limit);
	g_string_append_printf(b.sql, THREADS_CTE "SELECT " PG_ROW_COLUMNS
			       ", coalesce(t.n, 0), s.received_utc FROM "
			       "submission s%s LEFT JOIN t ON t.root = s.id "
			       "WHERE true", pg_desk_keys_join(f));
	list_where(&cond, f, !paged);
	if (paged) {
		if ((rc = snapshot_begin(st, &own_tx, errmsg)) != TL_OK ||
		    (rc = list_walk(st, &cond, col, f->reverse, &w,
				     errmsg)) != TL_OK)
			goto out;
		/* The page's groups, sorted below; the walk counted the
		 * rows before them. */
		g_ptr_array_set_size(b.params, 0);
		walk_ids_add(&b, &w);
		page.offset = w.skip;
	} else {
		g_string_append(b.sql, cond.sql->str);
	}
	if (by_time && !f->no_threads) {
		const char *dir = f->reverse ? "ASC" : "DESC";

		/* A thread sits where its latest message would; ties (times
		 * are to the second): the thread with the later message,
		 * by id, which grows with arrival. */
		g_string_append_printf(b.sql, " ORDER BY greatest(s.%s, "
		    "coalesce(t.%s, '')) %s, greatest(s.id, coalesce(t.id, "
		    "0)) %s", col, col, dir, dir);
		page_add(b.sql, &page);
	} else {
		pg_desk_order(&b, f);
	}
	rc = pg_desk_rows(st, &b, list_extra, NULL, rows, errmsg);
	if (rc == TL_OK && (rc = pg_desk_enrich(st, *rows, f->editor,
						errmsg)) != TL_OK) {
		g_ptr_array_unref(*rows);
		*rows = NULL;
	}
out:
	if (own_tx)
		pg_exec(store_pg(st), "page", "COMMIT");
	desk_walk_clear(&w);
	g_ptr_array_unref(b.params);
	g_string_free(cond.sql, TRUE);
	g_string_free(b.sql, TRUE);
	return rc;
}

/* One decision on one id: the old status read under a row lock (FOR
 * UPDATE: a second editor waits for our COMMIT and then reads our result
 * as its old status, as BEGIN IMMEDIATE makes it in SQLite), compared
 * with what the editor saw, then the new one written; no row: no such
 * id. */
static const char lock_sql[] =
	"SELECT status FROM submission WHERE id = $1 FOR UPDATE";
static const char decide_sql[] =
	"UPDATE submission SET status = $2 WHERE id = $1";

/* The version of ID (DESK_VERSION_SQL) into *version. */
static tl_status
version_read(store *st, gint64 id, gint64 *version)
{
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	tl_status rc;

	pg_p_int(&p, id);
	rc = pg_run(store_pg(st), "version", DESK_VERSION_SQL, &p, &res);
	*version = rc == TL_OK && PQntuples(res) == 1 ? pg_int(res, 0, 0) : 0;
	PQclear(res);
	pg_params_clear(&p);
	return rc;
}

tl_status
pg_desk_expect_load(store *st, const gint64 *ids, guint n, desk_expect *out,
		    char **errmsg)
{
	tl_status rc = TL_OK;

	for (guint i = 0; i < n && rc == TL_OK; i++) {
		pg_params p = PG_PARAMS_INIT;
		PGresult *res = NULL;

		out[i].status = QUEUE_INVALID;
		out[i].version = 0;
		pg_p_int(&p, ids[i]);
		rc = pg_run(store_pg(st), "version", DESK_EXPECT_SQL, &p,
			    &res);
		if (rc == TL_OK && PQntuples(res) == 1) {
			out[i].status = queue_status_parse(pg_text(res, 0,
								   0));
			out[i].version = pg_int(res, 0, 1);
		}
		PQclear(res);
		pg_params_clear(&p);
	}
	if (rc != TL_OK)
		*errmsg = g_strdup(store_errmsg(st));
	return rc;
}

/* Whether D, read under its row lock, is no longer what EXPECT (may be
 * NULL) says the editor saw: its status, then (only if asked) its
 * version.  Every decision on D->id takes that row lock before it writes
 * its audit row, so the version cannot move under us. */
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

/* Read (and lock) the status of D->id; then, unless EXPECT (may be NULL)
 * says it is stale, write TO. */
static tl_status
decide_one(store *st, desk_decision *d, const desk_expect *expect,
	   desk_action act, const char *action, const char *to)
{
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	tl_status rc;

	pg_p_int(&p, d->id);
	rc = pg_run(store_pg(st), action, lock_sql, &p, &res);
	if (rc != TL_OK || PQntuples(res) != 1)
		goto out;
	d->found = TRUE;
	d->old_status = queue_status_parse(pg_text(res, 0, 0));
	d->new_status = desk_action_status(act);
	/* Decided meanwhile?  Read under the row lock, so no other writer
	 * can slip in between. */
	if ((rc = stale_check(st, d, expect)) != TL_OK || d->stale) {
		d->new_status = d->old_status;
		goto out;
	}
	pg_p_text(&p, to);
	rc = pg_run(store_pg(st), action, decide_sql, &p, NULL);
out:
	PQclear(res);
	pg_params_clear(&p);
	return rc;
}

tl_status
pg_desk_decide_expect(store *st, const gint64 *ids, guint n,
		      const desk_expect *expect, desk_action act,
		      const char *editor, const char *note,
		      desk_decision *results, char **errmsg)
{
	const char *action = desk_action_name(act);
	const char *to = queue_status_name(desk_action_status(act));
	tl_status rc;

	if (action == NULL || to == NULL) {
		*errmsg = g_strdup_printf("unknown decision %d", (int)act);
		return TL_SOFTWARE;
	}
	if ((rc = store_begin(st)) != TL_OK)
		goto fail;
	for (guint i = 0; i < n; i++) {
		desk_decision *d = &results[i];

		memset(d, 0, sizeof *d);
		d->id = ids[i];
		rc = decide_one(st, d, expect != NULL ? &expect[i] : NULL,
				act, action, to);
		if (rc != TL_OK)
			goto fail;
		if (!d->found || d->stale)
			continue;
		rc = store_audit(st, ids[i], editor, desk_action_audit(act),
				 queue_status_name(d->old_status), to, note);
		if (rc != TL_OK)
			goto fail;
	}
	if ((rc = store_commit(st, 0)) != TL_OK)
		goto fail;
	return TL_OK;
fail:
	*errmsg = g_strdup(store_errmsg(st));
	store_rollback(st);
	return rc;
}
