#!/bin/sh
# Issue 9 section 3: a message the server can never send. Dovecot answers
# "* BYE ... Internal error" when the file behind a message cannot be read
# (mode 000 here; the file name carries its sizes, as Dovecot's own
# deliveries do, so the listing still works). Every run used to end with
# 75 at that UID, forever, and nothing above it was stored. Now each such
# run is counted for that UID (once per run, not per connection), the
# others are stored first, and after 3 runs (FETCH_UNFETCHABLE_RUNS) it
# is given up: a quarantined placeholder for the editors, a log line and
# a failing `doctor` (65) for monitoring, the message left on the server.
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
dovecot_need
gen_msgs "$WORK/m" unf 5
seed_folder Fu "$WORK"/m/*.eml >/dev/null
C=$WORK/u.conf B=$WORK/u.db
new_conf "$C" "$B"
mailbox_conf "$C" test Fu after_fetch=delete
# Make UID 3 unreadable to Dovecot.
f=$(ls "$(folder_dir Fu)"/new/* | sed -n 3p)
s=$(wc -c < "$f" | tr -d ' ')
w=$((s + $(wc -l < "$f")))
mv "$f" "$f,S=$s,W=$w"
chmod 000 "$f,S=$s,W=$w"
if [ "$(id -u)" = 0 ] && [ "$(stat -c %U "$(folder_dir Fu)")" = root ]; then
	skip_all "Dovecot runs as root here and can read a mode 000 file"
fi
plan 17

json_list() {
	"$TIPLINE_BIN" --config "$C" list --all --flat --json |
		python3 -c "import json,sys
rows=json.load(sys.stdin)
print(' '.join(sorted('%s:%s' % (r['status'], r['subject']) for r in rows)))"
}

run fetch
is "$RC" 75 "run 1: 75 (the connection died at UID 3)"
like "$OUT" "uid 3: the connection died while the server was sending this message \\(failed run 1 of 3" \
	"run 1: the failed UID is named"
is "$(dbq "$B" 'SELECT uid FROM ledger ORDER BY uid' | tr '\n' ' ')" "1 2 4 5 " \
	"run 1: the other four are stored (UID 3 deferred on the retry)"
is "$(folder_count Fu)" 1 "run 1: and deleted; UID 3 stays"
run fetch
is "$RC" 75 "run 2: 75"
like "$OUT" "failed run 2 of 3" "run 2: counted once more (not once per connection)"
run fetch
is "$RC" 0 "run 3: the message is given up, the run exits 0"
like "$OUT" "uid 3: given up after 3 runs" "run 3: a log line says so"
like "$OUT" "1 message\\(s\\) the server cannot send given up" "run 3: the summary says so"
is "$(folder_count Fu)" 1 "run 3: the message is left on the server"
is "$(dbq "$B" 'SELECT outcome, action_done FROM ledger WHERE uid = 3')" "quarantined|3" \
	"its ledger row: quarantined, kept on the server"
like "$(json_list)" "quarantined:\\(tipline: message UID 3 of mailbox test could not be fetched; it is on the server\\)" \
	"list shows the placeholder to the editors"
id=$("$TIPLINE_BIN" --config "$C" list --status quarantined --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
like "$("$TIPLINE_BIN" --config "$C" show "$id" 2>&1)" "failed to send this message \\($w bytes, UID 3\\) in 3 runs" \
	"show gives the reason"
run doctor
is "$RC" 65 "doctor exits 65 while the placeholder waits for an editor"
like "$OUT" "unfetchable: UID 3 \\($w bytes\\): the server broke the connection sending it in 3 runs" \
	"doctor names the UID"
run fetch
is "$RC" 0 "run 4: nothing new, exit 0"
"$TIPLINE_BIN" --config "$C" reject "$id" >/dev/null 2>&1
run doctor
is "$RC" 0 "once an editor decided the placeholder, doctor exits 0"
exit $_failed
