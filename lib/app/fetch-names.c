/* fetch-names.c - the configured mailbox and move folder in the server's
 * own terms, and what to say when the server does not know them.
 *
 * tipline.conf writes folder levels with '/' (the man page's example is
 * "after_fetch = move Tipline/Done"); a server whose hierarchy delimiter
 * is '.' (Dovecot with Maildir++, Courier, Cyrus) refuses that name with
 * NO [CANNOT], which used to leave every message pending and every run
 * exiting 75 (issue 10 item 6). LIST "" "" tells the delimiter (RFC 3501
 * 6.3.8); it is asked only for a name with a '/', so a cron poll of a
 * plain INBOX still costs STATUS alone.
 */
#include <string.h>

#include "fetch-names-priv.h"
#include "util.h"

/* "FILE:LINE: " for a setting of MB (or the section), newly allocated. */
static char *
where(const fetch_run *r, int line)
{
	if (line <= 0)
		line = r->mb->section_line;
	if (r->cfg == NULL || r->cfg->path == NULL)
		return g_strdup("");
	return g_strdup_printf("%s:%d: ", r->cfg->path, line);
}

/* Translate PATH (from the setting at LINE) into *out. */
static tl_status
to_server(fetch_run *r, const char *path, int line, char **out,
	  char **errmsg)
{
	char *err = NULL, *at;
	char delim = '/';
	tl_status rc;

	if (strchr(path, '/') == NULL) {
		*out = g_strdup(path);
		return TL_OK;
	}
	rc = imap_hierarchy_delim(r->s, &delim, &err);
	if (rc == TL_OK)
		rc = imap_path_to_server(path, delim, out, &err);
	if (rc == TL_CONFIG) {
		at = where(r, line);
		fetch_set_err(errmsg, "%s%s", at, err);
		g_free(at);
	} else if (rc != TL_OK) {
		fetch_set_err(errmsg, "%s", err);
	} else if (strcmp(path, *out) != 0) {
		log_debug("mailbox %s: folder %s is %s on this server",
			  r->mb->name, path, *out);
	}
	g_free(err);
	return rc;
}

/* Are A and B the same mailbox (INBOX is case-insensitive, RFC 3501
 * 5.1)? */
static int
same_mailbox(const char *a, const char *b)
{
	if (g_ascii_strcasecmp(a, "INBOX") == 0)
		return g_ascii_strcasecmp(b, "INBOX") == 0;
	return strcmp(a, b) == 0;
}

tl_status
fetch_names_resolve(fetch_run *r, int with_move, char **errmsg)
{
	tl_status rc;
	char *at;

	if (r->mailbox == NULL &&
	    (rc = to_server(r, imap_url_mailbox(r->s), r->mb->url_line,
			    &r->mailbox, errmsg)) != TL_OK)
		return rc;
	if (!with_move || r->move_folder != NULL ||
	    r->mb->after_fetch_folder == NULL)
		return TL_OK;
	rc = to_server(r, r->mb->after_fetch_folder, r->mb->after_fetch_line,
		       &r->move_folder, errmsg);
	if (rc != TL_OK)
		return rc;
	if (same_mailbox(r->mailbox, r->move_folder)) {
		/* QA F28, as the server names them */
		at = where(r, r->mb->after_fetch_line);
		fetch_set_err(errmsg, "%safter_fetch: move %s: that is the "
			      "mailbox this section fetches (%s on the "
			      "server), so every run would fetch every "
			      "message again; name another folder", at,
			      r->mb->after_fetch_folder, r->mailbox);
		g_free(at);
		return TL_CONFIG;
	}
	return TL_OK;
}

tl_status
fetch_names_explain(fetch_run *r, int after_status, tl_status rc,
		    char **errmsg)
{
	imap_mailbox_info info;
	char *err = NULL, *at;
	tl_status lrc;

	lrc = imap_list_mailbox(r->s, r->mailbox, &info, &err);
	if (lrc != TL_OK) {
		/* Keep the first answer; the session may be gone now. */
		g_free(err);
		return lrc == TL_TEMPFAIL ? fetch_net(r, lrc) : rc;
	}
	at = where(r, r->mb->url_line);
	if (!info.exists && after_status) {
		/* STATUS saw it a moment ago: deleted or renamed meanwhile.
		 * Nothing was fetched or touched; the next run tells
		 * whether it is gone for good (then 78, below). */
		g_free(*errmsg);
		*errmsg = g_strdup_printf("mailbox %s: \"%s\" disappeared from "
			"the server %s during this run (deleted or renamed "
			"meanwhile?); nothing was fetched or changed",
			r->mb->name, r->mailbox, imap_session_host(r->s));
		rc = TL_TEMPFAIL;
	} else if (!info.exists) {
		g_free(*errmsg);
		*errmsg = g_strdup_printf("%smailbox %s: \"%s\" does not exist "
			"on the server %s (check the url's folder; `tipline "
			"doctor` tries it)", at, r->mb->name, r->mailbox,
			imap_session_host(r->s));
		rc = TL_CONFIG;
	} else if (!info.selectable) {
		g_free(*errmsg);
		*errmsg = g_strdup_printf("%smailbox %s: \"%s\" on the server "
			"%s is only a folder of folders (\\Noselect): it "
			"holds no messages; name one of its folders", at,
			r->mb->name, r->mailbox, imap_session_host(r->s));
		rc = TL_CONFIG;
	}
	g_free(at);
	return rc;
}
