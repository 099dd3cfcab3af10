#!/bin/sh
# Crash at every durable step of a fetch (build/tipline-faults with
# TIPLINE_CRASH_AT=N: _exit at the Nth fault point, no cleanup), then run
# fetch again: the queue (submissions, ledger, watermark) and the server
# (flags, folders) must be exactly those of an uninterrupted run, with no
# duplicate, and a further run must change nothing.
# Default: after_fetch = move (the most steps) and seen over 7 messages in
# small batches, and the run that completes a too_large entry once
# max_message_size is raised (refetch). CRASH_FULL=1: every after_fetch action, a bigger mailbox,
# and a second crash at the same step during the recovery run.
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
[ -x "$TIPLINE_FAULTS_BIN" ] || skip_all "no $TIPLINE_FAULTS_BIN (make build/tipline-faults)"
dovecot_need

D=$FIX/fetch
if [ -n "${CRASH_FULL:-}" ]; then
	MODES="none seen flag move delete refetch"
	gen_msgs "$WORK/extra" crash 10
	MSGS="$D/0*.eml $D/01-tip-vi.eml $WORK/extra/*.eml $D/02-photo.eml"
	DOUBLE=1
else
	MODES="move seen refetch"
	MSGS="$D/0*.eml $D/01-tip-vi.eml"
	DOUBLE=
fi
# Small transactions and chunks, so that every kind of step occurs
# several times even in a small mailbox.
export TIPLINE_BATCH_MAX=2 TIPLINE_CHUNK_MAX=3
# Originals of 500 bytes or more are kept as files here (1 MiB in a real
# build), so that the fixtures' larger messages (05-too-deep, 06-big once
# refetched, 02-photo with CRASH_FULL) pass the points of a file's rename
# and sync, and the check below sees each file named and whole.
export TIPLINE_ORIGINAL_FILE_MIN=500
unset TIPLINE_CRASH_AT TIPLINE_FAULT_TRACE

# files_state DB: the originals kept as files: how many, and how many of
# them are missing or of another size than recorded (must be 0).
files_state() {
	n=0 badf=0
	for row in $(dbq "$1" "SELECT name || ':' || size FROM original_file"); do
		f=$1.originals/${row%%:*}
		n=$((n + 1))
		[ -f "$f" ] && [ "$(stat -c %s "$f")" = "${row##*:}" ] ||
			badf=$((badf + 1))
	done
	echo "$n files, $badf bad"
}

# prepare TAG MODE: a fresh folder (same messages, same UIDs), a fresh
# database and config; sets C and B.
prepare() {
	C=$WORK/$1.conf B=$WORK/$1.db
	new_conf "$C" "$B"
	# shellcheck disable=SC2086
	seed_folder "F$1" $MSGS >/dev/null
	case $2 in
	move) make_folder "T$1"
	      mailbox_conf "$C" test "F$1" "after_fetch=move T$1" \
		max_message_size=20k ;;
	refetch)
	      # A first run queues the big message header-only; raising
	      # the limit makes the crashed run complete it.
	      make_folder "T$1"
	      mailbox_conf "$C" test "F$1" "after_fetch=move T$1" \
		max_message_size=20k
	      "$TIPLINE_FAULTS_BIN" --config "$C" -q fetch 2>>"$WORK/log"
	      sed -i 's/^max_message_size = 20k$/max_message_size = 100k/' "$C" ;;
	*) mailbox_conf "$C" test "F$1" "after_fetch=$2" \
		max_message_size=20k ;;
	esac
}
# server_state TAG MODE: what the server must look like afterwards.
server_state() {
	case $2 in
	move|refetch) echo "src=$(folder_count "F$1") dst=$(folder_count "T$1")" ;;
	delete) echo "src=$(folder_count "F$1")" ;;
	*) echo "flags=$(folder_flags "F$1" | tr '\n' ,)" ;;
	esac
}
fetch() { "$TIPLINE_FAULTS_BIN" --config "$C" -q fetch 2>>"$WORK/log"; }

points_total=0 failures=0 checks=0
for mode in $MODES; do
	# The reference: one uninterrupted run.
	prepare "ref$mode" "$mode"
	TIPLINE_FAULT_TRACE=1 "$TIPLINE_FAULTS_BIN" --config "$C" -q fetch \
		2>"$WORK/trace"
	is "$?" 0 "$mode: clean reference run exits 0"
	ref_q=$(queue_state "$B")
	ref_f=$(files_state "$B")
	diag "$mode: originals as files in the reference run: $ref_f"
	ref_s=$(server_state "ref$mode" "$mode")
	npoints=$(grep -c 'fault point' "$WORK/trace")
	diag "$mode: $npoints crash points: $(sed 's/.*: //' "$WORK/trace" | sort | uniq -c | tr -s ' ' | tr '\n' ',')"
	nmsg=$(dbq "$B" 'SELECT count(*) FROM ledger')
	ok "$([ "$npoints" -gt 5 ] && echo 0 || echo 1)" "$mode: the run passes $npoints crash points"
	points_total=$((points_total + npoints))

	n=1 bad=
	while [ "$n" -le "$npoints" ]; do
		prepare "c$mode$n" "$mode"
		TIPLINE_CRASH_AT=$n fetch; r1=$?
		r2=0
		if [ -n "$DOUBLE" ]; then
			# Crash again at the same step of the recovery run.
			TIPLINE_CRASH_AT=$n fetch; r2=$?
			[ "$r2" = 99 ] || [ "$r2" = 0 ] || r2=bad
			r2=0
		fi
		fetch; r3=$?
		q=$(queue_state "$B"); s=$(server_state "c$mode$n" "$mode")
		f=$(files_state "$B")
		# Every submission has the desk's sort keys again (a crash
		# in the close's transaction that makes them, too).
		k=$(dbq "$B" "SELECT count(*) FROM submission s WHERE NOT
			EXISTS (SELECT 1 FROM sort_key k WHERE
			k.submission_id = s.id)")
		fetch; r4=$?
		q2=$(queue_state "$B"); s2=$(server_state "c$mode$n" "$mode")
		checks=$((checks + 1))
		if [ "$r1" != 99 ] || [ "$r2" != 0 ] || [ "$r3" != 0 ] ||
		   [ "$r4" != 0 ] || [ "$q" != "$ref_q" ] || [ "$k" != 0 ] ||
		   [ "$s" != "$ref_s" ] || [ "$q2" != "$q" ] || [ "$s2" != "$s" ] ||
		   [ "$f" != "$ref_f" ]; then
			bad="$bad $n"
			diag "$mode crash at $n: exits $r1/$r3/$r4, server '$s' vs '$ref_s', $k without sort keys, originals $f vs $ref_f"
			printf '%s\n' "$ref_q" > "$WORK/ref.q"; printf '%s\n' "$q" > "$WORK/got.q"
			diff "$WORK/ref.q" "$WORK/got.q" | sed 's/^/# /' | head -10
		fi
		n=$((n + 1))
	done
	is "${bad:-none}" none "$mode: crash at each of $npoints points, then rerun: queue, originals' files and server as after a clean run ($nmsg messages, none lost or doubled), a further run changes nothing"
	[ -z "$bad" ] || failures=$((failures + 1))
done
diag "crash points exercised: $points_total over modes: $MODES; rerun checks: $checks"
done_testing() { echo "1..$_n"; }
done_testing
