/* imap-reader.c - send and receive over a libcurl CONNECT_ONLY connection
 * with poll() deadlines, and frame IMAP responses (RFC 3501 4.3 literals).
 *
 * curl_easy_recv() is always tried before poll(): with TLS, OpenSSL may
 * already hold decrypted bytes, or with read-ahead (imap.c) whole records
 * not yet decrypted, while the socket itself has nothing to read
 * (tests/unit/test-imap-fetch.c, /imap/burst-tls).
 */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "imap-reader-priv.h"

/* Big enough that a 100 MB literal is a few hundred recv calls; fixed, so
 * memory does not depend on what the server sends. */
#define READ_BUF_SIZE	(256 * 1024)
/* The longest response line text accepted (literals are not counted: they
 * are streamed). Dovecot's own lines are far shorter; this only bounds a
 * hostile or broken server. */
#define MAX_LINE	(16 * 1024 * 1024)

struct imap_conn {
	CURL *curl;
	curl_socket_t fd;
	char *host;
	int timeout_ms;
	char *buf;
	size_t pos;		/* next unread byte in buf */
	size_t len;		/* bytes valid in buf */
	guint64 bytes_in;
	gboolean closed;	/* the server closed the connection */
};

imap_conn *
imap_conn_new(CURL *curl, curl_socket_t fd, const char *host,
	      int low_speed_time)
{
	imap_conn *c = g_new0(imap_conn, 1);

	c->curl = curl;
	c->fd = fd;
	c->host = g_strdup(host);
	c->buf = g_malloc(READ_BUF_SIZE);
	imap_conn_set_timeout(c, low_speed_time);
	return c;
}

void
imap_conn_free(imap_conn *c)
{
	if (c == NULL)
		return;
	g_free(c->host);
	g_free(c->buf);
	g_free(c);
}

void
imap_conn_set_timeout(imap_conn *c, int seconds)
{
	c->timeout_ms = (seconds < 1 ? 1 : seconds) * 1000;
}

void
imap_conn_set_timeout_ms(imap_conn *c, int ms)
{
	c->timeout_ms = ms < 0 ? 0 : ms;
}

guint64
imap_conn_bytes_in(const imap_conn *c)
{
	return c->bytes_in;
}

/* Wait until FD is ready for EVENTS; FALSE on timeout (errno ETIMEDOUT) or
 * poll failure. */
static gboolean
conn_wait(imap_conn *c, short events)
{
	struct pollfd pfd;
	int rc;

	pfd.fd = c->fd;
	pfd.events = events;
	pfd.revents = 0;
	do {
		rc = poll(&pfd, 1, c->timeout_ms);
	} while (rc < 0 && errno == EINTR);
	if (rc == 0)
		errno = ETIMEDOUT;
	/* POLLERR/POLLHUP: let the next send/recv report the failure */
	return rc > 0;
}

tl_status
imap_conn_send(imap_conn *c, const char *data, size_t len, char **errmsg)
{
	while (len > 0) {
		size_t n = 0;
		CURLcode rc = curl_easy_send(c->curl, data, len, &n);

		if (rc == CURLE_AGAIN) {
			if (!conn_wait(c, POLLOUT)) {
				*errmsg = g_strdup_printf("%s: cannot send "
				    "to the server: %s", c->host,
				    errno == ETIMEDOUT ? "no progress "
				    "(timeout)" : g_strerror(errno));
				return TL_TEMPFAIL;
			}
			continue;
		}
		if (rc != CURLE_OK) {
			*errmsg = g_strdup_printf("%s: cannot send to the "
			    "server: %s", c->host, curl_easy_strerror(rc));
			return TL_TEMPFAIL;
		}
		data += n;
		len -= n;
	}
	return TL_OK;
}

/* Refill the buffer (only called when it is empty). */
static tl_status
conn_fill(imap_conn *c, char **errmsg)
{
	c->pos = c->len = 0;
	if (c->closed)
		goto closed;
	for (;;) {
		size_t n = 0;
		CURLcode rc = curl_easy_recv(c->curl, c->buf, READ_BUF_SIZE,
		    &n);

		if (rc == CURLE_OK && n > 0) {
			c->len = n;
			c->bytes_in += n;
			return TL_OK;
		}
		if (rc == CURLE_OK) {
			c->closed = TRUE;
			goto closed;
		}
		if (rc != CURLE_AGAIN) {
			*errmsg = g_strdup_printf("%s: connection failed: %s",
			    c->host, curl_easy_strerror(rc));
			return TL_TEMPFAIL;
		}
		if (!conn_wait(c, POLLIN)) {
			*errmsg = g_strdup_printf("%s: %s", c->host,
			    errno == ETIMEDOUT ? "the server sent nothing "
			    "for too long (stalled connection)" :
			    g_strerror(errno));
			return TL_TEMPFAIL;
		}
	}
closed:
	*errmsg = g_strdup_printf("%s: the server closed the connection",
	    c->host);
	return TL_TEMPFAIL;
}

