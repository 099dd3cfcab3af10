/* pg-detail-priv.h - detail.c's detail_load on PostgreSQL (pg-priv.h
 * says how the backend is organised).  Contract as detail_load in
 * store.h. */
#ifndef TIPLINE_PG_DETAIL_PRIV_H
#define TIPLINE_PG_DETAIL_PRIV_H

#include "store-priv.h"

tl_status pg_detail_load(store *st, gint64 id, detail_submission **out,
			 char **errmsg);

#endif
