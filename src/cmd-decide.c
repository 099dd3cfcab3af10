/* cmd-decide.c - stub: replaced by its owner. */
#include "commands.h"
#include "log.h"

tl_status
cmd_approve(tl_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	log_err("approve: not implemented yet");
	return TL_SOFTWARE;
}

tl_status
cmd_reject(tl_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	log_err("reject: not implemented yet");
	return TL_SOFTWARE;
}

tl_status
cmd_spam(tl_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	log_err("spam: not implemented yet");
	return TL_SOFTWARE;
}

tl_status
cmd_reopen(tl_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	log_err("reopen: not implemented yet");
	return TL_SOFTWARE;
}
