/* config.c - tipline.conf with GLib's GKeyFile.
 *
 * GKeyFile knows only '#' comments, while INI files written by people use
 * ';' too, also after a value; comments are stripped here first, line by
 * line, so GKeyFile's own line numbers and ours stay those of the file.
 * Unknown groups and keys are errors: a misspelt "after_fecth" must not
 * silently leave the default in place.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app.h"

#define DEFAULT_MAX_MESSAGE_SIZE (100LL * 1024 * 1024)

static const tl_parse_limits limits_default = TL_PARSE_LIMITS_DEFAULT;

static const char *const store_keys[] = {
	"database", "passfile", "busy_timeout", "spool_dir", NULL
};
static const char *const log_keys[] = { "target", NULL };
static const char *const desk_keys[] = { "timezone", NULL };
static const char *const serve_keys[] = {
	"listen", "auth", "proxy_user_header", "proxy_secret_file",
	"editors_file", NULL
};
static const char *const limits_keys[] = {
	"max_mime_depth", "max_parts", "max_header_bytes", NULL
};
static const char *const mailbox_keys[] = {
	"url", "username", "password_file", "password_command",
	"token_command", "cafile", "auth_mechanism", "allow_plaintext",
	"after_fetch", "flag_keyword", "max_message_size", "start",
	"connect_timeout", "low_speed_time", NULL
};

/* Remove comments: whole lines starting with ';' (GKeyFile handles '#'),
 * and " ;" / " #" to the end of a line. Returns a new string (g_free). */
static char *
strip_comments(const char *text)
{
	GString *out = g_string_sized_new(strlen(text));
	const char *p = text;

	while (*p != '\0') {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		const char *s = p;

		while (s < p + len && (*s == ' ' || *s == '\t'))
			s++;
		if (s < p + len && *s == ';') {
			len = 0;
		} else {
			for (size_t i = 1; i < len; i++) {
				if ((p[i] == ';' || p[i] == '#') &&
				    (p[i - 1] == ' ' || p[i - 1] == '\t')) {
					len = i;
					break;
				}
			}
			while (len > 0 && (p[len - 1] == ' ' ||
					   p[len - 1] == '\t' ||
					   p[len - 1] == '\r'))
				len--;
		}
		g_string_append_len(out, p, len);
		g_string_append_c(out, '\n');
		p = eol ? eol + 1 : p + strlen(p);
	}
	return g_string_free(out, FALSE);
}

/* The 1-based line of "[group]" or, when key != NULL, of "key =" inside
 * it, in the comment-stripped text; 0 when not found. */
static int
find_line(const char *text, const char *group, const char *key)
{
	char **lines = g_strsplit(text, "\n", -1);
	int in_group = 0, found = 0;

	for (int i = 0; lines[i] != NULL && !found; i++) {
		char *l = g_strstrip(lines[i]);

		if (l[0] == '[') {
			char *end = strrchr(l, ']');

			in_group = end &&
				   (size_t)(end - l - 1) == strlen(group) &&
				   strncmp(l + 1, group, end - l - 1) == 0;
			if (in_group && key == NULL)
				found = i + 1;
		} else if (in_group && key != NULL &&
			   g_str_has_prefix(l, key)) {
			const char *r = l + strlen(key);

			while (*r == ' ' || *r == '\t')
				r++;
			if (*r == '=')
				found = i + 1;
		}
	}
	g_strfreev(lines);
	return found;
}

/* Check the structure GKeyFile would reject or silently merge, so that
 * every such error names its line: text before the first section, a line
 * that is neither "[section]" nor "key = value", a section given twice
 * (GKeyFile merges them: a copy-pasted [mailbox a] would silently change
 * the first one), a key given twice in a section. Returns a new
 * "PATH:LINE: ..." message, or NULL when the text is well formed. */
