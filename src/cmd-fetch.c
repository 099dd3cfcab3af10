/* cmd-fetch.c - `tipline fetch [--mailbox NAME]...`: the cron job.
 *
 * On SQLite, takes the overlap lock before it opens the database (a second
 * run exits 75 at once, touching nothing), then fetches each mailbox in
 * file order.  On PostgreSQL several fetchers (on several hosts) may run
 * at once: each mailbox is claimed in turn (fetch_mailbox, an advisory
 * lock) and one held by another fetcher is skipped with a notice; a run
 * that skipped every mailbox exits 75 like an overlapping SQLite run, a
 * run that fetched the rest exits as if the skipped ones were not asked
 * for (another process is fetching them).  One failing mailbox does not
 * stop the others; the exit status is the most
 * serious failure (78 > 77 > 70 > 75, see util.h). Prints nothing on
 * stdout: one summary line per mailbox goes to the log (stderr or syslog),
 * so cron mails only when something is said at the default level.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "app.h"
#include "util.h"

static const tl_mailbox_conf *
find_mailbox(const tl_config *cfg, const char *name)
{
	guint i;

	for (i = 0; i < cfg->mailboxes->len; i++) {
		const tl_mailbox_conf *mb = g_ptr_array_index(cfg->mailboxes,
							      i);

		if (strcmp(mb->name, name) == 0)
			return mb;
	}
	return NULL;
}

/* The mailboxes to fetch, in file order: those named by --mailbox, else
 * all. TL_USAGE for a name that is not configured. */
static tl_status
pick_mailboxes(const tl_config *cfg, char **names, GPtrArray *out)
{
	guint i;

	if (names == NULL || names[0] == NULL) {
		for (i = 0; i < cfg->mailboxes->len; i++)
			g_ptr_array_add(out, g_ptr_array_index(cfg->mailboxes,
							       i));
		return TL_OK;
	}
	for (i = 0; names[i] != NULL; i++) {
		if (find_mailbox(cfg, names[i]) == NULL) {
			cmd_err("fetch", "no [mailbox %s] in %s", names[i],
				cfg->path != NULL ? cfg->path : "the "
				"configuration");
			return TL_USAGE;
		}
	}
	for (i = 0; i < cfg->mailboxes->len; i++) {
		const tl_mailbox_conf *mb = g_ptr_array_index(cfg->mailboxes,
							      i);

		if (g_strv_contains((const char *const *)names, mb->name))
			g_ptr_array_add(out, (gpointer)mb);
	}
	return TL_OK;
}

/* Progress on a terminal (issue 10 item 8): one line per mailbox,
 * rewritten in place on stderr; the core only reports (fetch_progress). */
static void
show_progress(const fetch_progress *p, void *user)
{
	int mib = p->bytes_total >= 1048576;
	double unit = mib ? 1048576.0 : 1024.0;

	(void)user;
	fprintf(stderr, "\r\033[Kmailbox %s: %u/%u messages, %.*f/%.*f %s%s",
		p->mailbox, p->done, p->total, mib, p->bytes_done / unit, mib,
		p->bytes_total / unit, mib ? "MiB" : "KiB",
		p->finished ? "\n" : "");
	fflush(stderr);
}

static void
log_summary(const tl_mailbox_conf *mb, const fetch_counts *c, double secs)
{
	if (c->nothing_new) {
		log_info("mailbox %s: nothing new (UIDNEXT %u)", mb->name,
			 c->uidnext);
		return;
	}
	log_info("mailbox %s: %d stored, %d duplicate(s), %d quarantined, "
		 "%d too large; after_fetch applied to %d (%d repaired); "
		 "last UID %u; %.2f s", mb->name, c->stored, c->duplicates,
		 c->quarantined, c->too_large, c->actions, c->repaired,
		 c->last_uid, secs);
	if (c->unfetchable > 0)
		cmd_warn("fetch", "mailbox %s: %d message(s) the server "
			 "cannot send given up (see `tipline doctor`)",
			 mb->name, c->unfetchable);
}

/* Fetch each mailbox of MBS in turn, each failure printed once; the
 * most serious status.  Stops early on a signal, or when the database
 * file was moved (every further commit would go to the lost file). */
