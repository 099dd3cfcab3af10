/* serve.h - tipline-serve, the desk in a browser (issue 12): a second
 * face beside src/, an executable of its own so that libmicrohttpd and
 * libsodium are never loaded by the cron job's tipline.
 *
 * Modules: serve-main.c (options, configuration, signals), http.c (the
 * libmicrohttpd daemon, limits, routing, security headers on every
 * response), auth.c (proxy header, passwords, sessions, CSRF),
 * passwd.c (`tipline passwd`), html-out.c (the one escaping output
 * helper), page-*.c (the pages, thin, drawn from the typed rows and
 * submission of store.h), page-media.c (an attachment's thumbnail,
 * clip and download), pool.c (the store connections), range.c (the
 * Range header, pure), static.c (the CSS and the keyboard script,
 * embedded).
 *
 * Threads: libmicrohttpd calls the handlers from a pool of SERVE_THREADS
 * threads.  A store connection's cached statements are not thread-safe,
 * so each request borrows a connection of its own from a pool of as many
 * (pool.c) for its whole run: a slow page (a preview being made) holds
 * only its own.
 */
#ifndef TIPLINE_SERVE_H
#define TIPLINE_SERVE_H

#include <glib.h>

#include "app.h"
#include "store.h"
#include "util.h"

/* Request limits (a request that passes them costs at most a few KiB). */
#define SERVE_BODY_MAX (64 * 1024)	/* bytes of a POST body */
#define SERVE_HEADER_MAX (16 * 1024)	/* bytes of the request line and
					 * headers: more is refused (431)
					 * by http.c, with the security
					 * headers */
#define SERVE_CONN_MEMORY (64 * 1024)	/* per connection: room for
					 * SERVE_HEADER_MAX and more, so that
					 * only a request that does not fit
					 * even this meets libmicrohttpd's
					 * own 431 (414), which 0.9.75 sends
					 * without our headers (a fixed page
					 * echoing nothing of the request:
					 * docs/operations.md) */
#define SERVE_CONN_LIMIT 1000		/* connections at once */
#define SERVE_CONN_TIMEOUT 30		/* seconds idle before closing */
#define SERVE_THREADS 4			/* libmicrohttpd's thread pool */
#define SERVE_PER_IP 64			/* connections per remote address;
					 * not for loopback and unix peers,
					 * nor for the proxy (an address that
					 * has sent the proxy secret) */
#define SERVE_SESSION_TTL (12 * 3600)	/* seconds a session lives idle */
#define SERVE_SESSIONS_MAX 4096		/* sessions kept at once: in proxy
					 * mode every cookieless request
					 * makes one */
#define SERVE_PAGE_ROWS 50		/* queue rows per page */
#define SERVE_BULK_MAX 200		/* submissions on /bulk, and in one
					 * bulk decision */
#define SERVE_AUDIT_ROWS 100		/* audit rows per page */
#define SERVE_STATS_DAYS 14		/* per-day counts of /stats, as the
					 * default of `tipline stats` */
#define SERVE_LOGIN_TRIES 5		/* wrong passwords in a row for one
					 * name before it must pause */
#define SERVE_LOGIN_PAUSE 60		/* seconds of that pause */

/* What the server shares between its threads.  Set up by serve-main.c
 * before the daemon starts; read-only afterwards except where a lock
 * says otherwise. */
typedef struct {
	tl_config *cfg;			/* borrowed from main */
	GAsyncQueue *stores;		/* free connections (pool.c) */
	GPtrArray *stores_all;		/* every one, to close at exit */
	char *proxy_secret;		/* auth = proxy (wiped at exit) */
	GMutex lock;			/* sessions, per_ip, proxies */
	GHashTable *sessions;		/* hex BLAKE2b(token) -> session */
	GHashTable *per_ip;		/* address text -> connections */
	GHashTable *proxies;		/* addresses that sent the proxy
					 * secret: no per-address limit */
	GHashTable *failures;		/* editor name -> login_failures
					 * (auth.c), under lock */
} serve_ctx;

/* ---- pool.c ---- */

/* Open N store connections on CTX->cfg's database (STORE_WRITE, its busy
 * timeout, desk_connection_setup each), all free.  On an error the store's
 * status with *errmsg (g_free); serve_pool_close frees what was opened. */
