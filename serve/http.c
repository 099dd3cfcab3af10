/* http.c - the libmicrohttpd daemon of tipline-serve: the listening
 * socket, limits, the per-address connection count, authentication and
 * CSRF checks, routing, and the security headers every response carries
 * (issue 12). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <microhttpd.h>

#include "serve.h"

#define COOKIE "tipline_session"

/* The same policy on every response: nothing but our own script, style
 * and images; no framing; no forms to elsewhere. */
static const char csp[] =
	"default-src 'none'; script-src 'self'; style-src 'self'; "
	"img-src 'self'; media-src 'self'; form-action 'self'; "
	"base-uri 'none'; frame-ancestors 'none'";

/* For attachments sent as downloads: the same, and a sandbox, so that
 * a file opened by mistake in the browser runs nothing (issue 12). */
static const char csp_sandbox[] =
	"default-src 'none'; script-src 'self'; style-src 'self'; "
	"img-src 'self'; media-src 'self'; form-action 'self'; "
	"base-uri 'none'; frame-ancestors 'none'; sandbox";

/* What one connection's request has sent so far. */
typedef struct {
	GString *body;
	int too_big;	/* 1: the body (413), 2: the headers (431) */
} conn_state;

/* What to send. */
typedef struct {
	int status;
	const char *ctype;
	GString *body;		/* owned, or NULL */
	const char *fixed;	/* static body instead of BODY */
	gsize fixed_len;
	char *location;		/* owned */
	char *cookie;		/* Set-Cookie, owned */
	const char *allow;	/* for 405 */
	serve_media *media;	/* a thumbnail, download or clip, or NULL
				 * (owned) */
} reply;

/* The response of M: its bytes, its file (taken: libmicrohttpd closes
 * it) or its error page. */
static struct MHD_Response *
media_response(serve_media *m)
{
	struct MHD_Response *resp;

	if (m->body != NULL)
		return MHD_create_response_from_buffer(m->body->len,
			m->body->str, MHD_RESPMEM_MUST_COPY);
	if (m->bytes != NULL) {
		gsize len;
		gconstpointer data = g_bytes_get_data(m->bytes, &len);

		return MHD_create_response_from_buffer(len, (void *)data,
			MHD_RESPMEM_MUST_COPY);
	}
	resp = MHD_create_response_from_fd_at_offset64(m->length, m->fd,
						       m->offset);
	if (resp != NULL)
		m->fd = -1;
	return resp;
}

static void
media_free(serve_media *m)
{
	if (m == NULL)
		return;
	if (m->fd >= 0)
		close(m->fd);
	if (m->bytes != NULL)
		g_bytes_unref(m->bytes);
	if (m->body != NULL)
		g_string_free(m->body, TRUE);
	g_free(m->disposition);
	g_free(m->content_range);
	g_free(m);
}

