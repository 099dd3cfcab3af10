/* ingest.c - file -> hash -> parse -> store. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "hash.h"
#include "ingest.h"
#include "log.h"

/* The ledger outcome for a stored message of this queue status. */
static const char *
outcome_for_status(const char *status)
{
	if (strcmp(status, "new") == 0)
		return "stored";
	if (strcmp(status, "quarantined") == 0)
		return "quarantined";
	if (strcmp(status, "auto_reply") == 0)
		return "auto_reply";
	if (strcmp(status, "bounce") == 0)
		return "bounce";
	if (strcmp(status, "spam") == 0)
		return "spam";
	if (strcmp(status, "too_large") == 0)
		return "too_large";
	return "stored";
}

tl_status
ingest_file(store *st, const tl_config *cfg, const char *path,
	    const char *known_hash, const store_source *src,
	    const char *too_large_reason, ingest_result *res, char **errmsg)
{
	msg_submission *sub = NULL;
	const char *status, *error = NULL;
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
		char *salted = g_strconcat("too_large:", res->content_hash, NULL);
		char h[65];
		hash_sha256 *s = hash_sha256_new();

		hash_sha256_update(s, salted, strlen(salted));
		hash_sha256_finish(s, h);
		g_free(salted);
		memcpy(res->content_hash, h, sizeof h);
	}

	dup = store_find_by_hash(st, res->content_hash);
	if (dup > 0) {
		res->outcome = "duplicate";
		res->submission_id = dup;
		return TL_OK;
	}

	rc = message_parse_file(path, &cfg->limits, &sub, errmsg);
	if (rc != TL_OK)
		return rc;
	if (too_large_reason != NULL) {
		status = "too_large";
		error = too_large_reason;
	} else {
		status = message_initial_status(sub);
		error = sub->quarantine_reason;
	}
	rc = store_submission_insert(st, sub, path, size, res->content_hash,
				     src, status, error, &id, &dup);
	if (rc != TL_OK) {
		*errmsg = g_strdup_printf("%s: %s", path, store_errmsg(st));
		goto out;
	}
	if (dup > 0) {
		res->outcome = "duplicate";
		res->submission_id = dup;
	} else {
		res->outcome = outcome_for_status(status);
		res->submission_id = id;
	}
out:
	message_free(sub);
	return rc;
}
