#!/bin/sh
# 190-copy-roundtrip.t - `tipline copy` (issue 13): a queue with photos,
# a clip, a thread with an adopted reply, decisions, a seen mark, a
# preview and a purged submission goes from SQLite to PostgreSQL with
# every row equal (ids, content hashes, raw chunks byte for byte, audit
# rows), and from there back to a new SQLite file whose every JSON view
# (list, show, audit, stats, search) is the source's; the id floor of the
# purge travels both ways, so no purged id is given again.
. "$(dirname "$0")/lib.sh"
pg_need
. "$TESTS/copy-lib.sh"

plan 17

copy_queue; is "$?" 0 "the source queue: imports, decisions, preview, purge"
TOP=$(sqlite3 "$DB" "SELECT max(max_id) FROM id_floor")

out=$(tl copy --to "$PG_URL" --json); is "$?" 0 "copy to PostgreSQL exits 0"
is "$(printf '%s' "$out" | jq -c '[.verified, .differences, .resumed]')" \
	'[true,0,false]' "verified, nothing differs, not a resume"
is "$(printf '%s' "$out" | jq -c '[.tables[] | select(.table ==
	"submission" or .table == "raw" or .table == "audit") |
	[.table, .source_rows, .destination_rows, .copied]]')" \
	"$(sqlite3 "$DB" "SELECT json_array(
		json_array('submission', (SELECT count(*) FROM submission),
			(SELECT count(*) FROM submission),
			(SELECT count(*) FROM submission)),
		json_array('raw', (SELECT count(*) FROM raw),
			(SELECT count(*) FROM raw), (SELECT count(*) FROM raw)),
		json_array('audit', (SELECT count(*) FROM audit),
			(SELECT count(*) FROM audit),
			(SELECT count(*) FROM audit)))")" \
	"the summary counts every row on both sides"

lite_rows "$DB" > "$WORK/src.rows"
pg_rows > "$WORK/pg.rows"
cmp -s "$WORK/src.rows" "$WORK/pg.rows"
ok $? "PostgreSQL holds the same rows: ids, hashes, chunks, audit, seen"
[ "$(grep -c '^audit|' "$WORK/pg.rows")" -ge 8 ] &&
	grep -q '^preview|.*|ok|[1-9]' "$WORK/pg.rows" &&
	grep -q '^purged|' "$WORK/pg.rows" &&
	grep -q '^sub|1|approved|[0-9a-f]*|2|' "$WORK/pg.rows"
ok $? "... including audit rows, a preview JPEG, a purged hash, an adopted reply"
is "$(psql_t -c "SELECT count(*) FROM submission
	WHERE search_folded @@ plainto_tsquery('tl_folded', 'phuong')")" \
	"$(tl search phuong --json | jq length)" \
	"PostgreSQL's search columns are built by PostgreSQL"
is "$(psql_t -c "SELECT pg_sequence_last_value(
	pg_get_serial_sequence('submission', 'id')) >= $TOP")" t \
	"the submission sequence is past the purged id $TOP"
is "$(psql_t -c "SELECT finished_utc IS NOT NULL FROM copy_state
	WHERE source = '$DB'")" t "copy_state says the copy from $DB finished"

conf_for "$PG_URL" "$WORK/pg.conf"
conf_for "$WORK/back.db" "$WORK/back.conf"
views "$CONF" > "$WORK/src.views"
views "$WORK/pg.conf" > "$WORK/pg.views"
cmp -s "$WORK/src.views" "$WORK/pg.views"
ok $? "on PostgreSQL, list, show, audit, stats and search JSON are the source's"

# Back to a new SQLite file, from a configuration naming PostgreSQL.
"$TIPLINE_BIN" --config "$WORK/pg.conf" copy --to "$WORK/back.db" \
	> "$WORK/back.out"
is "$?" 0 "copy from PostgreSQL to a new SQLite file exits 0"
[ -f "$WORK/back.db" ] && grep -q '^verified: every row' "$WORK/back.out"
ok $? "the file was created and the copy verified"
[ -s "$WORK/src.views" ]; ok $? "the source's JSON views"
views "$WORK/back.conf" > "$WORK/back.views"
cmp -s "$WORK/src.views" "$WORK/back.views"
ok $? "the copy's list, show, audit, stats and search JSON are the source's"
[ -s "$WORK/src.views" ] && grep -q '"phuong"\|Ngập' "$WORK/back.views"
ok $? "... and they are not empty (the search index was rebuilt)"
cmp -s "$WORK/src.rows" "$(lite_rows "$WORK/back.db" > "$WORK/back.rows";
	echo "$WORK/back.rows")"
ok $? "the rows came back unchanged"

# A new message after the round trip gets an id above the purged one.
"$TIPLINE_BIN" --config "$WORK/back.conf" -q import \
	"$FIX/import/002-plain.eml" >/dev/null
is "$(sqlite3 "$WORK/back.db" "SELECT max(id) FROM submission")" \
	"$((TOP + 1))" "an import into the copy takes id $((TOP + 1)), not \
the purged $TOP"
