/* fuzz-message.c - libFuzzer target for the parse entry point,
 * message_parse_file() (src/message.h), and for message_part_write() on
 * every attachment it reports: the way tipline reads untrusted mail.  Every
 * string the parser produced also goes through the one place tipline
 * emits JSON (detail_json_string), and the result must be valid JSON:
 * strict UTF-8, no raw control character, accepted by json-glib's parser
 * (issue 9 section 4 item 4: json-glib 1.6 wrote U+001F raw).
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

#include <json-glib/json-glib.h>

#include "store.h"
#include "util.h"
#include "message.h"
#include "emit.h"

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

/* Abort unless every string of SUB, emitted as tipline emits JSON (the
 * JSON emitter of src/emit-json.c), makes valid JSON (RFC 8259 section 7:
 * control characters escaped). */
static void
json_check(const msg_submission *sub)
{
	JsonParser *p = json_parser_new();

	for (int pretty = 0; pretty < 2; pretty++) {
		emitter *e = emit_json_new(pretty);
		char *s;

		emit_begin_map(e);
		emit_pair_str(e, "from_name", sub->from_name);
		emit_pair_str(e, "from_addr", sub->from_addr);
		emit_pair_str(e, "subject", sub->subject);
		emit_pair_str(e, "date_utc", sub->date_utc);
		emit_pair_str(e, "message_id", sub->message_id);
		emit_pair_str(e, "text", sub->text);
		emit_pair_str(e, "html", sub->html);
		emit_pair_str(e, "legacy_text", sub->legacy_text);
		emit_pair_str(e, "dsn_summary", sub->dsn_summary);
		emit_pair_str(e, "quarantine_reason", sub->quarantine_reason);
		emit_key(e, "warnings");
		emit_begin_list(e);
		for (guint i = 0; sub->warnings != NULL &&
		     i < sub->warnings->len; i++)
			emit_string(e, sub->warnings->pdata[i]);
		emit_end(e);
		emit_key(e, "attachments");
		emit_begin_list(e);
		for (guint i = 0; sub->attachments != NULL &&
		     i < sub->attachments->len; i++) {
			msg_attachment *a = sub->attachments->pdata[i];

			emit_begin_map(e);
			emit_pair_str(e, "filename", a->filename);
			emit_pair_str(e, "content_type", a->content_type);
			emit_end(e);
		}
		emit_end(e);
		emit_key(e, "forwarded");
		emit_begin_list(e);
		for (guint i = 0; sub->forwarded != NULL &&
		     i < sub->forwarded->len; i++) {
			msg_forwarded *f = sub->forwarded->pdata[i];

			emit_begin_map(e);
			emit_pair_str(e, "subject", f->subject);
			emit_pair_str(e, "text", f->text);
			emit_end(e);
		}
		emit_end(e);
		emit_end(e);
		s = emit_finish(e);
		if (!g_utf8_validate(s, -1, NULL))
			abort();
		for (const char *c = s; *c != '\0'; c++)
			if ((unsigned char)*c < 0x20 && *c != '\n')
				abort();
		if (!json_parser_load_from_data(p, s, -1, NULL))
			abort();
		g_free(s);
	}
	g_object_unref(p);
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
		json_check(sub);
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
