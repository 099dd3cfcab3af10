/* imap-mailbox.c - mailbox names on the wire (quoted, modified UTF-7) and
 * the commands that name a mailbox: STATUS and SELECT.
 */
#include <string.h>

#include "imap-mailbox-priv.h"
#include "imap-priv.h"

/* RFC 3501 5.1.3: modified BASE64 of UTF-16BE, ',' for '/', no padding. */
static void
mutf7_append_run(GString *out, const gunichar2 *u, glong n)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
	guint32 bits = 0;
	int nbits = 0;

	g_string_append_c(out, '&');
	for (glong i = 0; i < n; i++) {
		bits = (bits << 16) | u[i];
		nbits += 16;
		while (nbits >= 6) {
			nbits -= 6;
			g_string_append_c(out, b64[(bits >> nbits) & 63]);
		}
	}
	if (nbits > 0)
		g_string_append_c(out, b64[(bits << (6 - nbits)) & 63]);
	g_string_append_c(out, '-');
}

tl_status
imap_quote_mailbox(GString *out, const char *mailbox, char **errmsg)
{
	gboolean ascii = TRUE;
	const char *p;

	for (p = mailbox; *p != '\0'; p++) {
		if ((guchar)*p < 0x20 || *p == 0x7f) {
			*errmsg = g_strdup_printf("mailbox name '%s': control "
			    "characters are not allowed", mailbox);
			return TL_CONFIG;
		}
		if ((guchar)*p >= 0x80)
			ascii = FALSE;
	}
	if (!ascii && !g_utf8_validate(mailbox, -1, NULL)) {
		*errmsg = g_strdup("mailbox name: not valid UTF-8");
		return TL_CONFIG;
	}
	g_string_append_c(out, '"');
	for (p = mailbox; *p != '\0';) {
		if (!ascii && (guchar)*p >= 0x80) {
			const char *end = p;
			gunichar2 *u;
			glong n = 0;
			char *run;

			while (*end != '\0' && (guchar)*end >= 0x80)
				end++;
			run = g_strndup(p, end - p);
			u = g_utf8_to_utf16(run, -1, NULL, &n, NULL);
			mutf7_append_run(out, u, n);
			g_free(u);
			g_free(run);
			p = end;
			continue;
		}
		/* an ASCII name is taken as already encoded; in a UTF-8
		 * name '&' must be escaped as "&-" */
		if (*p == '&' && !ascii)
			g_string_append(out, "&-");
		else {
			if (*p == '"' || *p == '\\')
				g_string_append_c(out, '\\');
			g_string_append_c(out, *p);
		}
		p++;
	}
	g_string_append_c(out, '"');
	return TL_OK;
}

/* STATUS: "* STATUS mbox (MESSAGES 3 UIDNEXT 4 UIDVALIDITY 5)". */
typedef struct {
	guint32 uidvalidity, uidnext, messages;
	gboolean seen;
} status_result;

static void
status_untagged(imap_session *s, const char *line, void *user)
{
	status_result *r = user;
	const char *p;
	char **tok;

	(void)s;
	if (g_ascii_strncasecmp(line, "* STATUS ", 9) != 0 ||
	    (p = strrchr(line, '(')) == NULL)
		return;
	r->seen = TRUE;
	tok = g_strsplit_set(p + 1, " )", -1);
	for (int i = 0; tok[i] != NULL && tok[i + 1] != NULL; i++) {
		guint64 v;

		if (!imap_parse_num(tok[i + 1], strlen(tok[i + 1]), &v) ||
		    v > G_MAXUINT32)
			continue;
		if (g_ascii_strcasecmp(tok[i], "UIDVALIDITY") == 0)
			r->uidvalidity = (guint32)v;
		else if (g_ascii_strcasecmp(tok[i], "UIDNEXT") == 0)
			r->uidnext = (guint32)v;
		else if (g_ascii_strcasecmp(tok[i], "MESSAGES") == 0)
			r->messages = (guint32)v;
		i++;
	}
	g_strfreev(tok);
}

/* Send "VERB mailbox[ SUFFIX]" and wait for it; NO -> TL_CONFIG, BAD ->
 * TL_SOFTWARE, both with the server's text. */
static tl_status
mailbox_cmd_ok(imap_session *s, const char *verb, const char *mailbox,
	       const char *suffix, imap_untagged_fn fn, void *user,
	       char **ok_text, char **errmsg)
{
	GString *arg = g_string_new(NULL);
	imap_done d = { 0 };
	tl_status st;
	guint tag;

	if ((st = imap_quote_mailbox(arg, mailbox, errmsg)) != TL_OK)
		goto out;
	st = imap_cmd_send(s, &tag, errmsg, "%s %s%s", verb, arg->str,
	    suffix);
	if (st == TL_OK)
		st = imap_cmd_wait(s, tag, fn, NULL, user, &d, errmsg);
	if (st != TL_OK)
		goto out;
	if (d.kind != IMAP_DONE_OK) {
		*errmsg = g_strdup_printf("%s: %s %s: %s", s->host, verb,
		    mailbox, d.text);
		st = d.kind == IMAP_DONE_NO ? TL_CONFIG : TL_SOFTWARE;
	} else if (ok_text != NULL) {
		*ok_text = g_steal_pointer(&d.text);
	}
out:
	g_free(d.text);
	g_string_free(arg, TRUE);
	return st;
}

