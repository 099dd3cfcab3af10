/* quote-priv.h - where the quoted part of a reply starts, for display only
 * (storage always keeps the whole text).
 *
 * Recognised: a trailing block of ">" lines (RFC 3676 quoting), with the
 * attribution line before it when there is one ("Vào ... đã viết:",
 * "On ... wrote:", "Le ... a écrit :", "Am ... schrieb:"), also when
 * webmail wrapped the attribution over two lines; and Outlook's
 * "-----Original Message-----" separator or its header block of the
 * earlier message ("From: ... Sent: ...", in Vietnamese "Từ: ... Gửi:
 * ..."), after which everything is the earlier message.
 */
#ifndef TIPLINE_QUOTE_H
#define TIPLINE_QUOTE_H

#include <glib.h>

/* Byte offset in TEXT (UTF-8, LF line ends) where the quoted part begins,
 * or -1 when TEXT is not a reply with a quote at its end. */
gint64 quote_find(const char *text);

#endif
