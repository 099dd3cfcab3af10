/* cmd-backup.c - `tipline backup FILE`: a consistent copy of the database
 * while fetch and editors keep working; how it is made safe and atomic is
 * store_backup()'s business (store.h). */
#include <stdio.h>

#include "commands.h"
#include "util.h"

tl_status
cmd_backup(tl_ctx *ctx, int argc, char **argv)
{
	store_backup_info info;
	char *err = NULL, *size = NULL;
	tl_status rc;
	int done = 0;

	rc = cmd_parse_options("backup", "FILE",
	    "Write a consistent copy of the database to FILE while fetch and "
	    "editors keep working, and the originals kept as files to "
	    "FILE.originals/.  An earlier backup at FILE is replaced "
	    "atomically; any other existing file is refused.",
	    NULL, &argc, &argv, 1, 1, &done);
	if (rc != TL_OK || done)
		return rc;
	rc = store_backup(ctx->st, argv[1], &info, &err);
	if (rc != TL_OK) {
		cmd_err("backup", "%s", err);
		goto out;
	}
	size = g_format_size((guint64)info.bytes);
	printf("%s: %" G_GINT64_FORMAT " pages, %s, quick_check ok\n",
	       argv[1], info.pages, size);
	/* The backup is the database and this folder together. */
	if (info.files > 0) {
		g_free(size);
		size = g_format_size((guint64)info.file_bytes);
		printf("%s.originals/: %" G_GINT64_FORMAT " original(s) as "
		       "files, %s, each checked against its hash\n", argv[1],
		       info.files, size);
	}
out:
	g_free(err);
	g_free(size);
	return rc;
}