static tl_status
mailbox_cmd(imap_session *s, const char *verb, const char *mailbox,
	    const char *suffix, imap_untagged_fn fn, void *user,
	    char **errmsg)
{
	return mailbox_cmd_ok(s, verb, mailbox, suffix, fn, user, NULL,
			      errmsg);
}

tl_status
imap_status(imap_session *s, const char *mailbox, guint32 *uidvalidity,
	    guint32 *uidnext, guint32 *messages, char **errmsg)
{
	status_result r = { 0 };
	char *err = NULL;
	tl_status st;

	st = mailbox_cmd(s, "STATUS", mailbox,
	    " (UIDVALIDITY UIDNEXT MESSAGES)", status_untagged, &r, &err);
	if (st == TL_OK && !r.seen) {
		err = g_strdup_printf("%s: STATUS %s: no STATUS response",
		    s->host, mailbox);
		st = TL_TEMPFAIL;
	}
	if (st == TL_OK) {
		if (uidvalidity != NULL)
			*uidvalidity = r.uidvalidity;
		if (uidnext != NULL)
			*uidnext = r.uidnext;
		if (messages != NULL)
			*messages = r.messages;
	}
	if (errmsg != NULL)
		*errmsg = err;
	else
		g_free(err);
	return st;
}

/* MYRIGHTS: "* MYRIGHTS mbox rights" (RFC 4314 3.8). */
typedef struct {
	char *rights;
} rights_result;

static void
rights_untagged(imap_session *s, const char *line, void *user)
{
	rights_result *r = user;
	const char *p;

	(void)s;
	if (g_ascii_strncasecmp(line, "* MYRIGHTS ", 11) != 0 ||
	    (p = strrchr(line, ' ')) == NULL)
		return;
	g_free(r->rights);
	r->rights = g_strdup(p + 1);
}

/* SELECT: "* OK [UIDVALIDITY n]" and "* OK [UIDNEXT n]". */
static void
select_untagged(imap_session *s, const char *line, void *user)
{
	status_result *r = user;
	const char *p;
	guint64 v;
	size_t n;

	(void)s;
	if (g_ascii_strncasecmp(line, "* OK [", 6) != 0)
		return;
	p = line + 6;
	if (g_ascii_strncasecmp(p, "UIDVALIDITY ", 12) == 0)
		p += 12;
	else if (g_ascii_strncasecmp(p, "UIDNEXT ", 8) == 0)
		p += 8;
	else
		return;
	n = strspn(p, "0123456789");
	if (!imap_parse_num(p, n, &v) || v > G_MAXUINT32)
		return;
	if (p[-2] == 'Y' || p[-2] == 'y')
		r->uidvalidity = (guint32)v;
	else
		r->uidnext = (guint32)v;
	r->seen = TRUE;
}

tl_status
imap_select(imap_session *s, const char *mailbox, guint32 *uidvalidity,
	    guint32 *uidnext, char **errmsg)
{
	status_result r = { 0 };
	char *err = NULL, *ok = NULL;
	tl_status st;

	g_clear_pointer(&s->selected, g_free);
	s->sel_uidnext = 0;
	s->sel_read_only = FALSE;
	st = mailbox_cmd_ok(s, "SELECT", mailbox, "", select_untagged, &r,
	    &ok, &err);
	if (st == TL_OK) {
		s->sel_read_only = ok != NULL &&
		    g_ascii_strncasecmp(ok, "[READ-ONLY]", 11) == 0;
		g_free(ok);
		s->selected = g_strdup(mailbox);
		s->sel_uidnext = r.uidnext;
		if (uidvalidity != NULL)
			*uidvalidity = r.uidvalidity;
		if (uidnext != NULL)
			*uidnext = r.uidnext;
	}
	if (errmsg != NULL)
		*errmsg = err;
	else
		g_free(err);
	return st;
}


gboolean
imap_selected_read_only(const imap_session *s)
{
	return s->selected != NULL && s->sel_read_only;
}

/* "* LIST (\Attr ...) "." name": attributes and delimiter of the first
 * LIST response (the name itself was asked for). */
typedef struct {
	imap_mailbox_info info;
	gboolean seen;
} list_result;

