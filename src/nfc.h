/* nfc.h - Unicode NFC in linear time, with ICU.
 *
 * GLib's g_utf8_normalize() is quadratic on text full of combining
 * sequences (it moves the rest of the buffer at each composition): a 1 MB
 * Vietnamese body took a minute, a 4 MB one more than five (QA F19), while
 * the fetch held the database write lock. ICU's normalizer is linear, and
 * ICU is already linked for collation.
 */
#ifndef TIPLINE_NFC_H
#define TIPLINE_NFC_H

#include <glib.h>

/* S (LEN bytes, or NUL-terminated when LEN < 0) in NFC (UAX #15), as a
 * new NUL-terminated UTF-8 string (g_free). Like g_utf8_normalize(...,
 * G_NORMALIZE_NFC): NULL when S is not valid UTF-8 or is NULL. Text that is
 * already NFC (almost all mail) is only checked and copied. */
char *nfc_normalize(const char *s, gssize len);

#endif
