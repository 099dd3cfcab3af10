/* message.c - parse one message file with GMime 3 into a msg_submission
 * (see message.h).  The MIME tree walk is in mime-walk.c, header repair in
 * mime-header.c, charset handling in mime-text.c, the pre-parse limit scan
 * in mime-limits.c. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "autoreply-priv.h"
#include "message.h"
#include "mime-headfix-priv.h"
#include "mime-ctx-priv.h"
#include "mime-envelope-priv.h"
#include "mime-header-priv.h"
#include "mime-limits-priv.h"
#include "mime-opaque-priv.h"
#include "mime-part-priv.h"
#include "mime-scanstream-priv.h"
#include "mime-stream-priv.h"
#include "mime-text-priv.h"
#include "mime-walk-priv.h"
#include "quote-priv.h"
#include "vnfont-priv.h"

static GMimeParserOptions *base_opts;
static size_t read_chunk;	/* test hook: 0 = normal reads */
static int two_pass;		/* test hook: scan in a read of its own */

void
message_init(void)
{
	g_mime_init();
	if (base_opts != NULL)
		return;
	base_opts = g_mime_parser_options_new();
	g_mime_parser_options_set_fallback_charsets(base_opts,
	    mime_header_fallback_charsets());
	g_mime_parser_options_set_address_compliance_mode(base_opts,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(base_opts,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_rfc2047_compliance_mode(base_opts,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_allow_addresses_without_domain(base_opts,
								 TRUE);
}

void
message_shutdown(void)
{
	if (base_opts != NULL)
		g_mime_parser_options_free(base_opts);
	base_opts = NULL;
	g_mime_shutdown();
}

char *
message_header_decode(const char *raw)
{
	return mime_header_decode_text(base_opts, raw, NULL);
}

void
message_set_read_chunk(size_t n)
{
	read_chunk = n;
}

void
message_set_two_pass(int on)
{
	two_pass = on;
}

static const char *
warning_name(GMimeParserWarning code)
{
	switch (code) {
	case GMIME_WARN_DUPLICATED_HEADER: return "duplicated header";
	case GMIME_WARN_DUPLICATED_PARAMETER: return "duplicated parameter";
	case GMIME_WARN_UNENCODED_8BIT_HEADER: return "unencoded 8-bit header";
	case GMIME_WARN_INVALID_CONTENT_TYPE:
		return "invalid Content-Type, read as "
		    "application/octet-stream";
	case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE:
		return "invalid RFC 2047 header value";
	case GMIME_WARN_MALFORMED_MULTIPART: return "multipart without parts";
	case GMIME_WARN_TRUNCATED_MESSAGE: return "truncated message";
	case GMIME_WARN_MALFORMED_MESSAGE: return "malformed message";
	case GMIME_CRIT_INVALID_HEADER_NAME: return "invalid header name";
	case GMIME_CRIT_CONFLICTING_HEADER: return "conflicting header";
	case GMIME_CRIT_CONFLICTING_PARAMETER: return "conflicting parameter";
	case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
		return "multipart without boundary";
	case GMIME_WARN_INVALID_PARAMETER: return "invalid parameter";
	case GMIME_WARN_INVALID_ADDRESS_LIST: return "invalid address list";
	case GMIME_CRIT_NESTING_OVERFLOW: return "MIME nesting overflow";
	case GMIME_WARN_PART_WITHOUT_CONTENT: return "part without content";
	case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
		return "part without headers or content";
	}
	return "parser warning";
}

/* GMime's parser warnings, kept per submission (msgcheck.c does the
 * same): malformed input is reported, not silently repaired. */
static void
on_warning(gint64 offset, GMimeParserWarning code, const gchar *item,
	   gpointer ud)
{
	msg_submission *sub = ud;
	char *it = item != NULL ? mime_text_nfc(item) : NULL;

	if (it != NULL && strlen(it) > 200) {
		/* Cut at a character boundary into a new string: "…" is
		 * longer than what it replaces (fuzz finding 2). */
		const char *cut = g_utf8_find_prev_char(it, it + 200);
		char *t = g_strdup_printf("%.*s…", (int)(cut - it), it);

		g_free(it);
		it = t;
	}
	mime_ctx_warn(sub, g_strdup_printf("GMime: %s%s%s%s",
	    warning_name(code), it != NULL ? " (" : "", it != NULL ? it : "",
	    it != NULL ? ")" : ""));
	if (offset >= 0 && sub->warnings->len > 0) {
		char **last = (char **)&g_ptr_array_index(sub->warnings,
		    sub->warnings->len - 1);
		char *s = g_strdup_printf("%s at byte %" G_GINT64_FORMAT,
					  *last, offset);

		if (g_str_has_prefix(*last, "GMime: ")) {
			g_free(*last);
			*last = s;
		} else {
			g_free(s);
		}
	}
	g_free(it);
}

static gboolean
is_spam(GMimeHeaderList *h)
{
	return mime_header_value_is(h, "X-Spam-Flag", "YES", FALSE) ||
	    mime_header_value_is(h, "X-Spam-Status", "Yes", TRUE) ||
	    mime_header_value_is(h, "X-Spam", "Yes", FALSE);
}

static void
read_threading(GMimeHeaderList *h, msg_submission *sub)
{
	char *raw = mime_header_get_raw(h, "In-Reply-To");
	GMimeReferences *refs;

	if (raw != NULL) {
		refs = g_mime_references_parse(base_opts, raw);
		if (refs != NULL && g_mime_references_length(refs) > 0)
			sub->in_reply_to = mime_text_nfc(
			    g_mime_references_get_message_id(refs, 0));
		if (refs != NULL)
			g_mime_references_free(refs);
		g_free(raw);
	}
	raw = mime_header_get_raw(h, "References");
	if (raw != NULL) {
		GString *s = g_string_new(NULL);

		refs = g_mime_references_parse(base_opts, raw);
		for (int i = 0; refs != NULL &&
		     i < g_mime_references_length(refs); i++) {
			if (s->len > 0)
				g_string_append_c(s, ' ');
			g_string_append(s,
			    g_mime_references_get_message_id(refs, i));
		}
		if (refs != NULL)
			g_mime_references_free(refs);
		if (s->len > 0)
			sub->references = mime_text_nfc(s->str);
		g_string_free(s, TRUE);
		g_free(raw);
	}
}

static void
attachment_free(gpointer p)
{
	msg_attachment *a = p;

	g_free(a->filename);
	g_free(a->content_type);
	g_free(a->disposition);
	g_free(a->content_id);
	g_free(a->part_path);
	g_free(a->danger);
	media_facts_clear(&a->media);
	g_free(a);
}

static void
forwarded_free(gpointer p)
{
	msg_forwarded *f = p;

	g_free(f->from_name);
	g_free(f->from_addr);
	g_free(f->subject);
	g_free(f->message_id);
	g_free(f->date_utc);
	g_free(f->text);
	g_free(f);
}

static msg_submission *
submission_new(void)
{
	msg_submission *sub = g_new0(msg_submission, 1);

	sub->attachments = g_ptr_array_new_with_free_func(attachment_free);
	sub->forwarded = g_ptr_array_new_with_free_func(forwarded_free);
	sub->warnings = g_ptr_array_new_with_free_func(g_free);
	sub->text = g_strdup("");
	sub->quote_offset = -1;
	return sub;
}

/* P (LEN bytes) starts with a header field name and a colon, perhaps
 * indented (mime-headfix.c reads an indented first header line as a
 * field: white space before it is skipped here, the indent there). */
static gboolean
header_like(const char *p, size_t len)
{
	size_t i = 0;

	while (i < len && (p[i] == ' ' || p[i] == '\t'))
		i++;
	return mime_headfix_field_like(p + i, len - i);
}

/* Where the message starts in FD: after an mbox "From " envelope line
 * (a single message saved from an mbox, .box files) and after lines of
 * white space only (some test suites and broken exporters put one first),
 * else 0.  GMime would read such a line as a broken header or the end of
 * an empty header.  *what says what was skipped (static). */
static gint64
envelope_skip(int fd, const char **what)
{
	char buf[4096];
	ssize_t n = pread(fd, buf, sizeof buf, 0);
	gint64 off = 0;

	*what = NULL;
	while (n > 0 && off < n) {
		const char *l = buf + off;
		const char *nl = memchr(l, '\n', (size_t)(n - off));
		gboolean blank = TRUE;

		if (nl == NULL)
			break;
		for (const char *q = l; q < nl; q++)
			if (*q != ' ' && *q != '\t' && *q != '\r')
				blank = FALSE;
		if (off == 0 && mbox_is_from_line(l, (size_t)(nl - l))) {
			*what = "mbox \"From \" envelope line";
		} else if (blank) {
			if (*what == NULL)
				*what = "blank line";
		} else {
			break;
		}
		off = nl - buf + 1;
	}
	if (*what != NULL && strcmp(*what, "blank line") == 0 &&
	    !header_like(buf + off, (size_t)(n - off))) {
		/* An empty header block and a body: nothing to skip. */
		*what = NULL;
		return 0;
	}
	return off;
}

/* A GMime stream over FD (which it owns) from offset START, read in tiny
 * pieces when the test hook asks for it.  With SCANNER (owned too) the
 * stream feeds the limit scan as GMime reads (mime-scanstream-priv.h) and
 * *BASE gets a new reference to the scanning stream. */
static GMimeStream *
open_stream(int fd, gint64 start, size_t chunk, mime_limits_scanner *scanner,
	    GMimeStream **base)
{
	GMimeStream *fs;

	if (scanner != NULL) {
		fs = mime_scanstream_new(fd, start, scanner);
		*base = g_object_ref(fs);
	} else {
		lseek(fd, start, SEEK_SET);
		fs = g_mime_stream_fs_new_with_bounds(fd, start, -1);
	}
	if (chunk > 0) {
		GMimeStream *c = mime_stream_chunked_new(fs, chunk);

		g_object_unref(fs);
		return c;
	}
	return fs;
}

/* TCVN3/VNI font-hack text: the stored text stays as declared (the RFC
 * reading), and the editor gets the converted text beside it, flagged as
 * a repair. */
static void
legacy_convert(msg_submission *sub)
{
	const char *font = sub->legacy_font_hint;

	if (font == NULL || sub->text == NULL)
		return;
	sub->legacy_text = vnfont_convert(sub->text, font);
	if (vnfont_looks(sub->subject, font))
		sub->legacy_subject = vnfont_convert(sub->subject, font);
	if (sub->legacy_text == NULL)
		return;
	sub->charset_repaired = TRUE;
	g_ptr_array_add(sub->warnings, g_strdup_printf("text written in the "
	    "%s font encoding, not in its charset label: a copy converted "
	    "to Unicode is kept beside the text as sent", font));
}

/* Fill SUB from the GMime message. */
static void
fill(msg_submission *sub, GMimeMessage *msg, GMimeParserOptions *opts,
     const tl_parse_limits *limits, GMimeStream *raw)
{
	GMimeHeaderList *h = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	GMimeObject *root = g_mime_message_get_mime_part(msg);
	mime_walk w = { .opts = opts, .sub = sub, .limits = limits,
			.raw = raw };
	gboolean report = FALSE;
	char *rp;

	mime_envelope_read(&w, msg, &sub->from_name, &sub->from_addr,
			   &sub->subject, &sub->message_id, &sub->date_utc,
			   &sub->date_offset_min);
	if (sub->from_addr == NULL && sub->from_name == NULL &&
	    !g_mime_header_list_contains(h, "From"))
		mime_ctx_warn(sub, g_strdup("no From mailbox"));
	if (sub->date_utc == NULL && !g_mime_header_list_contains(h, "Date"))
		mime_ctx_warn(sub, g_strdup("no Date header"));
	read_threading(h, sub);
	sub->is_auto_reply = autoreply_detect(h, sub->subject);
	sub->is_spam = is_spam(h);
	mime_walk_message(&w, msg);
	if (root != NULL && GMIME_IS_MULTIPART(root) &&
	    g_mime_content_type_is_type(g_mime_object_get_content_type(root),
					"multipart", "report")) {
		const char *rt = g_mime_object_get_content_type_parameter(root,
		    "report-type");

		report = rt != NULL &&
		    g_ascii_strcasecmp(rt, "delivery-status") == 0;
	}
	rp = mime_header_get_raw(h, "Return-Path");
	if (rp != NULL && w.saw_dsn) {
		char *s = g_strstrip(g_strdelimit(rp, "<>", ' '));

		if (*s == '\0')
			report = TRUE;
	}
	g_free(rp);
	sub->is_bounce = report;
	/* Postfix DSNs carry Auto-Submitted too: a bounce is a bounce. */
	if (sub->is_bounce)
		sub->is_auto_reply = FALSE;
	sub->quote_offset = quote_find(sub->text);
	legacy_convert(sub);
}

/* Header fields of MSG and of its top MIME part (GMime files Content-*
 * under the part): a file with none at all is not a message. */
static int
header_count(GMimeMessage *msg)
{
	GMimeObject *root = g_mime_message_get_mime_part(msg);
	int n = g_mime_header_list_get_count(g_mime_object_get_header_list(
	    GMIME_OBJECT(msg)));

	if (root != NULL)
		n += g_mime_header_list_get_count(
		    g_mime_object_get_header_list(root));
	return n;
}

/* Sender, subject, Message-ID and date of a quarantined message, from
 * its top-level header block alone (bytes up to END of FD): GMime sees
 * a message without a body, so nothing beyond the header is built. */
static void
header_only(msg_submission *sub, int fd, gint64 end)
{
	const char *skipped;
	gint64 start = envelope_skip(fd, &skipped);
	GMimeParserOptions *opts;
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *msg;
	int dfd;

	if (start >= end || (dfd = dup(fd)) < 0)
		return;
	opts = g_mime_parser_options_clone(base_opts);
	lseek(dfd, start, SEEK_SET);
	stream = g_mime_stream_fs_new_with_bounds(dfd, start, end);
	parser = g_mime_parser_new_with_stream(stream);
	msg = g_mime_parser_construct_message(parser, opts);
	if (msg != NULL) {
		mime_walk w = { .opts = opts, .sub = sub };

		mime_envelope_read(&w, msg, &sub->from_name, &sub->from_addr,
				   &sub->subject, &sub->message_id,
				   &sub->date_utc, &sub->date_offset_min);
		g_object_unref(msg);
	}
	g_object_unref(parser);
	g_object_unref(stream);
	g_mime_parser_options_free(opts);
}

/* LIMITS (NULL: the defaults) into *LIM, where a zero or negative limit
 * (unset) means the default, never "quarantine everything". */
static void
limits_effective(const tl_parse_limits *limits, tl_parse_limits *lim)
{
	static const tl_parse_limits defaults = TL_PARSE_LIMITS_DEFAULT;

	*lim = limits != NULL ? *limits : defaults;
	if (lim->max_mime_depth <= 0)
		lim->max_mime_depth = defaults.max_mime_depth;
	if (lim->max_parts <= 0)
		lim->max_parts = defaults.max_parts;
	if (lim->max_header_bytes <= 0)
		lim->max_header_bytes = defaults.max_header_bytes;
}

/* The stream GMime parses from FD (read from its start): past a mailbox
 * envelope line, with the header blocks GMime misreads repaired
 * (mime-headfix-priv.h); each skip and repair a warning on SUB.  The
 * stream owns FD, and SCANNER and sets *BASE as open_stream() does. */
static GMimeStream *
message_stream_open(int fd, msg_submission *sub, mime_limits_scanner *scanner,
		    GMimeStream **base)
{
	const char *skipped;
	gint64 start = envelope_skip(fd, &skipped);
	GMimeStream *stream, *fx;
	int fixed = 0;

	if (start > 0)
		mime_ctx_warn(sub, g_strdup_printf("%s before the header "
						    "skipped", skipped));
	stream = open_stream(fd, start, read_chunk, scanner, base);
	fx = mime_headfix_wrap(stream, &fixed);
	g_object_unref(stream);
	if (fixed != 0)
		mime_ctx_warn(sub, g_strdup(mime_headfix_describe(fixed)));
	return fx;
}

/* GMime's message from STREAM (NULL when it makes none), its warnings on
 * SUB; *OPTS the options used (caller frees). */
static GMimeMessage *
parse_gmime(GMimeStream *stream, msg_submission *sub,
	    GMimeParserOptions **opts)
{
	GMimeParser *parser;
	GMimeMessage *msg;

	*opts = g_mime_parser_options_clone(base_opts);
	g_mime_parser_options_set_warning_callback(*opts, on_warning, sub);
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(parser, *opts);
	g_object_unref(parser);
	return msg;
}

/* SUB from GMime's MSG (may be NULL: quarantined), then free MSG and
 * OPTS. */
static void
parse_fill(msg_submission *sub, GMimeMessage *msg, GMimeParserOptions *opts,
	   const tl_parse_limits *limits, GMimeStream *stream)
{
	if (msg == NULL)
		sub->quarantine_reason = g_strdup("GMime could not parse the "
						  "message");
	else if (header_count(msg) == 0)
		sub->quarantine_reason = g_strdup("no header fields: not an "
						  "RFC 5322 message");
	else
		fill(sub, msg, opts, limits, stream);
	if (msg != NULL)
		g_object_unref(msg);
	g_mime_parser_options_free(opts);
}

/* A message that breaks a limit: quarantined with REASON (taken), and
 * the editor still sees whose tip it is (QA F7): the top-level header
 * is read alone when it was within the limits. */
static msg_submission *
parse_quarantined(int fd, char *reason, const mime_limits_info *info)
{
	msg_submission *sub = submission_new();

	sub->quarantine_reason = reason;
	if (info->header_end > 0)
		header_only(sub, fd, info->header_end);
	return sub;
}

/* The parse with the limit scan as a pass of its own before it, on FD
 * (owned): the way to the same result when the one-pass parse cannot be
 * sure of it. */
static tl_status
parse_two_pass(int fd, const char *path, const tl_parse_limits *limits,
	       msg_submission **out, char **errmsg)
{
	msg_submission *sub = NULL;
	GMimeParserOptions *opts = NULL;
	GMimeStream *stream = NULL;
	GMimeMessage *msg = NULL;
	char *reason = NULL;
	mime_limits_info info;

	/* Limits first, in one streaming pass with bounded memory, so a
	 * hostile message never reaches GMime's tree builder. */
	if (mime_limits_scan(fd, limits, read_chunk, &info, &reason) != 0) {
		*out = parse_quarantined(fd, reason, &info);
		close(fd);
		return TL_OK;
	}
	if (lseek(fd, 0, SEEK_SET) != 0) {
		*errmsg = g_strdup_printf("%s: %s", path, g_strerror(errno));
		close(fd);
		return TL_NOINPUT;
	}
	sub = submission_new();
	if (info.header_nuls > 0)
		mime_ctx_warn(sub, g_strdup_printf("%d NUL byte(s) in the "
			       "header: a header field ends at its first NUL "
			       "(GMime reads it as a C string)",
			       info.header_nuls));
	stream = message_stream_open(fd, sub, NULL, NULL);
	msg = parse_gmime(stream, sub, &opts);
	parse_fill(sub, msg, opts, limits, stream);
	g_object_unref(stream);
	*out = sub;
	return TL_OK;
}

/* The parse in one read of FD (owned) for the limit scan and GMime
 * (mime-scanstream-priv.h): the same result as parse_two_pass(), which
 * it leaves the rare cases to (FALSE, *OUT unset): a read error, and NUL
 * bytes in a header, whose warning comes before GMime's. */
static gboolean
parse_one_pass(int fd, const tl_parse_limits *limits, msg_submission **out)
{
	msg_submission *sub = submission_new();
	GMimeParserOptions *opts = NULL;
	GMimeStream *stream, *base = NULL;
	GMimeMessage *msg;
	mime_limits_info info;
	char *reason = NULL;
	int rc;

	stream = message_stream_open(fd, sub,
				     mime_limits_scanner_new(limits, 0), &base);
	msg = parse_gmime(stream, sub, &opts);
	rc = mime_scanstream_finish(base, &info, &reason);
	if (rc != 0 || info.header_nuls > 0) {
		/* GMime's view of a message over a limit is dropped: only
		 * the limit's reason and the header are kept. */
		message_free(sub);
		sub = NULL;
		if (rc == 1)
			sub = parse_quarantined(fd, reason, &info);
		else
			g_free(reason);
		if (msg != NULL)
			g_object_unref(msg);
		g_mime_parser_options_free(opts);
	} else {
		parse_fill(sub, msg, opts, limits, stream);
	}
	g_object_unref(stream);
	g_object_unref(base);
	*out = sub;
	return sub != NULL;
}

tl_status
message_parse_file(const char *path, const tl_parse_limits *limits,
		   msg_submission **out, char **errmsg)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	tl_status rc;

	*out = NULL;
	if (fd < 0) {
		*errmsg = g_strdup_printf("%s: %s", path, g_strerror(errno));
		return TL_NOINPUT;
	}
	rc = message_parse_fd(fd, path, limits, out, errmsg);
	close(fd);
	return rc;
}

tl_status
message_parse_fd(int fd, const char *name, const tl_parse_limits *limits,
		 msg_submission **out, char **errmsg)
{
	tl_parse_limits lim;
	int d;

	*out = NULL;
	if (base_opts == NULL)
		message_init();
	limits_effective(limits, &lim);
	/* Each pass owns a descriptor of its own (its stream closes it). */
	if (!two_pass && (d = fcntl(fd, F_DUPFD_CLOEXEC, 0)) >= 0 &&
	    parse_one_pass(d, &lim, out))
		return TL_OK;
	/* The two-pass scan reads from the offset the one pass moved. */
	if ((d = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0 ||
	    lseek(d, 0, SEEK_SET) != 0) {
		*errmsg = g_strdup_printf("%s: %s", name, g_strerror(errno));
		if (d >= 0)
			close(d);
		return TL_NOINPUT;
	}
	return parse_two_pass(d, name, &lim, out, errmsg);
}

/* Indexed by msg_class. */
static const char *const class_names[] = {
	[MSG_CLASS_NEW] = "new",
	[MSG_CLASS_QUARANTINED] = "quarantined",
	[MSG_CLASS_BOUNCE] = "bounce",
	[MSG_CLASS_AUTO_REPLY] = "auto_reply",
	[MSG_CLASS_SPAM] = "spam",
};
G_STATIC_ASSERT(G_N_ELEMENTS(class_names) == MSG_N_CLASSES);

const char *
msg_class_name(msg_class c)
{
	return c >= 0 && c < MSG_N_CLASSES ? class_names[c] : NULL;
}

msg_class
msg_class_parse(const char *name)
{
	for (int i = 0; name != NULL && i < MSG_N_CLASSES; i++)
		if (strcmp(class_names[i], name) == 0)
			return (msg_class)i;
	return MSG_CLASS_INVALID;
}

msg_class
message_classify(const msg_submission *sub)
{
	if (sub->quarantine_reason != NULL)
		return MSG_CLASS_QUARANTINED;
	if (sub->is_bounce)
		return MSG_CLASS_BOUNCE;
	if (sub->is_auto_reply)
		return MSG_CLASS_AUTO_REPLY;
	if (sub->is_spam)
		return MSG_CLASS_SPAM;
	return MSG_CLASS_NEW;
}

/* Copy the decoded bytes of PART to OUT; FALSE on a write error. */
static gboolean
copy_part(GMimePart *part, GMimeStream *out)
{
	GMimeStream *in = mime_part_stream(part);
	char buf[65536];
	gboolean ok = TRUE;
	int idle = 0;

	if (in == NULL)
		return TRUE;
	for (;;) {
		ssize_t n = g_mime_stream_read(in, buf, sizeof buf);

		if (n > 0) {
			idle = 0;
			if (g_mime_stream_write(out, buf, n) != n) {
				ok = FALSE;
				break;
			}
		} else if (n < 0 || g_mime_stream_eos(in) ||
			   ++idle > MIME_PART_IDLE_MAX) {
			break;
		}
	}
	g_object_unref(in);
	return ok;
}

struct msg_raw {
	char *path;
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *msg;	/* NULL when GMime could not parse it */
};

tl_status
message_raw_open(const char *raw_path, msg_raw **out, char **errmsg)
{
	static const tl_parse_limits export_limits = {
		256, 1000000, G_GINT64_CONSTANT(256) * 1024 * 1024
	};
	const char *skipped;
	char *reason = NULL;
	msg_raw *r;
	int in;

	*out = NULL;
	if (base_opts == NULL)
		message_init();
	in = open(raw_path, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		*errmsg = g_strdup_printf("%s: %s", raw_path,
					  g_strerror(errno));
		return TL_NOINPUT;
	}
	/* The tree is built again: keep hostile nesting from GMime here
	 * too, with limits wide enough for anything a parse accepted. */
	if (mime_limits_scan(in, &export_limits, 0, NULL, &reason) != 0) {
		*errmsg = g_strdup_printf("%s: %s", raw_path, reason);
		g_free(reason);
		close(in);
		return TL_DATA;
	}
	r = g_new0(msg_raw, 1);
	r->path = g_strdup(raw_path);
	r->stream = open_stream(in, envelope_skip(in, &skipped), 0, NULL,
				    NULL);
	{
		/* The same repairs as message_parse_file(). */
		GMimeStream *fx = mime_headfix_wrap(r->stream, NULL);

		g_object_unref(r->stream);
		r->stream = fx;
	}
	r->parser = g_mime_parser_new_with_stream(r->stream);
	r->msg = g_mime_parser_construct_message(r->parser, base_opts);
	*out = r;
	return TL_OK;
}

/* Write the bytes of the message/rfc822 part at PART_PATH that is not a
 * message (mime-opaque-priv.h) to FD. */
static tl_status
opaque_write(msg_raw *r, const char *part_path, int fd, char **errmsg)
{
	GMimeStream *in = mime_opaque_find(r->msg, r->stream, part_path);
	GMimeStream *out;
	tl_status rc = TL_OK;
	int dfd;

	if (in == NULL) {
		*errmsg = g_strdup_printf("%s: no MIME part %s", r->path,
					  part_path);
		return TL_DATA;
	}
	if ((dfd = dup(fd)) < 0) {
		*errmsg = g_strdup_printf("%s: part %s: %s", r->path,
					  part_path, g_strerror(errno));
		g_object_unref(in);
		return TL_SOFTWARE;
	}
	out = g_mime_stream_fs_new(dfd);
	g_mime_stream_reset(in);
	if (g_mime_stream_write_to_stream(in, out) < 0) {
		*errmsg = g_strdup_printf("%s: part %s: %s", r->path,
		    part_path, g_strerror(errno != 0 ? errno : EIO));
		rc = TL_TEMPFAIL;
	}
	g_object_unref(out);
	g_object_unref(in);
	return rc;
}

tl_status
message_raw_part_write(msg_raw *r, const char *part_path, int fd,
		       char **errmsg)
{
	char *path = g_strdup(part_path), *suffix;
	GMimeObject *obj;
	GMimeStream *out;
	tl_status rc = TL_OK;
	int n = 0, dfd, res;

	suffix = strchr(path, ':');
	if (suffix != NULL)
		*suffix++ = '\0';
	obj = r->msg != NULL ? mime_part_find(r->msg, path) : NULL;
	if (suffix == NULL && obj != NULL && mime_opaque_is(obj)) {
		g_free(path);
		return opaque_write(r, part_path, fd, errmsg);
	}
	if (obj == NULL || !GMIME_IS_PART(obj) || (suffix != NULL &&
	    sscanf(suffix, "uu%d", &n) != 1 &&
	    sscanf(suffix, "tnef%d", &n) != 1)) {
		*errmsg = g_strdup_printf("%s: no MIME part %s", r->path,
					  part_path);
		g_free(path);
		return TL_DATA;
	}
	if ((dfd = dup(fd)) < 0) {
		*errmsg = g_strdup_printf("%s: part %s: %s", r->path,
					  part_path, g_strerror(errno));
		g_free(path);
		return TL_SOFTWARE;
	}
	out = g_mime_stream_fs_new(dfd);
	if (suffix != NULL && suffix[0] == 'u')
		res = mime_walk_write_uu(GMIME_PART(obj), n, out);
	else if (suffix != NULL)
		res = mime_walk_write_tnef(GMIME_PART(obj), n, out);
	else
		res = copy_part(GMIME_PART(obj), out) ? 1 : -1;
	/* No g_mime_stream_flush(): on a GMimeStreamFs it is fsync(2),
	 * which fails on a pipe or /dev/null; the stream does not buffer,
	 * and durability is the caller's choice (export fsyncs). */
	if (res == 0) {
		/* No such uuencoded block or TNEF file. */
		*errmsg = g_strdup_printf("%s: no MIME part %s", r->path,
					  part_path);
		rc = TL_DATA;
	} else if (res < 0) {
		*errmsg = g_strdup_printf("%s: part %s: %s", r->path,
		    part_path, g_strerror(errno != 0 ? errno : EIO));
		rc = TL_TEMPFAIL;
	}
	g_object_unref(out);
	g_free(path);
	return rc;
}

void
message_raw_close(msg_raw *r)
{
	if (r == NULL)
		return;
	if (r->msg != NULL)
		g_object_unref(r->msg);
	g_object_unref(r->parser);
	g_object_unref(r->stream);
	g_free(r->path);
	g_free(r);
}

tl_status
message_part_write(const char *raw_path, const char *part_path, int fd,
		   char **errmsg)
{
	msg_raw *r = NULL;
	tl_status rc = message_raw_open(raw_path, &r, errmsg);

	if (rc != TL_OK)
		return rc;
	rc = message_raw_part_write(r, part_path, fd, errmsg);
	message_raw_close(r);
	return rc;
}

void
message_free(msg_submission *sub)
{
	if (sub == NULL)
		return;
	g_free(sub->message_id);
	g_free(sub->from_name);
	g_free(sub->from_addr);
	g_free(sub->subject);
	g_free(sub->date_utc);
	g_free(sub->in_reply_to);
	g_free(sub->references);
	g_free(sub->text);
	g_free(sub->text_source);
	g_free(sub->html);
	g_ptr_array_free(sub->attachments, TRUE);
	g_ptr_array_free(sub->forwarded, TRUE);
	g_ptr_array_free(sub->warnings, TRUE);
	g_free(sub->legacy_font_hint);
	g_free(sub->legacy_text);
	g_free(sub->legacy_subject);
	g_free(sub->dsn_summary);
	g_free(sub->quarantine_reason);
	g_free(sub);
}
