/* fixture-folder.h - a temporary folder for unit tests that make files. */
#ifndef TIPLINE_FIXTURE_FOLDER_H
#define TIPLINE_FIXTURE_FOLDER_H

/* A new folder under the temporary directory, named from TMPL (as
 * g_dir_make_tmp), with a descriptor of it in *DFD.  Its path
 * (g_free'd by fixture_rm_tree).  Asserts on failure. */
char *fixture_tmp_folder(const char *tmpl, int *dfd);

/* Close DFD and remove DIR with everything in it; frees DIR. */
void fixture_rm_tree(char *dir, int dfd);

/* The number of entries in folder DFD (not "." or ".."). */
int fixture_entries(int dfd);

#endif
