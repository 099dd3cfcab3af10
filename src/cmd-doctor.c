/* cmd-doctor.c - `tipline doctor [--max-age DURATION]`: is everything
 * well? For the operator and for monitoring (its exit status).
 *
 * Checks the configuration (main has loaded it already), the database
 * (read-only, never upgraded; SQLite's quick_check bounded by
 * --check-time; a database not created yet is fine), what the next fetch
 * needs on this machine (store.h: the database's folder, the spool
 * folder, the lock file), and for every mailbox:
 * the credential, the connection with certificate verification, the login
 * and STATUS; then shows UIDVALIDITY, UIDNEXT, the messages waiting for the
 * next fetch, pending after_fetch actions, the last successful fetch and
 * its age, and the last error if it is newer. Writes nothing anywhere.
 * Exit status: the most serious failure found (0 when all is well).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "display.h"
#include "app.h"
#include "imap.h"
#include "store.h"
#include "util.h"

/* Seconds since an ISO 8601 UTC time, or -1 if it does not parse. */
static gint64
age_of(const char *iso)
{
	GDateTime *t, *now;
	gint64 secs;

	if (iso == NULL || (t = g_date_time_new_from_iso8601(iso, NULL)) ==
	    NULL)
		return -1;
	now = g_date_time_new_now_utc();
	secs = g_date_time_difference(now, t) / G_USEC_PER_SEC;
	g_date_time_unref(now);
	g_date_time_unref(t);
	return secs;
}

static char *
age_text(gint64 s)
{
	if (s < 0)
		return g_strdup("?");
	if (s < 120)
		return g_strdup_printf("%" G_GINT64_FORMAT " s ago", s);
	if (s < 2 * 3600)
		return g_strdup_printf("%" G_GINT64_FORMAT " min ago", s / 60);
	if (s < 2 * 86400)
		return g_strdup_printf("%" G_GINT64_FORMAT " h ago", s / 3600);
	return g_strdup_printf("%" G_GINT64_FORMAT " days ago", s / 86400);
}

/* URL without any "user:password@" part (newly allocated): doctor's
 * output ends up in cron mail and tickets. */
static char *
url_shown(const char *url)
{
	const char *p = strstr(url, "://"), *at, *slash;

	if (p == NULL)
		return g_strdup(url);
	p += 3;
	slash = strchr(p, '/');
	at = memchr(p, '@', slash != NULL ? (size_t)(slash - p) : strlen(p));
	if (at == NULL)
		return g_strdup(url);
	return g_strdup_printf("%.*s***@%s", (int)(p - url), url, at + 1);
}

/* Count the messages above LAST_UID: SELECT and list them (exact, unlike
 * UIDNEXT - 1 - last_uid when messages were expunged). -1 on error. */
static gint64
count_waiting(imap_session *s, const char *mailbox, guint32 last_uid)
{
	GArray *uids = g_array_new(FALSE, FALSE, sizeof(guint32));
	GArray *sizes = g_array_new(FALSE, FALSE, sizeof(gint64));
	guint32 uv = 0, un = 0;
	gint64 n = -1;

	if (imap_select(s, mailbox, &uv, &un, NULL) == TL_OK &&
	    imap_uid_sizes(s, last_uid + 1, uids, sizes, NULL) == TL_OK)
		n = uids->len;
	g_array_unref(uids);
	g_array_unref(sizes);
	return n;
}

/* Print what the server checks found (fetch_check_server()). */
static void
print_checks(GPtrArray *checks)
{
	for (guint i = 0; i < checks->len; i++) {
		fetch_check *c = g_ptr_array_index(checks, i);
		char *label = g_strdup_printf("%s:", c->label);

		if (c->rc == TL_OK)
			printf("  %-12s %s\n", label, c->text);
		else
			printf("  %-12s PROBLEM: %s (exit %d)\n", label,
			       c->text, tl_status_exit_code(c->rc));
		g_free(label);
	}
}

