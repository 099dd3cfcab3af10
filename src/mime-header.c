/* mime-header.c - RFC 2047 run rewrite (GMime #133 workaround, split
 * characters, mislabelled charsets) and the header getters built on it
 * (see mime-header.h). */
#include <string.h>

#include "mime-header.h"
#include "mime-text.h"

/* One encoded-word: =?charset[*lang]?B|Q?payload?= (RFC 2047, RFC 2231
 * section 5 for the language suffix). */
typedef struct {
	char charset[64];
	GByteArray *bytes;	/* decoded payload */
} eword;

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parse an encoded-word at P. Returns the end of the word and fills W
 * (w->bytes newly allocated), or NULL when P does not start one. */
static const char *
eword_parse(const char *p, eword *w)
{
	const char *cs, *q, *payload, *end;
	size_t cslen;
	char enc;

	if (p[0] != '=' || p[1] != '?')
		return NULL;
	cs = p + 2;
	for (q = cs; *q != '\0' && *q != '?'; q++)
		if (g_ascii_isspace(*q) || (unsigned char)*q >= 0x80)
			return NULL;
	if (*q != '?' || q == cs)
		return NULL;
	cslen = q - cs;
	enc = g_ascii_toupper(q[1]);
	if ((enc != 'B' && enc != 'Q') || q[2] != '?')
		return NULL;
	payload = q + 3;
	for (end = payload; *end != '\0'; end++) {
		if (end[0] == '?' && end[1] == '=')
			break;
		if (g_ascii_isspace(*end))
			return NULL;
	}
	if (*end == '\0')
		return NULL;
	{
		/* Drop an RFC 2231 language suffix: utf-8*vi. */
		const char *star = memchr(cs, '*', cslen);

		if (star != NULL)
			cslen = star - cs;
	}
	if (cslen == 0 || cslen >= sizeof w->charset)
		return NULL;
	memcpy(w->charset, cs, cslen);
	w->charset[cslen] = '\0';
	w->bytes = g_byte_array_new();
	if (enc == 'B') {
		gint state = 0;
		guint save = 0;
		size_t n = end - payload;
		guchar *out = g_malloc(n * 3 / 4 + 3);
		gsize got = g_base64_decode_step(payload, n, out, &state,
						 &save);

		g_byte_array_append(w->bytes, out, got);
		g_free(out);
	} else {
		for (const char *s = payload; s < end; s++) {
			guint8 c = (guint8)*s;

			if (c == '_') {
				c = ' ';
			} else if (c == '=' && s + 2 < end &&
				   hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
				c = (guint8)(hexval(s[1]) * 16 + hexval(s[2]));
				s += 2;
			}
			g_byte_array_append(w->bytes, &c, 1);
		}
	}
	return end + 2;
}

/* Convert a run of encoded-words: same-charset neighbours are joined as
 * bytes before conversion, so split characters come back whole. */
static void
run_convert(GMimeParserOptions *opts, GPtrArray *run, GString *utf8,
	    mime_header_repair *rep)
{
	for (guint i = 0; i < run->len;) {
		eword *w = g_ptr_array_index(run, i);
		GByteArray *joined = g_byte_array_new();
		guint j, split = 0;
		mime_conv how;
		char *note = NULL, *text;

		for (j = i; j < run->len; j++) {
			eword *x = g_ptr_array_index(run, j);

			if (g_ascii_strcasecmp(x->charset, w->charset) != 0)
				break;
			if (!g_utf8_validate((const char *)x->bytes->data,
			    x->bytes->len, NULL))
				split++;
			g_byte_array_append(joined, x->bytes->data,
					    x->bytes->len);
		}
		if (split > 0 && j - i > 1 && g_utf8_validate(
		    (const char *)joined->data, joined->len, NULL))
			rep->split_chars++;
		text = mime_text_convert(opts, (const char *)joined->data,
					 joined->len, w->charset, &how, &note);
		g_string_append(utf8, text);
		if (mime_conv_is_label_repair(how))
			rep->label_repaired = TRUE;
		if (note != NULL && rep->note == NULL)
			rep->note = note;
		else
			g_free(note);
		g_free(text);
		g_byte_array_free(joined, TRUE);
		i = j;
	}
}

static void
eword_free(gpointer p)
{
	eword *w = p;

	g_byte_array_free(w->bytes, TRUE);
	g_free(w);
}

