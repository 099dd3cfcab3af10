/* cmd-export.c - stub: replaced by its owner. */
#include "commands.h"
#include "log.h"

tl_status
cmd_export(tl_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	log_err("export: not implemented yet");
	return TL_SOFTWARE;
}
