/* mime-ctype.c - Content-Type values without a subtype (see
 * mime-ctype-priv.h). */
#include <string.h>

#include "mime-ctype-priv.h"
#include "mime-header-priv.h"

/* RFC 2045 token characters (tspecials and controls excluded). */
static gboolean
token_ok(const char *s, size_t n)
{
	if (n == 0)
		return FALSE;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c >= 0x7F ||
		    strchr("()<>@,;:\\\"/[]?=", c) != NULL)
			return FALSE;
	}
	return TRUE;
}

/* The type/subtype meant by the single token TYPE (lower case). */
static char *
intended(const char *type)
{
	/* message and multipart are left out: GMime has already built the
	 * part as a leaf, and its content cannot be re-read as either. */
	static const char *const tops[] = {
		"application", "audio", "font", "image", "model", "text",
		"video", NULL
	};

	if (strcmp(type, "text") == 0)
		return g_strdup("text/plain");
	for (size_t i = 0; tops[i] != NULL; i++) {
		size_t n = strlen(tops[i]);
		const char *rest = type + n;

		if (strncmp(type, tops[i], n) == 0 &&
		    (*rest == '-' || *rest == '_') &&
		    token_ok(rest + 1, strlen(rest + 1)))
			return g_strdup_printf("%s/%s", tops[i], rest + 1);
	}
	return g_strdup("application/octet-stream");
}

char *
mime_ctype_repair(const char *raw, char **was)
{
	const char *semi, *slash, *end;
	char *type, *low, *fixed, *res;

	if (raw == NULL)
		return NULL;
	while (g_ascii_isspace(*raw))
		raw++;
	semi = strchr(raw, ';');
	end = semi != NULL ? semi : raw + strlen(raw);
	slash = memchr(raw, '/', (size_t)(end - raw));
	if (slash != NULL) {
		/* "image/; name=x": an empty subtype is no subtype either. */
		const char *sub = slash + 1;

		while (sub < end && g_ascii_isspace(*sub))
			sub++;
		if (sub < end)
			return NULL;
	}
	type = g_strstrip(g_strndup(raw, (size_t)((slash ? slash : end) -
						  raw)));
	if (*type == '\0' && semi == NULL) {
		g_free(type);
		return NULL;	/* an empty value: nothing to keep */
	}
	low = g_ascii_strdown(type, -1);
	fixed = intended(low);
	res = g_strconcat(fixed, semi != NULL ? semi : "", NULL);
	if (was != NULL)
		*was = type;
	else
		g_free(type);
	g_free(low);
	g_free(fixed);
	return res;
}

char *
mime_ctype_fix(GMimeParserOptions *opts, GMimeObject *obj, const char *path)
{
	char *raw = mime_header_get_raw(g_mime_object_get_header_list(obj),
					"Content-Type");
	char *was = NULL, *fixed = mime_ctype_repair(raw, &was), *msg = NULL;
	GMimeContentType *ct;

	if (fixed != NULL &&
	    (ct = g_mime_content_type_parse(opts, fixed)) != NULL) {
		char *type = g_mime_content_type_get_mime_type(ct);

		/* GMime rewrites the header from CT, so the file name is
		 * found again by every later reader of the part. */
		g_mime_object_set_content_type(obj, ct);
		msg = g_strdup_printf("part %s: Content-Type \"%s\" has no "
				      "subtype: read as %s, its parameters "
				      "kept", path, was, type);
		g_free(type);
		g_object_unref(ct);
	}
	g_free(fixed);
	g_free(was);
	g_free(raw);
	return msg;
}
