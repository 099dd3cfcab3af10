/* mime-scanstream.c - one read of a message for the limit scan and the
 * parser (see mime-scanstream-priv.h). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "mime-scanstream-priv.h"

/* What a stream and its substreams share. */
typedef struct {
	int refs;
	int fd;
	mime_limits_scanner *scanner;	/* NULL once finished */
	char *buf;			/* read-ahead: MIME_LIMITS_READ bytes */
	gint64 buf_off;			/* file offset of buf[0] */
	size_t buf_len;
	gint64 hwm;			/* bytes scanned: [0, hwm) */
	gboolean eof;			/* hwm is the end of the file */
	int state;			/* 1: a limit broken, -1: read error */
} scan_core;

typedef struct {
	GMimeStream parent;
	scan_core *core;
} ScanStream;

typedef struct {
	GMimeStreamClass parent_class;
} ScanStreamClass;

static GType scan_stream_get_type(void);
G_DEFINE_TYPE(ScanStream, scan_stream, GMIME_TYPE_STREAM)

#define SCAN(s) ((ScanStream *)(s))

static void
core_unref(scan_core *c)
{
	if (c == NULL || --c->refs > 0)
		return;
	if (c->scanner != NULL) {
		char *reason = NULL;

		mime_limits_scanner_finish(c->scanner, NULL, &reason);
		g_free(reason);
	}
	if (c->fd >= 0)
		close(c->fd);
	g_free(c->buf);
	g_free(c);
}

static void
scan_finalize(GObject *o)
{
	core_unref(SCAN(o)->core);
	G_OBJECT_CLASS(scan_stream_parent_class)->finalize(o);
}

/* Read and scan the next piece of the file into the read-ahead.  FALSE at
 * the end of the file, on a read error or a broken limit (c->state). */
static gboolean
core_fill(scan_core *c)
{
	ssize_t n;

	if (c->state != 0 || c->eof || c->scanner == NULL)
		return FALSE;
	do
		n = pread(c->fd, c->buf, MIME_LIMITS_READ, c->hwm);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		c->state = -1;
		return FALSE;
	}
	if (n == 0) {
		c->eof = TRUE;
		return FALSE;
	}
	c->buf_off = c->hwm;
	c->buf_len = (size_t)n;
	c->hwm += n;
	if (!mime_limits_scanner_feed(c->scanner, c->buf, (size_t)n)) {
		/* Nothing of this piece reaches the parser. */
		c->buf_len = 0;
		c->state = 1;
		return FALSE;
	}
	return TRUE;
}

static ssize_t
scan_read(GMimeStream *s, char *buf, size_t len)
{
	scan_core *c = SCAN(s)->core;
	gint64 pos = s->position;
	ssize_t n;

	if (s->bound_end != -1 && pos >= s->bound_end)
		return 0;
	if (s->bound_end != -1 && (gint64)len > s->bound_end - pos)
		len = (size_t)(s->bound_end - pos);
	while (c->state == 0 && pos >= c->hwm && core_fill(c))
		;
	if (c->state != 0) {
		errno = EIO;
		return -1;
	}
	if (pos >= c->hwm)
		return 0;	/* the end of the file */
	if (pos < c->buf_off || pos >= c->buf_off + (gint64)c->buf_len) {
		/* Scanned before (a part's content, read again to decode
		 * it): into the read-ahead from the file, in one pread(2)
		 * per MIME_LIMITS_READ bytes instead of one per 4 KiB
		 * read of GMime's filters. */
		size_t want = (size_t)MIN((gint64)MIME_LIMITS_READ,
					  c->hwm - pos);

		do
			n = pread(c->fd, c->buf, want, pos);
		while (n < 0 && errno == EINTR);
		if (n <= 0) {
			c->buf_len = 0;
			return n < 0 ? -1 : 0;
		}
		c->buf_off = pos;
		c->buf_len = (size_t)n;
	}
	n = (ssize_t)MIN((gint64)len, c->buf_off + (gint64)c->buf_len - pos);
	memcpy(buf, c->buf + (pos - c->buf_off), (size_t)n);
	s->position += n;
	return n;
}

