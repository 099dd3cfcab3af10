/* imap.c - connect and log in with libcurl (CONNECT_ONLY), then speak IMAP
 * ourselves: the command/response loop, CAPABILITY and LOGOUT. STATUS,
 * SELECT and mailbox names are in imap-mailbox.c, fetching and flag
 * changes in imap-cmd.c, framing in imap-reader.c. Why this split of work
 * with libcurl: see imap.h.
 */
#include <malloc.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/ssl.h>

#include "imap-priv.h"
#include "util.h"

/* LOGOUT is a courtesy (RFC 3501 6.1.3): the server has nothing left to
 * tell us, so its reply is not waited for - that saves a round trip on
 * every cron poll (50 ms at 50 ms RTT). Whatever already arrived is
 * read. */
#define LOGOUT_WAIT_MS	0

static void
done_free(gpointer p)
{
	imap_done *d = p;

	g_free(d->text);
	g_free(d);
}

/* libcurl's memory, wiped when freed: libcurl copies the password (or
 * token) from CURLOPT_PASSWORD into its handle and its connection and
 * builds the AUTHENTICATE / LOGIN strings in buffers of its own; it frees
 * them (at the latest in curl_easy_cleanup) without wiping them, and the
 * heap would keep them for a later core dump (issue 9).  glibc's
 * malloc_usable_size gives the size of each block. */
static void
wipe_free(void *p)
{
	if (p == NULL)
		return;
	explicit_bzero(p, malloc_usable_size(p));
	free(p);
}

/* realloc that never leaves the old block behind unwiped. */
static void *
wipe_realloc(void *p, size_t n)
{
	size_t old;
	void *q;

	if (p == NULL)
		return malloc(n);
	old = malloc_usable_size(p);
	if ((q = malloc(n > 0 ? n : 1)) == NULL)
		return NULL;
	memcpy(q, p, old < n ? old : n);
	wipe_free(p);
	return q;
}

static char *
wipe_strdup(const char *str)
{
	size_t n = strlen(str) + 1;
	char *p = malloc(n);

	if (p != NULL)
		memcpy(p, str, n);
	return p;
}

/* Give libcurl the wiping allocator, once, before its first handle (a
 * program that initialised libcurl itself keeps its own allocator). */
static void
curl_init_once(void)
{
	static gsize done;

	if (g_once_init_enter(&done)) {
		curl_global_init_mem(CURL_GLOBAL_DEFAULT, malloc, wipe_free,
				     wipe_realloc, wipe_strdup, calloc);
		g_once_init_leave(&done, 1);
	}
}

/* URL as an error message may show it: any user information (RFC 3986
 * 3.2.1, "user:password@") replaced, since a password put there must not
 * reach a log whatever else is wrong with the URL.  Newly allocated. */
static char *
url_shown(const char *url)
{
	const char *auth = strstr(url, "://"), *end, *at;

	if (auth == NULL)
		return g_strdup(url);
	auth += 3;
	end = auth + strcspn(auth, "/?#");
	at = g_strrstr_len(auth, end - auth, "@");
	if (at == NULL)
		return g_strdup(url);
	return g_strdup_printf("%.*s(user info removed)%s",
	    (int)(auth - url), url, at);
}

