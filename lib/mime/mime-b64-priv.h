/* mime-b64-priv.h - base64 decoding of part contents (RFC 2045 6.8), the
 * same bytes as GMime's g_mime_encoding_base64_decode_step() for every
 * input however it is cut (tests/unit/test-onepass.c compares them), a
 * whole quartet at a time where the input allows: GMime's decoder takes
 * a byte at a time and was the largest piece of tipline's own CPU on
 * photo mail (docs/performance.md, "One pass").
 */
#ifndef TIPLINE_MIME_B64_H
#define TIPLINE_MIME_B64_H

#include <stddef.h>
#include <gmime/gmime.h>

/* Decode LEN bytes of IN into OUT (room for LEN + 3 bytes), carrying
 * *STATE and *SAVE (both 0 at the start) from call to call exactly as
 * g_mime_encoding_base64_decode_step() of GMime 3.2 does: bytes outside
 * the alphabet are skipped, '=' ends the data (the quartet it cuts short
 * gives its one or two bytes; *STATE becomes -1 and later calls give
 * nothing).  Returns the bytes written. */
size_t mime_b64_decode_step(const unsigned char *in, size_t len,
			    unsigned char *out, int *state, guint32 *save);

/* A new GMimeFilter that decodes base64 with mime_b64_decode_step(): a
 * stand-in for g_mime_filter_basic_new(GMIME_CONTENT_ENCODING_BASE64,
 * FALSE) with the same output.  Caller unrefs. */
GMimeFilter *mime_b64_filter_new(void);

#endif
