#!/bin/sh
# 90-search-flags.t - issue 10 items 1 and 3, found in the editor trial
# (docs/dev/editor-trial.md): a search result row carries the same marks
# as the list row of the same submission.  The default (relevance) search
# read its rows without the flags that list adds, so an exe disguised as a
# PDF, a GPS photo or a probable duplicate showed no mark, the ATT column
# said "-" for a mail with an attachment, and --json said has_danger
# false, unseen false and received_utc null.
. "$(dirname "$0")/lib.sh"
export TZ=Asia/Ho_Chi_Minh
M=$WORK/mail
python3 "$FIX/desk10/gen.py" "$M"
plan 9

tl -q import "$M"/4-exe.eml "$M"/5-dup1.eml "$M"/6-dup2.eml
EXE=$(sql "SELECT id FROM submission WHERE message_id LIKE 't10-exe@%'")
DUP=$(tj '.[] | select(.duplicate_of != null) | .id' list --all --flat)
ORIG=$(tj '.[] | select(.duplicate_of != null) | .duplicate_of' \
	list --all --flat)
j() {
	python3 -c '
import json, sys
for x in json.load(sys.stdin):
    print(x["id"], x["has_danger"], x["unseen"], x["received_utc"] is not None,
          x["duplicate_of"], x["attachment_count"])'
}
is "$(tl search hóa đơn --json | j)" "$EXE True True True None 1" \
	"search --json: the exe is dangerous, unseen, has an arrival time"
is "$(tl search hoa don --sort date --json | j)" \
	"$(tl search hóa đơn --json | j)" "...the same by relevance and by date"
like "$(tl search hoa don | grep -E "^ *$EXE  ")" " 1 X +Hóa đơn" \
	"the text row counts the attachment and marks it X"
is "$(tl search rác --json | j | sort)" \
	"$(printf '%s\n' "$ORIG False True True None 0" \
	"$DUP False True True $ORIG 0" | sort)" \
	"search --json: the probable duplicate is named"
like "$(tl search rác | grep -E "^ *$DUP  ")" "- =.*\[same as #$ORIG\?\]" \
	"the text row marks the duplicate"
tl seen "$EXE" >/dev/null 2>&1
is "$(tl search hoa don --json | j)" "$EXE True False True None 1" \
	"search --json: seen after tipline seen"

# A GPS photo in a follow-up: the thread root's search row carries it.
tl -q import "$M"/1-root.eml "$M"/8-followup.eml
ROOT=$(sql "SELECT id FROM submission WHERE message_id LIKE 't10-root@%'")
like "$(tl list | grep -E "^ *$ROOT  ")" " 1 !  " "list: the root row has the photo"
like "$(tl search phường 5 | grep -E "^ *$ROOT  ")" " 1 !  " \
	"search: so has its search row"
is "$(tl search phuong 5 --json | python3 -c '
import json, sys
print([x["thread"]["has_gps"] for x in json.load(sys.stdin)
       if x["thread"] is not None])')" "[True]" \
	"search --json: the thread object has the GPS flag"
