#!/bin/sh
# A damaged database or stored original is said, never passed over
# (issue 9 section 3, Corruption):
# - doctor runs SQLite's quick_check, bounded by --check-time, and fails 65
#   on a damaged page or a damaged file header, which list also names;
# - every read of an original (show --raw, export, reparse) checks it
#   against its content hash (CRLF folded, trailing newlines dropped) and
#   fails 65 naming the submission when the bytes changed on disk.
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] ||
	skip_all "dovecot is not installed"
plan 33
dovecot_start || { echo "Bail out! dovecot fixture did not start"; exit 1; }
echo 'max_message_size = 20k' >> "$CONF"

# Messages of our own; the X-Fixture header is kept only in the original,
# so its bytes in the database file are the raw row's.
msg() {	# FILE MARKER SUBJECT [crlf]
	printf 'From: Nguyễn Văn A <reader.a@example.org>\nTo: tips@example.net\nSubject: %s\nX-Fixture: %s\nDate: Mon, 03 Jun 2024 08:15:00 +0700\nMessage-ID: <%s.id@example.org>\n\nNội dung tin %s.\n\n\n' \
		"$3" "$2" "$(basename "$1" .eml)" "$3" > "$1"
	[ "${4:-}" = crlf ] && sed -i 's/$/\r/' "$1"
}
msg "$WORK/a.eml" RAWONLY-a1 "Tin một"
msg "$WORK/b.eml" RAWONLY-b2 "Tin hai" crlf
tl import "$WORK/a.eml" "$WORK/b.eml" 2>/dev/null
is "$?" 0 "two originals imported (one with CRLF and trailing blank lines)"

# Fetched ones too: CRLF from IMAP, hashed while spooled; a header-only
# too_large entry carries a salted hash.
seed "$FIX/fetch/01-tip-vi.eml" "$FIX/fetch/05-too-deep.eml" \
	"$FIX/fetch/06-big.eml"
tl -q fetch; is "$?" 0 "fetch: a tip, a quarantined and a too_large message"
bad=0
for id in 1 2 3 4 5; do
	tl show "$id" --raw > "$WORK/raw$id" 2>>"$WORK/rawerr" || bad=$((bad + 1))
done
is "$bad" 0 "every intact original reads back: imported, fetched, quarantined, too_large"
cmp -s "$WORK/raw2" "$WORK/b.eml"; is "$?" 0 "and byte-exact (CRLF kept)"

# show --headers reads the original of the submission asked for, also
# after one stored in several raw rows (over 256 KiB), through the same
# checked path.
{ printf 'From: Big <big@example.org>\nSubject: big one\nMessage-ID: <big.id@example.org>\n\n'
  head -c 400000 /dev/zero | tr '\0' 'x' | fold -w 76; echo; } > "$WORK/big.eml"
msg "$WORK/c.eml" RAWONLY-c3 "Tin ba"
tl import "$WORK/big.eml" "$WORK/c.eml" 2>/dev/null
tl show 7 --headers > "$WORK/h7" 2>&1
like "$(cat "$WORK/h7")" "^X-Fixture: RAWONLY-c3" "show --headers after a message of several raw rows: its own headers"

tl doctor > "$WORK/doc0" 2>&1; is "$?" 0 "doctor on a sound database: exit 0"
like "$(cat "$WORK/doc0")" "^database: .*: ok \(schema [0-9]+, quick_check ok in [0-9]+ ms\)" \
	"doctor says quick_check ran and passed"
tl doctor --check-time 0 > "$WORK/doc0b" 2>&1; is "$?" 0 \
	"doctor --check-time 0: a check cut short is not a failure"
like "$(cat "$WORK/doc0b")" "quick_check NOT FINISHED: cut short after" \
	"but it says the check was cut short"

# Damage the original of #1 on disk: same length, other bytes (after a
# checkpoint, so that the file holds the only copy of its page).
sql 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
cp "$DB" "$WORK/good.db"
python3 - "$DB" <<'EOF'
import sys
p = sys.argv[1]
b = open(p, 'rb').read()
assert b.count(b'RAWONLY-a1') == 1, b.count(b'RAWONLY-a1')
open(p, 'r+b').write(b.replace(b'RAWONLY-a1', b'RAWBAD!-a1'))
EOF
is "$?" 0 "the marker of #1 occurs once in the file and is overwritten"
tl show 1 --raw > "$WORK/out1" 2>"$WORK/err1"; is "$?" 65 "show --raw of a damaged original: 65"
like "$(cat "$WORK/err1")" "#1: the stored original is damaged" \
	"and stderr names the submission and the damage"
tl show 2 --raw > "$WORK/out2" 2>/dev/null; is "$?" 0 "another original still reads: 0"
cmp -s "$WORK/out2" "$WORK/b.eml"; is "$?" 0 "byte-exact"
mkdir "$WORK/x"
tl export 1 --to "$WORK/x" > /dev/null 2>"$WORK/err3"; is "$?" 65 "export of a damaged original: 65"
like "$(cat "$WORK/err3")" "#1: the stored original is damaged" "and it says so"
tl export 2 --to "$WORK/x" > /dev/null 2>&1; is "$?" 0 "export of an intact one: 0"
tl show 1 --headers > /dev/null 2>"$WORK/err8"; is "$?" 65 "show --headers of a damaged original: 65"
like "$(cat "$WORK/err8")" "#1: the stored original is damaged" "and it says so"
tl reparse 1 > /dev/null 2>"$WORK/err4"; is "$?" 65 "reparse of a damaged original: 65"
like "$(cat "$WORK/err4")" "#1: .*the stored original is damaged" "and it says so"
is "$(tl show 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["subject"])')" \
	"Tin một" "the parsed submission is left as it was"
tl doctor > /dev/null 2>&1; is "$?" 0 \
	"quick_check cannot see inside a row: doctor stays 0 (the hash check is per read)"

# A damaged b-tree page: doctor's quick_check finds it.
cp "$WORK/good.db" "$DB"
root=$(sql "SELECT rootpage FROM sqlite_master WHERE name = 'audit'")
psize=$(sql 'PRAGMA page_size')
printf '\015\000\000\000\005\017\377' | dd of="$DB" bs=1 \
	seek=$(( (root - 1) * psize )) conv=notrunc 2>/dev/null
tl doctor > "$WORK/doc1" 2>&1; is "$?" 65 "doctor on a damaged page: 65"
like "$(cat "$WORK/doc1")" "^database: .*PROBLEM: damaged: quick_check found [0-9]+ problem\(s\), the first: .*page $root" \
	"and names quick_check's first finding"
like "$(cat "$WORK/doc1")" "problems found" "and sums up"

# A damaged file header: "file is not a database" for every command.
cp "$WORK/good.db" "$DB"
printf 'not a database!!' | dd of="$DB" bs=1 seek=0 conv=notrunc 2>/dev/null
tl list > /dev/null 2>"$WORK/err5"; is "$?" 65 "list on a damaged header: 65, not 70"
like "$(cat "$WORK/err5")" "database .*tipline.db is damaged \(file is not a database" \
	"list says the database is damaged"
tl list --json > "$WORK/out6" 2>/dev/null; is "$?" 65 "list --json: 65 too"
is "$(cat "$WORK/out6")" "" "and prints no JSON"
tl doctor > "$WORK/doc2" 2>&1; is "$?" 65 "doctor on a damaged header: 65, not 'database: ok'"
like "$(cat "$WORK/doc2")" "^database: PROBLEM: the database .* is damaged" \
	"doctor says so"
tl -q fetch 2>"$WORK/err7"; is "$?" 65 "fetch on a damaged header: 65"
