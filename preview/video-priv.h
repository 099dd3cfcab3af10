/* video-priv.h - stills of clips with FFmpeg (private to preview/). */
#ifndef TIPLINE_PREVIEW_VIDEO_PRIV_H
#define TIPLINE_PREVIEW_VIDEO_PRIV_H

#include <glib.h>

#include "sandbox-priv.h"

/* A still of the clip in BUF, as preview_image_make. */
int preview_video_make(const guint8 *buf, gsize len,
		       const preview_limits *lim, GBytes **out,
		       char **reason);

#endif
