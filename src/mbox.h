/* mbox.h - split an mbox file into its messages.
 *
 * Each message is copied into its own spool file, so the rest of tipline
 * sees one file per message as with IMAP or Maildir. The "From " separator
 * line and the blank line mbox writers put before the next separator are
 * not part of the message; mboxrd ">From " escapes are undone (one '>'
 * removed), so the stored original is what the reader sent. A separator is
 * a "From " line after a blank line, with an envelope date unless the
 * file's first line has none, and never inside a multipart whose boundary
 * is still open (see mbox.c for why not GMime's mbox parser).
 */
#ifndef TIPLINE_MBOX_H
#define TIPLINE_MBOX_H

#include <glib.h>

#include "status.h"

/* Called once per message with a spool file the callee owns (and unlinks)
 * and the 1-based position of the message in the mbox. NOTE is NULL, or
 * says what the splitter was unsure of (a "From " line kept inside an
 * unclosed MIME part): a warning for the submission. A non-OK return
 * stops the split and is returned by mbox_split. */
typedef tl_status (*mbox_message_cb)(const char *spool_path, int index,
				     const char *note, void *user);

/* Does HEAD (N bytes, not NUL-terminated) start with an mbox "From "
 * envelope line?  "From :" is not one: it is a From header field with
 * white space before its colon (RFC 5322 4.5.1, obs-optional), and the
 * envelope's second word is an address, never a colon. */
gboolean mbox_is_from_line(const char *head, size_t n);

/* Does PATH start with "From " (an mbox rather than one message)?
 * FALSE when it cannot be read. */
gboolean mbox_is_mbox(const char *path);

/* Does PATH look like mail: an mbox (see mbox_is_mbox), or one RFC 5322
 * message whose first line is a header field, a name of printable ASCII other than ':' followed by optional
 * white space and ':' (RFC 5322 section 2.2, "Received:", "From:")?  Used
 * to tell messages from other files in a plain folder.  FALSE when PATH
 * cannot be read. */
gboolean mbox_is_mail(const char *path);

/* Split PATH, writing spool files under SPOOL_DIR (mode 0600).
 * TL_NOINPUT when PATH cannot be read, TL_TEMPFAIL when a spool file
 * cannot be written (disk full), or the callback's status; *errmsg
 * (g_free) names the file. Memory does not grow with message size. */
tl_status mbox_split(const char *path, const char *spool_dir,
		     mbox_message_cb cb, void *user, char **errmsg);

#endif
