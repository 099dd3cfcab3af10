/* cmd-search.c - stub: replaced by its owner. */
#include "commands.h"
#include "log.h"

tl_status
cmd_search(tl_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	log_err("search: not implemented yet");
	return TL_SOFTWARE;
}
