/* mime-stream.c - the chunked test stream (see mime-stream-priv.h). */
#include "mime-stream-priv.h"

typedef struct {
	GMimeStream parent;
	GMimeStream *inner;
	size_t chunk;
} ChunkedStream;

typedef struct {
	GMimeStreamClass parent_class;
} ChunkedStreamClass;

static GType chunked_stream_get_type(void);
G_DEFINE_TYPE(ChunkedStream, chunked_stream, GMIME_TYPE_STREAM)

#define CHUNKED(s) ((ChunkedStream *)(s))

static void
chunked_finalize(GObject *o)
{
	ChunkedStream *c = CHUNKED(o);

	if (c->inner != NULL)
		g_object_unref(c->inner);
	G_OBJECT_CLASS(chunked_stream_parent_class)->finalize(o);
}

/* Keep the inner stream's position in step with ours: GMime positions are
 * absolute offsets within the bounds. */
static gboolean
sync_inner(GMimeStream *s)
{
	ChunkedStream *c = CHUNKED(s);

	if (g_mime_stream_tell(c->inner) == s->position)
		return TRUE;
	return g_mime_stream_seek(c->inner, s->position,
				  GMIME_STREAM_SEEK_SET) == s->position;
}

static ssize_t
chunked_read(GMimeStream *s, char *buf, size_t len)
{
	ChunkedStream *c = CHUNKED(s);
	ssize_t n;

	if (s->bound_end != -1 && s->position >= s->bound_end)
		return 0;
	if (s->bound_end != -1 && (gint64)len > s->bound_end - s->position)
		len = (size_t)(s->bound_end - s->position);
	if (len > c->chunk)
		len = c->chunk;
	if (!sync_inner(s))
		return -1;
	n = g_mime_stream_read(c->inner, buf, len);
	if (n > 0)
		s->position += n;
	return n;
}

static ssize_t
chunked_write(GMimeStream *s, const char *buf, size_t len)
{
	ChunkedStream *c = CHUNKED(s);
	ssize_t n;

	if (!sync_inner(s))
		return -1;
	n = g_mime_stream_write(c->inner, buf, len);
	if (n > 0)
		s->position += n;
	return n;
}

static int
chunked_flush(GMimeStream *s)
{
	return g_mime_stream_flush(CHUNKED(s)->inner);
}

static int
chunked_close(GMimeStream *s)
{
	return g_mime_stream_close(CHUNKED(s)->inner);
}

static gboolean
chunked_eos(GMimeStream *s)
{
	if (s->bound_end != -1 && s->position >= s->bound_end)
		return TRUE;
	if (!sync_inner(s))
		return TRUE;
	return g_mime_stream_eos(CHUNKED(s)->inner);
}

static int
chunked_reset(GMimeStream *s)
{
	(void)s;
	return 0;	/* GMime sets position = bound_start itself */
}

static gint64
chunked_seek(GMimeStream *s, gint64 offset, GMimeSeekWhence whence)
{
	ChunkedStream *c = CHUNKED(s);
	gint64 pos;

	switch (whence) {
	case GMIME_STREAM_SEEK_SET:
		pos = offset;
		break;
	case GMIME_STREAM_SEEK_CUR:
		pos = s->position + offset;
		break;
	default:
		if (s->bound_end == -1) {
			pos = g_mime_stream_seek(c->inner, offset, whence);
			if (pos >= 0)
				s->position = pos;
			return pos;
		}
		pos = s->bound_end + offset;
		break;
	}
	if (pos < s->bound_start ||
	    (s->bound_end != -1 && pos > s->bound_end))
		return -1;
	if (g_mime_stream_seek(c->inner, pos, GMIME_STREAM_SEEK_SET) != pos)
		return -1;
	s->position = pos;
	return pos;
}

static gint64
chunked_tell(GMimeStream *s)
{
	return s->position;
}

static gint64
chunked_length(GMimeStream *s)
{
	if (s->bound_end != -1)
		return s->bound_end - s->bound_start;
	return g_mime_stream_length(CHUNKED(s)->inner);
}

static GMimeStream *
chunked_substream(GMimeStream *s, gint64 start, gint64 end)
{
	ChunkedStream *c = CHUNKED(s);
	GMimeStream *in = g_mime_stream_substream(c->inner, start, end);
	GMimeStream *sub = mime_stream_chunked_new(in, c->chunk);

	g_object_unref(in);
	return sub;
}

static void
chunked_stream_class_init(ChunkedStreamClass *klass)
{
	GMimeStreamClass *sc = GMIME_STREAM_CLASS(klass);

	G_OBJECT_CLASS(klass)->finalize = chunked_finalize;
	sc->read = chunked_read;
	sc->write = chunked_write;
	sc->flush = chunked_flush;
	sc->close = chunked_close;
	sc->eos = chunked_eos;
	sc->reset = chunked_reset;
	sc->seek = chunked_seek;
	sc->tell = chunked_tell;
	sc->length = chunked_length;
	sc->substream = chunked_substream;
}

static void
chunked_stream_init(ChunkedStream *c)
{
	c->inner = NULL;
	c->chunk = 1;
}

GMimeStream *
mime_stream_chunked_new(GMimeStream *inner, size_t chunk)
{
	ChunkedStream *c = g_object_new(chunked_stream_get_type(), NULL);

	c->inner = g_object_ref(inner);
	c->chunk = chunk > 0 ? chunk : 1;
	g_mime_stream_construct(GMIME_STREAM(c), inner->bound_start,
				inner->bound_end);
	return GMIME_STREAM(c);
}
