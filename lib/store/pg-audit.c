/* pg-audit.c - reading the audit log on PostgreSQL (audit.c's
 * counterpart; store.h has the contracts). */
#include <string.h>

#include "pg-audit-priv.h"

/* The columns row_read expects, in audit.c's order. */
#define AUDIT_COLUMNS "id, coalesce(submission_id, 0), at_utc, editor, " \
	"action, old_status, new_status, note"

static audit_row *
row_read(const PGresult *res, int i)
{
	audit_row *r = g_new0(audit_row, 1);

	r->id = pg_int(res, i, 0);
	r->submission_id = pg_int(res, i, 1);
	r->at_utc = pg_dup(res, i, 2);
	r->editor = pg_dup(res, i, 3);
	r->action = audit_action_parse(pg_text(res, i, 4));
	r->old_status = pg_dup(res, i, 5);
	r->new_status = pg_dup(res, i, 6);
	r->note = pg_dup(res, i, 7);
	return r;
}

tl_status
pg_audit_rows_load(store *st, const audit_filter *f, GPtrArray **rows,
		   char **errmsg)
{
	GString *sql = g_string_new("SELECT " AUDIT_COLUMNS " FROM audit "
				    "WHERE true");
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	GPtrArray *out = NULL;
	tl_status rc;

	/* Numbered as they are added: PostgreSQL wants every $n used. */
	if (f->submission_id > 0) {
		pg_p_int(&p, f->submission_id);
		g_string_append_printf(sql, " AND submission_id = $%d", p.n);
	}
	if (f->editor != NULL) {
		pg_p_text(&p, f->editor);
		g_string_append_printf(sql, " AND editor = $%d", p.n);
	}
	if (f->since_utc != NULL) {
		pg_p_text(&p, f->since_utc);
		g_string_append_printf(sql, " AND at_utc >= $%d", p.n);
	}
	if (f->until_utc != NULL) {
		pg_p_text(&p, f->until_utc);
		g_string_append_printf(sql, " AND at_utc < $%d", p.n);
	}
	/* The newest LIMIT, then back in the order they were written. */
	g_string_append(sql, " ORDER BY id DESC");
	if (f->limit > 0)
		g_string_append_printf(sql, " LIMIT %" G_GINT64_FORMAT,
				       f->limit);
	rc = pg_run(store_pg(st), "audit", sql->str, &p, &res);
	if (rc != TL_OK) {
		*errmsg = g_strdup(store_errmsg(st));
		goto out;
	}
	out = g_ptr_array_new_with_free_func(audit_row_free);
	/* Oldest first. */
	for (int i = PQntuples(res) - 1; i >= 0; i--)
		g_ptr_array_add(out, row_read(res, i));
	*rows = out;
out:
	PQclear(res);
	pg_params_clear(&p);
	g_string_free(sql, TRUE);
	return rc;
}

tl_status
pg_audit_purge_find(store *st, gint64 id, audit_row **row,
		    gboolean *existed, char **errmsg)
{
	pg_params p = PG_PARAMS_INIT;
	PGresult *res = NULL;
	tl_status rc;

	*row = NULL;
	*existed = FALSE;
	pg_p_int(&p, id);
	/* Purge rows last: the newest of them if ever there were two. */
	rc = pg_run(store_pg(st), "audit", "SELECT " AUDIT_COLUMNS " FROM "
		    "audit WHERE submission_id = $1 ORDER BY action = 'purge'"
		    " DESC, id DESC LIMIT 1", &p, &res);
	pg_params_clear(&p);
	if (rc != TL_OK) {
		*errmsg = g_strdup(store_errmsg(st));
		return rc;
	}
	if (PQntuples(res) > 0) {
		*existed = TRUE;
		if (audit_action_parse(pg_text(res, 0, 4)) == AUDIT_PURGE)
			*row = row_read(res, 0);
	}
	PQclear(res);
	return TL_OK;
}
