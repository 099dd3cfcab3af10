/* mime-ctx.c - the state of one parse shared by the walk, the envelope
 * and the attachments (see mime-ctx-priv.h). */
#include "mime-ctx-priv.h"

#define WARN_MAX	200

void
mime_ctx_warn(msg_submission *sub, char *msg)
{
	if (sub->warnings->len < WARN_MAX)
		g_ptr_array_add(sub->warnings, msg);
	else
		g_free(msg);
}
