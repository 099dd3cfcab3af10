/* cmd-show.c - `tipline show ID`: one submission for an editor to read,
 * its header block, its original bytes, or its JSON. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "store.h"
#include "display.h"
#include "emit.h"
#include "util.h"

typedef struct {
	gboolean colour;
	const char *zone;	/* localtime_zone_name() */
} view;

/* "Label:   value" with the value made safe for a terminal. */
static void
field(const view *v, const char *label, const char *value)
{
	char *clean;

	if (value == NULL || *value == '\0')
		return;
	clean = display_clean(value, FALSE);
	printf("%s%-10s%s %s\n", display_sgr(v->colour, "\033[1m"), label,
	       display_sgr(v->colour, "\033[0m"), clean);
	g_free(clean);
}

static void
warn_line(const view *v, const char *indent, const char *text)
{
	char *clean = display_clean(text, FALSE);

	printf("%s%s! %s%s\n", indent, display_sgr(v->colour, "\033[31m"),
	       clean, display_sgr(v->colour, "\033[0m"));
	g_free(clean);
}

static void
sender(const view *v, const char *label, const char *name, const char *addr)
{
	char *s;

	if (name != NULL && *name != '\0' && addr != NULL)
		s = g_strdup_printf("%s <%s>", name, addr);
	else
		s = g_strdup(addr != NULL ? addr : name != NULL ? name : "-");
	field(v, label, s);
	g_free(s);
}

static void
dates(const view *v, const char *utc)
{
	char *local, *s;

	if (utc == NULL) {
		field(v, "Date:", "(none or unreadable)");
		return;
	}
	local = localtime_text(utc, TRUE);
	/* The zone by name (issue 10): "(local)" on a UTC server said
	 * nothing about the newsroom's time. */
	s = g_strdup_printf("%s (%s)  %s (UTC)", local, v->zone, utc);
	field(v, "Date:", s);
	g_free(s);
	g_free(local);
}

/* The body text; a reply's quoted part (from quote_offset on) is folded
 * into one line unless SHOW_QUOTED. */
static void
body(const view *v, const char *text, gint64 quote, gboolean show_quoted)
{
	char *own, *clean;
	gsize len = text != NULL ? strlen(text) : 0;

	if (text == NULL || *text == '\0') {
		printf("(no text)\n");
		return;
	}
	if (quote < 0 || (gsize)quote >= len || show_quoted)
		quote = (gint64)len;
	/* Never split a character: move to the next boundary. */
	while ((gsize)quote < len && (text[quote] & 0xc0) == 0x80)
		quote++;
	own = g_strndup(text, (gsize)quote);
	clean = display_clean(own, TRUE);
	printf("%s", clean);
	if (*clean != '\0' && clean[strlen(clean) - 1] != '\n')
		printf("\n");
	if ((gsize)quote < len) {
		int lines = 1;

		for (const char *p = text + quote; *p; p++)
			lines += *p == '\n' && p[1] != '\0';
		printf("%s[quoted text: %d line%s folded; show --quoted]%s\n",
		       display_sgr(v->colour, "\033[2m"), lines,
		       lines == 1 ? "" : "s",
		       display_sgr(v->colour, "\033[0m"));
	}
	g_free(clean);
	g_free(own);
}

/* TCVN3/VNI font-hack text converted to Unicode, after the text as
 * sent (legacy_font_converted in show --json). */
static void
legacy(const view *v, const detail_legacy *l)
{
	if (l == NULL)
		return;
	printf("\n%s---------- converted from the %s font encoding "
	       "----------%s\n", display_sgr(v->colour, "\033[1m"),
	       l->font != NULL ? l->font : "legacy",
	       display_sgr(v->colour, "\033[0m"));
	if (l->subject != NULL) {
		field(v, "Subject:", l->subject);
		printf("\n");
	}
	body(v, l->text, -1, TRUE);
}

static void
forwards(const view *v, GPtrArray *fw)
{
	for (guint i = 0; i < fw->len; i++) {
		const detail_forward *f = fw->pdata[i];

		printf("\n%s---------- forwarded message %u ----------%s\n",
		       display_sgr(v->colour, "\033[1m"), i + 1,
		       display_sgr(v->colour, "\033[0m"));
		sender(v, "From:", f->from_name, f->from_addr);
		dates(v, f->date_utc);
		field(v, "Subject:", f->subject);
		field(v, "Message-ID:", f->message_id);
		printf("\n");
		body(v, f->text, -1, TRUE);
	}
}

