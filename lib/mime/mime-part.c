/* mime-part.c - one MIME part's decoded bytes and its place in the tree
 * (see mime-part-priv.h). */
#include <stdlib.h>
#include <string.h>

#include "mime-b64-priv.h"
#include "mime-part-priv.h"

#define CHUNK		65536

gboolean
mime_part_attachment_like(GMimeObject *o)
{
	GMimeContentDisposition *d = g_mime_object_get_content_disposition(o);

	if (d != NULL && g_mime_content_disposition_is_attachment(d))
		return TRUE;
	if (d != NULL && g_mime_content_disposition_get_parameter(d,
	    "filename") != NULL)
		return TRUE;
	return g_mime_object_get_content_type_parameter(o, "name") != NULL;
}

GMimeStream *
mime_part_stream(GMimePart *part)
{
	GMimeDataWrapper *dw = g_mime_part_get_content(part);
	GMimeStream *raw, *f;
	GMimeContentEncoding enc;

	if (dw == NULL || (raw = g_mime_data_wrapper_get_stream(dw)) == NULL)
		return NULL;
	g_mime_stream_reset(raw);
	f = g_mime_stream_filter_new(raw);
	enc = g_mime_data_wrapper_get_encoding(dw);
	if (enc == GMIME_CONTENT_ENCODING_BASE64) {
		/* GMime's decoder's output, three times as fast. */
		GMimeFilter *dec = mime_b64_filter_new();

		g_mime_stream_filter_add(GMIME_STREAM_FILTER(f), dec);
		g_object_unref(dec);
	} else if (enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
		   enc == GMIME_CONTENT_ENCODING_UUENCODE) {
		GMimeFilter *dec = g_mime_filter_basic_new(enc, FALSE);

		g_mime_stream_filter_add(GMIME_STREAM_FILTER(f), dec);
		g_object_unref(dec);
	}
	return f;
}

/* Read all of S, handing each chunk to FN; -1 on a read error. */
gint64
mime_part_stream_each(GMimeStream *s,
		      void (*fn)(const void *, size_t, void *), void *ud)
{
	char *buf = g_malloc(CHUNK);
	gint64 total = 0;
	int idle = 0;

	for (;;) {
		ssize_t n = g_mime_stream_read(s, buf, CHUNK);

		if (n > 0) {
			fn(buf, (size_t)n, ud);
			total += n;
			idle = 0;
		} else if (n < 0) {
			total = -1;
			break;
		} else if (g_mime_stream_eos(s) ||
			   ++idle > MIME_PART_IDLE_MAX) {
			break;
		}
	}
	g_free(buf);
	return total;
}

typedef struct {
	GByteArray *a;
	gsize max;
	gboolean cut;
} bytes_sink;

static void
bytes_add(const void *p, size_t n, void *ud)
{
	bytes_sink *b = ud;

	if (b->a->len + n > b->max) {
		n = b->max - b->a->len;
		b->cut = TRUE;
	}
	g_byte_array_append(b->a, p, (guint)n);
}

GByteArray *
mime_part_bytes(GMimePart *part, gsize max, gboolean *cut)
{
	bytes_sink b = { g_byte_array_new(), max, FALSE };
	GMimeStream *s = mime_part_stream(part);

	if (s != NULL) {
		mime_part_stream_each(s, bytes_add, &b);
		g_object_unref(s);
	}
	if (cut != NULL)
		*cut = b.cut;
	return b.a;
}

GByteArray *
mime_part_raw_bytes(GMimePart *part, gsize max, gboolean *cut)
{
	GMimeDataWrapper *dw = g_mime_part_get_content(part);
	bytes_sink b = { g_byte_array_new(), max, FALSE };
	GMimeStream *raw;

	if (dw != NULL && (raw = g_mime_data_wrapper_get_stream(dw)) != NULL) {
		g_mime_stream_reset(raw);
		mime_part_stream_each(raw, bytes_add, &b);
		g_mime_stream_reset(raw);
	}
	*cut = b.cut;
	return b.a;
}

GMimeObject *
mime_part_find(GMimeMessage *msg, const char *part_path)
{
	GMimeObject *cur = g_mime_message_get_mime_part(msg);
	gboolean fresh = TRUE;
	char **tok = g_strsplit(part_path, ".", -1);

	for (int i = 0; cur != NULL && tok[i] != NULL; i++) {
		char *end = NULL;
		long n = strtol(tok[i], &end, 10);

		if (end == tok[i] || *end != '\0' || n < 1) {
			cur = NULL;
			break;
		}
		if (GMIME_IS_MULTIPART(cur)) {
			GMimeMultipart *mp = GMIME_MULTIPART(cur);

			cur = n <= g_mime_multipart_get_count(mp) ?
			    g_mime_multipart_get_part(mp, (int)n - 1) : NULL;
		} else if (!(fresh && n == 1)) {
			cur = NULL;
		}
		fresh = FALSE;
		if (cur != NULL && GMIME_IS_MESSAGE_PART(cur) &&
		    tok[i + 1] != NULL) {
			GMimeMessage *in = g_mime_message_part_get_message(
			    GMIME_MESSAGE_PART(cur));

			cur = in != NULL ? g_mime_message_get_mime_part(in) :
			    NULL;
			fresh = TRUE;
		}
	}
	g_strfreev(tok);
	return cur;
}
