/* mbox.c - split an mbox file into spool files, one message at a time.
 *
 * Not GMime's mbox parser: given a body line "From ..." that its writer
 * did not escape, GMime stops finding separators and merges every later
 * message into one. Here a separator is a "From " line that follows a
 * blank line (or starts the file) and carries an envelope date, as mutt's
 * is_from() demands; when the file's own first line has no such date (an
 * unusual writer), any "From " line after a blank line separates.
 *
 * A "From " line inside a message whose MIME structure is still open (a
 * multipart boundary not yet closed) needs a decision: a git patch
 * attached to a tip starts with "From <sha> Mon Sep 17 00:00:00 2001"
 * after the part's blank line, and splitting there cut the tip in two;
 * but never splitting let one truncated multipart swallow every later
 * message of the file.  So:
 *  - a git patch line (that fixed date, which no mail writer puts on a
 *    separator) is content; so it is outside MIME too (a patch pasted
 *    into a tip's text) unless the file's first separator is one (an
 *    mbox written by git format-patch --stdout);
 *  - any other candidate is followed ahead (a second read of the input,
 *    then a seek back; nothing is held in memory) to the next candidate
 *    that is not a git patch line, or the end of the file.  When no
 *    delimiter or close delimiter of an open multipart occurs on the way,
 *    the multipart cannot close before that point: the message is
 *    truncated and a new one starts here.  When one does occur, the line
 *    is content (a From line in an attachment looks just like that).
 * Judgements are flagged (the callback's note): a message cut while
 * still open; a non-git "From " line kept as content (a truncated
 * message followed by one that reuses its boundary string reads exactly
 * like that); git patch lines in a multipart that never closes.  The
 * look-ahead reads each stretch between candidates at most once more.
 * The splitter follows the boundaries of every header block it meets
 * (message, part, message/rfc822 inside a part) with GMime's Content-Type
 * parser; a header block is kept up to HDR_MAX bytes for that.
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

#include <gmime/gmime.h>

#include "message.h"
#include "util.h"

#define HEAD_MAX 256
#define HDR_MAX (64 * 1024)	/* header block kept to find a boundary */
#define BOUNDS_MAX 64		/* open multiparts followed */

typedef struct {
	FILE *in;
	spool_pool *pool;	/* the caller's: spool files come from it and
				 * go back to it */
	GRegex *envelope;	/* NULL: loose mode */
	FILE *out;		/* current message, or NULL before the first */
	char *out_path;
	gboolean out_reused;	/* out_path held an earlier message: cut it
				 * to this one */
	int pending_blank;	/* a blank line held back: it may be the
				 * separator's, not the message's */
	char blank[3];		/* "\n" or "\r\n" */
	int index;
	/* MIME structure of the current message */
	gboolean in_header;	/* in a header block (message or part) */
	GString *hdr;		/* that block, up to HDR_MAX */
	GPtrArray *bounds;	/* open "--boundary" strings, outermost
				 * first */
	int kept;		/* git "From " lines kept inside open MIME */
	gint64 kept_line;	/* the first of them */
	int judged;		/* other "From " lines kept there, because
				 * the open boundary occurs again */
	gint64 judged_line;	/* the first of them */
	gint64 cut_line;	/* the message ends at a "From " line
				 * inside open MIME (truncated), or 0 */
	int seps;		/* separators met so far */
	gboolean git_series;	/* the file's first separator is a git
				 * patch line (git format-patch --stdout) */
	int git_body;		/* git "From " lines kept outside MIME,
				 * in a file whose separators are a mail
				 * writer's */
	gint64 git_body_line;	/* the first of them */
	gint64 line_no;		/* line number in the mbox, from 1 */
	gboolean seek_failed;	/* the look-ahead could not seek back */
	mbox_message_cb cb;
	void *user;
	char **errmsg;
} splitter;

static void mime_reset(splitter *sp);

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
mbox_is_from_line(const char *head, size_t n)
{
	size_t j = 5;

	if (n < 5 || memcmp(head, "From ", 5) != 0)
		return FALSE;
	while (j < n && (head[j] == ' ' || head[j] == '\t'))
		j++;
	return j >= n || head[j] != ':';
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
	return mbox_is_from_line(head + i, (size_t)n - i);
}