/* ---- photo and video facts (the attachment's "media" object) ---- */

/* How a viewer turns the stored pixels for Exif orientation O (Exif 2.32
 * 4.6.4 "Orientation"); NULL for 1 (as stored) or unknown. */
static const char *
media_turn(gint64 o)
{
	static const char *const turn[] = {
		NULL, NULL, "mirrored", "turned 180°", "flipped upside down",
		"mirrored and turned 90° counter-clockwise",
		"turned 90° clockwise",
		"mirrored and turned 90° clockwise",
		"turned 90° counter-clockwise",
	};

	return o >= 1 && o <= 8 ? turn[o] : NULL;
}

/* One fact line under an attachment: "     label   value". */
static void
media_line(const char *label, const char *value)
{
	char *clean = display_clean(value, FALSE);

	printf("     %-8s %s\n", label, clean);
	g_free(clean);
}

/* "W x H pixels as shown (landscape), stored turned ... , 3.0 s". */
static void
media_shape(GString *s, const detail_media *m)
{
	gint64 w = m->width, h = m->height, o = m->orientation;

	if (w > 0 && h > 0) {
		/* Orientations 5..8 turn the picture a quarter. */
		gint64 dw = o >= 5 && o <= 8 ? h : w;
		gint64 dh = o >= 5 && o <= 8 ? w : h;

		g_string_append_printf(s, ", %" G_GINT64_FORMAT " x %"
		    G_GINT64_FORMAT " pixels as shown (%s)", dw, dh,
		    dh > dw ? "portrait" : dh == dw ? "square" : "landscape");
	}
	if (media_turn(o) != NULL)
		g_string_append_printf(s, ", stored %s (orientation %"
		    G_GINT64_FORMAT ")", media_turn(o), o);
	if (m->duration_s >= 0)
		g_string_append_printf(s, ", %.1f s", m->duration_s);
}

/* The capture time: "2024-06-08 07:20:05 UTC", or the camera's clock
 * said so when the file has no zone. */
static void
media_taken(GString *s, const char *t)
{
	size_t len = strlen(t);

	g_string_append_len(s, t, MIN(len, (size_t)19));
	if (s->len > 10)
		s->str[10] = ' ';
	if (len > 19 && t[19] == 'Z')
		g_string_append(s, " UTC");
	else if (len > 19)
		g_string_append_printf(s, " %s", t + 19);
	else
		g_string_append(s, " (the camera's clock; no time "
				"zone in the file)");
}

/* What an editor checks before publishing a photo or video: format and
 * size as a viewer shows it, capture time, camera, map link. */
static void
media_facts_show(const detail_media *m)
{
	GString *s;
	gboolean video;

	if (m == NULL)
		return;
	video = g_strcmp0(m->format, "MP4") == 0 ||
	    g_strcmp0(m->format, "QuickTime") == 0;
	s = g_string_new(m->format);
	media_shape(s, m);
	media_line(video ? "video:" : "photo:", s->str);
	g_string_truncate(s, 0);
	if (m->taken != NULL) {
		media_taken(s, m->taken);
		media_line("taken:", s->str);
		g_string_truncate(s, 0);
	}
	if (m->make != NULL || m->model != NULL) {
		const char *mk = m->make, *md = m->model;

		/* Models often repeat the make ("Canon" "Canon EOS 80D"). */
		if (mk != NULL && (md == NULL || g_ascii_strncasecmp(md, mk,
		    strlen(mk)) != 0))
			g_string_append(s, mk);
		if (md != NULL)
			g_string_append_printf(s, "%s%s", s->len ? " " : "",
					       md);
		media_line("camera:", s->str);
	}
	if (m->map_url != NULL) {
		char *where = g_strdup_printf("%s (position from %s)",
		    m->map_url, m->gps_source ? m->gps_source : "the file");

		media_line("map:", where);
		g_free(where);
	}
	g_string_free(s, TRUE);
}