static char *
prescan(const char *path, const char *text)
{
	char **lines = g_strsplit(text, "\n", -1);
	GHashTable *groups = g_hash_table_new_full(g_str_hash, g_str_equal,
						   g_free, NULL);
	GHashTable *keys = NULL;
	char *err = NULL, *group = NULL;

	for (int i = 0; lines[i] != NULL && err == NULL; i++) {
		char *l = g_strstrip(lines[i]);
		char *eq;

		if (*l == '\0' || *l == '#')
			continue;
		if (*l == '[') {
			if (l[strlen(l) - 1] != ']') {
				err = g_strdup_printf("%s:%d: \"%s\": a "
					"section header needs a closing ]",
					path, i + 1, l);
				break;
			}
			l[strlen(l) - 1] = '\0';
			g_free(group);
			group = g_strdup(g_strstrip(l + 1));
			if (g_hash_table_contains(groups, group)) {
				err = g_strdup_printf("%s:%d: section [%s] is "
					"given twice", path, i + 1, group);
				break;
			}
			g_hash_table_add(groups, g_strdup(group));
			if (keys != NULL)
				g_hash_table_destroy(keys);
			keys = g_hash_table_new_full(g_str_hash, g_str_equal,
						     g_free, NULL);
			continue;
		}
		eq = strchr(l, '=');
		if (group == NULL) {
			err = g_strdup_printf("%s:%d: \"%s\" before the first "
				"[section]", path, i + 1, l);
		} else if (eq == NULL || eq == l) {
			err = g_strdup_printf("%s:%d: \"%s\" is not a "
				"\"key = value\" line", path, i + 1, l);
		} else {
			*eq = '\0';
			g_strstrip(l);
			if (g_hash_table_contains(keys, l))
				err = g_strdup_printf("%s:%d: %s is given "
					"twice in [%s]", path, i + 1, l,
					group);
			else
				g_hash_table_add(keys, g_strdup(l));
		}
	}
	if (keys != NULL)
		g_hash_table_destroy(keys);
	g_hash_table_destroy(groups);
	g_free(group);
	g_strfreev(lines);
	return err;
}

typedef struct {
	const char *path;
	const char *text;	/* comment-stripped */
	GKeyFile *kf;
	char *err;		/* first error, "PATH:LINE: ..." */
} loader;

static void G_GNUC_PRINTF(4, 5)
fail(loader *ld, const char *group, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *what;
	int line;

	if (ld->err != NULL)
		return;
	va_start(ap, fmt);
	what = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	line = find_line(ld->text, group, key);
	if (line > 0)
		ld->err = g_strdup_printf("%s:%d: %s", ld->path, line, what);
	else
		ld->err = g_strdup_printf("%s: %s", ld->path, what);
	g_free(what);
}

/* Keys whose values may hold a ';' of their own: an IMAP URL's
 * ";UIDVALIDITY=" or ";AUTH=" (RFC 5092), a shell command line. There a
 * comment needs white space before its ';' (strip_comments); in every
 * other value a ';' starts a comment even right after the value
 * ("password_file = /etc/tipline/a.pass;old one"), so that a comment
 * never becomes part of a path. */
static const char *const keys_with_semicolons[] = {
	"url", "password_command", "token_command", NULL
};

/* A string value, or NULL when absent; an empty value is an error. */
static char *
get_str(loader *ld, const char *group, const char *key)
{
	char *v, *semi;

	if (!g_key_file_has_key(ld->kf, group, key, NULL))
		return NULL;
	v = g_key_file_get_string(ld->kf, group, key, NULL);
	if (v != NULL && !g_strv_contains(keys_with_semicolons, key) &&
	    (semi = strchr(v, ';')) != NULL) {
		*semi = '\0';
		g_strchomp(v);
	}
	if (v != NULL && *v == '\0') {
		fail(ld, group, key, "%s: empty value", key);
		g_free(v);
		return NULL;
	}
	return v;
}

static int
get_bool(loader *ld, const char *group, const char *key, int dflt)
{
	char *v = get_str(ld, group, key);
	int r = dflt;

	if (v == NULL)
		return dflt;
	if (g_ascii_strcasecmp(v, "true") == 0 ||
	    g_ascii_strcasecmp(v, "yes") == 0 || strcmp(v, "1") == 0)
		r = 1;
	else if (g_ascii_strcasecmp(v, "false") == 0 ||
		 g_ascii_strcasecmp(v, "no") == 0 || strcmp(v, "0") == 0)
		r = 0;
	else
		fail(ld, group, key, "%s: expected true or false, not \"%s\"",
		     key, v);
	g_free(v);
	return r;
}

/* A size or duration value parsed by PARSE (bytes or seconds), at least
 * MIN; WHAT names the kind in the error ("a size (e.g. 100M)"). */
