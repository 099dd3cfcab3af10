/* imap.h - the IMAP client: libcurl connects and logs in, tipline speaks
 * IMAP itself on the open connection.
 *
 * libcurl 7.88 (Debian 12) cannot carry a batched UID FETCH: its custom
 * requests lose literal bytes, stop at a body line that starts with its tag
 * and fail past about 90 KB of response (see docs and the measured notes in
 * imap-libcurl.md, 2c). So libcurl does what it does well - TCP, TLS with
 * certificate verification, STARTTLS, CAPABILITY and SASL (PLAIN, LOGIN,
 * XOAUTH2, OAUTHBEARER) - with CURLOPT_CONNECT_ONLY, and this module then
 * sends its own tagged commands with curl_easy_send() and reads the
 * responses with curl_easy_recv(), poll() and its own deadlines, through a
 * small literal-aware reader (RFC 3501 section 4.3: "{N}\r\n" is followed by
 * exactly N bytes of data, whatever they contain).
 *
 * Commands are pipelined where RFC 3501 section 5.5 allows it, so a batch of
 * messages costs one round trip, not one per message. Message bodies are
 * fetched with BODY.PEEK[] (never sets \Seen) and streamed straight into a
 * spool file while the content hash is computed, so memory does not grow
 * with message size.
 *
 * Every function below returns a tl_status; on failure *errmsg (may be NULL
 * to ignore) gets a newly allocated message (g_free) naming the host and
 * mailbox and what failed; it never contains a password or token. After
 * TL_TEMPFAIL from any command the connection is unusable (the server is
 * gone, or a response was cut off): the only valid call left is
 * imap_logout(). After a tagged NO or BAD the session stays usable.
 */
#ifndef TIPLINE_IMAP_H
#define TIPLINE_IMAP_H

#include <stddef.h>
#include <glib.h>

#include "util.h"

typedef struct imap_session imap_session;

/* Connection parameters; nothing is copied beyond imap_connect(), so the
 * strings need only live until it returns.
 *   url        imaps://host[:port][/MAILBOX] (implicit TLS) or
 *              imap://host[:port][/MAILBOX] (STARTTLS required unless
 *              allow_plaintext); MAILBOX is percent-encoded, default INBOX
 *   username   login name (also sent inside XOAUTH2/OAUTHBEARER)
 *   secret     the password, or the OAuth 2.0 bearer token when
 *              secret_is_token is non-zero
 *   auth_mechanism  NULL for libcurl's choice (it prefers OAUTHBEARER for a
 *              token), or "XOAUTH2", "OAUTHBEARER", "PLAIN", "LOGIN"
 *   cafile     PEM file of trusted CAs, NULL for the system store; the
 *              certificate and host name are always verified
 *   connect_timeout  seconds for TCP + TLS + login (0: 30)
 *   low_speed_time   seconds without a single byte from the server while a
 *              response is awaited before giving up (0: 60) */
typedef struct {
	const char *url;
	const char *username;
	const char *secret;
	int secret_is_token;
	const char *auth_mechanism;
	const char *cafile;
	int allow_plaintext;
	int connect_timeout;
	int low_speed_time;
} imap_params;

/* Connect, verify the server's certificate, log in. On success *out is a
 * new session (imap_logout). Failures: TL_NOPERM when the login is refused
 * or the certificate is not trusted (no credential is sent before the
 * certificate is verified), TL_TEMPFAIL for network errors, timeouts and a
 * server that closes or says BYE, TL_CONFIG for a malformed URL or an
 * imap:// URL without allow_plaintext when the server offers no STARTTLS.
 * libcurl keeps copies of the secret until imap_logout(): from this call
 * until then the process is non-dumpable (util.h), and every block
 * libcurl frees is wiped first (curl_global_init_mem), so no copy of the
 * password or of the AUTHENTICATE string outlives the session. */
tl_status imap_connect(const imap_params *p, imap_session **out,
		       char **errmsg);

/* The mailbox named by the URL path, percent-decoded; "INBOX" when the URL
 * has none. Owned by the session, valid until imap_logout(). */
const char *imap_url_mailbox(const imap_session *s);

/* The host as written in the URL, for messages. Owned by the session. */
const char *imap_session_host(const imap_session *s);

/* TRUE when the server's post-login CAPABILITY lists CAP (e.g. "MOVE",
 * "UIDPLUS"; compared case-insensitively). Uses the list the server sent
 * with its login reply; only when it sent none is a CAPABILITY command
 * issued, once. FALSE on any error. */
