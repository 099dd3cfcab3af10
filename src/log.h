/* log.h - diagnostics to stderr or syslog (after fdm's log.c).
 *
 * Every message goes through here so that one switch (-v, -q, or
 * "[log] target = syslog") governs all output that is not a command's
 * result. Callers must never pass a password or token: nothing here
 * redacts.
 */
#ifndef TIPLINE_LOG_H
#define TIPLINE_LOG_H

#include <stdarg.h>

typedef enum {
	LOG_LEVEL_QUIET = 0,	/* errors only (-q) */
	LOG_LEVEL_NORMAL = 1,	/* errors, warnings, notices */
	LOG_LEVEL_DEBUG = 2,	/* everything (-v) */
} log_level;

/* Set the level and target. use_syslog != 0 sends messages to syslog(3)
 * with ident "tipline" and facility LOG_MAIL instead of stderr, and also
 * to stderr when that is a terminal (an editor at the keyboard). */
void log_open(log_level level, int use_syslog);

/* Current level, for callers that want to skip expensive formatting. */
log_level log_get_level(void);

/* Error: always shown. Format as printf; a newline is added.  Printed
 * "tipline: MESSAGE"; a command's errors go through cmd_err (commands.h)
 * instead, which names the command. */
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An error of WHO (a command): "tipline WHO: MESSAGE" on stderr, and
 * "WHO: MESSAGE" to syslog when that is the target; always shown. */
void log_verr_as(const char *who, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* A warning of WHO (a command): "tipline WHO: warning: MESSAGE", the
 * same form as log_verr_as's errors (editor trial finding 5); to syslog
 * as "WHO: warning: MESSAGE" when that is the target; shown unless -q. */
void log_vwarn_as(const char *who, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Warning: shown unless -q.  "tipline: warning: MESSAGE"; a command's
 * warnings go through cmd_warn (commands.h) instead. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Notice: one line per noteworthy event; shown unless -q. */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Debug: shown with -v only. */
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
