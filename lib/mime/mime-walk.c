/* mime-walk.c - body text, attachments and forwards of a parsed message
 * (see mime-walk-priv.h). */
#include <stdlib.h>
#include <string.h>

#include "html-priv.h"
#include "mime-attach-priv.h"
#include "mime-ctx-priv.h"
#include "mime-ctype-priv.h"
#include "mime-envelope-priv.h"
#include "mime-header-priv.h"
#include "mime-opaque-priv.h"
#include "mime-part-priv.h"
#include "mime-text-priv.h"
#include "mime-walk-priv.h"
#include "tnef-priv.h"
#include "uu-priv.h"

#define TEXT_MAX	(8 * 1024 * 1024)	/* one body text part */
#define TEXT_BUDGET	(32 * 1024 * 1024)	/* all text of a message */
#define DSN_MAX		(64 * 1024)	/* a delivery-status part */

/* One leaf of a message's MIME tree (message/rfc822 parts are leaves
 * here: their own tree is walked as a forwarded message). */
typedef struct {
	GMimeObject *obj;
	char *path;
	GMimeObject *alt;	/* nearest multipart/alternative ancestor */
	int branch;		/* which child of ALT holds the leaf */
	gboolean machine;	/* a multipart/report part after the first */
	gboolean body;		/* chosen as body text */
	int depth;		/* MIME depth below the message header */
	GMimeObject *parent;	/* the multipart holding it, or NULL */
	int index;		/* its 0-based position there */
} leaf;

static void walk_one(mime_walk *w, GMimeMessage *msg, const char *path,
		     int fwd, int depth, char **text, char **source,
		     char **html);

static void
quarantine(mime_walk *w, char *reason)
{
	if (w->sub->quarantine_reason == NULL)
		w->sub->quarantine_reason = reason;
	else
		g_free(reason);
}

static char *
child_path(const char *parent, int i)
{
	if (parent == NULL || *parent == '\0')
		return g_strdup_printf("%d", i + 1);
	return g_strdup_printf("%s.%d", parent, i + 1);
}

static gboolean
is_type(GMimeObject *o, const char *type, const char *sub)
{
	GMimeContentType *ct = g_mime_object_get_content_type(o);

	return ct != NULL && g_mime_content_type_is_type(ct, type, sub);
}

/* Collect the leaves under OBJ (at PATH, DEPTH levels below the message
 * header, child INDEX of the multipart PARENT or NULL), in document
 * order.  FALSE when a limit was broken. */
static gboolean
collect(mime_walk *w, GMimeObject *obj, GMimeObject *parent, int index,
	const char *path, int depth, GMimeObject *alt, int branch,
	gboolean machine, gboolean top, GArray *leaves)
{
	leaf l;
	char *note;

	if (++w->parts > w->limits->max_parts) {
		quarantine(w, g_strdup_printf("more than %d MIME parts",
					      w->limits->max_parts));
		return FALSE;
	}
	if (depth > w->limits->max_mime_depth) {
		quarantine(w, g_strdup_printf("MIME nesting deeper than %d",
					      w->limits->max_mime_depth));
		return FALSE;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		gboolean is_alt = is_type(obj, "multipart", "alternative");
		gboolean is_report = is_type(obj, "multipart", "report");
		int n = g_mime_multipart_get_count(mp);

		if (top && GMIME_IS_MULTIPART_SIGNED(obj))
			w->sub->is_signed = TRUE;
		if (top && GMIME_IS_MULTIPART_ENCRYPTED(obj))
			w->sub->is_encrypted = TRUE;
		for (int i = 0; i < n; i++) {
			char *cp = child_path(path, i);
			gboolean ok = collect(w,
			    g_mime_multipart_get_part(mp, i), obj, i, cp,
			    depth + 1, is_alt ? obj : alt,
			    is_alt ? i : branch, machine ||
			    (is_report && i > 0), top, leaves);

			g_free(cp);
			if (!ok)
				return FALSE;
		}
		return TRUE;
	}
	if (top && (is_type(obj, "application", "pkcs7-mime") ||
		    is_type(obj, "application", "x-pkcs7-mime"))) {
		const char *st = g_mime_object_get_content_type_parameter(obj,
		    "smime-type");

		if (st != NULL && g_ascii_strcasecmp(st, "signed-data") == 0)
			w->sub->is_signed = TRUE;
		else
			w->sub->is_encrypted = TRUE;
	}
	if (top && is_type(obj, "application", "pgp-encrypted"))
		w->sub->is_encrypted = TRUE;
	l.obj = obj;
	l.path = g_strdup(*path != '\0' ? path : "1");
	if ((note = mime_ctype_fix(w->opts, obj, l.path)) != NULL)
		mime_ctx_warn(w->sub, note);
	l.alt = alt;
	l.branch = branch;
	l.machine = machine;
	l.body = FALSE;
	l.depth = depth;
	l.parent = parent;
	l.index = index;
	g_array_append_val(leaves, l);
	return TRUE;
}

