/* scrub.h - a copy of a JPEG photo without the metadata that can give a
 * source away (Exif with its GPS IFD, XMP, IPTC, comments, embedded
 * thumbnails and secondary images), for publication.  The original stays
 * untouched as evidence; only a new copy is written.
 *
 * A segment filter (JPEG ITU T.81 B.1.1, Exif 2.32 4.5): it copies SOI,
 * the frame, tables and entropy-coded scans as they are and drops APP1
 * (Exif, XMP), APP3..APP13, APP15, COM, APP2 other than ICC_PROFILE (MPF
 * carries whole extra pictures), APP0 other than a JFIF header without a
 * thumbnail, and anything after EOI.  ICC_PROFILE (colour) and APP14
 * "Adobe" (colour transform of CMYK files) are kept: dropping them changes
 * how the picture looks.  The pixels are not re-encoded, so no quality is
 * lost.  The Exif Orientation (Exif 2.32 4.6.4) is the one tag kept: a
 * phone stores a portrait photo as landscape pixels with Orientation 6,
 * and without it the copy shows sideways.  It is written as a new minimal
 * Exif APP1 (IFD0 with that one entry, nothing else) rather than by
 * turning the pixels: a lossless turn (jpegtran) only works on whole
 * 8x8/16x16 blocks and would crop or re-encode the edges, and the pixels
 * would no longer be the original's.
 */
#ifndef TIPLINE_SCRUB_H
#define TIPLINE_SCRUB_H

#include <glib.h>

#include "status.h"

/* TRUE when the first bytes of the file at PATH are a JPEG SOI marker
 * (FF D8 FF). */
gboolean scrub_is_jpeg(const char *path);

/* Read the JPEG at IN_PATH and write the scrubbed copy to OUT_FD (not
 * closed).  *removed (may be NULL) gets the number of segments dropped.
 * TL_DATA when the file is not a well-formed JPEG up to its first scan
 * (nothing useful was written; the caller removes the copy), TL_NOINPUT
 * when IN_PATH cannot be read, TL_TEMPFAIL on a write error; *errmsg
 * (g_free). Memory: one segment (at most 64 KiB); the file is read twice
 * (the first time only up to the first scan, for the Orientation). */
tl_status scrub_jpeg(const char *in_path, int out_fd, int *removed,
		     char **errmsg);

#endif
