/* display.h - text for a terminal: width in columns, padding, truncation,
 * neutralising control characters from untrusted mail, and colour.
 *
 * Widths are counted per Unicode character with GLib's tables
 * (g_unichar_iszerowidth: combining marks and other zero-width characters
 * take no column; g_unichar_iswide: East Asian wide and fullwidth
 * characters take two), so no locale is needed and an NFD "Nguyễn" takes
 * the same six columns as its NFC form.  Nothing here prints.
 */
#ifndef TIPLINE_DISPLAY_H
#define TIPLINE_DISPLAY_H

#include <glib.h>

/* Columns taken by the UTF-8 string S on a terminal (0 for NULL).
 * Invalid UTF-8 bytes count one column each (they are shown as U+FFFD by
 * display_clean). */
int display_width(const char *s);

/* A copy of S that is safe to write to a terminal and valid UTF-8 in NFC:
 * invalid bytes become U+FFFD; C0 and C1 control characters (ESC starts a
 * terminal escape sequence), DEL, the Unicode line and paragraph separators
 * and the bidirectional overrides (U+202A..U+202E, U+2066..U+2069, which
 * can make a file name read backwards) become U+FFFD, except that
 * KEEP_NEWLINES keeps '\n' and '\t'.  With !KEEP_NEWLINES a newline or tab
 * becomes one space, for one-line table cells.  NULL gives "".
 * Newly allocated (g_free). */
char *display_clean(const char *s, gboolean keep_newlines);

/* S cleaned (one line, as above), cut to at most WIDTH columns on a
 * character boundary after NFC (a tone mark never leaves its letter; a cut
 * ends in U+2026 "…"), then padded with spaces to exactly WIDTH columns
 * when PAD.  A wide character that would straddle the edge is dropped and
 * replaced by padding.  WIDTH < 1 gives "". Newly allocated (g_free). */
char *display_fit(const char *s, int width, gboolean pad);

/* Like display_fit with PAD, but the text is aligned to the right. */
char *display_fit_right(const char *s, int width);

/* TRUE when output to FD should be coloured: FD is a terminal, $NO_COLOR
 * is unset or empty (https://no-color.org) and $TERM is not "dumb". */
gboolean display_use_colour(int fd);

/* The number of columns of the terminal on FD (TIOCGWINSZ), else
 * $COLUMNS, else 0 when unknown (output is not a terminal). */
int display_columns(int fd);

/* ANSI SGR sequences, or "" when colour is off (static storage). */
const char *display_sgr(gboolean on, const char *sgr);

/* A store time "2026-12-05T14:43:29Z" (ISO 8601 UTC) in the newsroom's
 * zone, named: "2026-12-05 21:43:29 +07:00 (Asia/Ho_Chi_Minh)", as show
 * prints its dates (editor trial finding 4).  "-" for NULL or an
 * unparsable time.  Newly allocated (g_free). */
char *display_named_time(const char *iso_utc);

/* TEXT with every store time in it ("...Date (2026-12-05T14:43:29Z) is
 * implausible...", a warning stored at ingest that keeps the UTC value)
 * rewritten by display_named_time: the stored text stays UTC, the face
 * shows the newsroom's time.  Newly allocated (g_free). */
char *display_times_in_text(const char *text);

/* A byte count as "1.2 MB" / "340 kB" / "17 B" (SI units, as GLib's
 * g_format_size). Newly allocated (g_free). */
char *display_size(gint64 bytes);

#endif
