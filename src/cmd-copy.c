/* cmd-copy.c - `tipline copy --to DATABASE`: the queue of the configured
 * database copied into another one, SQLite to PostgreSQL or back, then
 * verified (issue 13).  Named copy, not move or migrate: the source is
 * only read and stays as it was; switching [store] database over is the
 * operator's step once the copy says it is equal.  How rows travel,
 * resume and are compared is store_copy()'s business (store.h). */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "emit.h"
#include "store.h"
#include "util.h"

static void
show_progress(gint64 id, void *data)
{
	*(gboolean *)data = TRUE;
	fprintf(stderr, "\rtipline copy: submissions up to #%" G_GINT64_FORMAT
		" copied", id);
}

static void
copy_text(const char *from, const char *to, const store_copy_report *rep)
{
	printf("%s -> %s%s\n", from, to, rep->resumed ? " (resumed)" : "");
	printf("  %-16s %10s %12s %10s\n", "table", "source", "destination",
	       "copied");
	for (guint i = 0; i < rep->tables->len; i++) {
		const store_copy_table *t = &g_array_index(rep->tables,
			store_copy_table, i);

		/* id_floor: the highest id each side has given. */
		printf("  %-16s %10" G_GINT64_FORMAT " %12" G_GINT64_FORMAT,
		       strcmp(t->name, "id_floor") == 0 ? "highest id" :
		       t->name,
		       t->source_rows, t->destination_rows);
		if (strcmp(t->name, "id_floor") != 0)
			printf(" %10" G_GINT64_FORMAT, t->copied);
		printf("%s\n", t->differences > 0 ? "  DIFFERS" : "");
	}
	if (rep->differences == 0)
		printf("verified: every row of every table equal (content "
		       "hashes, raw chunks, audit rows)\n");
}

static void
copy_json(const char *from, const char *to, const store_copy_report *rep,
	  tl_status rc)
{
	emitter *e = emit_json_new(TRUE);
	char *out;

	emit_begin_map(e);
	emit_pair_str(e, "schema", DETAIL_JSON_SCHEMA);
	emit_pair_str(e, "source", from);
	emit_pair_str(e, "destination", to);
	emit_pair_bool(e, "resumed", rep->resumed);
	emit_pair_int(e, "resumed_after", rep->resumed_after);
	emit_pair_int(e, "high_water", rep->high_water);
	emit_pair_bool(e, "verified", rc == TL_OK);
	emit_pair_int(e, "differences", rep->differences);
	emit_pair_str(e, "error", rep->error);
	emit_key(e, "tables");
	emit_begin_list(e);
	for (guint i = 0; i < rep->tables->len; i++) {
		const store_copy_table *t = &g_array_index(rep->tables,
			store_copy_table, i);

		emit_begin_map(e);
		emit_pair_str(e, "table", t->name);
		emit_pair_int(e, "source_rows", t->source_rows);
		emit_pair_int(e, "destination_rows", t->destination_rows);
		emit_pair_int(e, "copied", t->copied);
		emit_pair_int(e, "differences", t->differences);
		emit_key(e, "first_differences");
		emit_begin_list(e);
		for (guint j = 0; t->first_differences != NULL &&
		     j < t->first_differences->len; j++)
			emit_string(e, g_ptr_array_index(t->first_differences,
							 j));
		emit_end(e);
		emit_end(e);
	}
	emit_end(e);
	emit_end(e);
	out = emit_finish(e);
	fputs(out, stdout);
	g_free(out);
}

/* Name the differences on stderr, a few per table. */
static void
copy_report_differences(const store_copy_report *rep)
{
	for (guint i = 0; i < rep->tables->len; i++) {
		const store_copy_table *t = &g_array_index(rep->tables,
			store_copy_table, i);

		for (guint j = 0; t->first_differences != NULL &&
		     j < t->first_differences->len; j++)
			cmd_err("copy", "%s",
				(char *)g_ptr_array_index(t->first_differences,
							  j));
		if (t->differences > (gint64)(t->first_differences != NULL ?
					      t->first_differences->len : 0))
			cmd_err("copy", "%s: %" G_GINT64_FORMAT " rows differ "
				"in all", t->name, t->differences);
	}
}

/* The source's name in the destination's copy_state: a file by its
 * absolute path (so that a resume from another folder is the same
 * copy), a URL as postgresql://USER@HOST:PORT/DB (its parameters, such
 * as sslmode, may change between runs). */
static char *
source_name(const char *database)
{
	char *real;

	if (store_is_url(database))
		return store_database_display(database);
	real = realpath(database, NULL);
	if (real != NULL) {
		char *s = g_strdup(real);

		free(real);
		return s;
	}
	return g_canonicalize_filename(database, NULL);
}

/* Both files, and one file: refused before either is locked. */
static gboolean
same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (store_is_url(a) || store_is_url(b))
		return FALSE;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The fetch lock of a SQLite database (fetch_lock_take; nothing on
 * PostgreSQL, see lock_mailboxes): no fetch may write either side while
 * the copy runs. */
static tl_status
lock_file(const char *database, int *fd)
{
	char *err = NULL;
	tl_status rc;

	if ((rc = fetch_lock_take(database, fd, &err)) != TL_OK)
		cmd_err("copy", "%s", err);
	g_free(err);
	return rc;
}

