/* cmd-stats.c - stub: replaced by its owner. */
#include "commands.h"
#include "log.h"

tl_status
cmd_stats(tl_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	log_err("stats: not implemented yet");
	return TL_SOFTWARE;
}
