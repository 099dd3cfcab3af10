/* detail-build-priv.h - building a detail_submission, which does not
 * depend on the backend: what detail.c (SQLite) and pg-detail.c
 * (PostgreSQL) share; only reading the rows differs. */
#ifndef TIPLINE_DETAIL_BUILD_PRIV_H
#define TIPLINE_DETAIL_BUILD_PRIV_H

#include "store-priv.h"

/* An empty detail_submission with its arrays allocated (detail_free). */
detail_submission *detail_new(void);

/* The OpenStreetMap link of a position (g_free). */
char *detail_map_url(double lat, double lon);

/* "a\nb" (or NULL) as {"a", "b", NULL} split on SEP; empty items are
 * dropped (g_strfreev). */
char **detail_split_items(const char *text, char sep);

/* The error of detail_load for an id with no submission row: purged,
 * removed or never there (TL_DATA, *errmsg set), or the audit log's
 * read error. */
tl_status detail_not_found(store *st, gint64 id, char **errmsg);

#endif
