/* mime-headfix-priv.h - repairs of a message's top-level header block that
 * GMime cannot make itself, applied to the stream it parses (the stored
 * raw message is never changed), the way other decoders read such mail
 * (issue 9 section 4 item 11):
 *  - a first header line that is indented ("  From: ..."): GMime reads
 *    it as a broken header and loses every field; the white space before
 *    it is skipped;
 *  - a line of white space only inside the header block, followed by a
 *    line that is neither a header field nor a folded continuation (the
 *    body): GMime folds the white space into the field before it and
 *    reads the body as more (invalid) header lines until the first empty
 *    line, so the body is lost; the line is read as the empty line that
 *    ends the header (Python's email package and mail clients end the
 *    header there too).  A white-space line followed by a header field or
 *    a continuation stays as it is (RFC 5322 obsolete folding).
 */
#ifndef TIPLINE_MIME_HEADFIX_H
#define TIPLINE_MIME_HEADFIX_H

#include <gmime/gmime.h>

/* What mime_headfix_wrap() repaired (bits). */
enum {
	MIME_HEADFIX_INDENTED_FIRST = 1 << 0,
	MIME_HEADFIX_BLANK_END = 1 << 1,
};

/* A stream over the rest of S (from its current position) with the
 * repairs above, or S itself (a new reference) when none applies; the
 * caller unrefs the result and still owns S.  Reads at most the first
 * 4 MiB of S to find the header block.  *fixed (may be NULL) gets the
 * MIME_HEADFIX_* bits. */
GMimeStream *mime_headfix_wrap(GMimeStream *s, int *fixed);

/* P (LEN bytes, one line) starts with a header field name and a colon
 * (RFC 5322 field-name: printable ASCII but colon). */
gboolean mime_headfix_field_like(const char *p, size_t len);

/* An English description of FIXED for a submission warning (static). */
const char *mime_headfix_describe(int fixed);

#endif