/* Messages given up as unfetchable and after_fetch refusals recorded by
 * fetch (fetch_failure). An unfetchable message whose placeholder no
 * editor has decided yet keeps doctor failing (65): someone must read it
 * on the server. */
static tl_status
print_failures(store *st, const tl_mailbox_conf *mb)
{
	GPtrArray *fails = g_ptr_array_new_with_free_func(
		(GDestroyNotify)ledger_fail_free);
	tl_status rc = TL_OK;

	if (st != NULL)
		ledger_fail_list(st, mb->name, fails);
	for (guint i = 0; i < fails->len; i++) {
		ledger_fail *f = g_ptr_array_index(fails, i);

		if (f->state == LEDGER_FAIL_REFUSED) {
			printf("  refused:     the server refused after_fetch "
			       "in %d run(s) in a row since %s: %s\n",
			       f->runs, f->first_utc, f->error != NULL ?
			       f->error : "?");
			continue;
		}
		printf("  unfetchable: UID %u (%" G_GINT64_FORMAT " bytes): "
		       "the server broke the connection sending it in %d "
		       "runs; given up %s, left on the server; placeholder "
		       "#%" G_GINT64_FORMAT " (%s)\n", f->uid, f->size,
		       f->runs, f->last_utc, f->submission_id,
		       f->submission_status != NULL ? f->submission_status :
		       "purged");
		if (queue_status_parse(f->submission_status) ==
		    QUEUE_QUARANTINED)
			rc = TL_DATA;
	}
	if (rc != TL_OK)
		printf("  PROBLEM:     message(s) the server cannot send; read "
		       "them on the server, then approve or reject the "
		       "placeholder (exit %d)\n", tl_status_exit_code(rc));
	g_ptr_array_unref(fails);
	return rc;
}

/* How the session logged in: imaps:// and imap:// without
 * allow_plaintext cannot log in without TLS and a verified certificate;
 * with allow_plaintext libcurl uses STARTTLS only when the server offers
 * it (QA F23). */
static void
print_login(const imap_params *p, const tl_mailbox_conf *mb)
{
	printf("  login:       ok (%s, %s)\n",
	       p->secret_is_token ? "OAuth token" : "password",
	       g_str_has_prefix(mb->url, "imaps://") ?
	       "TLS, certificate verified" : !mb->allow_plaintext ?
	       "STARTTLS, certificate verified" :
	       "STARTTLS if the server offered it, else PLAINTEXT: "
	       "allow_plaintext = true");
}

/* The server's counts (UIDVALIDITY UV, UIDNEXT UN, MSGS) against the
 * ledger STATE: what the next fetch would take, and the after_fetch
 * actions still pending in ST (may be NULL). */
static void
print_counts(store *st, imap_session *s, const tl_mailbox_conf *mb,
	     const char *mailbox, const ledger_state *state, guint32 uv,
	     guint32 un, guint32 msgs)
{
	GArray *pending = g_array_new(FALSE, FALSE, sizeof(guint32));
	gint64 waiting;

	printf("  UIDVALIDITY: %u%s\n", uv, !state->exists ||
	       state->uidvalidity == 0 ? "" : state->uidvalidity == uv ?
	       " (as last fetched)" : " (CHANGED: the next fetch rescans)");
	printf("  UIDNEXT:     %u\n  messages:    %u\n", un, msgs);
	if (state->exists && state->uidvalidity == uv) {
		waiting = un <= state->last_uid + 1 ? 0 :
			  count_waiting(s, mailbox, state->last_uid);
		if (st != NULL)
			ledger_pending(st, mb->name, uv, pending);
	} else if (!(state->exists && state->uidvalidity != 0) &&
		   mb->start == START_NOW) {
		waiting = 0;
	} else {
		waiting = msgs;
	}
	if (waiting >= 0)
		printf("  waiting:     %" G_GINT64_FORMAT " message(s) for "
		       "the next fetch (last UID fetched %u)\n", waiting,
		       state->last_uid);
	if (pending->len > 0)
		printf("  pending:     after_fetch not yet applied to %u "
		       "message(s); the next fetch applies it\n",
		       pending->len);
	g_array_unref(pending);
}

