/* page-media.c - an attachment's thumbnail, download and clip (issue 12):
 * only what tipline re-encoded (the worker's JPEG) and clips whose bytes
 * are MP4/QuickTime by the media facts of ingest are shown inline;
 * everything else, and anything dangerous, is a sandboxed download.
 *
 * Clips and downloads are sent from a temporary file that
 * store_attachment_write fills (decoded from the stored original), with
 * libmicrohttpd's MHD_create_response_from_fd_at_offset64: memory stays
 * constant whatever the size, the kernel sends the bytes (sendfile), and
 * the exact size is known before the headers, which Content-Range
 * needs.  A callback over the MIME decoder could not seek to a range's
 * start without decoding everything before it anyway.  The cost is one
 * decode per request (a seek of <video> is one request). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "serve.h"

char *
page_media_url(gint64 id, gint64 idx, const char *what)
{
	return g_strdup_printf("/s/%" G_GINT64_FORMAT "/a/%" G_GINT64_FORMAT
			       "/%s", id, idx, what);
}

/* RFC 8187 attr-char: sent as is; every other byte is %XX. */
static gboolean
attr_char(unsigned char c)
{
	return g_ascii_isalnum(c) || (c != '\0' && strchr("!#$&+-.^_`|~",
							  c) != NULL);
}

char *
page_media_disposition(const char *name)
{
	char *safe = safename_make(name, "attachment");
	/* The fallback for old clients: diacritics folded (lower case, as
	 * nfc_fold does), what is still not ASCII as '_'. */
	char *ascii = nfc_fold(safe);
	GString *o = g_string_new("attachment; filename=\"");

	for (const unsigned char *p = (const unsigned char *)ascii; *p; p++)
		g_string_append_c(o, *p >= 0x20 && *p < 0x7f && *p != '"' &&
				  *p != '\\' && *p != '%' ? (char)*p : '_');
	g_string_append(o, "\"; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)safe; *p; p++) {
		if (attr_char(*p))
			g_string_append_c(o, (char)*p);
		else
			g_string_append_printf(o, "%%%02X", *p);
	}
	g_free(ascii);
	g_free(safe);
	return g_string_free(o, FALSE);
}

static void
media_error(serve_media *m, int status, const char *title, const char *what)
{
	m->status = status;
	m->body = g_string_new(NULL);
	page_message(m->body, title, what);
}

/* Is AT a clip the browser may play inline? */
gboolean
page_media_is_clip(const detail_attachment *at)
{
	return at->danger == NULL && at->media != NULL &&
	       at->media->format != NULL &&
	       (strcmp(at->media->format, "MP4") == 0 ||
		strcmp(at->media->format, "QuickTime") == 0);
}

/* Does the preview worker make a picture of AT (a photo or a clip)? */
gboolean
page_media_has_preview(const detail_attachment *at)
{
	static const char *const photos[] = { "JPEG", "PNG", "WebP", "HEIF",
					      NULL };

	if (at->danger != NULL || at->media == NULL ||
	    at->media->format == NULL)
		return FALSE;
	return page_media_is_clip(at) ||
	       g_strv_contains(photos, at->media->format);
}

/* An unlinked temporary file holding attachment AT of submission ID, or
 * -1 with M's error filled. */
static int
media_file(const serve_req *r, gint64 id, const detail_attachment *at,
	   serve_media *m)
{
	const char *tmp = g_get_tmp_dir();
	char *path = NULL;
	tl_status rc;
	int fd;

	fd = open(tmp, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) {
		path = g_build_filename(tmp, "tipline-serve-XXXXXX", NULL);
		fd = g_mkstemp_full(path, O_RDWR | O_CLOEXEC, 0600);
		if (fd >= 0)
			unlink(path);
		g_free(path);
	}
	if (fd < 0) {
		log_err("serve: no temporary file in %s: %s", tmp,
			  g_strerror(errno));
		media_error(m, 503, "Not now", "The server has no room for "
			    "a temporary copy of this attachment.");
		return -1;
	}
	rc = store_attachment_write(r->st, id, at->part, NULL, fd);
	if (rc != TL_OK)
		log_err("serve: #%" G_GINT64_FORMAT " attachment %"
			  G_GINT64_FORMAT ": %s", id, at->index,
			  store_errmsg(r->st));
	if (rc != TL_OK) {
		close(fd);
		media_error(m, rc == TL_DATA ? 404 : 503, "Not available",
			    "This attachment cannot be read (the server's "
			    "log says why).");
		return -1;
	}
	return fd;
}

