/* mime-envelope.c - the envelope fields of one message: sender (with
 * fallbacks for broken From headers), subject, Message-ID and date, with
 * the RFC 2047 repairs of mime-header.c and the charset hint for raw 8-bit
 * headers (see mime-envelope-priv.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mime-date-priv.h"
#include "mime-header-priv.h"
#include "mime-text-priv.h"
#include "mime-envelope-priv.h"

static gboolean
is_type(GMimeObject *o, const char *type, const char *sub)
{
	GMimeContentType *ct = g_mime_object_get_content_type(o);

	return ct != NULL && g_mime_content_type_is_type(ct, type, sub);
}

/* The charset a message's text declares (its first text part), as a hint
 * for raw 8-bit headers; borrowed from MSG, or NULL. */
static const char *
charset_hint(GMimeObject *o, int depth)
{
	const char *cs;

	if (o == NULL || depth > 8)
		return NULL;
	if (GMIME_IS_MULTIPART(o)) {
		int n = g_mime_multipart_get_count(GMIME_MULTIPART(o));

		for (int i = 0; i < n && i < 8; i++) {
			cs = charset_hint(g_mime_multipart_get_part(
			    GMIME_MULTIPART(o), i), depth + 1);
			if (cs != NULL)
				return cs;
		}
		return NULL;
	}
	if (GMIME_IS_MESSAGE_PART(o)) {
		/* A spam report or a forward usually carries the same
		 * sender's headers and text. */
		GMimeMessage *m = g_mime_message_part_get_message(
		    GMIME_MESSAGE_PART(o));

		return m != NULL ? charset_hint(g_mime_message_get_mime_part(m),
		    depth + 1) : NULL;
	}
	if (!is_type(o, "text", "*"))
		return NULL;
	cs = g_mime_object_get_content_type_parameter(o, "charset");
	/* UTF-8 and Latin-1 labels say nothing about raw header bytes. */
	if (cs == NULL || g_ascii_strncasecmp(cs, "utf", 3) == 0 ||
	    g_ascii_strcasecmp(cs, "us-ascii") == 0 ||
	    g_ascii_strcasecmp(cs, "iso-8859-1") == 0 ||
	    g_ascii_strcasecmp(cs, "windows-1252") == 0)
		return NULL;
	return cs;
}

/* Header NAME's raw value, unfolded, with raw 8-bit text read in the
 * message's charset when that fits (mime_text_header_hint). */
static char *
raw_hinted(mime_walk *w, const char *raw)
{
	char *conv;

	if (raw == NULL)
		return NULL;
	conv = mime_text_header_hint(raw, w->hint);
	if (conv == NULL)
		return g_strdup(raw);
	mime_ctx_warn(w->sub, g_strdup_printf("raw 8-bit header read as %s, "
		       "the charset of the message text", w->hint));
	return conv;
}

static char *
hinted_raw(mime_walk *w, GMimeHeaderList *h, const char *name)
{
	char *raw = mime_header_get_raw(h, name), *res = raw_hinted(w, raw);

	g_free(raw);
	return res;
}

/* An address as tipline shows one: local@domain, both parts non-empty
 * and no space (RFC 5322 addr-spec).  "postmaster@" or a bare local part
 * (GMime accepts "postmaster" in loose mode) is not one (issue 9 item
 * 10): it cannot be replied to. */
static gboolean
addr_has_domain(const char *a)
{
	const char *at = a != NULL ? strrchr(a, '@') : NULL;

	return at != NULL && at > a && at[1] != '\0' && at[1] != '.' &&
	    strpbrk(a, " \t<>") == NULL;
}

/* RAW with its quoted strings and comments blanked out: what is left is
 * where an address may stand (RFC 5322 3.4: a quoted-string is a display
 * name or a local part, a comment is never the address).  A quoted
 * "police@example.gov.vn" before a broken <bandoc@> must stay a name, or
 * the display name a sender chose becomes the address shown as verified.
 * An unclosed quote or comment runs to the end.  Newly allocated. */
