/* mbox.c - split an mbox file into spool files, one per message.
 *
 * Not GMime's mbox parser: given a body line "From ..." that its writer
 * did not escape, GMime stops finding separators and merges every later
 * message into one. Here a separator is a "From " line that follows a
 * blank line (or starts the file) and carries an envelope date, as mutt's
 * is_from() demands; when the file's own first line has no such date (an
 * unusual writer), any "From " line after a blank line separates.
 *
 * ">From " lines are unescaped (mboxrd: one '>' removed), so the stored
 * original is what the reader sent and an import meets a later IMAP fetch
 * of the same message on the content hash. Lines are examined only up to
 * HEAD_MAX bytes; longer lines are copied through, so memory stays fixed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mbox.h"
#include "safefile.h"

#define HEAD_MAX 256

typedef struct {
	FILE *in;
	const char *spool_dir;
	GRegex *envelope;	/* NULL: loose mode */
	FILE *out;		/* current message, or NULL before the first */
	char *out_path;
	int pending_blank;	/* a blank line held back: it may be the
				 * separator's, not the message's */
	char blank[3];		/* "\n" or "\r\n" */
	int index;
	mbox_message_cb cb;
	void *user;
	char **errmsg;
} splitter;

/* Skip what some writers put before the first "From " line: a UTF-8 byte
 * order mark and blank lines (QA F37). Returns the offset of the first
 * other byte in BUF (N bytes). */
static size_t
lead_skip(const char *buf, size_t n)
{
	size_t i = 0;

	if (n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n && (buf[i] == '\n' || buf[i] == '\r'))
		i++;
	return i;
}

gboolean
mbox_is_mbox(const char *path)
{
	char head[512];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	size_t i;

	if (fd < 0)
		return FALSE;
	n = read(fd, head, sizeof head);
	close(fd);
	if (n <= 0)
		return FALSE;
	i = lead_skip(head, (size_t)n);
	return (size_t)n - i >= 5 && memcmp(head + i, "From ", 5) == 0;
}

static tl_status
out_fail(splitter *sp, const char *what)
{
	if (*sp->errmsg == NULL)
		*sp->errmsg = g_strdup_printf("%s: %s", what,
					      g_strerror(errno));
	return TL_TEMPFAIL;
}

/* Finish the current message: close its spool file, hand it over. */
static tl_status
message_end(splitter *sp)
{
	char *path = sp->out_path;
	tl_status rc;

	if (sp->out == NULL)
		return TL_OK;
	sp->pending_blank = 0;	/* the separator's blank line */
	if (fclose(sp->out) != 0) {
		sp->out = NULL;
		unlink(path);
		rc = out_fail(sp, path);
		g_free(path);
		sp->out_path = NULL;
		return rc;
	}
	sp->out = NULL;
	sp->out_path = NULL;
	rc = sp->cb(path, ++sp->index, sp->user);
	g_free(path);
	return rc;
}

static tl_status
message_begin(splitter *sp)
{
	int fd;

	sp->out_path = g_build_filename(sp->spool_dir, "tipline-mbox-XXXXXX",
					NULL);
	fd = safefile_mkstemp(sp->out_path, O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0 || (sp->out = fdopen(fd, "w")) == NULL) {
		if (fd >= 0)
			close(fd);
		g_free(sp->out_path);
		sp->out_path = NULL;
		return out_fail(sp, sp->spool_dir);
	}
	return TL_OK;
}

static tl_status
put(splitter *sp, const char *buf, size_t len)
{
	if (sp->out == NULL && message_begin(sp) != TL_OK)
		return TL_TEMPFAIL;
	if (sp->pending_blank) {
		sp->pending_blank = 0;
		if (fputs(sp->blank, sp->out) == EOF)
			return out_fail(sp, sp->out_path);
	}
	if (len > 0 && fwrite(buf, 1, len, sp->out) != len)
		return out_fail(sp, sp->out_path);
	return TL_OK;
}

static int
is_separator(splitter *sp, const char *line, int prev_blank)
{
	if (strncmp(line, "From ", 5) != 0 || !prev_blank)
		return 0;
	return sp->envelope == NULL ||
	       g_regex_match(sp->envelope, line, 0, NULL);
}

