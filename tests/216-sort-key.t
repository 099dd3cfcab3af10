#!/bin/sh
# 216-sort-key.t - list by sender and by given name reads the sort keys
# tipline makes (table sort_key, lib/store/sort-key.c) instead of
# collating the queue: the order is ICU "vi" where it differs from byte
# order, a 10,000-character sender is keyed and listed, the keys drive
# the order (a damaged key moves its row), an upgrade of a queue without
# the table makes them all, a queue an older tipline added rows to gets
# theirs, and reparse and copy write them.  On PostgreSQL too (pg.list).
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
plan 21

# mail N FROM-HEADER: a message file $WORK/N.eml (no From header when
# FROM-HEADER is empty).
mail() {
	{
		[ -n "$2" ] && printf 'From: %s\n' "$2"
		printf 'To: tips@example.org\nSubject: Tin %s\n' "$1"
		printf 'Message-ID: <sk-%s@example.org>\n' "$1"
		printf 'Date: Mon, 3 Jun 2024 10:0%s:00 +0700\n' "$1"
		printf 'Content-Type: text/plain; charset=utf-8\n\nTin so %s.\n' \
			"$1"
	} > "$WORK/$1.eml"
}
# Byte order and ICU's differ: Đ after D, lower case next to upper, Ô
# before P, an address after the names before it.
mail 1 'Nguyễn Văn A <reader.a@example.org>'
mail 2 'nguyễn văn b <reader.b@example.org>'
mail 3 'Đặng Thị C <reader.c@example.org>'
mail 4 'Dương Văn D <reader.d@example.org>'
mail 5 'Ông Văn E <reader.e@example.org>'
mail 6 'reader.f@example.org'
mail 7 '"" <reader.g@example.org>'
mail 8 ''
mail 9 'Zanh Bùi <reader.i@example.org>'
tl -q import "$WORK"/[1-9].eml; is "$?" 0 "import nine senders"

# by SORT [ARGS]: the senders in list order, "name|address" joined by ",".
by() {
	_s=$1; shift
	tj '[.[] | "\(.from_name // "")|\(.from_addr // "")"] | join(",")' \
		list --all --flat --sort "$_s" "$@"
}
A='Nguyễn Văn A|reader.a@example.org' B='nguyễn văn b|reader.b@example.org'
C='Đặng Thị C|reader.c@example.org' D='Dương Văn D|reader.d@example.org'
E='Ông Văn E|reader.e@example.org' F='|reader.f@example.org'
G='|reader.g@example.org' H='|' I='Zanh Bùi|reader.i@example.org'
SENDER="$H,$D,$C,$A,$B,$E,$F,$G,$I"
GIVEN="$H,$A,$B,$I,$C,$D,$E,$F,$G"
rev() { printf '%s\n' "$1" | tr ',' '\n' | tac | paste -sd,; }
is "$(by sender)" "$SENDER" "--sort sender: ICU vi order, not bytes"
is "$(by sender --reverse)" "$(rev "$SENDER")" "--sort sender --reverse"
is "$(by given-name)" "$GIVEN" "--sort given-name: by the last word"
is "$(by given-name --reverse)" "$(rev "$GIVEN")" \
	"--sort given-name --reverse"
is "$(tj '[.[].id] | join(",")' list --all --flat --sort sender --limit 3 \
	--offset 2)" \
	"$(tj '[.[].id] | join(",")' list --all --flat --sort sender |
	cut -d, -f3-5)" "pages of the sender order: --limit, --offset"
is "$(sql "SELECT count(*) FROM sort_key")" 9 "every submission has keys"

# The keys drive the order: a damaged key moves its row to the front.
NA=$(id_of sk-1@example.org)
sql "UPDATE sort_key SET sender = '\\x00'::bytea, given = '\\x00'::bytea
	WHERE submission_id = $NA" >/dev/null 2>&1 ||
	sql "UPDATE sort_key SET sender = x'00', given = x'00'
	WHERE submission_id = $NA"
is "$(by sender | cut -d, -f1)" "$A" "list orders by the stored keys"
tl -q reparse "$NA" 2>/dev/null
is "$(by sender)" "$SENDER" "reparse writes the keys again"

# A hostile sender: 10,000 characters in one word (encoded-words, RFC
# 2047, glued), keyed from its first 200 and listed on both backends.
python3 - "$WORK/10.eml" <<'EOF'
import base64, sys
word = "=?UTF-8?B?" + base64.b64encode(("Ằ" * 20).encode()).decode() + "?="
with open(sys.argv[1], "w") as f:
    f.write("From: " + "\n ".join([word] * 500) + " <reader.h@example.org>\n"
            "To: tips@example.org\nSubject: Tin 10\n"
            "Message-ID: <sk-10@example.org>\n\nTin so 10.\n")