static enum MHD_Result
reply_send(struct MHD_Connection *c, reply *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (r->media != NULL)
		resp = media_response(r->media);
	else if (r->fixed != NULL)
		resp = MHD_create_response_from_buffer(r->fixed_len,
			(void *)r->fixed, MHD_RESPMEM_PERSISTENT);
	else
		resp = MHD_create_response_from_buffer(
			r->body ? r->body->len : 0,
			r->body ? r->body->str : (char *)"",
			MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	if (r->media != NULL && r->media->body == NULL)
		r->ctype = r->media->ctype;
	MHD_add_response_header(resp, "Content-Type", r->ctype ? r->ctype :
				"text/html; charset=utf-8");
	MHD_add_response_header(resp, "Content-Security-Policy",
				r->media && r->media->sandbox ? csp_sandbox :
				csp);
	if (r->media != NULL && r->media->disposition != NULL)
		MHD_add_response_header(resp, "Content-Disposition",
					r->media->disposition);
	if (r->media != NULL && r->media->content_range != NULL)
		MHD_add_response_header(resp, "Content-Range",
					r->media->content_range);
	if (r->media != NULL && r->media->ranges)
		MHD_add_response_header(resp, "Accept-Ranges", "bytes");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	if (r->location != NULL)
		MHD_add_response_header(resp, "Location", r->location);
	if (r->cookie != NULL)
		MHD_add_response_header(resp, "Set-Cookie", r->cookie);
	if (r->allow != NULL)
		MHD_add_response_header(resp, "Allow", r->allow);
	ret = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void
reply_message(reply *r, int status, const char *title, const char *what)
{
	r->status = status;
	if (r->body == NULL)
		r->body = g_string_new(NULL);
	page_message(r->body, title, what);
}

static const char *
header(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static char *peer_key(const struct sockaddr *sa);

/* The proxy's address, learnt from a request that carried the proxy
 * secret: behind a proxy every connection comes from it, so the
 * per-address limit must not apply to it (issue 12). */
static void
proxy_peer_note(serve_ctx *ctx, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci;
	char *key;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (key = peer_key(ci->client_addr)) == NULL)
		return;
	g_mutex_lock(&ctx->lock);
	if (!g_hash_table_contains(ctx->proxies, key))
		log_info("serve: %s is the proxy (it sent the proxy secret); "
			 "no connection limit for it", key);
	g_hash_table_add(ctx->proxies, key);
	g_mutex_unlock(&ctx->lock);
}

/* A POST must come from our own pages: a browser's Sec-Fetch-Site says
 * so, or its Origin is this server's (RFC 6454).  Under Referrer-Policy:
 * no-referrer, which every page sends, the Fetch standard makes a form's
 * Origin "null": that is accepted only with Sec-Fetch-Site: same-origin.
 * Clients that send neither (curl, old browsers) still need the CSRF
 * token. */
static gboolean
post_origin_ok(struct MHD_Connection *c)
{
	const char *site = header(c, "Sec-Fetch-Site");
	const char *origin = header(c, "Origin");
	const char *host = header(c, "Host");
	const char *rest;

	if (site != NULL && strcmp(site, "same-origin") != 0)
		return FALSE;
	if (origin == NULL)
		return TRUE;
	if (strcmp(origin, "null") == 0)
		return site != NULL;
	if (host == NULL)
		return FALSE;
	if (g_str_has_prefix(origin, "http://"))
		rest = origin + 7;
	else if (g_str_has_prefix(origin, "https://"))
		rest = origin + 8;
	else
		return FALSE;
	return g_ascii_strcasecmp(rest, host) == 0;
}

/* The session cookie, Secure when the proxy says the browser came over
 * HTTPS (a client can only make it stricter by claiming so). */
static char *
cookie_for(struct MHD_Connection *c, const char *token)
{
	const char *proto = header(c, "X-Forwarded-Proto");
	gboolean secure = proto != NULL && strcmp(proto, "https") == 0;

	return g_strdup_printf(COOKIE "=%s; Path=/; HttpOnly; "
			       "SameSite=Strict%s", token,
			       secure ? "; Secure" : "");
}

/* One URL query parameter into the table CLS.  A repeated status=
 * (a form of checkboxes, status=new&status=spam) is kept whole, as the
 * comma list desk_statuses_parse reads; of another repeated name the
 * last value counts. */
static enum MHD_Result
query_add(void *cls, enum MHD_ValueKind kind, const char *key,
	  const char *value)
{
	const char *had;

	(void)kind;
	if (key == NULL || value == NULL)
		return MHD_YES;
	had = g_hash_table_lookup(cls, key);
	if (had != NULL && *had != '\0' && strcmp(key, "status") == 0)
		g_hash_table_replace(cls, g_strdup(key),
				     g_strconcat(had, ",", value, NULL));
	else
		g_hash_table_replace(cls, g_strdup(key), g_strdup(value));
	return MHD_YES;
}

/* "/s/ID" or "/s/ID/decide": the id and what follows it, or 0. */
static gint64
path_id(const char *url, const char **rest)
{
	char *end = NULL;
	gint64 id;

	if (!g_str_has_prefix(url, "/s/") || !g_ascii_isdigit(url[3]))
		return 0;
	id = g_ascii_strtoll(url + 3, &end, 10);
	*rest = end;
	return id > 0 ? id : 0;
}

/* REST after "/s/ID" is "/a/N/WHAT": N into *idx, WHAT returned (a
 * pointer into REST), or NULL. */
static const char *
path_attachment(const char *rest, gint64 *idx)
{
	char *end = NULL;

	if (!g_str_has_prefix(rest, "/a/") || !g_ascii_isdigit(rest[3]))
		return NULL;
	*idx = g_ascii_strtoll(rest + 3, &end, 10);
	if (*end != '/' || *idx < 0)
		return NULL;
	end++;
	if (strcmp(end, "thumb") != 0 && strcmp(end, "clip") != 0 &&
	    strcmp(end, "download") != 0)
		return NULL;
	return end;
}

/* Local mode: GET /login shows the form, POST /login checks it. */
static void
login(serve_ctx *ctx, struct MHD_Connection *c, GHashTable *form,
      int is_post, reply *r)
{
	const char *editor, *password;
	serve_session s;
	char token[65];

	r->status = 200;
	r->body = g_string_new(NULL);
	if (!is_post) {
		page_login(r->body, NULL);
		return;
	}
	editor = form ? g_hash_table_lookup(form, "editor") : NULL;
	password = form ? g_hash_table_lookup(form, "password") : NULL;
	if (auth_login_paused(ctx, editor)) {
		r->status = 429;
		page_login(r->body, "Too many wrong passwords for this name: "
			   "wait a minute and try again.");
		return;
	}
	if (!auth_password_ok(ctx, editor, password)) {
		auth_login_note(ctx, editor, FALSE);
		log_info("serve: login refused for a wrong name or password");
		r->status = 401;
		page_login(r->body, "Wrong name or password.");
		return;
	}
	auth_login_note(ctx, editor, TRUE);
	auth_session_new(ctx, editor, token, &s);
	r->cookie = cookie_for(c, token);
	r->status = 303;
	r->location = g_strdup("/");
}

/* Who is this?  FALSE with R filled (401) when nobody we know. */
static gboolean
authenticate(serve_ctx *ctx, struct MHD_Connection *c, serve_session *s,
	     reply *r)
{
	const char *token = MHD_lookup_connection_value(c, MHD_COOKIE_KIND,
							COOKIE);
	const tl_serve_conf *sv = &ctx->cfg->serve;
	const char *user;
	char fresh[65];
	gboolean have = auth_session_find(ctx, token, s);

	if (sv->auth == SERVE_AUTH_LOCAL) {
		if (have)
			return TRUE;
		r->status = 401;
		r->body = g_string_new(NULL);
		page_login(r->body, NULL);
		return FALSE;
	}
	if (!auth_proxy_secret_ok(ctx, header(c, "X-Tipline-Proxy-Secret"))) {
		reply_message(r, 401, "Not logged in", "This request did not "
			      "come through the newsroom's proxy (the proxy "
			      "secret is missing or wrong).");
		return FALSE;
	}
	proxy_peer_note(ctx, c);
	user = header(c, sv->proxy_user_header);
	if (!auth_editor_name_ok(user)) {
		reply_message(r, 401, "Not logged in", "The proxy sent no "
			      "editor's login name.");
		return FALSE;
	}
	if (have && strcmp(s->editor, user) == 0)
		return TRUE;
	auth_session_new(ctx, user, fresh, s);
	r->cookie = cookie_for(c, fresh);
	return TRUE;
}

/* The page URL names, for the editor of REQ (with its own store
 * connection). */
static void
route_page(serve_ctx *ctx, struct MHD_Connection *c, const char *url,
	   int is_post, const serve_req *base, reply *r)
{
	serve_req req = *base;
	serve_page p = { 0, NULL, NULL };
	const char *rest = NULL, *what;
	gint64 id, idx = -1;

	id = path_id(url, &rest);
	if (strcmp(url, "/") == 0 && !is_post) {
		req.query = g_hash_table_new_full(g_str_hash, g_str_equal,
						  g_free, g_free);
		MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, query_add,
					  req.query);
		page_queue(&req, &p);
		g_hash_table_unref(req.query);
	} else if ((strcmp(url, "/audit") == 0 ||
		    strcmp(url, "/stats") == 0) && !is_post) {
		req.query = g_hash_table_new_full(g_str_hash, g_str_equal,
						  g_free, g_free);
		MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, query_add,
					  req.query);
		if (url[1] == 'a')
			page_audit(&req, &p);
		else
			page_stats(&req, &p);
		g_hash_table_unref(req.query);
	} else if (strcmp(url, "/bulk") == 0 && !is_post) {
		page_bulk(&req, &p);
	} else if (strcmp(url, "/bulk/confirm") == 0 && is_post) {
		page_bulk_confirm(&req, &p);
	} else if (strcmp(url, "/bulk/apply") == 0 && is_post) {
		page_bulk_apply(&req, &p);
	} else if (strcmp(url, "/logout") == 0 && is_post) {
		auth_session_end(ctx, MHD_lookup_connection_value(c,
				 MHD_COOKIE_KIND, COOKIE));
		g_free(r->cookie);
		r->cookie = g_strdup(COOKIE "=; Path=/; HttpOnly; "
				     "SameSite=Strict; Max-Age=0");
		p.status = 303;
		p.location = g_strdup(ctx->cfg->serve.auth ==
				      SERVE_AUTH_LOCAL ? "/login" : "/");
	} else if (id > 0 && *rest == '\0' && !is_post) {
		page_submission(&req, id, &p);
	} else if (id > 0 && !is_post &&
		   (what = path_attachment(rest, &idx)) != NULL) {
		r->media = g_new0(serve_media, 1);
		page_media(&req, id, idx, what, header(c, "Range"), r->media);
		r->status = r->media->status;
		return;
	} else if (id > 0 && strcmp(rest, "/decide") == 0 && is_post) {
		page_decide(&req, id, &p);
	} else if (id > 0 && strcmp(rest, "/seen") == 0 && is_post) {
		page_seen(&req, id, &p);
	} else if ((id > 0 && (strcmp(rest, "/decide") == 0 ||
			       strcmp(rest, "/seen") == 0)) ||
		   strcmp(url, "/logout") == 0 ||
		   g_str_has_prefix(url, "/bulk/")) {
		/* A decision is never made by a GET (a link, a prefetch). */
		r->allow = "POST";
		reply_message(r, 405, "Not allowed", "Decisions are made "
			      "with the buttons of a submission's page.");
		return;
	} else {
		reply_message(r, 404, "Not found", "There is no such page.");
		return;
	}
	r->status = p.status;
	r->body = p.body;
	r->location = p.location;
}

