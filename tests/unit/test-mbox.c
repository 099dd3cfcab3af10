/* test-mbox.c - mbox_split writes its messages into files of a spool
 * pool (util.h, spool): one file used again, each time holding exactly
 * its message (a longer one's tail cut off), a link planted in its place
 * refused, and every file the pool's again when the split ends, also
 * when it stops early.  Test 224 counts the files of a whole import.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "util.h"
#include "fixture-folder.h"
#include "message.h"

#define ENVELOPE "From reader.a@example.org Mon Jun  3 10:00:00 2024\n"

/* Sizes that go down and up, so a file used again for a shorter message
 * would show a longer one's tail if it were not cut. */
static const char *const msgs[] = {
	"From: Nguy\xe1\xbb\x85n V\xc4\x83n A <reader.a@example.org>\n"
	"Subject: long\n\nline one of a long tip\nline two of a long tip\n"
	"line three of a long tip\n",
	"Subject: short\n\nx\n",
	"Subject: middle\n\nline one of a middle tip\n",
	"Subject: s\n\n\n",
};

typedef struct {
	int calls;
	int stop_at;		/* return TL_DATA at this call, or 0 */
	gboolean plant;		/* replace the first file by a link */
	char *paths[G_N_ELEMENTS(msgs)];
} split_ctx;

/* An mbox of msgs[] in DIR; its path (g_free). */
static char *
write_mbox(const char *dir)
{
	GString *s = g_string_new(NULL);
	char *path = g_build_filename(dir, "in.mbox", NULL);

	for (guint i = 0; i < G_N_ELEMENTS(msgs); i++)
		g_string_append_printf(s, ENVELOPE "%s\n", msgs[i]);
	g_assert_true(g_file_set_contents(path, s->str, (gssize)s->len,
					  NULL));
	g_string_free(s, TRUE);
	return path;
}

/* The file holds the message, nothing more; remember its name. */
static tl_status
check_cb(const char *spool_path, int index, const char *note, void *user)
{
	split_ctx *c = user;
	char *got = NULL;
	gsize len = 0;

	g_assert_null(note);
	g_assert_cmpint(index, ==, ++c->calls);
	g_assert_true(g_file_get_contents(spool_path, &got, &len, NULL));
	g_assert_cmpstr(got, ==, msgs[index - 1]);
	g_assert_cmpuint(len, ==, strlen(msgs[index - 1]));
	g_free(got);
	c->paths[index - 1] = g_strdup(spool_path);
	if (c->plant && index == 1) {
		/* someone puts a link to another file in its place */
		g_assert_cmpint(unlink(spool_path), ==, 0);
		g_assert_cmpint(symlinkat("target", AT_FDCWD, spool_path), ==,
				0);
	}
	return index == c->stop_at ? TL_DATA : TL_OK;
}

static void
split_ctx_clear(split_ctx *c)
{
	for (guint i = 0; i < G_N_ELEMENTS(c->paths); i++)
		g_free(c->paths[i]);
}

/* Every message goes through one file, cut to each; the pool keeps it
 * after the split and removes it when freed. */
static void
test_pool_reuse(void)
{
	int dfd;
	char *dir = fixture_tmp_folder("tl-mbox-XXXXXX", &dfd);
	char *mbox = write_mbox(dir), *err = NULL;
	char *spool = g_build_filename(dir, "spool", NULL);
	spool_pool *p;
	split_ctx c = { 0 };
	int sfd;

	g_assert_cmpint(g_mkdir(spool, 0700), ==, 0);
	sfd = open(spool, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	p = spool_pool_new(spool, "tipline-mbox-");
	g_assert_cmpint(mbox_split(mbox, p, check_cb, &c, &err), ==, TL_OK);
	g_assert_null(err);
	g_assert_cmpint(c.calls, ==, (int)G_N_ELEMENTS(msgs));
	for (guint i = 1; i < G_N_ELEMENTS(msgs); i++)
		g_assert_cmpstr(c.paths[i], ==, c.paths[0]);
	g_assert_cmpint(fixture_entries(sfd), ==, 1);
	spool_pool_free(p);
	g_assert_cmpint(fixture_entries(sfd), ==, 0);
	close(sfd);
	split_ctx_clear(&c);
	g_free(mbox);
	g_free(spool);
	fixture_rm_tree(dir, dfd);
}

/* A link put where the kept file was is refused: the next message goes
 * into a new file, the link's target keeps its bytes, the link stays
 * (not the pool's to remove). */
static void
test_pool_link(void)
{
	int dfd, fd;
	char *dir = fixture_tmp_folder("tl-mbox-XXXXXX", &dfd);
	char *mbox = write_mbox(dir), *err = NULL;
	spool_pool *p = spool_pool_new(dir, "tipline-mbox-");
	split_ctx c = { .plant = TRUE };
	char buf[8] = { 0 };
	struct stat sb;

	fd = openat(dfd, "target", O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	g_assert_cmpint(write(fd, "keep", 4), ==, 4);
	close(fd);
	g_assert_cmpint(mbox_split(mbox, p, check_cb, &c, &err), ==, TL_OK);
	g_assert_cmpint(c.calls, ==, (int)G_N_ELEMENTS(msgs));
	g_assert_cmpstr(c.paths[1], !=, c.paths[0]);
	g_assert_cmpstr(c.paths[2], ==, c.paths[1]);
	fd = openat(dfd, "target", O_RDONLY | O_CLOEXEC);
	g_assert_cmpint(read(fd, buf, sizeof buf - 1), ==, 4);
	close(fd);
	g_assert_cmpstr(buf, ==, "keep");
	spool_pool_free(p);
	g_assert_cmpint(lstat(c.paths[0], &sb), ==, 0);
	g_assert_true(S_ISLNK(sb.st_mode));
	g_assert_cmpint(lstat(c.paths[1], &sb), ==, -1);
	g_assert_cmpint(errno, ==, ENOENT);
	/* in.mbox, target, the link */
	g_assert_cmpint(fixture_entries(dfd), ==, 3);
	split_ctx_clear(&c);
	g_free(mbox);
	fixture_rm_tree(dir, dfd);
}

/* A callback that fails stops the split with its status, and the file
 * is the pool's again: freeing the pool leaves nothing behind. */
static void
test_pool_stop(void)
{
	int dfd;
	char *dir = fixture_tmp_folder("tl-mbox-XXXXXX", &dfd);
	char *mbox = write_mbox(dir), *err = NULL;
	char *spool = g_build_filename(dir, "spool", NULL);
	spool_pool *p;
	split_ctx c = { .stop_at = 2 };
	int sfd;

	g_assert_cmpint(g_mkdir(spool, 0700), ==, 0);
	sfd = open(spool, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	p = spool_pool_new(spool, "tipline-mbox-");
	g_assert_cmpint(mbox_split(mbox, p, check_cb, &c, &err), ==, TL_DATA);
	g_assert_cmpint(c.calls, ==, 2);
	g_assert_cmpint(fixture_entries(sfd), ==, 1);
	spool_pool_free(p);
	g_assert_cmpint(fixture_entries(sfd), ==, 0);
	close(sfd);
	split_ctx_clear(&c);
	g_free(mbox);
	g_free(spool);
	g_free(err);
	fixture_rm_tree(dir, dfd);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/mbox/pool-reuse", test_pool_reuse);
	g_test_add_func("/mbox/pool-link", test_pool_link);
	g_test_add_func("/mbox/pool-stop", test_pool_stop);
	return g_test_run();
}