static char *
bare_unquoted(const char *raw)
{
	char *s = g_strdup(raw);
	int depth = 0;
	gboolean quoted = FALSE;

	for (char *p = s; *p != '\0'; p++) {
		gboolean blank = quoted || depth > 0;

		if (*p == '\\' && blank && p[1] != '\0') {
			*p++ = ' ';
			*p = ' ';
			continue;
		}
		if (*p == '"' && depth == 0)
			quoted = !quoted;
		else if (*p == '(' && !quoted)
			depth++;
		else if (*p == ')' && !quoted && depth > 0)
			depth--;
		if (blank || *p == '"' || *p == '(')
			*p = ' ';
	}
	return s;
}

/* "Name user@host" without angle brackets, which GMime rejects: the
 * token with an "@" outside quotes and comments is the address, the rest
 * of what was written the name. */
static gboolean
bare_mailbox(mime_walk *w, const char *raw, char **name, char **addr)
{
	char *open = bare_unquoted(raw);
	char **tok = g_strsplit_set(open, " \t", -1);
	char *cand = NULL;
	gboolean found = FALSE;

	for (int i = 0; tok[i] != NULL && cand == NULL; i++) {
		char *t = g_strstrip(g_strdelimit(tok[i], "<>()\",;", ' '));

		if (addr_has_domain(t))
			cand = g_strdup(t);
	}
	if (cand != NULL) {
		GString *n = g_string_new(NULL);
		char **all = g_strsplit_set(raw, " \t", -1);

		for (int i = 0; all[i] != NULL; i++) {
			char *t = g_strstrip(g_strdelimit(all[i], "<>()\",;",
			    ' '));

			if (!found && strcmp(t, cand) == 0) {
				found = TRUE;
				continue;
			}
			if (*t == '\0')
				continue;
			if (n->len > 0)
				g_string_append_c(n, ' ');
			g_string_append(n, t);
		}
		*addr = mime_text_nfc(cand);
		if (n->len > 0)
			*name = mime_header_decode_text(w->opts, n->str, NULL);
		g_string_free(n, TRUE);
		g_strfreev(all);
	}
	g_free(cand);
	g_strfreev(tok);
	g_free(open);
	return found;
}

/* The display name before "<" in a From GMime could not read ("Ban Doc
 * <bandoc@>"), decoded; NULL when there is none. */
static char *
written_name(mime_walk *w, const char *raw)
{
	const char *lt = strchr(raw, '<');
	char *n, *res = NULL;

	if (lt == NULL || lt == raw)
		return NULL;
	n = g_strstrip(g_strdelimit(g_strndup(raw, lt - raw), "\"", ' '));
	if (*n != '\0')
		res = mime_header_decode_text(w->opts, n, NULL);
	g_free(n);
	if (res != NULL && *res == '\0') {
		g_free(res);
		res = NULL;
	}
	return res;
}

/* The sender: the first From header that holds a mailbox (some mailers
 * send a broken From before the real one), else Sender, else Reply-To;
 * else an address recovered from a From without angle brackets. */
