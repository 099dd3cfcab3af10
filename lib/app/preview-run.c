/* preview-run.c - run tipline-preview on one attachment and collect its
 * JPEG, or say why there is none (app.h; protocol: preview.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"
#include "preview.h"

#define PREVIEW_TIMEOUT_MS	30000
#define PREVIEW_STDERR_MAX	1024	/* the reason is one short line */

/* What the worker said and how it ended. */
typedef struct {
	GByteArray *jpeg;
	gboolean timed_out;
	gboolean too_big;
	int status;		/* from waitpid */
} preview_result;

static char *worker_path(const preview_options *opt)
{
	char *exe, *dir, *path;

	if (opt != NULL && opt->worker != NULL)
		return g_strdup(opt->worker);
	exe = g_file_read_link("/proc/self/exe", NULL);
	if (exe == NULL)
		return NULL;
	dir = g_path_get_dirname(exe);
	path = g_build_filename(dir, PREVIEW_WORKER_NAME, NULL);
	g_free(dir);
	g_free(exe);
	return path;
}

static void arg_add(GPtrArray *argv, const char *name, guint64 v)
{
	if (v == 0)
		return;
	g_ptr_array_add(argv, g_strdup(name));
	g_ptr_array_add(argv, g_strdup_printf("%" G_GUINT64_FORMAT, v));
}

static GPtrArray *argv_build(const char *path, const preview_options *opt,
			     preview_kind kind)
{
	GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);

	g_ptr_array_add(argv, g_strdup(path));
	if (opt != NULL) {
		arg_add(argv, "--size", opt->size);
		arg_add(argv, "--max-pixels", opt->max_pixels);
		arg_add(argv, "--memory", opt->memory_mib);
		arg_add(argv, "--cpu", opt->cpu_seconds);
	}
	g_ptr_array_add(argv, g_strdup(kind == PREVIEW_KIND_VIDEO ? "video"
							      : "image"));
	g_ptr_array_add(argv, NULL);
	return argv;
}

/* Start the worker with stdin FD, stdout and stderr the write ends of
 * the two pipes, nothing else open, default signal handling, in a
 * process group of its own (so that a timeout kills all of it) and an
 * empty environment.  Returns 0 or an errno. */
static int worker_spawn(char **argv, int fd, int out_w, int err_w,
			pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, all;
	char *envp[] = { NULL };
	int rc;

	sigemptyset(&none);
	sigfillset(&all);
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	posix_spawn_file_actions_adddup2(&fa, fd, 0);
	posix_spawn_file_actions_adddup2(&fa, out_w, 1);
	posix_spawn_file_actions_adddup2(&fa, err_w, 2);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &all);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK |
				 POSIX_SPAWN_SETSIGDEF |
				 POSIX_SPAWN_SETPGROUP);
	rc = posix_spawn(pid, argv[0], &fa, &at, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	return rc;
}

/* Append what is readable on *FD; close it at its end. */
static void pipe_drain(int *fd, GByteArray *to, gsize max, gboolean *over)
{
	guint8 buf[65536];
	ssize_t n = read(*fd, buf, sizeof buf);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		close(*fd);
		*fd = -1;
		return;
	}
	if (to->len + (gsize)n > max) {
		if (over != NULL)
			*over = TRUE;
		n = (ssize_t)(max - to->len);
	}
	g_byte_array_append(to, buf, (guint)n);
}

/* Read both pipes until the worker closes them, the deadline passes or
 * it writes too much. */
static void worker_collect(int *out_r, int *err_r, gint64 deadline,
			   preview_result *r, GByteArray *err)
{
	while ((*out_r >= 0 || *err_r >= 0) && !r->too_big) {
		struct pollfd p[2] = {
			{ *out_r, POLLIN, 0 }, { *err_r, POLLIN, 0 },
		};
		gint64 left = (deadline - g_get_monotonic_time()) / 1000;

		if (left <= 0) {
			r->timed_out = TRUE;
			return;
		}
		if (poll(p, 2, (int)MIN(left, 1000)) < 0) {
			if (errno == EINTR)
				continue;
			r->timed_out = TRUE;	/* cannot wait: give up */
			return;
		}
		if (*out_r >= 0 && p[0].revents != 0)
			pipe_drain(out_r, r->jpeg, PREVIEW_MAX_OUTPUT,
				   &r->too_big);
		if (*err_r >= 0 && p[1].revents != 0)
			pipe_drain(err_r, err, PREVIEW_STDERR_MAX, NULL);
	}
}

/* Reap the worker; kill it (its whole process group) when it timed out,
 * wrote too much, or closed its pipes but lingers past the deadline. */
static void worker_wait(pid_t pid, gint64 deadline, preview_result *r)
{
	pid_t got;

	while (!r->timed_out && !r->too_big) {
		got = waitpid(pid, &r->status, WNOHANG);
		if (got == pid || (got < 0 && errno != EINTR))
			return;
		if (g_get_monotonic_time() >= deadline)
			r->timed_out = TRUE;
		else
			g_usleep(1000);
	}
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	while (waitpid(pid, &r->status, 0) < 0 && errno == EINTR)
		;
}

/* The worker's first stderr line without its "tipline-preview: no
 * preview: " prefix. */