/* The last success and, when later, the last error in STATE; returns
 * the age of the last success in seconds, -1 when there was none. */
static gint64
print_history(const ledger_state *state)
{
	gint64 succ_age = -1;

	if (state->last_success_utc != NULL) {
		/* In the newsroom's zone, named, as show's dates (editor
		 * trial finding 4). */
		char *when = display_named_time(state->last_success_utc);
		char *age;

		succ_age = age_of(state->last_success_utc);
		age = age_text(succ_age);
		printf("  last fetch:  %s (%s)\n", when, age);
		g_free(when);
		g_free(age);
	} else {
		printf("  last fetch:  never succeeded\n");
	}
	if (state->last_error != NULL && (state->last_success_utc == NULL ||
	    g_strcmp0(state->last_error_utc, state->last_success_utc) > 0)) {
		char *when = display_named_time(state->last_error_utc);

		printf("  last error:  %s: %s\n", when, state->last_error);
		g_free(when);
	}
	return succ_age;
}

/* PostgreSQL: is another fetch at MB now (its advisory lock; looking
 * never takes it)?  Nothing on SQLite, where the lock file's line says
 * it for the whole database. */
static void
print_lock(store *st, const tl_config *cfg, const tl_mailbox_conf *mb)
{
	char *who = NULL;

	if (st == NULL || !store_is_url(cfg->database))
		return;
	if (store_mailbox_lock_holder(st, mb->name, &who) != TL_OK)
		printf("  lock:        cannot tell: %s\n", store_errmsg(st));
	else if (who != NULL)
		printf("  lock:        being fetched now by %s\n", who);
	else
		printf("  lock:        free (no fetch at it now)\n");
	g_free(who);
}

/* Check one mailbox; prints its report; returns its status. */
static tl_status
doctor_mailbox(store *st, const tl_config *ctx_cfg,
	       const tl_mailbox_conf *mb, gint64 max_age)
{
	imap_params p;
	imap_session *s = NULL;
	ledger_state state;
	GPtrArray *checks = g_ptr_array_new_with_free_func(
		(GDestroyNotify)fetch_check_free);
	char *secret = NULL, *err = NULL, *url, *mailbox = NULL;
	guint32 uv = 0, un = 0, msgs = 0;
	gint64 succ_age;
	tl_status rc, frc;

	memset(&state, 0, sizeof state);
	url = url_shown(mb->url);
	printf("mailbox %s (%s, user %s)\n", mb->name, url,
	       mb->username != NULL ? mb->username : "?");
	g_free(url);
	if (st != NULL && ledger_state_load(st, mb->name, &state) != TL_OK)
		memset(&state, 0, sizeof state);
	print_lock(st, ctx_cfg, mb);
	/* The same parameters fetch uses (one home: fetch_params_get). */
	rc = fetch_params_get(mb, &p, &secret, &err);
	if (rc != TL_OK)
		goto out;
	rc = imap_connect(&p, &s, &err);
	secret_free(secret);
	secret = NULL;
	if (rc != TL_OK)
		goto out;
	print_login(&p, mb);
	/* What the next fetch needs on the server (issue 10 item 6). */
	rc = fetch_check_server(s, ctx_cfg, mb, checks, &mailbox);
	print_checks(checks);
	if (rc != TL_OK || mailbox == NULL) {
		err = g_strdup("the next fetch would fail (see above)");
		goto out;
	}
	rc = imap_status(s, mailbox, &uv, &un, &msgs, &err);
	if (rc != TL_OK)
		goto out;
	print_counts(st, s, mb, mailbox, &state, uv, un, msgs);
out:
	imap_logout(s);
	secret_free(secret);
	frc = print_failures(st, mb);
	if (rc == TL_OK && frc != TL_OK) {
		rc = frc;
		err = g_strdup_printf("mailbox %s: message(s) given up as "
				      "unfetchable", mb->name);
	}
	succ_age = print_history(&state);
	if (rc == TL_OK && max_age > 0 &&
	    (succ_age < 0 || succ_age > max_age)) {
		err = g_strdup_printf("mailbox %s: no successful fetch "
				      "within --max-age", mb->name);
		rc = TL_TEMPFAIL;
	}
	if (rc != TL_OK)
		printf("  PROBLEM:     %s (exit %d)\n", err != NULL ? err :
		       tl_status_name(rc), tl_status_exit_code(rc));
	else
		printf("  status:      ok\n");
	ledger_state_clear(&state);
	g_ptr_array_unref(checks);
	g_free(mailbox);
	g_free(err);
	return rc;
}

