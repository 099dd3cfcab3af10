/* mime-attach.c - one attachment: file name, type, streaming size,
 * SHA-256 and media scan; winmail.dat expansion (see mime-attach.h). */
#include <string.h>

#include "mime-attach-priv.h"
#include "mime-header-priv.h"
#include "mime-part-priv.h"
#include "mime-text-priv.h"
#include "tnef-priv.h"


static const char *
raw_header(GMimeObject *o, const char *name, char **tofree)
{
	*tofree = mime_header_get_raw(g_mime_object_get_header_list(o), name);
	return *tofree;
}

/* File-name extension for a generated name. */
static const char *
type_ext(const char *type)
{
	static const char *const map[][2] = {
		{ "image/jpeg", "jpg" }, { "image/pjpeg", "jpg" },
		{ "image/png", "png" }, { "image/gif", "gif" },
		{ "image/webp", "webp" }, { "image/heic", "heic" },
		{ "image/heif", "heif" }, { "image/tiff", "tif" },
		{ "image/bmp", "bmp" }, { "image/svg+xml", "svg" },
		{ "video/mp4", "mp4" }, { "video/quicktime", "mov" },
		{ "video/3gpp", "3gp" }, { "video/x-msvideo", "avi" },
		{ "video/webm", "webm" }, { "audio/mpeg", "mp3" },
		{ "audio/mp4", "m4a" }, { "audio/ogg", "ogg" },
		{ "audio/amr", "amr" }, { "audio/wav", "wav" },
		{ "application/pdf", "pdf" }, { "application/zip", "zip" },
		{ "application/msword", "doc" },
		{ "application/vnd.openxmlformats-officedocument."
		  "wordprocessingml.document", "docx" },
		{ "application/vnd.ms-excel", "xls" },
		{ "application/vnd.openxmlformats-officedocument."
		  "spreadsheetml.sheet", "xlsx" },
		{ "application/pgp-signature", "asc" },
		{ "application/pgp-encrypted", "pgp" },
		{ "application/pkcs7-signature", "p7s" },
		{ "application/x-pkcs7-signature", "p7s" },
		{ "application/pkcs7-mime", "p7m" },
		{ "application/x-pkcs7-mime", "p7m" },
		{ "application/ms-tnef", "dat" },
		{ "text/plain", "txt" }, { "text/html", "html" },
		{ "text/calendar", "ics" }, { "text/csv", "csv" },
		{ "text/rfc822-headers", "txt" },
		{ "message/rfc822", "eml" },
		{ "message/delivery-status", "txt" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(map); i++)
		if (strcmp(type, map[i][0]) == 0)
			return map[i][1];
	return "bin";
}

/* Type for a file found inside TNEF, by its extension. */
static const char *
ext_type(const char *name)
{
	static const char *const map[][2] = {
		{ "jpg", "image/jpeg" }, { "jpeg", "image/jpeg" },
		{ "png", "image/png" }, { "gif", "image/gif" },
		{ "pdf", "application/pdf" }, { "txt", "text/plain" },
		{ "mp4", "video/mp4" }, { "mov", "video/quicktime" },
		{ "doc", "application/msword" }, { "zip", "application/zip" },
		{ "htm", "text/html" }, { "html", "text/html" },
	};
	const char *dot = strrchr(name, '.');

	if (dot != NULL)
		for (size_t i = 0; i < G_N_ELEMENTS(map); i++)
			if (g_ascii_strcasecmp(dot + 1, map[i][0]) == 0)
				return map[i][1];
	return "application/octet-stream";
}

/* A file name fit for display and later export: the last path component
 * (clients send "C:\\photos\\a.jpg"), no control characters. */
static char *
clean_filename(msg_submission *sub, char *name)
{
	GString *s;
	const char *base = name;
	gboolean changed = FALSE;

	if (name == NULL)
		return NULL;
	for (const char *p = name; *p != '\0'; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	s = g_string_new(NULL);
	for (const char *p = base; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
			changed = TRUE;
			continue;
		}
		g_string_append_unichar(s, c);
	}
	g_strstrip(s->str);
	s->len = strlen(s->str);
	if (changed || base != name)
		mime_ctx_warn(sub, g_strdup_printf("file name \"%s\" "
			       "shortened to \"%s\"", name, s->str));
	g_free(name);
	if (s->len == 0 || strcmp(s->str, ".") == 0 ||
	    strcmp(s->str, "..") == 0) {
		g_string_free(s, TRUE);
		return NULL;
	}
	return g_string_free(s, FALSE);
}

void
mime_attach_add(const void *p, size_t n, void *ud)
{
	mime_attach_sink *a = ud;

	hash_sha256_update(a->sha, p, n);
	media_scan_feed(a->media, p, n);
	a->size += (gint64)n;
}

/* A new attachment; the caller streams its bytes through att_begin/
 * att_end. */
msg_attachment *
mime_attach_new(mime_walk *w, char *filename, const char *type,
		const char *disp, const char *cid, const char *path, int fwd)
{
	msg_attachment *a = g_new0(msg_attachment, 1);
	msg_submission *sub = w->sub;

	a->filename = clean_filename(sub, filename);
	a->content_type = g_ascii_strdown(type, -1);
	a->disposition = g_strdup(disp);
	a->content_id = cid != NULL && *cid != '\0' ? g_strdup(cid) : NULL;
	a->part_path = g_strdup(path);
	a->forwarded_index = fwd;
	if (a->filename == NULL) {
		a->filename = g_strdup_printf("attachment-%u.%s",
		    sub->attachments->len + 1, type_ext(a->content_type));
		a->name_generated = TRUE;
	}
	g_ptr_array_add(sub->attachments, a);
	return a;
}

void
mime_attach_begin(msg_attachment *a, mime_attach_sink *s)
{
	s->sha = hash_sha256_new();
	s->media = media_scan_new(a->content_type, a->filename);
	s->size = 0;
}

void
mime_attach_end(mime_walk *w, msg_attachment *a, mime_attach_sink *s)
{
	hash_sha256_finish(s->sha, a->sha256);
	media_scan_finish_facts(s->media, &a->media, &a->has_gps, &a->gps_lat,
				&a->gps_lon, &a->danger);
	a->size = s->size;
	if (a->has_gps)
		w->sub->has_gps = TRUE;
}

typedef struct {
	mime_walk *w;
	const char *path;
	int fwd, n;
} tnef_ctx;

static void
tnef_file(const char *name, const void *data, size_t len, void *ud)
{
	tnef_ctx *t = ud;
	char *path = g_strdup_printf("%s:tnef%d", t->path, ++t->n);
	char *fname = mime_text_nfc(name);
	msg_attachment *a = mime_attach_new(t->w, fname, ext_type(name),
					    "attachment", NULL, path, t->fwd);
	mime_attach_sink s;

	mime_attach_begin(a, &s);
	mime_attach_add(data, len, &s);
	mime_attach_end(t->w, a, &s);
	g_free(path);
}

/* winmail.dat: its files replace it; kept as is when it cannot be read. */
static gboolean
tnef_try(mime_walk *w, GMimePart *part, const char *path, int fwd)
{
	gboolean cut = FALSE;
	GByteArray *b = mime_part_bytes(part, TNEF_MAX, &cut);
	tnef_ctx t = { w, path, fwd, 0 };
	int n = -1;

	if (!cut)
		n = tnef_expand(b->data, b->len, tnef_file, &t);
	g_byte_array_free(b, TRUE);
	if (n > 0) {
		mime_ctx_warn(w->sub, g_strdup_printf("part %s: TNEF "
			       "(winmail.dat) expanded into %d file(s)", path,
			       n));
		return TRUE;
	}
	mime_ctx_warn(w->sub, g_strdup_printf("part %s: TNEF (winmail.dat) "
		       "%s: kept as one file", path, cut ? "too large" :
		       n == 0 ? "carries no files" :
		       "not readable by libytnef"));
	return FALSE;
}

/* One attachment for O at PATH, its bytes from ST (may be NULL). */
static void
attach_one(mime_walk *w, GMimeObject *o, GMimeStream *st, const char *path,
	   int fwd)
{
	char *rd = NULL, *rt = NULL, *type, *fname;
	const char *disp = "attachment", *cid = NULL;
	GMimeContentDisposition *d = g_mime_object_get_content_disposition(o);
	mime_header_repair rep = { 0 };
	msg_attachment *a;
	mime_attach_sink s;

	type = g_mime_content_type_get_mime_type(
	    g_mime_object_get_content_type(o));
	raw_header(o, "Content-Disposition", &rd);
	raw_header(o, "Content-Type", &rt);
	/* Raw 8-bit name bytes: the part's own charset, then the one of
	 * the message's text, before any guess (issue 9 item 7). */
	rep.hint[0] = g_mime_object_get_content_type_parameter(o, "charset");
	rep.hint[1] = w->hint[0] != '\0' ? w->hint : NULL;
	fname = mime_header_filename(w->opts, rd, rt, &rep);
	if (rep.label_repaired)
		mime_ctx_warn(w->sub, g_strdup_printf("part %s: file name "
			       "charset label repaired", path));
	{
		char *what = g_strdup_printf("part %s: file name", path);
		char *warn = mime_header_repair_warning(&rep, what);

		if (warn != NULL)
			mime_ctx_warn(w->sub, warn);
		g_free(what);
	}
	g_free(rep.note);
	cid = g_mime_object_get_content_id(o);
	if (d != NULL && g_mime_content_disposition_get_disposition(d) &&
	    g_ascii_strcasecmp(g_mime_content_disposition_get_disposition(d),
			       "inline") == 0)
		disp = "inline";
	else if (d == NULL && cid != NULL)
		disp = "inline";
	a = mime_attach_new(w, fname, type, disp, cid, path, fwd);
	mime_attach_begin(a, &s);
	if (st != NULL && mime_part_stream_each(st, mime_attach_add, &s) < 0)
		mime_ctx_warn(w->sub, g_strdup_printf("part %s: read error "
			       "while decoding", path));
	mime_attach_end(w, a, &s);
	g_free(type);
	g_free(rd);
	g_free(rt);
}

void
mime_attach_part(mime_walk *w, GMimeObject *o, const char *path, int fwd)
{
	GMimeStream *st;
	char *type;

	if (!GMIME_IS_PART(o))
		return;
	type = g_mime_content_type_get_mime_type(
	    g_mime_object_get_content_type(o));
	if ((g_ascii_strcasecmp(type, "application/ms-tnef") == 0 ||
	     g_ascii_strcasecmp(type, "application/vnd.ms-tnef") == 0) &&
	    tnef_try(w, GMIME_PART(o), path, fwd)) {
		g_free(type);
		return;
	}
	g_free(type);
	st = mime_part_stream(GMIME_PART(o));
	attach_one(w, o, st, path, fwd);
	if (st != NULL)
		g_object_unref(st);
}

void
mime_attach_stream(mime_walk *w, GMimeObject *o, GMimeStream *content,
		   const char *path, int fwd)
{
	/* Substreams of one file share its descriptor's offset. */
	if (content != NULL)
		g_mime_stream_reset(content);
	attach_one(w, o, content, path, fwd);
}
