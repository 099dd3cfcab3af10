#!/bin/sh
# fetch under faults, against a real private Dovecot: random kill -9, a
# connection cut/reset/stalled in the middle of a message (proxy), two
# fetches at once, an editor holding the write lock, a full disk, a
# UIDVALIDITY reset, a server without MOVE or UIDPLUS, OAuth and command
# credentials, and imap:// without STARTTLS. Nothing may be lost, doubled
# or left half-written, and nothing not stored may be touched on the server.
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] ||
	skip_all "dovecot not installed"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
KILL_RUNS=${KILL_RUNS:-12}
plan 89

EXTRA_DOVECOTS= PROXIES= MOUNTED=
_cleanup2() {
	for p in $PROXIES; do kill "$p" 2>/dev/null; done
	[ -n "$MOUNTED" ] && umount "$MOUNTED" 2>/dev/null
	for d in $EXTRA_DOVECOTS; do "$TESTS/fixture/stop.sh" "$d" >/dev/null 2>&1; done
	_cleanup
}
trap _cleanup2 EXIT

dovecot_start >/dev/null || { echo "Bail out! dovecot fixture did not start"; exit 1; }
MAIN_DIR=$DOVECOT_DIR MAIN_PORT=$IMAPS_PORT

# start_proxy SCRIPT ARGS...: run a proxy on a free port; sets PPORT.
start_proxy() {
	_out=$WORK/proxy.$$.$(date +%s%N)
	python3 "$@" > "$_out" 2>/dev/null &
	PROXIES="$PROXIES $!"; PPID_LAST=$!
	_i=0
	while ! grep -q '^PORT ' "$_out" 2>/dev/null && [ $_i -lt 100 ]; do
		sleep 0.05; _i=$((_i + 1))
	done
	PPORT=$(sed -n 's/^PORT //p' "$_out" | head -1)
}
stop_proxy() { kill "$PPID_LAST" 2>/dev/null; wait "$PPID_LAST" 2>/dev/null; return 0; }
now_ms() { date +%s%3N; }
rand() { echo $(( $(od -An -N2 -tu2 /dev/urandom) % $1 )); }
# partial DB: ledger rows whose stored raw size differs from RFC822.SIZE
partial() {
	dbq "$1" "SELECT count(*) FROM ledger l JOIN submission s ON
		s.id = l.submission_id WHERE l.outcome <> 'duplicate' AND
		l.outcome <> 'too_large' AND s.raw_size <> l.size"
}

