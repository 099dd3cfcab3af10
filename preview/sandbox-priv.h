/* sandbox-priv.h - the limits of one run of tipline-preview and the
 * isolation it sets on itself (private to preview/). */
#ifndef TIPLINE_PREVIEW_SANDBOX_PRIV_H
#define TIPLINE_PREVIEW_SANDBOX_PRIV_H

#include <glib.h>

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

#endif
