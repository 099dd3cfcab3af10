/* redact.c - a follow-up's quote of a purged submission removed (see
 * redact.h). */
#include <string.h>

#include <gmime/gmime.h>

#include "mime-part-priv.h"
#include "message.h"

char *
redact_text(const char *text, gint64 quote_offset)
{
	gsize len = strlen(text);
	GString *s;

	if (quote_offset < 0 || (gsize)quote_offset > len)
		quote_offset = (gint64)len;
	/* Never cut inside a character. */
	while (quote_offset > 0 &&
	       ((unsigned char)text[quote_offset] & 0xC0) == 0x80)
		quote_offset--;
	s = g_string_new_len(text, (gssize)quote_offset);
	while (s->len > 0 && g_ascii_isspace(s->str[s->len - 1]))
		g_string_truncate(s, s->len - 1);
	if (s->len > 0)
		g_string_append(s, "\n\n");
	g_string_append(s, REDACT_NOTE);
	return g_string_free(s, FALSE);
}

/* Replace the body text parts under O; *n counts them. */
static void
replace_text(GMimeObject *o, const char *text, int *n, int depth)
{
	GMimeContentType *ct;

	if (o == NULL || depth > 64)
		return;
	if (GMIME_IS_MULTIPART(o)) {
		GMimeMultipart *mp = GMIME_MULTIPART(o);

		for (int i = 0; i < g_mime_multipart_get_count(mp); i++)
			replace_text(g_mime_multipart_get_part(mp, i), text, n,
				     depth + 1);
		return;
	}
	ct = g_mime_object_get_content_type(o);
	if (!GMIME_IS_TEXT_PART(o) || ct == NULL ||
	    !g_mime_content_type_is_type(ct, "text", "*") ||
	    mime_part_attachment_like(o))
		return;
	/* The first body part carries the follow-up's own text; an HTML
	 * alternative or a later part would still hold the quote. */
	if (*n == 0 && g_mime_content_type_is_type(ct, "text", "html"))
		g_mime_content_type_set_media_subtype(ct, "plain");
	g_mime_text_part_set_text(GMIME_TEXT_PART(o), *n == 0 ? text : "");
	g_mime_part_set_content_encoding(GMIME_PART(o),
	    GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	(*n)++;
}

GByteArray *
redact_raw(const guint8 *raw, gsize len, const char *text,
	   const char *subject)
{
	GMimeStream *in, *out = NULL;
	GMimeParser *parser;
	GMimeMessage *msg;
	GByteArray *res = NULL;
	int n = 0;

	g_mime_init();
	in = g_mime_stream_mem_new_with_buffer((const char *)raw, len);
	parser = g_mime_parser_new_with_stream(in);
	msg = g_mime_parser_construct_message(parser, NULL);
	if (msg == NULL)
		goto out;
	if (text != NULL) {
		replace_text(g_mime_message_get_mime_part(msg), text, &n, 0);
		if (n == 0)
			goto out;
	}
	if (subject != NULL)
		g_mime_message_set_subject(msg, subject, "utf-8");
	out = g_mime_stream_mem_new();
	if (g_mime_object_write_to_stream(GMIME_OBJECT(msg), NULL, out) < 0)
		goto out;
	/* The array outlives the stream: it is the caller's now. */
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(out), FALSE);
	res = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
out:
	if (out != NULL)
		g_object_unref(out);
	if (msg != NULL)
		g_object_unref(msg);
	g_object_unref(parser);
	g_object_unref(in);
	return res;
}
