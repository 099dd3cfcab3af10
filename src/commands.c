/* commands.c - the command table and what every command shares: option
 * parsing with GOptionContext and submission ids. */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "util.h"

static const tl_command table[] = {
	{ "fetch", cmd_fetch, CMD_DB_NONE, "[--mailbox NAME]...",
	  "fetch new messages from every configured mailbox (cron job)" },
	{ "import", cmd_import, CMD_DB_CREATE, "PATH...",
	  "queue messages from files, Maildir folders or mbox files" },
	{ "list", cmd_list, CMD_DB_READ, "[--status STATUS | --all] [--json]",
	  "list submissions, newest first" },
	{ "show", cmd_show, CMD_DB_READ, "ID [--json | --raw | --headers]",
	  "show one submission" },
	{ "search", cmd_search, CMD_DB_READ, "QUERY [--json]",
	  "full-text search, diacritics optional" },
	{ "approve", cmd_approve, CMD_DB_WRITE, "ID... [--note TEXT]",
	  "approve submissions" },
	{ "reject", cmd_reject, CMD_DB_WRITE, "ID... [--reason TEXT]",
	  "reject submissions" },
	{ "spam", cmd_spam, CMD_DB_WRITE, "ID... [--note TEXT]",
	  "mark submissions as spam" },
	{ "reopen", cmd_reopen, CMD_DB_WRITE, "ID... [--note TEXT]",
	  "put submissions back to new" },
	{ "seen", cmd_seen, CMD_DB_WRITE, "ID... | --all",
	  "mark submissions as seen by you (list --unseen)" },
	{ "export", cmd_export, CMD_DB_WRITE, "ID... --to DIR [--scrub]",
	  "write submissions and their attachments to folders" },
	{ "reparse", cmd_reparse, CMD_DB_WRITE, "ID... | --all-quarantined",
	  "parse stored raw messages again" },
	{ "purge", cmd_purge, CMD_DB_WRITE,
	  "--status STATUS --older-than DURATION [--dry-run]",
	  "delete old submissions for good" },
	{ "backup", cmd_backup, CMD_DB_READ, "FILE",
	  "consistent copy of the database" },
	{ "copy", cmd_copy, CMD_DB_NONE, "--to DATABASE [--json]",
	  "copy the queue into another database (SQLite <-> PostgreSQL)" },
	{ "audit", cmd_audit, CMD_DB_READ,
	  "[ID] [--editor NAME] [--since DATE] [--until DATE] [--json]",
	  "the audit log: who did what, also to purged submissions" },
	{ "log", cmd_audit, CMD_DB_READ, "[ID] [--editor NAME] [--json]",
	  "the same as audit" },
	{ "stats", cmd_stats, CMD_DB_READ, "[--json]",
	  "counts per status and day, last fetch per mailbox" },
	{ "previews", cmd_previews, CMD_DB_WRITE,
	  "[--since DATE] [--limit N] [--size PX] [--json]",
	  "make the photo and clip previews of the browser desk ahead" },
	{ "doctor", cmd_doctor, CMD_DB_NONE, "",
	  "check configuration, connections and logins" },
	{ "serve", cmd_serve, CMD_DB_NONE,
	  "[--listen 127.0.0.1:PORT | unix:PATH]",
	  "the desk in a browser (runs tipline-serve)" },
	{ "passwd", cmd_passwd, CMD_DB_NONE, "EDITOR",
	  "set an editor's password for serve (auth = local)" },
	{ NULL, NULL, 0, NULL, NULL },
};

const tl_command *
commands_table(void)
{
	return table;
}

gint64
cmd_parse_id(const char *s)
{
	char *end;
	gint64 v;

	if (s == NULL)
		return 0;
	if (*s == '#')
		s++;
	if (!g_ascii_isdigit(*s))
		return 0;
	errno = 0;
	v = g_ascii_strtoll(s, &end, 10);
	/* An id too large to be one is malformed, not "no such id". */
	return (*end == '\0' && v > 0 && errno != ERANGE) ? v : 0;
}