/* The red lines under an attachment: its GPS position, its danger. */
static void
attachment_warnings(const view *v, const detail_attachment *a)
{
	if (a->has_gps) {
		/* Only JPEG copies are scrubbed: never promise a safe copy
		 * for a video or PNG (QA F5). */
		gboolean jpeg = g_strcmp0(a->content_type, "image/jpeg") == 0;
		char *w = g_strdup_printf("GPS position %.6f, %.6f in "
		    "the file: it shows where %s was taken (%s)",
		    a->gps_lat, a->gps_lon, jpeg ? "the photo" : "it",
		    jpeg ? "export --scrub writes a copy without it" :
		    "export --scrub cannot remove it from this kind "
		    "of file: remove it by hand before publishing");

		warn_line(v, "     ", w);
		g_free(w);
	}
	if (a->danger != NULL) {
		char *w = g_strdup_printf("dangerous: %s", a->danger);

		warn_line(v, "     ", w);
		g_free(w);
	}
}

static void
attachments(const view *v, GPtrArray *at)
{
	if (at->len == 0)
		return;
	printf("\nAttachments (%u):\n", at->len);
	for (guint i = 0; i < at->len; i++) {
		const detail_attachment *a = at->pdata[i];
		char *size = display_size(a->size);
		char *name = display_clean(a->filename, FALSE);

		printf("  %u. %s  %s  %s\n     sha256 %s\n", i + 1, name,
		       a->content_type, size, a->sha256);
		media_facts_show(a->media);
		if (a->forwarded_index >= 0)
			printf("     (in forwarded message %" G_GINT64_FORMAT
			       ")\n", a->forwarded_index + 1);
		attachment_warnings(v, a);
		g_free(size);
		g_free(name);
	}
}

static void
warnings(const view *v, const detail_submission *d)
{
	guint n = g_strv_length(d->warnings);
	/* A converted font hack has its own stored warning ("text written
	 * in the TCVN3 font encoding, not in its charset label: a copy
	 * converted to Unicode is kept..."), which says what the repaired
	 * label and the hint lines would say again. */
	gboolean converted = d->legacy != NULL;

	if (n > 0 || d->charset_repaired || d->legacy_font_hint != NULL)
		printf("\nWarnings:\n");
	if (d->charset_repaired && !converted)
		warn_line(v, "  ", "a wrong charset label was repaired; check "
			  "the text against the original (show --raw)");
	if (d->legacy_font_hint != NULL && !converted) {
		char *s = g_strdup_printf("the text looks like a %s font hack:"
		    " letters may be wrong", d->legacy_font_hint);

		warn_line(v, "  ", s);
		g_free(s);
	}
	for (guint i = 0; i < n; i++) {
		/* Stored at ingest with UTC times (the value, kept in
		 * --json); shown in the newsroom's zone, named, as Date:
		 * is (editor trial finding 4). */
		char *s = display_times_in_text(d->warnings[i]);

		warn_line(v, "  ", s);
		g_free(s);
	}
}

static void
history(GPtrArray *h)
{
	int wwho = 12;

	/* Aligned by display width, not bytes: "Trần Thị Bích Ngọc" is 18
	 * columns and 25 bytes (issue 10). */
	for (guint i = 0; i < h->len; i++)
		wwho = MAX(wwho, display_width(((audit_row *)h->pdata[i])->
					       editor));
	wwho = MIN(wwho, 32);
	printf("\nHistory:\n");
	for (guint i = 0; i < h->len; i++) {
		const audit_row *e = h->pdata[i];
		char *when = localtime_text(e->at_utc, FALSE);
		char *who = display_fit(e->editor, wwho, TRUE);
		char *note = display_clean(e->note, FALSE);
		const char *what = audit_action_name(e->action);

		printf("  %s  %s %-8s %s -> %s%s%s%s\n", when, who,
		       what != NULL ? what : "?",
		       e->old_status ? e->old_status : "-",
		       e->new_status ? e->new_status : "-",
		       *note ? "  \"" : "", note, *note ? "\"" : "");
		g_free(when);
		g_free(who);
		g_free(note);
	}
}

/* After a follow-up's id: what it carries, "(1 attachment, GPS
 * position, DANGEROUS FILE)", so that the first submission of a thread
 * warns about what came later as its list row does; nothing when it
 * carries nothing. */
static void
follow_up_marks(GString *s, const detail_follow_up *m)
{
	gsize start = s->len;

	if (m->attachment_count > 0)
		g_string_append_printf(s, ", %" G_GINT64_FORMAT
		    " attachment%s", m->attachment_count,
		    m->attachment_count == 1 ? "" : "s");
	if (m->has_gps)
		g_string_append(s, ", GPS POSITION IN A PHOTO");
	if (m->has_danger)
		g_string_append(s, ", DANGEROUS FILE");
	if (m->quarantined)
		g_string_append(s, ", QUARANTINED");
	if (s->len > start) {
		g_string_erase(s, start, 2);
		g_string_insert(s, start, " (");
		g_string_append_c(s, ')');
	}
}