gboolean
mbox_is_mail(const char *path)
{
	char head[512];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	size_t i, name;

	if (fd < 0)
		return FALSE;
	n = read(fd, head, sizeof head);
	close(fd);
	if (n <= 0)
		return FALSE;
	/* An mbox may start with a BOM and blank lines (QA F37); a message
	 * may not: a blank first line would end an empty header. */
	i = lead_skip(head, (size_t)n);
	if (mbox_is_from_line(head + i, (size_t)n - i))
		return TRUE;
	i = 0;
	for (name = i; name < (size_t)n && head[name] > ' ' &&
	     head[name] < 127 && head[name] != ':'; name++)
		;
	if (name == i)
		return FALSE;
	while (name < (size_t)n && (head[name] == ' ' || head[name] == '\t'))
		name++;
	return name < (size_t)n && head[name] == ':';
}

static tl_status
out_fail(splitter *sp, const char *what)
{
	if (*sp->errmsg == NULL)
		*sp->errmsg = g_strdup_printf("%s: %s", what,
					      g_strerror(errno));
	return TL_TEMPFAIL;
}

/* The warning for a message whose split was a judgement (see the top),
 * or NULL. */
static char *
message_note(const splitter *sp)
{
	GString *s = g_string_new(NULL);

	if (sp->cut_line > 0)
		g_string_append_printf(s, "mbox: the MIME structure is still "
		    "open at the \"From \" line at line %" G_GINT64_FORMAT
		    " and its boundary does not occur again before the next "
		    "one or the end of the file: the message is truncated, "
		    "cut there", sp->cut_line);
	if (sp->judged > 0)
		g_string_append_printf(s, "%smbox: %d \"From \" line(s) "
		    "inside an open MIME part (the first at line %"
		    G_GINT64_FORMAT ") kept as content, not split, because "
		    "the part's boundary occurs again after it; this may hold "
		    "more than one message", s->len > 0 ? "; " : "",
		    sp->judged, sp->judged_line);
	/* git patch lines inside a multipart that closed later were
	 * content for sure; if it never closes, this may be two messages. */
	if (sp->kept > 0 && sp->bounds->len > 0 && sp->cut_line == 0)
		g_string_append_printf(s, "%smbox: %d git patch \"From \" "
		    "line(s) inside an open MIME part (the first at line %"
		    G_GINT64_FORMAT ") kept as content, not split; the MIME "
		    "structure never closes, so this may hold more than one "
		    "message", s->len > 0 ? "; " : "", sp->kept,
		    sp->kept_line);
	if (sp->git_body > 0)
		g_string_append_printf(s, "%smbox: %d git patch \"From \" "
		    "line(s) (the first at line %" G_GINT64_FORMAT ") kept "
		    "as content, not split: the other separators of this "
		    "file are a mail writer's, and only git writes that "
		    "date; if they were meant as separate messages, import "
		    "them apart", s->len > 0 ? "; " : "", sp->git_body,
		    sp->git_body_line);
	return g_string_free(s, s->len == 0);
}

/* Finish the current message: close its spool file, hand it over, and
 * give it back to the pool (whatever the callback returned). */
static tl_status
message_end(splitter *sp)
{
	char *path = sp->out_path, *note = NULL;
	tl_status rc = TL_OK;
	off_t len;

	if (sp->out == NULL)
		return TL_OK;
	sp->pending_blank = 0;	/* the separator's blank line */
	/* A file used again may hold more of an earlier message: cut it to
	 * this one before the callback reads it (to its length, not to zero
	 * first: ext4 flushes a file cut to zero at close). */
	if (fflush(sp->out) != 0 ||
	    (sp->out_reused && ((len = ftello(sp->out)) < 0 ||
				ftruncate(fileno(sp->out), len) != 0)))
		rc = out_fail(sp, path);
	if (fclose(sp->out) != 0 && rc == TL_OK)
		rc = out_fail(sp, path);
	sp->out = NULL;
	sp->out_path = NULL;
	if (rc == TL_OK) {
		note = message_note(sp);
		mime_reset(sp);
		rc = sp->cb(path, ++sp->index, note, sp->user);
		g_free(note);
	}
	spool_pool_give(sp->pool, path);
	return rc;
}

/* The next message's spool file: one the pool kept (written from its
 * start, so fdopen's "w" needs no O_TRUNC), or a new one. */
