/* media-bmff.h - a location in ISO base media files (ISO/IEC 14496-12:
 * MP4, QuickTime, 3GP), read while the bytes stream past; a helper of
 * media.c, not used elsewhere.
 *
 * Only box headers are read, in constant memory: the walk descends into
 * moov and moov/udta and keeps just the small boxes that can hold a
 * position (moov/meta, moov/udta/\xa9xyz, loci and meta, each at most
 * MEDIA_BOX_KEEP bytes); mdat and everything else is skipped, wherever it
 * sits in the file.
 */
#ifndef TIPLINE_MEDIA_BMFF_H
#define TIPLINE_MEDIA_BMFF_H

#include <stddef.h>
#include <glib.h>

#include "media.h"

/* A position in decimal degrees, south and west negative. */
typedef struct {
	gboolean found;
	double lat, lon;
} media_pos;

/* Record LAT, LON in P unless P already holds one, a value is NaN or out
 * of range, or the position is 0,0 (what cameras without a fix write). */
void media_pos_set(media_pos *p, double lat, double lon);

typedef struct media_bmff media_bmff;

/* A walker at the start of a file; never NULL. */
media_bmff *media_bmff_new(void);

/* Feed the next LEN bytes; a location found goes to POS.  Chunk
 * boundaries do not matter.  A box that does not fit its parent ends the
 * walk quietly (the rest is ignored). */
void media_bmff_feed(media_bmff *b, media_pos *pos, const guint8 *buf,
		     size_t len);

/* Free B (NULL allowed). */
void media_bmff_free(media_bmff *b);

#endif
