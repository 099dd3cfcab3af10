/* cmd-show.c - stub: replaced by its owner. */
#include "commands.h"
#include "log.h"

tl_status
cmd_show(tl_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	log_err("show: not implemented yet");
	return TL_SOFTWARE;
}
