/* cmd-import.c - `tipline import PATH...`: the fetch path for files.
 *
 * A Maildir folder (cur/ and new/) contributes every file in it, an mbox
 * file (starting with "From ") every message in it, any other regular
 * file is one RFC 5322 message; any other folder contributes the files in
 * it that look like mail (mbox_is_mail: a folder of .eml files saved
 * from a mail client), and says which it skipped.  Messages
 * are committed in batches so that an import of a large mbox holds the
 * write lock only briefly at a time.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "app.h"
#include "util.h"
#include "message.h"

#define BATCH_MESSAGES 200
#define BATCH_USEC (500 * 1000)

typedef struct {
	tl_ctx *ctx;
	int in_tx;
	int batch;
	gint64 batch_start;
	int stored, duplicates, quarantined, other;
	int skipped;		/* files of a plain folder, not mail */
	tl_status worst;	/* worst per-file failure, reported at the
				 * end */
	spool_pool *spool;	/* the mbox splitter's files, used again
				 * for every message of every mbox */
} importer;

static tl_status
batch_flush(importer *im)
{
	tl_status rc = TL_OK;

	if (im->in_tx) {
		rc = store_commit(im->ctx->st, 0);
		if (rc != TL_OK)
			cmd_err("import", "commit: %s",
				store_errmsg(im->ctx->st));
		im->in_tx = 0;
	}
	im->batch = 0;
	return rc;
}

/* Ingest one message file; DISPLAY names it in messages; NOTE (may be
 * NULL) is the mbox splitter's warning for it. */
static tl_status
import_one(importer *im, const char *path, const char *display,
	   const char *note)
{
	/* The file is the user's (or the mbox splitter's): read only. */
	store_source src = { NULL, 0, 0, display, note, NULL };
	ingest_result res;
	char *err = NULL;
	tl_status rc;

	if (!im->in_tx) {
		if ((rc = store_begin(im->ctx->st)) != TL_OK) {
			cmd_err("import", "%s", store_errmsg(im->ctx->st));
			return rc;
		}
		im->in_tx = 1;
		im->batch_start = g_get_monotonic_time();
	}
	rc = ingest_file(im->ctx->st, im->ctx->cfg, path, NULL, &src, NULL,
			 &res, &err);
	if (rc != TL_OK) {
		cmd_err("import", "%s", err ? err : display);
		g_free(err);
		/* A database failure leaves the transaction unusable. */
		if (rc == TL_TEMPFAIL || rc == TL_SOFTWARE) {
			store_rollback(im->ctx->st);
			im->in_tx = 0;
		}
		return rc;
	}
	switch (res.outcome) {
	case LEDGER_OUTCOME_STORED:
		im->stored++;
		break;
	case LEDGER_OUTCOME_DUPLICATE:
		im->duplicates++;
		break;
	case LEDGER_OUTCOME_QUARANTINED:
		im->quarantined++;
		break;
	default:
		im->other++;
		break;
	}
	if (res.outcome == LEDGER_OUTCOME_DUPLICATE)
		log_debug("%s: duplicate of #%" G_GINT64_FORMAT, display,
			  res.submission_id);
	else
		log_debug("%s: %s as #%" G_GINT64_FORMAT, display,
			  ledger_outcome_name(res.outcome),
			  res.submission_id);
	if (++im->batch >= BATCH_MESSAGES ||
	    g_get_monotonic_time() - im->batch_start > BATCH_USEC)
		return batch_flush(im);
	return TL_OK;
}

typedef struct {
	importer *im;
	const char *path;
} mbox_ctx;

static tl_status
mbox_one(const char *spool_path, int index, const char *note, void *user)
{
	mbox_ctx *mc = user;
	char *display = g_strdup_printf("%s:%d", mc->path, index);
	tl_status rc = import_one(mc->im, spool_path, display, note);

	g_free(display);
	/* A message that fails alone (unreadable spool) must not stop the
	 * rest of the mbox; a database failure must. */
	if (rc == TL_TEMPFAIL || rc == TL_SOFTWARE)
		return rc;
	if (rc != TL_OK)
		mc->im->worst = tl_status_worst(mc->im->worst, rc);
	return TL_OK;
}

static int
name_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in DIR, hidden ones left out, in byte order so an import
 * is repeatable.  Empty when DIR cannot be opened.  New array
 * (g_ptr_array_free(.., TRUE)). */
static GPtrArray *
dir_names_sorted(const char *dir)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *n;

	while (d && (n = g_dir_read_name(d)) != NULL)
		if (n[0] != '.')
			g_ptr_array_add(names, g_strdup(n));
	if (d)
		g_dir_close(d);
	g_ptr_array_sort(names, name_cmp);
	return names;
}

static tl_status
import_maildir(importer *im, const char *dir)
{
	static const char *const subs[] = { "cur", "new" };
	tl_status rc = TL_OK;

	for (int s = 0; s < 2 && rc == TL_OK; s++) {
		char *sub = g_build_filename(dir, subs[s], NULL);
		GPtrArray *names = dir_names_sorted(sub);

		for (guint i = 0; i < names->len && rc == TL_OK; i++) {
			char *p = g_build_filename(sub, names->pdata[i], NULL);
			struct stat sb;
			tl_status r;

			/* A Maildir from someone else must not make us copy
			 * /etc/passwd into the queue (symlink) or hang on a
			 * FIFO: only regular files are messages. */
			if (lstat(p, &sb) != 0 || !S_ISREG(sb.st_mode)) {
				cmd_warn("import", "%s: skipped, not a "
					 "regular file", p);
				g_free(p);
				continue;
			}
			r = import_one(im, p, p, NULL);

			if (r == TL_TEMPFAIL || r == TL_SOFTWARE)
				rc = r;
			else
				im->worst = tl_status_worst(im->worst, r);
			g_free(p);
		}
		g_ptr_array_free(names, TRUE);
		g_free(sub);
	}
	return rc;
}