static char *reason_of(GByteArray *err)
{
	char *s = g_strndup(err->len > 0 ? (const char *)err->data : "",
			    err->len);
	char *nl = strchr(s, '\n'), *r;
	const char *p = s;

	if (nl != NULL)
		*nl = '\0';
	if (g_str_has_prefix(p, PREVIEW_WORKER_NAME ": "))
		p += strlen(PREVIEW_WORKER_NAME ": ");
	if (g_str_has_prefix(p, "no preview: "))
		p += strlen("no preview: ");
	r = g_strdup(*p != '\0' ? p : "no reason given");
	g_free(s);
	return r;
}

static tl_status result_judge(const preview_result *r, GByteArray *err,
			      unsigned timeout_ms, GBytes **out,
			      char **reason)
{
	const guint8 *j = r->jpeg->data;
	char *why;

	if (r->timed_out) {
		*reason = g_strdup_printf("the preview worker took more than "
					  "%u ms and was stopped", timeout_ms);
		return TL_DATA;
	}
	if (r->too_big) {
		*reason = g_strdup("the preview worker wrote too much");
		return TL_DATA;
	}
	if (WIFSIGNALED(r->status)) {
		*reason = g_strdup_printf("the preview worker was killed by "
			"signal %d (%s)", WTERMSIG(r->status),
			g_strsignal(WTERMSIG(r->status)));
		return TL_DATA;
	}
	why = reason_of(err);
	if (WEXITSTATUS(r->status) == PREVIEW_EXIT_NONE) {
		*reason = why;
		return TL_DATA;
	}
	if (WEXITSTATUS(r->status) != PREVIEW_EXIT_OK) {
		*reason = g_strdup_printf("the preview worker failed (exit "
			"%d): %s", WEXITSTATUS(r->status), why);
		g_free(why);
		return TL_SOFTWARE;
	}
	g_free(why);
	if (r->jpeg->len < 4 || j[0] != 0xff || j[1] != 0xd8 ||
	    j[2] != 0xff) {
		*reason = g_strdup("the preview worker wrote no JPEG");
		return TL_DATA;
	}
	*out = g_bytes_new(r->jpeg->data, r->jpeg->len);
	return TL_OK;
}

tl_status preview_run_fd(const preview_options *opt, preview_kind kind,
			 int fd, GBytes **out, char **reason)
{
	unsigned timeout_ms = opt != NULL && opt->timeout_ms != 0 ?
			      opt->timeout_ms : PREVIEW_TIMEOUT_MS;
	preview_result r = { g_byte_array_new(), FALSE, FALSE, 0 };
	GByteArray *err = g_byte_array_new();
	GPtrArray *argv = NULL;
	char *path = worker_path(opt);
	int outp[2] = { -1, -1 }, errp[2] = { -1, -1 }, rc;
	pid_t pid = -1;
	gint64 deadline;
	tl_status st = TL_SOFTWARE;

	*out = NULL;
	*reason = NULL;
	if (path == NULL) {
		*reason = g_strdup("cannot find " PREVIEW_WORKER_NAME
				   " (no /proc/self/exe)");
		goto out;
	}
	if (pipe2(outp, O_CLOEXEC) != 0 || pipe2(errp, O_CLOEXEC) != 0) {
		*reason = g_strdup_printf("cannot make a pipe: %s",
					  strerror(errno));
		goto out;
	}
	argv = argv_build(path, opt, kind);
	rc = worker_spawn((char **)argv->pdata, fd, outp[1], errp[1], &pid);
	close(outp[1]);
	close(errp[1]);
	outp[1] = errp[1] = -1;
	if (rc != 0) {
		*reason = g_strdup_printf("cannot run %s: %s", path,
					  strerror(rc));
		goto out;
	}
	if (opt != NULL && opt->started != NULL)
		opt->started(pid, opt->started_data);
	deadline = g_get_monotonic_time() + timeout_ms * (gint64)1000;
	worker_collect(&outp[0], &errp[0], deadline, &r, err);
	worker_wait(pid, deadline, &r);
	st = result_judge(&r, err, timeout_ms, out, reason);
out:
	for (rc = 0; rc < 2; rc++) {
		if (outp[rc] >= 0)
			close(outp[rc]);
		if (errp[rc] >= 0)
			close(errp[rc]);
	}
	if (argv != NULL)
		g_ptr_array_free(argv, TRUE);
	g_byte_array_free(r.jpeg, TRUE);
	g_byte_array_free(err, TRUE);
	g_free(path);
	return st;
}

/* BYTES in a sealed memfd: the worker maps it (a clip must be seekable)
 * and nobody can change it while the worker reads. */
static int memfd_of(GBytes *bytes, char **reason)
{
	gsize len = 0;
	const guint8 *p = g_bytes_get_data(bytes, &len);
	int fd = memfd_create("tipline-preview-input",
			      MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0 || !safefile_write_all(fd, p, len))
		goto fail;
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW |
		  F_SEAL_WRITE | F_SEAL_SEAL) != 0)
		goto fail;
	return fd;
fail:
	*reason = g_strdup_printf("cannot hand the attachment to the preview "
				  "worker: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

tl_status preview_run_bytes(const preview_options *opt, preview_kind kind,
			    GBytes *in, GBytes **out, char **reason)
{
	int fd;
	tl_status st;

	*out = NULL;
	*reason = NULL;
	fd = memfd_of(in, reason);
	if (fd < 0)
		return TL_SOFTWARE;
	st = preview_run_fd(opt, kind, fd, out, reason);
	close(fd);
	return st;
}