char *
mime_header_rewrite(GMimeParserOptions *opts, const char *raw,
		    mime_header_repair *rep)
{
	mime_header_repair local = { 0, 0, FALSE, NULL };
	char *unfolded;
	GString *out;
	const char *p;

	if (rep == NULL)
		rep = &local;
	unfolded = g_mime_utils_header_unfold(raw);
	if (!g_utf8_validate(unfolded, -1, NULL)) {
		/* Raw 8-bit text: read it here as mime_text_convert does
		 * for unlabelled text, so that UTF-8 mixed with a stray
		 * legacy byte keeps its UTF-8 (GMime would read the whole
		 * value in one fallback charset). */
		mime_conv how;
		char *u = mime_text_convert(opts, unfolded, strlen(unfolded),
					    NULL, &how, NULL);

		g_free(unfolded);
		unfolded = u;
	}
	out = g_string_sized_new(strlen(unfolded) + 16);
	p = unfolded;
	while (*p != '\0') {
		eword *w = g_new0(eword, 1);
		const char *end = eword_parse(p, w), *next, *e;
		GPtrArray *run;
		GString *utf8;
		char *b64;

		if (end == NULL) {
			g_free(w);
			g_string_append_c(out, *p++);
			continue;
		}
		run = g_ptr_array_new_with_free_func(eword_free);
		g_ptr_array_add(run, w);
		for (;;) {
			/* RFC 2047 6.2: whitespace between adjacent
			 * encoded-words is not displayed. */
			next = end;
			while (*next == ' ' || *next == '\t' || *next == '\r' ||
			       *next == '\n')
				next++;
			w = g_new0(eword, 1);
			e = eword_parse(next, w);
			if (e == NULL) {
				g_free(w);
				break;
			}
			end = e;
			g_ptr_array_add(run, w);
		}
		if (run->len > 1)
			rep->merged_runs++;
		utf8 = g_string_new(NULL);
		run_convert(opts, run, utf8, rep);
		b64 = g_base64_encode((const guchar *)utf8->str, utf8->len);
		g_string_append_printf(out, "=?UTF-8?B?%s?=", b64);
		g_free(b64);
		g_string_free(utf8, TRUE);
		g_ptr_array_free(run, TRUE);
		p = end;
	}
	g_free(unfolded);
	if (rep == &local)
		g_free(local.note);
	return g_string_free(out, FALSE);
}

char *
mime_header_decode_text(GMimeParserOptions *opts, const char *raw,
			mime_header_repair *rep)
{
	char *fixed = mime_header_rewrite(opts, raw, rep);
	char *dec = g_mime_utils_header_decode_text(opts, fixed);
	char *res;

	g_free(fixed);
	res = mime_text_nfc(g_strstrip(dec));
	g_free(dec);
	return res;
}

/* The first mailbox of LIST, looking inside groups. */
static InternetAddressMailbox *
first_mailbox(InternetAddressList *list)
{
	int n = list != NULL ? internet_address_list_length(list) : 0;

	for (int i = 0; i < n; i++) {
		InternetAddress *a = internet_address_list_get_address(list, i);
		InternetAddressMailbox *mb;

		if (INTERNET_ADDRESS_IS_MAILBOX(a))
			return INTERNET_ADDRESS_MAILBOX(a);
		mb = first_mailbox(internet_address_group_get_members(
		    INTERNET_ADDRESS_GROUP(a)));
		if (mb != NULL)
			return mb;
	}
	return NULL;
}

gboolean
mime_header_first_mailbox(GMimeParserOptions *opts, const char *raw,
			  char **name, char **addr, mime_header_repair *rep)
{
	char *fixed = mime_header_rewrite(opts, raw, rep);
	InternetAddressList *list = internet_address_list_parse(opts, fixed);
	InternetAddressMailbox *mb = first_mailbox(list);
	gboolean ok = FALSE;

	*name = NULL;
	*addr = NULL;
	if (mb != NULL) {
		const char *n = internet_address_get_name(
		    INTERNET_ADDRESS(mb));
		const char *a = internet_address_mailbox_get_addr(mb);

		if (n != NULL && *n != '\0') {
			char *t = g_strstrip(g_strdup(n));

			*name = mime_text_nfc(t);
			g_free(t);
		}
		if (a != NULL && *a != '\0')
			*addr = mime_text_nfc(a);
		ok = TRUE;
	}
	if (list != NULL)
		g_object_unref(list);
	g_free(fixed);
	return ok;
}