static gboolean
is_maildir(const char *dir)
{
	char *cur = g_build_filename(dir, "cur", NULL);
	char *new = g_build_filename(dir, "new", NULL);
	gboolean yes = g_file_test(cur, G_FILE_TEST_IS_DIR) &&
		       g_file_test(new, G_FILE_TEST_IS_DIR);

	g_free(cur);
	g_free(new);
	return yes;
}

static tl_status import_path(importer *im, const char *path);

/* A folder that is not a Maildir: every regular file in it that looks
 * like mail, in name order (not its subfolders).  Hidden files are
 * passed over silently, as in a Maildir; anything else that is left out
 * is named.  TL_DATA when nothing in it was mail. */
static tl_status
import_folder(importer *im, const char *dir)
{
	GPtrArray *names = dir_names_sorted(dir);
	tl_status rc = TL_OK;
	int mail = 0;

	for (guint i = 0; i < names->len && rc == TL_OK; i++) {
		char *p = g_build_filename(dir, names->pdata[i], NULL);
		const char *why = NULL;
		struct stat sb;
		tl_status r;

		/* As in a Maildir: no symlinks out of the folder, no FIFOs. */
		if (lstat(p, &sb) != 0 || S_ISDIR(sb.st_mode))
			why = "a folder";
		else if (!S_ISREG(sb.st_mode))
			why = "not a regular file";
		else if (!mbox_is_mail(p))
			why = "not a mail message";
		if (why != NULL) {
			cmd_warn("import", "%s: skipped, %s", p, why);
			im->skipped++;
			g_free(p);
			continue;
		}
		mail++;
		r = import_path(im, p);
		if (r == TL_TEMPFAIL || r == TL_SOFTWARE)
			rc = r;
		else
			im->worst = tl_status_worst(im->worst, r);
		g_free(p);
	}
	g_ptr_array_free(names, TRUE);
	if (rc == TL_OK && mail == 0) {
		cmd_err("import", "%s: no mail in this folder (neither a "
			"Maildir with cur/ and new/ nor files of messages)",
			dir);
		return TL_DATA;
	}
	return rc;
}

static tl_status
import_path(importer *im, const char *path)
{
	struct stat sb;
	char *err = NULL;
	tl_status rc;

	if (stat(path, &sb) != 0) {
		cmd_err("import", "%s: %s", path, g_strerror(errno));
		return TL_NOINPUT;
	}
	if (S_ISDIR(sb.st_mode))
		return is_maildir(path) ? import_maildir(im, path) :
		    import_folder(im, path);
	if (!S_ISREG(sb.st_mode)) {
		cmd_err("import", "%s: not a regular file", path);
		return TL_DATA;
	}
	if (mbox_is_mbox(path)) {
		mbox_ctx mc = { im, path };

		rc = mbox_split(path, im->spool, mbox_one, &mc, &err);
		if (err != NULL)
			cmd_err("import", "%s", err);
		g_free(err);
		return rc;
	}
	return import_one(im, path, path, NULL);
}

tl_status
cmd_import(tl_ctx *ctx, int argc, char **argv)
{
	importer im = { 0 };
	tl_status rc = TL_OK, r;
	char *dir = NULL;
	int done;

	rc = cmd_parse_options("import", "PATH...", "Queue messages from "
			       "files, Maildir folders and mbox files.", NULL,
			       &argc, &argv, 1, -1, &done);
	if (rc != TL_OK || done)
		return rc;
	im.ctx = ctx;
	rc = cmd_spool_prepare("import", ctx->cfg, SPOOL_FOR_IMPORT, &dir);
	if (rc != TL_OK) {
		g_free(dir);
		return rc;
	}
	/* One pool for the whole run: a new spool file per message costs
	 * more than writing a small one on ext4 without a journal (util.h,
	 * spool).  Nothing is created until an mbox is split. */
	im.spool = spool_pool_new(dir, IMPORT_SPOOL_PREFIX);
	g_free(dir);
	for (int i = 1; i < argc; i++) {
		r = import_path(&im, argv[i]);
		if (r == TL_TEMPFAIL || r == TL_SOFTWARE) {
			/* The database is unusable: stop, keep what is
			 * committed. */
			rc = tl_status_worst(rc, r);
			break;
		}
		im.worst = tl_status_worst(im.worst, r);
	}
	r = batch_flush(&im);
	spool_pool_free(im.spool);
	rc = tl_status_worst(rc, tl_status_worst(r, im.worst));
	log_info("import: %d stored, %d duplicates, %d quarantined, "
		 "%d other (auto-reply, bounce, spam)", im.stored,
		 im.duplicates, im.quarantined, im.other);
	if (im.skipped > 0)
		log_info("import: %d file%s skipped (not mail, see above)",
			 im.skipped, im.skipped == 1 ? "" : "s");
	return rc;
}
