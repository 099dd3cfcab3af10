/* imap-mailbox-priv.h - a mailbox name on the wire, for imap-cmd.c (the
 * target of COPY and MOVE); imap-mailbox.c also sends STATUS, SELECT and
 * LIST with it (see imap.h).
 */
#ifndef TIPLINE_IMAP_MAILBOX_H
#define TIPLINE_IMAP_MAILBOX_H

#include <glib.h>

#include "util.h"

/* Append MAILBOX to OUT as an IMAP quoted string, converted from UTF-8 to
 * modified UTF-7 (RFC 3501 5.1.3) when it is not plain ASCII. TL_CONFIG for
 * control characters or invalid UTF-8. */
tl_status imap_quote_mailbox(GString *out, const char *mailbox,
			     char **errmsg);

#endif
