/* vnfont-priv.h - Vietnamese "font hack" text (TCVN3, VNI) to Unicode.
 *
 * Before Unicode, Vietnamese was typed in Windows-1252 documents and
 * mail with fonts that draw other letters in the Latin-1 positions:
 * TCVN3 (TCVN 5712:1993 VN3, the ".VnTime" ABC fonts, common in the
 * north) puts one precomposed letter in each upper byte; VNI Windows
 * ("VNI-Times", common in the south) writes a base letter followed by a
 * mark character ("aø" is à).  The mail says windows-1252, so the RFC
 * reading is the Latin-1 text, which is what tipline stores; this module
 * gives the editor the readable Unicode beside it.
 */
#ifndef TIPLINE_VNFONT_H
#define TIPLINE_VNFONT_H

#include <glib.h>

/* TEXT (valid UTF-8: the message's text read as windows-1252 or
 * ISO-8859-1) converted from FONT ("TCVN3" or "VNI", as
 * mime_text_legacy_font() names them) to Unicode NFC.  Characters that
 * are not in the table are kept.  Newly allocated (g_free); NULL when
 * FONT is neither, TEXT is NULL, or TEXT holds Unicode Vietnamese letters
 * or combining marks (then it is not a Latin-1 reading of font-hack
 * bytes, and converting would change real letters). */
char *vnfont_convert(const char *text, const char *font);

/* Does the short text S (a subject) look written in FONT's font hack
 * itself: no letter outside Latin-1 (a Unicode Vietnamese subject has
 * ơ, ư, đ or a precomposed tone letter) and at least one of FONT's
 * letters (for VNI a mark after a vowel)?  A subject in Unicode beside a
 * font-hack body must not be converted: "Tôi" would become "Tơi". */
gboolean vnfont_looks(const char *s, const char *font);

#endif
