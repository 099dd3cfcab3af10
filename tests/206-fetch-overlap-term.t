#!/bin/sh
# Issue 14, overlap: SIGTERM while the reader thread is ahead of the
# writer. What was spooled ahead is stored and committed, the run exits
# 75, no spool file stays, nothing not committed is touched on the server,
# and the next run finishes the rest, each message once.
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
[ -x "$TIPLINE_FAULTS_BIN" ] || skip_all "no $TIPLINE_FAULTS_BIN (make build/tipline-faults)"
dovecot_need
plan 10

gen_msgs "$WORK/m" term 6 1500		# about 45 KB each
export TIPLINE_CHUNK_MAX=1
C=$WORK/t.conf B=$WORK/t.db
new_conf "$C" "$B"
seed_folder T "$WORK/m"/*.eml >/dev/null
make_folder TDone
mailbox_conf "$C" term T "after_fetch=move TDone"
# At the first "ingested" point (the main thread storing message 1, in
# its transaction), wait until message 2 is spooled too, then SIGTERM.
wait2="i=0; while [ \$(ls '$SPOOL' | wc -l) -lt 2 ] && [ \$i -lt 200 ]; do sleep 0.1; i=\$((i + 1)); done; ls '$SPOOL' | wc -l > '$WORK/seen'"
TIPLINE_FAULT_RUN_AT=ingested:1 \
TIPLINE_FAULT_RUN_CMD="$wait2; kill -TERM \$PPID" \
	"$TIPLINE_FAULTS_BIN" --config "$C" fetch 2>"$WORK/t.err"; r=$?
is "$r" 75 "SIGTERM in the middle of the pipeline: exit 75"
like "$(cat "$WORK/t.err")" "stopped by a signal; the next run continues" \
	"the stop is said once"
is "$(cat "$WORK/seen")" 2 "the reader was a message ahead when the signal came"
is "$("$TIPLINE_BIN" --config "$C" stats --json | jq -r .total)" 2 \
	"the message being stored and the one spooled ahead are both stored"
is "$(dbq "$B" 'SELECT count(*) FROM ledger')/$(dbq "$B" 'SELECT count(*) FROM ledger WHERE action_done = 1')/$(folder_count TDone)" \
	"2/$(folder_count TDone)/$(folder_count TDone)" \
	"only committed messages were moved on the server"
is "$(folder_count TDone)" 2 \
	"...and both were moved before the exit: a stop is not a lost connection"
is "$(ls "$SPOOL" | wc -l | tr -d ' ')" 0 "no spool file left after the stop"

"$TIPLINE_BIN" --config "$C" -q fetch; is "$?" 0 "the next run exits 0"
is "$(dbq "$B" "SELECT count(*) || '/' || count(DISTINCT content_hash) FROM submission")/$(dbq "$B" 'SELECT count(*) FROM ledger')" \
	"6/6/6" "each message once, one ledger row each"
is "$(folder_count T)/$(folder_count TDone)/$(ls "$SPOOL" | wc -l | tr -d ' ')" \
	"0/6/0" "all moved once, no spool file"