static tl_status
fetch_each(tl_ctx *ctx, store *st, GPtrArray *mbs, const char *spool,
	   const fetch_env *env)
{
	tl_status worst = TL_OK;
	char *err = NULL;
	guint skipped = 0;

	for (guint i = 0; i < mbs->len; i++) {
		const tl_mailbox_conf *mb = g_ptr_array_index(mbs, i);
		gint64 t0 = g_get_monotonic_time();
		fetch_counts c;
		tl_status r;

		if (fetch_stop_requested()) {
			cmd_err("fetch",
			    "stopped by a signal before mailbox %s",
				mb->name);
			worst = tl_status_worst(worst, TL_TEMPFAIL);
			break;
		}
		g_free(err);
		err = NULL;
		r = fetch_mailbox(st, ctx->cfg, mb, spool, env, &c, &err);
		if (r == TL_OK && c.held_elsewhere) {
			log_info("mailbox %s: skipped: another tipline fetch "
				 "is fetching it now", mb->name);
			skipped++;
			continue;
		}
		if (r == TL_OK && c.done_elsewhere) {
			log_info("mailbox %s: skipped: another tipline fetch "
				 "finished it during this run", mb->name);
			continue;
		}
		if (r != TL_OK) {
			cmd_err("fetch",
			    "%s (%s)", err != NULL ? err : mb->name,
				tl_status_name(r));
			/* What was committed before the failure counts. */
			if (c.stored + c.duplicates + c.quarantined +
			    c.too_large + c.actions > 0)
				log_summary(mb, &c, (g_get_monotonic_time() -
						     t0) / 1e6);
		} else {
			log_summary(mb, &c,
				    (g_get_monotonic_time() - t0) / 1e6);
		}
		worst = tl_status_worst(worst, r);
		if (c.db_moved) {
			char *db = store_database_display(ctx->cfg->database);

			cmd_err("fetch", "stopped before the other mailboxes; "
				"run it again to fetch into the database at "
				"%s", db);
			g_free(db);
			break;
		}
	}
	/* Nothing fetched because others are at it: what an overlapping
	 * SQLite run says, a warning (-q silences it) and 75. */
	if (skipped == mbs->len && worst == TL_OK) {
		cmd_warn("fetch", "another tipline fetch is fetching every "
			 "mailbox asked for; try again later");
		worst = TL_TEMPFAIL;
	}
	g_free(err);
	return worst;
}

tl_status
cmd_fetch(tl_ctx *ctx, int argc, char **argv)
{
	char **names = NULL;
	GOptionEntry entries[] = {
		{ "mailbox", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &names,
		  "fetch only this [mailbox NAME] (repeatable)", "NAME" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GPtrArray *mbs = g_ptr_array_new();
	store_guard guard = { 0, 0, 0 };
	fetch_env env = { NULL, NULL, NULL, NULL };
	store *st = NULL;
	char *err = NULL, *spool = NULL;
	int done = 0, lockfd = -1;
	tl_status rc;

	rc = cmd_parse_options("fetch", "[--mailbox NAME]...",
			       "Fetch new messages from every configured "
			       "mailbox, store them, then apply each "
			       "mailbox's after_fetch action.", entries,
			       &argc, &argv, 0, 0, &done);
	if (rc != TL_OK || done)
		goto out;
	if ((rc = pick_mailboxes(ctx->cfg, names, mbs)) != TL_OK)
		goto out;
	if (mbs->len == 0) {
		cmd_err("fetch", "no [mailbox NAME] section in %s",
			ctx->cfg->path != NULL ? ctx->cfg->path :
			"the configuration");
		rc = TL_CONFIG;
		goto out;
	}
	/* The lock comes first: a second cron run must not even wait for
	 * the database (on PostgreSQL fetchers share it, one per mailbox:
	 * fetch_lock_take takes nothing there). */
	if ((rc = fetch_lock_take(ctx->cfg->database, &lockfd, &err)) !=
	    TL_OK) {
		/* An overlap is routine for cron (the exit code 75 says it):
		 * a warning, which -q silences, so cron mails nobody. */
		if (rc == TL_TEMPFAIL)
			cmd_warn("fetch", "%s", err);
		else
			cmd_err("fetch", "%s", err);
		goto out;
	}
	rc = store_open(ctx->cfg->database, ctx->cfg->passfile,
			STORE_READWRITE, ctx->cfg->busy_timeout_ms, &st, &err);
	if (rc != TL_OK) {
		cmd_err("fetch", "%s", err);
		goto out;
	}
	/* Which file is the database: before every after_fetch action the
	 * fetch proves its commits are in the file at this path. */
	if ((rc = store_guard_take(st, &guard, &err)) != TL_OK) {
		cmd_err("fetch", "%s", err);
		goto out;
	}
	env.guard = &guard;
	/* Only for someone watching: never under cron (no terminal) or -q. */
	if (isatty(STDERR_FILENO) && log_get_level() != LOG_LEVEL_QUIET)
		env.progress = show_progress;
	/* A cron poll must be cheap (tens of ms of fsyncs saved when it
	 * only notes its time), and a WAL that once held a 50 MB message
	 * must not stay that big: store_fetch_tune(). */
	store_fetch_tune(st);
	rc = cmd_spool_prepare("fetch", ctx->cfg, SPOOL_FOR_FETCH, &spool);
	if (rc != TL_OK)
		goto out;
	fetch_signals_install();
	/* Several fetchers on one database (PostgreSQL): a mailbox another
	 * finished after this run began is not polled again. */
	fetch_env_snapshot(st, mbs, &env);
	rc = fetch_each(ctx, st, mbs, spool, &env);
out:
	fetch_env_clear(&env);
	store_close(st);
	fetch_lock_release(lockfd);
	g_strfreev(names);
	g_ptr_array_unref(mbs);
	g_free(spool);
	g_free(err);
	return rc;
}
