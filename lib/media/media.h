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
 * to MEDIA_BOX_KEEP bytes) are kept.  Zip archives are read for their
 * entry names (every path component, and zips stored or deflated inside
 * zips up to MEDIA_ZIP_DEPTH deep, inflated as they stream past).
 */
#ifndef TIPLINE_MEDIA_H
#define TIPLINE_MEDIA_H

#include <stddef.h>
#include <glib.h>

#define MEDIA_JPEG_KEEP		(256 * 1024)
#define MEDIA_BOX_KEEP		(64 * 1024)
#define MEDIA_XMP_MAX		(64 * 1024)	/* larger XMP packets are
						 * not parsed */
#define MEDIA_ZIP_DEPTH		3	/* zips inside zips looked into */

/* What an editor checks about a photo or video before publishing, as the
 * file itself states it (a sender can forge every field).  Strings are
 * newly allocated UTF-8 (media_facts_clear frees them), NULL when the file
 * does not say. */
typedef struct {
	const char *format;	/* static: "JPEG", "PNG", "HEIF", "TIFF",
				 * "WebP", "MP4", "QuickTime"; NULL for
				 * other files (then nothing else is set) */
	char *taken;		/* capture time, ISO 8601: Exif
				 * DateTimeOriginal "2024-06-08T14:03:11"
				 * (the camera's local time), with
				 * "+07:00" when OffsetTimeOriginal says;
				 * MP4 mvhd creation time in UTC with "Z";
				 * QuickTime creationdate with its offset */
	char *make, *model;	/* camera or phone (Exif 0x010f/0x0110,
				 * QuickTime keys, XMP tiff:Make/Model) */
	guint32 width, height;	/* stored pixels (JPEG SOF, PNG IHDR, HEIF
				 * largest ispe, video track tkhd; Exif
				 * PixelX/YDimension as a fallback) */
	int orientation;	/* Exif Orientation 1..8, 0 when absent */
	double duration;	/* seconds (mvhd), videos only; else 0 */
	const char *gps_source;	/* static "exif", "xmp", "quicktime" or
				 * NULL: where the position came from */
} media_facts;

/* Free the strings of F and zero it (F itself is not freed). */
void media_facts_clear(media_facts *f);

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
 * longitude with their N/S, E/W refs), an XMP exif:GPSLatitude and
 * GPSLongitude pair (media-xmp-priv.h) or an MP4/QuickTime location
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

/* media_scan_finish that also fills FACTS (may be NULL; the caller
 * clears it with media_facts_clear).  A position may come from an XMP
 * packet too (exif:GPSLatitude/GPSLongitude, XMP Specification part 2
 * 3.2.4.2 "DDD,MM.mmk" or "DDD,MM,SSk"), at most MEDIA_XMP_MAX bytes,
 * parsed with libxml2 without network or entity expansion. */
void media_scan_finish_facts(media_scan *m, media_facts *facts,
			     gboolean *has_gps, double *lat, double *lon,
			     char **danger);

#endif
