#!/bin/sh
# 193-copy-refuse.t - what `tipline copy` refuses before writing a row
# (issue 13): no --to (64); the source itself as destination, by the
# same or another path (64); a destination holding another queue (64,
# left as it was); a fetch running on the source, which holds its lock
# (75); and a copy to PostgreSQL while another copy holds the database
# (75); a fetch of a mailbox on a PostgreSQL source, which holds that
# mailbox's advisory lock (75).
. "$(dirname "$0")/lib.sh"
pg_need
. "$TESTS/copy-lib.sh"
# unhold: end the psql holding a lock, and its server process (which
# would otherwise sleep on, lock held, after its client is gone).
unhold() {
	psql_t -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()" \
		>/dev/null
	wait "$HOLDER" 2>/dev/null
}

plan 16

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
unhold
is "$rc" 75 "another copy into PostgreSQL: exit 75"
is "$(psql_t -c "SELECT count(*) FROM submission")" 0 \
	"... and nothing was written"

# On PostgreSQL a fetch claims each mailbox with an advisory lock (class
# 1953525090, the FNV-1a hash of the mailbox's name) instead of a lock
# file: the copy claims them all, and stops while one is held.
tl -q copy --to "$PG_URL" > /dev/null; is "$?" 0 "a copy to PostgreSQL"
conf_for "$PG_URL" "$WORK/pg.conf"
printf 'secret\n' > "$WORK/pass"; chmod 600 "$WORK/pass"
printf '[mailbox tips]\nurl = imaps://127.0.0.1:1/INBOX\nusername = u
password_file = %s\nafter_fetch = none\n' "$WORK/pass" >> "$WORK/pg.conf"
KEY=$(python3 -c 'import sys
h = 2166136261
for b in sys.argv[1].encode(): h = ((h ^ b) * 16777619) & 0xffffffff
print(h - (1 << 32) if h >= 1 << 31 else h)' tips)
"$PG_BIN/psql" -X -q -At "$PG_SOCKET_URL" -c "SELECT
	pg_advisory_lock(1953525090, $KEY), pg_sleep(30)" >/dev/null &
HOLDER=$!
i=0
until [ "$(psql_t -c "SELECT count(*) FROM pg_locks WHERE
    locktype = 'advisory' AND classid = 1953525090::bigint::oid")" = 1 ] ||
    [ $i -ge 100 ]; do sleep 0.05; i=$((i + 1)); done
"$TIPLINE_BIN" --config "$WORK/pg.conf" copy --to "$WORK/back.db" \
	2> "$WORK/err"; rc=$?
unhold
is "$rc" 75 "a fetch of mailbox tips on the PostgreSQL source: exit 75"
like "$(cat "$WORK/err")" 'a tipline fetch of mailbox tips is running' \
	"... naming the mailbox"