# ---- 1. random kill -9 during fetches of a few hundred messages ----------
# 300 messages, then 25 more before each further run, so that every run has
# work in flight when it is killed.
C=$WORK/kill.conf B=$WORK/kill.db
new_conf "$C" "$B"
gen_msgs "$WORK/kill" kill $((300 + 25 * KILL_RUNS)) 20
ls "$WORK/kill"/*.eml | head -300 | FOLDER=Kill xargs "$TESTS/fixture/seed-maildir.sh" "$DOVECOT_DIR" -f >/dev/null
make_folder KillDone
mailbox_conf "$C" kill Kill "after_fetch=move KillDone"
BIN=$TIPLINE_BIN
[ -x "$TIPLINE_FAULTS_BIN" ] && BIN=$TIPLINE_FAULTS_BIN
hits=0 k=0 total=300
while [ $k -lt "$KILL_RUNS" ]; do
	if [ $k -gt 0 ]; then
		ls "$WORK/kill"/*.eml | sed -n "$((total + 1)),$((total + 25))p" |
			FOLDER=Kill xargs "$TESTS/fixture/seed-maildir.sh" "$DOVECOT_DIR" -f >/dev/null
		total=$((total + 25))
	fi
	# Smaller transactions than the default make more distinct states
	# to be killed in (the faults build honours these; no crash point).
	TIPLINE_BATCH_MAX=$((5 + $(rand 40))) TIPLINE_CHUNK_MAX=$((20 + $(rand 80))) \
		"$BIN" --config "$C" -q fetch 2>/dev/null &
	pid=$!
	# PostgreSQL: connecting and making the schema take a few hundred
	# ms, so the kill comes later there to land while messages flow.
	if on_pg; then ms=$((300 + $(rand 1500))); else ms=$((10 + $(rand 200))); fi
	sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
	if kill -9 "$pid" 2>/dev/null; then hits=$((hits + 1)); fi
	wait "$pid" 2>/dev/null
	k=$((k + 1))
done
mid=$(dbq "$B" 'SELECT count(*) FROM submission' 2>/dev/null || echo 0)
diag "kill -9: $hits of $KILL_RUNS runs killed in flight; $mid of $total stored before the clean run"
"$TIPLINE_BIN" --config "$C" -q fetch; is "$?" 0 "clean run after $KILL_RUNS kill -9 runs exits 0"
is "$(dbq "$B" 'SELECT count(*) FROM submission')" $total "kill -9: $total submissions"
is "$(dbq "$B" "SELECT count(*) || ' ' || count(DISTINCT uid) || ' ' || min(uid) || ' ' || max(uid) FROM ledger")" \
	"$total $total 1 $total" "kill -9: one ledger row per UID 1..$total"
is "$(dbq "$B" "SELECT count(*) FROM ledger WHERE outcome = 'stored' AND action_done = 1")" $total \
	"kill -9: every message stored and moved"
is "$(folder_count Kill) $(folder_count KillDone)" "0 $total" \
	"kill -9: source empty, $total in the target folder (none moved twice)"
is "$(cat "$(folder_dir KillDone)"/cur/* "$(folder_dir KillDone)"/new/* 2>/dev/null | grep '^Message-ID:' | sort -u | wc -l | tr -d ' ')" $total \
	"kill -9: $total distinct messages in the target folder"
# On PostgreSQL several fetchers may share a spool_dir, so a run sweeps
# only files a day old (cmd-fetch.c): the killed runs' files stay; they
# are counted, then removed as a day later, for the checks below.
if on_pg; then
	diag "kill -9: $(ls "$SPOOL" | wc -l | tr -d ' ') spool files of killed runs left for a day"
	is "$(partial "$B")" 0 "kill -9: nothing partial"
	rm -f "$SPOOL"/*
else
	is "$(partial "$B")/$(ls "$SPOOL" | wc -l | tr -d ' ')" "0/0" \
		"kill -9: nothing partial; spool files of killed runs swept"
fi

# ---- 2. connection cut, reset, stalled in the middle of a message -------
gen_msgs "$WORK/cut" cut 10 600
i=0
for mode in fin rst stall; do
	i=$((i + 1))
	C=$WORK/cut$mode.conf B=$WORK/cut$mode.db
	new_conf "$C" "$B"
	seed_folder "Cut$mode" "$WORK/cut"/*.eml >/dev/null
	start_proxy "$TESTS/fixture/cutproxy.py" 0 "$IMAPS_PORT" 60000 "$mode"
	mailbox_conf "$C" cut "Cut$mode" "after_fetch=seen" low_speed_time=2 connect_timeout=5
	sed -i "s|127.0.0.1:$IMAPS_PORT|127.0.0.1:$PPORT|" "$C"
	t0=$(now_ms)
	"$TIPLINE_BIN" --config "$C" fetch 2>"$WORK/cut.err"; r=$?
	t1=$(now_ms)
	is "$r" 75 "$mode after 60000 bytes (every connection): exit 75"
	n=$(dbq "$B" 'SELECT count(*) FROM submission')
	is "$(partial "$B")/$(ls "$SPOOL" | wc -l | tr -d ' ')" "0/0" \
		"$mode: nothing partial stored ($n whole messages kept), no spool file left"
	is "$(folder_flags "Cut$mode" | grep -c S)" "$(dbq "$B" 'SELECT count(*) FROM ledger WHERE action_done = 1')" \
		"$mode: only committed messages marked on the server"
	[ "$mode" = stall ] && diag "stall: gave up after $((t1 - t0)) ms (low_speed_time = 2, one retry)"
	stop_proxy
	sed -i "s|127.0.0.1:$PPORT|127.0.0.1:$IMAPS_PORT|" "$C"
	"$TIPLINE_BIN" --config "$C" -q fetch; is "$?" 0 "$mode: next run (direct) exits 0"
	is "$(dbq "$B" "SELECT count(*) || '/' || count(DISTINCT content_hash) FROM submission")/$(partial "$B")" \
		"10/10/0" "$mode: next run completes, each message once"
done
# Only the first connection is cut: the retry on a fresh one finishes.
C=$WORK/retry.conf B=$WORK/retry.db
new_conf "$C" "$B"
seed_folder Retry "$WORK/cut"/*.eml >/dev/null
start_proxy "$TESTS/fixture/cutproxy.py" 0 "$IMAPS_PORT" 60000 rst 1
mailbox_conf "$C" retry Retry
sed -i "s|127.0.0.1:$IMAPS_PORT|127.0.0.1:$PPORT|" "$C"
"$TIPLINE_BIN" --config "$C" fetch 2>"$WORK/retry.err"; is "$?" 0 \
	"a cut first connection is retried once on a fresh one: exit 0"
like "$(cat "$WORK/retry.err")" "retrying once" "the retry is logged"
is "$(dbq "$B" 'SELECT count(*) FROM submission')" 10 "after the retry all 10 are stored"
stop_proxy

# ---- 3. two fetches at once; SIGTERM -------------------------------------
C=$WORK/two.conf B=$WORK/two.db
new_conf "$C" "$B"
seed_folder Two "$WORK/cut"/*.eml >/dev/null
start_proxy "$TESTS/fixture/cutproxy.py" 0 "$IMAPS_PORT" 60000 stall
mailbox_conf "$C" two Two low_speed_time=3
sed -i "s|127.0.0.1:$IMAPS_PORT|127.0.0.1:$PPORT|" "$C"
"$TIPLINE_BIN" --config "$C" fetch 2>"$WORK/two1.err" &
first=$!
sleep 0.7
t0=$(now_ms)
"$TIPLINE_BIN" --config "$C" fetch 2>"$WORK/two2.err"; r=$?
t1=$(now_ms)
is "$r" 75 "a second concurrent fetch exits 75"
ok "$([ $((t1 - t0)) -lt 1000 ] && echo 0 || echo 1)" "it exits at once ($((t1 - t0)) ms)"
# (PostgreSQL: the mailbox's advisory lock is held; the fetch skips it.)
like "$(cat "$WORK/two2.err")" "another tipline fetch is (running|fetching)" \
	"with a clear message"
t0=$(now_ms)
kill -TERM "$first"; wait "$first"; r=$?
t1=$(now_ms)
is "$r" 75 "SIGTERM during a stalled fetch: exit 75"
ok "$([ $((t1 - t0)) -lt 5000 ] && echo 0 || echo 1)" "it stopped without a retry ($((t1 - t0)) ms)"
is "$(partial "$B")" 0 "SIGTERM: nothing partial"
stop_proxy
# SIGTERM while messages flow: stops between two messages, commits them.
C=$WORK/term.conf B=$WORK/term.db
new_conf "$C" "$B"
gen_msgs "$WORK/term" term 400 20
seed_folder Term "$WORK/term"/*.eml >/dev/null
mailbox_conf "$C" term Term after_fetch=flag
"$TIPLINE_BIN" --config "$C" fetch 2>"$WORK/term.err" &
pid=$!
# On PostgreSQL the fetch first makes the new database's schema: let
# messages flow before the signal.
if on_pg; then sleep 1; else sleep 0.2; fi
kill -TERM "$pid"; wait "$pid"; r=$?
n=$(dbq "$B" 'SELECT count(*) FROM submission')
diag "SIGTERM: exit $r with $n of 400 stored"
ok "$([ "$r" = 75 ] || [ "$r" = 0 ] && echo 0 || echo 1)" "SIGTERM while fetching: exit 75 (or 0 if it had finished)"
is "$(partial "$B")/$(dbq "$B" 'SELECT count(*) FROM ledger')" "0/$n" \
	"SIGTERM: what was stored is whole and in the ledger"
"$TIPLINE_BIN" --config "$C" -q fetch; is "$?" 0 "after SIGTERM the next run exits 0"
is "$(dbq "$B" 'SELECT count(*) FROM submission')/$(folder_flags Term | grep -c a)" "400/400" \
	"after SIGTERM the next run completes: 400 stored once, 400 flagged"

# ---- 4. an editor holds a write transaction ------------------------------
# (SQLite's one writer: on PostgreSQL an editor's transaction locks only
# its rows and never holds fetch back.)
gen_msgs "$WORK/busy" busy 6
if on_pg; then
	for t in 1 2 3 4 5 6 7 8 9; do ok 0 "# SKIP SQLite's write lock"; done
else
C=$WORK/busy.conf B=$WORK/busy.db
BUSY_TIMEOUT=1 new_conf "$C" "$B"
seed_folder Busy "$WORK/busy"/busy-0000[123].eml >/dev/null
make_folder BusyDone
mailbox_conf "$C" busy Busy "after_fetch=move BusyDone"
"$TIPLINE_BIN" --config "$C" -q fetch; is "$?" 0 "busy: first fetch stores 3"
seed_folder Busy "$WORK/busy"/busy-0000[456].eml >/dev/null
before=$(queue_state "$B")
{ echo 'BEGIN IMMEDIATE;'; echo "UPDATE submission SET status = 'approved' WHERE id = 1;"; sleep 4; echo 'COMMIT;'; } | sqlite3 "$B" &
editor=$!
sleep 0.5
t0=$(now_ms)
"$TIPLINE_BIN" --config "$C" fetch 2>"$WORK/busy.err"; r=$?
t1=$(now_ms)
is "$r" 75 "fetch while an editor holds the write lock: exit 75"
ok "$([ $((t1 - t0)) -ge 900 ] && [ $((t1 - t0)) -lt 3500 ] && echo 0 || echo 1)" \
	"it waited for the busy timeout (1 s), then gave up ($((t1 - t0)) ms)"
like "$(cat "$WORK/busy.err")" "busy" "the error says the database is busy"
wait "$editor"
is "$(queue_state "$B" | grep -v '^S')" "$(printf '%s\n' "$before" | grep -v '^S')" \
	"busy: nothing half-written (ledger and watermark unchanged)"
is "$(folder_count Busy) $(folder_count BusyDone)" "3 3" "busy: nothing touched on the server"
"$TIPLINE_BIN" --config "$C" -q fetch; is "$?" 0 "busy: next run exits 0"
is "$(dbq "$B" 'SELECT count(*) FROM submission') $(folder_count Busy) $(folder_count BusyDone)" \
	"6 0 6" "busy: next run stores and moves the other 3"
is "$(TIPLINE_DB=$(db_setting "$B") tj .status show 1)" approved \
	"the editor's decision was kept"
fi

# An editor deciding while fetch works through a backlog waits about a
# second at most: fetch commits in short transactions and steps aside.
C=$WORK/lat.conf B=$WORK/lat.db
new_conf "$C" "$B"
gen_msgs "$WORK/lat" lat 1500 10
seed_folder Lat "$WORK/lat"/*.eml >/dev/null
mailbox_conf "$C" lat Lat
"$TIPLINE_BIN" --config "$C" import "$WORK/busy/busy-00001.eml" 2>/dev/null
"$TIPLINE_BIN" --config "$C" -q fetch &
pid=$!
# The editor is tipline itself: its store_begin() tells fetch that it
# waits (a flock on DATABASE.waiters), and fetch steps aside only then.
maxwait=$(python3 - "$B" "$pid" "$TIPLINE_BIN" "$C" <<'PY'
import os, subprocess, sys, time
pid, worst, n = int(sys.argv[2]), 0.0, 0
tl, conf = sys.argv[3], sys.argv[4]
def alive():
    try:
        os.kill(pid, 0)
        return open("/proc/%d/stat" % pid).read().split()[2] != "Z"
    except OSError:
        return False
while alive():
    t = time.perf_counter()
    subprocess.run([tl, "--config", conf, "-q",
                    "approve" if n % 2 == 0 else "reopen", "1"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worst = max(worst, time.perf_counter() - t)
    n += 1
    time.sleep(0.03)
print("%d %d" % (round(worst * 1000), n))
PY
)
wait "$pid"; r=$?
diag "editor during a 1500-message fetch: $(echo "$maxwait" | cut -d' ' -f2) decisions, longest wait $(echo "$maxwait" | cut -d' ' -f1) ms"
is "$r/$(dbq "$B" 'SELECT count(*) FROM submission')" "0/1501" "backlog fetched while an editor writes"
ok "$([ "$(echo "$maxwait" | cut -d' ' -f1)" -lt 1500 ] && echo 0 || echo 1)" \
	"the editor never waited more than about a second"

# ---- 5. full disk (a small tmpfs for database and spool) -----------------
FULL=$WORK/full
mkdir -p "$FULL"
if ! on_pg && [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=1200k tmpfs "$FULL" 2>/dev/null; then
	MOUNTED=$FULL
	C=$WORK/full.conf B=$FULL/full.db
	printf '[store]\ndatabase = %s\nspool_dir = %s/spool\n' "$B" "$FULL" > "$C"
	gen_msgs "$WORK/big" big 8 2500
	seed_folder Full "$WORK/big"/*.eml >/dev/null
	make_folder FullDone
	mailbox_conf "$C" full Full "after_fetch=move FullDone"
	"$TIPLINE_BIN" --config "$C" fetch 2>"$WORK/full.err"; r=$?
	is "$r" 75 "full disk: exit 75"
	like "$(cat "$WORK/full.err")" "full|space" "full disk: the error says so"
	stored=$(dbq "$B" 'SELECT count(*) FROM submission' 2>/dev/null || echo 0)
	is "$(folder_count FullDone)" "$(dbq "$B" 'SELECT count(*) FROM ledger WHERE action_done = 1' 2>/dev/null || echo 0)" \
		"full disk: only committed messages ($stored) were moved on the server"
	is "$(( $(folder_count Full) + $(folder_count FullDone) ))" 8 "full disk: nothing lost on the server"
	is "$(partial "$B")" 0 "full disk: nothing partial"
	mount -o remount,size=12m "$FULL"
	"$TIPLINE_BIN" --config "$C" -q fetch; is "$?" 0 "full disk: after freeing space the next run exits 0"
	is "$(dbq "$B" 'SELECT count(*) FROM submission') $(folder_count Full) $(folder_count FullDone)" \
		"8 0 8" "full disk: the next run completes"
	# Now the spool write itself fails: a message bigger than what is
	# left. Nothing of it may be stored or acknowledged.
	gen_msgs "$WORK/huge" huge 2 12000
	seed_folder Full2 "$WORK/huge"/*.eml >/dev/null
	make_folder Full2Done
	mailbox_conf "$C" full2 Full2 "after_fetch=move Full2Done"
	used=$(df -k "$FULL" | awk 'NR == 2 {print $3}')
	mount -o remount,size=$((used + 200))k "$FULL"
	"$TIPLINE_BIN" --config "$C" fetch --mailbox full2 2>"$WORK/full2.err"; r=$?
	is "$r" 75 "spool full (message larger than the free space): exit 75"
	is "$(dbq "$B" "SELECT count(*) FROM ledger WHERE mailbox = 'full2'")/$(folder_count Full2)/$(folder_count Full2Done)/$(ls "$FULL/spool" | wc -l | tr -d ' ')" \
		"0/2/0/0" "spool full: nothing stored, nothing acknowledged, no partial spool file"
	mount -o remount,size=12m "$FULL"
	"$TIPLINE_BIN" --config "$C" -q fetch --mailbox full2; is "$?" 0 "spool full: after freeing space the next run exits 0"
	umount "$FULL" && MOUNTED=
else
	for t in 1 2 3 4 5 6 7 8 9 10; do
		ok 0 "# SKIP tmpfs mount not permitted (or PostgreSQL)"; done
fi

# ---- 6. UIDVALIDITY reset on the server ----------------------------------
C=$WORK/uv.conf B=$WORK/uv.db
new_conf "$C" "$B"
gen_msgs "$WORK/uv" uv 7
seed_folder Uv "$WORK/uv"/uv-0000[1-5].eml >/dev/null
mailbox_conf "$C" uv Uv
"$TIPLINE_BIN" --config "$C" -q fetch; is "$?" 0 "UIDVALIDITY: first fetch"
uv1=$(dbq "$B" 'SELECT uidvalidity FROM mailbox_state')
# Dovecot rebuilds the UID list with a new UIDVALIDITY when it is gone.
rm -f "$(folder_dir Uv)"/dovecot-uidlist "$(folder_dir Uv)"/dovecot.index*
seed_folder Uv "$WORK/uv"/uv-0000[67].eml >/dev/null
"$TIPLINE_BIN" --config "$C" fetch 2>"$WORK/uv.err"; is "$?" 0 "UIDVALIDITY: fetch after the reset exits 0"
uv2=$(dbq "$B" 'SELECT uidvalidity FROM mailbox_state')
ok "$([ "$uv1" != "$uv2" ] && echo 0 || echo 1)" "UIDVALIDITY changed on the server ($uv1 -> $uv2)"
like "$(cat "$WORK/uv.err")" "UIDVALIDITY changed" "the rescan is logged"
is "$(dbq "$B" 'SELECT count(*) FROM submission')" 7 "UIDVALIDITY: 7 submissions, nothing lost nothing doubled"
is "$(dbq "$B" "SELECT outcome || ':' || count(*) FROM ledger WHERE uidvalidity = $uv2 GROUP BY outcome ORDER BY outcome" | paste -sd ' ')" \
	"duplicate:5 stored:2" "UIDVALIDITY: the rescan records 5 duplicates and 2 new"

# ---- 7. servers without MOVE, and without MOVE and UIDPLUS ----------------
for hide in MOVE "MOVE UIDPLUS"; do
	d=$(IMAP_PORT=auto IMAP_HIDE_CAPS=$hide "$TESTS/fixture/start.sh") ||
		{ echo "Bail out! second dovecot did not start"; exit 1; }
	EXTRA_DOVECOTS="$EXTRA_DOVECOTS $d"
	. "$d/env"; DOVECOT_DIR=$d
	tag=$(echo "$hide" | tr -d ' ')
	C=$WORK/no$tag.conf B=$WORK/no$tag.db
	new_conf "$C" "$B"
	gen_msgs "$WORK/no$tag" "no$tag" 3
	seed_folder INBOX "$WORK/no$tag"/*.eml >/dev/null
	make_folder Done
	mailbox_conf "$C" nomove INBOX "after_fetch=move Done"
	"$TIPLINE_BIN" --config "$C" -v fetch 2>"$WORK/no$tag.err"; r=$?
	is "$r" 0 "without $hide: move exits 0"
	if grep -q 'C: [^ ]* UID MOVE' "$WORK/no$tag.err"; then m=1; else m=0; fi
	is "$m" 0 "without $hide: no UID MOVE sent"
	is "$(folder_count Done)" 3 "without $hide: the 3 messages copied to the target"
	if [ "$hide" = MOVE ]; then
		is "$(folder_count INBOX)" 0 "without MOVE: COPY + STORE + UID EXPUNGE empties the source"
	else
		is "$(folder_flags INBOX | tr '\n' ' ')" "T T T " \
			"without UIDPLUS: sources only marked \\Deleted (no blind EXPUNGE)"
	fi
done
DOVECOT_DIR=$MAIN_DIR
. "$DOVECOT_DIR/env"

# ---- 8. credentials: token_command, password_command, file mode ----------
C=$WORK/auth.conf B=$WORK/auth.db
new_conf "$C" "$B"
gen_msgs "$WORK/auth" auth 1
seed_folder Auth "$WORK/auth"/*.eml >/dev/null
for v in good bad fail pcmd; do
	mailbox_conf "$C" "$v" Auth
done
sed -i -e '/^\[mailbox good\]/,/^cafile/ s|^password_file = .*|token_command = printf secret|' \
	-e '/^\[mailbox bad\]/,/^cafile/ s|^password_file = .*|token_command = printf wrong-token|' \
	-e '/^\[mailbox fail\]/,/^cafile/ s|^password_file = .*|token_command = echo no refresh token >\&2; exit 3|' \
	-e '/^\[mailbox pcmd\]/,/^cafile/ s|^password_file = .*|password_command = printf secret|' "$C"
tl2() { "$TIPLINE_BIN" --config "$C" fetch --mailbox "$1" 2>"$WORK/auth.err"; }
tl2 good; is "$?" 0 "token_command with a good token: OAuth login, exit 0"
tl2 pcmd; is "$?" 0 "password_command: exit 0"
tl2 bad; is "$?" 77 "wrong OAuth token: exit 77"
like "$(cat "$WORK/auth.err")" "refused" "wrong token: says the login was refused"
if grep -q wrong-token "$WORK/auth.err"; then r=1; else r=0; fi
is "$r" 0 "wrong token: the token is not logged"
tl2 fail; is "$?" 77 "failing token_command: exit 77"
like "$(cat "$WORK/auth.err")" "token_command failed \(exit status 3\)" \
	"failing token_command: says which and its exit status"
"$TIPLINE_BIN" --config "$C" fetch 2>/dev/null
is "$?" 77 "several mailboxes, two refused: exit 77 (the most serious)"
chmod 644 "$WORK/pass"
"$TIPLINE_BIN" --config "$CONF" fetch 2>"$WORK/mode.err"; is "$?" 78 "password_file readable by others: exit 78"
like "$(cat "$WORK/mode.err")" "$WORK/pass" "the error names the file"
chmod 600 "$WORK/pass"

# ---- 9. imap:// without STARTTLS ------------------------------------------
C=$WORK/plain.conf B=$WORK/plain.db
new_conf "$C" "$B"
start_proxy "$TESTS/striptls.py" 0 "$IMAP_PORT"
mailbox_conf "$C" plain Auth
sed -i "s|imaps://127.0.0.1:$IMAPS_PORT|imap://127.0.0.1:$PPORT|" "$C"
n0=$(grep -c 'Login: user=' "$MAIN_DIR/dovecot.log")
"$TIPLINE_BIN" --config "$C" fetch 2>"$WORK/plain.err"; is "$?" 78 "imap:// to a server without STARTTLS: refused, exit 78"
is "$(grep -c 'Login: user=' "$MAIN_DIR/dovecot.log")" "$n0" "no credential sent in plaintext"
echo 'allow_plaintext = true' >> "$C"
"$TIPLINE_BIN" --config "$C" -q fetch; is "$?" 0 "with allow_plaintext = true: exit 0"
stop_proxy
C=$WORK/stls.conf
new_conf "$C" "$WORK/stls.db"
mailbox_conf "$C" stls Auth
sed -i "s|imaps://127.0.0.1:$IMAPS_PORT|imap://127.0.0.1:$IMAP_PORT|" "$C"
"$TIPLINE_BIN" --config "$C" -q fetch; is "$?" 0 "imap:// with STARTTLS (verified certificate): exit 0"

# ---- 10. a message the server lists but sends without a body -------------
# (Exchange does this for items it cannot render; QA F32.) It must get a
# ledger row and a quarantined header-only entry, and stay on the server.
C=$WORK/nil.conf B=$WORK/nil.db
new_conf "$C" "$B"
gen_msgs "$WORK/nil" nil 3
seed_folder Nil "$WORK/nil"/*.eml >/dev/null
start_proxy "$TESTS/nilbody.py" 0 "$IMAP_PORT" 2
mailbox_conf "$C" nil Nil allow_plaintext=true after_fetch=delete
sed -i "s|imaps://127.0.0.1:$IMAPS_PORT|imap://127.0.0.1:$PPORT|" "$C"
"$TIPLINE_BIN" --config "$C" fetch 2>"$WORK/nil.err"; is "$?" 0 "no body for UID 2: exit 0"
is "$(dbq "$B" "SELECT uid || ':' || outcome || ':' || action_done FROM ledger ORDER BY uid" | paste -sd ' ')" \
	"1:stored:1 2:quarantined:3 3:stored:1" "UID 2 has a ledger row, quarantined, not deleted"
like "$(TIPLINE_DB=$(db_setting "$B") tj .error show "$(TIPLINE_DB=$(db_setting "$B") \
	tj '.[] | select(.status == "quarantined") | .id' list --all)")" \
	"returned no body" "the entry says why"
is "$(folder_count Nil)" 1 "UID 2 is still on the server, the others deleted"
like "$(cat "$WORK/nil.err")" "uid 2: the server lists this message but sent no body" \
	"a warning names the UID"
stop_proxy
