/* media.h - what an attachment's bytes say that could hurt a source or an
 * editor: a GPS position in a photo's Exif (libexif) or in a video's
 * MP4/QuickTime metadata, and executable or macro-carrying files.
 *
 * The caller streams the decoded bytes of every leaf attachment, at any
 * depth (including parts of forwarded message/rfc822 parts), in chunks of
 * any size.  Memory stays bounded whatever the attachment size: a JPEG keeps
 * at most its first MEDIA_JPEG_KEEP bytes (Exif must sit in APP1 near the
 * start, JPEG ITU T.81 / Exif 2.32 4.5.4), an MP4 is walked box header by
 * box header (ISO/IEC 14496-12) and only the small metadata boxes that can
 * carry a location (moov/meta, moov/udta/\xa9xyz, loci and meta, each up
 * to MEDIA_BOX_KEEP bytes) are kept.
 */
#ifndef TIPLINE_MEDIA_H
#define TIPLINE_MEDIA_H

#include <stddef.h>
#include <glib.h>

#define MEDIA_JPEG_KEEP		(256 * 1024)
#define MEDIA_BOX_KEEP		(64 * 1024)

typedef struct media_scan media_scan;

/* Start scanning one attachment.  CONTENT_TYPE ("image/jpeg", any case, may
 * carry parameters) and FILENAME (UTF-8, as the message names the part) are
 * borrowed for the call only and may be NULL; the file's type is decided by
 * its magic bytes first, then by these.  Never returns NULL. */
media_scan *media_scan_new(const char *content_type, const char *filename);

/* Feed LEN decoded bytes (after Content-Transfer-Encoding); chunk
 * boundaries do not matter, LEN may be 0. */
void media_scan_feed(media_scan *m, const void *buf, size_t len);

/* Finish and free M.  *has_gps is TRUE when an Exif GPS IFD (latitude and
 * longitude with their N/S, E/W refs) or an MP4/QuickTime location
 * ("\xa9xyz" or the com.apple.quicktime.location.ISO6709 key, ISO 6709
 * "+21.0285+105.8542/") was found; *lat and *lon are then decimal degrees
 * (south and west negative), else 0.  *danger is a newly allocated English
 * reason ("executable file name .exe", "double extension .pdf.exe",
 * "right-to-left override in file name", "macro-enabled Office file",
 * "Windows executable (MZ header)", ...; g_free) or NULL when nothing is
 * dangerous.  Any out pointer may be NULL.  Malformed media never fails:
 * it just yields no position. */
void media_scan_finish(media_scan *m, gboolean *has_gps, double *lat,
		       double *lon, char **danger);

#endif
