/* auth.c - who is at the browser: the reverse proxy's login header
 * (trusted only with the proxy secret), or a password checked against an
 * argon2id hash (libsodium's crypto_pwhash_str); sessions in memory. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "serve.h"

typedef struct {
	serve_session s;
	gint64 expires;		/* g_get_monotonic_time() microseconds */
} session_entry;

/* The table's key: hex BLAKE2b of the token, so that the lookup's
 * timing tells nothing about the tokens themselves. */
static void
token_key(const char *token, char out[65])
{
	unsigned char d[32];

	crypto_generichash(d, sizeof d, (const unsigned char *)token,
			   strlen(token), NULL, 0);
	sodium_bin2hex(out, 65, d, sizeof d);
}

static void
random_hex(char out[65])
{
	unsigned char b[32];

	randombytes_buf(b, sizeof b);
	sodium_bin2hex(out, 65, b, sizeof b);
	sodium_memzero(b, sizeof b);
}

/* Wrong passwords for one name. */
typedef struct {
	int count;		/* in a row */
	gint64 until;		/* paused until (monotonic us), or 0 */
} login_failures;

void
auth_init(serve_ctx *ctx)
{
	ctx->sessions = g_hash_table_new_full(g_str_hash, g_str_equal,
					      g_free, g_free);
	ctx->failures = g_hash_table_new_full(g_str_hash, g_str_equal,
					      g_free, g_free);
}

gboolean
auth_login_paused(serve_ctx *ctx, const char *editor)
{
	login_failures *f;
	gboolean paused;

	if (editor == NULL)
		return FALSE;
	g_mutex_lock(&ctx->lock);
	f = g_hash_table_lookup(ctx->failures, editor);
	paused = f != NULL && f->until > g_get_monotonic_time();
	g_mutex_unlock(&ctx->lock);
	return paused;
}

void
auth_login_note(serve_ctx *ctx, const char *editor, gboolean ok)
{
	login_failures *f;

	if (editor == NULL)
		return;
	g_mutex_lock(&ctx->lock);
	if (ok) {
		g_hash_table_remove(ctx->failures, editor);
	} else {
		/* Names are the guesser's choice: keep the table bounded. */
		if (g_hash_table_size(ctx->failures) >= SERVE_SESSIONS_MAX)
			g_hash_table_remove_all(ctx->failures);
		f = g_hash_table_lookup(ctx->failures, editor);
		if (f == NULL) {
			f = g_new0(login_failures, 1);
			g_hash_table_insert(ctx->failures, g_strdup(editor),
					    f);
		}
		if (++f->count >= SERVE_LOGIN_TRIES) {
			f->count = 0;
			f->until = g_get_monotonic_time() +
				   (gint64)SERVE_LOGIN_PAUSE * G_USEC_PER_SEC;
		}
	}
	g_mutex_unlock(&ctx->lock);
}

void
auth_shutdown(serve_ctx *ctx)
{
	if (ctx->sessions != NULL)
		g_hash_table_destroy(ctx->sessions);
	ctx->sessions = NULL;
	if (ctx->failures != NULL)
		g_hash_table_destroy(ctx->failures);
	ctx->failures = NULL;
	if (ctx->proxy_secret != NULL) {
		sodium_memzero(ctx->proxy_secret, strlen(ctx->proxy_secret));
		g_free(ctx->proxy_secret);
		ctx->proxy_secret = NULL;
	}
}

static gboolean
expired(gpointer key, gpointer value, gpointer now)
{
	(void)key;
	return ((session_entry *)value)->expires < *(gint64 *)now;
}

/* Keep the table bounded (ctx->lock held): drop the expired, then, if
 * still full, the session that would expire first. */
static void
sessions_trim(serve_ctx *ctx, gint64 now)
{
	GHashTableIter it;
	gpointer k, v, oldest = NULL;
	gint64 min = G_MAXINT64;

	if (g_hash_table_size(ctx->sessions) < SERVE_SESSIONS_MAX)
		return;
	g_hash_table_foreach_remove(ctx->sessions, expired, &now);
	if (g_hash_table_size(ctx->sessions) < SERVE_SESSIONS_MAX)
		return;
	g_hash_table_iter_init(&it, ctx->sessions);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		if (((session_entry *)v)->expires < min) {
			min = ((session_entry *)v)->expires;
			oldest = k;
		}
	}
	if (oldest != NULL)
		g_hash_table_remove(ctx->sessions, oldest);
}

