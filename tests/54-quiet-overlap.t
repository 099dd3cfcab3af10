#!/bin/sh
# A cron fetch that overlaps a running one exits 75 (try again); under -q
# it prints nothing, so cron mails nobody on every overlap (issue 10 §8).
# Without -q the overlap is still said, as a warning.
. "$(dirname "$0")/lib.sh"
command -v flock >/dev/null 2>&1 || skip_all "no flock(1)"
plan 5
printf '[mailbox tips]\nurl = imaps://127.0.0.1:9/INBOX\nusername = u\npassword_file = %s\n' \
	"$WORK/pass" >> "$CONF"
printf 'secret\n' > "$WORK/pass"; chmod 600 "$WORK/pass"
# Another fetch holds the lock (flock(2), as fetch takes it).
( exec 9>>"$DB.lock"; flock 9 && exec sleep 30 ) &
holder=$!
n=0
while flock -n "$DB.lock" true && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
out=$(tl -q fetch 2>&1); rc=$?
is "$rc" 75 "an overlapping fetch -q exits 75"
is "$out" "" "...and prints nothing"
out=$(tl fetch 2>&1); rc=$?
is "$rc" 75 "without -q it exits 75 too"
like "$out" "another tipline fetch is running" "...and says why"
like "$out" "warning" "...as a warning, not an error"
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
true