/* A PostgreSQL store ST opened for inspection: the server, its TLS,
 * the schema, whether this role can write the queue.  Prints its lines
 * (DB is the display form: never a password); the most serious status
 * the next fetch would end with. */
static tl_status
doctor_server(store *st, const char *db)
{
	store_server_info info;
	int version = store_schema_version(st);
	tl_status rc, worst = TL_OK;

	if ((rc = store_server_info_get(st, &info)) != TL_OK) {
		printf("database: %s: PROBLEM: %s (exit %d)\n", db,
		       store_errmsg(st), tl_status_exit_code(rc));
		return rc;
	}
	if (version == 0)
		printf("database: %s: connects; no queue yet (the first "
		       "fetch creates it)\n", db);
	else
		printf("database: %s: connects, schema %d%s\n", db, version,
		       version < store_schema_current() ? " (the next fetch "
		       "upgrades it)" : "");
	printf("server:   PostgreSQL %s, %s%s%s (sslmode %s)\n",
	       info.server_version != NULL ? info.server_version : "?",
	       info.tls != NULL ? "TLS " : "not encrypted",
	       info.tls != NULL ? "in use: " : "",
	       info.tls != NULL ? info.tls : "",
	       info.sslmode != NULL ? info.sslmode : "default");
	if (info.standby) {
		printf("server:   PROBLEM: a hot standby (read-only): fetch "
		       "and decisions need the primary (exit %d)\n",
		       tl_status_exit_code(TL_NOPERM));
		worst = tl_status_worst(worst, TL_NOPERM);
	} else if (!info.can_write) {
		printf("server:   PROBLEM: role may not write the queue "
		       "(INSERT on submission, ledger, audit; UPDATE on "
		       "mailbox_state; CREATE on the database before the first "
		       "fetch): docs/operations.md, PostgreSQL (exit %d)\n",
		       tl_status_exit_code(TL_NOPERM));
		worst = tl_status_worst(worst, TL_NOPERM);
	} else {
		printf("server:   can write the queue\n");
	}
	if (g_strcmp0(info.encoding, "UTF8") != 0 || info.lc_ctype == NULL ||
	    strcmp(info.lc_ctype, "C") == 0 ||
	    strcmp(info.lc_ctype, "POSIX") == 0) {
		printf("server:   PROBLEM: encoding %s, LC_CTYPE %s: search "
		       "needs UTF8 and a UTF-8 locale (CREATE DATABASE ... "
		       "ENCODING 'UTF8' LOCALE 'C.UTF-8') (exit %d)\n",
		       info.encoding != NULL ? info.encoding : "?",
		       info.lc_ctype != NULL ? info.lc_ctype : "?",
		       tl_status_exit_code(TL_CONFIG));
		worst = tl_status_worst(worst, TL_CONFIG);
	}
	store_server_info_clear(&info);
	return worst;
}

/* PostgreSQL: what store_integrity_check finds of the queue's own
 * soundness (the server checks its pages), for at most CHECK_MS. */
