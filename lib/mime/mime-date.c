/* mime-date.c - the Date header, normalised for GMime and repaired where
 * the sender's intent is clear (see mime-date-priv.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mime-date-priv.h"
#include "mime-text-priv.h"

/* Zone names GMime does not know (it takes them as +0000 without a
 * word): the ones Vietnamese and Asian mailers write, and Europe's. */
static int
zone_minutes(const char *z, gboolean *found)
{
	static const struct {
		const char *name;
		int min;
	} zones[] = {
		{ "ICT", 420 }, { "WIB", 420 }, { "SGT", 480 }, { "HKT", 480 },
		{ "PHT", 480 }, { "MYT", 480 }, { "AWST", 480 },
		{ "JST", 540 }, { "KST", 540 }, { "AEST", 600 },
		{ "AEDT", 660 }, { "IST", 330 }, { "CET", 60 },
		{ "CEST", 120 }, { "MET", 60 }, { "MEST", 120 },
		{ "BST", 60 }, { "EET", 120 }, { "EEST", 180 },
		{ "MSK", 180 }, { "WET", 0 }, { "WEST", 60 },
	};

	*found = FALSE;
	for (size_t i = 0; i < G_N_ELEMENTS(zones); i++)
		if (g_ascii_strcasecmp(z, zones[i].name) == 0) {
			*found = TRUE;
			return zones[i].min;
		}
	return 0;
}

/* "AM"/"PM" (also "a.m.", "p.m."): 1 for PM, 0 for AM, -1 otherwise. */
static int
meridiem(const char *t)
{
	if (g_ascii_strcasecmp(t, "pm") == 0 ||
	    g_ascii_strcasecmp(t, "p.m.") == 0)
		return 1;
	if (g_ascii_strcasecmp(t, "am") == 0 ||
	    g_ascii_strcasecmp(t, "a.m.") == 0)
		return 0;
	return -1;
}

/* Is T a time "H:MM" or "H:MM:SS", perhaps with AM/PM glued on? */
static gboolean
is_time(const char *t, int *h)
{
	int m;

	return g_ascii_isdigit(t[0]) && sscanf(t, "%d:%d", h, &m) == 2 &&
	    *h < 24 && m < 60;
}

/* A 12-hour clock: TOK[I] is the time, followed by AM/PM as the next
 * token or glued to it.  Rewrites the hour to 24-hour form, drops the
 * marker, and notes it.  The hour must be 1-12 for the intent to be
 * clear. */
static void
fix_meridiem(char **tok, int i, GPtrArray *notes)
{
	char *t = tok[i], *colon = strchr(t, ':'), *was;
	size_t len = strlen(t), glued = 0;
	int pm = -1, h = atoi(t), h24;

	if (len > 4 && (pm = meridiem(t + len - 4)) >= 0)
		glued = 4;
	else if (len > 2 && (pm = meridiem(t + len - 2)) >= 0)
		glued = 2;
	else if (tok[i + 1] != NULL)
		pm = meridiem(tok[i + 1]);
	if (pm < 0 || colon == NULL)
		return;
	was = glued ? g_strdup(t) : g_strdup_printf("%s %s", t, tok[i + 1]);
	if (h < 1 || h > 12) {
		/* "20:15 PM", "13:00 AM", "0:30 PM": the marker contradicts
		 * a 24-hour time, which wins; said, never dropped
		 * silently. */
		t[len - glued] = '\0';
		g_ptr_array_add(notes, g_strdup_printf("Date: \"%s\" is a "
		    "24-hour time with a 12-hour marker: read as %s", was,
		    t));
		g_free(was);
		if (!glued)
			*tok[i + 1] = '\0';
		return;
	}
	g_free(was);
	was = glued ? g_strdup(t) : g_strdup_printf("%s %s", t, tok[i + 1]);
	h24 = pm ? (h == 12 ? 12 : h + 12) : (h == 12 ? 0 : h);
	t[len - glued] = '\0';
	tok[i] = g_strdup_printf("%02d%s", h24, colon);
	g_ptr_array_add(notes, g_strdup_printf("Date: 12-hour clock \"%s\" "
	    "read as %s", was, tok[i]));
	g_free(was);
	g_free(t);
	if (!glued)
		*tok[i + 1] = '\0';	/* the marker is dropped */
}

/* The zone SIGN H:M as RFC 5322 writes it, for the token WAS.  Real
 * zones lie within -1200..+1400 (RFC 5322 syntax allows +-9959): one
 * outside, or with 60 minutes or more, is an unknown zone, "-0000" (RFC
 * 5322 section 3.3), so the date is not moved by a made-up offset.  Any
 * change to what was written goes to NOTES.  Newly allocated. */
static char *
zone_token(char sign, int h, int m, const char *was, GPtrArray *notes)
{
	int min = (sign == '-' ? -1 : 1) * (h * 60 + m);
	char *n;

	if (h < 0 || m < 0 || m >= 60 || min < -12 * 60 || min > 14 * 60) {
		g_ptr_array_add(notes, g_strdup_printf("Date: zone \"%s\" is "
		    "out of range (-1200 to +1400): zone unknown, time read "
		    "as UTC", was));
		return g_strdup("-0000");
	}
	n = g_strdup_printf("%c%02d%02d", sign, h, m);
	if (strcmp(n, was) != 0)
		g_ptr_array_add(notes, g_strdup_printf("Date: zone \"%s\" "
		    "read as %s", was, n));
	return n;
}

/* A numeric zone of one to four digits after the time: "-600" is
 * -0600, "+7" is +0700, through zone_token() (NOTES).  Newly allocated,
 * or NULL when T is no such zone. */
