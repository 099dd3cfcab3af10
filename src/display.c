/* display.c - terminal widths, truncation, cleaning and colour. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "display.h"
#include "util.h"

#define REPLACEMENT 0xFFFD

/* Columns of one character: combining marks, format characters and other
 * zero-width characters take none, East Asian wide characters two. */
static int
char_width(gunichar c)
{
	if (g_unichar_iszerowidth(c))
		return 0;
	if (g_unichar_iswide(c))
		return 2;
	return 1;
}

/* Characters that must never reach a terminal as they are: controls
 * (ESC sequences can rewrite the screen or the window title), and the
 * bidi overrides that make "gpj.exe" read as "exe.jpg". */
static gboolean
char_is_unsafe(gunichar c)
{
	if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
		return TRUE;
	if (c == 0x2028 || c == 0x2029)
		return TRUE;
	if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
		return TRUE;
	return FALSE;
}

int
display_width(const char *s)
{
	const char *p;
	int w = 0;

	if (s == NULL)
		return 0;
	for (p = s; *p != '\0';) {
		gunichar c = g_utf8_get_char_validated(p, -1);

		if (c == (gunichar)-1 || c == (gunichar)-2) {
			w++;
			p++;
			continue;
		}
		w += char_width(c);
		p = g_utf8_next_char(p);
	}
	return w;
}

/* Is S valid UTF-8 with nothing display_clean would replace?  Most
 * names and subjects are: then they only need NFC (a `list` of 3,000
 * rows cleans 9,000 cells). */
static gboolean
already_clean(const char *s)
{
	const char *p;

	for (p = s; *p != '\0';) {
		gunichar c;

		if ((guchar)*p < 0x80) {
			if ((guchar)*p < 0x20 || *p == 0x7f)
				return FALSE;
			p++;
			continue;
		}
		c = g_utf8_get_char_validated(p, -1);
		if (c == (gunichar)-1 || c == (gunichar)-2 ||
		    char_is_unsafe(c))
			return FALSE;
		p = g_utf8_next_char(p);
	}
	return TRUE;
}

char *
display_clean(const char *s, gboolean keep_newlines)
{
	GString *out;
	const char *p;
	char *nfc;

	if (s == NULL)
		return g_strdup("");
	if (already_clean(s)) {
		nfc = nfc_normalize(s, -1);
		return nfc != NULL ? nfc : g_strdup("");
	}
	out = g_string_sized_new(strlen(s) + 1);
	for (p = s; *p != '\0';) {
		gunichar c = g_utf8_get_char_validated(p, -1);

		if (c == (gunichar)-1 || c == (gunichar)-2) {
			g_string_append_unichar(out, REPLACEMENT);
			p++;
			continue;
		}
		p = g_utf8_next_char(p);
		if (c == '\n' || c == '\t') {
			g_string_append_c(out, keep_newlines ? (char)c : ' ');
		} else if (c == '\r') {
			/* CRLF already became LF at ingest; a lone CR would
			 * return the cursor and hide what came before. */
			if (!keep_newlines)
				g_string_append_c(out, ' ');
		} else if (char_is_unsafe(c)) {
			g_string_append_unichar(out, REPLACEMENT);
		} else {
			g_string_append_unichar(out, c);
		}
	}
	nfc = nfc_normalize(out->str, -1);
	g_string_free(out, TRUE);
	return nfc != NULL ? nfc : g_strdup("");
}

/* Cut clean NFC text to WIDTH columns; *used gets the columns taken. */
static char *
fit_cut(const char *clean, int width, int *used)
{
	GString *out = g_string_new(NULL);
	const char *p;
	int total = display_width(clean), w = 0, limit;
	gboolean last_in = FALSE;

	if (total <= width) {
		*used = total;
		g_string_append(out, clean);
		return g_string_free(out, FALSE);
	}
	limit = width - 1;		/* room for the ellipsis */
	for (p = clean; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		int cw = char_width(c);

		if (cw == 0) {
			/* A mark stays with its letter, or goes with it. */
			if (last_in)
				g_string_append_unichar(out, c);
			continue;
		}
		if (w + cw > limit)
			break;
		g_string_append_unichar(out, c);
		w += cw;
		last_in = TRUE;
	}
	g_string_append(out, "\xe2\x80\xa6");
	*used = w + 1;
	return g_string_free(out, FALSE);
}

char *
display_fit(const char *s, int width, gboolean pad)
{
	char *clean, *cut;
	GString *out;
	int used = 0;

	if (width < 1)
		return g_strdup("");
	clean = display_clean(s, FALSE);
	cut = fit_cut(clean, width, &used);
	g_free(clean);
	if (!pad)
		return cut;
	out = g_string_new(cut);
	g_free(cut);
	for (; used < width; used++)
		g_string_append_c(out, ' ');
	return g_string_free(out, FALSE);
}

char *
display_fit_right(const char *s, int width)
{
	char *clean, *cut;
	GString *out;
	int used = 0;

	if (width < 1)
		return g_strdup("");
	clean = display_clean(s, FALSE);
	cut = fit_cut(clean, width, &used);
	g_free(clean);
	out = g_string_new(NULL);
	for (; used < width; used++)
		g_string_append_c(out, ' ');
	g_string_append(out, cut);
	g_free(cut);
	return g_string_free(out, FALSE);
}

gboolean
display_use_colour(int fd)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (nc != NULL && *nc != '\0')
		return FALSE;
	if (term != NULL && strcmp(term, "dumb") == 0)
		return FALSE;
	return isatty(fd) == 1;
}

int
display_columns(int fd)
{
	struct winsize ws;
	const char *env;

	if (isatty(fd) == 1 && ioctl(fd, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 0)
		return ws.ws_col;
	env = getenv("COLUMNS");
	if (env != NULL) {
		long n = strtol(env, NULL, 10);

		if (n > 0 && n < 10000)
			return (int)n;
	}
	return 0;
}

const char *
display_sgr(gboolean on, const char *sgr)
{
	return on ? sgr : "";
}

char *
display_size(gint64 bytes)
{
	if (bytes < 0)
		bytes = 0;
	return g_format_size((guint64)bytes);
}

char *
display_named_time(const char *iso_utc)
{
	char *local = localtime_text(iso_utc, TRUE), *zone, *out;

	if (strcmp(local, "-") == 0)
		return local;
	zone = localtime_zone_name();
	out = g_strdup_printf("%s (%s)", local, zone);
	g_free(zone);
	g_free(local);
	return out;
}

static gboolean
named_time_eval(const GMatchInfo *m, GString *res, gpointer data)
{
	char *iso = g_match_info_fetch(m, 0), *t = display_named_time(iso);

	(void)data;
	g_string_append(res, strcmp(t, "-") == 0 ? iso : t);
	g_free(t);
	g_free(iso);
	return FALSE;
}

char *
display_times_in_text(const char *text)
{
	static GRegex *re;
	char *out;

	if (text == NULL)
		return NULL;
	if (re == NULL)
		re = g_regex_new("\\b[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:"
				 "[0-9]{2}:[0-9]{2}Z\\b", G_REGEX_OPTIMIZE, 0,
				 NULL);
	out = g_regex_replace_eval(re, text, -1, 0, 0, named_time_eval,
				   NULL, NULL);
	return out != NULL ? out : g_strdup(text);
}