typedef struct {
	mime_walk *w;
	msg_attachment *a;
	mime_attach_sink s;
} uu_ctx;

static void
uu_sink(const void *p, size_t n, void *ud)
{
	uu_ctx *u = ud;

	mime_attach_add(p, n, &u->s);
}

static char *meta_scan(const char *buf, size_t len);

/* What the raw (still encoded) content of a base64 part holds. */
typedef struct {
	gsize alpha;	/* base64 alphabet and padding */
	gsize junk;	/* neither base64 nor white space */
	gsize inner;	/* white space between two characters of a line:
			 * words, which base64 never has */
	gsize odd;	/* lines but the last whose length is not a
			 * multiple of 4, which no base64 encoder writes */
} b64_scan;

/* Scan a base64 part's raw stream, at most the first 16 MiB.  GMime's
 * decoder skips bytes that are not base64 without a word (QA F9).  FALSE
 * when the part is not labelled base64. */
static gboolean
base64_scan(GMimePart *part, b64_scan *st)
{
	GMimeDataWrapper *dw = g_mime_part_get_content(part);
	GMimeStream *raw;
	char buf[4096];
	gsize total = 0;
	ssize_t n;
	int col = 0, space = 0;	/* line position, white space pending */
	gboolean last_odd = FALSE;	/* the last line seen */

	memset(st, 0, sizeof *st);
	if (dw == NULL || g_mime_data_wrapper_get_encoding(dw) !=
	    GMIME_CONTENT_ENCODING_BASE64 ||
	    (raw = g_mime_data_wrapper_get_stream(dw)) == NULL)
		return FALSE;
	g_mime_stream_reset(raw);
	while (total < 16 * 1024 * 1024 &&
	       (n = g_mime_stream_read(raw, buf, sizeof buf)) > 0) {
		total += (gsize)n;
		for (ssize_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)buf[i];

			if (c == '\n' || c == '\r') {
				if (col > 0) {
					st->odd += last_odd;
					last_odd = col % 4 != 0;
				}
				col = space = 0;
				continue;
			}
			if (c == ' ' || c == '\t') {
				space = col > 0;
				continue;
			}
			if (space)
				st->inner++;
			space = 0;
			col++;
			if (g_ascii_isalnum(c) || c == '+' || c == '/' ||
			    c == '=')
				st->alpha++;
			else if (!g_ascii_isspace(c))
				st->junk++;
		}
	}
	g_mime_stream_reset(raw);
	/* The last line may be short (real base64 cut in transit): only
	 * the ones before it count. */
	if (col > 0)
		st->odd += last_odd;
	return TRUE;
}

/* Do decoded bytes look like binary rather than text in CS?  Control
 * characters (text has next to none), or invalid UTF-8 under a UTF-8 or
 * missing label.  UTF-16/32 is full of NUL bytes: never judged. */