static void
route(serve_ctx *ctx, struct MHD_Connection *c, const char *url,
      int is_post, GHashTable *form, reply *r)
{
	serve_session s;
	serve_req req = { ctx, NULL, NULL, NULL, NULL, form };

	if (!authenticate(ctx, c, &s, r))
		return;
	req.editor = s.editor;
	req.csrf = s.csrf;
	if (is_post && !auth_token_equal(form ? g_hash_table_lookup(form,
				"csrf") : NULL, s.csrf)) {
		reply_message(r, 403, "Refused", "This form is out of date "
			      "or was not sent from this desk; reload the "
			      "page and try again.");
		return;
	}
	req.st = serve_pool_take(ctx);
	route_page(ctx, c, url, is_post, &req, r);
	serve_pool_give(ctx, req.st);
}

/* A complete request: method, authentication, CSRF, route. */
static void
handle(serve_ctx *ctx, struct MHD_Connection *c, const char *url,
       const char *method, conn_state *cs, reply *r)
{
	int is_post = strcmp(method, "POST") == 0;
	int is_get = strcmp(method, "GET") == 0 ||
		     strcmp(method, "HEAD") == 0;
	GHashTable *form = NULL;
	const char *sbody, *ctype;
	gsize slen;

	if (!is_post && !is_get) {
		r->allow = "GET, HEAD, POST";
		reply_message(r, 405, "Not allowed", "Not a method this desk "
			      "answers.");
		return;
	}
	if (ctx->cfg->serve.auth == SERVE_AUTH_NONE) {
		reply_message(r, 401, "Not configured", "No editor can log in: "
			      "the configuration has no [serve] auth. Set "
			      "auth = proxy or auth = local (see "
			      "tipline.conf(5)) and restart tipline serve.");
		return;
	}
	if (is_post && !post_origin_ok(c)) {
		reply_message(r, 403, "Refused", "This form was not sent from "
			      "this desk.");
		return;
	}
	if (is_post && cs->body != NULL && cs->body->len > 0) {
		form = g_uri_parse_params(cs->body->str,
					  (gssize)cs->body->len, "&",
					  G_URI_PARAMS_WWW_FORM, NULL);
		if (form == NULL) {
			reply_message(r, 400, "Bad request", "The form could "
				      "not be read.");
			return;
		}
	}
	if (is_get && static_find(url, &sbody, &slen, &ctype)) {
		r->status = 200;
		r->fixed = sbody;
		r->fixed_len = slen;
		r->ctype = ctype;
	} else if (ctx->cfg->serve.auth == SERVE_AUTH_LOCAL &&
		   strcmp(url, "/login") == 0) {
		login(ctx, c, form, is_post, r);
	} else {
		route(ctx, c, url, is_post, form, r);
	}
	if (form != NULL)
		g_hash_table_unref(form);
}