gboolean imap_has_cap(imap_session *s, const char *cap);

/* STATUS MAILBOX (UIDVALIDITY UIDNEXT MESSAGES) (RFC 3501 6.3.10): the cheap
 * "anything new?" check; it does not select the mailbox. Any out pointer
 * may be NULL. A tagged NO (no such mailbox) gives TL_CONFIG. */
tl_status imap_status(imap_session *s, const char *mailbox,
		      guint32 *uidvalidity, guint32 *uidnext,
		      guint32 *messages, char **errmsg);

/* What LIST "" MAILBOX (RFC 3501 6.3.8) says of one mailbox name: whether
 * the server has it, whether it can be selected (no \Noselect or
 * \NonExistent attribute, RFC 5258), and the hierarchy delimiter ('\0'
 * for NIL: a flat server). A tagged NO or BAD gives TL_CONFIG. */
typedef struct {
	gboolean exists;
	gboolean selectable;
	char delim;
} imap_mailbox_info;

tl_status imap_list_mailbox(imap_session *s, const char *mailbox,
			    imap_mailbox_info *out, char **errmsg);

/* The server's hierarchy delimiter from LIST "" "" (RFC 3501 6.3.8),
 * asked once per session: '\0' when the server has no hierarchy (NIL). */
tl_status imap_hierarchy_delim(imap_session *s, char *delim, char **errmsg);

/* Translate a folder PATH written with '/' between levels (tipline.conf's
 * convention, e.g. "Tipline/Done") to a name in the server's hierarchy
 * with delimiter DELIM: "Tipline.Done" for '.'. *out is newly allocated
 * (g_free). A path without '/' is used as it is. TL_CONFIG with *errmsg
 * (g_free) when it cannot be said on this server: '/' on a server without
 * hierarchy, or a level that itself contains DELIM (it would be read as
 * two levels). Pure: no I/O. */
tl_status imap_path_to_server(const char *path, char delim, char **out,
			      char **errmsg);

/* SELECT MAILBOX, which every UID command below works on. *uidnext is 0
 * when the server did not send one (RFC 3501 makes it optional). A tagged
 * NO gives TL_CONFIG. */
tl_status imap_select(imap_session *s, const char *mailbox,
		      guint32 *uidvalidity, guint32 *uidnext, char **errmsg);

/* UIDs and RFC822.SIZEs of the selected mailbox's messages with UID >=
 * from_uid and below the UIDNEXT that imap_select() saw, ascending,
 * appended to UIDS (GArray of guint32) and SIZES (GArray of gint64)
 * pairwise. Sent as pipelined UID FETCH a:b (UID RFC822.SIZE) over at most
 * 16 UID ranges, so 100,000 messages need no single huge response; no
 * command at all when from_uid >= UIDNEXT. Mail that arrived after the
 * SELECT is listed by the next SELECT and call. A message expunged
 * meanwhile may be listed with size 0 (Dovecot) and then gets no body. */
tl_status imap_uid_sizes(imap_session *s, guint32 from_uid, GArray *uids,
			 GArray *sizes, char **errmsg);

/* Called once per fully received message body. SPOOL_PATH is a file of
 * exactly SIZE bytes (the BODY[] literal, CRLF as served) owned by the
 * callback from now on: it must give it back to the pool
 * (spool_pool_give, on a copy of the name), unlink or rename it, also on
 * failure.
 * CONTENT_HASH is hash_content_*() of those bytes (64 hex digits). Return
 * TL_OK to continue; anything else stops the fetch and is returned by
 * imap_fetch_bodies(). The rest of the batch in flight is then read and
 * dropped while that is at most 1 MB, and the session stays usable;
 * beyond, the connection is given up at once (only imap_logout() is left)
 * so that a stop request does not wait for large messages to arrive. */
typedef tl_status (*imap_body_cb)(guint32 uid, const char *spool_path,
				  const char *content_hash, gint64 size,
				  void *user);

