/* media-bmff-priv.h - a location in ISO base media files (ISO/IEC 14496-12:
 * MP4, QuickTime, 3GP), read while the bytes stream past; a helper of
 * media.c, not used elsewhere.
 *
 * Only box headers are read, in constant memory: the walk descends into
 * moov, moov/udta and moov/trak and keeps just the small boxes that can
 * hold a position or a fact (moov/meta, moov/udta/\xa9xyz, \xa9mak,
 * \xa9mod, \xa9day, loci and meta, moov/mvhd, moov/trak/tkhd, each at
 * most MEDIA_BOX_KEEP bytes); mdat and everything else is skipped,
 * wherever it sits in the file.
 */
#ifndef TIPLINE_MEDIA_BMFF_H
#define TIPLINE_MEDIA_BMFF_H

#include <stddef.h>
#include <glib.h>

#include "media.h"
#include "media-facts-priv.h"

typedef struct media_bmff media_bmff;

/* A walker at the start of a file; never NULL. */
media_bmff *media_bmff_new(void);

/* Feed the next LEN bytes; a location found goes to POS.  Chunk
 * boundaries do not matter.  A box that does not fit its parent ends the
 * walk quietly (the rest is ignored). */
void media_bmff_feed(media_bmff *b, media_pos *pos, const guint8 *buf,
		     size_t len);

/* The largest image size (ISO/IEC 23008-12 6.5.3 'ispe') among the item
 * properties in the top-level meta/iprp/ipco of a HEIF file whose first
 * LEN bytes are P: the primary image, not its thumbnail or tiles' size
 * (a grid's ispe is the whole picture).  FALSE when none is there. */
gboolean media_bmff_heif_size(const guint8 *p, size_t len, guint32 *width,
			      guint32 *height);

/* Free B (NULL allowed). */
void media_bmff_free(media_bmff *b);

#endif