static enum MHD_Result
header_bytes_add(void *cls, enum MHD_ValueKind kind, const char *key,
		 const char *value)
{
	gsize *n = cls;

	(void)kind;
	*n += (key ? strlen(key) : 0) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

/* The size of C's request line and headers, about as they were sent
 * ("Name: value" CRLF each). */
static gsize
header_bytes(struct MHD_Connection *c, const char *url, const char *method)
{
	gsize n = strlen(method) + strlen(url) + 16;

	MHD_get_connection_values(c, MHD_HEADER_KIND, header_bytes_add, &n);
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, header_bytes_add,
				  &n);
	return n;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
	   const char *method, const char *version, const char *upload,
	   size_t *upload_size, void **con_cls)
{
	serve_ctx *ctx = cls;
	conn_state *cs = *con_cls;
	reply r = { 0 };
	enum MHD_Result ret;
	const char *len;

	(void)version;
	if (cs == NULL) {
		cs = g_new0(conn_state, 1);
		*con_cls = cs;
		/* Ours, not libmicrohttpd's 431: this one carries the
		 * security headers (SERVE_CONN_MEMORY). */
		if (header_bytes(c, url, method) > SERVE_HEADER_MAX) {
			cs->too_big = 2;
			goto refuse;
		}
		len = header(c, "Content-Length");
		/* Refuse an oversized body before reading it. */
		if (len != NULL && g_ascii_strtoull(len, NULL, 10) >
		    SERVE_BODY_MAX) {
			cs->too_big = 1;
			goto refuse;
		}
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (cs->body == NULL)
			cs->body = g_string_new(NULL);
		if (cs->body->len + *upload_size > SERVE_BODY_MAX)
			cs->too_big = 1;
		else if (!cs->too_big)
			g_string_append_len(cs->body, upload,
					    (gssize)*upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (cs->too_big)
		goto refuse;
	handle(ctx, c, url, method, cs, &r);
	goto send;
refuse:
	if (cs->too_big == 2)
		reply_message(&r, 431, "Too large", "The request's header "
			      "fields are too large.");
	else
		reply_message(&r, 413, "Too large", "The request is too "
			      "large.");
send:
	ret = reply_send(c, &r);
	if (r.body != NULL)
		g_string_free(r.body, TRUE);
	g_free(r.location);
	g_free(r.cookie);
	media_free(r.media);
	return ret;
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
	     enum MHD_RequestTerminationCode toe)
{
	conn_state *cs = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (cs == NULL)
		return;
	if (cs->body != NULL)
		g_string_free(cs->body, TRUE);
	g_free(cs);
	*con_cls = NULL;
}

/* The peer's address as text, or NULL for a loopback or unix peer (to
 * which the per-address limit does not apply). */
static char *
peer_key(const struct sockaddr *sa)
{
	char buf[INET6_ADDRSTRLEN];

	if (sa == NULL || sa->sa_family == AF_UNIX)
		return NULL;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;

		if ((ntohl(in->sin_addr.s_addr) >> 24) == 127)
			return NULL;
		inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf);
		return g_strdup(buf);
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;
		const unsigned char *a = in6->sin6_addr.s6_addr;

		if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr) ||
		    (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) && a[12] == 127))
			return NULL;
		inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof buf);
		return g_strdup(buf);
	}
	return NULL;
}

