#!/bin/sh
# schema.sql and schema-pg.sql define the same schema (issue 13): the same
# tables, columns (types mapped), NOT NULL, defaults, primary keys, UNIQUE
# sets, CHECKs, foreign keys and indexes, read back from a fresh SQLite
# (tests/schema-describe.py) and from the private PostgreSQL
# (tests/schema-describe-pg.sql), not from the files' text. Known
# differences are listed below with their reason; each must still be one.
# The comparison itself is checked: a column added to one side only, or a
# CHECK value dropped, makes it fail.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
pg_need
plan 18

# SQLite's tables PostgreSQL does not have, named: the originals of 1 MiB
# or more that SQLite keeps as files beside the database (docs/design.md,
# "Originals written once"); PostgreSQL keeps every original in raw
# (TOAST), so it has no files to name or scrub.
SQLITE_ONLY='original_file original_scrub'
describe_lite() {
	python3 "$TESTS/schema-describe.py" "$1" > "$WORK/lite.all"
	grep -v -E " ($(echo "$SQLITE_ONLY" | tr ' ' '|'))([ .]|\$)" \
		"$WORK/lite.all"
}
# describe_pg [SCHEMA]: the facts of one PostgreSQL schema (default public)
describe_pg() {
	psql_t -c "SET search_path = ${1:-public}, public" \
		-f "$TESTS/schema-describe-pg.sql"
}
# The differences schema-pg.sql explains (B-tree entries are limited to
# about 2,700 bytes, and these columns hold values a sender controls):
# SQLite's line, then what PostgreSQL has instead.
KNOWN="$WORK/known"
cat > "$KNOWN" <<'EOF'
index submission_list submission (status,queue_utc,received_utc,parent_id,date_utc,attachment_count,has_gps,from_name,from_addr,subject) unique=0 partial=0
index submission_list submission (status,queue_utc,received_utc,parent_id,date_utc,attachment_count,has_gps) unique=0 partial=0
index text_key_same text_key (sender,text_hash,queue_utc) unique=0 partial=0
index text_key_same text_key (text_hash,queue_utc) unique=0 partial=0
EOF
# expect_pg FILE: SQLite's facts with the known differences applied;
# prints "stale: LINE" for a known difference SQLite no longer has.
expect_pg() {
	python3 - "$1" "$KNOWN" <<'EOF'
import sys
facts = open(sys.argv[1]).read().splitlines()
known = open(sys.argv[2]).read().splitlines()
for lite, pg in zip(known[0::2], known[1::2]):
    if lite not in facts:
        print("stale: " + lite)
    facts = [pg if f == lite else f for f in facts]
print("\n".join(sorted(facts)))
EOF
}

# 1. schema-pg.sql applies, and applies again (the backend runs it on
# every open, like schema.sql).
psql_t -1 -c "SET client_min_messages = warning" -f "$TOP/schema-pg.sql" \
	> "$WORK/apply" 2>&1
is "$?" 0 "schema-pg.sql applies to an empty PostgreSQL database"
psql_t -1 -c "SET client_min_messages = warning" -f "$TOP/schema-pg.sql" \
	> "$WORK/apply2" 2>&1
is "$?$(cat "$WORK/apply2")" 0 "and again, unchanged and silently"

# 2. The same version as SQLite's PRAGMA user_version.
v_c=$(sed -n 's/^#define SCHEMA_VERSION \([0-9]*\).*/\1/p' \
	"$TOP"/lib/store/*.[ch] | head -1)
v_pg=$(sed -n 's/^-- schema version: \([0-9]*\).*/\1/p' "$TOP/schema-pg.sql")
[ -n "$v_c" ] || v_c="(no #define SCHEMA_VERSION in lib/store)"
is "$v_pg" "$v_c" "schema-pg.sql states SCHEMA_VERSION ($v_c)"
is "$(psql_t -c "SELECT format_type(atttypid, -1) FROM pg_attribute
	WHERE attrelid = 'schema_version'::regclass AND attname = 'version'")" \
	integer "schema_version.version keeps it (PRAGMA user_version)"

# 3. The same facts.
describe_lite "$TOP/schema.sql" > "$WORK/lite"
describe_pg > "$WORK/pg"
for t in $SQLITE_ONLY; do
	is "$(grep -c "^table $t\$" "$WORK/lite.all")/$(grep -c "^table $t\$" \
		"$WORK/pg")" 1/0 "$t: SQLite's only, as named (originals as files)"
done
expect_pg "$WORK/lite" > "$WORK/expect"
is "$(grep -c '^table ' "$WORK/pg")" "$(grep -c '^table ' "$WORK/lite")" \
	"as many tables ($(grep -c '^table ' "$WORK/lite"))"
is "$(grep -c '^column ' "$WORK/pg")" "$(grep -c '^column ' "$WORK/lite")" \
	"as many columns ($(grep -c '^column ' "$WORK/lite"))"
is "$(grep -c 'UNPARSED\|UNMAPPED' "$WORK/lite" "$WORK/pg" |
	awk -F: '{ s += $2 } END { print s }')" 0 \
	"every type is mapped and every CHECK understood"
