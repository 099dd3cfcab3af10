#!/bin/sh
# 173-copy-refuse.t - what `tipline copy` refuses before writing a row
# (issue 13): no --to (64); the source itself as destination, by the
# same or another path (64); a destination holding another queue (64,
# left as it was); a fetch running on the source, which holds its lock
# (75); and a copy to PostgreSQL while another copy holds the database
# (75).
. "$(dirname "$0")/lib.sh"
pg_need
. "$TESTS/copy-lib.sh"

plan 13

copy_queue; is "$?" 0 "the source queue"

tl copy 2> "$WORK/err"; is "$?" 64 "no --to: exit 64"
like "$(cat "$WORK/err")" '--to DATABASE is required' "... saying so"

tl copy --to "$DB" 2> "$WORK/err"; is "$?" 64 "the source itself: exit 64"
ln -s "$DB" "$WORK/other-name.db"
tl copy --to "$WORK/other-name.db" 2> "$WORK/err"
is "$?" 64 "the source by another name: exit 64"
like "$(cat "$WORK/err")" 'the source and the destination are the same' \
	"... saying why"

# Another queue in the destination: a different database imported into.
conf_for "$WORK/other.db" "$WORK/other.conf"
"$TIPLINE_BIN" --config "$WORK/other.conf" -q import \
	"$FIX/import/002-plain.eml" > /dev/null
tl copy --to "$WORK/other.db" 2> "$WORK/err"
is "$?" 64 "a destination holding another queue: exit 64"
like "$(cat "$WORK/err")" 'already holds a queue that is not a copy of' \
	"... saying so"
is "$(sqlite3 "$WORK/other.db" "SELECT count(*) FROM submission")" 1 \
	"... and it was left as it was"

# A fetch holds DATABASE.lock (fetch_lock_take's flock) while it runs.
python3 -c 'import fcntl, sys, time
f = open(sys.argv[1], "a"); fcntl.flock(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close(); time.sleep(30)' "$DB.lock" "$WORK/held" &
LOCKER=$!
i=0; while [ ! -f "$WORK/held" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
tl copy --to "$WORK/new.db" 2> "$WORK/err"
is "$?" 75 "a fetch running on the source: exit 75"
like "$(cat "$WORK/err")" 'another tipline fetch is running' "... saying so"
kill "$LOCKER"; wait "$LOCKER" 2>/dev/null

# Another copy holds PostgreSQL's copy lock (the same advisory lock).
"$PG_BIN/psql" -X -q -At "$PG_SOCKET_URL" \
	-c "SELECT pg_advisory_lock(1953260400, 0), pg_sleep(30)" >/dev/null &
HOLDER=$!
i=0
until [ "$(psql_t -c "SELECT count(*) FROM pg_locks WHERE
    locktype = 'advisory' AND objid = 0 AND classid = 1953260400::bigint
    ::oid")" = 1 ] || [ $i -ge 100 ]; do sleep 0.05; i=$((i + 1)); done
tl copy --to "$PG_URL" 2> "$WORK/err"; rc=$?
kill "$HOLDER" 2>/dev/null; wait "$HOLDER" 2>/dev/null
is "$rc" 75 "another copy into PostgreSQL: exit 75"
is "$(psql_t -c "SELECT count(*) FROM submission")" 0 \
	"... and nothing was written"
