/* media.c - GPS and danger scan of attachment bytes (see media.h).
 * Stub for now: the interface is fixed, the scanners follow. */
#include "media.h"

struct media_scan {
	int unused;
};

media_scan *
media_scan_new(const char *content_type, const char *filename)
{
	(void)content_type;
	(void)filename;
	return g_new0(media_scan, 1);
}

void
media_scan_feed(media_scan *m, const void *buf, size_t len)
{
	(void)m;
	(void)buf;
	(void)len;
}

void
media_scan_finish(media_scan *m, gboolean *has_gps, double *lat, double *lon,
		  char **danger)
{
	if (has_gps != NULL)
		*has_gps = FALSE;
	if (lat != NULL)
		*lat = 0;
	if (lon != NULL)
		*lon = 0;
	if (danger != NULL)
		*danger = NULL;
	g_free(m);
}
