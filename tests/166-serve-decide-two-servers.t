#!/bin/sh
# 166-serve-decide-two-servers.t - issue 12 test 9 across processes: two
# tipline-serve on one database, two editors deciding the same submission
# from stale pages at the same moment.  The status each editor saw is
# checked by the store inside its write transaction (desk_decide_expect),
# so exactly one wins (303) and the other is refused (409, naming who
# decided), with one audit row of a decision.  To make both requests
# arrive together, a third connection holds the write lock (BEGIN
# IMMEDIATE) while they are sent: both servers have read the submission
# as new and wait for the lock; a check made before the lock (as the
# server did with its own mutex) lets both win.
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
serve_need
plan 8

tl import "$FIX/demo/05-opinion.eml" >/dev/null 2>&1
id=$(tl list --json | jq -r '.[0].id')
serve_local editor.a 'pw a' editor.b 'pw b'
# Server 1 (serve_start) and server 2 on another port, same database.
serve_start
BASE1=$BASE
PORT2=$(free_port)
"$TIPLINE_SERVE_BIN" --config "$CONF" serve --listen "127.0.0.1:$PORT2" \
	>"$WORK/serve2.log" 2>&1 &
PID2=$!
BASE2=http://127.0.0.1:$PORT2
for _i in $(seq 1 100); do
	curl -s -o /dev/null --max-time 1 "$BASE2/" && break
	sleep 0.1
done
trap 'kill $PID2 2>/dev/null; wait $PID2 2>/dev/null; _serve_cleanup' EXIT

BASE=$BASE1
login editor.a 'pw a' "$WORK/a" >/dev/null
ta=$(csrf_of "$WORK/a" "/s/$id")
BASE=$BASE2
login editor.b 'pw b' "$WORK/b" >/dev/null
tb=$(csrf_of "$WORK/b" "/s/$id")
like "$ta:$tb" '^[0-9a-f]{64}:[0-9a-f]{64}$' \
	"both editors loaded the page, each from its own server"

# Hold the write lock for 3 s (the servers' busy timeout is 10 s).
python3 - "$DB" "$WORK/locked" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(3)
c.execute("COMMIT")
PY
LOCKER=$!
for _i in $(seq 1 100); do
	[ -e "$WORK/locked" ] && break
	sleep 0.1
done
hc --max-time 20 -b "$WORK/a" -o "$WORK/out.a" -w '%{http_code}' \
	-d action=approve -d seen_status=new -d "csrf=$ta" \
	"$BASE1/s/$id/decide" > "$WORK/code.a" &
CA=$!
hc --max-time 20 -b "$WORK/b" -o "$WORK/out.b" -w '%{http_code}' \
	-d action=reject -d seen_status=new -d "csrf=$tb" \
	"$BASE2/s/$id/decide" > "$WORK/code.b" &
CB=$!
wait "$CA" "$CB" "$LOCKER"
codes=$(printf '%s\n%s\n' "$(cat "$WORK/code.a")" "$(cat "$WORK/code.b")" |
	sort | tr '\n' ' ')
is "$codes" "303 409 " "one editor wins (303), the other is refused (409)"

decisions() {
	tl audit "$id" --json | jq -r '[.[] | select(.action == "approve" or
		.action == "reject" or .action == "spam" or
		.action == "reopen")] | length'
}
is "$(decisions)" 1 "tipline audit --json: exactly one decision row"
if [ "$(cat "$WORK/code.a")" = 303 ]; then
	win=editor.a want=approved loser=$WORK/out.b
else
	win=editor.b want=rejected loser=$WORK/out.a
fi
is "$(tl show "$id" --json | jq -r .status)" "$want" \
	"tipline show --json: the winner's decision stands"
is "$(tl audit "$id" --json | jq -r '.[] | select(.action == "approve" or
	.action == "reject") | .editor')" "$win" "... under the winner's name"
like "$(cat "$loser")" "by $win" "the 409 page says who decided meanwhile"

# The command line is unchanged: no expected status, it decides (and
# records the second decision too, as before).
tl -q reopen "$id" >/dev/null
is "$?" 0 "tipline reopen still decides"
is "$(tl show "$id" --json | jq -r .status)" new "... to new"