tl_status serve_pool_open(serve_ctx *ctx, guint n, char **errmsg);

/* A free connection, for the caller alone until serve_pool_give; waits
 * while all are taken (never for long: there are as many as threads). */
store *serve_pool_take(serve_ctx *ctx);

/* Give ST (from serve_pool_take; NULL: nothing) back. */
void serve_pool_give(serve_ctx *ctx, store *st);

/* Close every connection (none may be taken). */
void serve_pool_close(serve_ctx *ctx);

/* ---- http.c ---- */

/* Run the daemon on L until SIGTERM, SIGINT or SIGHUP (blocked by the
 * caller before any thread starts, taken here with sigwait).  The caller
 * has decided that L may be used (serve-main.c: a non-loopback address
 * only when the configuration names it).  TL_TEMPFAIL when the address
 * is in use; TL_CONFIG when it cannot be bound for another reason;
 * TL_SOFTWARE when libmicrohttpd does not start; *errmsg (g_free) says
 * which. */
tl_status http_run(serve_ctx *ctx, const serve_listen *l, char **errmsg);

/* ---- auth.c ---- */

/* An editor's session, as copied out of the table. */
typedef struct {
	char editor[128];
	char csrf[65];		/* hex, 32 random bytes */
} serve_session;

/* Set up the session table (ctx->lock must be initialised). */
void auth_init(serve_ctx *ctx);

/* Free the session table and the proxy secret. */
void auth_shutdown(serve_ctx *ctx);

/* A new session for EDITOR: *token_out (hex, 32 random bytes from
 * randombytes_buf) goes into the cookie; *out is its copy.  With
 * SERVE_SESSIONS_MAX sessions alive, the one closest to expiry ends. */
void auth_session_new(serve_ctx *ctx, const char *editor,
		      char token_out[65], serve_session *out);

/* Look TOKEN up; TRUE with *out filled when it names a live session (its
 * expiry is pushed back); an expired one is dropped. */
gboolean auth_session_find(serve_ctx *ctx, const char *token,
			   serve_session *out);

/* End the session TOKEN names, if any. */
void auth_session_end(serve_ctx *ctx, const char *token);

/* Is GOT the proxy secret?  Constant-time (sodium_memcmp over BLAKE2b
 * digests, so that not even the length leaks). */
gboolean auth_proxy_secret_ok(serve_ctx *ctx, const char *got);

/* Does PASSWORD match EDITOR's argon2id hash in the editors_file (read
 * again at every login, so that `tipline passwd` needs no restart)?
 * An unknown editor costs as much time as a wrong password.  FALSE with
 * a log line when the file cannot be read. */
gboolean auth_password_ok(serve_ctx *ctx, const char *editor,
			  const char *password);

/* Must logins as EDITOR pause?  After SERVE_LOGIN_TRIES wrong passwords
 * in a row, for SERVE_LOGIN_PAUSE seconds, every attempt is refused
 * before any hash is computed: guessing is slowed, and a flood of
 * guesses cannot keep every thread busy with argon2id. */
gboolean auth_login_paused(serve_ctx *ctx, const char *editor);

/* Record the outcome of a login as EDITOR (OK resets the count). */
void auth_login_note(serve_ctx *ctx, const char *editor, gboolean ok);

/* Is NAME acceptable as an editor's name: 1 to 64 bytes of UTF-8 with
 * no control character, ':' or white space at either end? */
gboolean auth_editor_name_ok(const char *name);

/* Constant-time comparison of two NUL-terminated tokens. */
gboolean auth_token_equal(const char *a, const char *b);

/* ---- passwd.c ---- */

/* `tipline-serve passwd EDITOR`: read a password from the terminal (no
 * echo, asked twice) or one line of standard input, and write EDITOR's
 * argon2id hash into CFG's editors_file, replacing an earlier line, by
 * writing a new file beside it and renaming it over (mode 0600). */
tl_status passwd_run(const tl_config *cfg, const char *editor,
		     char **errmsg);

/* ---- html-out.c ---- */

/* Append S as HTML text: & < > " ' escaped, invalid UTF-8 replaced,
 * control characters other than tab and newline dropped.  NULL appends
 * nothing. */
