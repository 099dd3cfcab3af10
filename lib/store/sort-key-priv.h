/* sort-key-priv.h - the keys the desk sorts by sender and by given name
 * (table sort_key, schema.sql).  Collating every sender with ICU's "vi"
 * in ORDER BY sorted the whole queue for every page (a second at a
 * million submissions); these keys are ICU sort keys computed once, when
 * a sender is written, so that an index walks the order and both
 * backends order alike (memcmp of the same bytes).  The one home of the
 * keys' recipe: every writer of sort_key goes through sort_keys_make.
 *
 * This module knows nothing of struct store (store.c and pg.c call it):
 * the SQLite functions take the connection.  Nothing here prints.
 */
#ifndef TIPLINE_SORT_KEY_PRIV_H
#define TIPLINE_SORT_KEY_PRIV_H

#include <glib.h>
#include <sqlite3.h>

#include "util.h"

/* Characters of a name keyed; what follows orders by id.  A sender
 * writes his own name: without a bound a 10 KB one would make a key past
 * PostgreSQL's B-tree entry limit (about 2700 bytes) and fail the
 * insert. */
#define SORT_KEY_MAX_CHARS 200
/* Bytes of a key kept (a prefix of a key orders as the key, ties aside):
 * the given-name key holds two names, and this keeps (key, id) under
 * PostgreSQL's entry limit whatever the names are. */
#define SORT_KEY_MAX_BYTES 2000

/* The collator the keys come from (opaque). */
typedef struct sort_keyer sort_keyer;

/* A new keyer over ICU's "vi", the collation desk.c registers as VI
 * (free with sort_keyer_free); NULL with *errmsg (g_free) when ICU
 * cannot open it. */
sort_keyer *sort_keyer_new(char **errmsg);
/* NULL-safe. */
void sort_keyer_free(sort_keyer *k);

/* The version of K's collator (ucol_getVersion: four bytes, as one
 * number, most significant first, so that a newer ICU's "vi" compares
 * greater).  Keys made by collators of two versions may order a few
 * names differently; table sort_key_collator records the version the
 * keys were made with. */
guint32 sort_keyer_version(const sort_keyer *k);

/* VERSION as ICU writes it ("153.120.42"; g_free). */
char *sort_key_version_text(guint32 version);

/* The ICU library's own version ("72.1"; u_getVersion; g_free), which
 * needs no collator: a read-write open compares it with the libraries
 * recorded in sort_key_collator, and opens a collator only when its
 * library is not among them. */
char *sort_key_icu_text(void);

/* The two keys of a submission from FROM_NAME and FROM_ADDR (either may
 * be NULL), replacing the contents of SENDER and GIVEN:
 * sender = ICU key of the desk's sender (the name, else the address,
 * else "") then its UTF-8 bytes, so that names ICU calls equal order by
 * their bytes as PostgreSQL's "vi-x-icu" does; given = ICU key of the
 * given name (the last word, desk.c's tl_given_name) then its bytes, a
 * 0x00, then the sender key.  An ICU key ends with its only 0x00 byte,
 * so a memcmp of the concatenation orders by each part in turn. */
void sort_keys_make(sort_keyer *k, const char *from_name,
		    const char *from_addr, GByteArray *sender,
		    GByteArray *given);

/* The SQLite statement that writes one row (?1 id, ?2 sender, ?3 given),
 * replacing an earlier one (reparse): for store_stmt, whose cache key is
 * this array's address. */
extern const char sort_key_insert_sql[];

/* Write the keys of submission ID (FROM_NAME, FROM_ADDR as stored) from
 * K with INSERT, a statement of sort_key_insert_sql (reset before
 * returning).  SQLITE_OK, or SQLite's result code (the caller reports
 * it: sqlite3_errmsg). */
int sort_key_put(sqlite3_stmt *insert, sort_keyer *k, gint64 id,
		 const char *from_name, const char *from_addr);

/* Keys from K for every submission of DB above id AFTER that has none
 * (an upgraded queue, a copy from an older one), in one pass, inside the
 * caller's transaction; *added the rows written (may be NULL).  Result
 * as sort_key_put. */
int sort_key_fill(sqlite3 *db, sort_keyer *k, gint64 after,
		  gint64 *added);

#endif
