/* store-stats.c - the numbers behind `tipline stats`: submissions per
 * queue status, per UTC day, and how each mailbox's last fetch ended. */
#include <string.h>

#include "util.h"
#include "store-priv.h"
#include "pg-stats-priv.h"

/* Every queue status, in the order `stats` has always shown them. */
static const queue_status stats_statuses[] = {
	QUEUE_NEW, QUEUE_QUARANTINED, QUEUE_TOO_LARGE, QUEUE_APPROVED,
	QUEUE_REJECTED, QUEUE_SPAM, QUEUE_AUTO_REPLY, QUEUE_BOUNCE,
};

static char *
col_dup(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);

	return t != NULL ? g_strdup((const char *)t) : NULL;
}

static tl_status
stats_statuses_load(store *st, store_stats *out)
{
	sqlite3_stmt *q = NULL;
	tl_status rc = TL_OK;

	if (sqlite3_prepare_v2(store_db(st), "SELECT count(*) FROM submission "
			       "WHERE status = ?", -1, &q, NULL) != SQLITE_OK)
		return store_fail(st, "stats");
	for (gsize i = 0; i < G_N_ELEMENTS(stats_statuses); i++) {
		store_stats_status s = { stats_statuses[i], 0 };

		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, queue_status_name(s.status), -1,
				  SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_ROW) {
			rc = store_fail(st, "stats");
			break;
		}
		s.count = sqlite3_column_int64(q, 0);
		out->total += s.count;
		g_array_append_val(out->statuses, s);
	}
	sqlite3_finalize(q);
	return rc;
}

static tl_status
stats_days_load(store *st, int days, store_stats *out)
{
	sqlite3_stmt *q = NULL;
	tl_status rc = TL_OK;
	int r;

	/* received_utc is ISO 8601, so its first 10 bytes are the UTC day. */
	if (sqlite3_prepare_v2(store_db(st), "SELECT substr(received_utc, 1, "
	    "10) AS d, count(*) FROM submission WHERE received_utc >= "
	    "strftime('%Y-%m-%d', 'now', ?) GROUP BY d ORDER BY d", -1, &q,
	    NULL) != SQLITE_OK)
		return store_fail(st, "stats");
	sqlite3_bind_text(q, 1, g_strdup_printf("-%d days", days - 1), -1,
			  g_free);
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		store_stats_day d = { col_dup(q, 0), sqlite3_column_int64(q,
								      1) };

		g_array_append_val(out->days, d);
	}
	if (r != SQLITE_DONE)
		rc = store_fail(st, "stats");
	sqlite3_finalize(q);
	return rc;
}

static tl_status
stats_mailboxes_load(store *st, store_stats *out)
{
	sqlite3_stmt *q = NULL;
	tl_status rc = TL_OK;
	int r;

	if (sqlite3_prepare_v2(store_db(st), "SELECT mailbox, "
	    "last_success_utc, last_error_utc, last_error, last_uid FROM "
	    "mailbox_state ORDER BY mailbox", -1, &q, NULL) != SQLITE_OK)
		return store_fail(st, "stats");
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		store_stats_mailbox m;

		m.mailbox = col_dup(q, 0);
		m.last_success_utc = col_dup(q, 1);
		m.last_error_utc = col_dup(q, 2);
		m.last_error = col_dup(q, 3);
		m.last_uid = sqlite3_column_int64(q, 4);
		g_array_append_val(out->mailboxes, m);
	}
	if (r != SQLITE_DONE)
		rc = store_fail(st, "stats");
	sqlite3_finalize(q);
	return rc;
}

tl_status
store_stats_load(store *st, int days, store_stats *out)
{
	tl_status rc;

	memset(out, 0, sizeof *out);
	out->statuses = g_array_new(FALSE, FALSE, sizeof(store_stats_status));
	out->days = g_array_new(FALSE, FALSE, sizeof(store_stats_day));
	out->mailboxes = g_array_new(FALSE, FALSE,
				     sizeof(store_stats_mailbox));
	if (store_pg(st) != NULL)
		return pg_store_stats_load(st, days, out);
	rc = stats_statuses_load(st, out);
	if (rc == TL_OK)
		rc = stats_days_load(st, days, out);
	if (rc == TL_OK)
		rc = stats_mailboxes_load(st, out);
	return rc;
}

void
store_stats_clear(store_stats *s)
{
	guint i;

	if (s->days != NULL) {
		for (i = 0; i < s->days->len; i++)
			g_free(g_array_index(s->days, store_stats_day,
					     i).date);
		g_array_unref(s->days);
	}
	if (s->mailboxes != NULL) {
		for (i = 0; i < s->mailboxes->len; i++) {
			store_stats_mailbox *m = &g_array_index(s->mailboxes,
						store_stats_mailbox, i);

			g_free(m->mailbox);
			g_free(m->last_success_utc);
			g_free(m->last_error_utc);
			g_free(m->last_error);
		}
		g_array_unref(s->mailboxes);
	}
	if (s->statuses != NULL)
		g_array_unref(s->statuses);
	memset(s, 0, sizeof *s);
}
