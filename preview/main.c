/* main.c - tipline-preview: one untrusted photo or clip in on stdin, one
 * JPEG out on stdout, in a process of its own (protocol: preview.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "preview.h"
#include "image-priv.h"
#include "sandbox-priv.h"
#include "video-priv.h"

/* The input: mapped (a regular file) or read (a pipe). */
typedef struct {
	const guint8 *data;
	gsize len;
	void *map;		/* munmap this when not NULL */
	GByteArray *read;	/* or free this */
} preview_input;

static int usage(const char *msg)
{
	fprintf(stderr, "tipline-preview: %s\n"
		"usage: tipline-preview [--size PX] [--max-pixels N] "
		"[--max-bytes N]\n"
		"       [--memory MIB] [--cpu SECONDS] image|video\n", msg);
	return PREVIEW_EXIT_USAGE;
}

/* A positive number no larger than MAX, or 0 when S is not one. */
static guint64 number_parse(const char *s, guint64 max)
{
	char *end = NULL;
	guint64 v;

	if (s == NULL || *s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = g_ascii_strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return 0;
	return v;
}

static int args_parse(int argc, char **argv, preview_limits *lim,
		      const char **kind)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		guint64 v;

		if (a[0] != '-') {
			if (*kind != NULL)
				return usage("one kind only");
			*kind = a;
			continue;
		}
		if (i + 1 >= argc)
			return usage("an option needs a value");
		v = number_parse(argv[++i], G_MAXUINT32 * 256ULL);
		if (v == 0)
			return usage("option values are positive numbers");
		if (strcmp(a, "--size") == 0 && v <= 4096)
			lim->size = (unsigned)v;
		else if (strcmp(a, "--max-pixels") == 0)
			lim->max_pixels = v;
		else if (strcmp(a, "--max-bytes") == 0)
			lim->max_bytes = v;
		else if (strcmp(a, "--memory") == 0 && v <= 65536)
			lim->memory_mib = (unsigned)v;
		else if (strcmp(a, "--cpu") == 0 && v <= 3600)
			lim->cpu_seconds = (unsigned)v;
		else
			return usage("unknown option or value out of range");
	}
	if (*kind == NULL || (strcmp(*kind, "image") != 0 &&
			      strcmp(*kind, "video") != 0))
		return usage("the kind is image or video");
	return 0;
}

/* Map stdin when it is a file (a clip must be seekable), else read it
 * to its end; at most LIM->max_bytes either way. */
static int input_take(const preview_limits *lim, preview_input *in,
		      char **reason)
{
	struct stat st;
	guint8 chunk[65536];
	ssize_t n;

	if (fstat(0, &st) != 0) {
		*reason = g_strdup_printf("no input: %s", strerror(errno));
		return -1;
	}
	if (S_ISREG(st.st_mode)) {
		if ((guint64)st.st_size > lim->max_bytes) {
			*reason = g_strdup_printf("%lld bytes is over the "
				"limit of %llu", (long long)st.st_size,
				(unsigned long long)lim->max_bytes);
			return -1;
		}
		if (st.st_size == 0) {
			*reason = g_strdup("empty input");
			return -1;
		}
		in->map = mmap(NULL, (size_t)st.st_size, PROT_READ,
			       MAP_PRIVATE, 0, 0);
		if (in->map == MAP_FAILED) {
			in->map = NULL;
			*reason = g_strdup_printf("cannot map the input: %s",
						  strerror(errno));
			return -1;
		}
		in->data = in->map;
		in->len = (gsize)st.st_size;
		return 0;
	}
	in->read = g_byte_array_new();
	while ((n = read(0, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*reason = g_strdup_printf("reading the input: %s",
						  strerror(errno));
			return -1;
		}
		if (in->read->len + (guint64)n > lim->max_bytes) {
			*reason = g_strdup_printf("the input is over the "
				"limit of %llu bytes",
				(unsigned long long)lim->max_bytes);
			return -1;
		}
		g_byte_array_append(in->read, chunk, (guint)n);
	}
	if (in->read->len == 0) {
		*reason = g_strdup("empty input");
		return -1;
	}
	in->data = in->read->data;
	in->len = in->read->len;
	return 0;
}

static int output_write(GBytes *jpeg)
{
	gsize len = 0;
	const guint8 *p = g_bytes_get_data(jpeg, &len);

	while (len > 0) {
		ssize_t n = write(1, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (gsize)n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	preview_limits lim = {
		PREVIEW_DEFAULT_SIZE, PREVIEW_DEFAULT_MAX_PIXELS,
		PREVIEW_DEFAULT_MAX_BYTES, PREVIEW_DEFAULT_MEMORY_MIB,
		PREVIEW_DEFAULT_CPU_SECONDS,
	};
	preview_input in = { NULL, 0, NULL, NULL };
	const char *kind = NULL, *isolation = NULL;
	char *reason = NULL;
	GBytes *jpeg = NULL;
	int info, rc, ret = PREVIEW_EXIT_SETUP;

	info = argc == 2 && strcmp(argv[1], "--sandbox-info") == 0;
	if (!info && (rc = args_parse(argc, argv, &lim, &kind)) != 0)
		return rc;
	if (preview_sandbox_enter(&lim, &isolation, &reason) != 0 ||
	    preview_image_init(argv[0], &reason) != 0)
		goto out;
	if (info) {
		if (preview_sandbox_seal(&reason) != 0)
			goto out;
		printf("network isolation: %s; RLIMIT_NOFILE 3\n",
		       isolation);
		ret = PREVIEW_EXIT_OK;
		goto out;
	}
	ret = PREVIEW_EXIT_NONE;
	if (input_take(&lim, &in, &reason) != 0)
		goto out;
	if (preview_sandbox_seal(&reason) != 0) {
		ret = PREVIEW_EXIT_SETUP;
		goto out;
	}
	if (strcmp(kind, "image") == 0)
		rc = preview_image_make(in.data, in.len, &lim, &jpeg,
					&reason);
	else
		rc = preview_video_make(in.data, in.len, &lim, &jpeg,
					&reason);
	if (rc != 0)
		goto out;
	if (output_write(jpeg) != 0) {
		reason = g_strdup_printf("writing the JPEG: %s",
					 strerror(errno));
		ret = PREVIEW_EXIT_SETUP;
		goto out;
	}
	ret = PREVIEW_EXIT_OK;
out:
	if (reason != NULL)
		fprintf(stderr, "tipline-preview: %s%s\n",
			ret == PREVIEW_EXIT_NONE ? "no preview: " : "",
			reason);
	g_free(reason);
	if (jpeg != NULL)
		g_bytes_unref(jpeg);
	if (in.map != NULL)
		munmap(in.map, in.len);
	if (in.read != NULL)
		g_byte_array_free(in.read, TRUE);
	return ret;
}