/* Every configured mailbox claimed on ST for the whole copy
 * (fetch_claim_mailboxes), a refusal printed. */
static tl_status
lock_mailboxes(const tl_config *cfg, store *st)
{
	char *err = NULL;
	tl_status rc = fetch_claim_mailboxes(cfg, st, &err);

	if (rc != TL_OK)
		cmd_err("copy", "%s", err);
	g_free(err);
	return rc;
}

/* The two stores, once no fetch runs on either: SRC read-only, DST
 * created when missing (as fetch creates a database). */
typedef struct {
	store *src, *dst;
	int lock_src, lock_dst;
} copy_sides;

static tl_status
copy_open(const tl_config *cfg, const char *from, const char *to,
	  copy_sides *cs)
{
	char *err = NULL;
	tl_status rc;

	if (strcmp(to, from) == 0 || same_file(from, to)) {
		cmd_err("copy", "%s: the source and the destination are the "
			"same database", to);
		return TL_USAGE;
	}
	if ((rc = lock_file(from, &cs->lock_src)) != TL_OK ||
	    (rc = lock_file(to, &cs->lock_dst)) != TL_OK)
		return rc;
	rc = store_open(from, cfg->passfile, STORE_READONLY,
			cfg->busy_timeout_ms, &cs->src, &err);
	if (rc == TL_OK) {
		g_free(err);
		err = NULL;
		rc = store_open(to, cfg->passfile, STORE_READWRITE,
				cfg->busy_timeout_ms, &cs->dst, &err);
	}
	if (rc != TL_OK) {
		cmd_err("copy", "%s", err);
		g_free(err);
		return rc;
	}
	if ((rc = lock_mailboxes(cfg, cs->src)) == TL_OK)
		rc = lock_mailboxes(cfg, cs->dst);
	return rc;
}

static void
copy_close(copy_sides *cs)
{
	store_close(cs->src);
	store_close(cs->dst);
	fetch_lock_release(cs->lock_src);
	fetch_lock_release(cs->lock_dst);
}

/* The summary on stdout (JSON or text) and the differences on stderr. */
static tl_status
copy_print(gboolean json, const char *from, const char *to,
	   const store_copy_report *rep, tl_status rc)
{
	char *fd = store_database_display(from);
	char *td = store_database_display(to);

	if (rc != TL_OK && rc != TL_DATA)
		cmd_err("copy", "%s", rep->error);
	if (rc == TL_DATA)
		copy_report_differences(rep);
	if (json)
		copy_json(fd, td, rep, rc);
	else if (rc == TL_OK || rc == TL_DATA)
		copy_text(fd, td, rep);
	if (rc == TL_DATA)
		cmd_err("copy", "%s", rep->error);
	g_free(fd);
	g_free(td);
	if (cmd_output_done("copy") != TL_OK && rc == TL_OK)
		return TL_SOFTWARE;
	return rc;
}

tl_status
cmd_copy(tl_ctx *ctx, int argc, char **argv)
{
	char *to = NULL, *from_name = NULL, *now = NULL;
	gboolean json = FALSE, shown = FALSE;
	GOptionEntry e[] = {
		{ "to", 0, 0, G_OPTION_ARG_FILENAME, &to,
		  "the database to copy into: a postgresql:// URL or a "
		  "SQLite file (created when missing)", "DATABASE" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json,
		  "print the summary as JSON (docs/json-schema.md)", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	copy_sides cs = { NULL, NULL, -1, -1 };
	store_copy_options opt;
	store_copy_report rep;
	int done = 0;
	tl_status rc;

	memset(&rep, 0, sizeof rep);
	rc = cmd_parse_options("copy", "--to DATABASE [--json]",
	    "Copy the whole queue of the configured database into DATABASE "
	    "(SQLite to PostgreSQL or back), keeping every id, then compare "
	    "both row by row.  The source is only read.  Run again after an "
	    "interruption: it goes on where it stopped.  Exits 0 only when "
	    "every table is equal, 65 naming what differs.", e, &argc, &argv,
	    0, 0, &done);
	if (rc != TL_OK || done)
		goto out;
	if (to == NULL || *to == '\0') {
		cmd_err("copy", "--to DATABASE is required");
		rc = TL_USAGE;
		goto out;
	}
	if ((rc = copy_open(ctx->cfg, ctx->cfg->database, to, &cs)) != TL_OK)
		goto out;
	from_name = source_name(ctx->cfg->database);
	now = store_now_utc();
	memset(&opt, 0, sizeof opt);
	opt.source_name = from_name;
	opt.now_utc = now;
	if (isatty(STDERR_FILENO) && log_get_level() != LOG_LEVEL_QUIET)
		opt.progress = show_progress;
	opt.data = &shown;
	rc = store_copy(cs.src, cs.dst, &opt, &rep);
	if (shown)
		fputc('\n', stderr);
	rc = copy_print(json, ctx->cfg->database, to, &rep, rc);
out:
	store_copy_report_clear(&rep);
	copy_close(&cs);
	g_free(to);
	g_free(from_name);
	g_free(now);
	return rc;
}