static void
read_sender(mime_walk *w, GMimeHeaderList *h, char **name, char **addr,
	    mime_header_repair *rep)
{
	static const char *const names[] = { "From", "Sender", "Reply-To" };
	char *first = NULL, *nd_name = NULL, *nd_addr = NULL;
	int n = g_mime_header_list_get_count(h);

	for (size_t k = 0; k < G_N_ELEMENTS(names); k++) {
		for (int i = 0; i < n; i++) {
			GMimeHeader *hd = g_mime_header_list_get_header_at(h,
			    i);
			char *u, *raw;
			gboolean ok;

			if (g_ascii_strcasecmp(g_mime_header_get_name(hd),
			    names[k]) != 0 ||
			    g_mime_header_get_raw_value(hd) == NULL)
				continue;
			u = g_strstrip(g_mime_utils_header_unfold(
			    g_mime_header_get_raw_value(hd)));
			raw = raw_hinted(w, u);
			g_free(u);
			ok = mime_header_first_mailbox(w->opts, raw, name, addr,
						       rep) && *addr != NULL;
			if (ok && !addr_has_domain(*addr)) {
				/* Not an address: keep what was written for
				 * the editor, look further for a real one. */
				if (nd_addr == NULL) {
					nd_name = *name;
					nd_addr = *addr;
					*name = *addr = NULL;
				}
				ok = FALSE;
			}
			if (ok) {
				if (k > 0 || first != NULL)
					mime_ctx_warn(w->sub, g_strdup_printf(
					    "sender taken from %s: %s",
					    names[k], raw));
				g_free(raw);
				goto out;
			}
			g_free(*name);
			g_free(*addr);
			*name = *addr = NULL;
			if (first == NULL && k == 0)
				first = raw;
			else
				g_free(raw);
		}
	}
	if (first != NULL && bare_mailbox(w, first, name, addr)) {
		mime_ctx_warn(w->sub, g_strdup_printf("From without angle "
			       "brackets read as %s", *addr));
	} else if (nd_addr != NULL || first != NULL) {
		const char *written = nd_addr != NULL ? nd_addr : first;

		g_free(*name);
		*name = NULL;
		if (nd_name != NULL)
			*name = g_strdup(nd_name);
		else if (nd_addr != NULL)
			*name = mime_text_nfc(nd_addr);
		else
			*name = written_name(w, first);
		mime_ctx_warn(w->sub, g_strdup_printf("no mailbox in "
			       "From%s: %s", nd_addr != NULL ? " (an address "
			       "without a domain is not one)" : "", written));
	}
out:
	g_free(first);
	g_free(nd_name);
	g_free(nd_addr);
}

/* The Date (mime-date.h), its repairs as warnings. */
static void
read_date(mime_walk *w, GMimeHeaderList *h, char **date_utc, int *offset)
{
	GPtrArray *notes = g_ptr_array_new();

	mime_date_read(h, date_utc, offset, notes);
	for (guint i = 0; i < notes->len; i++)
		mime_ctx_warn(w->sub, notes->pdata[i]);
	g_ptr_array_free(notes, TRUE);
}

void
mime_envelope_read(mime_walk *w, GMimeMessage *msg, char **from_name,
		   char **from_addr, char **subject, char **message_id,
		   char **date_utc, int *offset)
{
	GMimeHeaderList *h = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	mime_header_repair rep = { 0 };
	const char *hint;
	char *raw, *warn;

	hint = charset_hint(g_mime_message_get_mime_part(msg), 0);
	if (hint == NULL || g_strlcpy(w->hint, hint, sizeof w->hint) >=
	    sizeof w->hint)
		w->hint[0] = '\0';	/* no label is that long */
	rep.hint[0] = w->hint[0] != '\0' ? w->hint : NULL;
	read_sender(w, h, from_name, from_addr, &rep);
	raw = hinted_raw(w, h, "Subject");
	if (raw != NULL)
		*subject = mime_header_decode_text(w->opts, raw, &rep);
	g_free(raw);
	if (rep.split_chars > 0)
		mime_ctx_warn(w->sub, g_strdup_printf("%d character(s) split "
			       "across encoded-words joined again (RFC 2047 "
			       "section 5)", rep.split_chars));
	if (rep.label_repaired) {
		w->sub->charset_repaired = TRUE;
		mime_ctx_warn(w->sub, g_strdup_printf("header: %s",
			       rep.note != NULL ? rep.note :
			       "charset label repaired"));
	}
	if ((warn = mime_header_repair_warning(&rep, "header")) != NULL)
		mime_ctx_warn(w->sub, warn);
	g_free(rep.note);
	raw = mime_header_get_raw(h, "Message-ID");
	if (raw != NULL) {
		char *id = g_mime_utils_decode_message_id(raw);

		if (id == NULL || *id == '\0') {
			g_free(id);
			id = g_strdup(g_strstrip(g_strdelimit(raw, "<>",
			    ' ')));
		}
		*message_id = *id != '\0' ? mime_text_nfc(id) : NULL;
		g_free(id);
	}
	g_free(raw);
	read_date(w, h, date_utc, offset);
}

