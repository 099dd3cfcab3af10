/* detail.h - one submission in full, as the JSON object that `show --json`
 * prints and `export` writes as metadata.json (schema "tipline-json/1",
 * docs/json-schema.md), and the JSON of list/search rows.
 *
 * The readable `show` view is rendered from the same object, so the text
 * and JSON views can never disagree.  Built with json-glib; nothing here
 * prints.
 */
#ifndef TIPLINE_DETAIL_H
#define TIPLINE_DETAIL_H

#include <glib.h>
#include <json-glib/json-glib.h>

#include "status.h"
#include "store.h"

/* The schema name and version carried by every JSON object tipline
 * prints (list/search print arrays, which carry no version field). */
#define DETAIL_JSON_SCHEMA "tipline-json/1"

/* Load submission ID with its attachments, forwarded messages, decision
 * history (audit rows, oldest first), follow-ups and thread parent.
 * *out is a new JSON object node (json_node_unref).  TL_DATA with
 * *errmsg when there is none: "submission ID was purged on DATE by
 * EDITOR" when the audit log says so (audit.h), "no submission ID" when
 * it never existed; TL_SOFTWARE/TL_TEMPFAIL on database errors (*errmsg,
 * g_free). */
tl_status detail_load(store *st, gint64 id, JsonNode **out, char **errmsg);

/* The JSON array for list/search rows (GPtrArray of desk_row *, see
 * desk.h); SEARCH adds the "exact" member.  New node (json_node_unref). */
JsonNode *detail_rows_json(GPtrArray *rows, gboolean search);

/* Set member NAME of the object B is building to string V, or to JSON
 * null when V is NULL (docs/json-schema.md: absent values are null).
 * V is copied; B must be inside an object. */
void detail_json_add_str(JsonBuilder *b, const char *name, const char *v);

/* NODE as JSON text with a final newline, pretty-printed when PRETTY.
 * Newly allocated (g_free). */
char *detail_json_string(JsonNode *node, gboolean pretty);

/* The header block of submission ID's raw message: the bytes before the
 * first empty line (CRLF or LF), at most MAX_BYTES, byte-exact (may be
 * 8-bit, not necessarily UTF-8).  *out and *len: newly allocated (g_free),
 * NUL-terminated.  TL_DATA when there is no submission ID, or when its
 * original no longer matches its content hash (store_raw_read). */
tl_status detail_header_block(store *st, gint64 id, gint64 max_bytes,
			      char **out, gsize *len, char **errmsg);

/* TRUE for a header field that records transport rather than content:
 * Received, Return-Path, Delivered-To, DKIM/ARC signatures,
 * Authentication-Results, Received-SPF, X-Original-To and the
 * provider-specific X-Google-/X-Gm-/X-MS-Exchange-/X-Forefront-/
 * X-Microsoft-Antispam families.  NAME is compared without case. */
gboolean detail_header_is_routing(const char *name, gsize len);

#endif