static void
media_thumb(const serve_req *r, gint64 id, const detail_attachment *at,
	    serve_media *m)
{
	store_preview *p = NULL;
	char *err = NULL;
	tl_status rc;

	if (!page_media_has_preview(at)) {
		media_error(m, 404, "No preview", "no preview");
		return;
	}
	/* The worker may run here once (then it is cached); only this
	 * request's own connection waits meanwhile (pool.c). */
	rc = preview_get(r->st, id, at->index, 0, NULL, NULL, &p, &err);
	if (rc != TL_OK || p->state != STORE_PREVIEW_OK) {
		if (rc != TL_OK)
			log_err("serve: preview of #%" G_GINT64_FORMAT
				  "/%" G_GINT64_FORMAT ": %s", id, at->index,
				  err ? err : "?");
		media_error(m, 404, "No preview", "no preview");
	} else {
		m->status = 200;
		m->ctype = "image/jpeg";
		m->bytes = g_bytes_ref(p->jpeg);
	}
	store_preview_free(p);
	g_free(err);
}

static void
media_clip(const serve_req *r, gint64 id, const detail_attachment *at,
	   const char *range, serve_media *m)
{
	struct stat sb;
	guint64 start, len;
	serve_range k;
	int fd;

	if (!page_media_is_clip(at)) {
		media_error(m, 404, "Not a clip", "This attachment is not a "
			    "clip that can be played here; download it.");
		return;
	}
	if ((fd = media_file(r, id, at, m)) < 0)
		return;
	if (fstat(fd, &sb) != 0) {
		close(fd);
		media_error(m, 500, "Not available", "The copy vanished.");
		return;
	}
	m->ranges = TRUE;
	k = serve_range_parse(range, (guint64)sb.st_size, &start, &len);
	if (k == SERVE_RANGE_UNSATISFIABLE) {
		close(fd);
		m->status = 416;
		m->content_range = g_strdup_printf("bytes */%" G_GUINT64_FORMAT,
						   (guint64)sb.st_size);
		m->body = g_string_new(NULL);
		page_message(m->body, "Range not satisfiable", "The clip is "
			     "shorter than that.");
		return;
	}
	m->status = k == SERVE_RANGE_OK ? 206 : 200;
	if (k == SERVE_RANGE_OK)
		m->content_range = g_strdup_printf("bytes %" G_GUINT64_FORMAT
			"-%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT, start,
			start + len - 1, (guint64)sb.st_size);
	m->ctype = "video/mp4";
	m->fd = fd;
	m->offset = start;
	m->length = len;
}

static void
media_download(const serve_req *r, gint64 id, const detail_attachment *at,
	       serve_media *m)
{
	struct stat sb;
	int fd;

	if ((fd = media_file(r, id, at, m)) < 0)
		return;
	if (fstat(fd, &sb) != 0) {
		close(fd);
		media_error(m, 500, "Not available", "The copy vanished.");
		return;
	}
	m->status = 200;
	m->ctype = "application/octet-stream";
	m->disposition = page_media_disposition(at->filename);
	m->sandbox = TRUE;
	m->fd = fd;
	m->offset = 0;
	m->length = (guint64)sb.st_size;
}

void
page_media(const serve_req *r, gint64 id, gint64 idx, const char *what,
	   const char *range, serve_media *m)
{
	detail_submission *d = NULL;
	const detail_attachment *at;
	char *err = NULL;
	tl_status rc;

	m->fd = -1;
	rc = detail_load(r->st, id, &d, &err);
	if (rc != TL_OK || idx < 0 || d->attachments == NULL ||
	    (guint64)idx >= d->attachments->len) {
		media_error(m, rc == TL_OK || rc == TL_DATA ? 404 : 503,
			    "Not found", "There is no such attachment.");
		goto out;
	}
	at = d->attachments->pdata[idx];
	if (strcmp(what, "thumb") == 0)
		media_thumb(r, id, at, m);
	else if (strcmp(what, "clip") == 0)
		media_clip(r, id, at, range, m);
	else if (strcmp(what, "download") == 0)
		media_download(r, id, at, m);
	else
		media_error(m, 404, "Not found", "There is no such page.");
out:
	g_free(err);
	detail_free(d);
}
