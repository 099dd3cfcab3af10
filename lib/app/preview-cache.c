/* preview-cache.c - a preview from the store's cache, or made by the
 * worker and cached (app.h; the cache: store.h store-preview). */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "app.h"
#include "preview.h"

static const char *const image_formats[] = { "JPEG", "PNG", "WebP", "HEIF",
					     NULL };
static const char *const video_formats[] = { "MP4", "QuickTime", NULL };
static const char *const all_formats[] = { "JPEG", "PNG", "WebP", "HEIF",
					   "MP4", "QuickTime", NULL };

tl_status
preview_todo(store *st, const char *since_utc, gint64 limit, unsigned size,
	     GPtrArray **out)
{
	return store_preview_todo(st, since_utc, limit,
				  size != 0 ? size : PREVIEW_DEFAULT_SIZE,
				  PREVIEW_VERSION, all_formats, out);
}

static gboolean
in_list(const char *const *list, const char *s)
{
	for (; s != NULL && *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return TRUE;
	return FALSE;
}

/* Why P gets no preview without the worker, or NULL when it may get
 * one (and then *kind).  The format is what the bytes are (media.h),
 * never the sender's Content-Type or name. */
static char *
preview_refusal(const store_preview *p, preview_kind *kind)
{
	if (p->danger != NULL)
		return g_strdup_printf("dangerous file: %s", p->danger);
	if (in_list(image_formats, p->format))
		*kind = PREVIEW_KIND_IMAGE;
	else if (in_list(video_formats, p->format))
		*kind = PREVIEW_KIND_VIDEO;
	else
		return g_strdup_printf("not a photo or clip tipline previews "
				       "(%s)", p->format != NULL ? p->format :
				       p->content_type);
	if ((guint64)p->bytes > PREVIEW_DEFAULT_MAX_BYTES)
		return g_strdup_printf("%" G_GINT64_FORMAT " bytes is more "
				       "than the worker reads", p->bytes);
	return NULL;
}

/* Run the worker of KIND on P's decoded bytes; fills P (OK or NONE).
 * TL_OK when P now holds a result to cache; otherwise *errmsg. */
static tl_status
preview_make(store *st, store_preview *p, preview_kind kind,
	     const preview_options *opt, const char *tmpdir, char **errmsg)
{
	GBytes *jpeg = NULL;
	char *reason = NULL;
	tl_status rc;
	int fd = memfd_create("tipline-preview-input", MFD_CLOEXEC);

	if (fd < 0) {
		*errmsg = g_strdup_printf("#%" G_GINT64_FORMAT ": memfd: %s",
					  p->submission_id, g_strerror(errno));
		return TL_TEMPFAIL;
	}
	rc = store_attachment_write(st, p->submission_id, p->part, tmpdir,
				    fd);
	if (rc != TL_OK) {
		*errmsg = g_strdup(store_errmsg(st));
		goto out;
	}
	rc = preview_run_fd(opt, kind, fd, &jpeg, &reason);
	if (rc == TL_OK) {
		p->state = STORE_PREVIEW_OK;
		p->jpeg = jpeg;
	} else if (rc == TL_DATA) {
		p->state = STORE_PREVIEW_NONE;
		p->reason = reason;
		reason = NULL;
		rc = TL_OK;
	} else {
		*errmsg = reason;
		reason = NULL;
		goto out;
	}
	p->made_utc = store_now_utc();
	p->made_now = TRUE;
out:
	g_free(reason);
	close(fd);
	return rc;
}

tl_status
preview_get(store *st, gint64 submission_id, gint64 index, unsigned size,
	    const preview_options *opt, const char *tmpdir,
	    store_preview **out, char **errmsg)
{
	preview_options o;
	store_preview *p = NULL;
	preview_kind kind = PREVIEW_KIND_IMAGE;
	gboolean stored;
	tl_status rc;

	*out = NULL;
	if (opt != NULL)
		o = *opt;
	else
		memset(&o, 0, sizeof o);
	o.size = size != 0 ? size : PREVIEW_DEFAULT_SIZE;
	rc = store_preview_load(st, submission_id, index, o.size,
				PREVIEW_VERSION, &p);
	if (rc != TL_OK) {
		*errmsg = g_strdup(store_errmsg(st));
		return rc;
	}
	if (p->state != STORE_PREVIEW_MISSING)
		goto done;
	if ((p->reason = preview_refusal(p, &kind)) != NULL) {
		p->state = STORE_PREVIEW_NONE;
		goto done;
	}
	if ((rc = preview_make(st, p, kind, &o, tmpdir, errmsg)) != TL_OK)
		goto fail;
	rc = store_preview_put(st, p, o.size, PREVIEW_VERSION, &stored);
	if (rc != TL_OK) {
		*errmsg = g_strdup(store_errmsg(st));
		goto fail;
	}
done:
	*out = p;
	return TL_OK;
fail:
	store_preview_free(p);
	return rc;
}
