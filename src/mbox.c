/* mbox.c - mbox splitting with GMime's parser. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "mbox.h"

#define CHUNK (64 * 1024)

gboolean
mbox_is_mbox(const char *path)
{
	char head[5];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return FALSE;
	n = read(fd, head, sizeof head);
	close(fd);
	return n == 5 && memcmp(head, "From ", 5) == 0;
}

/* Copy [begin, end) of FD into a new spool file; drop one trailing LF
 * (or CRLF) when the range ends in a blank line, the mbox separator. */
static tl_status
copy_range(int fd, gint64 begin, gint64 end, const char *spool_dir,
	   char **out, char **errmsg)
{
	char *path = g_build_filename(spool_dir, "tipline-mbox-XXXXXX", NULL);
	char *buf = g_malloc(CHUNK);
	char tail[4] = { 0 };
	tl_status rc = TL_OK;
	int ofd;

	if (end - begin >= 2 && pread(fd, tail + 2, 2, end - 2) == 2 &&
	    tail[2] == '\n' && tail[3] == '\n')
		end--;
	else if (end - begin >= 4 && pread(fd, tail, 4, end - 4) == 4 &&
		 memcmp(tail, "\r\n\r\n", 4) == 0)
		end -= 2;
	ofd = g_mkstemp_full(path, O_WRONLY | O_CLOEXEC, 0600);
	if (ofd < 0) {
		*errmsg = g_strdup_printf("%s: %s", spool_dir,
					  g_strerror(errno));
		rc = TL_TEMPFAIL;
		goto out;
	}
	for (gint64 off = begin; off < end;) {
		ssize_t n = pread(fd, buf, MIN(CHUNK, end - off), off);

		if (n <= 0 || write(ofd, buf, n) != n) {
			*errmsg = g_strdup_printf("%s: %s", path, n < 0 ?
				g_strerror(errno) : "short write or read");
			rc = TL_TEMPFAIL;
			break;
		}
		off += n;
	}
	if (close(ofd) != 0 && rc == TL_OK) {
		*errmsg = g_strdup_printf("%s: %s", path, g_strerror(errno));
		rc = TL_TEMPFAIL;
	}
	if (rc != TL_OK)
		unlink(path);
out:
	g_free(buf);
	if (rc == TL_OK)
		*out = path;
	else
		g_free(path);
	return rc;
}

tl_status
mbox_split(const char *path, const char *spool_dir, mbox_message_cb cb,
	   void *user, char **errmsg)
{
	GMimeStream *stream = NULL;
	GMimeParser *parser = NULL;
	gint64 begin = -1, size;
	tl_status rc = TL_OK;
	int fd, index = 0, rfd = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*errmsg = g_strdup_printf("%s: %s", path, g_strerror(errno));
		return TL_NOINPUT;
	}
	rfd = dup(fd);
	size = lseek(fd, 0, SEEK_END);
	lseek(fd, 0, SEEK_SET);
	stream = g_mime_stream_fs_new(fd);	/* owns fd */
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MBOX);
	/* Each message starts after its "From " line; it ends where the next
	 * "From " line starts, or at the end of the file. */
	while (rc == TL_OK && !g_mime_parser_eos(parser)) {
		GMimeMessage *m = g_mime_parser_construct_message(parser, NULL);
		gint64 marker;

		if (m == NULL)
			break;
		marker = g_mime_parser_get_mbox_marker_offset(parser);
		if (begin >= 0) {
			char *spool = NULL;

			rc = copy_range(rfd, begin, marker, spool_dir, &spool,
					errmsg);
			if (rc == TL_OK)
				rc = cb(spool, ++index, user);
			g_free(spool);
		}
		begin = g_mime_parser_get_headers_begin(parser);
		g_object_unref(m);
	}
	if (rc == TL_OK && begin >= 0) {
		char *spool = NULL;

		rc = copy_range(rfd, begin, size, spool_dir, &spool, errmsg);
		if (rc == TL_OK)
			rc = cb(spool, ++index, user);
		g_free(spool);
	}
	g_object_unref(parser);
	g_object_unref(stream);
	close(rfd);
	return rc;
}
