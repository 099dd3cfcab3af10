#!/bin/sh
# 186-pg-proxy-cut.t - the connection to PostgreSQL cut by a proxy in the
# middle of a fetch (issue 13).  tests/fixture/armproxy.py sits between
# tipline and the private server (TLS through it, verify-full still checks
# the server's certificate, which names 127.0.0.1); a fault hook of
# build/tipline-faults tells it when to cut:
#  1. in the middle of a write transaction (reset at once): the fetch
#     exits 75, nothing of the open transaction is kept, no message whose
#     commit did not land is moved on the mail server, and the next run
#     completes with every message stored once;
#  2. at a COMMIT whose answer is lost (the server commits, the client
#     hears a reset): the fetch cannot know, exits 75 and moves nothing of
#     that transaction; the next run finds the committed rows and applies
#     the pending moves without storing anything twice.
# Always on PostgreSQL, in `make check` too (its own server, as 178).
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
pg_always
[ -x "$TIPLINE_FAULTS_BIN" ] || skip_all "no $TIPLINE_FAULTS_BIN (make build/tipline-faults)"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
dovecot_need
plan 22

N=10
printf 'secret\n' > "$WORK/pass"
chmod 600 "$WORK/pass"
unset TIPLINE_CRASH_AT TIPLINE_FAULT_TRACE
# chunks and batches of 3: the first transaction commits and moves
export TIPLINE_BATCH_MAX=3 TIPLINE_CHUNK_MAX=3

. "$TESTS/pg-proxy-lib.sh"

# sessions: tipline's sessions still on the server (0 once the server
# saw the cut; it may take a moment)
sessions() {
	_i=0
	while [ "$(psql_t -c "SELECT count(*) FROM pg_stat_activity WHERE
	    application_name = 'tipline'")" != 0 ] && [ $_i -lt 50 ]; do
		sleep 0.1; _i=$((_i + 1))
	done
	psql_t -c "SELECT count(*) FROM pg_stat_activity WHERE
		application_name = 'tipline'"
}

# ---- 1. reset in the middle of a write transaction ----------------------
start_proxy now now
C=$WORK/now.conf
conf "$C"
grep -q "sslmode=verify-full" "$C"
is "$?" 0 "through the proxy with sslmode=verify-full"
for k in 1 2; do
	gen_msgs "$WORK/m$k" "cut$k" $N
	seed_folder F$k "$WORK"/m$k/*.eml >/dev/null
	make_folder Done$k
	mailbox_conf "$C" "box$k" F$k "after_fetch=move Done$k"
done
# the 5th message is the 2nd of the second transaction
TIPLINE_FAULT_RUN_AT=ingested:5 TIPLINE_FAULT_RUN_CMD="$(cut_cmd now)" \
	"$TIPLINE_FAULTS_BIN" --config "$C" fetch > "$WORK/out" 2> "$WORK/err"
is "$?" 75 "connection reset mid-transaction: exit 75"
sed 's/^/# /' "$WORK/err" "$WORK/now.log"
is "$(cat "$WORK/now.ack" 2>/dev/null)" "now 1" \
	"the proxy reset the one open connection"
like "$(cat "$WORK/err")" 'mailbox box1 uid 6: savepoint: connection to the database server lost \((SSL SYSCALL error: EOF detected|server closed the connection unexpectedly)\)' \
	"the failure names the mailbox, the message and the cause"
like "$(cat "$WORK/err")" 'stopped before the other mailboxes' \
	"the other mailbox is left for the next run"
is "$(( $(folder_count F1) + $(folder_count Done1) ))" $N \
	"box1: no message lost on the server"
moved=$(folder_count Done1)
is "$moved/$(folder_count F2)" "3/$N" \
	"box1: only the committed first transaction was moved; box2 untouched"
is "$(sessions)" 0 "the server ended the cut session (its locks went too)"
is "$(psql_t -c "SELECT count(*) || '/' || (SELECT count(*) FROM ledger)
	|| '/' || (SELECT sum(action_done) FROM ledger) FROM submission")" \
	"3/3/3" "nothing of the open transaction kept: 3 stored, 3 moved"

"$TIPLINE_BIN" --config "$C" fetch > "$WORK/out2" 2> "$WORK/err2"
is "$?" 0 "the next run (no cut) exits 0"
sed 's/^/# /' "$WORK/err2"
CONF=$C
is "$(tj .total stats)" $((2 * N)) "every message stored"
is "$(psql_t -c "SELECT count(DISTINCT content_hash) || '/' || count(*)
	FROM submission")" "$((2 * N))/$((2 * N))" "none doubled"
is "$(folder_count F1)/$(folder_count Done1)/$(folder_count F2)/$(folder_count Done2)" \
	"0/$N/0/$N" "all moved on the server after the run"
stop_proxy

# ---- 2. the answer to a COMMIT lost --------------------------------------
start_proxy reply reply
C=$WORK/reply.conf
conf "$C"
gen_msgs "$WORK/m3" "lost3" $N
seed_folder F3 "$WORK"/m3/*.eml >/dev/null
make_folder Done3
mailbox_conf "$C" box3 F3 "after_fetch=move Done3"
# the second transaction's commit
TIPLINE_FAULT_RUN_AT=before-commit:2 TIPLINE_FAULT_RUN_CMD="$(cut_cmd reply)" \
	"$TIPLINE_FAULTS_BIN" --config "$C" fetch > "$WORK/out3" 2> "$WORK/err3"
is "$?" 75 "the answer to COMMIT lost: exit 75"
sed 's/^/# /' "$WORK/err3" "$WORK/reply.log"
like "$(cat "$WORK/reply.log")" 'answer dropped' \
	"the proxy dropped the server's answer"
like "$(cat "$WORK/err3")" '^tipline fetch: mailbox box3: COMMIT: connection to the database server lost \(server closed the connection unexpectedly\); whether the commit landed is not known \(temporary failure\)$' \
	"the failure names the mailbox, the commit, the cause and the doubt"
is "$(grep -c "$(printf '^\t')" "$WORK/err3")" 0 \
	"in one line, not libpq's several"
is "$(folder_count F3)/$(folder_count Done3)" "$((N - 3))/3" \
	"only the first transaction, whose commit was answered, was moved"
is "$(psql_t -c "SELECT count(*) || '/' || sum(action_done) FROM ledger
	WHERE mailbox = 'box3'")" "6/3" \
	"the second commit landed all the same, its moves pending"

"$TIPLINE_BIN" --config "$C" fetch > "$WORK/out4" 2> "$WORK/err4"
is "$?" 0 "the next run exits 0"
sed 's/^/# /' "$WORK/err4"
is "$(psql_t -c "SELECT count(DISTINCT content_hash) || '/' || count(*)
	FROM submission")" "$((3 * N))/$((3 * N))" \
	"every message stored once"
is "$(folder_count F3)/$(folder_count Done3)" "0/$N" \
	"all moved on the server after the run"
stop_proxy