void
auth_session_new(serve_ctx *ctx, const char *editor, char token_out[65],
		 serve_session *out)
{
	session_entry *e = g_new0(session_entry, 1);
	char key[65];

	g_strlcpy(e->s.editor, editor, sizeof e->s.editor);
	random_hex(e->s.csrf);
	e->expires = g_get_monotonic_time() +
		     (gint64)SERVE_SESSION_TTL * G_USEC_PER_SEC;
	random_hex(token_out);
	token_key(token_out, key);
	*out = e->s;
	g_mutex_lock(&ctx->lock);
	sessions_trim(ctx, g_get_monotonic_time());
	g_hash_table_replace(ctx->sessions, g_strdup(key), e);
	g_mutex_unlock(&ctx->lock);
}

gboolean
auth_session_find(serve_ctx *ctx, const char *token, serve_session *out)
{
	gint64 now = g_get_monotonic_time();
	session_entry *e;
	char key[65];
	gboolean found = FALSE;

	if (token == NULL || strlen(token) != 64)
		return FALSE;
	token_key(token, key);
	g_mutex_lock(&ctx->lock);
	/* Others that expired go when the table is full (sessions_trim). */
	if ((e = g_hash_table_lookup(ctx->sessions, key)) != NULL &&
	    e->expires < now) {
		g_hash_table_remove(ctx->sessions, key);
		e = NULL;
	}
	if (e != NULL) {
		e->expires = now + (gint64)SERVE_SESSION_TTL *
			     G_USEC_PER_SEC;
		*out = e->s;
		found = TRUE;
	}
	g_mutex_unlock(&ctx->lock);
	return found;
}

void
auth_session_end(serve_ctx *ctx, const char *token)
{
	char key[65];

	if (token == NULL)
		return;
	token_key(token, key);
	g_mutex_lock(&ctx->lock);
	g_hash_table_remove(ctx->sessions, key);
	g_mutex_unlock(&ctx->lock);
}

static void
digest(const char *s, unsigned char out[32])
{
	crypto_generichash(out, 32, (const unsigned char *)s, strlen(s),
			   NULL, 0);
}

gboolean
auth_token_equal(const char *a, const char *b)
{
	unsigned char da[32], db[32];

	if (a == NULL || b == NULL)
		return FALSE;
	digest(a, da);
	digest(b, db);
	return sodium_memcmp(da, db, sizeof da) == 0;
}

gboolean
auth_proxy_secret_ok(serve_ctx *ctx, const char *got)
{
	return ctx->proxy_secret != NULL &&
	       auth_token_equal(ctx->proxy_secret, got);
}

gboolean
auth_editor_name_ok(const char *name)
{
	size_t n;

	if (name == NULL || (n = strlen(name)) == 0 || n > 64 ||
	    !g_utf8_validate(name, -1, NULL))
		return FALSE;
	if (g_ascii_isspace(name[0]) || g_ascii_isspace(name[n - 1]))
		return FALSE;
	for (const char *p = name; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (c == ':' || g_unichar_iscntrl(c))
			return FALSE;
	}
	return TRUE;
}

/* EDITOR's hash from the editors_file ("editor:hash" lines), or NULL. */
static char *
hash_of(const char *path, const char *editor, char **errmsg)
{
	char *text = NULL, *found = NULL;
	char **lines;
	GError *gerr = NULL;
	size_t n = strlen(editor);

	if (config_private_file_check(path, "editors_file", errmsg) != TL_OK)
		return NULL;
	if (!g_file_get_contents(path, &text, NULL, &gerr)) {
		*errmsg = g_strdup_printf("editors_file %s: %s", path,
					  gerr->message);
		g_error_free(gerr);
		return NULL;
	}
	lines = g_strsplit(text, "\n", -1);
	for (int i = 0; lines[i] != NULL && found == NULL; i++) {
		if (strncmp(lines[i], editor, n) == 0 && lines[i][n] == ':')
			found = g_strdup(lines[i] + n + 1);
	}
	g_strfreev(lines);
	g_free(text);
	return found;
}

gboolean
auth_password_ok(serve_ctx *ctx, const char *editor, const char *password)
{
	/* A hash of a password no one has, checked when the editor is
	 * unknown, so that both answers take as long. */
	static char dummy[crypto_pwhash_STRBYTES];
	static gsize once;
	char *hash = NULL, *err = NULL;
	gboolean ok;

	if (!auth_editor_name_ok(editor) || password == NULL)
		return FALSE;
	if (g_once_init_enter(&once)) {
		char pw[65];

		random_hex(pw);
		if (crypto_pwhash_str(dummy, pw, strlen(pw),
				      crypto_pwhash_OPSLIMIT_INTERACTIVE,
				      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
			dummy[0] = '\0';
		g_once_init_leave(&once, 1);
	}
	hash = hash_of(ctx->cfg->serve.editors_file, editor, &err);
	if (err != NULL) {
		log_err("serve: %s", err);
		g_free(err);
	}
	ok = crypto_pwhash_str_verify(hash ? hash : dummy, password,
				      strlen(password)) == 0 && hash != NULL;
	g_free(hash);
	return ok;
}