static enum MHD_Result
on_accept(void *cls, const struct sockaddr *addr, socklen_t len)
{
	serve_ctx *ctx = cls;
	char *key = peer_key(addr);
	guint n;

	(void)len;
	if (key == NULL)
		return MHD_YES;
	g_mutex_lock(&ctx->lock);
	n = g_hash_table_contains(ctx->proxies, key) ? 0 :
	    GPOINTER_TO_UINT(g_hash_table_lookup(ctx->per_ip, key));
	g_mutex_unlock(&ctx->lock);
	if (n >= SERVE_PER_IP)
		log_debug("serve: %s has %u connections; refused", key, n);
	g_free(key);
	return n >= SERVE_PER_IP ? MHD_NO : MHD_YES;
}

/* Shut connection C down (both ways) so that libmicrohttpd closes it. */
static void
over_limit(struct MHD_Connection *c, const char *key, guint n)
{
	const union MHD_ConnectionInfo *fi;

	fi = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (fi != NULL)
		shutdown(fi->connect_fd, SHUT_RDWR);
	log_debug("serve: %s has %u connections; closed", key, n);
}

static void
on_connection(void *cls, struct MHD_Connection *c, void **socket_ctx,
	      enum MHD_ConnectionNotificationCode toe)
{
	serve_ctx *ctx = cls;
	const union MHD_ConnectionInfo *ci;
	char *key;
	guint n;