static char *
numeric_zone(const char *t, GPtrArray *notes)
{
	size_t n;
	int v;

	/* Tokens may be empty (two spaces): look at t[1] only after a
	 * sign. */
	if (t[0] != '+' && t[0] != '-')
		return NULL;
	n = strlen(t + 1);
	if (n < 1 || n > 4 || strspn(t + 1, "0123456789") != n)
		return NULL;
	v = atoi(t + 1);
	if (n >= 3)
		return zone_token(t[0], v / 100, v % 100, t, notes);
	return zone_token(t[0], v, 0, t, notes);
}

/* Date forms GMime misreads, rewritten to RFC 5322: "+07:00" and "GMT+7"
 * zones, zone names (ICT), "16.45.12" times, a 12-hour clock, zones of
 * fewer than four digits, zones out of range.  Newly allocated; every
 * repair that changes or drops what was written goes to NOTES (never a
 * date changed silently). */
static char *
date_normalise(const char *raw, GPtrArray *notes)
{
	char **tok = g_strsplit(raw, " ", -1);
	char *res;
	int time_at = -1;

	for (int i = 0; tok[i] != NULL; i++) {
		char *t = tok[i], *n = NULL;
		gboolean known;
		int min, h = 0, m = 0;
		size_t len = strlen(t);

		if (len >= 4 && len <= 8 && g_ascii_isdigit(t[0]) &&
		    strchr(t, '.') != NULL && strchr(t, ':') == NULL &&
		    sscanf(t, "%d.%d", &h, &m) == 2 && h < 24 && m < 60 &&
		    i > 2) {
			/* 16.45.12 (a date like 06.06.2024 comes first) */
			n = g_strdelimit(g_strdup(t), ".", ':');
		} else if (len == 6 && (t[0] == '+' || t[0] == '-') &&
			   t[3] == ':' && sscanf(t + 1, "%2d:%2d", &h,
						 &m) == 2) {
			n = zone_token(t[0], h, m, t, notes);
		} else if ((g_ascii_strncasecmp(t, "GMT", 3) == 0 ||
			    g_ascii_strncasecmp(t, "UTC", 3) == 0) &&
			   (t[3] == '+' || t[3] == '-') &&
			   sscanf(t + 4, "%d:%d", &h, &m) >= 1) {
			if (strchr(t + 4, ':') == NULL && strlen(t + 4) > 2) {
				m = h % 100;	/* GMT+0530 */
				h /= 100;
			}
			n = zone_token(t[3], h, m, t, notes);
		} else if (len >= 3 && len <= 4 &&
			   (min = zone_minutes(t, &known), known)) {
			n = zone_token(min < 0 ? '-' : '+', abs(min) / 60,
				       abs(min) % 60, t, notes);
		} else if (time_at >= 0 && i > time_at &&
			   (n = numeric_zone(t, notes)) != NULL) {
			/* said in zone_token() */
		} else if (time_at < 0 && is_time(t, &h)) {
			time_at = i;
			fix_meridiem(tok, i, notes);
		}
		if (n != NULL) {
			g_free(tok[i]);
			tok[i] = n;
		}
	}
	res = g_strjoinv(" ", tok);
	g_strfreev(tok);
	return res;
}

/* RAW as a date, or NULL. */
static GDateTime *
date_parse(const char *raw, GPtrArray *notes)
{
	char *norm = date_normalise(raw, notes);
	GDateTime *dt = g_mime_utils_header_decode_date(norm);

	g_free(norm);
	if (dt == NULL)
		dt = g_date_time_new_from_iso8601(raw, NULL);
	return dt;
}

gboolean
mime_date_read(GMimeHeaderList *h, char **date_utc, int *offset,
	       GPtrArray *notes)
{
	int n = h != NULL ? g_mime_header_list_get_count(h) : 0;
	GPtrArray *unread = g_ptr_array_new_with_free_func(g_free);
	gboolean found = FALSE;

	for (int i = 0; i < n && !found; i++) {
		GMimeHeader *hd = g_mime_header_list_get_header_at(h, i);
		const char *rv = g_mime_header_get_raw_value(hd);
		GPtrArray *mine = g_ptr_array_new_with_free_func(g_free);
		GDateTime *dt, *utc;
		char *raw;

		if (g_ascii_strcasecmp(g_mime_header_get_name(hd), "Date") ||
		    rv == NULL) {
			g_ptr_array_unref(mine);
			continue;
		}
		raw = g_strstrip(g_mime_utils_header_unfold(rv));
		dt = date_parse(raw, mine);
		if (dt == NULL) {
			g_ptr_array_add(unread, mime_text_nfc(raw));
			g_free(raw);
			g_ptr_array_unref(mine);
			continue;
		}
		utc = g_date_time_to_utc(dt);
		*date_utc = g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ");
		if (offset != NULL)
			*offset = (int)(g_date_time_get_utc_offset(dt) /
			    G_TIME_SPAN_MINUTE);
		for (guint j = 0; j < mine->len; j++)
			g_ptr_array_add(notes, g_strdup(mine->pdata[j]));
		if (unread->len > 0)
			g_ptr_array_add(notes, g_strdup_printf("Date header %u "
			    "used: the first is not understood: %s",
			    unread->len + 1, (char *)unread->pdata[0]));
		found = TRUE;
		g_date_time_unref(utc);
		g_date_time_unref(dt);
		g_free(raw);
		g_ptr_array_unref(mine);
	}
	if (!found && unread->len > 0)
		g_ptr_array_add(notes, g_strdup_printf("Date not understood: "
		    "%s", (char *)unread->pdata[0]));
	g_ptr_array_unref(unread);
	return found;
}
