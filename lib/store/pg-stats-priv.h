/* pg-stats-priv.h - store-stats.c's numbers on PostgreSQL (pg-priv.h
 * says how the backend is organised).  Contract as store_stats_load in
 * store.h; OUT's arrays are already allocated by the caller. */
#ifndef TIPLINE_PG_STATS_PRIV_H
#define TIPLINE_PG_STATS_PRIV_H

#include "store-priv.h"

tl_status pg_store_stats_load(store *st, int days, store_stats *out);

#endif
