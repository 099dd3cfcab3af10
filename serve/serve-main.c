/* serve-main.c - main() of tipline-serve, the desk in a browser
 * (issue 12), started by `tipline serve` and `tipline passwd`:
 *
 *   tipline-serve [--config FILE] [-v | -q] [serve] [--listen ADDR]
 *   tipline-serve [--config FILE] [-v | -q] passwd EDITOR
 *
 * The global options and the configuration lookup are tipline's.
 */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "serve.h"
#include "message.h"
#include "version.h"

static const char usage_text[] =
	"usage: tipline serve [--listen 127.0.0.1:PORT | unix:PATH]\n"
	"       tipline passwd EDITOR\n";

/* The configuration (config_load_for_face); its error printed once. */
static tl_status
load_config(const char *explicit_path, tl_config **cfg)
{
	char *err = NULL;
	tl_status rc = config_load_for_face(explicit_path, cfg, &err);

	if (rc != TL_OK)
		log_err("serve: %s", err);
	g_free(err);
	return rc;
}

/* Where to listen: --listen, else [serve] listen.  A non-loopback
 * address only when the configuration names it (a TLS proxy in front,
 * the administrator's decision), never from the command line alone. */
static tl_status
listen_pick(const tl_config *cfg, const char *opt, serve_listen *l)
{
	const serve_listen *c = &cfg->serve.listen;
	char *err = NULL;

	if (opt == NULL) {
		l->is_unix = c->is_unix;
		l->loopback = c->loopback;
		l->port = c->port;
		l->path = g_strdup(c->path);
		l->host = g_strdup(c->host);
		return TL_OK;
	}
	if (config_listen_parse(opt, l, &err) != TL_OK) {
		log_err("serve: --listen %s", err);
		g_free(err);
		return TL_USAGE;
	}
	if (!l->loopback && !(cfg->serve.listen_set && !c->is_unix &&
			      strcmp(c->host, l->host) == 0 &&
			      c->port == l->port)) {
		log_err("serve: refusing to listen on %s: not a loopback "
			"address. The desk is meant to sit behind the "
			"newsroom's TLS proxy; to listen on this address "
			"anyway, write it as listen in [serve] of %s",
			opt, cfg->path ? cfg->path : "the configuration");
		return TL_USAGE;
	}
	return TL_OK;
}

static tl_status
serve_run(tl_config *cfg, const char *listen_opt)
{
	serve_ctx ctx;
	serve_listen l = { 0 };
	char *err = NULL;
	tl_status rc;

	memset(&ctx, 0, sizeof ctx);
	ctx.cfg = cfg;
	g_mutex_init(&ctx.lock);
	auth_init(&ctx);
	if ((rc = listen_pick(cfg, listen_opt, &l)) != TL_OK)
		goto out;
	if (cfg->serve.auth == SERVE_AUTH_PROXY &&
	    (rc = secret_file_read(cfg->serve.proxy_secret_file,
				   "proxy_secret_file", &ctx.proxy_secret,
				   &err)) != TL_OK)
		goto fail;
	if (cfg->serve.auth == SERVE_AUTH_LOCAL &&
	    (rc = config_private_file_check(cfg->serve.editors_file,
					    "editors_file", &err)) != TL_OK &&
	    rc != TL_NOINPUT)
		goto fail;
	if (cfg->serve.auth == SERVE_AUTH_NONE)
		log_warn("serve: no [serve] auth in the configuration: every "
			 "page answers 401");
	g_clear_pointer(&err, g_free);
	if ((rc = serve_pool_open(&ctx, SERVE_THREADS, &err)) != TL_OK)
		goto fail;
	rc = http_run(&ctx, &l, &err);
	if (rc == TL_OK)
		goto out;
fail:
	log_err("serve: %s", err);
out:
	serve_pool_close(&ctx);
	auth_shutdown(&ctx);
	config_listen_clear(&l);
	g_free(err);
	return rc;
}

/* The command after the global options: serve (the default) or
 * passwd. */
static tl_status
command_run(tl_config *cfg, int argc, char **argv)
{
	char *listen_opt = NULL, *err = NULL;
	GOptionEntry e[] = {
		{ "listen", 0, 0, G_OPTION_ARG_STRING, &listen_opt,
		  "where to listen", "127.0.0.1:PORT|unix:PATH" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GOptionContext *oc = NULL;
	GError *gerr = NULL;
	tl_status rc;

	if (argc > 0 && strcmp(argv[0], "passwd") == 0) {
		if (argc != 2) {
			fputs(usage_text, stderr);
			return TL_USAGE;
		}
		rc = passwd_run(cfg, argv[1], &err);
		if (rc != TL_OK)
			log_err("passwd: %s", err);
		else
			printf("%s: password set in %s\n", argv[1],
			       cfg->serve.editors_file);
		g_free(err);
		return rc;
	}
	oc = g_option_context_new(NULL);
	g_option_context_add_main_entries(oc, e, NULL);
	if (argc > 0 && strcmp(argv[0], "serve") != 0) {
		log_err("serve: unknown command \"%s\"", argv[0]);
		rc = TL_USAGE;
	} else if (!g_option_context_parse(oc, &argc, &argv, &gerr)) {
		log_err("serve: %s", gerr->message);
		g_error_free(gerr);
		rc = TL_USAGE;
	} else if (argc > 1) {
		log_err("serve: unexpected argument \"%s\"", argv[1]);
		rc = TL_USAGE;
	} else {
		rc = serve_run(cfg, listen_opt);
	}
	g_option_context_free(oc);
	g_free(listen_opt);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *config_path = NULL;
	log_level level = LOG_LEVEL_NORMAL;
	tl_config *cfg = NULL;
	sigset_t set;
	tl_status rc;
	int i;

	setlocale(LC_ALL, "");
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			config_path = argv[++i];
		else if (g_str_has_prefix(argv[i], "--config="))
			config_path = argv[i] + strlen("--config=");
		else if (strcmp(argv[i], "-v") == 0)
			level = LOG_LEVEL_DEBUG;
		else if (strcmp(argv[i], "-q") == 0)
			level = LOG_LEVEL_QUIET;
		else if (strcmp(argv[i], "--version") == 0) {
			printf("tipline-serve %s\n", TIPLINE_VERSION);
			return 0;
		} else if (strcmp(argv[i], "--help") == 0) {
			fputs(usage_text, stdout);
			return 0;
		} else
			break;	/* serve's own options (--listen) */
	}
	log_open(level, 0);
	if (sodium_init() < 0) {
		log_err("serve: libsodium would not start");
		return tl_status_exit_code(TL_SOFTWARE);
	}
	/* The signals that stop the server are taken by sigwait in
	 * http_run; every thread started later inherits this mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	message_init();
	if ((rc = load_config(config_path, &cfg)) == TL_OK) {
		log_open(level, cfg->log_syslog);
		if (cfg->desk_timezone != NULL) {
			g_setenv("TZ", cfg->desk_timezone, TRUE);
			tzset();
		}
		rc = command_run(cfg, argc - i, argv + i);
	}
	config_free(cfg);
	message_shutdown();
	return tl_status_exit_code(rc);
}