tl_status
imap_url_parse(const char *url, char **base, char **host, char **mailbox,
	       gboolean *implicit_tls, char **errmsg)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *h = NULL, *port = NULL, *path = NULL;
	char *user = NULL, *semi, *shown = NULL;
	tl_status st = TL_CONFIG;
	CURLUcode rc;

	if (url == NULL || *url == '\0') {
		*errmsg = g_strdup("no IMAP url");
		goto out;
	}
	shown = url_shown(url);
	if ((rc = curl_url_set(u, CURLUPART_URL, url, 0)) != CURLUE_OK) {
		*errmsg = g_strdup_printf("url %s: %s", shown,
		    curl_url_strerror(rc));
		goto out;
	}
	curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
	if (scheme == NULL || (g_ascii_strcasecmp(scheme, "imap") != 0 &&
	    g_ascii_strcasecmp(scheme, "imaps") != 0)) {
		*errmsg = g_strdup_printf("url %s: the scheme must be imaps:// "
		    "or imap://", shown);
		goto out;
	}
	/* a password in a URL ends up in logs and process listings */
	if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
		*errmsg = g_strdup("IMAP url: put the user name in 'username' "
		    "and the password in 'password_file', not in the url");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK) {
		*errmsg = g_strdup_printf("url %s: no host", shown);
		goto out;
	}
	curl_url_get(u, CURLUPART_PORT, &port, 0);
	curl_url_get(u, CURLUPART_PATH, &path, 0);
	*implicit_tls = g_ascii_strcasecmp(scheme, "imaps") == 0;
	*host = port != NULL ? g_strdup_printf("%s:%s", h, port) : g_strdup(h);
	*base = g_strdup_printf("%s://%s/", *implicit_tls ? "imaps" : "imap",
	    *host);
	/* RFC 5092: ";UIDVALIDITY=..." and the like follow the mailbox */
	if (path != NULL && (semi = strchr(path, ';')) != NULL)
		*semi = '\0';
	*mailbox = NULL;
	if (path != NULL) {
		const char *p = path;
		size_t len;

		while (*p == '/')
			p++;
		len = strlen(p);
		while (len > 0 && p[len - 1] == '/')
			len--;
		if (len > 0) {
			char *raw = g_strndup(p, len);

			*mailbox = g_uri_unescape_string(raw, "");
			g_free(raw);
			if (*mailbox == NULL) {
				*errmsg = g_strdup_printf("url %s: bad "
				    "percent-encoding in the mailbox", shown);
				g_clear_pointer(base, g_free);
				g_clear_pointer(host, g_free);
				goto out;
			}
		}
	}
	if (*mailbox == NULL)
		*mailbox = g_strdup("INBOX");
	st = TL_OK;
out:
	curl_free(scheme);
	curl_free(h);
	curl_free(port);
	curl_free(path);
	curl_free(user);
	curl_url_cleanup(u);
	g_free(shown);
	return st;
}

/* Keep the connection's OpenSSL SSL for read_ahead_on (after a STARTTLS
 * the last one seen is the TLS one). */
static void
tls_note(imap_session *s)
{
	const struct curl_tlssessioninfo *info = NULL;

	if (curl_easy_getinfo(s->curl, CURLINFO_TLS_SSL_PTR, &info) ==
	    CURLE_OK && info != NULL &&
	    info->backend == CURLSSLBACKEND_OPENSSL && info->internals != NULL)
		s->tls = info->internals;
}

/* libcurl's header callback sees every server line of the login dialogue
 * (none of ours, so never a credential). Keep the post-login capabilities
 * (RFC 3501 7.2.1: a tagged OK may carry [CAPABILITY ...], or an untagged
 * CAPABILITY precedes it) and the last tagged reply for error messages. */
static size_t
login_header_cb(char *buf, size_t size, size_t nitems, void *user)
{
	imap_session *s = user;
	size_t len = size * nitems;
	char *line = g_strndup(buf, len);
	char *text, *cap;

	s->heard = TRUE;
	tls_note(s);
	g_strchomp(line);
	if (g_ascii_strncasecmp(line, "* CAPABILITY ", 13) == 0) {
		g_free(s->pending_caps);
		s->pending_caps = g_strdup(line + 13);
	} else if (g_ascii_strncasecmp(line, "* BYE", 5) == 0) {
		g_free(s->bye);
		s->bye = g_strdup(g_strstrip(line + 5));
	} else if (line[0] != '*' && line[0] != '+' && line[0] != '\0' &&
	    (text = strchr(line, ' ')) != NULL) {
		/* tagged: the capabilities that came with it are the
		 * current ones; the last tagged reply is the login's */
		text++;
		g_free(s->caps);
		s->caps = NULL;
		if ((cap = strstr(text, "[CAPABILITY ")) != NULL) {
			char *end = strchr(cap, ']');

			cap += 12;
			s->caps = g_strndup(cap, end != NULL ?
			    (size_t)(end - cap) : strlen(cap));
			g_clear_pointer(&s->pending_caps, g_free);
		} else {
			s->caps = s->pending_caps;
			s->pending_caps = NULL;
		}
		g_free(s->login_reply);
		s->login_reply = g_strdup(text);
	}
	g_free(line);
	return len;
}