static gboolean
looks_binary(const GByteArray *b, const char *cs)
{
	gsize ctrl = 0;

	if (cs != NULL && (g_ascii_strncasecmp(cs, "utf-16", 6) == 0 ||
	    g_ascii_strncasecmp(cs, "utf-32", 6) == 0 ||
	    g_ascii_strncasecmp(cs, "ucs-", 4) == 0))
		return FALSE;
	for (guint i = 0; i < b->len; i++) {
		guint8 c = b->data[i];

		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' &&
		     c != '\f') || c == 0x7F)
			ctrl++;
	}
	if (ctrl > 0 && ctrl * 50 >= b->len)
		return TRUE;
	return (cs == NULL || *cs == '\0' || g_ascii_strncasecmp(cs, "utf",
	    3) == 0) && !g_utf8_validate((const char *)b->data, b->len,
	    NULL);
}

/* looks_binary() for what well-formed base64 decoded to: a UTF-8
 * character cut at the very end (real base64 cut in transit) is not
 * evidence of binary. */
static gboolean
looks_binary_cut(const GByteArray *b, const char *cs)
{
	GByteArray head = *b;
	guint keep = b->len;

	while (keep > 0 && b->len - keep < 3 && (b->data[keep - 1] & 0x80))
		keep--;
	head.len = keep;
	return looks_binary(&head, cs);
}

/* A text part labelled base64 whose content is not base64 but text (a
 * mailer that labels every part base64, a hand-edited message): words,
 * punctuation and 8-bit bytes, or only letters in lines no base64
 * encoder writes (a length that is not a multiple of 4: "Xinchao"),
 * which decode to binary garbage.  Judged by the raw and by the decoded
 * result together: then *B is replaced by the raw bytes and TRUE
 * returned (the caller says so).  Damaged base64 (a few stray bytes in
 * real base64) and real base64 cut short still decode to text and stay
 * decoded.  *junk gets the count of bytes that are not base64 for that
 * warning. */
static gboolean
base64_text(GMimePart *part, const char *cs, gsize max, GByteArray **b,
	    gboolean *cut, gsize *junk)
{
	b64_scan st;
	gboolean words;

	*junk = 0;
	if (!base64_scan(part, &st))
		return FALSE;
	*junk = st.junk;
	words = st.junk + st.inner > 0;
	if (!words && st.odd == 0 && st.alpha % 4 == 0)
		return FALSE;	/* shaped like base64 */
	if ((*b)->len > 0 && !(words ? looks_binary(*b, cs) :
			       looks_binary_cut(*b, cs)))
		return FALSE;
	g_byte_array_free(*b, TRUE);
	*b = mime_part_raw_bytes(part, max, cut);
	*junk = 0;
	return TRUE;
}

/* The charset an HTML part names in <meta charset> or <meta http-equiv
 * content="...; charset=..."> within its first 4 KiB, for a part whose
 * Content-Type has none (HTML 5 8.2.2.2).  Newly allocated or NULL. */
static char *
html_meta_charset(const char *buf, size_t len)
{
	if (buf == NULL || len == 0)	/* an empty part has no data */
		return NULL;
	return meta_scan(buf, len);
}

static char *
meta_scan(const char *buf, size_t len)
{
	char *head = g_ascii_strdown(buf, MIN(len, 4096));
	const char *p = head, *m;
	char *res = NULL;
	size_t n;

	while ((m = strstr(p, "<meta")) != NULL && res == NULL) {
		const char *end = strchr(m, '>'), *c = strstr(m, "charset");

		p = m + 5;
		if (end == NULL || c == NULL || c > end)
			continue;
		c += 7;
		while (*c == ' ' || *c == '=' || *c == '"' || *c == '\'')
			c++;
		n = strspn(c, "abcdefghijklmnopqrstuvwxyz0123456789-_.:");
		if (n > 0 && n < 40)
			res = g_strndup(c, n);
	}
	g_free(head);
	return res;
}

/* Decoded text of a text part, converted, NFC, LF; uuencoded blocks in a
 * text/plain part become attachments and leave the text. */
