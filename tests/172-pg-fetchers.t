#!/bin/sh
# 172-pg-fetchers.t - several fetchers on one PostgreSQL (issue 13): four
# `tipline fetch` processes started together on eight mailboxes of one
# Dovecot.  Every message is stored once, every mailbox fetched, each by
# one process; the others skip a mailbox another holds (its advisory
# lock) and go on to the next.  A barrier at each process's first
# mailbox (a fault hook of build/tipline-faults) keeps the four inside
# their first mailboxes at once, so the skips are certain, not luck.
# Then a fetcher held in its first mailbox while another fetches the rest
# does not poll those again: they were finished during its run.
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
[ -x "$TIPLINE_FAULTS_BIN" ] || skip_all "build/tipline-faults not built"
pg_need
dovecot_need
plan 15

N=12	# messages per mailbox
C=$WORK/fetchers.conf
printf '[store]\ndatabase = %s\npassfile = %s\nspool_dir = %s\n' \
	"$PG_URL" "$PG_PASSFILE" "$SPOOL" > "$C"
for k in 1 2 3 4 5 6 7 8; do
	gen_msgs "$WORK/m$k" "box$k" $N
	seed_folder F$k "$WORK"/m$k/*.eml >/dev/null
	make_folder Done$k
	mailbox_conf "$C" "box$k" F$k "after_fetch=move Done$k"
done
printf 'secret\n' > "$WORK/pass"
chmod 600 "$WORK/pass"

# The barrier: each process, once inside its first mailbox (lock held,
# first message spooled), waits until all four are (at most 60 s).
BAR=$WORK/barrier
mkdir "$BAR"
export TIPLINE_FAULT_RUN_AT=spool-written:1
export TIPLINE_FAULT_RUN_CMD="touch $BAR/\$PPID; i=0; while [ \$(ls $BAR |
	wc -l) -lt 4 ] && [ \$i -lt 600 ]; do sleep 0.1; i=\$((i + 1)); done"
for p in 1 2 3 4; do
	( "$TIPLINE_FAULTS_BIN" --config "$C" fetch 2> "$WORK/log$p"
	  echo $? > "$WORK/rc$p" ) &
done
wait
unset TIPLINE_FAULT_RUN_AT TIPLINE_FAULT_RUN_CMD
is "$(cat "$WORK"/rc1 "$WORK"/rc2 "$WORK"/rc3 "$WORK"/rc4 | tr '\n' ' ')" \
	"0 0 0 0 " "the four fetchers exit 0"
is "$(ls "$BAR" | wc -l | tr -d ' ')" 4 "all four met inside a mailbox"
cat "$WORK"/log? > "$WORK/all"
grep -v 'skipped\|nothing new\|stored\|fault command' "$WORK/all" |
	sed 's/^/# /'

TOTAL=$((8 * N))
CONF=$C
is "$(tj .total stats)" $TOTAL "every message stored"
is "$(psql_t -c "SELECT count(DISTINCT message_id) || ' ' || count(*)
	FROM submission")" "$TOTAL $TOTAL" "each stored once"
is "$(psql_t -c "SELECT count(*) FROM ledger WHERE outcome = 'stored'
	AND action_done = 1")" $TOTAL "one ledger row each, moved"
is "$(psql_t -c "SELECT string_agg(mailbox || '=' || last_uid, ' '
	ORDER BY mailbox) FROM mailbox_state")" \
	"box1=$N box2=$N box3=$N box4=$N box5=$N box6=$N box7=$N box8=$N" \
	"every mailbox fetched to its last UID"
moved=0
for k in 1 2 3 4 5 6 7 8; do
	moved=$((moved + $(folder_count Done$k) + $(folder_count F$k) * 100))
done
is "$moved" $TOTAL "every message moved on the server, none left"

# From the logs: each mailbox stored by exactly one process, in one go.
lines=$(grep -c "mailbox box[1-8]: $N stored, 0 duplicate" "$WORK/all")
is "$lines" 8 "each mailbox's $N messages stored by one process"
is "$(for k in 1 2 3 4 5 6 7 8; do grep -l "mailbox box$k: $N stored" \
	"$WORK"/log?; done | wc -l | tr -d ' ')" 8 "... one log per mailbox"
skips=$(grep -c 'skipped: another tipline fetch is fetching it now' \
	"$WORK/all")
[ "$skips" -ge 6 ]
ok $? "held mailboxes were skipped, not waited for ($skips skips)"
# each process said something about every mailbox: stored, nothing
# new, or skipped
bad=0
for p in 1 2 3 4; do
	for k in 1 2 3 4 5 6 7 8; do
		grep -q "mailbox box$k: " "$WORK/log$p" || bad=$((bad + 1))
	done
done
is "$bad" 0 "every process went through all eight mailboxes"
grep -q 'another tipline fetch is fetching every' "$WORK/all"
is "$?" 1 "no run found every mailbox held"

# A fetcher that finds the others finished during its run does not poll
# them again.  X is held inside box1 (the barrier waits for a file) while
# Y fetches box2..box8; X then finishes box1 and skips the other seven
# without a connection (no "nothing new" line for them).
for k in 1 2 3 4 5 6 7 8; do
	gen_msgs "$WORK/late$k" "late$k" 2
	seed_folder F$k "$WORK"/late$k/*.eml >/dev/null
done
GO=$WORK/go
# last_success_utc is kept to the second, and two successes of one mailbox
# within a second look like one (it is then polled again, which is
# harmless): let round one's successes be a second older than Y's.
sleep 1.1
export TIPLINE_FAULT_RUN_AT=spool-written:1
export TIPLINE_FAULT_RUN_CMD="i=0; while [ ! -e $GO ] && [ \$i -lt 600 ]; do
	sleep 0.1; i=\$((i + 1)); done"
( "$TIPLINE_FAULTS_BIN" --config "$C" fetch 2> "$WORK/logX"
  echo $? > "$WORK/rcX" ) &
i=0
while [ "$(psql_t -c "SELECT count(*) FROM pg_locks WHERE locktype =
	'advisory' AND granted")" = 0 ] && [ $i -lt 300 ]; do
	sleep 0.1; i=$((i + 1))
done
unset TIPLINE_FAULT_RUN_AT TIPLINE_FAULT_RUN_CMD
"$TIPLINE_BIN" --config "$C" fetch 2> "$WORK/logY"
echo "rcY=$?" > "$WORK/rcY"
touch "$GO"
wait
is "$(cat "$WORK/rcX") $(cat "$WORK/rcY")" "0 rcY=0" \
	"X, held in box1, and Y, fetching the rest, exit 0"
is "$(grep -c 'finished it during this run' "$WORK/logX")" 7 \
	"X skips the seven mailboxes Y finished during its run"
is "$(grep -c 'nothing new' "$WORK/logX")$(psql_t -c "SELECT
	count(DISTINCT message_id) = count(*) AND count(*) = $((TOTAL + 16))
	FROM submission")" "0t" "... polls none of them; every message stored once"