static tl_status
doctor_pg_integrity(store *st, gint64 check_ms)
{
	store_integrity res;
	tl_status rc;

	if (store_schema_version(st) == 0)
		return TL_OK;	/* no queue to check yet */
	rc = store_integrity_check(st, 0, check_ms, &res);
	if (rc == TL_DATA)
		printf("checks:   PROBLEM: %d problem(s), the first: %s "
		       "(exit %d)\n", res.problems, res.first,
		       tl_status_exit_code(rc));
	else if (rc != TL_OK)
		printf("checks:   PROBLEM: %s (exit %d)\n", store_errmsg(st),
		       tl_status_exit_code(rc));
	else if (!res.finished)
		printf("checks:   NOT FINISHED: cut short after %"
		       G_GINT64_FORMAT " ms (raise --check-time)\n",
		       res.elapsed_ms);
	else
		printf("checks:   ok in %" G_GINT64_FORMAT " ms\n",
		       res.elapsed_ms);
	store_integrity_clear(&res);
	return rc;
}

/* The desk's sort keys: made for every submission, and by which ICU
 * collator (store_sort_keys_check).  A submission without keys is
 * missing from the sender sorts of the whole queue: a PROBLEM (65),
 * which `tipline reparse --sort-keys` mends. */
static tl_status
doctor_sort_keys(store *st)
{
	store_sort_keys k;
	char *made = NULL, *here = NULL;
	tl_status rc;

	if (store_schema_version(st) == 0)
		return TL_OK;	/* no queue yet */
	if ((rc = store_sort_keys_check(st, &k)) != TL_OK) {
		printf("sort keys: PROBLEM: %s (exit %d)\n", store_errmsg(st),
		       tl_status_exit_code(rc));
		return rc;
	}
	made = store_collator_version_text(k.made);
	here = store_collator_version_text(k.here);
	/* Not a problem: a fetch running now makes them when it closes. */
	if (k.table && k.missing == 0 && k.pending > 0)
		printf("sort keys: ok; the newest %" G_GINT64_FORMAT
		       " submission(s) wait for their keys, which the fetch "
		       "or import that stored them makes when it closes (the "
		       "next fetch, if it was stopped); the desk collates "
		       "them meanwhile\n", k.pending);
	else if (!k.table)
		printf("sort keys: not made yet: the next fetch makes them\n");
	else if (k.missing > 0)
		printf("sort keys: PROBLEM: %" G_GINT64_FORMAT " submission(s) "
		       "without keys (an older tipline wrote them) are left "
		       "out of sender sorts of the whole queue: run `tipline "
		       "reparse --sort-keys` (exit %d)\n", k.missing,
		       tl_status_exit_code(rc = TL_DATA));
	else if (k.made == 0)
		printf("sort keys: ok; their ICU collator is not recorded yet: "
		       "the next fetch that stores a message records this "
		       "host's (%s)\n", here);
	else if (k.made < k.here)
		printf("sort keys: ok; made by an older ICU collator (%s) than "
		       "this host's (%s): the next fetch makes them again\n",
		       made, here);
	else if (k.made > k.here)
		printf("sort keys: ok, made by ICU collator %s; this host's is "
		       "older (%s): what it writes may sort a few names "
		       "differently until a host with %s writes (docs/"
		       "operations.md, Upgrades)\n", made, here, made);
	else
		printf("sort keys: ok, ICU collator %s\n", here);
	g_free(made);
	g_free(here);
	return rc;
}

/* SQLite: the originals kept as files beside the database
 * (store_originals_check): a missing file or one of another size is a
 * PROBLEM (65: restore from a backup); orphans and scrubs a purge left
 * are said, not problems (the next purge removes them). */
static tl_status
doctor_originals(store *st)
{
	store_originals o;
	tl_status rc;

	if ((rc = store_originals_check(st, &o)) != TL_OK) {
		printf("originals: PROBLEM: %s (exit %d)\n", store_errmsg(st),
		       tl_status_exit_code(rc));
		return rc;
	}
	if (o.missing > 0 || o.wrong_size > 0)
		printf("originals: PROBLEM: %" G_GINT64_FORMAT " of %"
		       G_GINT64_FORMAT " file(s) missing or refused, %"
		       G_GINT64_FORMAT " of the wrong size; the first: %s; "
		       "restore the database and its originals folder from a "
		       "backup (docs/operations.md) (exit %d)\n", o.missing,
		       o.files, o.wrong_size, o.first,
		       tl_status_exit_code(rc = TL_DATA));
	else
		printf("originals: ok, %" G_GINT64_FORMAT " kept as files\n",
		       o.files);
	if (o.orphans > 0)
		printf("originals: %" G_GINT64_FORMAT " file(s) that no "
		       "submission names (a fetch stopped between storing a "
		       "file and its commit, or one running now): harmless; "
		       "the next purge scrubs them\n", o.orphans);
	if (o.scrub_pending > 0)
		printf("originals: %" G_GINT64_FORMAT " file(s) of purged "
		       "originals not yet scrubbed (a purge was cut short "
		       "after its commit): run `tipline purge` again, which "
		       "finishes them first\n", o.scrub_pending);
	store_originals_clear(&o);
	return rc;
}

