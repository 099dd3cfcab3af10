/* pool.c - the server's store connections: one per pool thread, opened
 * at start, each taken by one request at a time (issue 12).  SQLite
 * connections are cheap and a connection's cached statements are not
 * thread-safe, so a request borrows a whole connection instead of
 * holding one lock over one shared connection: a slow request (a
 * preview decode may take its worker's 30 s) no longer blocks every
 * other page.  Writers still queue up in SQLite (BEGIN IMMEDIATE and the
 * busy timeout), as separate processes do. */
#include "serve.h"

tl_status
serve_pool_open(serve_ctx *ctx, guint n, char **errmsg)
{
	const tl_config *cfg = ctx->cfg;

	ctx->stores = g_async_queue_new();
	ctx->stores_all = g_ptr_array_new();
	for (guint i = 0; i < n; i++) {
		store *st = NULL;
		tl_status rc;

		if ((rc = store_open(cfg->database, cfg->passfile,
				     STORE_WRITE, cfg->busy_timeout_ms, &st,
				     errmsg)) != TL_OK)
			return rc;
		g_ptr_array_add(ctx->stores_all, st);
		if ((rc = desk_connection_setup(st, errmsg)) != TL_OK)
			return rc;
		g_async_queue_push(ctx->stores, st);
	}
	return TL_OK;
}

store *
serve_pool_take(serve_ctx *ctx)
{
	return g_async_queue_pop(ctx->stores);
}

void
serve_pool_give(serve_ctx *ctx, store *st)
{
	if (st != NULL)
		g_async_queue_push(ctx->stores, st);
}

void
serve_pool_close(serve_ctx *ctx)
{
	if (ctx->stores_all != NULL) {
		for (guint i = 0; i < ctx->stores_all->len; i++)
			store_close(ctx->stores_all->pdata[i]);
		g_ptr_array_unref(ctx->stores_all);
		ctx->stores_all = NULL;
	}
	if (ctx->stores != NULL) {
		g_async_queue_unref(ctx->stores);
		ctx->stores = NULL;
	}
}
