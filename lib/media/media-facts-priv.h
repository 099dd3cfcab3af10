/* media-facts-priv.h - how the metadata readers of lib/media record what
 * they find: a position (the first plausible one wins) and short text
 * facts (camera, capture time), cleaned the same way whether Exif
 * (media.c), XMP (media-xmp.c) or an MP4 box (media-bmff.c) held them.
 */
#ifndef TIPLINE_MEDIA_FACTS_H
#define TIPLINE_MEDIA_FACTS_H

#include <stddef.h>
#include <glib.h>

#include "media.h"

/* A position in decimal degrees, south and west negative, and the other
 * facts the walk meets on the way (FACTS may be NULL: not gathered). */
typedef struct {
	gboolean found;
	double lat, lon;
	media_facts *facts;	/* borrowed */
} media_pos;

/* Record LAT, LON in P unless P already holds one, a value is NaN or out
 * of range, or the position is 0,0 (what cameras without a fix write). */
void media_pos_set(media_pos *p, double lat, double lon);

/* Set *SLOT (when still NULL) to the text P[0..LEN) as valid UTF-8 with
 * control characters dropped, blanks trimmed, at most 128 bytes; an empty
 * result leaves *SLOT NULL. */
void media_facts_set_text(char **slot, const void *p, size_t len);

#endif
