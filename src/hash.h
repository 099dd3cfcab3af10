/* hash.h - SHA-256 with OpenSSL's libcrypto (several times faster than
 * GLib's GChecksum here), and the content hash that decides whether two
 * copies are the same message.
 */
#ifndef TIPLINE_HASH_H
#define TIPLINE_HASH_H

#include <stddef.h>
#include <glib.h>

#include "status.h"

/* Incremental content hash: SHA-256 of a message with every CRLF folded to
 * LF and trailing newlines dropped, so that a Maildir/mbox copy (LF) and an
 * IMAP BODY[] (CRLF) of one message hash alike.  A bare CR is kept. */
typedef struct hash_content hash_content;

/* New hasher; never NULL (aborts on allocation failure). */
hash_content *hash_content_new(void);
/* Feed LEN bytes; chunk boundaries do not matter. */
void hash_content_update(hash_content *h, const void *buf, size_t len);
/* Finish: writes 64 hex digits and a NUL to out_hex, frees h. */
void hash_content_finish(hash_content *h, char out_hex[65]);

/* Content hash of a whole file, read in chunks.  TL_NOINPUT when it cannot
 * be read (*errmsg, g_free); *size_out (may be NULL) gets the byte count. */
tl_status hash_content_file(const char *path, char out_hex[65],
			    gint64 *size_out, char **errmsg);

/* Plain SHA-256 (no normalisation), incremental. */
typedef struct hash_sha256 hash_sha256;
hash_sha256 *hash_sha256_new(void);
void hash_sha256_update(hash_sha256 *h, const void *buf, size_t len);
void hash_sha256_finish(hash_sha256 *h, char out_hex[65]);

#endif