/* A parameter value as UTF-8 NFC: GMime's standalone parameter parsers
 * hand back raw 8-bit values unconverted, so read those with the fallback
 * charsets as the message parser would. */
static char *
param_utf8(GMimeParserOptions *opts, const char *v)
{
	char *dec, *res;

	if (strstr(v, "=?") != NULL && strstr(v, "?=") != NULL) {
		/* RFC 2047 inside an RFC 2231 filename* (Outlook does
		 * this): decode the words the RFC 2231 layer left. */
		char *t = g_utf8_validate(v, -1, NULL) ? g_strdup(v) :
		    g_mime_utils_decode_8bit(opts, v, strlen(v));

		res = mime_header_decode_text(opts, t, NULL);
		g_free(t);
		return res;
	}
	if (g_utf8_validate(v, -1, NULL))
		return mime_text_nfc(v);
	dec = g_mime_utils_decode_8bit(opts, v, strlen(v));
	res = mime_text_nfc(dec);
	g_free(dec);
	return res;
}

/* An RFC 2231 value labelled Latin-1 (filename*=iso-8859-1''...) whose
 * bytes were UTF-8: GMime converted it from Latin-1, so convert back and
 * keep the UTF-8 when that is what the bytes were.  NULL when the label
 * was right. */
static char *
param_relabel(GMimeParam *p, const char *v, mime_header_repair *rep)
{
	const char *cs = g_mime_param_get_charset(p);
	char *back, *res = NULL;

	if (cs == NULL || (g_ascii_strcasecmp(cs, "iso-8859-1") != 0 &&
	    g_ascii_strcasecmp(cs, "us-ascii") != 0 &&
	    g_ascii_strcasecmp(cs, "windows-1252") != 0))
		return NULL;
	back = g_convert(v, -1, g_ascii_strcasecmp(cs, "windows-1252") == 0 ?
			 "CP1252" : "ISO-8859-1", "UTF-8", NULL, NULL, NULL);
	if (back != NULL && g_utf8_validate(back, -1, NULL) &&
	    strcmp(back, v) != 0) {
		res = mime_text_nfc(back);
		if (rep != NULL)
			rep->label_repaired = TRUE;
	}
	g_free(back);
	return res;
}

char *
mime_header_filename(GMimeParserOptions *opts, const char *raw_disp,
		     const char *raw_type, mime_header_repair *rep)
{
	const char *v = NULL;
	char *res = NULL;

	if (raw_disp != NULL) {
		char *fixed = mime_header_rewrite(opts, raw_disp, rep);
		GMimeContentDisposition *d =
		    g_mime_content_disposition_parse(opts, fixed);
		GMimeParam *p = d != NULL ? g_mime_param_list_get_parameter(
		    g_mime_content_disposition_get_parameters(d), "filename") :
		    NULL;

		v = p != NULL ? g_mime_param_get_value(p) : NULL;
		if (v != NULL && *v != '\0')
			res = param_relabel(p, v, rep);
		if (res == NULL && v != NULL && *v != '\0')
			res = param_utf8(opts, v);
		if (d != NULL)
			g_object_unref(d);
		g_free(fixed);
	}
	if (res == NULL && raw_type != NULL) {
		char *fixed = mime_header_rewrite(opts, raw_type, rep);
		GMimeContentType *t = g_mime_content_type_parse(opts, fixed);

		GMimeParam *p = t != NULL ? g_mime_param_list_get_parameter(
		    g_mime_content_type_get_parameters(t), "name") : NULL;

		v = p != NULL ? g_mime_param_get_value(p) : NULL;
		if (v != NULL && *v != '\0')
			res = param_relabel(p, v, rep);
		if (res == NULL && v != NULL && *v != '\0')
			res = param_utf8(opts, v);
		if (t != NULL)
			g_object_unref(t);
		g_free(fixed);
	}
	return res;
}

char *
mime_header_get_raw(GMimeHeaderList *list, const char *name)
{
	GMimeHeader *h;
	const char *raw;

	if (list == NULL)
		return NULL;
	h = g_mime_header_list_get_header(list, name);
	if (h == NULL)
		return NULL;
	raw = g_mime_header_get_raw_value(h);
	if (raw == NULL)
		return NULL;
	return g_strstrip(g_mime_utils_header_unfold(raw));
}
