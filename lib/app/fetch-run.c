/* fetch-run.c - the error helpers shared by the modules of a fetch run
 * (see fetch-run-priv.h). */
#include <stdarg.h>

#include "fetch-run-priv.h"

/* Replace *errmsg (if not already set) with a formatted message. */
void
fetch_set_err(char **errmsg, const char *fmt, ...)
{
	va_list ap;

	if (*errmsg != NULL)
		return;
	va_start(ap, fmt);
	*errmsg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
}

/* Remember a failed IMAP call: TL_TEMPFAIL means the session is dead. */
tl_status
fetch_net(fetch_run *r, tl_status rc)
{
	if (rc == TL_TEMPFAIL)
		r->net_failed = 1;
	return rc;
}
