/* log.c - diagnostics to stderr or syslog. */
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>
#include <unistd.h>

#include "util.h"

static log_level cur_level = LOG_LEVEL_NORMAL;
static int to_syslog;

void
log_open(log_level level, int use_syslog)
{
	cur_level = level;
	to_syslog = use_syslog;
	if (to_syslog)
		openlog("tipline", LOG_PID, LOG_MAIL);
}

log_level
log_get_level(void)
{
	return cur_level;
}

static void
log_vwrite(int prio, const char *prefix, const char *fmt, va_list ap)
{
	if (to_syslog) {
		va_list copy;

		va_copy(copy, ap);
		vsyslog(prio, fmt, copy);
		va_end(copy);
		/* An editor at a terminal must still see what went wrong;
		 * cron has no terminal, so fetch logs to syslog alone. */
		if (!isatty(STDERR_FILENO))
			return;
	}
	/* One line at a time: fetch's reader thread logs too. */
	flockfile(stderr);
	fprintf(stderr, "tipline: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}

/* Write one message when the current level is at least MIN. */
static void
log_at(int prio, const char *prefix, log_level min, const char *fmt,
       va_list ap)
{
	if (cur_level >= min)
		log_vwrite(prio, prefix, fmt, ap);
}

void
log_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_at(LOG_ERR, "", LOG_LEVEL_QUIET, fmt, ap);
	va_end(ap);
}

void
log_verr_as(const char *who, const char *fmt, va_list ap)
{
	char msg[4096];

	vsnprintf(msg, sizeof msg, fmt, ap);
	if (to_syslog) {
		syslog(LOG_ERR, "%s: %s", who, msg);
		if (!isatty(STDERR_FILENO))
			return;
	}
	fprintf(stderr, "tipline %s: %s\n", who, msg);
}

void
log_vwarn_as(const char *who, const char *fmt, va_list ap)
{
	char msg[4096];

	if (cur_level < LOG_LEVEL_NORMAL)
		return;
	vsnprintf(msg, sizeof msg, fmt, ap);
	if (to_syslog) {
		syslog(LOG_WARNING, "%s: warning: %s", who, msg);
		if (!isatty(STDERR_FILENO))
			return;
	}
	fprintf(stderr, "tipline %s: warning: %s\n", who, msg);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_at(LOG_WARNING, "warning: ", LOG_LEVEL_NORMAL, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_at(LOG_NOTICE, "", LOG_LEVEL_NORMAL, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_at(LOG_DEBUG, "debug: ", LOG_LEVEL_DEBUG, fmt, ap);
	va_end(ap);
}
