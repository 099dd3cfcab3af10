/* cmd-fetch.c - stub: replaced by its owner. */
#include "commands.h"
#include "log.h"

tl_status
cmd_fetch(tl_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	log_err("fetch: not implemented yet");
	return TL_SOFTWARE;
}