static char *
part_text(mime_walk *w, leaf *l, int fwd, gboolean plain)
{
	GMimeObject *o = l->obj;
	gboolean cut = FALSE;
	gsize max = MIN(TEXT_MAX, TEXT_BUDGET - MIN(w->text_bytes,
	    TEXT_BUDGET));
	GByteArray *b = mime_part_bytes(GMIME_PART(o), max, &cut);
	const char *cs = g_mime_object_get_content_type_parameter(o,
	    "charset");
	char *note = NULL, *utf8, *res, *sniffed = NULL;
	mime_conv how;
	gsize junk;
	gboolean as_text = base64_text(GMIME_PART(o), cs, max, &b, &cut,
				       &junk);

	/* Text is held in memory (converted, normalised): bound it per
	 * part and per message, so that memory does not follow the
	 * message's size.  The raw message keeps everything. */
	w->text_bytes += b->len;
	if (cut)
		mime_ctx_warn(w->sub, g_strdup_printf("part %s: text cut at "
			       "%" G_GSIZE_FORMAT " bytes (limit %d per part, "
			       "%d per message)", l->path, max, TEXT_MAX,
			       TEXT_BUDGET));
	if (plain) {
		GArray *uu = uu_find((const char *)b->data, b->len);

		for (guint i = 0; i < uu->len; i++) {
			uu_block *blk = &g_array_index(uu, uu_block, i);
			char *path = g_strdup_printf("%s:uu%u", l->path, i + 1);
			uu_ctx u;

			u.w = w;
			u.a = mime_attach_new(w, mime_text_nfc(blk->name),
				      "application/octet-stream", "attachment",
				      NULL, path, fwd);
			mime_attach_begin(u.a, &u.s);
			uu_decode((const char *)b->data, blk, uu_sink, &u);
			mime_attach_end(w, u.a, &u.s);
			g_free(path);
		}
		for (guint i = uu->len; i > 0; i--) {
			uu_block *blk = &g_array_index(uu, uu_block, i - 1);

			g_byte_array_remove_range(b, (guint)blk->start,
			    (guint)(blk->end - blk->start));
		}
		if (uu->len > 0)
			mime_ctx_warn(w->sub, g_strdup_printf("part %s: %u "
				       "uuencoded file(s) moved to the "
				       "attachments", l->path, uu->len));
		uu_blocks_free(uu);
	}
	if (as_text)
		mime_ctx_warn(w->sub, g_strdup_printf("part %s: labelled "
			       "base64 but plain text, not base64: shown as "
			       "written", l->path));
	else if (junk > 0)
		mime_ctx_warn(w->sub, g_strdup_printf("part %s: %"
			       G_GSIZE_FORMAT " byte(s) that are not base64 "
			       "skipped: the transfer encoding is damaged",
			       l->path, junk));
	if ((cs == NULL || *cs == '\0') && !plain)
		cs = sniffed = html_meta_charset((const char *)b->data, b->len);
	utf8 = mime_text_convert(w->opts, (const char *)b->data, b->len, cs,
				 &how, &note);
	/* Damaged base64 decodes to junk in any charset: that is not a
	 * wrong label. */
	if (mime_conv_is_label_repair(how) && junk == 0)
		w->sub->charset_repaired = TRUE;
	if (note != NULL)
		mime_ctx_warn(w->sub, g_strdup_printf("part %s: %s", l->path,
			       note));
	g_free(note);
	res = mime_text_finish(utf8);
	g_free(utf8);
	g_free(sniffed);
	g_byte_array_free(b, TRUE);
	return res;
}

/* RFC 3464 per-recipient fields of a message/delivery-status part, as
 * "5.1.1 failed <rcpt>" (the first recipient; the others counted). */
