#!/bin/sh
# 217-sort-key-collator.t - the sort keys know the ICU collator that made
# them (table sort_key_collator): a tipline whose collator is newer makes
# every key again at its next read-write open, one whose collator is
# older leaves them (hosts with two ICUs must not remake them back and
# forth), a queue from before the table adopts this collator without
# remaking a million keys, `copy` carries the source's version so the
# destination remakes what an older collator made; doctor counts the
# submissions without keys and names the collator, and `reparse
# --sort-keys` mends them.  On PostgreSQL too (pg.list).
. "$(dirname "$0")/lib.sh"
plan 21

for i in 1 2 3 4; do
	printf 'From: %s\nTo: tips@example.org\nSubject: Tin %s\nMessage-ID: <skc-%s@example.org>\nDate: Mon, 3 Jun 2024 10:0%s:00 +0700\nContent-Type: text/plain; charset=utf-8\n\nTin so %s.\n' \
		"$(case $i in 1) echo 'Nguyễn Văn A <reader.a@example.org>';;
		2) echo 'Đặng Thị C <reader.c@example.org>';;
		3) echo 'Dương Văn D <reader.d@example.org>';;
		4) echo 'Ông Văn E <reader.e@example.org>';; esac)" \
		"$i" "$i" "$i" "$i" > "$WORK/$i.eml"
done
tl -q import "$WORK"/[1-4].eml; is "$?" 0 "import four senders"

# What ICU calls this host's collator, as the database records it.
HERE=$(sql "SELECT max(version) FROM sort_key_collator")
like "$HERE" '^[1-9][0-9]*$' "the keys' collator version is recorded"
# ICU's text of it: four bytes, trailing zero fields past the second
# dropped (u_versionToString).
VTEXT=$(printf '%d.%d.%d.%d' $((HERE >> 24)) $(((HERE >> 16) & 255)) \
	$(((HERE >> 8) & 255)) $((HERE & 255)) | sed -e 's/\.0$//' \
	-e 's/^\([0-9]*\.[0-9]*\.[0-9]*\)\.0$/\1/')
tl doctor > "$WORK/doc1" 2>&1
like "$(grep '^sort keys:' "$WORK/doc1")" "ok, ICU collator $VTEXT\$" \
	"doctor names the collator: $VTEXT"

ids() { tj '[.[].id] | join(",")' list --all --flat --sort sender; }
ORDER=$(ids)
is "$ORDER" "3,2,1,4" "ICU vi order (Dương, Đặng, Nguyễn, Ông)"
# damage: give submission 4 (last in order) a key that sorts first.
damage() {
	if on_pg; then sql "UPDATE sort_key SET sender = '\\x00'::bytea
		WHERE submission_id = 4" >/dev/null
	else sql "UPDATE sort_key SET sender = x'00'
		WHERE submission_id = 4"; fi
}
# setv VERSION: the keys as made by another ICU library, whose collator
# is VERSION.
setv() { sql "DELETE FROM sort_key_collator" >/dev/null
	sql "INSERT INTO sort_key_collator(icu, version, made_utc) VALUES
		('1.0', $1, '2026-01-01T00:00:00Z')" >/dev/null; }

# Keys made by an older collator: the next read-write open remakes them.
damage
is "$(ids)" "4,3,2,1" "a damaged key moves its row (the keys drive the order)"
setv 1
tl doctor > "$WORK/doc2" 2>&1
like "$(grep '^sort keys:' "$WORK/doc2")" "older ICU collator .0\\.0\\.0\\.1. than this host's" \
	"doctor: keys of an older collator are made again by the next fetch"
tl seen 1 >/dev/null 2>&1
is "$(ids)" "$ORDER" "an older collator's keys are all made again"
is "$(sql "SELECT max(version) FROM sort_key_collator")" "$HERE" \
	"...and this collator recorded"

# Keys made by a newer collator than this host's: left as they are.
damage; setv 4294967295
tl seen 2 >/dev/null 2>&1
is "$(ids)" "4,3,2,1" "a newer collator's keys are not remade by an older one"
is "$(sql "SELECT max(version) FROM sort_key_collator")" 4294967295 \
	"...and its version stays"
tl doctor > "$WORK/doc3" 2>&1
like "$(grep '^sort keys:' "$WORK/doc3")" "255\\.255\\.255\\.255; this host's is older" \
	"doctor says this host's collator is older"

# A queue from before sort_key_collator: its keys are adopted, not all
# made again (a million take 10-20 s).
sql "DROP TABLE sort_key_collator" >/dev/null
tl seen 3 >/dev/null 2>&1
is "$(sql "SELECT max(version) FROM sort_key_collator")" "$HERE" \
	"an upgrade records this collator"
is "$(ids)" "4,3,2,1" "...and keeps the keys it found"

# An ICU library with its row opens no collator (a fetch must not load
# ICU's collation data): its row is trusted even when it names an older
# collator than this one; without its row the open compares them.
sql "UPDATE sort_key_collator SET version = 1" >/dev/null
tl seen 4 >/dev/null 2>&1
is "$(ids)" "4,3,2,1" "a library with its row does not look at the keys again"
sql "DELETE FROM sort_key_collator" >/dev/null
sql "INSERT INTO sort_key_collator(icu, version, made_utc) VALUES ('1.0', 1,
	'2026-01-01T00:00:00Z')" >/dev/null
tl seen 4 >/dev/null 2>&1
is "$(ids)" "$ORDER" "without its row the open compares, and remakes them"

# A submission without keys (an older tipline added it while a newer
# one ran): doctor fails 65 and names the mend, which makes it.
sql "DELETE FROM sort_key WHERE submission_id = 2" >/dev/null
# (doctor's own exit is the worst of its lines: 78 here, for the test
# configuration's missing mailbox.)
tl doctor > "$WORK/doc4" 2>&1
like "$(grep '^sort keys:' "$WORK/doc4")" "PROBLEM: 1 submission.s. without keys.*reparse --sort-keys" \
	"doctor counts a submission without keys and names the mend"
like "$(grep '^sort keys:' "$WORK/doc4")" "exit 65.\$" "...a data problem (65)"
tl reparse --sort-keys > "$WORK/rep" 2>&1; is "$?" 0 "reparse --sort-keys"
like "$(cat "$WORK/rep")" "sort keys made for 1 submission" "...makes one"
tl doctor > "$WORK/doc5" 2>&1
like "$(grep '^sort keys:' "$WORK/doc5")" "^sort keys: ok," "doctor is content again"

# copy: the destination takes the source's version, so that keys of an
# older collator are made again there (the damaged one is mended).
setv 1
tl copy --to "$WORK/copy.db" >/dev/null 2>&1
is "$(TIPLINE_DB=$WORK/copy.db "$TIPLINE_BIN" list --all --flat \
	--sort sender --json | jq -r '[.[].id] | join(",")'),$(sqlite3 \
	"$WORK/copy.db" "SELECT max(version) FROM sort_key_collator")" \
	"$ORDER,$HERE" "copy: an older source collator's keys are remade"