/* The database: can it be opened, is it sound (SQLite's quick_check,
 * for at most CHECK_MS)? Prints its lines; *st_out is the open store or
 * NULL. */
static tl_status
doctor_database(tl_ctx *ctx, gint64 check_ms, store **st_out)
{
	const char *db = ctx->cfg->database;
	char *shown = store_database_display(db);
	store_integrity res;
	char *err = NULL;
	tl_status rc;

	*st_out = NULL;
	memset(&res, 0, sizeof res);
	rc = store_open(db, ctx->cfg->passfile, STORE_INSPECT,
			ctx->cfg->busy_timeout_ms, st_out, &err);
	if (rc == TL_NOINPUT && !store_is_url(db) && access(db, F_OK) != 0) {
		printf("database: %s: not created yet (no fetch has run)\n",
		       db);
		rc = TL_OK;
		goto out;
	}
	if (rc != TL_OK) {
		printf("database: PROBLEM: %s (exit %d)\n", err,
		       tl_status_exit_code(rc));
		goto out;
	}
	if (store_is_url(db)) {
		rc = doctor_server(*st_out, shown);
		rc = tl_status_worst(rc, doctor_pg_integrity(*st_out,
							     check_ms));
		rc = tl_status_worst(rc, doctor_sort_keys(*st_out));
		goto out;
	}
	rc = store_integrity_check(*st_out, 0, check_ms, &res);
	if (rc == TL_DATA)
		printf("database: %s: PROBLEM: damaged: quick_check found %d "
		       "problem(s), the first: %s; restore it from a backup "
		       "(docs/operations.md) (exit %d)\n", db, res.problems,
		       res.first, tl_status_exit_code(rc));
	else if (rc != TL_OK)
		printf("database: %s: PROBLEM: %s (exit %d)\n", db,
		       store_errmsg(*st_out), tl_status_exit_code(rc));
	else if (!res.finished)
		printf("database: %s: opens, schema %d; quick_check NOT "
		       "FINISHED: cut short after %" G_GINT64_FORMAT " ms "
		       "(raise --check-time, or run doctor when the desk is "
		       "quiet)\n", db, store_schema_version(*st_out),
		       res.elapsed_ms);
	else
		printf("database: %s: ok (schema %d%s, quick_check ok in %"
		       G_GINT64_FORMAT " ms)\n", db,
		       store_schema_version(*st_out),
		       store_schema_version(*st_out) <
		       store_schema_current() ? ", the next fetch upgrades "
		       "it" : "", res.elapsed_ms);
	if (rc == TL_OK)
		rc = doctor_sort_keys(*st_out);
	if (rc == TL_OK)
		rc = doctor_originals(*st_out);
out:
	store_integrity_clear(&res);
	g_free(shown);
	g_free(err);
	return rc;
}

/* One local check's line: "LABEL MSG", or a PROBLEM line. */
static tl_status
doctor_line(const char *label, tl_status rc, char *msg)
{
	if (rc == TL_OK)
		printf("%-9s %s\n", label, msg);
	else
		printf("%-9s PROBLEM: %s (exit %d)\n", label, msg,
		       tl_status_exit_code(rc));
	g_free(msg);
	return rc;
}

/* What the next fetch needs on this machine, tried as this login: the
 * database's folder and file, the spool folder, the lock file. */