static void
dsn_read(mime_walk *w, leaf *l)
{
	GByteArray *b;
	char **lines;
	char *rcpt = NULL, *action = NULL, *status = NULL;
	int nrcpt = 0;

	if (!GMIME_IS_PART(l->obj) || w->sub->dsn_summary != NULL)
		return;
	b = mime_part_bytes(GMIME_PART(l->obj), DSN_MAX, NULL);
	g_byte_array_append(b, (const guint8 *)"", 1);
	lines = g_strsplit((const char *)b->data, "\n", -1);
	for (int i = 0; lines[i] != NULL; i++) {
		char *ln = g_strstrip(lines[i]);
		char *colon = strchr(ln, ':');
		char *v;

		if (colon == NULL)
			continue;
		*colon = '\0';
		v = g_strstrip(colon + 1);
		if (g_ascii_strcasecmp(ln, "Final-Recipient") == 0) {
			char *semi = strchr(v, ';');

			if (nrcpt++ == 0)
				rcpt = g_strdup(g_strstrip(semi != NULL ?
				    semi + 1 : v));
		} else if (nrcpt == 1 && action == NULL &&
			   g_ascii_strcasecmp(ln, "Action") == 0) {
			action = g_ascii_strdown(v, -1);
		} else if (nrcpt == 1 && status == NULL &&
			   g_ascii_strcasecmp(ln, "Status") == 0) {
			status = g_strdup(v);
		}
	}
	if (rcpt != NULL || status != NULL) {
		char *s = g_strdup_printf("%s %s <%s>%s",
		    status != NULL ? status : "?", action != NULL ? action :
		    "?", rcpt != NULL ? rcpt : "?", nrcpt > 1 ?
		    " and more recipients" : "");

		w->sub->dsn_summary = mime_text_nfc(s);
		g_free(s);
	}
	g_free(rcpt);
	g_free(action);
	g_free(status);
	g_strfreev(lines);
	g_byte_array_free(b, TRUE);
}

static void
forward(mime_walk *w, leaf *l, int fwd)
{
	GMimeMessage *inner = g_mime_message_part_get_message(
	    GMIME_MESSAGE_PART(l->obj));
	msg_forwarded *f;
	char *src = NULL, saved[sizeof w->hint];
	int idx;

	if (inner == NULL) {
		mime_ctx_warn(w->sub, g_strdup_printf("part %s: empty "
			       "message/rfc822", l->path));
		return;
	}
	f = g_new0(msg_forwarded, 1);
	idx = (int)w->sub->forwarded->len;
	g_ptr_array_add(w->sub->forwarded, f);
	f->depth = fwd < 0 ? 1 :
	    ((msg_forwarded *)g_ptr_array_index(w->sub->forwarded,
						fwd))->depth + 1;
	memcpy(saved, w->hint, sizeof saved);
	mime_envelope_read(w, inner, &f->from_name, &f->from_addr,
			   &f->subject, &f->message_id, &f->date_utc, NULL);
	walk_one(w, inner, l->path, idx, l->depth + 1, &f->text, &src, NULL);
	memcpy(w->hint, saved, sizeof saved);
	g_free(src);
}

/* A message/rfc822 part whose content is not a message: an attachment
 * with the part's own bytes (mime-opaque-priv.h). */
static void
opaque(mime_walk *w, leaf *l, int fwd)
{
	GMimeStream *c = mime_opaque_content(w->raw, l->parent, l->index);

	mime_ctx_warn(w->sub, g_strdup_printf("part %s: message/rfc822 "
		       "that is not a message (no header field) kept as an "
		       "attachment", l->path));
	mime_attach_stream(w, l->obj, c, l->path, fwd);
	if (c != NULL)
		g_object_unref(c);
}

static gboolean
blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (!g_ascii_isspace(*s))
			return FALSE;
	return TRUE;
}

static void
body_append(GString *body, const char *t)
{
	if (body->len > 0 && body->str[body->len - 1] != '\n')
		g_string_append_c(body, '\n');
	g_string_append(body, t);
}

/* A multipart whose boundary never occurs has no parts: GMime keeps
 * everything as its prologue.  Show that text rather than nothing. */