/* One line head (NUL-terminated, at most HEAD_MAX bytes; complete says
 * whether it holds the whole line, newline included). */
static tl_status
line_head(splitter *sp, char *head, size_t len, int complete,
	  int *prev_blank)
{
	int blank = complete && (strcmp(head, "\n") == 0 ||
				 strcmp(head, "\r\n") == 0);
	const char *p = head;
	tl_status rc;

	if (complete && is_separator(sp, head, *prev_blank)) {
		*prev_blank = 0;
		return message_end(sp);
	}
	*prev_blank = blank;
	if (blank && sp->out == NULL)
		return TL_OK;	/* before the first separator */
	if (blank) {
		if (sp->pending_blank && (rc = put(sp, NULL, 0)) != TL_OK)
			return rc;
		if (sp->out == NULL && (rc = message_begin(sp)) != TL_OK)
			return rc;
		sp->pending_blank = 1;
		g_strlcpy(sp->blank, head, sizeof sp->blank);
		return TL_OK;
	}
	/* mboxrd: ">From ", ">>From " ... lose one '>' */
	while (*p == '>')
		p++;
	if (p > head && strncmp(p, "From ", 5) == 0) {
		head++;
		len--;
	}
	return put(sp, head, len);
}

static tl_status
split(splitter *sp)
{
	char head[HEAD_MAX + 1];
	int prev_blank = 1, c;	/* the file's first line may separate */
	size_t n = 0;
	tl_status rc = TL_OK;

	while (rc == TL_OK && (c = getc_unlocked(sp->in)) != EOF) {
		head[n++] = (char)c;
		if (c != '\n' && n < HEAD_MAX)
			continue;
		head[n] = '\0';
		rc = line_head(sp, head, n, c == '\n', &prev_blank);
		if (c != '\n' && rc == TL_OK) {
			/* A long line: copy the rest through. */
			while (rc == TL_OK &&
			       (c = getc_unlocked(sp->in)) != EOF) {
				char ch = (char)c;

				rc = put(sp, &ch, 1);
				if (c == '\n')
					break;
			}
			prev_blank = 0;
		}
		n = 0;
	}
	if (rc == TL_OK && n > 0) {
		head[n] = '\0';
		rc = line_head(sp, head, n, 0, &prev_blank);
	}
	if (rc == TL_OK && ferror(sp->in))
		rc = TL_NOINPUT;
	return rc;
}

tl_status
mbox_split(const char *path, const char *spool_dir, mbox_message_cb cb,
	   void *user, char **errmsg)
{
	splitter sp = { 0 };
	char first[HEAD_MAX];
	tl_status rc;

	sp.in = fopen(path, "re");
	if (sp.in == NULL) {
		*errmsg = g_strdup_printf("%s: %s", path, g_strerror(errno));
		return TL_NOINPUT;
	}
	sp.spool_dir = spool_dir;
	sp.cb = cb;
	sp.user = user;
	sp.errmsg = errmsg;
	sp.envelope = g_regex_new("^From \\S+ +(Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
		" +(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\\d{1,2}"
		" +\\d{1,2}:\\d\\d", G_REGEX_OPTIMIZE, 0, NULL);
	while (fgets(first, sizeof first, sp.in) != NULL &&
	       first[lead_skip(first, strlen(first))] == '\0')
		;	/* blank lines (and a BOM) before the first separator */
	if (feof(sp.in) || !g_regex_match(sp.envelope,
	    first + lead_skip(first, strlen(first)), 0, NULL)) {
		g_regex_unref(sp.envelope);
		sp.envelope = NULL;
	}
	rewind(sp.in);
	/* A byte order mark before the first "From " line is no content. */
	if (fread(first, 1, 3, sp.in) != 3 ||
	    memcmp(first, "\xef\xbb\xbf", 3) != 0)
		rewind(sp.in);
	rc = split(&sp);
	if (rc == TL_OK)
		rc = message_end(&sp);
	if (sp.out != NULL) {
		fclose(sp.out);
		unlink(sp.out_path);
		g_free(sp.out_path);
	}
	if (rc == TL_NOINPUT && *errmsg == NULL)
		*errmsg = g_strdup_printf("%s: read error", path);
	if (sp.envelope != NULL)
		g_regex_unref(sp.envelope);
	fclose(sp.in);
	return rc;
}
