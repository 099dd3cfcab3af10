/* uu-priv.h - uuencoded files pasted into a text body ("begin 644 name" ...
 * "end"), as old mailers and some scanners still send them.  Each block
 * becomes an attachment and is cut from the body text.
 */
#ifndef TIPLINE_UU_H
#define TIPLINE_UU_H

#include <stddef.h>
#include <glib.h>

typedef struct {
	size_t start;		/* offset of the "begin" line */
	size_t end;		/* offset just after the "end" line */
	char *name;		/* file name as written (raw, g_free) */
} uu_block;

/* Find the complete uuencoded blocks in LEN bytes of BUF (a decoded text
 * part): "begin MODE NAME" with an octal MODE, data lines, a "`" or empty
 * line, "end".  Returns a GArray of uu_block in order (uu_blocks_free);
 * never NULL.  A block without its "end" line is not a block. */
GArray *uu_find(const char *buf, size_t len);
void uu_blocks_free(GArray *blocks);

/* Decode block B of BUF, handing the bytes to SINK in line-sized pieces.
 * Damaged lines are decoded as far as they go. */
void uu_decode(const char *buf, const uu_block *b,
	       void (*sink)(const void *data, size_t len, void *ud), void *ud);

#endif