static void
prologue_text(mime_walk *w, GMimeMultipart *mp, GString *body)
{
	const char *pro = g_mime_multipart_get_prologue(mp);
	const char *cte = g_mime_object_get_header(GMIME_OBJECT(mp),
	    "Content-Transfer-Encoding");
	GMimeContentEncoding enc = cte != NULL ?
	    g_mime_content_encoding_from_string(cte) :
	    GMIME_CONTENT_ENCODING_DEFAULT;
	mime_conv how;
	char *t, *fin, *dec = NULL;
	size_t len;

	if (pro == NULL || *pro == '\0')
		return;
	len = strlen(pro);
	if (enc == GMIME_CONTENT_ENCODING_BASE64 ||
	    enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
	    enc == GMIME_CONTENT_ENCODING_UUENCODE) {
		/* A multipart may not be encoded (RFC 2045 6.4), but the
		 * sender did encode this one's only content. */
		GMimeEncoding st;

		g_mime_encoding_init_decode(&st, enc);
		dec = g_malloc(g_mime_encoding_outlen(&st, len) + 1);
		len = g_mime_encoding_step(&st, pro, len, dec);
		len += g_mime_encoding_flush(&st, "", 0, dec + len);
		pro = dec;
	}
	t = mime_text_convert(w->opts, pro, len, NULL, &how, NULL);
	fin = mime_text_finish(t);
	body_append(body, fin);
	mime_ctx_warn(w->sub, g_strdup("multipart without any part (its "
		       "boundary never occurs): its raw content is shown as "
		       "text"));
	g_free(t);
	g_free(fin);
	g_free(dec);
}

/* Mark the body leaves: the text/plain parts that are not attachments
 * (one per multipart/alternative, remembered in ALT_BODY with its
 * branch), else the first such text/html part (*HTML_BODY).  Returns
 * how many were marked. */
static int
body_choose(GArray *leaves, GHashTable *alt_body, gboolean *html_body)
{
	int nbody = 0;

	*html_body = FALSE;
	for (int pass = 0; pass < 2 && nbody == 0; pass++) {
		for (guint i = 0; i < leaves->len; i++) {
			leaf *l = &g_array_index(leaves, leaf, i);

			if (l->machine || !GMIME_IS_PART(l->obj) ||
			    mime_part_attachment_like(l->obj) ||
			    !is_type(l->obj, "text", pass ? "html" : "plain"))
				continue;
			if (pass == 0 && is_type(l->obj, "text", "html"))
				continue;
			if (l->alt != NULL &&
			    g_hash_table_contains(alt_body, l->alt))
				continue;
			if (l->alt != NULL)
				g_hash_table_insert(alt_body, l->alt,
				    GINT_TO_POINTER(l->branch));
			l->body = TRUE;
			nbody++;
			*html_body = pass == 1;
			if (pass == 1)
				break;
		}
	}
	return nbody;
}

/* The index of the first text/html leaf that is not an attachment, or
 * -1. */
static int
html_first_find(GArray *leaves)
{
	for (guint i = 0; i < leaves->len; i++) {
		leaf *l = &g_array_index(leaves, leaf, i);

		if (!l->machine && GMIME_IS_PART(l->obj) &&
		    !mime_part_attachment_like(l->obj) &&
		    is_type(l->obj, "text", "html"))
			return (int)i;
	}
	return -1;
}

/* Append the text of the HTML body leaf L to BODY; its HTML becomes
 * *HTML when that is still empty.  At the top level the first legacy
 * font hint is kept. */
static void
body_add_html(mime_walk *w, leaf *l, int fwd, GString *body, char **html,
	      char **source)
{
	char *h = part_text(w, l, fwd, FALSE), *t, *fin;

	t = html_to_text(h, strlen(h), &w->removed);
	fin = mime_text_finish(t);
	body_append(body, fin);
	if (fwd < 0 && w->sub->legacy_font_hint == NULL)
		w->sub->legacy_font_hint =
		    g_strdup(mime_text_legacy_font(fin, h));
	if (html != NULL && *html == NULL)
		*html = h;
	else
		g_free(h);
	g_free(t);
	g_free(fin);
	if (*source == NULL)
		*source = g_strdup("text/html");
}

