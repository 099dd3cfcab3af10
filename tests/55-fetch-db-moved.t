#!/bin/sh
# Issue 9 section 3: the database deleted or replaced while a fetch with
# after_fetch = delete runs. The fetch used to go on committing into the
# unlinked file and delete those messages from the server (1,300 of 1,500
# lost in one trial). Now, before every after_fetch action, it proves that
# its commit is in the database at the configured path (same file, rows
# visible through the path) and otherwise stops with 75, touching nothing
# more on the server; the next run stores every message still on the
# server exactly once. The database is moved at an exact step with the
# fault build's TIPLINE_FAULT_RUN_AT hook.
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
[ -x "$TIPLINE_FAULTS_BIN" ] || skip_all "no $TIPLINE_FAULTS_BIN (make build/tipline-faults)"
dovecot_need
plan 22

gen_msgs "$WORK/m" moved 12
export TIPLINE_BATCH_MAX=4 TIPLINE_CHUNK_MAX=4
unset TIPLINE_CRASH_AT TIPLINE_FAULT_TRACE

# setup TAG: folder F$TAG with the 12 messages, config $C, database $B.
setup() {
	C=$WORK/$1.conf B=$WORK/$1.db
	new_conf "$C" "$B"
	seed_folder "F$1" "$WORK"/m/*.eml >/dev/null
	mailbox_conf "$C" test "F$1" after_fetch=delete
}
# fetch_at POINT CMD: a fetch that runs CMD at POINT; sets RC and ERR.
fetch_at() {
	ERR=$(TIPLINE_FAULT_RUN_AT=$1 TIPLINE_FAULT_RUN_CMD=$2 \
		"$TIPLINE_FAULTS_BIN" --config "$C" fetch 2>&1)
	RC=$?
}
# stored: the subjects queued in $C's database, one per line, sorted.
stored() {
	"$TIPLINE_BIN" --config "$C" list --all --flat --json 2>/dev/null |
		python3 -c 'import json,sys
print("\n".join(sorted(r["subject"] for r in json.load(sys.stdin))))'
}
# on_server TAG: subjects still in the folder, sorted.
on_server() {
	_fd=$(folder_dir "F$1")
	cat "$_fd"/new/* "$_fd"/cur/* 2>/dev/null |
		sed -n 's/^Subject: //p' | LC_ALL=C sort
}
ids() { LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'; }

# 1. Replaced by another file (mv of a copy: a restored backup) after the
# second batch is committed: batch 1 was deleted before; batch 2 must not
# be, although its rows are in the copy (another file at the path).
setup repl
fetch_at after-commit:2 "sqlite3 '$B' '.backup $WORK/copy.db' && mv '$WORK/copy.db' '$B'"
is "$RC" 75 "replaced database: fetch exits 75"
like "$ERR" "replaced by another file" "replaced database: the error says so"
like "$ERR" "nothing was moved, deleted or flagged" "replaced database: and that the server was left alone"
is "$(folder_count Frepl)" 8 "replaced database: only the first batch (4) left the server"
"$TIPLINE_FAULTS_BIN" --config "$C" -q fetch
is "$?" 0 "replaced database: the next run exits 0"
is "$(folder_count Frepl)" 0 "replaced database: then the server is empty"
is "$(sqlite3 "$B" 'SELECT count(*) FROM ledger')" 12 "replaced database: 12 ledger rows at the path"
is "$(sqlite3 "$B" 'SELECT count(*), count(DISTINCT content_hash) FROM submission')" "12|12" \
	"replaced database: every message stored once"

# 2. Removed (with its -wal and -shm) after the second commit: the
# messages of batches 2 and 3 stay on the server; the next run creates a
# new database and stores each of them once.
setup rm
fetch_at after-commit:2 "rm -f '$B' '$B-wal' '$B-shm'"
is "$RC" 75 "removed database: fetch exits 75"
like "$ERR" "was removed while this fetch ran" "removed database: the error says so"
left=$(on_server rm | ids)
is "$(folder_count Frm)" 8 "removed database: nothing deleted after the removal"
"$TIPLINE_FAULTS_BIN" --config "$C" -q fetch
is "$?" 0 "removed database: the next run exits 0"
is "$(folder_count Frm)" 0 "removed database: then the server is empty"
is "$(stored | ids)" "$left" "removed database: the new database holds exactly the 8 messages that were left"
is "$(sqlite3 "$B" 'SELECT count(*), count(DISTINCT content_hash) FROM submission')" "8|8" \
	"removed database: each once"

# 3. Rolled back in place (same file: a backup restored through SQLite)
# after the second commit: the path names the same file, but batch 2's
# rows are not in it any more; nothing more may be deleted.
C=$WORK/rest.conf B=$WORK/rest.db
new_conf "$C" "$B"
make_folder Frest
mailbox_conf "$C" test Frest after_fetch=delete
"$TIPLINE_BIN" --config "$C" -q fetch
is "$?" 0 "restore: a first run over the empty folder exits 0"
sqlite3 "$B" ".backup $WORK/pristine.db"
seed_folder Frest "$WORK"/m/*.eml >/dev/null
fetch_at after-commit:2 "sqlite3 '$B' '.restore $WORK/pristine.db'"
is "$RC" 75 "restored in place: fetch exits 75"
like "$ERR" "lacks 4 of the 4 messages" "restored in place: the rows are missing at the path"
is "$(folder_count Frest)" 8 "restored in place: only the first batch was deleted"
"$TIPLINE_FAULTS_BIN" --config "$C" -q fetch
is "$?" 0 "restored in place: the next run exits 0"
is "$(folder_count Frest)" 0 "restored in place: then the server is empty"
is "$(sqlite3 "$B" 'SELECT count(*), count(DISTINCT content_hash) FROM submission')" "8|8" \
	"restored in place: the 8 messages left on the server stored once each"
exit $_failed
