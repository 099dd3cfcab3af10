#!/bin/sh
# 42-desk-list.t - `tipline list`: default statuses, filters, Vietnamese
# sort orders (ICU "vi"), columns aligned by display width, threads shown
# once, JSON, colour only on a terminal.
. "$(dirname "$0")/lib.sh"
D=$FIX/desk
export TZ=Asia/Ho_Chi_Minh

plan 29

tl -q import "$D"/*.eml; is "$?" 0 "import the desk fixtures"
total=$(count_all)
is "$total" 16 "16 submissions stored"

# jlist ARGS: "field field ..." of the JSON rows, one line.
jlist() { field=$1; shift; tl list "$@" --json | python3 -c '
import json, sys
print(" ".join(str(r[sys.argv[1]]) for r in json.load(sys.stdin)))' "$field"; }
ROOT=$(id_of desk-orig@example.org)
F1=$(id_of desk-follow1@example.org)
F2=$(id_of desk-follow2@example.org)

# Threads: both follow-ups point at the root (flat), list shows it once.
is "$(tj .parent_id show "$F1") $(tj .parent_id show "$F2")" \
	"$ROOT $ROOT" "both follow-ups are linked to the first"
is "$(jlist id | wc -w)" 14 "list shows a thread once (16 - 2 follow-ups)"
is "$(tl list --json | python3 -c '
import json, sys
r = [x for x in json.load(sys.stdin) if x["id"] == '"$ROOT"'][0]
print(r["follow_up_count"], r["parent_id"])')" "2 None" \
	"the root carries the follow-up count"
is "$(jlist id --flat | wc -w)" 16 "--flat lists every message"
# Out of order (a Maildir imported by file name, a reply fetched first):
# the original adopts the follow-ups that arrived before it.
for f in 07-followup2 06-followup 05-orig; do
	TIPLINE_DB=$WORK/ooo.db tl -q import "$D/$f.eml"
done
is "$(TIPLINE_DB=$WORK/ooo.db tj 'sort_by(.id) |
	map(.parent_id // "-" | tostring) | join(",")' list --all --flat)" \
	"3,3,-" \
	"follow-ups stored before their original are linked to it"
is "$(TIPLINE_DB=$WORK/ooo.db tl list --json | python3 -c '
import json, sys; r = json.load(sys.stdin)
print(len(r), r[0]["id"], r[0]["follow_up_count"])')" "1 3 2" \
	"...and listed as one thread"
# A follow-up whose root is not listed still reaches the editor.
tl -q approve "$ROOT" >/dev/null
is "$(jlist id | tr ' ' '\n' | grep -cx -e "$F1" -e "$F2")" 2 \
	"follow-ups of an approved root are listed on their own"
tl show "$ROOT" >"$WORK/show"
like "$(grep '^Thread' "$WORK/show")" "follow-ups: #$F1 #$F2" \
	"show lists the follow-ups"
like "$(tl show "$F2" | grep '^Thread')" "follow-up of #$ROOT" \
	"show names the thread root"
tl -q reopen "$ROOT" >/dev/null

# Default statuses: new, quarantined, too_large.
sql "UPDATE submission SET status = 'spam' WHERE id = $(id_of desk02@example.org)"
is "$(jlist id | wc -w)" 13 "spam is not in the default list"
is "$(jlist status --status spam)" "spam" "--status spam"
is "$(jlist id --status spam,new --flat | wc -w)" 16 "--status takes a comma list"
is "$(jlist id --status spam --status new --flat | wc -w)" 16 \
	"--status is repeatable"
is "$(jlist id --all --flat | wc -w)" 16 "--all"
tl list --status bogus >/dev/null 2>&1; is "$?" 64 "unknown status: usage error"
tl list --sort bogus >/dev/null 2>&1; is "$?" 64 "unknown sort key: usage error"
tl list --since yesterday >/dev/null 2>&1; is "$?" 64 "bad date: usage error"

# Filters.
is "$(jlist from_name --from 'dang thi' --all)" "Đặng Thị K" \
	"--from matches without diacritics (NFD sender stored NFC)"
is "$(jlist id --has-attachments --all | wc -w)" 2 "--has-attachments"
# list's --since/--until compare arrival times (issue 10): let the
# fixtures arrive when they say they were sent.
sql "UPDATE submission SET received_utc = queue_utc"
is "$(jlist id --all --flat --since 2024-06-08 --until 2024-06-08 | wc -w)" 3 \
	"--since/--until take local days (Asia/Ho_Chi_Minh)"
is "$(jlist id --all --flat --limit 3 --offset 1)" \
	"$(jlist id --all --flat | cut -d' ' -f2-4)" "--limit/--offset"

# Vietnamese order (CLDR via ICU): a < ă < â, d < đ, o < ô < ơ.
is "$(tl list --all --flat --sort sender --json | python3 -c '
import json, sys
print(",".join(r["from_name"].split()[0] for r in json.load(sys.stdin)
	if r["from_addr"].startswith("sort.")))')" \
	"An,Ăn,Ân,Bùi,Đinh,Ông,Ơn,Zanh" "--sort sender follows Vietnamese order"
is "$(tl list --all --flat --sort given-name --json | python3 -c '
import json, sys
print("".join(r["from_name"].split()[-1] for r in json.load(sys.stdin)))')" \
	"AAABDKLMPQUVWXYZ" "--sort given-name orders by the last word"

# Columns: the subject column starts at the same display column on every
# row, whatever the names' diacritics (perl counts columns: marks 0).
tl list --all --flat > "$WORK/table"
cols=$(perl -CSD -ne '
	next if $. == 1;
	/^(.*?\s\s+(?:-|\d+) [ !XQ=]{4} )/ or next;	# up to the subject
	my $p = $1; $p =~ s/\p{Mn}//g;
	my $w = length($p) + (() = $p =~ /[\p{Ea=W}\p{Ea=F}]/g);
	print "$w\n";' "$WORK/table" | sort -u | wc -l)
is "$cols" 1 "columns are aligned by display width"
# No colour when stdout is not a terminal.
grep -q "$(printf '\033')" "$WORK/table"; is "$?" 1 "no escape codes in a pipe"
if command -v script >/dev/null 2>&1; then
	# script(1) gives tipline a terminal.
	env -u NO_COLOR TERM=xterm PAGER=cat script -qec "$TIPLINE_BIN --config $CONF list" /dev/null >"$WORK/tty"
	grep -q "$(printf '\033')" "$WORK/tty"; ok $? "colour on a terminal"
	NO_COLOR=1 PAGER=cat TERM=xterm script -qec "$TIPLINE_BIN --config $CONF list" /dev/null \
		>"$WORK/tty"
	grep -q "$(printf '\033')" "$WORK/tty"; is "$?" 1 "no colour with NO_COLOR"
else
	ok 0 "# SKIP script(1) not installed"
	ok 0 "# SKIP script(1) not installed"
fi