static void
thread(const view *v, const detail_submission *d)
{
	GArray *fu = d->follow_ups;
	GString *s = g_string_new(NULL);

	if (d->parent_id > 0)
		g_string_append_printf(s, "follow-up of #%" G_GINT64_FORMAT,
				       d->parent_id);
	if (fu->len > 0) {
		g_string_append(s, s->len ? "; follow-ups:" : "follow-ups:");
		for (guint i = 0; i < fu->len; i++) {
			const detail_follow_up *m = &g_array_index(fu,
			    detail_follow_up, i);

			g_string_append_printf(s, " #%" G_GINT64_FORMAT,
					       m->id);
			follow_up_marks(s, m);
		}
	}
	field(v, "Thread:", s->str);
	g_string_free(s, TRUE);
}

static void
flags(const view *v, const detail_submission *d)
{
	const struct {
		gboolean on;
		const char *name;
	} names[] = {
		{ d->is_auto_reply, "auto-reply" }, { d->is_bounce, "bounce" },
		{ d->is_spam, "spam" }, { d->is_signed, "signed" },
		{ d->is_encrypted, "encrypted" },
		{ d->has_gps, "GPS POSITION IN A PHOTO" },
	};
	GString *s = g_string_new(NULL);

	for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
		if (names[i].on)
			g_string_append_printf(s, "%s%s", s->len ? ", " : "",
					       names[i].name);
	field(v, "Flags:", s->str);
	g_string_free(s, TRUE);
}

static void
print_view(const detail_submission *d, gboolean show_quoted)
{
	char *zone = localtime_zone_name();
	view v = { display_use_colour(STDOUT_FILENO), zone };
	const char *status = queue_status_name(d->status);
	char *title = display_clean(status, FALSE);

	printf("%sSubmission #%" G_GINT64_FORMAT "%s  [%s]\n",
	       display_sgr(v.colour, "\033[1m"), d->id,
	       display_sgr(v.colour, "\033[0m"), title);
	g_free(title);
	sender(&v, "From:", d->from_name, d->from_addr);
	dates(&v, d->date_utc);
	field(&v, "Subject:", d->subject);
	field(&v, "Message-ID:", d->message_id);
	field(&v, "Source:", d->source_path != NULL ? d->source_path :
	      d->source);
	thread(&v, d);
	flags(&v, d);
	field(&v, "Bounce:", d->dsn_summary);
	if (d->error != NULL) {
		char *e = g_strdup_printf("%s (%s)", d->error, status);

		field(&v, "Problem:", e);
		g_free(e);
	}
	printf("\n");
	body(&v, d->text, d->quote_offset, show_quoted);
	legacy(&v, d->legacy);
	forwards(&v, d->forwarded);
	attachments(&v, d->attachments);
	warnings(&v, d);
	history(d->history);
	g_free(zone);
}

/* Shown to an editor at a terminal: seen by them (list --unseen), with
 * the one marking function every face of the desk uses.  A read-only
 * command, so a write connection of its own; a failure costs only the
 * mark. */
static void
mark_seen(tl_ctx *ctx, gint64 id)
{
	store *w = NULL;
	char *err = NULL;

	if (store_open(ctx->cfg->database, ctx->cfg->passfile,
		       STORE_WRITE, ctx->cfg->busy_timeout_ms, &w,
		       &err) != TL_OK ||
	    store_seen_mark(w, ctx->editor, &id, 1, FALSE, NULL, NULL) !=
	    TL_OK)
		cmd_warn("show", "#%" G_GINT64_FORMAT
			 ": not marked as seen: %s",
			 id, err != NULL ? err : store_errmsg(w));
	store_close(w);
	g_free(err);
}

/* Whether a raw field value needs decoding to be read: RFC 2047 words or
 * raw 8-bit bytes. */
static gboolean
needs_decoding(const char *v, gsize len)
{
	for (gsize i = 0; i < len; i++)
		if ((guchar)v[i] >= 0x80 || (v[i] == '=' && i + 1 < len &&
					     v[i + 1] == '?'))
			return TRUE;
	return FALSE;
}