/* Map a failed CONNECT_ONLY perform to a status and a message. */
static tl_status
login_error(imap_session *s, const imap_params *p, CURLcode rc,
	    const char *errbuf, gboolean implicit_tls, char **errmsg)
{
	const char *detail = *errbuf != '\0' ? errbuf : curl_easy_strerror(rc);
	const char *server = s->login_reply != NULL ? s->login_reply : "";

	/* Issue 10 item 8: the scheme does not match the port. An IMAPS
	 * port waits in silence for a TLS hello, so imap:// gets no
	 * greeting at all; a plain port answers a TLS hello with "* OK",
	 * which OpenSSL calls a wrong version number. */
	if (!implicit_tls && !s->heard && (rc == CURLE_OPERATION_TIMEDOUT ||
	    rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR)) {
		*errmsg = g_strdup_printf("%s: no IMAP greeting (the server "
		    "sent nothing): is this an imaps:// port (TLS from the "
		    "first byte, usually 993)? then write imaps:// in url; "
		    "else the server is hung (%s)", s->host, detail);
		return TL_CONFIG;
	}
	if (implicit_tls && rc == CURLE_SSL_CONNECT_ERROR &&
	    strstr(detail, "wrong version number") != NULL) {
		*errmsg = g_strdup_printf("%s: the server answered without "
		    "TLS: is this an imap:// port (plain IMAP with STARTTLS, "
		    "usually 143)? then write imap:// in url (%s)", s->host,
		    detail);
		return TL_CONFIG;
	}
	switch (rc) {
	case CURLE_LOGIN_DENIED:
		*errmsg = g_strdup_printf("%s: login refused for %s (%s): %s",
		    s->host, p->username, p->secret_is_token ?
		    "OAuth token" : "password", *server != '\0' ? server :
		    detail);
		return TL_NOPERM;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_ISSUER_ERROR:
		*errmsg = g_strdup_printf("%s: TLS certificate not trusted, "
		    "nothing sent: %s", s->host, detail);
		return TL_NOPERM;
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
		/* libcurl only says "error setting certificate file". */
		*errmsg = g_strdup_printf("%s: cannot use cafile %s: %s%s%s",
		    s->host, p->cafile != NULL ? p->cafile : "(system)",
		    detail, p->cafile != NULL && access(p->cafile, R_OK) != 0 ?
		    ": " : "", p->cafile != NULL && access(p->cafile, R_OK) !=
		    0 ? g_strerror(errno) : "");
		return TL_CONFIG;
	case CURLE_USE_SSL_FAILED:
		*errmsg = g_strdup_printf("%s: the server offers no STARTTLS; "
		    "refusing to log in without TLS (use imaps://, or set "
		    "allow_plaintext = true)", s->host);
		return TL_CONFIG;
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_BAD_FUNCTION_ARGUMENT:
		*errmsg = g_strdup_printf("%s: %s", s->host, detail);
		return TL_CONFIG;
	default:
		*errmsg = g_strdup_printf("%s: cannot connect and log in: "
		    "%s%s%s",
		    s->host, detail, s->bye != NULL ? "; server said BYE " :
		    "", s->bye != NULL ? s->bye : "");
		return TL_TEMPFAIL;
	}
}

/* A new session for P, not yet connected: timeouts, tag counter and
 * buffers. */
