/* pager.h - long output on a terminal goes through a pager, as git does
 * (command layer only).
 *
 * The pager is $TIPLINE_PAGER, else $PAGER, else "less"; an empty value
 * or "cat" means none.  It runs through /bin/sh -c with LESS=FRX (quit
 * when one screen is enough, keep colours, leave the text on screen) and
 * LV=-c unless those are set.  Only when stdout is a terminal.
 */
#ifndef TIPLINE_PAGER_H
#define TIPLINE_PAGER_H

#include <glib.h>

/* Would pager_start() page (stdout a terminal, a pager configured)? */
gboolean pager_wanted(void);

/* Start the pager and make stdout its input.  Call once, before the
 * first output; decide colour and width (display.h) before calling.
 * FALSE (output stays where it was) when not wanted or it cannot start. */
gboolean pager_start(void);

/* Flush stdout, close the pager's input and wait for it to exit.  Does
 * nothing when no pager was started. */
void pager_finish(void);

#endif