/* One field (name, colon, value and its continuation lines) of LEN bytes:
 * as it is, then, when it carries encoded words or 8-bit bytes, its
 * decoded text on a dim line below. */
static void
print_field(GString *out, const char *f, gsize len, gboolean colour)
{
	const char *colon = memchr(f, ':', len);
	char *raw, *dec, *field = g_strndup(f, len), *clean;

	/* Clean what the sender wrote before adding our own colour codes:
	 * cleaning afterwards turned them into U+FFFD (QA F11). */
	clean = display_clean(field, TRUE);
	g_string_append(out, clean);
	g_free(clean);
	g_free(field);
	if (colon == NULL || !needs_decoding(colon + 1,
					     len - (gsize)(colon + 1 - f)))
		return;
	raw = g_strndup(colon + 1, len - (gsize)(colon + 1 - f));
	dec = message_header_decode(g_strstrip(raw));
	clean = display_clean(dec, FALSE);
	g_string_append_printf(out, "%s    = %s%s\n",
			       display_sgr(colour, "\033[2m"), clean,
			       display_sgr(colour, "\033[0m"));
	g_free(clean);
	g_free(dec);
	g_free(raw);
}

/* Print the header block; routing fields only when ROUTING. */
static void
print_headers(const char *head, gsize len, gboolean routing)
{
	GString *out = g_string_new(NULL), *field_buf = g_string_new(NULL);
	gboolean colour = display_use_colour(STDOUT_FILENO), keep = TRUE;
	const char *p = head, *end = head + len;

	while (p <= end) {
		const char *nl = p < end ? memchr(p, '\n', (gsize)(end - p)) :
		    NULL;
		const char *eol = nl != NULL ? nl : end;
		gsize l = (gsize)(eol - p);

		if (l > 0 && p[l - 1] == '\r')
			l--;
		if (p == end || (l > 0 && p[0] != ' ' && p[0] != '\t')) {
			/* A new field starts: the previous one is whole. */
			if (keep && field_buf->len > 0)
				print_field(out, field_buf->str,
					    field_buf->len, colour);
			g_string_truncate(field_buf, 0);
			if (p == end)
				break;
			{
				const char *colon = memchr(p, ':', l);

				keep = routing || colon == NULL ||
				    !detail_header_is_routing(p,
				    (gsize)(colon - p));
			}
		}
		g_string_append_len(field_buf, p, (gssize)l);
		g_string_append_c(field_buf, '\n');
		p = nl != NULL ? nl + 1 : end;
	}
	fputs(out->str, stdout);
	g_string_free(field_buf, TRUE);
	g_string_free(out, TRUE);
}

/* Write CHUNK (LEN bytes) cleaned for a terminal: CRLF shown as a line
 * end, every other control character (a sender's escape sequence could
 * set the window title, write the clipboard or hide text) as U+FFFD. */
static void
raw_chunk_print(const char *chunk, size_t len)
{
	GString *t = g_string_sized_new(len);
	char *clean;

	for (size_t i = 0; i < len; i++)
		if (!(chunk[i] == '\r' && i + 1 < len && chunk[i + 1] == '\n'))
			g_string_append_c(t, chunk[i]);
	clean = display_clean(t->str, TRUE);
	fputs(clean, stdout);
	g_free(clean);
	g_string_free(t, TRUE);
}

/* show --raw on a terminal: the original is for files (`> tip.eml`, byte
 * for byte); on a terminal it is shown cleaned, with a note saying so. */
static tl_status
print_raw_on_terminal(tl_ctx *ctx, gint64 id)
{
	char *path = NULL, buf[65536];
	size_t have = 0;
	FILE *f = NULL;
	tl_status rc;

	rc = store_raw_to_tempfile(ctx->st, id, ctx->cfg->spool_dir, &path);
	if (rc != TL_OK) {
		cmd_err("show", "submission %" G_GINT64_FORMAT ": %s", id,
			store_errmsg(ctx->st));
		return rc;
	}
	f = fopen(path, "re");
	unlink(path);
	g_free(path);
	if (f == NULL)
		return TL_SOFTWARE;
	for (;;) {
		size_t n = fread(buf + have, 1, sizeof buf - have - 1, f);
		char *nl;
		size_t upto;

		have += n;
		if (have == 0)
			break;
		buf[have] = '\0';
		/* Cut at the last line end, so UTF-8 stays whole. */
		nl = g_strrstr_len(buf, have, "\n");
		upto = (nl != NULL && n > 0) ? (size_t)(nl - buf) + 1 : have;
		raw_chunk_print(buf, upto);
		memmove(buf, buf + upto, have - upto);
		have -= upto;
		if (n == 0 && have == 0)
			break;
	}
	fclose(f);
	fprintf(stderr, "tipline: shown for reading, control characters as "
		"\xef\xbf\xbd; redirect to a file for the exact bytes\n");
	return TL_OK;
}

