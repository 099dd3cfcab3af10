/* mime-date-priv.h - the Date of a message, read as its sender meant it.
 *
 * GMime 3.2.13's g_mime_utils_header_decode_date() takes whatever it does
 * not understand as +0000 or drops it without a word: "+07:00", "GMT+7",
 * zone names (ICT, JST), "16.45.12", a 12-hour clock ("08:15 PM" becomes
 * 08:15) and a numeric zone of fewer than four digits ("-600" becomes
 * +0000).  These forms are rewritten to RFC 5322 first.  Where that
 * changes the time or the zone as written (AM/PM, short zones, a second
 * Date header used), a note says so: a date is never changed silently.
 */
#ifndef TIPLINE_MIME_DATE_H
#define TIPLINE_MIME_DATE_H

#include <glib.h>
#include <gmime/gmime.h>

/* The first Date header of H that can be read (RFC 5322 section 3.3 with
 * the repairs above, else ISO 8601).  Returns TRUE with *date_utc set
 * (newly allocated, "YYYY-MM-DDTHH:MM:SSZ") and *offset (may be NULL) the
 * sender's zone in minutes east; FALSE when there is no Date header or
 * none can be read.  Each repair, and each Date header that could not be
 * read, is added to NOTES (GPtrArray of newly allocated strings the
 * caller takes). */
gboolean mime_date_read(GMimeHeaderList *h, char **date_utc, int *offset,
			GPtrArray *notes);

#endif
