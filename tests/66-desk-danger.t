#!/bin/sh
# 66-desk-danger.t - issue 10 item 3: a dangerous attachment (an exe
# disguised as a PDF) is marked in list (text and JSON) as GPS is, and
# export holds it back unless --include-dangerous, saying so in its
# output and the audit, exit 0.
. "$(dirname "$0")/lib.sh"
export TZ=Asia/Ho_Chi_Minh
M=$WORK/mail
python3 "$FIX/desk10/gen.py" "$M"
plan 10

tl -q import "$M"/4-exe.eml "$M"/2-other.eml
EXE=$(sql "SELECT id FROM submission WHERE message_id = 't10-exe@example.net'")
is "$(tl list --json | python3 -c '
import json, sys
print(sorted((x["id"], x["has_danger"]) for x in json.load(sys.stdin)))')" \
	"[(1, True), (2, False)]" "list --json: has_danger"
like "$(tl list | grep -E "^ *$EXE  ")" " 1 X +Hóa đơn" "the text row marks it X"
mkdir "$WORK/out"
tl export "$EXE" --to "$WORK/out" >"$WORK/log" 2>"$WORK/err"
is "$?" 0 "export with a dangerous file exits 0"
dir=$(head -1 "$WORK/log")
is "$(ls -A "$dir/attachments" 2>/dev/null | wc -l)" 0 "the exe was not written"
like "$(cat "$WORK/log")" "held back: hoa-don.exe.pdf \(dangerous: " \
	"the output names what was held back"
like "$(cat "$WORK/err")" "tipline export: warning: #$EXE: hoa-don.exe.pdf held back" \
	"...with a warning"
like "$(tj '.[] | select(.action == "export") | .note' audit)" \
	"held back as dangerous: hoa-don.exe.pdf" "...and the audit says so"
tl export "$EXE" --to "$WORK/out" --include-dangerous >"$WORK/log2" 2>/dev/null
is "$?" 0 "export --include-dangerous exits 0"
dir2=$(head -1 "$WORK/log2")
is "$(ls -A "$dir2/attachments")" "hoa-don.exe.pdf" "...and writes it"
like "$(tj '[.[] | select(.action == "export")] | last | .note' audit)" \
	"dangerous files included" "...on record"
