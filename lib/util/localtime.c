/* localtime.c - store times (ISO 8601 UTC) in the newsroom's zone, for
 * both faces: the command line (src/) and the browser desk (serve/). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util.h"

/* The local zone, looked up once: GLib's g_time_zone_new_local() reads
 * /etc/localtime again at every call when TZ is unset (its cache is keyed
 * on $TZ), which was most of a 3,000-row `list`.  main() (tipline's and
 * tipline-serve's) sets TZ from [desk] timezone before anything is shown. */
static GTimeZone *
local_zone(void)
{
	static GTimeZone *zone;

	/* tipline-serve calls this from several threads. */
	if (g_once_init_enter(&zone))
		g_once_init_leave(&zone, g_time_zone_new_local());
	return zone;
}

/* The short form for the store's own times ("2024-06-08T23:00:00Z"), with
 * the C library (a tenth of GLib's cost per row of `list`); the zone is
 * the same ($TZ, else /etc/localtime).  NULL for any other form. */
static char *
short_local_time(const char *iso)
{
	static gsize tz_read;
	struct tm tm = { 0 }, lt;
	char buf[32], z = 0;
	time_t t;

	if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year,
		   &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
		   &tm.tm_sec, &z) != 7 || z != 'Z' || strlen(iso) != 20)
		return NULL;
	if (g_once_init_enter(&tz_read)) {
		tzset();
		g_once_init_leave(&tz_read, 1);
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	if (t == (time_t)-1 || localtime_r(&t, &lt) == NULL ||
	    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &lt) == 0)
		return NULL;
	return g_strdup(buf);
}

char *
localtime_text(const char *iso_utc, gboolean longform)
{
	GDateTime *utc = NULL, *local = NULL;
	char *out;

	if (iso_utc == NULL || *iso_utc == '\0')
		return g_strdup("-");
	if (!longform && (out = short_local_time(iso_utc)) != NULL)
		return out;
	utc = g_date_time_new_from_iso8601(iso_utc, NULL);
	if (utc == NULL)
		return g_strdup("-");
	local = g_date_time_to_timezone(utc, local_zone());
	out = g_date_time_format(local, longform ? "%Y-%m-%d %H:%M:%S %:z"
				 : "%Y-%m-%d %H:%M");
	g_date_time_unref(local);
	g_date_time_unref(utc);
	return out != NULL ? out : g_strdup("-");
}

char *
localtime_zone_name(void)
{
	const char *tz = g_getenv("TZ");
	GTimeZone *local;
	char *name;

	if (tz != NULL && *tz == ':')
		tz++;
	if (tz != NULL && *tz != '\0' && *tz != '/')
		return g_strdup(tz);
	local = g_time_zone_new_local();
	name = g_strdup(g_time_zone_get_identifier(local));
	g_time_zone_unref(local);
	if (name == NULL || *name == '\0' || *name == '/') {
		/* A path (/etc/localtime itself): say what it points to,
		 * else that it is the server's own. */
		char *target = g_file_read_link("/etc/localtime", NULL);
		const char *z = target != NULL ?
		    strstr(target, "zoneinfo/") : NULL;

		g_free(name);
		name = g_strdup(z != NULL ? z + strlen("zoneinfo/") :
				"local");
		g_free(target);
	}
	return name;
}
