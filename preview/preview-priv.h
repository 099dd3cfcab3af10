/* preview-priv.h - the parts of tipline-preview (private to preview/). */
#ifndef TIPLINE_PREVIEW_PRIV_H
#define TIPLINE_PREVIEW_PRIV_H

#include <glib.h>
#include <vips/vips.h>

/* The limits of one run, from the command line (preview.h). */
typedef struct {
	unsigned size;			/* fit in size x size pixels */
	guint64 max_pixels;		/* width x height, from the header */
	guint64 max_bytes;		/* input */
	unsigned memory_mib;		/* RLIMIT_AS */
	unsigned cpu_seconds;		/* RLIMIT_CPU */
} preview_limits;

/* Set the limits and namespaces of preview.h before any input is
 * read.  Returns 0, or -1 with *reason (newly allocated) when a limit
 * cannot be set.  *isolation (static) says which network isolation
 * took: "user+net namespace", "net namespace" or "none". */
int preview_sandbox_enter(const preview_limits *lim,
			  const char **isolation, char **reason);

/* After the libraries are loaded and the input is mapped: no new file
 * descriptor at all (RLIMIT_NOFILE 3), so no file or socket can be
 * opened.  Returns 0 or -1 with *reason. */
int preview_sandbox_seal(char **reason);

/* Start libvips with every loader but JPEG, PNG, WebP and HEIF blocked,
 * one thread and no cache.  Returns 0 or -1 with *reason. */
int preview_image_init(const char *argv0, char **reason);

/* A thumbnail of the image in BUF (LEN bytes, borrowed): the JPEG in
 * *out (a new GBytes) and 0, or -1 and *reason (newly allocated, one
 * line) when there is no preview. */
int preview_image_make(const guint8 *buf, gsize len,
		       const preview_limits *lim, GBytes **out,
		       char **reason);

/* A still of the clip in BUF, as preview_image_make. */
int preview_video_make(const guint8 *buf, gsize len,
		       const preview_limits *lim, GBytes **out,
		       char **reason);

/* IN (borrowed) as the JPEG of preview.h, rotated by ANGLE first: the
 * one encoder of both kinds.  0 or -1 with *reason. */
int preview_jpeg_encode(VipsImage *in, VipsAngle angle, GBytes **out,
			char **reason);

/* The first line of libvips' error buffer (newly allocated), cleared. */
char *preview_vips_error(void);

#endif