static gint64
get_scaled(loader *ld, const char *group, const char *key, gint64 dflt,
	   gint64 (*parse)(const char *), gint64 min, const char *what)
{
	char *v = get_str(ld, group, key);
	gint64 r;

	if (v == NULL)
		return dflt;
	r = parse(v);
	if (r < 0) {
		fail(ld, group, key, "%s: \"%s\" is not %s", key, v, what);
		r = dflt;
	} else if (r < min) {
		fail(ld, group, key, "%s: \"%s\" is too small (at least %"
		     G_GINT64_FORMAT ")", key, v, min);
		r = dflt;
	}
	g_free(v);
	return r;
}

static gint64
get_size(loader *ld, const char *group, const char *key, gint64 dflt)
{
	return get_scaled(ld, group, key, dflt, config_parse_size, 1,
			  "a size (e.g. 100M)");
}

/* A duration of at least one second: 0 would mean "wait forever" to
 * libcurl and poll() (QA F46). */
static gint64
get_seconds(loader *ld, const char *group, const char *key, gint64 dflt)
{
	return get_scaled(ld, group, key, dflt, config_parse_duration, 1,
			  "a duration (e.g. 30s)");
}

/* A count: a whole number from 1 to 1,000,000. */
static int
get_count(loader *ld, const char *group, const char *key, int dflt)
{
	char *v = get_str(ld, group, key), *end = NULL;
	gint64 r;

	if (v == NULL)
		return dflt;
	r = g_ascii_strtoll(v, &end, 10);
	if (!g_ascii_isdigit(*v) || *end != '\0' || r < 1 || r > 1000000) {
		fail(ld, group, key, "%s: \"%s\" is not a count from 1 to "
		     "1000000", key, v);
		r = dflt;
	}
	g_free(v);
	return (int)r;
}

static void
check_keys(loader *ld, const char *group, const char *const *known)
{
	char **keys = g_key_file_get_keys(ld->kf, group, NULL, NULL);

	for (int i = 0; keys && keys[i]; i++) {
		if (!g_strv_contains(known, keys[i]))
			fail(ld, group, keys[i], "unknown key \"%s\" in [%s]",
			     keys[i], group);
	}
	g_strfreev(keys);
}

static void
mailbox_free(gpointer p)
{
	tl_mailbox_conf *mb = p;

	g_free(mb->name);
	g_free(mb->url);
	g_free(mb->username);
	g_free(mb->password_file);
	g_free(mb->password_command);
	g_free(mb->token_command);
	g_free(mb->cafile);
	g_free(mb->auth_mechanism);
	g_free(mb->after_fetch_folder);
	g_free(mb->flag_keyword);
	g_free(mb);
}

static void
parse_after_fetch(loader *ld, const char *g, tl_mailbox_conf *mb)
{
	char *v = get_str(ld, g, "after_fetch");
	char *arg;

	mb->after_fetch = AFTER_FETCH_NONE;
	if (v == NULL)
		return;
	mb->after_fetch_line = find_line(ld->text, g, "after_fetch");
	arg = strchr(v, ' ');
	if (arg != NULL) {
		*arg++ = '\0';
		g_strstrip(arg);
	}
	if (strcmp(v, "none") == 0 && arg == NULL)
		mb->after_fetch = AFTER_FETCH_NONE;
	else if (strcmp(v, "seen") == 0 && arg == NULL)
		mb->after_fetch = AFTER_FETCH_SEEN;
	else if (strcmp(v, "flag") == 0 && arg == NULL)
		mb->after_fetch = AFTER_FETCH_FLAG;
	else if (strcmp(v, "delete") == 0 && arg == NULL)
		mb->after_fetch = AFTER_FETCH_DELETE;
	else if (strcmp(v, "move") == 0 && arg != NULL && *arg != '\0') {
		mb->after_fetch = AFTER_FETCH_MOVE;
		mb->after_fetch_folder = g_strdup(arg);
	} else
		fail(ld, g, "after_fetch", "after_fetch: expected none, seen, "
		     "flag, move FOLDER or delete");
	g_free(v);
}

/* The mailbox a URL names as tipline.conf(5) reads it: the path after
 * the host, percent-decoded, without RFC 5092 ";PARAMS" and outer
 * slashes; "INBOX" (any case) and none mean INBOX. Newly allocated, NULL
 * when it cannot be decoded. */
