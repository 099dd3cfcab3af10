/* pg-stats.c - the numbers behind `tipline stats` on PostgreSQL
 * (store-stats.c's counterpart). */
#include <string.h>

#include "pg-stats-priv.h"

/* Every queue status, in the order `stats` has always shown them (as
 * store-stats.c). */
static const queue_status stats_statuses[] = {
	QUEUE_NEW, QUEUE_QUARANTINED, QUEUE_TOO_LARGE, QUEUE_APPROVED,
	QUEUE_REJECTED, QUEUE_SPAM, QUEUE_AUTO_REPLY, QUEUE_BOUNCE,
};

/* One GROUP BY for all statuses; a status with no row counts 0. */
static tl_status
statuses_load(store *st, store_stats *out)
{
	PGresult *res = NULL;
	tl_status rc;

	rc = pg_run(store_pg(st), "stats", "SELECT status, count(*) FROM "
		    "submission GROUP BY status", NULL, &res);
	if (rc != TL_OK)
		return rc;
	for (gsize i = 0; i < G_N_ELEMENTS(stats_statuses); i++) {
		store_stats_status s = { stats_statuses[i], 0 };
		const char *name = queue_status_name(s.status);

		for (int r = 0; r < PQntuples(res); r++)
			if (g_strcmp0(pg_text(res, r, 0), name) == 0)
				s.count = pg_int(res, r, 1);
		out->total += s.count;
		g_array_append_val(out->statuses, s);
	}
	PQclear(res);
	return TL_OK;
}

static tl_status
days_load(store *st, int days, store_stats *out)
{
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	tl_status rc;

	/* received_utc is ISO 8601, so its first 10 bytes are the UTC day;
	 * the first day counted is today (UTC) less DAYS - 1. */
	pg_p_int(&p, days - 1);
	rc = pg_run(store_pg(st), "stats", "SELECT substr(received_utc, 1, "
		    "10) AS d, count(*) FROM submission WHERE received_utc >= "
		    "to_char((now() AT TIME ZONE 'UTC')::date - $1::int, "
		    "'YYYY-MM-DD') GROUP BY d ORDER BY d", &p, &res);
	pg_params_clear(&p);
	if (rc != TL_OK)
		return rc;
	for (int r = 0; r < PQntuples(res); r++) {
		store_stats_day d = { pg_dup(res, r, 0), pg_int(res, r, 1) };

		g_array_append_val(out->days, d);
	}
	PQclear(res);
	return TL_OK;
}

static tl_status
mailboxes_load(store *st, store_stats *out)
{
	PGresult *res = NULL;
	tl_status rc;

	/* COLLATE "C": byte order, as SQLite's BINARY. */
	rc = pg_run(store_pg(st), "stats", "SELECT mailbox, last_success_utc,"
		    " last_error_utc, last_error, last_uid FROM mailbox_state "
		    "ORDER BY mailbox COLLATE \"C\"", NULL, &res);
	if (rc != TL_OK)
		return rc;
	for (int r = 0; r < PQntuples(res); r++) {
		store_stats_mailbox m;

		m.mailbox = pg_dup(res, r, 0);
		m.last_success_utc = pg_dup(res, r, 1);
		m.last_error_utc = pg_dup(res, r, 2);
		m.last_error = pg_dup(res, r, 3);
		m.last_uid = pg_int(res, r, 4);
		g_array_append_val(out->mailboxes, m);
	}
	PQclear(res);
	return TL_OK;
}

tl_status
pg_store_stats_load(store *st, int days, store_stats *out)
{
	tl_status rc = statuses_load(st, out);

	if (rc == TL_OK)
		rc = days_load(st, days, out);
	if (rc == TL_OK)
		rc = mailboxes_load(st, out);
	return rc;
}