static ssize_t
scan_write(GMimeStream *s, const char *buf, size_t len)
{
	(void)s;
	(void)buf;
	(void)len;
	errno = EBADF;
	return -1;
}

static int
scan_flush(GMimeStream *s)
{
	(void)s;
	return 0;
}

static int
scan_close(GMimeStream *s)
{
	(void)s;
	return 0;	/* the descriptor goes with the last stream */
}

static gboolean
scan_eos(GMimeStream *s)
{
	scan_core *c = SCAN(s)->core;

	if (s->bound_end != -1 && s->position >= s->bound_end)
		return TRUE;
	return c->state != 0 || (c->eof && s->position >= c->hwm);
}

static int
scan_reset(GMimeStream *s)
{
	(void)s;
	return 0;	/* GMime sets position = bound_start itself */
}

static gint64
scan_seek(GMimeStream *s, gint64 offset, GMimeSeekWhence whence)
{
	gint64 pos, end = s->bound_end;
	struct stat sb;

	if (whence == GMIME_STREAM_SEEK_END && end == -1) {
		if (fstat(SCAN(s)->core->fd, &sb) != 0)
			return -1;
		end = (gint64)sb.st_size;
	}
	switch (whence) {
	case GMIME_STREAM_SEEK_SET:
		pos = offset;
		break;
	case GMIME_STREAM_SEEK_CUR:
		pos = s->position + offset;
		break;
	default:
		pos = end + offset;
		break;
	}
	if (pos < s->bound_start || (s->bound_end != -1 && pos > s->bound_end))
		return -1;
	s->position = pos;
	return pos;
}

static gint64
scan_tell(GMimeStream *s)
{
	return s->position;
}

static gint64
scan_length(GMimeStream *s)
{
	struct stat sb;

	if (s->bound_end != -1)
		return s->bound_end - s->bound_start;
	if (fstat(SCAN(s)->core->fd, &sb) != 0)
		return -1;
	return (gint64)sb.st_size - s->bound_start;
}

static GMimeStream *
scan_view(scan_core *c, gint64 start, gint64 end)
{
	ScanStream *v = g_object_new(scan_stream_get_type(), NULL);

	v->core = c;
	c->refs++;
	g_mime_stream_construct(GMIME_STREAM(v), start, end);
	return GMIME_STREAM(v);
}

static GMimeStream *
scan_substream(GMimeStream *s, gint64 start, gint64 end)
{
	return scan_view(SCAN(s)->core, start, end);
}

static void
scan_stream_class_init(ScanStreamClass *klass)
{
	GMimeStreamClass *sc = GMIME_STREAM_CLASS(klass);

	G_OBJECT_CLASS(klass)->finalize = scan_finalize;
	sc->read = scan_read;
	sc->write = scan_write;
	sc->flush = scan_flush;
	sc->close = scan_close;
	sc->eos = scan_eos;
	sc->reset = scan_reset;
	sc->seek = scan_seek;
	sc->tell = scan_tell;
	sc->length = scan_length;
	sc->substream = scan_substream;
}

static void
scan_stream_init(ScanStream *s)
{
	s->core = NULL;
}

GMimeStream *
mime_scanstream_new(int fd, gint64 start, mime_limits_scanner *scanner)
{
	scan_core *c = g_new0(scan_core, 1);
	GMimeStream *s;

	c->fd = fd;
	c->scanner = scanner;
	c->buf = g_malloc(MIME_LIMITS_READ);
	s = scan_view(c, start, -1);
	return s;
}

int
mime_scanstream_finish(GMimeStream *s, mime_limits_info *info,
		       char **reason)
{
	scan_core *c = SCAN(s)->core;
	int rc;

	*reason = NULL;
	while (core_fill(c))
		;
	if (c->scanner == NULL)
		return -1;
	rc = mime_limits_scanner_finish(c->scanner, info, reason);
	c->scanner = NULL;
	if (c->state < 0) {
		g_free(*reason);
		*reason = NULL;
		return -1;
	}
	return rc;
}