static char *
url_mailbox(const char *url)
{
	const char *p = strstr(url, "://");
	char *raw, *semi, *dec;
	size_t len;

	if (p == NULL || (p = strchr(p + 3, '/')) == NULL)
		return g_strdup("INBOX");
	while (*p == '/')
		p++;
	raw = g_strdup(p);
	if ((semi = strpbrk(raw, ";?#")) != NULL)
		*semi = '\0';
	len = strlen(raw);
	while (len > 0 && raw[len - 1] == '/')
		raw[--len] = '\0';
	dec = g_uri_unescape_string(raw, NULL);
	g_free(raw);
	if (dec != NULL && (*dec == '\0' || g_ascii_strcasecmp(dec, "INBOX")
			    == 0)) {
		g_free(dec);
		dec = g_strdup("INBOX");
	}
	return dec;
}

/* QA F28: moving each message into the folder it is fetched from gives it
 * a new UID there, so every run fetches the whole mailbox again (as
 * duplicates). Compared as written ('/' and the server's separator are
 * compared again at fetch time, after translation). */
static void
check_move_target(loader *ld, const char *g, const tl_mailbox_conf *mb)
{
	char *src, *dst;

	if (mb->after_fetch != AFTER_FETCH_MOVE || mb->url == NULL ||
	    (src = url_mailbox(mb->url)) == NULL)
		return;
	dst = g_strdup(mb->after_fetch_folder);
	g_strstrip(dst);
	while (*dst != '\0' && dst[strlen(dst) - 1] == '/')
		dst[strlen(dst) - 1] = '\0';
	if (g_ascii_strcasecmp(dst, "INBOX") == 0) {
		g_free(dst);
		dst = g_strdup("INBOX");
	}
	if (strcmp(src, dst) == 0)
		fail(ld, g, "after_fetch", "after_fetch: move %s: that is the "
		     "mailbox this section fetches (url), so every run would "
		     "fetch every message again; name another folder",
		     mb->after_fetch_folder);
	g_free(src);
	g_free(dst);
}

/* Does URL carry "user[:password]@" before its host (RFC 3986 userinfo)? */
static int
url_has_userinfo(const char *url)
{
	const char *auth = strstr(url, "://");
	size_t hostlen;

	if (auth == NULL)
		return 0;
	auth += 3;
	hostlen = strcspn(auth, "/?#");
	return memchr(auth, '@', hostlen) != NULL;
}

/* RFC 3501 flag-keyword = atom: no atom-specials, no '\\' (that would be
 * a system flag such as \\Deleted), no 8-bit, no controls. */
static int
is_flag_keyword(const char *k)
{
	if (*k == '\0' || strlen(k) > 64)
		return 0;
	for (const char *p = k; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c <= ' ' || c >= 0x7f || strchr("(){%*\"\\]", c) != NULL)
			return 0;
	}
	return 1;
}

/* auth_mechanism goes to libcurl's LOGIN_OPTIONS: a misspelt one failed
 * only at login with a cryptic error (QA F45). The OAuth mechanisms carry
 * a token, the others a password. */
static void
check_mechanism(loader *ld, const char *g, const tl_mailbox_conf *mb)
{
	static const char *const oauth[] = { "XOAUTH2", "OAUTHBEARER", NULL };
	static const char *const password[] = { "PLAIN", "LOGIN", NULL };
	const char *m = mb->auth_mechanism;

	if (m == NULL)
		return;
	if (!g_strv_contains(oauth, m) && !g_strv_contains(password, m))
		fail(ld, g, "auth_mechanism", "auth_mechanism: \"%s\" is not "
		     "one of XOAUTH2, OAUTHBEARER, PLAIN, LOGIN (in capitals)",
		     m);
	else if (g_strv_contains(oauth, m) && mb->token_command == NULL)
		fail(ld, g, "auth_mechanism", "auth_mechanism: %s needs a "
		     "token_command", m);
	else if (g_strv_contains(password, m) && mb->token_command != NULL)
		fail(ld, g, "auth_mechanism", "auth_mechanism: %s needs a "
		     "password, not a token_command", m);
}

