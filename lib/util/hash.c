/* hash.c - SHA-256 through libcrypto's EVP interface. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "util.h"

struct hash_sha256 {
	EVP_MD_CTX *ctx;
};

#define HASH_BUF (64 * 1024)

struct hash_content {
	hash_sha256 *sha;
	int pending_cr;		/* the last byte fed was a CR */
	size_t pending_lf;	/* newlines held back: they may be trailing */
	size_t len;		/* bytes in buf */
	unsigned char buf[HASH_BUF];	/* normalised bytes not yet hashed:
					 * one digest update per buffer, not
					 * per line */
};

hash_sha256 *
hash_sha256_new(void)
{
	hash_sha256 *h = g_new0(hash_sha256, 1);

	h->ctx = EVP_MD_CTX_new();
	if (h->ctx == NULL ||
	    EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1)
		g_error("libcrypto: cannot initialise SHA-256");
	return h;
}

void
hash_sha256_update(hash_sha256 *h, const void *buf, size_t len)
{
	if (len > 0)
		EVP_DigestUpdate(h->ctx, buf, len);
}

void
hash_sha256_finish(hash_sha256 *h, char out_hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	static const char hex[] = "0123456789abcdef";

	EVP_DigestFinal_ex(h->ctx, md, &n);
	for (unsigned int i = 0; i < 32; i++) {
		out_hex[2 * i] = hex[md[i] >> 4];
		out_hex[2 * i + 1] = hex[md[i] & 15];
	}
	out_hex[64] = '\0';
	EVP_MD_CTX_free(h->ctx);
	g_free(h);
}

hash_content *
hash_content_new(void)
{
	/* Not g_new0: zeroing the 64 KiB buffer cost every message about
	 * 65,000 instructions (2 % of an import of small mail, callgrind,
	 * 4 Dec 2026), and no byte of it is read before it is written. */
	hash_content *h = g_new(hash_content, 1);

	h->sha = hash_sha256_new();
	h->pending_cr = 0;
	h->pending_lf = 0;
	h->len = 0;
	return h;
}

static void
emit(hash_content *h, unsigned char c)
{
	if (h->len == HASH_BUF) {
		hash_sha256_update(h->sha, h->buf, h->len);
		h->len = 0;
	}
	h->buf[h->len++] = c;
}

static void
emit_run(hash_content *h, const unsigned char *p, size_t n)
{
	while (n > 0) {
		size_t k = MIN(n, HASH_BUF - h->len);

		memcpy(h->buf + h->len, p, k);
		h->len += k;
		p += k;
		n -= k;
		if (h->len == HASH_BUF) {
			hash_sha256_update(h->sha, h->buf, h->len);
			h->len = 0;
		}
	}
}

/* Emit newlines that turned out not to be trailing. */
static void
flush_pending(hash_content *h)
{
	for (; h->pending_lf > 0; h->pending_lf--)
		emit(h, '\n');
}

void
hash_content_update(hash_content *h, const void *buf, size_t len)
{
	const unsigned char *p = buf, *end = p + len;

	/* CRLF becomes LF; a CR is held until the next byte shows whether
	 * it starts a CRLF, and LFs until a non-newline shows they are not
	 * trailing. */
	while (p < end) {
		unsigned char c = *p;

		if (!h->pending_cr && h->pending_lf == 0 &&
		    c != '\r' && c != '\n') {
			/* Fast path: copy the run up to the next CR or LF
			 * (memchr is vectorised; lines are short). */
			const unsigned char *nl = memchr(p, '\n', end - p);
			const unsigned char *stop = nl ? nl : end;
			const unsigned char *cr = memchr(p, '\r', stop - p);

			if (cr != NULL)
				stop = cr;
			emit_run(h, p, stop - p);
			p = stop;
			continue;
		}
		p++;

		if (h->pending_cr) {
			h->pending_cr = 0;
			if (c == '\n') {
				h->pending_lf++;
				continue;
			}
			flush_pending(h);
			emit(h, '\r');
		}
		if (c == '\r') {
			h->pending_cr = 1;
		} else if (c == '\n') {
			h->pending_lf++;
		} else {
			if (h->pending_lf > 0)
				flush_pending(h);
			emit(h, c);
		}
	}
}

void
hash_content_finish(hash_content *h, char out_hex[65])
{
	/* A final bare CR is content; trailing newlines are not. */
	if (h->pending_cr) {
		flush_pending(h);
		emit(h, '\r');
	}
	hash_sha256_update(h->sha, h->buf, h->len);
	hash_sha256_finish(h->sha, out_hex);
	g_free(h);
}

tl_status
hash_content_file(const char *path, char out_hex[65], gint64 *size_out,
		  char **errmsg)
{
	char buf[65536];
	gint64 total = 0;
	hash_content *h;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*errmsg = g_strdup_printf("%s: %s", path, g_strerror(errno));
		return TL_NOINPUT;
	}
	h = hash_content_new();
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		hash_content_update(h, buf, n);
		total += n;
	}
	if (n < 0) {
		*errmsg = g_strdup_printf("%s: %s", path, g_strerror(errno));
		hash_content_finish(h, out_hex);
		close(fd);
		return TL_NOINPUT;
	}
	close(fd);
	hash_content_finish(h, out_hex);
	if (size_out)
		*size_out = total;
	return TL_OK;
}