static tl_status
message_begin(splitter *sp)
{
	int fd = spool_pool_take(sp->pool, &sp->out_path, &sp->out_reused);

	if (fd < 0 || (sp->out = fdopen(fd, "w")) == NULL) {
		tl_status rc = out_fail(sp, spool_pool_dir(sp->pool));

		if (fd >= 0)
			close(fd);
		spool_pool_give(sp->pool, sp->out_path);
		sp->out_path = NULL;
		return rc;
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

/* A new message starts with its header block and no open multipart. */
static void
mime_reset(splitter *sp)
{
	sp->in_header = TRUE;
	g_string_truncate(sp->hdr, 0);
	g_ptr_array_set_size(sp->bounds, 0);
	sp->kept = 0;
	sp->kept_line = 0;
	sp->judged = 0;
	sp->judged_line = 0;
	sp->cut_line = 0;
	sp->git_body = 0;
	sp->git_body_line = 0;
}

/* The end of a header block: a multipart opens its boundary; a
 * message/rfc822 part's content starts with another header block. */
static void
mime_header_end(splitter *sp)
{
	GMimeContentType *ct = NULL;
	const char *b;
	char *v = NULL, *p = sp->hdr->str;

	sp->in_header = FALSE;
	/* Find the Content-Type field (unfolded by GMime's helper). */
	while (p != NULL && *p != '\0') {
		if (g_ascii_strncasecmp(p, "Content-Type:", 13) == 0) {
			const char *e = p + 13;

			/* the field runs on over continuation lines */
			while ((e = strchr(e, '\n')) != NULL &&
			       (e[1] == ' ' || e[1] == '\t'))
				e++;
			v = g_strndup(p + 13, e != NULL ? (size_t)(e - p - 13) :
				      strlen(p + 13));
			break;
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	g_string_truncate(sp->hdr, 0);
	if (v == NULL)
		return;
	{
		char *u = g_mime_utils_header_unfold(v);

		ct = g_mime_content_type_parse(NULL, u);
		g_free(u);
	}
	if (ct != NULL && g_mime_content_type_is_type(ct, "multipart", "*") &&
	    (b = g_mime_content_type_get_parameter(ct, "boundary")) != NULL &&
	    *b != '\0' && sp->bounds->len < BOUNDS_MAX)
		g_ptr_array_add(sp->bounds, g_strconcat("--", b, NULL));
	else if (ct != NULL && sp->bounds->len > 0 &&
		 g_mime_content_type_is_type(ct, "message", "rfc822"))
		sp->in_header = TRUE;
	if (ct != NULL)
		g_object_unref(ct);
	g_free(v);
}

/* Is LINE (NUL-terminated) a delimiter (1) or close delimiter (2) of an
 * open multipart, the innermost that matches at *AT; 0 when not. */
static int
bound_match(const splitter *sp, const char *line, guint *at)
{
	if (line[0] != '-' || line[1] != '-')
		return 0;
	for (guint i = sp->bounds->len; i > 0; i--) {
		const char *b = g_ptr_array_index(sp->bounds, i - 1);
		size_t n = strlen(b);
		const char *rest = line + n;

		if (strncmp(line, b, n) != 0)
			continue;
		*at = i - 1;
		if (rest[0] == '-' && rest[1] == '-')
			return 2;
		while (*rest == ' ' || *rest == '\t')
			rest++;
		if (*rest != '\r' && *rest != '\n' && *rest != '\0')
			continue;	/* a longer boundary */
		return 1;
	}
	return 0;
}

/* A body line (its first HEAD_MAX bytes, NUL-terminated): a delimiter of
 * an open multipart starts a part's header block; a close delimiter ends
 * that multipart and any inside it (RFC 2046 section 5.1.1). */
static void
mime_body_line(splitter *sp, const char *line)
{
	guint i;

	switch (bound_match(sp, line, &i)) {
	case 2:
		g_ptr_array_set_size(sp->bounds, i);
		break;
	case 1:
		g_ptr_array_set_size(sp->bounds, i + 1);
		sp->in_header = TRUE;
		g_string_truncate(sp->hdr, 0);
		break;
	}
}

/* Follow the MIME structure over one line of the current message: HEAD
 * is its start (NUL-terminated), LEN bytes; BLANK when it is empty. */
static void
mime_line(splitter *sp, const char *head, size_t len, int blank)
{
	if (!sp->in_header) {
		mime_body_line(sp, head);
		return;
	}
	if (blank) {
		mime_header_end(sp);
		return;
	}
	if (sp->hdr->len + len <= HDR_MAX)
		g_string_append_len(sp->hdr, head, len);
}

/* A "From " line after a blank line, with an envelope date unless in
 * loose mode: a separator outside open MIME. */
static int
is_candidate(const splitter *sp, const char *line, int prev_blank)
{
	return prev_blank && mbox_is_from_line(line, strlen(line)) &&
	    (sp->envelope == NULL || g_regex_match(sp->envelope, line, 0,
						   NULL));
}

/* git format-patch's own first line: "From <40 hex> Mon Sep 17 00:00:00
 * 2001", a fixed date no mail writer puts on a separator. */
static int
is_git_from(const char *line)
{
	static const char date[] = " Mon Sep 17 00:00:00 2001";
	size_t i;

	for (i = 5; i < 45; i++)
		if (!g_ascii_isxdigit(line[i]))
			return 0;
	return strncmp(line + i, date, sizeof date - 1) == 0 &&
	    strspn(line + i + sizeof date - 1, "\r\n") ==
	    strlen(line + i + sizeof date - 1);
}

/* From just after a candidate line, read ahead to the next candidate (git
 * patch lines do not count: they are content) or the end of the file: is
 * there a delimiter of an open multipart on the way (1) or not (0)? The
 * input is put back where it was; -1 when it cannot be (reading stops). */
static int
bound_ahead(splitter *sp)
{
	char head[HEAD_MAX + 1];
	off_t off = ftello(sp->in);
	int prev_blank = 0, found = 0, c = 0;
	guint at;

	if (off < 0)
		return -1;
	while (!found && c != EOF) {
		size_t n = 0;

		while (n < HEAD_MAX && (c = getc_unlocked(sp->in)) != EOF &&
		       (head[n++] = (char)c) != '\n')
			;
		head[n] = '\0';
		if (n == 0)
			break;
		if (c == '\n' && is_candidate(sp, head, prev_blank) &&
		    !is_git_from(head))
			break;
		found = bound_match(sp, head, &at) != 0;
		prev_blank = c == '\n' && (strcmp(head, "\n") == 0 ||
					   strcmp(head, "\r\n") == 0);
		while (c != '\n' && c != EOF)	/* the rest of a long line */
			c = getc_unlocked(sp->in);
	}
	if (ferror(sp->in) || fseeko(sp->in, off, SEEK_SET) != 0) {
		sp->seek_failed = TRUE;
		return -1;
	}
	return found;
}

/* Does this line (complete) start a new message? Inside an open multipart
 * a candidate splits only when the multipart can never close (see the
 * top). */
static int
is_separator(splitter *sp, const char *line, int prev_blank)
{
	if (!is_candidate(sp, line, prev_blank))
		return 0;
	if (sp->seps++ == 0)
		sp->git_series = is_git_from(line);
	/* A git patch pasted into a tip's text: the same line, but in a
	 * file whose separators carry a mail writer's dates it is content
	 * (issue 9 item 1, outside MIME as inside). */
	if (sp->out != NULL && !sp->git_series && is_git_from(line)) {
		sp->seps--;
		if (sp->bounds->len == 0) {
			if (sp->git_body++ == 0)
				sp->git_body_line = sp->line_no;
			return 0;
		}
	}
	if (sp->out == NULL || sp->bounds->len == 0)
		return 1;
	if (is_git_from(line)) {
		if (sp->kept++ == 0)
			sp->kept_line = sp->line_no;
		return 0;
	}
	switch (bound_ahead(sp)) {
	case 0:
		sp->cut_line = sp->line_no;
		return 1;
	case 1:
		if (sp->judged++ == 0)
			sp->judged_line = sp->line_no;
		return 0;
	default:
		return 0;	/* reading stops (seek_failed) */
	}
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
	mime_line(sp, head, len, blank);
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

	while (rc == TL_OK && !sp->seek_failed &&
	       (c = getc_unlocked(sp->in)) != EOF) {
		head[n++] = (char)c;
		if (c != '\n' && n < HEAD_MAX)
			continue;
		head[n] = '\0';
		sp->line_no++;
		rc = line_head(sp, head, n, c == '\n', &prev_blank);
		if (c != '\n' && rc == TL_OK) {
			/* A long line: copy the rest through (a long header
			 * line is still followed for its boundary). */
			while (rc == TL_OK &&
			       (c = getc_unlocked(sp->in)) != EOF) {
				char ch = (char)c;

				rc = put(sp, &ch, 1);
				if (sp->in_header && sp->hdr->len < HDR_MAX)
					g_string_append_c(sp->hdr, ch);
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
	if (rc == TL_OK && (ferror(sp->in) || sp->seek_failed))
		rc = TL_NOINPUT;
	return rc;
}

tl_status
mbox_split(const char *path, spool_pool *pool, mbox_message_cb cb,
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
	sp.pool = pool;
	sp.hdr = g_string_new(NULL);
	sp.bounds = g_ptr_array_new_with_free_func(g_free);
	mime_reset(&sp);
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
		/* a message cut short: the pool removes it, or writes the
		 * next message over it (cut to that one) */
		fclose(sp.out);
		spool_pool_give(sp.pool, sp.out_path);
	}
	if (rc == TL_NOINPUT && *errmsg == NULL)
		*errmsg = g_strdup_printf("%s: read error", path);
	if (sp.envelope != NULL)
		g_regex_unref(sp.envelope);
	g_string_free(sp.hdr, TRUE);
	g_ptr_array_unref(sp.bounds);
	fclose(sp.in);
	return rc;
}
