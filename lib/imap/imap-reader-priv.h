/* imap-reader-priv.h - bytes to and from an IMAP server over a libcurl
 * CONNECT_ONLY connection, and a literal-aware response reader.
 *
 * Private to lib/imap: imap.c owns the connection (through the session in
 * imap-priv.h), imap-cmd.c hands FETCH literals to an imap_literal_sink,
 * and the unit tests drive the reader directly.
 *
 * The reader knows just enough of RFC 3501's syntax to frame responses:
 * a response is a line ending in CRLF, except that a line ending in
 * "{N}" is followed by exactly N bytes of literal data and then
 * the rest of the response (section 4.3). Literal bytes are never scanned,
 * so a body line that starts with "* " or with a tag, a bare CR, 8-bit data
 * or a 1 MB line are all just bytes. Literal data goes to a sink chosen per
 * literal (streamed) or is discarded; only a fixed buffer is held.
 */
#ifndef TIPLINE_IMAP_READER_H
#define TIPLINE_IMAP_READER_H

#include <curl/curl.h>
#include <glib.h>

#include "util.h"

typedef struct imap_conn imap_conn;

/* Wrap the established connection of CURL (after a CONNECT_ONLY perform).
 * HOST is copied, for messages. LOW_SPEED_TIME is the number of seconds a
 * send or receive may wait without progress. Never NULL. The CURL handle
 * stays owned by the caller. */
imap_conn *imap_conn_new(CURL *curl, curl_socket_t fd, const char *host,
			 int low_speed_time);

/* Free the reader state (not the CURL handle). NULL allowed. */
void imap_conn_free(imap_conn *c);

/* Change the no-progress timeout (seconds, at least 1). */
void imap_conn_set_timeout(imap_conn *c, int seconds);
/* The same in milliseconds; 0 means "only what has already arrived". */
void imap_conn_set_timeout_ms(imap_conn *c, int ms);

/* Send LEN bytes, waiting while the socket is full. TL_TEMPFAIL (with
 * *errmsg naming the host) when the connection fails or makes no progress
 * for the timeout. */
tl_status imap_conn_send(imap_conn *c, const char *data, size_t len,
			 char **errmsg);

/* What to do with a literal that is about to arrive. */
typedef enum {
	IMAP_LIT_DISCARD,	/* read and drop its bytes */
	IMAP_LIT_TAKE,		/* pass its bytes to data() */
	IMAP_LIT_ABORT,		/* stop reading: the connection is given up */
} imap_lit_action;

/* Where the bytes of one literal go. begin() is called when a line ends in
 * "{SIZE}"; LINE holds the response text so far (including the "{SIZE}").
 * data() gets the bytes of a literal that begin() took, in chunks as they
 * arrive. data() may fail (disk full): the reader then still consumes the
 * rest of the literal, so that the connection stays in step, and returns
 * that failure once the whole response is read. */
typedef struct {
	imap_lit_action (*begin)(void *user, const GString *line, gint64 size);
	tl_status (*data)(void *user, const char *buf, size_t len,
			  char **errmsg);
	void *user;
} imap_literal_sink;

/* Read one complete response into LINE: the text of its lines without the
 * CRLFs, each literal's content left out (its "{N}" marker stays, so the
 * text still parses). SINK may be NULL (all literals discarded).
 * TL_TEMPFAIL when the server closes the connection, the connection fails,
 * nothing arrives for the timeout, a line exceeds 16 MB, or begin() said
 * IMAP_LIT_ABORT (the connection is then out of step); *errmsg names the
 * host and how many literal bytes were missing. */
tl_status imap_conn_read_response(imap_conn *c, GString *line,
				  const imap_literal_sink *sink, char **errmsg);

/* Total bytes received so far (for measurements and messages). */
guint64 imap_conn_bytes_in(const imap_conn *c);

#endif