/* `show --raw ID` into a pipe or a file: the original bytes, exactly;
 * a closed pipe (`| head`) is a normal end. */
static tl_status
print_raw_to_pipe(tl_ctx *ctx, gint64 id)
{
	tl_status rc;

	fflush(stdout);
	rc = store_raw_write(ctx->st, id, STDOUT_FILENO);
	if (rc != TL_OK && cmd_stdout_closed())
		return TL_OK;
	if (rc != TL_OK)
		cmd_err("show", "submission %" G_GINT64_FORMAT ": %s", id,
			store_errmsg(ctx->st));
	return rc;
}

/* `show --json`: D through the JSON emitter (docs/json-schema.md). */
static void
print_json(const detail_submission *d)
{
	emitter *em = emit_json_new(TRUE);
	char *s;

	emit_submission(em, d);
	s = emit_finish(em);
	fputs(s, stdout);
	g_free(s);
}

tl_status
cmd_show(tl_ctx *ctx, int argc, char **argv)
{
	gboolean json = FALSE, headers = FALSE, routing = FALSE, raw = FALSE;
	gboolean quoted = FALSE;
	GOptionEntry e[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json,
		  "print JSON (docs/json-schema.md)", NULL },
		{ "headers", 0, 0, G_OPTION_ARG_NONE, &headers,
		  "print the header block (without routing fields)", NULL },
		{ "routing", 0, 0, G_OPTION_ARG_NONE, &routing,
		  "with --headers: also Received, DKIM, ARC, ...", NULL },
		{ "raw", 0, 0, G_OPTION_ARG_NONE, &raw,
		  "print the original message, byte-exact", NULL },
		{ "quoted", 0, 0, G_OPTION_ARG_NONE, &quoted,
		  "do not fold the quoted part of a reply", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	detail_submission *d = NULL;
	char *err = NULL, *head = NULL;
	gsize hlen = 0;
	gint64 id;
	tl_status rc;
	int done = 0;

	rc = cmd_parse_options("show", "ID [--json | --raw | --headers "
	    "[--routing]] [--quoted]",
	    "Show one submission: sender, dates, subject, text (a reply's "
	    "quoted part folded), forwarded messages, attachments with "
	    "warnings, decision history and follow-ups.", e, &argc, &argv,
	    1, 1, &done);
	if (rc != TL_OK || done)
		return rc;
	if ((id = cmd_parse_id(argv[1])) == 0) {
		cmd_err("show", "\"%s\" is not a submission id",
			argv[1]);
		return TL_USAGE;
	}
	if (json + headers + raw > 1 || (routing && !headers)) {
		cmd_err("show", "use one of --json, --raw, "
			"--headers (--routing goes with --headers)");
		return TL_USAGE;
	}
	if (raw && isatty(STDOUT_FILENO)) {
		rc = print_raw_on_terminal(ctx, id);
		goto out;
	}
	if (raw)
		return print_raw_to_pipe(ctx, id);
	if (headers) {
		rc = detail_header_block(ctx->st, id,
		    ctx->cfg->limits.max_header_bytes, &head, &hlen, &err);
		if (rc == TL_OK)
			print_headers(head, hlen, routing);
		goto out;
	}
	if ((rc = detail_load(ctx->st, id, &d, &err)) != TL_OK)
		goto out;
	if (json) {
		print_json(d);
	} else {
		print_view(d, quoted);
		/* Only what reached an editor's eyes: never --json, never
		 * a pipe (issue 10). */
		if (isatty(STDOUT_FILENO) == 1 && fflush(stdout) == 0)
			mark_seen(ctx, id);
	}
out:
	if (rc != TL_OK)
		cmd_err("show", "%s", err);
	else
		rc = cmd_output_done("show");
	detail_free(d);
	g_free(head);
	g_free(err);
	return rc;
}