static tl_mailbox_conf *
parse_mailbox(loader *ld, const char *g)
{
	tl_mailbox_conf *mb = g_new0(tl_mailbox_conf, 1);
	char *start;
	int nsecret;

	mb->name = g_strstrip(g_strdup(g + strlen("mailbox")));
	mb->section_line = find_line(ld->text, g, NULL);
	check_keys(ld, g, mailbox_keys);
	if (*mb->name == '\0')
		fail(ld, g, NULL, "[mailbox] needs a name: [mailbox NAME]");
	mb->url = get_str(ld, g, "url");
	mb->url_line = mb->url != NULL ? find_line(ld->text, g, "url") : 0;
	mb->username = get_str(ld, g, "username");
	mb->password_file = get_str(ld, g, "password_file");
	mb->password_command = get_str(ld, g, "password_command");
	mb->token_command = get_str(ld, g, "token_command");
	mb->cafile = get_str(ld, g, "cafile");
	mb->auth_mechanism = get_str(ld, g, "auth_mechanism");
	check_mechanism(ld, g, mb);
	mb->flag_keyword = get_str(ld, g, "flag_keyword");
	if (mb->flag_keyword == NULL)
		mb->flag_keyword = g_strdup("$Tipline");
	else if (!is_flag_keyword(mb->flag_keyword))
		fail(ld, g, "flag_keyword", "flag_keyword: \"%s\" is not an "
		     "IMAP keyword (ASCII letters, digits and $_-.; no spaces, "
		     "no \\ system flags)", mb->flag_keyword);
	mb->allow_plaintext = get_bool(ld, g, "allow_plaintext", 0);
	mb->max_message_size = get_size(ld, g, "max_message_size",
					DEFAULT_MAX_MESSAGE_SIZE);
	mb->connect_timeout = get_seconds(ld, g, "connect_timeout", 30);
	mb->low_speed_time = get_seconds(ld, g, "low_speed_time", 60);
	parse_after_fetch(ld, g, mb);
	check_move_target(ld, g, mb);
	start = get_str(ld, g, "start");
	if (start == NULL || strcmp(start, "all") == 0)
		mb->start = START_ALL;
	else if (strcmp(start, "now") == 0)
		mb->start = START_NOW;
	else
		fail(ld, g, "start", "start: expected all or now");
	g_free(start);

	if (mb->url == NULL)
		fail(ld, g, NULL, "[%s] has no url", g);
	else if (!g_str_has_prefix(mb->url, "imaps://") &&
		 !g_str_has_prefix(mb->url, "imap://"))
		fail(ld, g, "url", "url: must start with imaps:// or imap://");
	else if (url_has_userinfo(mb->url)) {
		/* Never echo it: the text before '@' may be a password. */
		fail(ld, g, "url", "url: no user name or password in the url; "
		     "use username and password_file");
		g_free(mb->url);
		mb->url = NULL;
	}
	if (mb->username == NULL)
		fail(ld, g, NULL, "[%s] has no username", g);
	nsecret = (mb->password_file != NULL) +
		  (mb->password_command != NULL) + (mb->token_command != NULL);
	if (nsecret != 1)
		fail(ld, g, NULL, "[%s] needs exactly one of password_file, "
		     "password_command, token_command", g);
	return mb;
}

static void
parse_store(loader *ld, tl_config *cfg)
{
	gint64 busy;

	check_keys(ld, "store", store_keys);
	cfg->database = get_str(ld, "store", "database");
	cfg->spool_dir = get_str(ld, "store", "spool_dir");
	cfg->passfile = get_str(ld, "store", "passfile");
	busy = get_seconds(ld, "store", "busy_timeout", 10);
	if (busy > 3600) {
		fail(ld, "store", "busy_timeout", "busy_timeout: at most 1h");
		busy = 10;
	}
	cfg->busy_timeout_ms = (int)busy * 1000;
}

static void
parse_limits(loader *ld, tl_config *cfg)
{
	const tl_parse_limits *dflt = &limits_default;

	check_keys(ld, "limits", limits_keys);
	cfg->limits.max_mime_depth = get_count(ld, "limits",
					       "max_mime_depth",
					       dflt->max_mime_depth);
	cfg->limits.max_parts = get_count(ld, "limits", "max_parts",
					  dflt->max_parts);
	cfg->limits.max_header_bytes = get_size(ld, "limits",
					"max_header_bytes",
					dflt->max_header_bytes);
}

static void
parse_log(loader *ld, tl_config *cfg)
{
	char *t;

	check_keys(ld, "log", log_keys);
	t = get_str(ld, "log", "target");
	if (t == NULL || strcmp(t, "stderr") == 0)
		cfg->log_syslog = 0;
	else if (strcmp(t, "syslog") == 0)
		cfg->log_syslog = 1;
	else
		fail(ld, "log", "target", "target: expected stderr or syslog");
	g_free(t);
}

/* [desk] timezone: an IANA name ("Asia/Ho_Chi_Minh") the system's time
 * zone database knows (GLib returns NULL for an unknown one). */