/* Fetch the bodies of the N UIDS (any order; called back in ascending UID
 * order as the server answers) from the selected mailbox with UID FETCH
 * set (UID BODY.PEEK[]), pipelined in batches. Each literal is written,
 * while it arrives, to a file of SPOOL (util.h: one the pool kept, cut to
 * the literal's length, or a new mkstemp() file, mode 0600,
 * close-on-exec); only fixed-size buffers are held in memory. A UID
 * that no longer exists (expunged meanwhile; a tagged NO
 * [EXPUNGEISSUED], RFC 5530) gets
 * no callback and the result is still TL_OK; any other NO gives
 * TL_TEMPFAIL after the callbacks of what did arrive. A connection that is
 * cut, reset or stalled gives TL_TEMPFAIL: the message being received gets
 * no callback and its partial spool file goes back to SPOOL. Spool files
 * that cannot be written give TL_TEMPFAIL (disk full) with the same
 * clean-up. */
tl_status imap_fetch_bodies(imap_session *s, const guint32 *uids, size_t n,
			    spool_pool *spool, imap_body_cb cb, void *user,
			    char **errmsg);

/* Fetch only the header block of UID (BODY.PEEK[HEADER]) into a file of
 * SPOOL, for a message over the size limit. *spool_path is newly
 * allocated; the caller owns the file and gives it back (spool_pool_give)
 * or unlinks it. A UID that no longer exists gives TL_NOINPUT. */
tl_status imap_fetch_header(imap_session *s, guint32 uid,
			    spool_pool *spool, char **spool_path,
			    char **errmsg);

/* UID STORE set FLAGS_OP on the selected mailbox, e.g. FLAGS_OP
 * "+FLAGS.SILENT (\\Seen)", "-FLAGS.SILENT (\\Seen)",
 * "+FLAGS.SILENT ($Tipline)". The UID set is compressed to ranges and split
 * into commands of at most about 4 KB, pipelined. A tagged NO gives
 * TL_TEMPFAIL with the server's text. */
tl_status imap_uid_store(imap_session *s, const guint32 *uids, size_t n,
			 const char *flags_op, char **errmsg);

/* Move UIDS from the selected mailbox to FOLDER: UID MOVE (RFC 6851) when
 * the server has MOVE; otherwise UID COPY, then UID STORE +FLAGS.SILENT
 * (\Deleted), then UID EXPUNGE of exactly those UIDs (RFC 4315) when it has
 * UIDPLUS. Without UIDPLUS a plain EXPUNGE would also remove messages that
 * someone else marked \Deleted, so tipline does not expunge: the moved
 * messages stay in the source marked \Deleted (a copy is in FOLDER) and a
 * warning is logged; they disappear at the server's or a client's next
 * expunge. A missing FOLDER (tagged NO [TRYCREATE]) gives TL_CONFIG. */
tl_status imap_uid_move(imap_session *s, const guint32 *uids, size_t n,
			const char *folder, char **errmsg);

/* Delete UIDS from the selected mailbox: UID STORE +FLAGS.SILENT (\Deleted)
 * and, with UIDPLUS, UID EXPUNGE of exactly those UIDs; without UIDPLUS the
 * messages are only marked \Deleted (see imap_uid_move). */
tl_status imap_uid_delete(imap_session *s, const guint32 *uids, size_t n,
			  char **errmsg);

/* TRUE when the last imap_select() reply said [READ-ONLY] (RFC 3501
 * 7.1): flags cannot be stored and nothing can be moved or deleted. */
gboolean imap_selected_read_only(const imap_session *s);

/* Would the server accept messages into FOLDER? With ACL (RFC 4314)
 * MYRIGHTS must include 'i' (insert); without it FOLDER is examined
 * (EXAMINE, nothing changes) and only its existence is proven:
 * *checked is then FALSE. TL_CONFIG with the reason when it would not. */
tl_status imap_folder_writable(imap_session *s, const char *folder,
			       gboolean *checked, char **errmsg);

/* FALSE once the connection was lost (any TL_TEMPFAIL that was not a
 * tagged NO): then only imap_logout() is left. NULL is not usable. */
gboolean imap_session_usable(const imap_session *s);

/* Number of IMAP commands this module has sent itself on the session
 * (libcurl's CAPABILITY and AUTHENTICATE during imap_connect() are not
 * counted; LOGOUT is). Each command's tag and verb is also logged with
 * log_debug ("imap 127.0.0.1: C: t3 STATUS"); authentication payloads are
 * never logged. For tests that prove a poll sends only STATUS. */
guint imap_session_commands_sent(const imap_session *s);

/* Send LOGOUT without waiting for the reply (it carries nothing we need;
 * Dovecot still logs a clean "Logged out"), close the connection and free
 * S. Returns at once also on a dead or stalled connection. NULL is
 * allowed. */
void imap_logout(imap_session *s);

#endif
