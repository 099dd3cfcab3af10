/* tipline.c - main(): global options, configuration, the command table.
 *
 *   tipline [--config FILE] [-v | -q] COMMAND [ARGS]
 *
 * main() is the only place that turns a tl_status into an exit code, and
 * it releases everything it set up at one exit.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "log.h"
#include "message.h"
#include "version.h"

static const tl_command table[] = {
	{ "fetch", cmd_fetch, CMD_DB_NONE, "[--mailbox NAME]...",
	  "fetch new messages from every configured mailbox (cron job)" },
	{ "import", cmd_import, CMD_DB_WRITE, "PATH...",
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
	{ "export", cmd_export, CMD_DB_WRITE, "ID... --to DIR [--scrub]",
	  "write submissions and their attachments to folders" },
	{ "reparse", cmd_reparse, CMD_DB_WRITE, "ID... | --all-quarantined",
	  "parse stored raw messages again" },
	{ "purge", cmd_purge, CMD_DB_WRITE,
	  "--status STATUS --older-than DURATION [--dry-run]",
	  "delete old submissions for good" },
	{ "backup", cmd_backup, CMD_DB_READ, "FILE",
	  "consistent copy of the database" },
	{ "stats", cmd_stats, CMD_DB_READ, "[--json]",
	  "counts per status and day, last fetch per mailbox" },
	{ "doctor", cmd_doctor, CMD_DB_NONE, "",
	  "check configuration, connections and logins" },
	{ NULL, NULL, 0, NULL, NULL },
};

const tl_command *
commands_table(void)
{
	return table;
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: tipline [--config FILE] [-v | -q] COMMAND [ARGS]\n"
		"       tipline --help | --version | COMMAND --help\n\n"
		"commands:\n");
	for (const tl_command *c = table; c->name; c++)
		fprintf(f, "  %-8s %s\n", c->name, c->summary);
	fprintf(f, "\nSee tipline(1) and tipline.conf(5).\n");
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
	v = g_ascii_strtoll(s, &end, 10);
	return (*end == '\0' && v > 0) ? v : 0;
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
			char *nl = strchr(help, '\n');

			printf("usage: tipline %s\n%s", param, nl ? nl : "");
			g_free(help);
			*done = 1;
			goto out;
		}
	}
	if (!g_option_context_parse(oc, argc, argv, &err)) {
		fprintf(stderr, "tipline %s: %s\nusage: tipline %s\n", name,
			err->message, param);
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
		fprintf(stderr, "tipline %s: %s\nusage: tipline %s\n", name,
			npos < min_args ? "missing argument" :
			"too many arguments", param);
		rc = TL_USAGE;
	}
out:
	g_option_context_free(oc);
	g_free(param);
	return rc;
}

/* Load the configuration: the lookup order of config_find(), or, for
 * hermetic tests and one-off imports, $TIPLINE_DB alone. */
static tl_status
load_config(const char *explicit_path, tl_config **cfg)
{
	char *path = config_find(explicit_path), *err = NULL;
	const char *db = g_getenv("TIPLINE_DB");
	tl_status rc;

	if (path == NULL) {
		if (db != NULL && *db != '\0') {
			*cfg = config_new_default(db);
			return TL_OK;
		}
		log_err("no configuration file: give --config FILE, set "
			"TIPLINE_CONFIG, or create ~/.config/tipline/"
			"tipline.conf or /etc/tipline.conf");
		return TL_CONFIG;
	}
	rc = config_load(path, cfg, &err);
	if (rc != TL_OK) {
		log_err("%s", err);
		g_free(err);
		rc = TL_CONFIG;
	} else if (db != NULL && *db != '\0') {
		g_free((*cfg)->database);
		(*cfg)->database = g_strdup(db);
	}
	g_free(path);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *config_path = NULL;
	const tl_command *cmd = NULL;
	log_level level = LOG_LEVEL_NORMAL;
	tl_ctx ctx = { NULL, NULL, NULL };
	char *editor = NULL, *err = NULL;
	tl_status rc = TL_OK;
	int i;

	setlocale(LC_ALL, "");
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			config_path = argv[++i];
		else if (g_str_has_prefix(argv[i], "--config="))
			config_path = argv[i] + strlen("--config=");
		else if (strcmp(argv[i], "-v") == 0 ||
			 strcmp(argv[i], "--verbose") == 0)
			level = LOG_LEVEL_DEBUG;
		else if (strcmp(argv[i], "-q") == 0 ||
			 strcmp(argv[i], "--quiet") == 0)
			level = LOG_LEVEL_QUIET;
		else if (strcmp(argv[i], "--help") == 0 ||
			 strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("tipline %s\n", TIPLINE_VERSION);
			return 0;
		} else {
			fprintf(stderr, "tipline: unknown option %s\n", argv[i]);
			usage(stderr);
			return tl_status_exit_code(TL_USAGE);
		}
	}
	if (i >= argc) {
		usage(stderr);
		return tl_status_exit_code(TL_USAGE);
	}
	for (const tl_command *c = table; c->name; c++)
		if (strcmp(c->name, argv[i]) == 0)
			cmd = c;
	if (cmd == NULL) {
		fprintf(stderr, "tipline: unknown command \"%s\"\n", argv[i]);
		usage(stderr);
		return tl_status_exit_code(TL_USAGE);
	}
	log_open(level, 0);
	/* COMMAND --help needs neither configuration nor database. */
	for (int j = i + 1; j < argc; j++) {
		if (strcmp(argv[j], "--") == 0)
			break;
		if (strcmp(argv[j], "--help") == 0 ||
		    strcmp(argv[j], "-h") == 0) {
			tl_ctx none = { NULL, NULL, NULL };

			return tl_status_exit_code(cmd->run(&none, argc - i,
							    argv + i));
		}
	}

	message_init();
	if ((rc = load_config(config_path, &ctx.cfg)) != TL_OK)
		goto out;
	log_open(level, ctx.cfg->log_syslog);
	editor = store_editor_name();
	ctx.editor = editor;
	if (cmd->db != CMD_DB_NONE) {
		rc = store_open(ctx.cfg->database, cmd->db == CMD_DB_WRITE ?
				STORE_READWRITE : STORE_READONLY,
				ctx.cfg->busy_timeout_ms, &ctx.st, &err);
		if (rc != TL_OK) {
			log_err("%s", err);
			goto out;
		}
	}
	rc = cmd->run(&ctx, argc - i, argv + i);
out:
	store_close(ctx.st);
	config_free(ctx.cfg);
	g_free(editor);
	g_free(err);
	message_shutdown();
	return tl_status_exit_code(rc);
}
