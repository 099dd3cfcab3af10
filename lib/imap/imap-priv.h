/* imap-priv.h - what imap.c (session, login, simple commands) shares with
 * imap-cmd.c (fetch, store, move, delete) and imap-mailbox.c (STATUS,
 * SELECT, LIST): the session and the command loop. Not for other
 * folders: use imap.h.
 */
#ifndef TIPLINE_IMAP_PRIV_H
#define TIPLINE_IMAP_PRIV_H

#include <curl/curl.h>
#include <glib.h>

#include "imap.h"
#include "imap-reader-priv.h"

struct imap_session {
	CURL *curl;
	imap_conn *conn;
	char *host;		/* "host[:port]" as in the URL, for messages */
	char *url_mailbox;	/* decoded URL path, "INBOX" by default */
	char *selected;		/* the mailbox SELECTed, or NULL */
	guint32 sel_uidnext;	/* its UIDNEXT from SELECT (0: unknown) */
	gboolean sel_read_only;	/* SELECT said [READ-ONLY] */
	int delim;		/* hierarchy delimiter; -1: not asked yet */
	char *caps;		/* post-login capabilities, NULL: unknown */
	char *pending_caps;	/* login: "* CAPABILITY" seen, not yet
				 * tied to a tagged reply */
	char *login_reply;	/* login: the last tagged reply's text */
	char *bye;		/* text of a "* BYE" from the server */
	gboolean heard;		/* any line from the server during login */
	void *tls;		/* login: OpenSSL's SSL of the connection
				 * (libcurl's, read_ahead_on), or NULL */
	gboolean cap_asked;	/* CAPABILITY already sent once */
	gboolean broken;	/* the connection is out of step or gone */
	char *broken_msg;
	guint next_tag;
	guint commands_sent;
	int low_speed_time;
	GHashTable *completed;	/* tag -> imap_done*, replies that arrived
				 * while waiting for another tag */
	GString *line;		/* the response being read */
};

typedef enum {
	IMAP_DONE_OK,
	IMAP_DONE_NO,
	IMAP_DONE_BAD,
} imap_done_kind;

/* A tagged completion: its kind and text (after "OK "/"NO "/"BAD ",
 * response code included; g_free). */
typedef struct {
	imap_done_kind kind;
	char *text;
} imap_done;

/* Called for every untagged response other than BYE and CAPABILITY, with
 * its whole text (literal contents left out). */
typedef void (*imap_untagged_fn)(imap_session *s, const char *line,
				 void *user);

/* Fail with TL_TEMPFAIL when the session's connection was lost earlier. */
tl_status imap_check_usable(imap_session *s, char **errmsg);

/* Format and send one command, prefixed by a new tag (stored in *tag) and
 * followed by CRLF; counts it and logs its tag and first word(s). Marks
 * the session broken on failure. */
tl_status imap_cmd_send(imap_session *s, guint *tag, char **errmsg,
			const char *fmt, ...) G_GNUC_PRINTF(4, 5);

/* Read responses until the tagged completion of TAG; untagged ones go to
 * FN (may be NULL), literals to SINK (may be NULL: discarded). Completions
 * of other tags are kept for their own imap_cmd_wait(). TL_OK means the
 * completion arrived: *done (g_free its text) says OK, NO or BAD. Any
 * other status means the connection failed and the session is broken. */
tl_status imap_cmd_wait(imap_session *s, guint tag, imap_untagged_fn fn,
			const imap_literal_sink *sink, void *user,
			imap_done *done, char **errmsg);

/* Split URL (imaps:// or imap://, RFC 5092) into the BASE libcurl
 * connects to ("imaps://host:port/"), HOST ("host[:port]", for messages)
 * and the percent-decoded MAILBOX ("INBOX" when the path is empty;
 * ";UIDVALIDITY=..." and the like dropped); *IMPLICIT_TLS is TRUE for
 * imaps. All three strings are new (g_free). TL_CONFIG with *errmsg for
 * no URL, another scheme, a user or password in the URL,
 * no host, or bad percent-encoding; nothing is allocated then. Pure:
 * kept here so that the unit tests reach it without a server. */
tl_status imap_url_parse(const char *url, char **base, char **host,
			 char **mailbox, gboolean *implicit_tls,
			 char **errmsg);

/* Parse the decimal number at P (LEN bytes, all digits) into *out; FALSE
 * when empty, not all digits, or over 2^63. */
gboolean imap_parse_num(const char *p, size_t len, guint64 *out);

#endif
