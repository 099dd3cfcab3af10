/* emit.h - structured output for the faces, after notmuch's sprinter
 * (sprinter.h): a command walks its typed data once (detail_submission,
 * desk rows, audit rows, stats) through an emitter's begin_map / map_key /
 * string / integer / boolean / null / begin_list / end calls, and the
 * emitter decides the syntax.  The same walk through emit_json_new() is
 * `--json` (docs/json-schema.md) and through emit_text_new() a flat
 * "path: value" listing, so the two cannot disagree about a field; an
 * HTML emitter for the browser desk (issue 12) is one more file with
 * these calls.
 *
 * emit-json.c is the only place in the program that builds JSON.
 *
 * The readable views are not rendered through the text emitter, by
 * choice: `show`, `list` and `audit` lay out a page for an editor
 * (aligned columns, the body with a reply's quote folded, warnings in red
 * under the attachment they concern, local times with the zone named,
 * follow-up marks), which a generic key/value emitter cannot produce
 * without becoming a second, view-specific renderer.  They read the same
 * typed structs the walk reads (cmd-show.c, cmd-list.c, cmd-audit.c), so a
 * field a view leaves out is a visible choice in C, never a misspelled
 * key; tests/106 checks that `show` states every fact of `show --json`.
 * The text emitter is the walk in plain form (tests/unit/test-emit.c
 * compares it with the JSON); a new emitter starts from it.
 *
 * Errors: none at run time.  Calling the functions out of order (a value
 * in a map without map_key, end without a begin) is a programming error:
 * the JSON emitter's output is then undefined (json-glib warns).
 */
#ifndef TIPLINE_EMIT_H
#define TIPLINE_EMIT_H

#include <glib.h>

#include "store.h"

typedef struct emitter emitter;

/* The operations; call through the emit_* wrappers below. */
struct emitter {
	void (*begin_map)(emitter *e);
	void (*begin_list)(emitter *e);
	void (*end)(emitter *e);	/* closes the innermost map or list */
	void (*map_key)(emitter *e, const char *key);	/* in a map, before
							 * each value */
	void (*string)(emitter *e, const char *s);	/* UTF-8; NULL is
							 * null */
	void (*integer)(emitter *e, gint64 v);
	void (*real)(emitter *e, double v);
	void (*boolean)(emitter *e, gboolean v);
	void (*null)(emitter *e);
	/* The text written, with a final newline; frees E.  New string
	 * (g_free). */
	char *(*finish)(emitter *e);
};

/* JSON (RFC 8259) through json-glib: PRETTY indents by 2 as `show --json`
 * always has; otherwise one line (list, search, audit).  Strings are
 * made valid UTF-8 (U+FFFD) and every control character escaped, which
 * json-glib 1.6 alone does not do for U+001F. */
emitter *emit_json_new(gboolean pretty);
/* Both constructors return an emitter owned by the caller until
 * emit_finish(), which frees it. */

/* Flat text: one line per scalar, "path: value", the path made of map
 * keys and list indexes ("attachments.0.filename: a.jpg"); null is
 * "null", booleans "true"/"false", reals as %.6g; control characters in
 * values are made safe for a terminal (display_clean). */
emitter *emit_text_new(void);

/* Wrappers, so that a walk reads as the output it makes. */
void emit_begin_map(emitter *e);
void emit_begin_list(emitter *e);
void emit_end(emitter *e);
void emit_key(emitter *e, const char *key);
void emit_string(emitter *e, const char *s);
void emit_integer(emitter *e, gint64 v);
void emit_real(emitter *e, double v);
void emit_boolean(emitter *e, gboolean v);
void emit_null(emitter *e);
char *emit_finish(emitter *e);

/* key + value in a map; emit_pair_int_opt writes null when V is NONE. */
void emit_pair_str(emitter *e, const char *key, const char *v);
void emit_pair_int(emitter *e, const char *key, gint64 v);
void emit_pair_int_opt(emitter *e, const char *key, gint64 v, gint64 none);
void emit_pair_bool(emitter *e, const char *key, gboolean v);

/* ---- the walks (emit-walk.c): docs/json-schema.md, member order
 * included ---- */

/* One submission: the object of `show --json` and metadata.json. */
void emit_submission(emitter *e, const detail_submission *d);

/* List/search rows (desk_row *); SEARCH adds "exact". */
void emit_desk_rows(emitter *e, GPtrArray *rows, gboolean search);

/* Audit rows (audit_row *), the array of `audit --json`. */
void emit_audit_rows(emitter *e, GPtrArray *rows);

/* The object of `stats --json`. */
void emit_stats(emitter *e, const store_stats *s);

/* The object of `previews --json`: what this run made (store_preview *,
 * state OK or NONE), with the counts. */
void emit_previews(emitter *e, GPtrArray *previews);

#endif