is "$(grep -c '^stale' "$WORK/expect")" 0 "every known difference still is one"
diff "$WORK/expect" "$WORK/pg" > "$WORK/diff"
is "$?" 0 "columns, types, NOT NULL, defaults, keys, UNIQUE, CHECK, foreign keys and indexes agree"
[ -s "$WORK/diff" ] && sed 's/^/#   /' "$WORK/diff"

# 4. SQLite's FTS5 tables are PostgreSQL's generated tsvector columns with
# GIN indexes; its thread triggers exist under the same names.
is "$(psql_t -c "SELECT string_agg(format('%s %s %s', attname,
	format_type(atttypid, -1), attgenerated), ',' ORDER BY attname)
	FROM pg_attribute WHERE attrelid = 'submission'::regclass
	AND attname IN ('search_folded', 'search_exact')")" \
	"search_exact tsvector s,search_folded tsvector s" \
	"search_folded and search_exact are stored generated tsvectors"
is "$(psql_t -c "SELECT string_agg(c.relname || ' ' || am.amname,
	',' ORDER BY c.relname) FROM pg_index x JOIN pg_class c ON c.oid = indexrelid
	JOIN pg_am am ON am.oid = c.relam WHERE indexrelid::regclass::text
	LIKE 'search_%'")" "search_exact_gin gin,search_folded_gin gin" \
	"each with a GIN index"
lite_trig=$(python3 -c "import sqlite3,sys
db = sqlite3.connect(':memory:'); db.executescript(open(sys.argv[1]).read())
print(','.join(sorted(r[0] for r in db.execute('SELECT name FROM '
    \"sqlite_schema WHERE type = 'trigger' AND sql NOT LIKE '%search_%'\"))))" \
	"$TOP/schema.sql")
is "$(psql_t -c "SELECT string_agg(tgname, ',' ORDER BY tgname COLLATE \"C\")
	FROM pg_trigger WHERE NOT tgisinternal")" "$lite_trig" \
	"the same triggers besides SQLite's FTS upkeep ($lite_trig)"

# 5. The comparison fails when one side changes alone: a column added to a
# copy of schema.sql, then a CHECK value dropped from a copy of
# schema-pg.sql (loaded into its own PostgreSQL schema).
sed 's/^\tqueue_utc\tTEXT NOT NULL$/&, extra_col TEXT/' "$TOP/schema.sql" \
	> "$WORK/more.sql"
describe_lite "$WORK/more.sql" > "$WORK/lite2"
expect_pg "$WORK/lite2" | diff - "$WORK/pg" > "$WORK/diff2"
is "$?" 1 "a column only schema.sql has: the comparison fails"
like "$(cat "$WORK/diff2")" "^< column submission.extra_col text null" \
	"and names it"
sed "s/ 'bounce', 'spam')),/ 'bounce')),/" "$TOP/schema-pg.sql" \
	> "$WORK/less.sql"
psql_t -c "SET client_min_messages = warning" -c "CREATE SCHEMA mutant" \
	-c "SET search_path = mutant, public" -f "$WORK/less.sql" >/dev/null
describe_pg mutant > "$WORK/pg3"
diff "$WORK/expect" "$WORK/pg3" > "$WORK/diff3"
is "$?" 1 "a CHECK value only schema.sql has: the comparison fails"
like "$(cat "$WORK/diff3")" \
	"^> check ledger outcome \{auto_reply,bounce,duplicate,quarantined,stored,too_large\}" \
	"and names it"
