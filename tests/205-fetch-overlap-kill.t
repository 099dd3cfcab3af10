#!/bin/sh
# Issue 14, overlap: message N+1 is received while message N is stored,
# and a kill -9 while the reader thread is ahead of the writer loses and
# doubles nothing. build/tipline-faults runs a command at the Kth
# "ingested" point (the main thread inside its transaction); fault points
# are serialised, so the reader can finish its spool file but waits there.
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
[ -x "$TIPLINE_FAULTS_BIN" ] || skip_all "no $TIPLINE_FAULTS_BIN (make build/tipline-faults)"
dovecot_need
plan 12

gen_msgs "$WORK/m" ov 6 1500		# about 45 KB each
# wait_spool N: the hook's shell command waiting (20 s at most) until
# the spool folder holds N files, then noting how many it holds.
wait_spool() {
	echo "i=0; while [ \$(ls '$SPOOL' | wc -l) -lt $1 ] && [ \$i -lt 200 ]; do sleep 0.1; i=\$((i + 1)); done; ls '$SPOOL' | wc -l > '$WORK/seen'"
}
# left: spool files a killed run left and the next run did not sweep.
# On PostgreSQL several fetchers may share a spool_dir, so a run sweeps
# only files a day old (cmd-fetch.c, as in 32-faults.t): removed here.
left() {
	if on_pg; then rm -f "$SPOOL"/*; echo 0
	else ls "$SPOOL" | wc -l | tr -d ' '; fi
}
# A clean reference run: the queue every crashed run must end up with.
new_conf "$WORK/ref.conf" "$WORK/ref.db"
seed_folder Ref "$WORK/m"/*.eml >/dev/null
make_folder RefDone
mailbox_conf "$WORK/ref.conf" ov Ref "after_fetch=move RefDone"
"$TIPLINE_BIN" --config "$WORK/ref.conf" -q fetch; is "$?" 0 "reference run exits 0"
ref_q=$(queue_state "$WORK/ref.db")

# 1. One message a chunk: while message 1 is being stored (its spool file
# still there), message 2 arrives in a second spool file.
export TIPLINE_CHUNK_MAX=1
C=$WORK/a.conf B=$WORK/a.db
new_conf "$C" "$B"
seed_folder A "$WORK/m"/*.eml >/dev/null
make_folder ADone
mailbox_conf "$C" ov A "after_fetch=move ADone"
TIPLINE_FAULT_RUN_AT=ingested:1 \
TIPLINE_FAULT_RUN_CMD="$(wait_spool 2); kill -9 \$PPID" \
	"$TIPLINE_FAULTS_BIN" --config "$C" -q fetch 2>"$WORK/a.err"; r=$?
is "$r" 137 "killed with -9 inside the first transaction"
is "$(cat "$WORK/seen")" 2 \
	"message 2 was spooled while message 1 was being stored (2 spool files)"
is "$(folder_count ADone)" 0 "nothing moved on the server before a commit"
"$TIPLINE_BIN" --config "$C" -q fetch; is "$?" 0 "the next run exits 0"
is "$(queue_state "$B")" "$ref_q" \
	"queue and ledger as after the clean run: nothing lost, nothing doubled"
is "$(folder_count A)/$(folder_count ADone)/$(left)" \
	"0/6/0" "all 6 moved once; the killed run's spool files swept"

# 2. Two messages a chunk, killed at each later step of the writer while
# the reader spools the next chunk.
export TIPLINE_CHUNK_MAX=2 TIPLINE_BATCH_MAX=1
bad=
for k in 2 3 4 5; do
	C=$WORK/k$k.conf B=$WORK/k$k.db
	new_conf "$C" "$B"
	seed_folder "K$k" "$WORK/m"/*.eml >/dev/null
	make_folder "K${k}Done"
	mailbox_conf "$C" ov "K$k" "after_fetch=move K${k}Done"
	TIPLINE_FAULT_RUN_AT=ingested:$k \
	TIPLINE_FAULT_RUN_CMD="sleep 0.3; kill -9 \$PPID" \
		"$TIPLINE_FAULTS_BIN" --config "$C" -q fetch 2>>"$WORK/k.err"
	r1=$?
	"$TIPLINE_BIN" --config "$C" -q fetch; r2=$?
	q=$(queue_state "$B")
	s="$(folder_count "K$k")/$(folder_count "K${k}Done")/$(left)"
	[ "$r1/$r2" = 137/0 ] && [ "$q" = "$ref_q" ] && [ "$s" = 0/6/0 ] ||
		bad="$bad $k($r1/$r2 $s)"
done
is "${bad:-none}" none \
	"killed at ingested 2..5 with the reader ahead: queue as the clean run's, 6 moved once, no spool file"
unset TIPLINE_CHUNK_MAX TIPLINE_BATCH_MAX

# 3. The default chunking (all 6 in one chunk) still stores all once.
C=$WORK/d.conf B=$WORK/d.db
new_conf "$C" "$B"
seed_folder D "$WORK/m"/*.eml >/dev/null
make_folder DDone
mailbox_conf "$C" ov D "after_fetch=move DDone"
"$TIPLINE_FAULTS_BIN" --config "$C" -q fetch; is "$?" 0 "default chunks: exits 0"
is "$(queue_state "$B")" "$ref_q" "default chunks: the same queue"
is "$(folder_count D)/$(folder_count DDone)" 0/6 "default chunks: all moved"
is "$(ls "$SPOOL" | wc -l | tr -d ' ')" 0 "no spool file left"