static void
parse_desk(loader *ld, tl_config *cfg)
{
	GTimeZone *tz;

	check_keys(ld, "desk", desk_keys);
	g_free(cfg->desk_timezone);
	cfg->desk_timezone = get_str(ld, "desk", "timezone");
	if (cfg->desk_timezone == NULL)
		return;
	tz = g_time_zone_new_identifier(cfg->desk_timezone);
	if (tz == NULL)
		fail(ld, "desk", "timezone", "timezone: unknown time zone "
		     "\"%s\" (an IANA name such as Asia/Ho_Chi_Minh)",
		     cfg->desk_timezone);
	else
		g_time_zone_unref(tz);
}

/* [serve] (issue 12): the desk in a browser.  The secret files are read
 * by tipline-serve when it starts, so an editor's `list` never needs
 * them; here only what can be told from the text. */
static void
parse_serve(loader *ld, tl_config *cfg)
{
	tl_serve_conf *sv = &cfg->serve;
	char *v, *err = NULL;

	check_keys(ld, "serve", serve_keys);
	sv->present = 1;
	if ((v = get_str(ld, "serve", "listen")) != NULL) {
		config_listen_clear(&sv->listen);
		if (config_listen_parse(v, &sv->listen, &err) != TL_OK)
			fail(ld, "serve", "listen", "listen: %s", err);
		else
			sv->listen_set = 1;
		sv->listen_line = find_line(ld->text, "serve", "listen");
		g_free(err);
		g_free(v);
	}
	v = get_str(ld, "serve", "auth");
	if (v == NULL)
		sv->auth = SERVE_AUTH_NONE;
	else if (strcmp(v, "proxy") == 0)
		sv->auth = SERVE_AUTH_PROXY;
	else if (strcmp(v, "local") == 0)
		sv->auth = SERVE_AUTH_LOCAL;
	else
		fail(ld, "serve", "auth", "auth: expected proxy or local, "
		     "not \"%s\"", v);
	g_free(v);
	if ((v = get_str(ld, "serve", "proxy_user_header")) != NULL) {
		g_free(sv->proxy_user_header);
		sv->proxy_user_header = v;
	}
	sv->proxy_secret_file = get_str(ld, "serve", "proxy_secret_file");
	sv->editors_file = get_str(ld, "serve", "editors_file");
	if (sv->auth == SERVE_AUTH_PROXY && sv->proxy_secret_file == NULL)
		fail(ld, "serve", "auth", "auth = proxy needs "
		     "proxy_secret_file (the secret the proxy sends in "
		     "X-Tipline-Proxy-Secret)");
	if (sv->auth == SERVE_AUTH_LOCAL && sv->editors_file == NULL)
		fail(ld, "serve", "auth", "auth = local needs editors_file "
		     "(made with tipline passwd EDITOR)");
}

/* A relative path in the file is relative to the file's folder, not to
 * wherever cron or an editor happens to run tipline (QA F38). */
static void
resolve_path(char **p, const char *base)
{
	char *abs;

	if (*p == NULL || g_path_is_absolute(*p))
		return;
	abs = g_build_filename(base, *p, NULL);
	g_free(*p);
	*p = abs;
}

static void
resolve_paths(tl_config *cfg)
{
	char *dir = g_path_get_dirname(cfg->path), *cwd = g_get_current_dir();
	char *base = g_path_is_absolute(dir) ? g_strdup(dir) :
		     g_build_filename(cwd, dir, NULL);

	g_free(cwd);
	/* A postgresql:// URL is not a path (issue 13). */
	if (!store_is_url(cfg->database))
		resolve_path(&cfg->database, base);
	resolve_path(&cfg->passfile, base);
	resolve_path(&cfg->spool_dir, base);
	resolve_path(&cfg->serve.proxy_secret_file, base);
	resolve_path(&cfg->serve.editors_file, base);
	for (guint i = 0; i < cfg->mailboxes->len; i++) {
		tl_mailbox_conf *mb = cfg->mailboxes->pdata[i];

		resolve_path(&mb->password_file, base);
		resolve_path(&mb->cafile, base);
	}
	g_free(base);
	g_free(dir);
}

/* A cafile that is not there fails at every connection with libcurl's
 * "error setting certificate file"; say so when the file is read, with
 * its line. Only existence and type: an editor's `list` must not fail on
 * a CA file only the fetch user may read. */