/* Append the text of the plain body leaf L to BODY (legacy font hint as
 * body_add_html). */
static void
body_add_plain(mime_walk *w, leaf *l, int fwd, GString *body,
	       char **source)
{
	char *t = part_text(w, l, fwd, TRUE);

	body_append(body, t);
	if (fwd < 0 && w->sub->legacy_font_hint == NULL)
		w->sub->legacy_font_hint =
		    g_strdup(mime_text_legacy_font(t, NULL));
	g_free(t);
	if (*source == NULL)
		*source = g_strdup("text/plain");
}

/* Is L a text alternative of a body leaf chosen in another branch of
 * its multipart/alternative (ALT_BODY)? */
static gboolean
body_alternative(const leaf *l, GHashTable *alt_body)
{
	return l->alt != NULL && g_hash_table_contains(alt_body, l->alt) &&
	    GPOINTER_TO_INT(g_hash_table_lookup(alt_body, l->alt)) !=
	    l->branch && is_type(l->obj, "text", "*");
}

/* An empty text/plain beside a full HTML alternative (some webmails):
 * the editor needs the HTML's text, which replaces BODY. */
static void
body_from_html(mime_walk *w, leaf *l, int fwd, GString *body,
	       char **source)
{
	char *h = part_text(w, l, fwd, FALSE);
	char *t = html_to_text(h, strlen(h), &w->removed);
	char *fin = mime_text_finish(t);

	g_string_assign(body, fin);
	g_free(*source);
	*source = g_strdup("text/html");
	mime_ctx_warn(w->sub, g_strdup("empty text/plain: text taken from the "
		       "HTML part"));
	g_free(h);
	g_free(t);
	g_free(fin);
}

static void
walk_one(mime_walk *w, GMimeMessage *msg, const char *path, int fwd,
	 int depth, char **text, char **source, char **html)
{
	GArray *leaves = g_array_new(FALSE, TRUE, sizeof(leaf));
	GHashTable *alt_body = g_hash_table_new(NULL, NULL);
	GMimeObject *root = g_mime_message_get_mime_part(msg);
	GString *body = g_string_new(NULL);
	int html_first, nbody;
	gboolean html_body, top = fwd < 0;
	char *rp;

	*source = NULL;
	if (root == NULL)
		goto out;
	rp = GMIME_IS_MULTIPART(root) ? g_strdup(path) : child_path(path, 0);
	if (!collect(w, root, NULL, 0, rp, depth, NULL, -1, FALSE, top,
	    leaves)) {
		g_free(rp);
		goto out;
	}
	g_free(rp);
	nbody = body_choose(leaves, alt_body, &html_body);
	html_first = html_first_find(leaves);
	for (guint i = 0; i < leaves->len; i++) {
		leaf *l = &g_array_index(leaves, leaf, i);

		if (top && is_type(l->obj, "message", "delivery-status")) {
			w->saw_dsn = TRUE;
			dsn_read(w, l);
		}
		if (html != NULL && *html == NULL && (int)i == html_first &&
		    !l->body)
			*html = part_text(w, l, fwd, FALSE);
		if (l->body && html_body)
			body_add_html(w, l, fwd, body, html, source);
		else if (l->body)
			body_add_plain(w, l, fwd, body, source);
		else if (l->machine)
			continue;	/* report parts are not attachments */
		else if (body_alternative(l, alt_body))
			continue;	/* an alternative of the body */
		else if (mime_opaque_is(l->obj))
			opaque(w, l, fwd);
		else if (GMIME_IS_MESSAGE_PART(l->obj))
			forward(w, l, fwd);
		else
			mime_attach_part(w, l->obj, l->path, fwd);
		if (w->sub->quarantine_reason != NULL)
			break;
	}
	if (nbody == 0 && GMIME_IS_MULTIPART(root) &&
	    g_mime_multipart_get_count(GMIME_MULTIPART(root)) == 0)
		prologue_text(w, GMIME_MULTIPART(root), body);
	if (nbody > 0 && !html_body && html_first >= 0 && blank(body->str))
		body_from_html(w, &g_array_index(leaves, leaf, html_first),
			       fwd, body, source);
out:
	*text = g_string_free(body, FALSE);
	for (guint i = 0; i < leaves->len; i++)
		g_free(g_array_index(leaves, leaf, i).path);
	g_array_free(leaves, TRUE);
	g_hash_table_destroy(alt_body);
}

