/* pager.c - output through $PAGER on a terminal. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pager.h"

static pid_t pager_pid = -1;

static const char *
pager_command(void)
{
	const char *p = g_getenv("TIPLINE_PAGER");

	if (p == NULL)
		p = g_getenv("PAGER");
	if (p == NULL)
		p = "less";
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0' || strcmp(p, "cat") == 0)
		return NULL;
	return p;
}

gboolean
pager_wanted(void)
{
	return isatty(STDOUT_FILENO) == 1 && pager_command() != NULL;
}

gboolean
pager_start(void)
{
	const char *cmd = pager_command();
	int fds[2];
	pid_t pid;

	if (pager_pid > 0 || !pager_wanted() || pipe(fds) != 0)
		return FALSE;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return FALSE;
	}
	if (pid == 0) {
		dup2(fds[0], STDIN_FILENO);
		close(fds[0]);
		close(fds[1]);
		/* As git: quit at once when the text fits, keep colour,
		 * leave the text on the screen. */
		setenv("LESS", "FRX", 0);
		setenv("LV", "-c", 0);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	if (dup2(fds[1], STDOUT_FILENO) < 0) {
		close(fds[1]);
		return FALSE;
	}
	close(fds[1]);
	pager_pid = pid;
	/* Whatever path the command ends by, the pager is waited for, or
	 * the shell's prompt would come back under it. */
	atexit(pager_finish);
	return TRUE;
}

void
pager_finish(void)
{
	int status;

	if (pager_pid <= 0)
		return;
	fflush(stdout);
	/* The pager sees end of input only when every copy is closed. */
	close(STDOUT_FILENO);
	while (waitpid(pager_pid, &status, 0) < 0 && errno == EINTR)
		;
	pager_pid = -1;
}