static void
check_cafile(loader *ld, const char *group, const char *path)
{
	struct stat sb;

	if (path == NULL)
		return;
	if (stat(path, &sb) != 0) {
		if (errno != EACCES)
			fail(ld, group, "cafile", "cafile %s: %s", path,
			     g_strerror(errno));
	} else if (!S_ISREG(sb.st_mode)) {
		fail(ld, group, "cafile", "cafile %s: not a file (a PEM "
		     "file of CA certificates)", path);
	}
}

/* Check the files named in the configuration, after resolve_paths.
 * GROUPS are the file's groups in order; mailboxes were parsed in it. */
static void
check_files(loader *ld, tl_config *cfg, char **groups)
{
	guint m = 0;

	for (int i = 0; groups[i] != NULL && m < cfg->mailboxes->len; i++) {
		tl_mailbox_conf *mb;

		if (!g_str_has_prefix(groups[i], "mailbox ") &&
		    strcmp(groups[i], "mailbox") != 0)
			continue;
		mb = cfg->mailboxes->pdata[m++];
		check_cafile(ld, groups[i], mb->cafile);
	}
}

tl_config *
config_new_default(const char *database)
{
	tl_config *cfg = g_new0(tl_config, 1);

	cfg->database = g_strdup(database);
	cfg->busy_timeout_ms = 10000;
	cfg->limits = limits_default;
	cfg->mailboxes = g_ptr_array_new_with_free_func(mailbox_free);
	config_listen_parse("127.0.0.1:8080", &cfg->serve.listen, NULL);
	cfg->serve.proxy_user_header = g_strdup("X-Remote-User");
	return cfg;
}

tl_status
config_load(const char *path, tl_config **out, char **errmsg)
{
	char *raw = NULL, *gerr_text = NULL;
	char **groups = NULL;
	GError *gerr = NULL;
	loader ld = { path, NULL, NULL, NULL };
	tl_config *cfg;
	tl_status rc = TL_OK;

	*out = NULL;
	if (!g_file_get_contents(path, &raw, NULL, &gerr)) {
		*errmsg = g_strdup_printf("%s: %s", path, gerr->message);
		rc = g_error_matches(gerr, G_FILE_ERROR, G_FILE_ERROR_NOENT) ?
		     TL_NOINPUT : TL_CONFIG;
		g_error_free(gerr);
		return rc;
	}
	cfg = config_new_default(NULL);
	cfg->path = g_strdup(path);
	/* A UTF-8 byte order mark (Windows Notepad) is not content. */
	ld.text = gerr_text = strip_comments(g_str_has_prefix(raw,
		"\xef\xbb\xbf") ? raw + 3 : raw);
	ld.kf = g_key_file_new();
	if ((ld.err = prescan(path, ld.text)) != NULL)
		goto out;
	if (!g_key_file_load_from_data(ld.kf, ld.text, -1, G_KEY_FILE_NONE,
				       &gerr)) {
		/* GKeyFile's messages name the offending line's text. */
		ld.err = g_strdup_printf("%s: %s", path, gerr->message);
		g_error_free(gerr);
		goto out;
	}
	groups = g_key_file_get_groups(ld.kf, NULL);
	for (int i = 0; groups[i] != NULL; i++) {
		const char *g = groups[i];

		if (strcmp(g, "store") == 0)
			parse_store(&ld, cfg);
		else if (strcmp(g, "log") == 0)
			parse_log(&ld, cfg);
		else if (strcmp(g, "limits") == 0)
			parse_limits(&ld, cfg);
		else if (strcmp(g, "desk") == 0)
			parse_desk(&ld, cfg);
		else if (strcmp(g, "serve") == 0)
			parse_serve(&ld, cfg);
		else if (g_str_has_prefix(g, "mailbox ") ||
			 strcmp(g, "mailbox") == 0)
			g_ptr_array_add(cfg->mailboxes, parse_mailbox(&ld, g));
		else
			fail(&ld, g, NULL, "unknown section [%s]", g);
	}
	if (ld.err == NULL && cfg->database == NULL)
		fail(&ld, "store", NULL, "[store] database is not set");
	if (ld.err == NULL) {
		resolve_paths(cfg);
		check_files(&ld, cfg, groups);
	}
	for (guint i = 0; ld.err == NULL && i < cfg->mailboxes->len; i++) {
		tl_mailbox_conf *a = cfg->mailboxes->pdata[i];

		for (guint j = 0; j < i; j++) {
			tl_mailbox_conf *b = cfg->mailboxes->pdata[j];

			if (strcmp(a->name, b->name) == 0)
				fail(&ld, NULL, NULL, "mailbox \"%s\" is "
				     "defined twice", a->name);
		}
	}
out:
	if (ld.err != NULL) {
		*errmsg = ld.err;
		rc = TL_CONFIG;
		config_free(cfg);
	} else {
		*out = cfg;
	}
	g_strfreev(groups);
	g_key_file_free(ld.kf);
	g_free(gerr_text);
	g_free(raw);
	return rc;
}

