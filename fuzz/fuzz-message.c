/* fuzz-message.c - libFuzzer target for the parse entry point,
 * message_parse_file() (src/message.h), and for message_part_write() on
 * every attachment it reports: the way tipline reads untrusted mail.
 *
 * The parser takes a path (it streams a seekable file with GMime), so each
 * input is written to one temporary file, reused for the whole run.  Built
 * and run by fuzz/run.sh; see docs/dev/fuzz-findings.md for results.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib.h>

#include "log.h"
#include "message.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *path;
static int null_fd = -1;

static void
remove_file(void)
{
	if (path != NULL)
		unlink(path);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd;

	(void)argc;
	(void)argv;
	/* Parser warnings are expected on garbage; keep the log quiet. */
	log_open(LOG_LEVEL_QUIET, 0);
	message_init();
	path = g_build_filename(g_get_tmp_dir(), "tipline-fuzz-XXXXXX.eml",
				NULL);
	fd = g_mkstemp(path);
	if (fd < 0) {
		perror("fuzz-message: mkstemp");
		abort();
	}
	close(fd);
	atexit(remove_file);
	null_fd = open("/dev/null", O_WRONLY);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	msg_submission *sub = NULL;
	char *err = NULL;
	int fd;

	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0 || (size > 0 && write(fd, data, size) != (ssize_t)size))
		abort();
	close(fd);
	if (message_parse_file(path, NULL, &sub, &err) == TL_OK &&
	    sub != NULL) {
		(void)message_initial_status(sub);
		for (guint i = 0; sub->attachments != NULL &&
		    i < sub->attachments->len && i < 64; i++) {
			msg_attachment *a = g_ptr_array_index(sub->attachments,
							      i);
			char *perr = NULL;

			if (a->part_path != NULL)
				(void)message_part_write(path, a->part_path,
							 null_fd, &perr);
			g_free(perr);
		}
	}
	message_free(sub);
	g_free(err);
	return 0;
}
