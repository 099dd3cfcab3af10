/* audit.c - reading the audit log (see store.h). */
#include <string.h>

#include "store-priv.h"
#include "pg-audit-priv.h"

#define AUDIT_COLUMNS "id, coalesce(submission_id, 0), at_utc, editor, " \
	"action, old_status, new_status, note"

/* Indexed by audit_action: the audit table's action column. */
static const char *const action_names[] = {
	[AUDIT_INGEST] = "ingest",
	[AUDIT_APPROVE] = "approve",
	[AUDIT_REJECT] = "reject",
	[AUDIT_SPAM] = "spam",
	[AUDIT_REOPEN] = "reopen",
	[AUDIT_EXPORT] = "export",
	[AUDIT_REPARSE] = "reparse",
	[AUDIT_REFETCH] = "refetch",
	[AUDIT_PURGE] = "purge",
};
G_STATIC_ASSERT(G_N_ELEMENTS(action_names) == AUDIT_N_ACTIONS);

const char *
audit_action_name(audit_action a)
{
	return a >= 0 && a < AUDIT_N_ACTIONS ? action_names[a] : NULL;
}

audit_action
audit_action_parse(const char *name)
{
	for (int i = 0; name != NULL && i < AUDIT_N_ACTIONS; i++)
		if (strcmp(action_names[i], name) == 0)
			return (audit_action)i;
	return AUDIT_INVALID;
}

gboolean
audit_action_decides(audit_action a)
{
	/* As DESK_VERSION_SQL (store-priv.h). */
	return a == AUDIT_APPROVE || a == AUDIT_REJECT || a == AUDIT_SPAM ||
	    a == AUDIT_REOPEN;
}

void
audit_row_free(gpointer p)
{
	audit_row *r = p;

	if (r == NULL)
		return;
	g_free(r->at_utc);
	g_free(r->editor);
	g_free(r->old_status);
	g_free(r->new_status);
	g_free(r->note);
	g_free(r);
}

static char *
col_dup(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);

	return t != NULL ? g_strdup((const char *)t) : NULL;
}

static audit_row *
row_read(sqlite3_stmt *q)
{
	audit_row *r = g_new0(audit_row, 1);

	r->id = sqlite3_column_int64(q, 0);
	r->submission_id = sqlite3_column_int64(q, 1);
	r->at_utc = col_dup(q, 2);
	r->editor = col_dup(q, 3);
	r->action = audit_action_parse((const char *)
				       sqlite3_column_text(q, 4));
	r->old_status = col_dup(q, 5);
	r->new_status = col_dup(q, 6);
	r->note = col_dup(q, 7);
	return r;
}

tl_status
audit_rows_load(store *st, const audit_filter *f, GPtrArray **rows,
		char **errmsg)
{
	GString *sql = NULL;
	GPtrArray *out = NULL;
	sqlite3_stmt *q = NULL;
	tl_status rc = TL_OK;
	int r, n = 0;

	if (store_pg(st) != NULL)
		return pg_audit_rows_load(st, f, rows, errmsg);
	sql = g_string_new("SELECT " AUDIT_COLUMNS " FROM audit WHERE 1");
	out = g_ptr_array_new_with_free_func(audit_row_free);
	if (f->submission_id > 0)
		g_string_append(sql, " AND submission_id = ?1");
	if (f->editor != NULL)
		g_string_append(sql, " AND editor = ?2");
	if (f->since_utc != NULL)
		g_string_append(sql, " AND at_utc >= ?3");
	if (f->until_utc != NULL)
		g_string_append(sql, " AND at_utc < ?4");
	/* The newest LIMIT, then back in the order they were written. */
	g_string_append(sql, " ORDER BY id DESC");
	if (f->limit > 0)
		g_string_append_printf(sql, " LIMIT %" G_GINT64_FORMAT,
				       f->limit);
	if (sqlite3_prepare_v2(store_db(st), sql->str, -1, &q, NULL) !=
	    SQLITE_OK)
		goto fail;
	if (f->submission_id > 0)
		sqlite3_bind_int64(q, 1, f->submission_id);
	sqlite3_bind_text(q, 2, f->editor, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, f->since_utc, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, f->until_utc, -1, SQLITE_STATIC);
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		g_ptr_array_add(out, row_read(q));
		n++;
	}
	if (r != SQLITE_DONE)
		goto fail;
	/* Oldest first. */
	for (int i = 0, j = n - 1; i < j; i++, j--) {
		gpointer t = out->pdata[i];

		out->pdata[i] = out->pdata[j];
		out->pdata[j] = t;
	}
	*rows = out;
	out = NULL;
	goto out;
fail:
	rc = store_fail(st, "audit");
	*errmsg = g_strdup(store_errmsg(st));
out:
	sqlite3_finalize(q);
	if (out != NULL)
		g_ptr_array_unref(out);
	g_string_free(sql, TRUE);
	return rc;
}

tl_status
audit_purge_find(store *st, gint64 id, audit_row **row, gboolean *existed,
		 char **errmsg)
{
	sqlite3_stmt *q = NULL;
	tl_status rc = TL_OK;
	int r;

	if (store_pg(st) != NULL)
		return pg_audit_purge_find(st, id, row, existed, errmsg);
	*row = NULL;
	*existed = FALSE;
	/* Purge rows last: the newest of them if ever there were two. */
	if (sqlite3_prepare_v2(store_db(st), "SELECT " AUDIT_COLUMNS
			       " FROM audit WHERE submission_id = ? ORDER BY "
			       "action = 'purge' DESC, id DESC LIMIT 1", -1,
			       &q, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(q, 1, id);
	r = sqlite3_step(q);
	if (r == SQLITE_ROW) {
		*existed = TRUE;
		if (audit_action_parse((const char *)
				       sqlite3_column_text(q, 4)) ==
		    AUDIT_PURGE)
			*row = row_read(q);
	} else if (r != SQLITE_DONE) {
		goto fail;
	}
	goto out;
fail:
	rc = store_fail(st, "audit");
	*errmsg = g_strdup(store_errmsg(st));
out:
	sqlite3_finalize(q);
	return rc;
}
