/* tipline.c - main(): global options, configuration, running a command.
 *
 *   tipline [--config FILE] [-v | -q] COMMAND [ARGS]
 *
 * main() is the only place that turns a tl_status into an exit code, and
 * it releases everything it set up at one exit.
 */
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "util.h"
#include "message.h"
#include "version.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: tipline [--config FILE] [-v | -q] COMMAND [ARGS]\n"
		"       tipline --help | --version | COMMAND --help\n\n"
		"commands:\n");
	for (const tl_command *c = commands_table(); c->name; c++)
		fprintf(f, "  %-8s %s\n", c->name, c->summary);
	fprintf(f, "\nSee tipline(1) and tipline.conf(5).\n");
}

/* A reader that stops reading (`tipline show 13 | head`, quitting the
 * pager) ends a command normally (issue 10).  A command whose whole work
 * is its output (list, show, search, stats, audit) stops at once with
 * status 0; any other (export, approve, backup, ...) goes on, so that
 * what it does is finished and audited, and its output errors are
 * ignored (cmd_output_done).  A SIGPIPE from a socket (the stdout reader still
 * there) is ignored: the write sees EPIPE. */
static volatile sig_atomic_t sigpipe_exits;

static void
on_sigpipe(int sig)
{
	struct pollfd p = { .fd = STDOUT_FILENO, .events = POLLOUT };

	(void)sig;
	if (sigpipe_exits && poll(&p, 1, 0) == 1 &&
	    (p.revents & (POLLERR | POLLHUP)))
		_exit(0);
}

static void
sigpipe_setup(const tl_command *cmd)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigpipe;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigpipe_exits = strcmp(cmd->name, "list") == 0 ||
	    strcmp(cmd->name, "show") == 0 ||
	    strcmp(cmd->name, "search") == 0 ||
	    strcmp(cmd->name, "stats") == 0 ||
	    strcmp(cmd->name, "audit") == 0 ||
	    strcmp(cmd->name, "log") == 0;
	sigaction(SIGPIPE, &sa, NULL);
}

/* The newsroom's time zone ([desk] timezone) for every time shown and
 * every local day parsed (--since), whatever the server's zone. */
static void
timezone_apply(const tl_config *cfg)
{
	if (cfg->desk_timezone != NULL && *cfg->desk_timezone != '\0') {
		g_setenv("TZ", cfg->desk_timezone, TRUE);
		tzset();
	}
}

/* The configuration (config_load_for_face); its error printed once. */
static tl_status
load_config(const char *cmd, const char *explicit_path, tl_config **cfg)
{
	char *err = NULL;
	tl_status rc = config_load_for_face(explicit_path, cfg, &err);

	if (rc != TL_OK)
		cmd_err(cmd, "%s", err);
	g_free(err);
	return rc;
}

/* tipline's text is UTF-8 whatever the locale, but GOption converts
 * option values from the locale's charset, and under cron, a minimal
 * server or `env -i` the locale is "C" (ASCII): a Vietnamese --reason was
 * refused as "Invalid byte sequence". As Python does (PEP 538), the C and
 * POSIX locales' character type is taken as C.UTF-8, which glibc always
 * has; a locale the user chose with another charset is left alone. */
static void
locale_init(void)
{
	const char *ctype;

	setlocale(LC_ALL, "");
	ctype = setlocale(LC_CTYPE, NULL);
	if (ctype != NULL && strcmp(nl_langinfo(CODESET), "UTF-8") != 0 &&
	    (strcmp(ctype, "C") == 0 || strcmp(ctype, "POSIX") == 0))
		setlocale(LC_CTYPE, "C.UTF-8");
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

	locale_init();
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
			fprintf(stderr, "tipline: unknown option %s\n",
				argv[i]);
			usage(stderr);
			return tl_status_exit_code(TL_USAGE);
		}
	}
	if (i >= argc) {
		usage(stderr);
		return tl_status_exit_code(TL_USAGE);
	}
	for (const tl_command *c = commands_table(); c->name; c++)
		if (strcmp(c->name, argv[i]) == 0)
			cmd = c;
	if (cmd == NULL) {
		fprintf(stderr, "tipline: unknown command \"%s\"\n", argv[i]);
		usage(stderr);
		return tl_status_exit_code(TL_USAGE);
	}
	log_open(level, 0);
	sigpipe_setup(cmd);
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
	if ((rc = load_config(cmd->name, config_path, &ctx.cfg)) != TL_OK)
		goto out;
	log_open(level, ctx.cfg->log_syslog);
	timezone_apply(ctx.cfg);
	editor = store_editor_name();
	ctx.editor = editor;
	if (cmd->db != CMD_DB_NONE) {
		/* Only fetch and import create the database: a mistyped
		 * path must not become an empty queue (66, path named). */
		rc = store_open(ctx.cfg->database, ctx.cfg->passfile,
				cmd->db == CMD_DB_CREATE ?
				STORE_READWRITE : cmd->db == CMD_DB_WRITE ?
				STORE_WRITE : STORE_READONLY,
				ctx.cfg->busy_timeout_ms, &ctx.st, &err);
		if (rc != TL_OK) {
			cmd_defer_store_error(rc, err);
			err = NULL;
		}
	}
	rc = cmd->run(&ctx, argc - i, argv + i);
out:
	cmd_defer_store_error(TL_OK, NULL);
	store_close(ctx.st);
	config_free(ctx.cfg);
	g_free(editor);
	g_free(err);
	message_shutdown();
	return tl_status_exit_code(rc);
}
