#!/bin/sh
# 194-copy-schema.t - `tipline copy` and the schemas (issue 13): a table
# or column the copy does not know stops it before any row is written
# (exit 70, naming it) instead of being left behind; a source from before
# the preview table copies with that table empty; and the highest id a
# PostgreSQL source ever gave (its sequence, past its rows after a purge)
# reaches a SQLite copy, so a new message there takes a higher id.
. "$(dirname "$0")/lib.sh"
pg_need
. "$TESTS/copy-lib.sh"

plan 10

tl -q import "$FIX"/thread/*.eml >/dev/null; is "$?" 0 "a small queue"

cp "$DB" "$WORK/extra.db"
sqlite3 "$WORK/extra.db" "CREATE TABLE tags (submission_id INTEGER,
	tag TEXT)"
conf_for "$WORK/extra.db" "$WORK/extra.conf"
"$TIPLINE_BIN" --config "$WORK/extra.conf" copy --to "$WORK/a.db" \
	2> "$WORK/err"
is "$?" 70 "a table the copy does not know: exit 70"
like "$(cat "$WORK/err")" "table tags .* is not one this tipline copies" \
	"... naming it"
is "$(sqlite3 "$WORK/a.db" "SELECT count(*) FROM submission")" 0 \
	"... before any row was copied"

cp "$DB" "$WORK/column.db"
sqlite3 "$WORK/column.db" "ALTER TABLE audit ADD COLUMN ip TEXT"
conf_for "$WORK/column.db" "$WORK/column.conf"
"$TIPLINE_BIN" --config "$WORK/column.conf" copy --to "$WORK/b.db" \
	2> "$WORK/err"
is "$?" 70 "a column the copy does not know: exit 70"
like "$(cat "$WORK/err")" "table audit \(.* ip:t\)" "... naming the table's columns"

# A version 3 file from before the preview table (issue 12): a read-only
# open leaves it without one.
cp "$DB" "$WORK/old.db"
sqlite3 "$WORK/old.db" "DROP TABLE preview; DROP TABLE copy_state"
conf_for "$WORK/old.db" "$WORK/old.conf"
"$TIPLINE_BIN" --config "$WORK/old.conf" -q copy --to "$PG_URL" >/dev/null
is "$?" 0 "a source without the preview table copies and verifies"

# PostgreSQL gave ids up to 40 (rows purged since): the SQLite copy goes on
# from 41.
psql_t -c "SELECT setval(pg_get_serial_sequence('submission', 'id'), 40)" \
	>/dev/null
conf_for "$PG_URL" "$WORK/pg.conf"
conf_for "$WORK/back.db" "$WORK/back.conf"
"$TIPLINE_BIN" --config "$WORK/pg.conf" copy --to "$WORK/back.db" --json \
	> "$WORK/back.json"
is "$?" 0 "copied back to SQLite"
is "$(jq .high_water "$WORK/back.json")" 40 \
	"the source's highest id is its sequence's"
"$TIPLINE_BIN" --config "$WORK/back.conf" -q import \
	"$FIX/import/002-plain.eml" >/dev/null
is "$(sqlite3 "$WORK/back.db" "SELECT max(id) FROM submission")" 41 \
	"a message imported into the copy takes id 41"
