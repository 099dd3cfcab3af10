/* image.c - photo thumbnails with libvips 8.14, and the JPEG encoder of
 * both kinds (preview.h). */
#include <string.h>

#include "preview.h"
#include "image-priv.h"

/* The loaders a reader's photo may reach; every other one (SVG, PDF,
 * TIFF, GIF, ImageMagick, ...) is blocked. */
static const char *const image_loaders[] = {
	"VipsForeignLoadJpegBuffer", "VipsForeignLoadPngBuffer",
	"VipsForeignLoadWebpBuffer", "VipsForeignLoadHeifBuffer", NULL,
};

char *preview_vips_error(void)
{
	char *msg = g_strdup(vips_error_buffer());
	char *nl = strchr(msg, '\n');

	if (nl != NULL)
		*nl = '\0';
	vips_error_clear();
	return msg;
}

/* libvips warns on stderr per damaged tile; the protocol's stderr is one
 * line, the reason, so GLib's messages are dropped. */
static void log_drop(const gchar *domain, GLogLevelFlags level,
		     const gchar *msg, gpointer data)
{
	(void)domain;
	(void)level;
	(void)msg;
	(void)data;
}

int preview_image_init(const char *argv0, char **reason)
{
	int i;

	g_log_set_default_handler(log_drop, NULL);
	if (VIPS_INIT(argv0 != NULL ? argv0 : "tipline-preview") != 0) {
		*reason = g_strdup_printf("libvips: %s",
					  vips_error_buffer());
		return -1;
	}
	vips_block_untrusted_set(TRUE);
	vips_operation_block_set("VipsForeignLoad", TRUE);
	for (i = 0; image_loaders[i] != NULL; i++)
		vips_operation_block_set(image_loaders[i], FALSE);
	/* One thread: the worker shares the machine with the server, and
	 * RLIMIT_CPU counts every thread. */
	vips_concurrency_set(1);
	vips_cache_set_max(0);
	return 0;
}

/* NAME is a class name, as vips_foreign_find_load_buffer gives it. */
static int loader_allowed(const char *name)
{
	int i;

	for (i = 0; image_loaders[i] != NULL; i++)
		if (strcmp(name, image_loaders[i]) == 0)
			return 1;
	return 0;
}

/* Read the header only (libvips decodes lazily) and refuse a picture
 * whose pixel count is over the limit before any pixel is decoded. */
static int image_header_check(const guint8 *buf, gsize len,
			      const preview_limits *lim, char **reason)
{
	const char *name = vips_foreign_find_load_buffer(buf, len);
	VipsImage *hdr = NULL;
	guint64 px;

	if (name == NULL || !loader_allowed(name)) {
		vips_error_clear();
		*reason = g_strdup("not a JPEG, PNG, WebP or HEIC image");
		return -1;
	}
	hdr = vips_image_new_from_buffer(buf, len, "", "access",
					 VIPS_ACCESS_SEQUENTIAL, NULL);
	if (hdr == NULL) {
		char *e = preview_vips_error();

		*reason = g_strdup_printf("unreadable header: %s", e);
		g_free(e);
		return -1;
	}
	px = (guint64)vips_image_get_width(hdr) *
	     (guint64)vips_image_get_height(hdr);
	if (px > lim->max_pixels)
		*reason = g_strdup_printf("%dx%d pixels is over the limit "
			"of %llu", vips_image_get_width(hdr),
			vips_image_get_height(hdr),
			(unsigned long long)lim->max_pixels);
	g_object_unref(hdr);
	return px > lim->max_pixels ? -1 : 0;
}

int preview_image_make(const guint8 *buf, gsize len,
		       const preview_limits *lim, GBytes **out,
		       char **reason)
{
	VipsImage *thumb = NULL;
	int rc = -1;

	if (image_header_check(buf, len, lim, reason) != 0)
		return -1;
	/* Shrink-on-load where the format has it (JPEG, WebP, HEIF);
	 * autorotation from EXIF is vips_thumbnail's default; a truncated
	 * file is an error, not a grey band. */
	if (vips_thumbnail_buffer((void *)buf, len, &thumb, (int)lim->size,
				  "height", (int)lim->size,
				  "size", VIPS_SIZE_DOWN,
				  "option_string", "fail_on=truncated",
				  NULL) != 0) {
		char *e = preview_vips_error();

		*reason = g_strdup_printf("cannot decode: %s", e);
		g_free(e);
		goto out;
	}
	rc = preview_jpeg_encode(thumb, VIPS_ANGLE_D0, out, reason);
out:
	if (thumb != NULL)
		g_object_unref(thumb);
	return rc;
}

int preview_jpeg_encode(VipsImage *in, VipsAngle angle, GBytes **out,
			char **reason)
{
	VipsImage *rot = NULL, *srgb = NULL;
	void *buf = NULL;
	size_t len = 0;
	int rc = -1;

	if (vips_rot(in, &rot, angle, NULL) != 0 ||
	    vips_colourspace(rot, &srgb, VIPS_INTERPRETATION_sRGB,
			     NULL) != 0 ||
	    vips_jpegsave_buffer(srgb, &buf, &len, "Q", 80, "strip", TRUE,
				 NULL) != 0) {
		char *e = preview_vips_error();

		/* Decoding is lazy: a broken file fails here. */
		*reason = g_strdup_printf("cannot make the JPEG: %s", e);
		g_free(e);
		goto out;
	}
	if (len > PREVIEW_MAX_OUTPUT) {
		*reason = g_strdup("the JPEG is too large");
		g_free(buf);
		goto out;
	}
	*out = g_bytes_new_take(buf, len);
	rc = 0;
out:
	if (rot != NULL)
		g_object_unref(rot);
	if (srgb != NULL)
		g_object_unref(srgb);
	return rc;
}
