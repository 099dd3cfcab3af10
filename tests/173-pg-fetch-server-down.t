#!/bin/sh
# 173-pg-fetch-server-down.t - PostgreSQL stopped in the middle of a fetch
# (issue 13): the fetch exits 75, touches no message on the mail server
# whose commit did not land, leaves the other mailboxes for the next run;
# after a restart the next run completes with every message stored once
# and nothing lost.  The server is stopped (immediate shutdown, as a
# crash) by a fault hook of build/tipline-faults after the 5th message
# is ingested, inside a transaction; tests/fixture/pg-restart.sh starts
# it again in the same folder on the same port.
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
[ -x "$TIPLINE_FAULTS_BIN" ] || skip_all "build/tipline-faults not built"
pg_need
dovecot_need
plan 14

N=10
C=$WORK/down.conf
printf '[store]\ndatabase = %s\npassfile = %s\nspool_dir = %s\n' \
	"$PG_URL" "$PG_PASSFILE" "$SPOOL" > "$C"
for k in 1 2; do
	gen_msgs "$WORK/m$k" "down$k" $N
	seed_folder F$k "$WORK"/m$k/*.eml >/dev/null
	make_folder Done$k
	mailbox_conf "$C" "box$k" F$k "after_fetch=move Done$k"
done
printf 'secret\n' > "$WORK/pass"
chmod 600 "$WORK/pass"

# chunks and batches of 3: the first commits and moves, the second is cut
TIPLINE_BATCH_MAX=3 TIPLINE_CHUNK_MAX=3 TIPLINE_FAULT_RUN_AT=ingested:5 \
TIPLINE_FAULT_RUN_CMD="'$TESTS/fixture/pg-restart.sh' '$PG_FIXTURE_DIR' stop" \
	"$TIPLINE_FAULTS_BIN" --config "$C" fetch > "$WORK/out" 2> "$WORK/err"
is "$?" 75 "server stopped mid-fetch: exit 75"
sed 's/^/# /' "$WORK/err"
like "$(cat "$WORK/err")" 'mailbox box1 uid 6: savepoint: .*(EOF|closed|connection)' \
	"the failure names the mailbox, the message and the cause"
like "$(cat "$WORK/err")" 'mailbox box2: mailbox lock: connection to the database server lost \(no connection to the server\)' \
	"the next mailbox cannot be claimed"
like "$(cat "$WORK/err")" 'stopped before the other mailboxes' \
	"the other mailbox is left for the next run"
grep -q '^WARNING' "$WORK/err"
is "$?" 1 "no raw server warning from libpq, only tipline's lines"
grep -q 'postgresql://[^ ]*?' "$WORK/err"
is "$?" 1 "messages show the database without its URL parameters"
# nothing lost on the server: every message is in F1 or Done1
is "$(( $(folder_count F1) + $(folder_count Done1) ))" $N \
	"box1: no message lost on the server"
moved=$(folder_count Done1)
is "$moved" 3 "box1: the first batch, committed, was moved"
is "$(folder_count F2)" $N "box2: untouched"

"$TESTS/fixture/pg-restart.sh" "$PG_FIXTURE_DIR" start
# a message moved had its commit land before
is "$(psql_t -c "SELECT count(*) >= $moved FROM ledger WHERE mailbox =
	'box1' AND outcome = 'stored'")" t \
	"every moved message was committed first ($moved moved)"

"$TIPLINE_BIN" --config "$C" fetch > "$WORK/out2" 2> "$WORK/err2"
is "$?" 0 "after the restart the next run exits 0"
CONF=$C
is "$(tj .total stats)" $((2 * N)) "every message stored"
is "$(psql_t -c "SELECT count(DISTINCT content_hash) || '/' || count(*)
	FROM submission")" "$((2 * N))/$((2 * N))" "none doubled"
is "$(folder_count F1)/$(folder_count Done1)/$(folder_count F2)/$(folder_count Done2)" \
	"0/$N/0/$N" "all moved on the server after the run"
