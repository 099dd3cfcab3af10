/* image-priv.h - photo thumbnails with libvips, and the one JPEG
 * encoder of the worker (private to preview/). */
#ifndef TIPLINE_PREVIEW_IMAGE_PRIV_H
#define TIPLINE_PREVIEW_IMAGE_PRIV_H

#include <glib.h>
#include <vips/vips.h>

#include "sandbox-priv.h"

/* Start libvips with every loader but JPEG, PNG, WebP and HEIF blocked,
 * one thread and no cache.  Returns 0 or -1 with *reason. */
int preview_image_init(const char *argv0, char **reason);

/* A thumbnail of the image in BUF (LEN bytes, borrowed): the JPEG in
 * *out (a new GBytes) and 0, or -1 and *reason (newly allocated, one
 * line) when there is no preview. */
int preview_image_make(const guint8 *buf, gsize len,
		       const preview_limits *lim, GBytes **out,
		       char **reason);

/* IN (borrowed) as the JPEG of preview.h, rotated by ANGLE first: the
 * one encoder of both kinds.  0 or -1 with *reason. */
int preview_jpeg_encode(VipsImage *in, VipsAngle angle, GBytes **out,
			char **reason);

/* The first line of libvips' error buffer (newly allocated), cleared. */
char *preview_vips_error(void);

#endif
