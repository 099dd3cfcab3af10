/* commands.h - the subcommand table (after notmuch's commands[]).
 *
 * Each subcommand lives in its own src/cmd-NAME.c and is the only layer
 * that writes to stdout or turns a status into an exit code. main() loads
 * the configuration and opens the store the way the table says before the
 * command runs, and closes everything after it.
 */
#ifndef TIPLINE_COMMANDS_H
#define TIPLINE_COMMANDS_H

#include "app.h"
#include "util.h"
#include "store.h"

/* What main() prepares for a command. Everything is owned by main(). */
typedef struct {
	tl_config *cfg;		/* never NULL when the command runs */
	store *st;		/* opened as the table says, or NULL */
	const char *editor;	/* login name for the audit log */
} tl_ctx;

typedef enum {
	CMD_DB_NONE = 0,	/* the command opens what it needs itself */
	CMD_DB_READ,		/* read-only connection */
	CMD_DB_WRITE,		/* read-write; the database must exist */
	CMD_DB_CREATE,		/* read-write; creates the database */
} cmd_db_mode;

/* A command: argv[0] is its name; options follow (GOptionContext).
 * Returns a status; the command has already told the user what failed
 * (log_err) when it is not TL_OK. */
typedef tl_status (*cmd_fn)(tl_ctx *ctx, int argc, char **argv);

typedef struct {
	const char *name;
	cmd_fn run;
	cmd_db_mode db;
	const char *args;	/* usage after the name, e.g.
				 * "ID... [--note TEXT]" */
	const char *summary;	/* one line for `tipline --help` */
} tl_command;

/* The table, terminated by a {NULL} entry (static storage). */
const tl_command *commands_table(void);

/* Run a GOptionContext for a subcommand: parses ENTRIES out of argc/argv
 * (argv[0] stays the command name), handles --help by printing and
 * returning TL_OK with *done set, and reports errors as TL_USAGE with a
 * message on stderr; then reports a deferred store error (see
 * cmd_defer_store_error) and returns its status. MIN_ARGS / MAX_ARGS
 * bound the positional arguments left (-1: no maximum). */
tl_status cmd_parse_options(const char *name, const char *args,
			    const char *summary, GOptionEntry *entries,
			    int *argc, char ***argv, int min_args,
			    int max_args, int *done);

/* A store that main() could not open (missing, refused, damaged) is
 * reported by cmd_parse_options() once the command line has been
 * checked, so that a usage error still comes first (64) and --help
 * works; the command then returns STATUS without touching ctx->st (which
 * is NULL). Takes MSG (g_free). */
void cmd_defer_store_error(tl_status status, char *msg);

/* Parse a submission id ("42" or "#42"); 0 when not a positive integer. */
gint64 cmd_parse_id(const char *s);

/* Report an error of command CMD, the one way every command does
 * (issue 10): "tipline CMD: MESSAGE", the message naming the object
 * ("no submission 99", "\"abc\" is not a submission id", "FILE:LINE:
 * ..."); through util.h, so syslog gets it too when configured. */
void cmd_err(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Report a warning of command CMD in the same form as cmd_err: "tipline
 * CMD: warning: MESSAGE" (editor trial finding 5: one prefix for errors
 * and warnings), the message naming the object ("#4: FILE held back:
 * ...").  Left out with -q; through util.h, so syslog gets it too. */
void cmd_warn(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The spool folder of command CMD ("fetch", "import") into *SPOOL
 * (g_free; set even on failure): spool_prepare() for USE, a failure
 * reported once through cmd_err, the files an interrupted run left and
 * this sweep removed logged at info level.  Returns spool_prepare's
 * status. */
tl_status cmd_spool_prepare(const char *cmd, const tl_config *cfg,
			    spool_use use, char **spool);

/* Has the reader of stdout gone (a closed pipe: `tipline show 13 |
 * head`)?  Then output that fails to be written is a normal end, not an
 * error (issue 10).  Polls fd 1 for POLLERR; FALSE for files and
 * terminals. */
gboolean cmd_stdout_closed(void);

/* Finish a command's output: flush stdout.  TL_OK when it was written,
 * or when its reader has gone (cmd_stdout_closed); else reports
 * "NAME: writing output failed" once and returns TL_SOFTWARE. */
tl_status cmd_output_done(const char *name);

tl_status cmd_fetch(tl_ctx *ctx, int argc, char **argv);
tl_status cmd_import(tl_ctx *ctx, int argc, char **argv);
tl_status cmd_list(tl_ctx *ctx, int argc, char **argv);
tl_status cmd_show(tl_ctx *ctx, int argc, char **argv);
tl_status cmd_approve(tl_ctx *ctx, int argc, char **argv);
tl_status cmd_reject(tl_ctx *ctx, int argc, char **argv);
tl_status cmd_spam(tl_ctx *ctx, int argc, char **argv);
tl_status cmd_reopen(tl_ctx *ctx, int argc, char **argv);
tl_status cmd_search(tl_ctx *ctx, int argc, char **argv);
tl_status cmd_export(tl_ctx *ctx, int argc, char **argv);
tl_status cmd_purge(tl_ctx *ctx, int argc, char **argv);
tl_status cmd_backup(tl_ctx *ctx, int argc, char **argv);
tl_status cmd_copy(tl_ctx *ctx, int argc, char **argv);
tl_status cmd_stats(tl_ctx *ctx, int argc, char **argv);
tl_status cmd_audit(tl_ctx *ctx, int argc, char **argv);
tl_status cmd_reparse(tl_ctx *ctx, int argc, char **argv);
tl_status cmd_doctor(tl_ctx *ctx, int argc, char **argv);
tl_status cmd_seen(tl_ctx *ctx, int argc, char **argv);
tl_status cmd_previews(tl_ctx *ctx, int argc, char **argv);
tl_status cmd_serve(tl_ctx *ctx, int argc, char **argv);
tl_status cmd_passwd(tl_ctx *ctx, int argc, char **argv);

#endif
