#!/bin/sh
# 222-import-sort-keys-chunks.t - a long import makes its sort keys a
# chunk at a time, after the commit that completes each chunk, not all
# at its close: a million at the close held SQLite's write lock about
# 15 s in one transaction, past the 10 s an editor's `approve` waits
# before exit 75.  The test build's TIPLINE_KEYS_CHUNK makes a chunk 100
# submissions here (10,000 in a real build); the import commits every
# 200 messages (or 0.5 s), so 450 messages need at least two chunks
# before the close.
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
sqlite_only
[ -x "$TIPLINE_FAULTS_BIN" ] ||
	skip_all "no $TIPLINE_FAULTS_BIN (make build/tipline-faults)"
plan 6

gen_msgs "$WORK/in" chunk 450 1
q() { sqlite3 "$DB" "$1"; }

# At the first key chunk's commit, a second connection counts what the
# import has committed so far: the close alone would find all 450.
cat > "$WORK/count.sh" <<SH
#!/bin/sh
sqlite3 "$DB" 'SELECT count(*) FROM submission' > "$WORK/at-first"
SH
chmod +x "$WORK/count.sh"
TIPLINE_KEYS_CHUNK=100 TIPLINE_FAULT_TRACE=1 \
	TIPLINE_FAULT_RUN_AT=keys-before-commit:1 \
	TIPLINE_FAULT_RUN_CMD="$WORK/count.sh" \
	"$TIPLINE_FAULTS_BIN" --config "$CONF" import "$WORK/in" \
	> /dev/null 2> "$WORK/err"
is "$?" 0 "import 450 messages"
is "$(q 'SELECT count(*) FROM submission')" 450 "...all stored"
n=$(cat "$WORK/at-first" 2>/dev/null || echo none)
[ "$n" -ge 100 ] 2>/dev/null && [ "$n" -lt 450 ]
ok $? "the first keys are made mid-import, with $n of 450 stored"
chunks=$(grep -c 'fault point .*: keys-before-commit' "$WORK/err")
[ "$chunks" -ge 2 ]
ok $? "keys made in $chunks transactions"
is "$(q 'SELECT count(*) FROM submission s WHERE NOT EXISTS (SELECT 1 FROM
	sort_key k WHERE k.submission_id = s.id)')" 0 "every submission keyed"
tl doctor 2>/dev/null | grep '^sort keys:' > "$WORK/doctor"
like "$(cat "$WORK/doctor")" '^sort keys: ok,' "doctor: sort keys ok"
