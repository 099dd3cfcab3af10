/* tnef.h - Outlook's winmail.dat (application/ms-tnef) expanded into the
 * files it carries, with libytnef.
 *
 * libytnef prints its parse errors to stdout with printf(); a core module
 * must never write there (stdout carries `show --json`), so the parse runs
 * with file descriptor 1 pointed at /dev/null, and only after the
 * signature has been checked here.
 */
#ifndef TIPLINE_TNEF_H
#define TIPLINE_TNEF_H

#include <stddef.h>
#include <glib.h>

/* Called once per file found: NAME (bytes as stored, may be in the
 * sender's code page, never NULL), DATA and LEN (the file), UD. */
typedef void (*tnef_file_cb)(const char *name, const void *data, size_t len,
			     void *ud);

/* The most bytes of one winmail.dat read into memory to expand it (the
 * attachment walk and the export of one file inside it both use this). */
#define TNEF_MAX	(64 * 1024 * 1024)

/* Expand LEN bytes of TNEF in BUF.  Returns the number of files handed to
 * CB, or -1 when BUF is not TNEF or libytnef cannot parse it. */
int tnef_expand(const void *buf, size_t len, tnef_file_cb cb, void *ud);

#endif
