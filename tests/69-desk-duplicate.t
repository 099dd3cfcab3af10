#!/bin/sh
# 69-desk-duplicate.t - issue 10 item 8: the same tip sent twice a few
# seconds apart with different Message-IDs is flagged as a probable
# duplicate (same address, same normalised text, within 24 h); both are
# kept; another sender's same text is not flagged.
. "$(dirname "$0")/lib.sh"
export TZ=Asia/Ho_Chi_Minh
M=$WORK/mail
python3 "$FIX/desk10/gen.py" "$M"
plan 8

tl -q import "$M"/5-dup1.eml "$M"/6-dup2.eml "$M"/7-same-text-other.eml
D1=$(id_of t10-dup1@example.org)
D2=$(id_of t10-dup2@example.org)
F=$(id_of t10-f@example.org)
is "$(tl list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 3 \
	"both copies are kept"
dup() { tl list --json | python3 -c '
import json, sys
print([x["duplicate_of"] for x in json.load(sys.stdin) if x["id"] == int(sys.argv[1])][0])' "$1"; }
is "$(dup "$D2")" "$D1" "the second copy (case and spaces differ) is a duplicate of the first"
is "$(dup "$D1")" None "the first is not"
is "$(dup "$F")" None "another sender's same text is not"
row=$(tl list | grep -E "^ *$D2  ")
like "$row" " - = +Đổ trộm rác \[same as #$D1\?\]" "list marks it"
like "$(tl show "$D2" | sed -n '/^Warnings:/,/^History:/p')" \
	"! the same text from the same sender as #$D1 within 24 hours" \
	"show warns of it"
# A copy a day and more later is a new tip, not a duplicate.
sed -e 's/t10-dup1@/t10-dup3@/' -e "s/^Date: .*/Date: $(date -R -d '-3 days')/" \
	"$M"/5-dup1.eml >"$WORK/dup3.eml"
tl -q import "$WORK/dup3.eml"
is "$(dup "$(id_of t10-dup3@example.org)")" None "outside 24 hours: not flagged"
is "$(sql "SELECT count(*) FROM text_key")" 4 "every text is keyed"
