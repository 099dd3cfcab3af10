/* log.c - diagnostics to stderr or syslog. */
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

#include "log.h"

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
		vsyslog(prio, fmt, ap);
		return;
	}
	fprintf(stderr, "tipline: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

#define LOG_BODY(prio, prefix, min)				\
	va_list ap;						\
	if (cur_level < (min))					\
		return;						\
	va_start(ap, fmt);					\
	log_vwrite((prio), (prefix), fmt, ap);			\
	va_end(ap)

void log_err(const char *fmt, ...) { LOG_BODY(LOG_ERR, "error: ", LOG_LEVEL_QUIET); }
void log_warn(const char *fmt, ...) { LOG_BODY(LOG_WARNING, "warning: ", LOG_LEVEL_NORMAL); }
void log_info(const char *fmt, ...) { LOG_BODY(LOG_NOTICE, "", LOG_LEVEL_NORMAL); }
void log_debug(const char *fmt, ...) { LOG_BODY(LOG_DEBUG, "debug: ", LOG_LEVEL_DEBUG); }