static imap_session *
session_new(const imap_params *p)
{
	imap_session *s = g_new0(imap_session, 1);

	s->low_speed_time = p->low_speed_time > 0 ? p->low_speed_time : 60;
	s->next_tag = 1;
	s->delim = -1;
	s->completed = g_hash_table_new_full(g_direct_hash, g_direct_equal,
	    NULL, done_free);
	s->line = g_string_sized_new(256);
	return s;
}

/* From the login on, let OpenSSL read whatever the socket holds (up to
 * its record buffer) instead of a record's 5-byte header and then its
 * body: Dovecot sends records of about 4 KiB, so two recv calls per 4
 * KiB became one per several records (docs/performance.md, "Photo
 * mail's system calls").  Not before the login ends: libcurl's own IMAP
 * state machine polls the socket when SSL_pending() is 0, and with
 * read-ahead a whole record may wait in OpenSSL's buffer undecrypted.
 * imap-reader.c always tries curl_easy_recv() before it polls, so what
 * OpenSSL holds is never waited for.  S->tls was taken during the login
 * (login_header_cb: libcurl gives it only while a transfer is on); NULL
 * when libcurl's TLS is not OpenSSL or the connection is plaintext:
 * nothing then. */
static void
read_ahead_on(imap_session *s)
{
	if (s->tls != NULL)
		SSL_set_read_ahead(s->tls, 1);
}

/* Set up the libcurl handle of S to connect to BASE and log in with P
 * (connect only: the IMAP commands are ours).  TLS is verified always;
 * imap:// without IMPLICIT_TLS means STARTTLS, required unless
 * allow_plaintext.  ERRBUF (CURL_ERROR_SIZE) receives libcurl's error
 * text.  Returns the login options string libcurl points to (g_free
 * after the perform), or NULL. */