char *
config_find(const char *explicit_path)
{
	const char *env = g_getenv("TIPLINE_CONFIG");
	const char *xdg = g_getenv("XDG_CONFIG_HOME");
	char *p;

	if (explicit_path != NULL)
		return g_strdup(explicit_path);
	if (env != NULL && *env != '\0')
		return g_strdup(env);
	if (xdg != NULL && *xdg != '\0')
		p = g_build_filename(xdg, "tipline", "tipline.conf", NULL);
	else
		p = g_build_filename(g_get_home_dir(), ".config", "tipline",
				     "tipline.conf", NULL);
	if (g_file_test(p, G_FILE_TEST_EXISTS))
		return p;
	g_free(p);
	if (g_file_test("/etc/tipline.conf", G_FILE_TEST_EXISTS))
		return g_strdup("/etc/tipline.conf");
	return NULL;
}

void
config_free(tl_config *cfg)
{
	if (cfg == NULL)
		return;
	g_free(cfg->path);
	g_free(cfg->database);
	g_free(cfg->spool_dir);
	g_free(cfg->passfile);
	g_free(cfg->desk_timezone);
	config_listen_clear(&cfg->serve.listen);
	g_free(cfg->serve.proxy_user_header);
	g_free(cfg->serve.proxy_secret_file);
	g_free(cfg->serve.editors_file);
	if (cfg->mailboxes != NULL)
		g_ptr_array_free(cfg->mailboxes, TRUE);
	g_free(cfg);
}

/* "<digits>[unit]" with unit looked up in UNITS (suffix -> multiplier). */
static gint64
parse_scaled(const char *s, const char *suffixes, const gint64 *mult)
{
	char *end;
	gint64 v;
	const char *u;

	if (s == NULL)
		return -1;
	while (g_ascii_isspace(*s))
		s++;
	if (!g_ascii_isdigit(*s))
		return -1;
	errno = 0;
	v = g_ascii_strtoll(s, &end, 10);
	if (errno != 0 || v < 0)
		return -1;
	while (g_ascii_isspace(*end))
		end++;
	if (*end == '\0')
		return v;
	u = strchr(suffixes, g_ascii_tolower(*end));
	if (u == NULL || *u == '\0')
		return -1;
	end++;
	if (g_ascii_tolower(*end) == 'b' || g_ascii_tolower(*end) == 'i')
		end++;	/* "100MB", "100MiB" */
	if (g_ascii_tolower(*end) == 'b')
		end++;
	while (g_ascii_isspace(*end))
		end++;
	if (*end != '\0')
		return -1;
	if (v > G_MAXINT64 / mult[u - suffixes])
		return -1;
	return v * mult[u - suffixes];
}

gint64
config_parse_size(const char *s)
{
	static const gint64 mult[] = { 1024LL, 1024LL * 1024,
				       1024LL * 1024 * 1024 };

	return parse_scaled(s, "kmg", mult);
}

gint64
config_parse_duration(const char *s)
{
	static const gint64 mult[] = { 1, 60, 3600, 86400, 7 * 86400 };

	return parse_scaled(s, "smhdw", mult);
}

tl_status
config_load_for_face(const char *explicit_path, tl_config **out,
		     char **errmsg)
{
	char *path = config_find(explicit_path);
	const char *db = g_getenv("TIPLINE_DB");
	tl_status rc;

	if (path == NULL) {
		if (db != NULL && *db != '\0') {
			*out = config_new_default(db);
			return TL_OK;
		}
		*errmsg = g_strdup("no configuration file: give --config FILE, "
		    "set TIPLINE_CONFIG, or create ~/.config/tipline/"
		    "tipline.conf or /etc/tipline.conf");
		return TL_CONFIG;
	}
	rc = config_load(path, out, errmsg);
	if (rc != TL_OK) {
		rc = TL_CONFIG;
	} else if (db != NULL && *db != '\0') {
		g_free((*out)->database);
		(*out)->database = g_strdup(db);
	}
	g_free(path);
	return rc;
}