static tl_status
doctor_local(tl_ctx *ctx)
{
	tl_status rc, worst = TL_OK;
	int pg = store_is_url(ctx->cfg->database);
	char *msg = NULL;

	/* PostgreSQL: no database folder or lock file here; each mailbox
	 * says whether a fetch holds its lock (print_lock). */
	if (!pg) {
		rc = store_preflight_database(ctx->cfg->database, &msg);
		worst = tl_status_worst(worst, doctor_line("folder:", rc,
							   msg));
	}
	rc = store_preflight_spool(ctx->cfg->spool_dir, &msg);
	worst = tl_status_worst(worst, doctor_line("spool:", rc, msg));
	if (pg) {
		printf("lock:     one fetcher per mailbox (a PostgreSQL "
		       "advisory lock; several fetchers share the mailboxes)"
		       "\n");
	} else {
		rc = store_preflight_lock(ctx->cfg->database, &msg);
		worst = tl_status_worst(worst, doctor_line("lock:", rc, msg));
	}
	if (geteuid() == 0)
		printf("          (checked as root: run doctor as the fetch "
		       "user to check its rights)\n");
	return worst;
}

tl_status
cmd_doctor(tl_ctx *ctx, int argc, char **argv)
{
	char *max_age_s = NULL, *check_s = NULL;
	GOptionEntry entries[] = {
		{ "max-age", 0, 0, G_OPTION_ARG_STRING, &max_age_s,
		  "also fail (75) when a mailbox's last successful fetch is "
		  "older than DURATION (e.g. 30m, 2h)", "DURATION" },
		{ "check-time", 0, 0, G_OPTION_ARG_STRING, &check_s,
		  "stop the database's integrity check after DURATION "
		  "(default 30s; 0 stops it at once)", "DURATION" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	store *st = NULL;
	gint64 max_age = 0, check_s_n = 30;
	int done = 0;
	tl_status rc, worst = TL_OK;
	guint i;

	rc = cmd_parse_options("doctor", "[--max-age DURATION] "
		"[--check-time DURATION]",
		"Check the configuration, the database (SQLite's quick_check), "
		"what the next fetch needs here (folders, lock) and every "
		"mailbox (connect, log in, STATUS); exit 0 when all is well.",
		entries, &argc, &argv, 0, 0, &done);
	if (rc != TL_OK || done)
		goto out;
	if (max_age_s != NULL &&
	    (max_age = config_parse_duration(max_age_s)) <= 0) {
		cmd_err("doctor", "--max-age: not a duration: %s", max_age_s);
		rc = TL_USAGE;
		goto out;
	}
	/* 0: open the database only (what monitoring sees of a check cut
	 * short). */
	if (check_s != NULL && strcmp(check_s, "0") == 0)
		check_s_n = 0;
	else if (check_s != NULL &&
	    (check_s_n = config_parse_duration(check_s)) <= 0) {
		log_err("doctor: --check-time: not a duration: %s", check_s);
		rc = TL_USAGE;
		goto out;
	}
	printf("config:   %s: ok, %u mailbox(es)\n",
	       ctx->cfg->path != NULL ? ctx->cfg->path : "(defaults)",
	       ctx->cfg->mailboxes->len);
	worst = doctor_database(ctx, check_s_n * 1000, &st);
	worst = tl_status_worst(worst, doctor_local(ctx));
	if (ctx->cfg->mailboxes->len == 0) {
		printf("no [mailbox NAME] section: nothing to fetch\n");
		worst = tl_status_worst(worst, TL_CONFIG);
	}
	for (i = 0; i < ctx->cfg->mailboxes->len; i++)
		worst = tl_status_worst(worst, doctor_mailbox(st, ctx->cfg,
			g_ptr_array_index(ctx->cfg->mailboxes, i), max_age));
	printf("%s\n", worst == TL_OK ? "all is well" :
	       "problems found (see PROBLEM above)");
	fflush(stdout);
	rc = worst;
out:
	store_close(st);
	g_free(max_age_s);
	g_free(check_s);
	return rc;
}