	(void)socket_ctx;
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (key = peer_key(ci->client_addr)) == NULL)
		return;
	g_mutex_lock(&ctx->lock);
	n = GPOINTER_TO_UINT(g_hash_table_lookup(ctx->per_ip, key));
	if (toe == MHD_CONNECTION_NOTIFY_STARTED)
		n++;
	else if (n > 0)
		n--;
	/* on_accept's test and this count are not one step: two pool
	 * threads can both pass it at 63.  Here, under the lock, the
	 * count is exact; one over the limit is shut down, and MHD then
	 * closes it and tells us (CLOSED), which gives the count back. */
	if (toe == MHD_CONNECTION_NOTIFY_STARTED && n > SERVE_PER_IP &&
	    !g_hash_table_contains(ctx->proxies, key))
		over_limit(c, key, n);
	if (n > 0) {
		/* The table takes KEY (and frees the one it had). */
		g_hash_table_replace(ctx->per_ip, key, GUINT_TO_POINTER(n));
	} else {
		g_hash_table_remove(ctx->per_ip, key);
		g_free(key);
	}
	g_mutex_unlock(&ctx->lock);
}

static void __attribute__((format(printf, 2, 0)))
on_log(void *cls, const char *fmt, va_list ap)
{
	char *s = g_strdup_vprintf(fmt, ap);

	(void)cls;
	g_strchomp(s);
	log_debug("serve: libmicrohttpd: %s", s);
	g_free(s);
}

/* A unix socket at L->path: a stale socket file is replaced, anything
 * else there is refused. */
static int
bind_unix(const serve_listen *l, int fd, char **errmsg)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct stat sb;

	if (strlen(l->path) >= sizeof sun.sun_path) {
		*errmsg = g_strdup_printf("unix:%s: path too long", l->path);
		return -1;
	}
	strcpy(sun.sun_path, l->path);
	if (lstat(l->path, &sb) == 0) {
		if (!S_ISSOCK(sb.st_mode)) {
			*errmsg = g_strdup_printf("unix:%s: a file that is "
						  "not a socket is there",
						  l->path);
			return -1;
		}
		if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0) {
			errno = EADDRINUSE;
			return -1;
		}
		unlink(l->path);
	}
	/* The proxy's user (its group) connects: not everyone. */
	if (bind(fd, (struct sockaddr *)&sun, sizeof sun) != 0)
		return -1;
	if (chmod(l->path, 0660) != 0)
		return -1;
	return 0;
}

