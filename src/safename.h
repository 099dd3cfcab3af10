/* safename.h - file names chosen by strangers, made safe to create.
 *
 * An attachment's name comes from the sender: "../../etc/passwd", "CON",
 * a name with a newline or a right-to-left override, 300 bytes of
 * Vietnamese.  Exported files must land inside the export folder, never
 * replace an existing file, open cleanly on Linux, macOS and Windows (a
 * reporter copies them to a USB stick), and still tell the editor what
 * the sender called them.
 */
#ifndef TIPLINE_SAFENAME_H
#define TIPLINE_SAFENAME_H

#include <glib.h>

#include "status.h"

/* Longest name produced, in bytes (ext4 and NTFS allow 255; the margin
 * leaves room for a "-NN" suffix and for tools that add their own). */
#define SAFENAME_MAX 200

/* A safe single path component for NAME (any bytes; NULL allowed):
 * valid UTF-8 in NFC; '/', '\\' and the characters Windows forbids
 * (<>:"|?*) become '_'; control characters (newlines, ESC, DEL, C1),
 * Unicode line separators and bidirectional overrides become '_'; leading
 * dots, dashes and spaces and trailing dots and spaces are removed (no
 * hidden files, no "..", no "-rf"); a Windows device name (CON, PRN, AUX,
 * NUL, COM0-9, LPT0-9, with or without extension, any case) gets a '_'
 * prefix; longer than SAFENAME_MAX bytes is cut on a character boundary
 * keeping the extension (up to 16 bytes).  An empty result becomes
 * FALLBACK (which must itself be safe).  Newly allocated (g_free). */
char *safename_make(const char *name, const char *fallback);

/* Create NAME (already safe) in the directory DIRFD with O_EXCL and
 * O_NOFOLLOW, mode MODE; when it exists, try "stem-2.ext", "stem-3.ext",
 * ... (kept within SAFENAME_MAX).  *fd_out is the open file (close it);
 * *final_out the name used (g_free).  TL_NOPERM when the directory may
 * not be written (EACCES, EPERM, EROFS), TL_TEMPFAIL on another file
 * system error such as ENOSPC, with *errmsg (g_free). */
tl_status safename_create(int dirfd, const char *name, int mode,
			  int *fd_out, char **final_out, char **errmsg);

/* Like safename_create for a directory (mkdirat, then "-2", ...). */
tl_status safename_mkdir(int dirfd, const char *name, int mode,
			 char **final_out, char **errmsg);

/* An ASCII slug of TEXT for a folder name: diacritics and đ folded,
 * lower case, runs of anything but [a-z0-9] as one '-', at most MAX
 * bytes, no leading or trailing '-'.  "" when nothing is left.  Newly
 * allocated (g_free). */
char *safename_slug(const char *text, gsize max);

#endif