/* The store's open error, held back until the command line was checked
 * (cmd_defer_store_error). */
static tl_status deferred_rc = TL_OK;
static char *deferred_msg;

void
cmd_defer_store_error(tl_status rc, char *msg)
{
	g_free(deferred_msg);
	deferred_rc = rc;
	deferred_msg = msg;
}

tl_status
cmd_parse_options(const char *name, const char *args, const char *summary,
		  GOptionEntry *entries, int *argc, char ***argv,
		  int min_args, int max_args, int *done)
{
	char *param = g_strdup_printf("%s %s", name, args ? args : "");
	GOptionContext *oc = g_option_context_new(NULL);
	GError *err = NULL;
	tl_status rc = TL_OK;
	int npos;

	*done = 0;
	g_option_context_set_summary(oc, summary);
	g_option_context_set_help_enabled(oc, FALSE);
	if (entries != NULL)
		g_option_context_add_main_entries(oc, entries, NULL);
	/* --help is ours, so that it prints to stdout and exits 0 from the
	 * command, not from inside GLib. */
	for (int i = 1; i < *argc; i++) {
		if (strcmp((*argv)[i], "--") == 0)
			break;
		if (strcmp((*argv)[i], "--help") == 0 ||
		    strcmp((*argv)[i], "-h") == 0) {
			char *help = g_option_context_get_help(oc, TRUE, NULL);
			/* GLib's help starts with its own "Usage:" paragraph
			 * (without a program name here); ours replaces it. */
			char *rest = strstr(help, "\n\n");

			printf("usage: tipline %s\n%s", param,
			       rest ? rest + 1 : "\n");
			g_free(help);
			*done = 1;
			goto out;
		}
	}
	if (!g_option_context_parse(oc, argc, argv, &err)) {
		cmd_err(name, "%s", err->message);
		fprintf(stderr, "usage: tipline %s\n", param);
		g_error_free(err);
		rc = TL_USAGE;
		goto out;
	}
	npos = *argc - 1;
	if (npos > 0 && strcmp((*argv)[1], "--") == 0) {
		/* g_option_context_parse leaves a lone "--" in place. */
		memmove(&(*argv)[1], &(*argv)[2], (npos) * sizeof(char *));
		(*argc)--;
		npos--;
	}
	if (npos < min_args || (max_args >= 0 && npos > max_args)) {
		cmd_err(name, "%s", npos < min_args ? "missing argument" :
			"too many arguments");
		fprintf(stderr, "usage: tipline %s\n", param);
		rc = TL_USAGE;
	}
	if (rc == TL_OK && deferred_rc != TL_OK) {
		cmd_err(name, "%s", deferred_msg);
		rc = deferred_rc;
	}
out:
	g_option_context_free(oc);
	g_free(param);
	return rc;
}


void
cmd_err(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_verr_as(cmd, fmt, ap);
	va_end(ap);
}

void
cmd_warn(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwarn_as(cmd, fmt, ap);
	va_end(ap);
}

tl_status
cmd_spool_prepare(const char *cmd, const tl_config *cfg, spool_use use,
		  char **spool)
{
	char *err = NULL;
	guint n = 0;
	tl_status rc = spool_prepare(cfg, use, spool, &n, &err);

	if (rc != TL_OK)
		cmd_err(cmd, "%s", err);
	else if (n > 0)
		log_info("%s: removed %u spool file(s) left by an interrupted "
			 "run", cmd, n);
	g_free(err);
	return rc;
}

gboolean
cmd_stdout_closed(void)
{
	struct pollfd p = { .fd = STDOUT_FILENO, .events = POLLOUT };

	/* A pipe without readers polls as POLLERR (a socket as POLLHUP). */
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

tl_status
cmd_output_done(const char *name)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return TL_OK;
	if (cmd_stdout_closed())
		return TL_OK;
	cmd_err(name, "writing output failed: %s", g_strerror(errno));
	return TL_SOFTWARE;
}
