/* mime-envelope-priv.h - the envelope fields of one message (sender,
 * subject, Message-ID, date) for message.c.
 */
#ifndef TIPLINE_MIME_ENVELOPE_H
#define TIPLINE_MIME_ENVELOPE_H

#include <gmime/gmime.h>

#include "mime-ctx-priv.h"

/* Sender, subject, Message-ID and date of MSG (each newly allocated or
 * left NULL; *offset, may be NULL, gets the Date's zone in minutes east),
 * with the RFC 2047 repairs of mime-header.h, warnings added to w->sub. */
void mime_envelope_read(mime_walk *w, GMimeMessage *msg, char **from_name,
			char **from_addr, char **subject, char **message_id,
			char **date_utc, int *offset);

#endif
