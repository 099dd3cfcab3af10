/* ingest.c - file -> hash -> parse -> store. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "util.h"
#include "app.h"

/* The ledger outcome for a stored message of this queue status. */
static ledger_outcome
outcome_for_status(queue_status status)
{
	switch (status) {
	case QUEUE_QUARANTINED:
		return LEDGER_OUTCOME_QUARANTINED;
	case QUEUE_AUTO_REPLY:
		return LEDGER_OUTCOME_AUTO_REPLY;
	case QUEUE_BOUNCE:
		return LEDGER_OUTCOME_BOUNCE;
	case QUEUE_SPAM:
		return LEDGER_OUTCOME_SPAM;
	case QUEUE_TOO_LARGE:
		return LEDGER_OUTCOME_TOO_LARGE;
	default:
		return LEDGER_OUTCOME_STORED;	/* new */
	}
}

/* The top-level header block of PATH (through its blank line) in a
 * memfd, for a quarantined message's envelope; -1 when it is longer than
 * MAX bytes (the parser's max_header_bytes, so memory stays bounded) or
 * cannot be read or copied.  Not a spool file: a new file per
 * quarantined message costs an inode on ext4 without a journal (util.h,
 * spool), and a memfd has no name to plant a link at or to leave
 * behind: it goes with its descriptor, on every path. */
static int
header_block_copy(const char *path, gint64 max)
{
	char line[4096];
	gint64 total = 0;
	FILE *in = fopen(path, "re");
	int fd = -1, ended = 0, failed = 0;

	if (in == NULL)
		return -1;
	if ((fd = memfd_create("tipline-hdr", MFD_CLOEXEC)) < 0)
		goto out;
	while (!failed && fgets(line, sizeof line, in) != NULL) {
		size_t n = strlen(line);

		total += n;
		if (total > max)
			break;
		if (!safefile_write_all(fd, line, n))
			failed = 1;	/* no envelope, no harm */
		if (strcmp(line, "\n") == 0 || strcmp(line, "\r\n") == 0) {
			ended = 1;
			break;
		}
	}
	if (failed || !(ended || feof(in)) || total > max) {
		close(fd);
		fd = -1;
	}
out:
	fclose(in);
	return fd;
}

/* Move *src into *dst when *dst is unset. */
static void
take(char **dst, char **src)
{
	if (*dst == NULL) {
		*dst = *src;
		*src = NULL;
	}
}

/* A quarantined message still shows the editor whose it is: when its
 * top-level header block is within the limits, parse that block alone
 * (bounded: no MIME structure is left to trip a limit) and keep sender,
 * subject, date and ids. The body stays unparsed. */
static void
envelope_from_header_block(const tl_config *cfg, const char *path,
			   msg_submission *sub)
{
	int hdr = header_block_copy(path, cfg->limits.max_header_bytes);
	msg_submission *h = NULL;
	char *err = NULL;

	if (hdr < 0)
		return;
	if (message_parse_fd(hdr, path, &cfg->limits, &h, &err) == TL_OK &&
	    h->quarantine_reason == NULL) {
		take(&sub->from_name, &h->from_name);
		take(&sub->from_addr, &h->from_addr);
		take(&sub->subject, &h->subject);
		take(&sub->message_id, &h->message_id);
		take(&sub->date_utc, &h->date_utc);
		take(&sub->in_reply_to, &h->in_reply_to);
		take(&sub->references, &h->references);
		if (sub->date_utc != NULL)
			sub->date_offset_min = h->date_offset_min;
		g_ptr_array_add(sub->warnings, g_strdup("sender, subject and "
			"date read from the top-level header only; the body "
			"was not parsed"));
	}
	message_free(h);
	g_free(err);
	close(hdr);
}

queue_status
ingest_queue_status(msg_class c)
{
	switch (c) {
	case MSG_CLASS_NEW:
		return QUEUE_NEW;
	case MSG_CLASS_QUARANTINED:
		return QUEUE_QUARANTINED;
	case MSG_CLASS_BOUNCE:
		return QUEUE_BOUNCE;
	case MSG_CLASS_AUTO_REPLY:
		return QUEUE_AUTO_REPLY;
	case MSG_CLASS_SPAM:
		return QUEUE_SPAM;
	default:
		return QUEUE_INVALID;
	}
}

tl_status
ingest_file(store *st, const tl_config *cfg, const char *path,
	    const char *known_hash, const store_source *src,
	    const char *too_large_reason, ingest_result *res, char **errmsg)
{
	msg_submission *sub = NULL;
	queue_status status;
	const char *error = NULL;
	gint64 size = 0, id = 0, dup = 0;
	tl_status rc;

	memset(res, 0, sizeof *res);
	if (known_hash != NULL) {
		/* Hashed while spooling: only the size is needed. */
		struct stat sb;

		if (stat(path, &sb) != 0) {
			*errmsg = g_strdup_printf("%s: %s", path,
						  g_strerror(errno));
			return TL_NOINPUT;
		}
		g_strlcpy(res->content_hash, known_hash,
			  sizeof res->content_hash);
		size = sb.st_size;
		rc = TL_OK;
	} else {
		rc = hash_content_file(path, res->content_hash, &size, errmsg);
	}
	if (rc != TL_OK)
		return rc;
	if (too_large_reason != NULL) {
		/* Only the headers are here; keep such entries apart from a
		 * later full copy of the same message. */
		char *salted = g_strconcat("too_large:", res->content_hash,
					   NULL);
		char h[65];
		hash_sha256 *s = hash_sha256_new();

		hash_sha256_update(s, salted, strlen(salted));
		hash_sha256_finish(s, h);
		g_free(salted);
		memcpy(res->content_hash, h, sizeof h);
	}

	dup = store_find_by_hash(st, res->content_hash);
	if (dup != 0) {
		/* dup < 0: purged earlier; it stays purged, and the ledger
		 * row names no submission. */
		res->outcome = LEDGER_OUTCOME_DUPLICATE;
		res->submission_id = dup > 0 ? dup : 0;
		return TL_OK;
	}

	rc = message_parse_file(path, &cfg->limits, &sub, errmsg);
	if (rc != TL_OK)
		return rc;
	if (sub->quarantine_reason != NULL)
		envelope_from_header_block(cfg, path, sub);
	if (src != NULL && src->note != NULL)
		g_ptr_array_add(sub->warnings, g_strdup(src->note));
	if (too_large_reason != NULL) {
		status = QUEUE_TOO_LARGE;
		error = too_large_reason;
	} else {
		status = ingest_queue_status(message_classify(sub));
		error = sub->quarantine_reason;
	}
	rc = store_submission_insert(st, sub, path, size, res->content_hash,
				     src, status, error, &id, &dup);
	if (rc != TL_OK) {
		*errmsg = g_strdup_printf("%s: %s", path, store_errmsg(st));
		goto out;
	}
	if (dup > 0) {
		res->outcome = LEDGER_OUTCOME_DUPLICATE;
		res->submission_id = dup;
	} else {
		res->outcome = outcome_for_status(status);
		res->submission_id = id;
	}
out:
	message_free(sub);
	return rc;
}
