#!/bin/sh
# Issue 14, overlap: the server connection dies while the reader thread is
# receiving message N+1 and the main thread stores message N (one message
# a chunk, so every chunk is spooled ahead). What arrived whole is stored,
# nothing partial, no spool file stays, only committed messages are
# flagged on the server; a fresh connection (the retry, or the next run)
# finishes, each message once.
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
dovecot_need
plan 10

PROXIES=
_cleanup3() {
	for p in $PROXIES; do kill "$p" 2>/dev/null; done
	_cleanup
}
trap _cleanup3 EXIT
# start_proxy ARGS...: tests/fixture/cutproxy.py on a free port; PPORT.
start_proxy() {
	_out=$WORK/proxy.$(date +%s%N)
	python3 "$TESTS/fixture/cutproxy.py" "$@" > "$_out" 2>/dev/null &
	PROXIES="$PROXIES $!"
	_i=0
	while ! grep -q '^PORT ' "$_out" 2>/dev/null && [ $_i -lt 100 ]; do
		sleep 0.05; _i=$((_i + 1))
	done
	PPORT=$(sed -n 's/^PORT //p' "$_out" | head -1)
}
partial() {
	dbq "$1" "SELECT count(*) FROM ledger l JOIN submission s ON
		s.id = l.submission_id WHERE s.raw_size <> l.size"
}
gen_msgs "$WORK/m" cutov 12 3000		# about 90 KB each
export TIPLINE_CHUNK_MAX=1

# 1. Every connection cut after 400 kB: the retry is cut too.
C=$WORK/c.conf B=$WORK/c.db
new_conf "$C" "$B"
seed_folder Cut "$WORK/m"/*.eml >/dev/null
start_proxy 0 "$IMAPS_PORT" 400000 fin
mailbox_conf "$C" cut Cut "after_fetch=seen" low_speed_time=2 \
	connect_timeout=5
sed -i "s|127.0.0.1:$IMAPS_PORT|127.0.0.1:$PPORT|" "$C"
"$TIPLINE_BIN" --config "$C" fetch 2>"$WORK/c.err"; r=$?
is "$r" 75 "cut mid-pipeline on every connection: exit 75"
n=$(dbq "$B" 'SELECT count(*) FROM submission')
ok "$([ "$n" -ge 1 ] && [ "$n" -lt 12 ] && echo 0 || echo 1)" \
	"the messages that arrived whole are stored ($n of 12)"
is "$(partial "$B")/$(ls "$SPOOL" | wc -l | tr -d ' ')" 0/0 \
	"nothing partial stored, no spool file left"
is "$(folder_flags Cut | grep -c S)" \
	"$(dbq "$B" 'SELECT count(*) FROM ledger WHERE action_done = 1')" \
	"only committed messages are flagged on the server"
sed -i "s|127.0.0.1:$PPORT|127.0.0.1:$IMAPS_PORT|" "$C"
"$TIPLINE_BIN" --config "$C" -q fetch; is "$?" 0 "the next run (direct) exits 0"
is "$(dbq "$B" "SELECT count(*) || '/' || count(DISTINCT content_hash) FROM submission")/$(partial "$B")" \
	"12/12/0" "the next run completes, each message once"
is "$(folder_flags Cut | grep -c S)" 12 "all 12 flagged once stored"

# 2. Only the first connection is cut: the retry finishes the run, and
# the actions of what the first connection committed are applied.
C=$WORK/r.conf B=$WORK/r.db
new_conf "$C" "$B"
seed_folder Retry "$WORK/m"/*.eml >/dev/null
start_proxy 0 "$IMAPS_PORT" 400000 rst 1
mailbox_conf "$C" retry Retry "after_fetch=seen"
sed -i "s|127.0.0.1:$IMAPS_PORT|127.0.0.1:$PPORT|" "$C"
"$TIPLINE_BIN" --config "$C" fetch 2>"$WORK/r.err"; is "$?" 0 \
	"first connection reset mid-pipeline, the retry finishes: exit 0"
is "$(dbq "$B" "SELECT count(*) || '/' || count(DISTINCT content_hash) FROM submission")/$(partial "$B")/$(ls "$SPOOL" | wc -l | tr -d ' ')" \
	"12/12/0/0" "all 12 stored once, nothing partial, no spool file"
is "$(folder_flags Retry | grep -c S)" 12 "all 12 flagged on the server"
