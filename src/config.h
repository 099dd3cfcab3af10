/* config.h - tipline.conf, read with GLib's GKeyFile.
 *
 * Lookup order: --config FILE, $TIPLINE_CONFIG, $XDG_CONFIG_HOME/tipline/
 * tipline.conf (~/.config when XDG_CONFIG_HOME is unset), /etc/tipline.conf.
 * Lines starting with '#' or ';' are comments, and so is anything after
 * " ;" or " #" on a line (the INI habit GKeyFile lacks); line numbers are
 * kept so that errors can name "FILE:LINE".  See tipline.conf(5).
 */
#ifndef TIPLINE_CONFIG_H
#define TIPLINE_CONFIG_H

#include <glib.h>

#include "status.h"

typedef enum {
	AFTER_FETCH_NONE = 0,	/* leave the message as it was */
	AFTER_FETCH_SEEN,	/* set \Seen */
	AFTER_FETCH_FLAG,	/* set a keyword (flag_keyword, "$Tipline") */
	AFTER_FETCH_MOVE,	/* UID MOVE (or COPY+STORE+UID EXPUNGE) */
	AFTER_FETCH_DELETE,	/* STORE \Deleted + UID EXPUNGE */
} after_fetch_action;

typedef enum {
	START_ALL = 0,		/* first fetch takes every message */
	START_NOW,		/* first fetch starts at the current UIDNEXT */
} start_mode;

/* One [mailbox NAME] section. All strings are owned by the config. */
typedef struct {
	char *name;		/* NAME from the section header */
	char *url;		/* imaps://host[:port]/MAILBOX or imap://... */
	char *username;
	char *password_file;	/* NULL if unset */
	char *password_command;	/* NULL if unset; run with /bin/sh -c */
	char *token_command;	/* NULL if unset; prints an OAuth 2.0 token */
	char *cafile;		/* NULL: system CAs */
	char *auth_mechanism;	/* NULL, or "XOAUTH2" / "OAUTHBEARER" / ... */
	gboolean allow_plaintext;	/* imap:// without STARTTLS allowed */
	after_fetch_action after_fetch;
	char *after_fetch_folder;	/* for AFTER_FETCH_MOVE, else NULL */
	char *flag_keyword;	/* for AFTER_FETCH_FLAG; default "$Tipline" */
	gint64 max_message_size;	/* bytes (RFC822.SIZE); default 100M */
	start_mode start;
	int connect_timeout;	/* seconds; default 30 */
	int low_speed_time;	/* seconds below 1 byte/s before giving up;
				 * default 60 */
	int section_line;	/* line of the [mailbox NAME] header */
	int url_line;		/* line of url (0: none), for messages */
	int after_fetch_line;	/* line of after_fetch (0: none) */
} tl_mailbox_conf;

/* Limits on what a message may contain before it is quarantined
 * ([limits] section); every field is a count or bytes. */
typedef struct {
	int max_mime_depth;	/* default 32 */
	int max_parts;		/* default 1000 */
	gint64 max_header_bytes;	/* one header block; default 1 MiB */
} tl_parse_limits;

typedef struct {
	char *path;		/* the file that was read */
	char *database;		/* [store] database */
	int busy_timeout_ms;	/* [store] busy_timeout, seconds in file;
				 * default 10 s */
	char *spool_dir;	/* [store] spool_dir; default: $TMPDIR or /tmp */
	int log_syslog;		/* [log] target = syslog */
	tl_parse_limits limits;
	char *desk_timezone;	/* [desk] timezone, IANA name, or NULL:
				 * the system's (TZ, /etc/localtime) */
	GPtrArray *mailboxes;	/* of tl_mailbox_conf *, in file order */
} tl_config;

/* Find the configuration file by the lookup order above. explicit_path is
 * --config or NULL. Returns a newly allocated path (g_free) or NULL when no
 * candidate exists. */
char *config_find(const char *explicit_path);

/* Read and validate PATH. On success *out is a new config (config_free).
 * On failure returns TL_CONFIG (or TL_NOINPUT when PATH does not exist) and
 * sets *errmsg to a newly allocated "PATH:LINE: what is wrong" (g_free). */
tl_status config_load(const char *path, tl_config **out, char **errmsg);

/* A config with defaults and only a database path, for commands run
 * without a configuration file (import, list ... with $TIPLINE_DB).
 * Never fails; free with config_free. */
tl_config *config_new_default(const char *database);

/* Free a config and every mailbox in it; NULL is allowed. */
void config_free(tl_config *cfg);

/* Parse a size such as "100M", "512k", "2G" or "1048576" (bytes; K/M/G are
 * powers of 1024). Returns -1 when not a size. */
gint64 config_parse_size(const char *s);

/* Parse a duration such as "30d", "12h", "90m", "45s", "2w" into seconds.
 * Returns -1 when not a duration. */
gint64 config_parse_duration(const char *s);

#endif
