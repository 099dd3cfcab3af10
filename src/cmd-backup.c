/* cmd-backup.c - stub: replaced by its owner. */
#include "commands.h"
#include "log.h"

tl_status
cmd_backup(tl_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	log_err("backup: not implemented yet");
	return TL_SOFTWARE;
}