static void
list_untagged(imap_session *s, const char *line, void *user)
{
	list_result *r = user;
	const char *p = line + 7, *close;
	char *attrs;

	(void)s;
	if (r->seen || g_ascii_strncasecmp(line, "* LIST (", 8) != 0 ||
	    (close = strchr(p, ')')) == NULL)
		return;
	r->seen = TRUE;
	attrs = g_ascii_strdown(p + 1, close - p - 1);
	r->info.exists = strstr(attrs, "\\nonexistent") == NULL;
	r->info.selectable = r->info.exists &&
	    strstr(attrs, "\\noselect") == NULL;
	g_free(attrs);
	p = close + 1;
	while (*p == ' ')
		p++;
	if (p[0] == '"' && p[1] == '\\' && p[2] != '\0' && p[3] == '"')
		r->info.delim = p[2];
	else if (p[0] == '"' && p[1] != '\0' && p[2] == '"')
		r->info.delim = p[1];
	else
		r->info.delim = '\0';	/* NIL: no hierarchy */
}

tl_status
imap_list_mailbox(imap_session *s, const char *mailbox,
		  imap_mailbox_info *out, char **errmsg)
{
	list_result r = { { FALSE, FALSE, '\0' }, FALSE };
	char *err = NULL;
	tl_status st;

	/* LIST's pattern is a mailbox name in which '%' and '*' are
	 * wildcards; a configured name with them would match others */
	if (strpbrk(mailbox, "%*") != NULL) {
		err = g_strdup_printf("mailbox name '%s': '%%' and '*' are "
		    "not allowed", mailbox);
		st = TL_CONFIG;
	} else {
		st = mailbox_cmd(s, "LIST \"\"", mailbox, "", list_untagged,
		    &r, &err);
	}
	if (st == TL_OK) {
		*out = r.info;
		if (r.seen && s->delim < 0)
			s->delim = (guchar)r.info.delim;
	}
	if (errmsg != NULL)
		*errmsg = err;
	else
		g_free(err);
	return st;
}

tl_status
imap_hierarchy_delim(imap_session *s, char *delim, char **errmsg)
{
	imap_mailbox_info info;
	tl_status st;

	if (s->delim >= 0) {
		*delim = (char)s->delim;
		return TL_OK;
	}
	/* RFC 3501 6.3.8: LIST "" "" returns the delimiter and the root */
	st = imap_list_mailbox(s, "", &info, errmsg);
	if (st != TL_OK)
		return st;
	if (s->delim < 0)
		s->delim = 0;
	*delim = (char)s->delim;
	return TL_OK;
}

tl_status
imap_path_to_server(const char *path, char delim, char **out,
		    char **errmsg)
{
	char **levels;
	tl_status st = TL_OK;

	*out = NULL;
	if (delim == '/' || strchr(path, '/') == NULL) {
		*out = g_strdup(path);
		return TL_OK;
	}
	if (delim == '\0') {
		*errmsg = g_strdup_printf("folder \"%s\": this server has no "
		    "folder hierarchy (LIST gives no delimiter), so '/' "
		    "cannot separate levels; name a top-level folder",
		    path);
		return TL_CONFIG;
	}
	levels = g_strsplit(path, "/", -1);
	for (int i = 0; levels[i] != NULL; i++) {
		if (*levels[i] == '\0' || strchr(levels[i], delim) != NULL) {
			*errmsg = g_strdup_printf("folder \"%s\": the server "
			    "separates levels with '%c', so the level \"%s\" "
			    "cannot be said there; write the folder as the "
			    "server names it (levels joined by '%c')", path,
			    delim, levels[i], delim);
			st = TL_CONFIG;
			break;
		}
	}
	if (st == TL_OK) {
		char sep[2] = { delim, '\0' };

		*out = g_strjoinv(sep, levels);
	}
	g_strfreev(levels);
	return st;
}

tl_status
imap_folder_writable(imap_session *s, const char *folder,
		     gboolean *checked, char **errmsg)
{
	char *err = NULL, *ok = NULL;
	tl_status st;

	*checked = FALSE;
	if (imap_has_cap(s, "ACL")) {
		rights_result rr = { NULL };

		st = mailbox_cmd(s, "MYRIGHTS", folder, "", rights_untagged,
		    &rr, &err);
		if (st == TL_OK) {
			*checked = TRUE;
			if (rr.rights == NULL || strchr(rr.rights, 'i') ==
			    NULL) {
				err = g_strdup_printf("%s: folder %s: this "
				    "login may not put messages there "
				    "(MYRIGHTS \"%s\", needs 'i')", s->host,
				    folder, rr.rights != NULL ? rr.rights :
				    "");
				st = TL_CONFIG;
			}
		}
		g_free(rr.rights);
	} else {
		/* EXAMINE leaves \Recent and flags as they are; it
		 * deselects the mailbox, so callers select again */
		g_clear_pointer(&s->selected, g_free);
		st = mailbox_cmd_ok(s, "EXAMINE", folder, "", NULL, NULL,
		    &ok, &err);
		g_free(ok);
	}
	if (errmsg != NULL)
		*errmsg = err;
	else
		g_free(err);
	return st;
}
