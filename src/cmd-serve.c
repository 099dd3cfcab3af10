/* cmd-serve.c - `tipline serve` and `tipline passwd`: both run the
 * companion executable tipline-serve installed beside tipline (issue 12),
 * so that the web and password libraries (libmicrohttpd, libsodium) are
 * loaded only for the desk in a browser, never by the cron job's fetch. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "util.h"

/* tipline-serve in the folder of the running executable (not $PATH:
 * the desk must be the one installed with this tipline).  g_free. */
static char *
serve_path(void)
{
	char *self = g_file_read_link("/proc/self/exe", NULL), *dir, *p;

	if (self == NULL)
		return NULL;
	dir = g_path_get_dirname(self);
	p = g_build_filename(dir, "tipline-serve", NULL);
	g_free(dir);
	g_free(self);
	return p;
}

/* Replace this process with tipline-serve [--config FILE] [-v | -q]
 * ARGV...; returns only on failure. */
static tl_status
serve_exec(const char *name, tl_ctx *ctx, int argc, char **argv)
{
	GPtrArray *av = g_ptr_array_new();
	char *path = serve_path();
	log_level lv = log_get_level();

	g_ptr_array_add(av, (char *)"tipline-serve");
	if (ctx->cfg->path != NULL) {
		g_ptr_array_add(av, (char *)"--config");
		g_ptr_array_add(av, ctx->cfg->path);
	}
	if (lv == LOG_LEVEL_DEBUG)
		g_ptr_array_add(av, (char *)"-v");
	else if (lv == LOG_LEVEL_QUIET)
		g_ptr_array_add(av, (char *)"-q");
	for (int i = 0; i < argc; i++)
		g_ptr_array_add(av, argv[i]);
	g_ptr_array_add(av, NULL);
	fflush(NULL);
	if (path != NULL)
		execv(path, (char **)av->pdata);
	cmd_err(name, "cannot run %s: %s (it is installed beside tipline; "
		"make install puts it there)", path ? path : "tipline-serve",
		g_strerror(errno));
	g_ptr_array_free(av, TRUE);
	g_free(path);
	return TL_SOFTWARE;
}

tl_status
cmd_serve(tl_ctx *ctx, int argc, char **argv)
{
	char *listen = NULL;
	GOptionEntry e[] = {
		{ "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
		  "where to listen (default: [serve] listen, else "
		  "127.0.0.1:8080)", "127.0.0.1:PORT|unix:PATH" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	char *args[4] = { argv[0], NULL, NULL, NULL };
	tl_status rc;
	int done = 0;

	rc = cmd_parse_options("serve", "[--listen 127.0.0.1:PORT | "
			       "unix:PATH]", "Serve the desk to browsers "
			       "(tipline-serve; see tipline.conf(5) "
			       "[serve]).", e, &argc, &argv, 0, 0, &done);
	if (rc == TL_OK && !done) {
		if (listen != NULL) {
			args[1] = (char *)"--listen";
			args[2] = listen;
		}
		rc = serve_exec("serve", ctx, listen ? 3 : 1, args);
	}
	g_free(listen);
	return rc;
}

tl_status
cmd_passwd(tl_ctx *ctx, int argc, char **argv)
{
	tl_status rc;
	int done = 0;

	rc = cmd_parse_options("passwd", "EDITOR", "Set an editor's password "
			       "for tipline serve (auth = local): read from "
			       "the terminal, or one line of standard "
			       "input.", NULL, &argc, &argv, 1, 1, &done);
	if (rc == TL_OK && !done)
		rc = serve_exec("passwd", ctx, 2, argv);
	return rc;
}
