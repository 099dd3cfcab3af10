/* media-xmp-priv.h - what an XMP packet (ISO 16684-1, Adobe XMP Specification
 * parts 1-3) says about a photo: a GPS position, capture time, camera and
 * orientation; a helper of media.c, not used elsewhere.
 *
 * Lightroom, Photoshop and some Android galleries keep the position only
 * in XMP (exif:GPSLatitude/GPSLongitude), so a reader that looks only at
 * Exif misses it (QA F25).
 */
#ifndef TIPLINE_MEDIA_XMP_H
#define TIPLINE_MEDIA_XMP_H

#include <stddef.h>
#include <glib.h>

#include "media.h"

typedef struct {
	gboolean has_pos;
	double lat, lon;	/* decimal degrees, south and west negative */
	char *taken;		/* exif:DateTimeOriginal or xmp:CreateDate,
				 * as written (media.c normalises it) */
	char *make, *model;	/* tiff:Make, tiff:Model */
	int orientation;	/* tiff:Orientation 1..8, else 0 */
} media_xmp;

/* Find the first XMP packet in P[0..LEN) by scanning for <x:xmpmeta> (or
 * a bare <rdf:RDF>), as XMP part 3 allows a reader to do in any file
 * (JPEG APP1 "http://ns.adobe.com/xap/1.0/", TIFF tag 700, PNG iTXt
 * "XML:com.adobe.xmp", WebP "XMP ", a HEIF mime item), and read it into
 * OUT (cleared first; free with media_xmp_clear).  A packet larger than
 * MEDIA_XMP_MAX or carrying a DTD is not parsed; libxml2 runs without
 * network access or entity substitution.  Properties are read in both
 * the attribute and the element form (XMP part 1, 7.9.2).  A position is
 * an XMP GPSCoordinate (part 2, 1.2.7.4: "DDD,MM,SSk" or "DDD,MM.mmk", k
 * one of N S E W) or a plain signed decimal.  FALSE when no packet was
 * read (OUT then holds nothing). */
gboolean media_xmp_scan(const guint8 *p, size_t len, media_xmp *out);

/* Free the strings of X and zero it. */
void media_xmp_clear(media_xmp *x);

#endif