static char *
login_options_set(imap_session *s, const imap_params *p, const char *base,
		  gboolean implicit_tls, char *errbuf)
{
	long cto = p->connect_timeout > 0 ? p->connect_timeout : 30;
	char *opts = NULL;

	curl_easy_setopt(s->curl, CURLOPT_URL, base);
	curl_easy_setopt(s->curl, CURLOPT_PROTOCOLS_STR, "imap,imaps");
	curl_easy_setopt(s->curl, CURLOPT_CONNECT_ONLY, 1L);
	curl_easy_setopt(s->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(s->curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(s->curl, CURLOPT_CONNECTTIMEOUT, cto);
	curl_easy_setopt(s->curl, CURLOPT_SERVER_RESPONSE_TIMEOUT,
	    (long)s->low_speed_time);
	curl_easy_setopt(s->curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(s->curl, CURLOPT_LOW_SPEED_TIME,
	    (long)s->low_speed_time);
	curl_easy_setopt(s->curl, CURLOPT_TCP_KEEPALIVE, 1L);
	/* verification is libcurl's default; say it so no one "fixes" it */
	curl_easy_setopt(s->curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(s->curl, CURLOPT_SSL_VERIFYHOST, 2L);
	if (p->cafile != NULL)
		curl_easy_setopt(s->curl, CURLOPT_CAINFO, p->cafile);
	/* imap:// means STARTTLS, required; with allow_plaintext it is still
	 * used whenever the server offers it */
	if (!implicit_tls)
		curl_easy_setopt(s->curl, CURLOPT_USE_SSL, p->allow_plaintext ?
		    (long)CURLUSESSL_TRY : (long)CURLUSESSL_ALL);
	curl_easy_setopt(s->curl, CURLOPT_USERNAME, p->username);
	if (p->secret_is_token)
		curl_easy_setopt(s->curl, CURLOPT_XOAUTH2_BEARER, p->secret);
	else
		curl_easy_setopt(s->curl, CURLOPT_PASSWORD, p->secret);
	if (p->auth_mechanism != NULL && *p->auth_mechanism != '\0') {
		opts = g_strdup_printf("AUTH=%s", p->auth_mechanism);
		curl_easy_setopt(s->curl, CURLOPT_LOGIN_OPTIONS, opts);
	}
	curl_easy_setopt(s->curl, CURLOPT_HEADERFUNCTION, login_header_cb);
	curl_easy_setopt(s->curl, CURLOPT_HEADERDATA, s);
	return opts;
}

tl_status
imap_connect(const imap_params *p, imap_session **out, char **errmsg)
{
	imap_session *s = session_new(p);
	char errbuf[CURL_ERROR_SIZE] = "";
	char *base = NULL, *err = NULL, *opts = NULL;
	gboolean implicit_tls = FALSE;
	curl_socket_t fd = CURL_SOCKET_BAD;
	tl_status st;
	CURLcode rc;

	*out = NULL;
	curl_init_once();
	/* libcurl's copies of the secret live until imap_logout's
	 * curl_easy_cleanup wipes them: no core dump until then. */
	nodump_hold();
	st = imap_url_parse(p->url, &base, &s->host, &s->url_mailbox,
	    &implicit_tls, &err);
	if (st != TL_OK)
		goto out;
	if (p->username == NULL || p->secret == NULL) {
		err = g_strdup_printf("%s: no username or secret", s->host);
		st = TL_CONFIG;
		goto out;
	}
	if ((s->curl = curl_easy_init()) == NULL) {
		err = g_strdup("libcurl: cannot create a handle");
		st = TL_SOFTWARE;
		goto out;
	}
	opts = login_options_set(s, p, base, implicit_tls, errbuf);

	log_debug("imap %s: connecting (%s)", s->host, implicit_tls ?
	    "TLS" : p->allow_plaintext ? "STARTTLS if offered" : "STARTTLS");
	rc = curl_easy_perform(s->curl);
	/* libcurl needs the secret no more; the header callback stays (a
	 * NULL one would fwrite() to HEADERDATA) */
	curl_easy_setopt(s->curl, CURLOPT_PASSWORD, NULL);
	curl_easy_setopt(s->curl, CURLOPT_XOAUTH2_BEARER, NULL);
	curl_easy_setopt(s->curl, CURLOPT_ERRORBUFFER, NULL);
	if (rc != CURLE_OK) {
		st = login_error(s, p, rc, errbuf, implicit_tls, &err);
		goto out;
	}
	rc = curl_easy_getinfo(s->curl, CURLINFO_ACTIVESOCKET, &fd);
	if (rc != CURLE_OK || fd == CURL_SOCKET_BAD) {
		err = g_strdup_printf("%s: connection lost after login",
		    s->host);
		st = TL_TEMPFAIL;
		goto out;
	}
	s->conn = imap_conn_new(s->curl, fd, s->host, s->low_speed_time);
	read_ahead_on(s);
	g_clear_pointer(&s->pending_caps, g_free);
	log_debug("imap %s: logged in as %s", s->host, p->username);
	*out = s;
	s = NULL;
	st = TL_OK;
out:
	if (s != NULL) {
		s->broken = TRUE;
		imap_logout(s);
	}
	if (err != NULL) {
		if (errmsg != NULL)
			*errmsg = err;
		else
			g_free(err);
	}
	g_free(base);
	g_free(opts);
	return st;
}

const char *
imap_url_mailbox(const imap_session *s)
{
	return s->url_mailbox;
}

const char *
imap_session_host(const imap_session *s)
{
	return s->host;
}

gboolean
imap_session_usable(const imap_session *s)
{
	return s != NULL && !s->broken;
}

guint
imap_session_commands_sent(const imap_session *s)
{
	return s != NULL ? s->commands_sent : 0;
}

static void
session_break(imap_session *s, const char *msg)
{
	if (s->broken)
		return;
	s->broken = TRUE;
	s->broken_msg = g_strdup(msg);
}

tl_status
imap_check_usable(imap_session *s, char **errmsg)
{
	if (!s->broken)
		return TL_OK;
	*errmsg = g_strdup_printf("%s: connection already lost (%s)", s->host,
	    s->broken_msg != NULL ? s->broken_msg : "unknown");
	return TL_TEMPFAIL;
}

tl_status
imap_cmd_send(imap_session *s, guint *tag, char **errmsg, const char *fmt,
	      ...)
{
	GString *cmd = g_string_sized_new(128);
	const char *sp;
	va_list ap;
	tl_status st;

	if ((st = imap_check_usable(s, errmsg)) != TL_OK) {
		g_string_free(cmd, TRUE);
		return st;
	}
	*tag = s->next_tag++;
	g_string_printf(cmd, "t%u ", *tag);
	va_start(ap, fmt);
	g_string_append_vprintf(cmd, fmt, ap);
	va_end(ap);
	/* log the tag and verb(s) only: "t3 UID FETCH", "t4 STATUS" */
	sp = strchr(cmd->str + 1, ' ');
	if (sp != NULL && g_str_has_prefix(sp + 1, "UID "))
		sp = strchr(sp + 5, ' ');
	else if (sp != NULL)
		sp = strchr(sp + 1, ' ');
	log_debug("imap %s: C: %.*s", s->host, sp != NULL ?
	    (int)(sp - cmd->str) : (int)cmd->len, cmd->str);
	g_string_append(cmd, "\r\n");
	s->commands_sent++;
	st = imap_conn_send(s->conn, cmd->str, cmd->len, errmsg);
	if (st != TL_OK)
		session_break(s, *errmsg);
	g_string_free(cmd, TRUE);
	return st;
}

/* "t12 OK text" -> 12, kind, text; FALSE if LINE is not one of ours. */
static gboolean
tagged_parse(const char *line, guint *tag, imap_done_kind *kind,
	     const char **text)
{
	const char *p = line + 1, *sp;
	guint64 n;

	if (line[0] != 't' || (sp = strchr(p, ' ')) == NULL ||
	    !imap_parse_num(p, sp - p, &n) || n > G_MAXUINT)
		return FALSE;
	p = sp + 1;
	if (g_ascii_strncasecmp(p, "OK", 2) == 0 && (p[2] == ' ' ||
	    p[2] == '\0')) {
		*kind = IMAP_DONE_OK;
		p += 2;
	} else if (g_ascii_strncasecmp(p, "NO", 2) == 0 && (p[2] == ' ' ||
	    p[2] == '\0')) {
		*kind = IMAP_DONE_NO;
		p += 2;
	} else {
		*kind = IMAP_DONE_BAD;
		if (g_ascii_strncasecmp(p, "BAD", 3) == 0)
			p += 3;
	}
	while (*p == ' ')
		p++;
	*tag = (guint)n;
	*text = p;
	return TRUE;
}

tl_status
imap_cmd_wait(imap_session *s, guint tag, imap_untagged_fn fn,
	      const imap_literal_sink *sink, void *user, imap_done *done,
	      char **errmsg)
{
	tl_status st;
	imap_done *d;

	if ((st = imap_check_usable(s, errmsg)) != TL_OK)
		return st;
	for (;;) {
		const char *line, *text;
		imap_done_kind kind;
		guint t;

		d = g_hash_table_lookup(s->completed, GUINT_TO_POINTER(tag));
		if (d != NULL) {
			done->kind = d->kind;
			done->text = g_steal_pointer(&d->text);
			g_hash_table_remove(s->completed,
			    GUINT_TO_POINTER(tag));
			return TL_OK;
		}
		st = imap_conn_read_response(s->conn, s->line, sink, errmsg);
		if (st != TL_OK) {
			if (s->bye != NULL) {
				char *e = *errmsg;

				*errmsg = g_strdup_printf("%s (BYE %s)", e,
				    s->bye);
				g_free(e);
			}
			session_break(s, *errmsg);
			return st;
		}
		line = s->line->str;
		if (line[0] == '*' && line[1] == ' ') {
			if (g_ascii_strncasecmp(line + 2, "BYE", 3) == 0) {
				g_free(s->bye);
				s->bye = g_strdup(g_strstrip(s->line->str + 5));
			} else if (g_ascii_strncasecmp(line + 2,
			    "CAPABILITY ", 11) == 0) {
				g_free(s->caps);
				s->caps = g_strdup(line + 13);
			} else if (fn != NULL)
				fn(s, line, user);
			continue;
		}
		if (line[0] == '+') {
			/* we never send a literal that needs one */
			log_debug("imap %s: unexpected continuation ignored",
			    s->host);
			continue;
		}
		if (!tagged_parse(line, &t, &kind, &text)) {
			log_debug("imap %s: unexpected response ignored: %.60s",
			    s->host, line);
			continue;
		}
		if (t == tag) {
			done->kind = kind;
			done->text = g_strdup(text);
			return TL_OK;
		}
		if (t < s->next_tag) {
			d = g_new0(imap_done, 1);
			d->kind = kind;
			d->text = g_strdup(text);
			g_hash_table_replace(s->completed, GUINT_TO_POINTER(t),
			    d);
		}
	}
}

gboolean
imap_parse_num(const char *p, size_t len, guint64 *out)
{
	guint64 n = 0;

	if (len == 0 || len > 18)
		return FALSE;
	for (size_t i = 0; i < len; i++) {
		if (!g_ascii_isdigit(p[i]))
			return FALSE;
		n = n * 10 + (guint64)(p[i] - '0');
	}
	*out = n;
	return TRUE;
}

/* Does the space-separated list CAPS contain CAP? */
static gboolean
caps_contain(const char *caps, const char *cap)
{
	size_t n = strlen(cap);
	const char *p = caps;

	while (p != NULL && *p != '\0') {
		while (*p == ' ')
			p++;
		if (g_ascii_strncasecmp(p, cap, n) == 0 &&
		    (p[n] == ' ' || p[n] == '\0'))
			return TRUE;
		p = strchr(p, ' ');
	}
	return FALSE;
}

gboolean
imap_has_cap(imap_session *s, const char *cap)
{
	if (s->caps == NULL && !s->cap_asked && !s->broken) {
		imap_done d = { 0 };
		char *err = NULL;
		guint tag;

		s->cap_asked = TRUE;
		if (imap_cmd_send(s, &tag, &err, "CAPABILITY") != TL_OK ||
		    imap_cmd_wait(s, tag, NULL, NULL, NULL, &d, &err) !=
		    TL_OK)
			log_warn("%s", err);
		g_free(d.text);
		g_free(err);
	}
	return s->caps != NULL && caps_contain(s->caps, cap);
}

void
imap_logout(imap_session *s)
{
	if (s == NULL)
		return;
	if (s->conn != NULL && !s->broken) {
		imap_done d = { 0 };
		char *err = NULL;
		guint tag;

		imap_conn_set_timeout_ms(s->conn, LOGOUT_WAIT_MS);
		if (imap_cmd_send(s, &tag, &err, "LOGOUT") == TL_OK)
			(void)imap_cmd_wait(s, tag, NULL, NULL, NULL, &d, &err);
		g_free(d.text);
		g_free(err);
	}
	/* libcurl sends its own LOGOUT on cleanup and waits for the reply;
	 * after ours (or on a dead connection) it must fail at once rather
	 * than wait for a server that will not answer */
	if (s->curl != NULL) {
		curl_socket_t fd = CURL_SOCKET_BAD;

		if (curl_easy_getinfo(s->curl, CURLINFO_ACTIVESOCKET, &fd) ==
		    CURLE_OK && fd != CURL_SOCKET_BAD)
			shutdown(fd, SHUT_RDWR);
		curl_easy_cleanup(s->curl);
	}
	nodump_release();	/* libcurl's copies are wiped (wipe_free) */
	imap_conn_free(s->conn);
	g_hash_table_destroy(s->completed);
	g_string_free(s->line, TRUE);
	g_free(s->host);
	g_free(s->url_mailbox);
	g_free(s->selected);
	g_free(s->caps);
	g_free(s->pending_caps);
	g_free(s->login_reply);
	g_free(s->bye);
	g_free(s->broken_msg);
	g_free(s);
}