/* Append bytes up to the next LF to LINE (the CRLF itself is dropped). */
static tl_status
conn_read_line(imap_conn *c, GString *line, char **errmsg)
{
	tl_status st;

	for (;;) {
		char *nl;
		size_t take;

		if (c->pos == c->len && (st = conn_fill(c, errmsg)) != TL_OK)
			return st;
		nl = memchr(c->buf + c->pos, '\n', c->len - c->pos);
		take = (nl != NULL ? (size_t)(nl - (c->buf + c->pos)) :
		    c->len - c->pos);
		if (line->len + take > MAX_LINE) {
			*errmsg = g_strdup_printf("%s: a response line is "
			    "longer than %d bytes", c->host, MAX_LINE);
			return TL_TEMPFAIL;
		}
		g_string_append_len(line, c->buf + c->pos, take);
		c->pos += take;
		if (nl != NULL) {
			c->pos++;
			if (line->len > 0 && line->str[line->len - 1] == '\r')
				g_string_truncate(line, line->len - 1);
			return TL_OK;
		}
	}
}

/* If the text from FROM on ends in "{N}" or "{N+}", store N. */
static gboolean
line_literal_size(const GString *line, size_t from, gint64 *size)
{
	const char *end = line->str + line->len;
	const char *p;
	gint64 n = 0;

	if (line->len < from + 3 || end[-1] != '}')
		return FALSE;
	p = end - 2;
	if (*p == '+')
		p--;
	if (p < line->str + from || !g_ascii_isdigit(*p))
		return FALSE;
	while (p > line->str + from && g_ascii_isdigit(p[-1]))
		p--;
	if (p == line->str + from || p[-1] != '{')
		return FALSE;
	for (; *p != '}' && *p != '+'; p++) {
		/* larger than any message a server could hold */
		if (n > (G_GINT64_CONSTANT(1) << 50))
			return FALSE;
		n = n * 10 + (*p - '0');
	}
	*size = n;
	return TRUE;
}

/* Consume exactly SIZE literal bytes, passing them to SINK when it wants
 * them. Returns the transport's status; a failure of the sink is kept in
 * *sink_st and *sink_err (the first one only) while the bytes are still
 * consumed. */
static tl_status
conn_read_literal(imap_conn *c, gint64 size, const imap_literal_sink *sink,
		  gboolean want, tl_status *sink_st, char **sink_err,
		  char **errmsg)
{
	tl_status st;
	gint64 left = size;

	while (left > 0) {
		size_t avail, take;

		if (c->pos == c->len && (st = conn_fill(c, errmsg)) != TL_OK) {
			char *e = *errmsg;

			*errmsg = g_strdup_printf("%s (%" G_GINT64_FORMAT
			    " of %" G_GINT64_FORMAT " bytes of a literal "
			    "received)", e, size - left, size);
			g_free(e);
			return st;
		}
		avail = c->len - c->pos;
		take = (gint64)avail > left ? (size_t)left : avail;
		if (want && *sink_st == TL_OK)
			*sink_st = sink->data(sink->user, c->buf + c->pos,
			    take, sink_err);
		c->pos += take;
		left -= take;
	}
	return TL_OK;
}

tl_status
imap_conn_read_response(imap_conn *c, GString *line,
			const imap_literal_sink *sink, char **errmsg)
{
	tl_status st, sink_st = TL_OK;
	char *sink_err = NULL;
	size_t seg = 0;
	gint64 size;

	g_string_truncate(line, 0);
	for (;;) {
		imap_lit_action act = IMAP_LIT_DISCARD;

		if ((st = conn_read_line(c, line, errmsg)) != TL_OK)
			break;
		if (!line_literal_size(line, seg, &size))
			break;
		if (sink != NULL)
			act = sink->begin(sink->user, line, size);
		if (act == IMAP_LIT_ABORT) {
			*errmsg = g_strdup_printf("%s: reading given up in the "
			    "middle of a response", c->host);
			st = TL_TEMPFAIL;
			break;
		}
		st = conn_read_literal(c, size, sink, act == IMAP_LIT_TAKE,
		    &sink_st, &sink_err, errmsg);
		if (st != TL_OK)
			break;
		seg = line->len;
	}
	if (st == TL_OK && sink_st != TL_OK) {
		/* the response was read whole: the connection is in step */
		*errmsg = sink_err;
		return sink_st;
	}
	g_free(sink_err);
	return st;
}