void html_text(GString *o, const char *s);

/* Append ` NAME="VALUE"` with VALUE escaped as html_text does; NAME must
 * be a constant of the page's own (never from a submission). */
void html_attr(GString *o, const char *name, const char *value);

/* Append the markup LITERAL unescaped: only for string constants of the
 * page's own code. */
void html_raw(GString *o, const char *literal);

/* Append an integer as text. */
void html_int(GString *o, gint64 v);

/* Append the store time ISO_UTC ("2026-12-02T00:30:00Z") as
 * `<time datetime="ISO_UTC">LOCAL</time>`, LOCAL in the newsroom's zone
 * (localtime_text: $TZ, set from [desk] timezone); LONG adds seconds and
 * the offset.  NULL appends nothing; an unparsable time shows "-". */
void html_when(GString *o, const char *iso_utc, gboolean longform);

/* The start of every page up to <main>, with TITLE escaped; EDITOR
 * (NULL: not logged in) and CSRF give the logout form. */
void html_page_begin(GString *o, const char *title, const char *editor,
		     const char *csrf);

/* The end of every page. */
void html_page_end(GString *o);

/* A hidden CSRF input for a form. */
void html_csrf(GString *o, const char *csrf);

/* ---- pages ---- */

/* What a page hands back to http.c to send. */
typedef struct {
	int status;		/* HTTP status */
	GString *body;		/* HTML, or NULL */
	char *location;		/* for 303, or NULL (g_free) */
} serve_page;

/* A request as the pages see it: the editor is known. */
typedef struct {
	serve_ctx *ctx;
	store *st;		/* this request's own connection (pool.c) */
	const char *editor;
	const char *csrf;
	GHashTable *query;	/* URL query parameters (may be NULL) */
	GHashTable *form;	/* POST form fields (may be NULL) */
} serve_req;

/* GET /: the queue, SERVE_PAGE_ROWS a page (?page=N). */
void page_queue(const serve_req *r, serve_page *p);

/* GET /s/ID: one submission with its decision forms. */
void page_submission(const serve_req *r, gint64 id, serve_page *p);

/* POST /s/ID/decide: approve, reject, spam or reopen with a note;
 * 409, naming the last decision, when the status or the version the
 * editor saw (fields "seen_status" and "seen_version", desk_expect; a
 * missing one is not checked) is no longer the submission's, checked by
 * desk_decide_expect in the store's write transaction (so also across
 * servers on one database). */
void page_decide(const serve_req *r, gint64 id, serve_page *p);

/* POST /s/ID/seen: record that the editor has seen ID (store_seen_mark
 * under the editor's login, as `tipline seen`), then 303 to /s/ID?seen=1.
 * Issue 10 wants a submission shown to an editor marked seen, issue 12
 * that a GET changes nothing: so the page carries a small same-origin
 * form (with the CSRF token) that keys.js submits on load, unless the
 * address carries seen=1, and a "Mark seen" button for use without
 * JavaScript.  A decision from the page (page_decide) marks it too.  404
 * for an unknown id. */
void page_seen(const serve_req *r, gint64 id, serve_page *p);

/* GET /bulk: the new submissions (at most SERVE_BULK_MAX), a checkbox
 * each, and approve/reject/spam buttons with a note.  POST /bulk/confirm
 * shows what those would do and asks again with a second form; POST
 * /bulk/apply decides each chosen id with desk_decide under the editor's
 * name (one audit row per submission) and marks it seen, as page_decide
 * does.  No JavaScript is needed.  A chosen id travels as the field
 * "id.N" whose value is the status and the version the editor saw
 * ("new:VERSION", desk_expect; a bare status checks the status alone):
 * one decided meanwhile is reported, not decided.  400 when nothing was
 * chosen or the form is not a decision. */
void page_bulk(const serve_req *r, serve_page *p);
void page_bulk_confirm(const serve_req *r, serve_page *p);
void page_bulk_apply(const serve_req *r, serve_page *p);

/* GET /audit: the audit log (audit_rows_load, as `tipline audit`),
 * newest first, SERVE_AUDIT_ROWS a page (?page=N); ?editor=NAME (exact
 * login name) and ?day=YYYY-MM-DD (a UTC day) narrow it.  400 for a day
 * that is not a date. */
