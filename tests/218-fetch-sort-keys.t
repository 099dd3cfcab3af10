#!/bin/sh
# 218-fetch-sort-keys.t - a fetch makes the desk's sort keys of what it
# stored when it closes, not message by message: making a key opens
# ICU's collator, whose 2 MB of collation data then stayed in memory
# beside every message the fetch parsed (workload C's peak RSS went from
# 24.1 to 25.6 MiB).  Until the keys are there, `list --all --sort
# sender` collates, so that no submission is left out of it; a fetch
# killed before its close leaves rows without keys, which the next
# read-write open makes.  (SQLite: on PostgreSQL several fetchers write
# keys at once, and each makes its own as it stores.)
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
sqlite_only
dovecot_need
plan 8

mkdir -p "$WORK/m"
tip_mail "$WORK/m/1.eml" 'Ông Văn E <reader.e@example.org>' 1 fsk
tip_mail "$WORK/m/2.eml" 'Đặng Thị C <reader.c@example.org>' 2 fsk
tip_mail "$WORK/m/3.eml" 'Dương Văn D <reader.d@example.org>' 3 fsk
seed_folder Fsk "$WORK"/m/*.eml > /dev/null
C=$WORK/sk.conf B=$WORK/sk.db
new_conf "$C" "$B"
mailbox_conf "$C" test Fsk
q() { sqlite3 "$B" "$1"; }
ids() {
	"$TIPLINE_BIN" --config "$C" list --all --flat --sort sender --json |
		jq -r '[.[].id] | join(",")'
}

"$TIPLINE_BIN" --config "$C" fetch > /dev/null 2> "$WORK/err"
is "$?" 0 "fetch three senders"
is "$(q 'SELECT count(*) FROM sort_key')" 3 "the fetch made every key"
is "$(q 'SELECT count(*) FROM sort_key_collator')" 1 \
	"...and recorded its ICU library"
is "$(ids)" "3,2,1" "ICU vi order: Dương, Đặng, Ông"

# A fetch killed after its commits but before its close: the newest two
# rows have no keys.  The desk collates instead of leaving them out.
q 'DELETE FROM sort_key WHERE submission_id > 1'
is "$(ids)" "3,2,1" "rows without keys are still listed, in order"
is "$("$TIPLINE_BIN" --config "$C" list --all --flat --sort given-name \
	--json | jq length)" 3 "...by given name too"

# The next run's open makes them.
"$TIPLINE_BIN" --config "$C" fetch > /dev/null 2>> "$WORK/err"
is "$?" 0 "the next poll exits 0"
is "$(q 'SELECT count(*) FROM sort_key')" 3 "...and made the missing keys"