static tl_status
listen_socket(const serve_listen *l, int *fd_out, char **errmsg)
{
	struct sockaddr_in in4 = { .sin_family = AF_INET };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6 };
	int one = 1, fam, fd, r, e;

	*fd_out = -1;
	*errmsg = NULL;
	fam = l->is_unix ? AF_UNIX : strchr(l->host, ':') ? AF_INET6 :
	      AF_INET;
	fd = socket(fam, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		goto fail;
	if (fam == AF_UNIX) {
		r = bind_unix(l, fd, errmsg);
		if (r != 0 && *errmsg != NULL) {
			close(fd);
			return TL_CONFIG;
		}
	} else {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (fam == AF_INET6) {
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
				   sizeof one);
			inet_pton(AF_INET6, l->host, &in6.sin6_addr);
			in6.sin6_port = htons((uint16_t)l->port);
			r = bind(fd, (struct sockaddr *)&in6, sizeof in6);
		} else {
			inet_pton(AF_INET, l->host, &in4.sin_addr);
			in4.sin_port = htons((uint16_t)l->port);
			r = bind(fd, (struct sockaddr *)&in4, sizeof in4);
		}
	}
	if (r != 0 || listen(fd, 128) != 0)
		goto fail;
	*fd_out = fd;
	return TL_OK;
fail:
	e = errno;
	if (l->is_unix)
		*errmsg = g_strdup_printf("cannot listen on unix:%s: %s",
					  l->path, g_strerror(e));
	else
		*errmsg = g_strdup_printf("cannot listen on %s%s%s:%d: %s",
					  fam == AF_INET6 ? "[" : "", l->host,
					  fam == AF_INET6 ? "]" : "", l->port,
					  g_strerror(e));
	if (fd >= 0)
		close(fd);
	return e == EADDRINUSE ? TL_TEMPFAIL : TL_CONFIG;
}

tl_status
http_run(serve_ctx *ctx, const serve_listen *l, char **errmsg)
{
	struct MHD_Daemon *d = NULL;
	sigset_t set;
	int fd, sig = 0;
	tl_status rc;

	if ((rc = listen_socket(l, &fd, errmsg)) != TL_OK)
		return rc;
	ctx->per_ip = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					    NULL);
	ctx->proxies = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					     NULL);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
			     MHD_USE_EPOLL | MHD_USE_ERROR_LOG,
			     0, on_accept, ctx, on_request, ctx,
			     MHD_OPTION_EXTERNAL_LOGGER, on_log, ctx,
			     MHD_OPTION_LISTEN_SOCKET, fd,
			     MHD_OPTION_THREAD_POOL_SIZE,
			     (unsigned)SERVE_THREADS,
			     MHD_OPTION_CONNECTION_LIMIT,
			     (unsigned)SERVE_CONN_LIMIT,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT,
			     (size_t)SERVE_CONN_MEMORY,
			     MHD_OPTION_CONNECTION_TIMEOUT,
			     (unsigned)SERVE_CONN_TIMEOUT,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, ctx,
			     MHD_OPTION_NOTIFY_CONNECTION, on_connection, ctx,
			     MHD_OPTION_END);
	if (d == NULL) {
		*errmsg = g_strdup("libmicrohttpd would not start");
		close(fd);
		g_hash_table_destroy(ctx->per_ip);
		g_hash_table_destroy(ctx->proxies);
		return TL_SOFTWARE;
	}
	if (l->is_unix)
		log_info("serve: listening on unix:%s", l->path);
	else
		log_info("serve: listening on http://%s%s%s:%d/",
			 strchr(l->host, ':') ? "[" : "", l->host,
			 strchr(l->host, ':') ? "]" : "", l->port);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigwait(&set, &sig);
	log_info("serve: stopping (signal %d)", sig);
	MHD_stop_daemon(d);
	close(fd);
	if (l->is_unix)
		unlink(l->path);
	g_hash_table_destroy(ctx->per_ip);
	g_hash_table_destroy(ctx->proxies);
	return TL_OK;
}