EOF
tl -q import "$WORK/10.eml"; is "$?" 0 "a 10,000-character sender is stored"
LONG=$(id_of sk-10@example.org)
is "$(tj .from_name show "$LONG" | python3 -c \
	'import sys; print(len(sys.stdin.read().rstrip("\n")))')" 10000 \
	"...whole"
is "$(tj '[.[].id] | index('"$LONG"')' list --all --flat --sort sender)" 1 \
	"...and sorted by sender after the empty one (Ằ before D)"
is "$(tj '[.[].id] | index('"$LONG"')' list --all --flat \
	--sort given-name)" 2 "...and by given name after A"

# An older tipline's rows: the keys of the newest submission are gone,
# and the next read-write open makes them again.
sql "DELETE FROM sort_key WHERE submission_id = $LONG" >/dev/null
tl seen "$NA" >/dev/null 2>&1
is "$(sql "SELECT count(*) FROM sort_key WHERE submission_id = $LONG")" 1 \
	"a read-write open keys the rows added without keys"

# A queue from before sort_key: the upgrade makes every key.
KEYED=$(by sender)
sql "DROP TABLE sort_key" >/dev/null
if on_pg; then
	ok 0 "# skip every open upgrades on PostgreSQL"
	tl list --all >/dev/null 2>&1
else
	is "$(by sender)" "$KEYED" \
		"a read-only open of a queue without keys sorts by collating"
	tl seen "$NA" >/dev/null 2>&1
fi
is "$(sql "SELECT count(*) FROM sort_key")" 10 \
	"the upgrade makes the keys of every submission"
is "$(by sender)" "$KEYED" "...in the same order"

# Copy: the keys travel, and a source without them (an older queue,
# opened read-only and so never upgraded) gets them in the destination.
tl copy --to "$WORK/copy.db" >/dev/null 2>&1
is "$(TIPLINE_DB=$WORK/copy.db "$TIPLINE_BIN" list --all --flat \
	--sort given-name --json | jq -r '[.[].id] | join(",")')" \
	"$(tj '[.[].id] | join(",")' list --all --flat --sort given-name)" \
	"copy: the destination orders as the source"
if on_pg; then
	ok 0 "# skip a PostgreSQL source is upgraded by any open"
else
	sqlite3 "$DB" "DROP TABLE sort_key"
	tl copy --to "$WORK/copy2.db" >/dev/null 2>&1
	is "$(sqlite3 "$WORK/copy2.db" "SELECT count(*) FROM sort_key")" 10 \
		"copy from a queue without keys makes them"
fi

# Names ICU calls equal (a soft hyphen is ignorable) order by their
# bytes, whether a list walks the keys (--all) or collates the few
# waiting rows: "Lê An" (6C...41 6E) before "Lê A\u00adn" (41 C2 AD 6E),
# though the latter came first.  Before, the collated list put them in
# id order and the two lists disagreed.
W=$WORK/tie
mkdir -p "$W"
printf 'From: =?utf-8?b?%s?= <reader.j@example.org>\nTo: tips@example.org\nSubject: tie 1\nMessage-ID: <sk-tie-1@example.org>\nDate: Mon, 3 Jun 2024 11:00:00 +0700\nContent-Type: text/plain; charset=utf-8\n\nmot\n' \
	"$(printf 'Lê A\302\255n' | base64 | tr -d '\n')" > "$W/1.eml"
printf 'From: =?utf-8?b?%s?= <reader.k@example.org>\nTo: tips@example.org\nSubject: tie 2\nMessage-ID: <sk-tie-2@example.org>\nDate: Mon, 3 Jun 2024 11:01:00 +0700\nContent-Type: text/plain; charset=utf-8\n\nhai\n' \
	"$(printf 'Lê An' | base64 | tr -d '\n')" > "$W/2.eml"
tl -q import "$W/1.eml" "$W/2.eml"
ties() {
	tj '[.[] | select(.from_addr == "reader.j@example.org" or
	    .from_addr == "reader.k@example.org") | .from_addr] | join(",")' \
		list --flat --sort sender "$@"
}
is "$(ties --all)" "reader.k@example.org,reader.j@example.org" \
	"ICU-equal names by bytes over the keys (--all)"
is "$(ties)" "$(ties --all)" "...and the same when collating the waiting rows"
