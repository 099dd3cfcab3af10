#!/bin/sh
# 191-copy-resume.t - `tipline copy` interrupted goes on where it stopped
# (issue 13): killed (kill -9 of a process held at a batch's commit, and
# the fault build's crash point) in the middle of a copy to PostgreSQL
# and of one back to SQLite, the next run resumes after the last
# committed batch, copies only what is missing, duplicates nothing, and
# verifies equal.  Batches of 3 submissions (TIPLINE_COPY_BATCH, fault
# build only) make a small queue several batches long.
. "$(dirname "$0")/lib.sh"
[ -x "$TIPLINE_FAULTS_BIN" ] ||
	skip_all "no $TIPLINE_FAULTS_BIN (make build/tipline-faults)"
pg_need
. "$TESTS/copy-lib.sh"

plan 14

copy_queue; is "$?" 0 "the source queue"
N=$(sqlite3 "$DB" "SELECT count(*) FROM submission")
A=$(sqlite3 "$DB" "SELECT count(*) FROM audit")
export TIPLINE_COPY_BATCH=3
fl() { "$TIPLINE_FAULTS_BIN" --config "$CONF" "$@"; }

# kill -9: the copy stops itself (SIGSTOP) right after its second batch
# committed, and is killed there, with no chance to clean up.
TIPLINE_PAUSE_AT=2 "$TIPLINE_FAULTS_BIN" --config "$CONF" copy \
	--to "$PG_URL" > /dev/null 2> "$WORK/pause.err" &
PID=$!
i=0
while ! grep -q 'paused at fault point 2: copy-batch-committed' \
    "$WORK/pause.err" 2>/dev/null && [ $i -lt 200 ]; do
	sleep 0.05; i=$((i + 1))
done
kill -9 "$PID"; wait "$PID" 2>/dev/null
is "$(psql_t -c "SELECT count(*), max(id) FROM submission")" "6|6" \
	"killed after two batches: six submissions at the destination"
is "$(psql_t -c "SELECT count(*) FROM audit")" 0 \
	"... and no audit row yet (they come after the submissions)"

out=$(fl copy --to "$PG_URL" --json); is "$?" 0 "the next run exits 0"
is "$(printf '%s' "$out" | jq -c '[.resumed, .resumed_after, .verified,
	(.tables[] | select(.table == "submission") | .copied)]')" \
	"[true,6,true,$((N - 6))]" "it resumed after #6 and copied the rest"
is "$(psql_t -c "SELECT count(*), count(DISTINCT content_hash) FROM
	submission")" "$N|$N" "every submission once"
is "$(psql_t -c "SELECT count(*) FROM audit")" "$A" "every audit row once"
lite_rows "$DB" > "$WORK/src.rows"; pg_rows > "$WORK/pg.rows"
cmp -s "$WORK/src.rows" "$WORK/pg.rows"
ok $? "the rows are the source's"

out=$(fl copy --to "$PG_URL" --json); is "$?" 0 "a third run exits 0"
is "$(printf '%s' "$out" | jq '[.tables[].copied] | add')" 0 \
	"... and copies nothing"

# Back to SQLite, crashing (the fault build's _exit) at the third batch.
conf_for "$PG_URL" "$WORK/pg.conf"
TIPLINE_CRASH_AT=3 "$TIPLINE_FAULTS_BIN" --config "$WORK/pg.conf" copy \
	--to "$WORK/back.db" > /dev/null 2>&1
is "$?" 99 "a copy back to SQLite crashes at its third batch"
is "$(sqlite3 "$WORK/back.db" "SELECT count(*) FROM submission")" 9 \
	"nine submissions were committed"
"$TIPLINE_FAULTS_BIN" --config "$WORK/pg.conf" copy --to "$WORK/back.db" \
	> /dev/null
is "$?" 0 "the next run completes and verifies"
cmp -s "$WORK/src.rows" "$(lite_rows "$WORK/back.db" > "$WORK/back.rows";
	echo "$WORK/back.rows")"
ok $? "the SQLite copy's rows are the source's, none twice"
