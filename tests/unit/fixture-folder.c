/* fixture-folder.c - a temporary folder for unit tests (see
 * fixture-folder.h). */
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "fixture-folder.h"

char *
fixture_tmp_folder(const char *tmpl, int *dfd)
{
	char *dir = g_dir_make_tmp(tmpl, NULL);

	g_assert_nonnull(dir);
	*dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	g_assert_cmpint(*dfd, >=, 0);
	return dir;
}

void
fixture_rm_tree(char *dir, int dfd)
{
	char *argv[] = { "rm", "-rf", dir, NULL };

	close(dfd);
	g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH,
				   NULL, NULL, NULL, NULL, NULL, NULL));
	g_free(dir);
}

int
fixture_entries(int dfd)
{
	DIR *d = fdopendir(dup(dfd));
	struct dirent *e;
	int n = 0;

	g_assert_nonnull(d);
	rewinddir(d);
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 &&
		     strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}