void page_audit(const serve_req *r, serve_page *p);

/* GET /stats: store_stats_load over SERVE_STATS_DAYS days, the numbers
 * of `tipline stats`. */
void page_stats(const serve_req *r, serve_page *p);

/* The login page (GET /login, and the body of a 401 in local mode);
 * MESSAGE (may be NULL) is shown above the form. */
void page_login(GString *o, const char *message);

/* A short page saying WHAT (plain text), for errors and 401s. */
void page_message(GString *o, const char *title, const char *what);

/* ---- range.c ---- */

/* What a Range header asks of a representation. */
typedef enum {
	SERVE_RANGE_NONE = 0,		/* no header, or one we ignore (not
					 * "bytes", several ranges, malformed):
					 * send all with 200 */
	SERVE_RANGE_OK,			/* send *len bytes from *start: 206 */
	SERVE_RANGE_UNSATISFIABLE,	/* 416 with Content-Range: bytes
					 * (star)/SIZE */
} serve_range;

/* Parse HEADER (the Range field's value, or NULL) for a representation
 * of SIZE bytes, RFC 9110 section 14: "bytes=A-B" (B past the end is cut
 * to the last byte), "bytes=A-" (to the end), "bytes=-N" (the last N,
 * all of them when N >= SIZE).  A first byte at or past SIZE, a suffix
 * of 0 or any range of an empty representation is unsatisfiable.  Only a
 * single range is honoured; a multi-range or malformed header is
 * ignored (14.2 allows it) and gives SERVE_RANGE_NONE with *start 0 and
 * *len SIZE.  Pure. */
serve_range serve_range_parse(const char *header, guint64 size,
			      guint64 *start, guint64 *len);

/* ---- page-media.c ---- */

/* A response that is not an HTML page: a thumbnail, a download, a clip.
 * http.c sends it with the security headers of every response. */
typedef struct {
	int status;
	const char *ctype;	/* static string */
	GBytes *bytes;		/* in memory (a thumbnail), or NULL */
	int fd;			/* a temporary file to send from, or -1;
				 * the response takes it */
	guint64 offset, length;	/* of FD */
	char *disposition;	/* Content-Disposition, or NULL (g_free) */
	char *content_range;	/* or NULL (g_free) */
	gboolean sandbox;	/* add "sandbox" to the CSP */
	gboolean ranges;	/* Accept-Ranges: bytes */
	GString *body;		/* an HTML error page instead, or NULL */
} serve_media;

/* GET /s/ID/a/N/WHAT, WHAT one of "thumb" (the cached JPEG preview of
 * a photo or the still of a clip, inline), "download" (the decoded bytes
 * as application/octet-stream, attachment, sandboxed) or "clip" (an MP4
 * or QuickTime clip inline as video/mp4, honouring RANGE, the Range
 * header or NULL).  A dangerous attachment is only ever a download.
 * Fills *m (m->fd is -1 unless a file is to be sent). */
void page_media(const serve_req *r, gint64 id, gint64 idx, const char *what,
		const char *range, serve_media *m);

/* Is AT an MP4 or QuickTime clip (by its bytes, attachment_media) that
 * is not dangerous: played inline by the clip route? */
gboolean page_media_is_clip(const detail_attachment *at);

/* Does the preview worker make a thumbnail or still of AT (a photo it
 * decodes or a clip, never a dangerous file)? */
gboolean page_media_has_preview(const detail_attachment *at);

/* The route of attachment IDX of submission ID for WHAT, as page_media
 * reads it (g_free). */
char *page_media_url(gint64 id, gint64 idx, const char *what);

/* The RFC 6266 Content-Disposition "attachment" value for NAME (any
 * bytes, NULL allowed): made safe by safename_make, an ASCII filename=
 * fallback (nfc_fold: diacritics folded, lower case; anything else as
 * '_') and filename*=UTF-8'' percent-encoded
 * (RFC 8187).  Newly allocated (g_free). */
char *page_media_disposition(const char *name);

/* ---- static.c ---- */

/* The embedded file at PATH ("/static/tipline.css"), with its content
 * type; FALSE when there is none. */
gboolean static_find(const char *path, const char **body, gsize *len,
		     const char **ctype);

#endif