/* Say once what the text of the HTML bodies left out, so that the desk
 * and the command line can tell an editor the mail had remote images
 * (tracking pixels: never fetched) and links (never clickable) (issue
 * 12). */
static void
html_removed_warn(mime_walk *w)
{
	unsigned ni = w->removed.remote_images;
	unsigned nl = w->removed.links;
	char *img = NULL, *lnk = NULL;

	if (ni == 0 && nl == 0)
		return;
	img = ni == 0 ? g_strdup("") : g_strdup_printf("%u remote image%s",
	    ni, ni == 1 ? "" : "s");
	lnk = nl == 0 ? g_strdup("") : g_strdup_printf("%u link%s",
	    nl, nl == 1 ? "" : "s");
	mime_ctx_warn(w->sub, g_strdup_printf("HTML part: %s%s%s removed",
	    img, ni > 0 && nl > 0 ? " and " : "", lnk));
	g_free(img);
	g_free(lnk);
}

void
mime_walk_message(mime_walk *w, GMimeMessage *msg)
{
	char *src = NULL;

	g_free(w->sub->text);
	walk_one(w, msg, "", -1, 0, &w->sub->text, &src, &w->sub->html);
	w->sub->text_source = src;
	html_removed_warn(w);
	/* Inline PGP (RFC 4880 armour in the text itself), as old clients
	 * and webmail plug-ins send it. */
	if (strstr(w->sub->text, "-----BEGIN PGP MESSAGE-----") != NULL)
		w->sub->is_encrypted = TRUE;
	if (strstr(w->sub->text, "-----BEGIN PGP SIGNED MESSAGE-----") != NULL)
		w->sub->is_signed = TRUE;
}

typedef struct {
	GMimeStream *out;
	int want, n;
	gboolean found, failed;
} write_ctx;

static void
write_sink(const void *p, size_t n, void *ud)
{
	write_ctx *c = ud;

	if (!c->failed && n > 0 &&
	    g_mime_stream_write(c->out, p, n) != (ssize_t)n)
		c->failed = TRUE;
}

int
mime_walk_write_uu(GMimePart *part, int n, GMimeStream *out)
{
	GByteArray *b = mime_part_bytes(part, TEXT_MAX, NULL);
	GArray *uu = uu_find((const char *)b->data, b->len);
	write_ctx c = { out, n, 0, FALSE, FALSE };

	if (n >= 1 && (guint)n <= uu->len) {
		uu_decode((const char *)b->data,
			  &g_array_index(uu, uu_block, n - 1), write_sink, &c);
		c.found = TRUE;
	}
	uu_blocks_free(uu);
	g_byte_array_free(b, TRUE);
	return !c.found ? 0 : c.failed ? -1 : 1;
}

static void
tnef_write_file(const char *name, const void *data, size_t len, void *ud)
{
	write_ctx *c = ud;

	(void)name;
	if (++c->n == c->want) {
		c->found = TRUE;
		write_sink(data, len, c);
	}
}

int
mime_walk_write_tnef(GMimePart *part, int n, GMimeStream *out)
{
	GByteArray *b = mime_part_bytes(part, TNEF_MAX, NULL);
	write_ctx c = { out, n, 0, FALSE, FALSE };

	tnef_expand(b->data, b->len, tnef_write_file, &c);
	g_byte_array_free(b, TRUE);
	return !c.found ? 0 : c.failed ? -1 : 1;
}
