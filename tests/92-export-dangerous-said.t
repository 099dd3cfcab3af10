#!/bin/sh
# 92-export-dangerous-said.t - issue 10 item 3 ("export must warn about,
# and by default hold back"), found in the editor trial
# (docs/dev/editor-trial.md): `export --include-dangerous` wrote the exe
# disguised as a PDF with no word on stdout or stderr; only the audit
# said "dangerous files included".  It now says it as it does when it
# holds the file back, and still exits 0.
. "$(dirname "$0")/lib.sh"
export TZ=Asia/Ho_Chi_Minh
M=$WORK/mail
python3 "$FIX/desk10/gen.py" "$M"
plan 6

tl -q import "$M"/4-exe.eml
EXE=$(sql "SELECT id FROM submission WHERE message_id LIKE 't10-exe@%'")
mkdir "$WORK/out"
tl export "$EXE" --to "$WORK/out" --include-dangerous >"$WORK/log" 2>"$WORK/err"
is "$?" 0 "export --include-dangerous exits 0"
like "$(grep -A1 'attachments/hoa-don.exe.pdf$' "$WORK/log" | tail -1)" \
	"^    ! dangerous: Windows executable" \
	"stdout marks the written file dangerous"
like "$(cat "$WORK/err")" \
	"^tipline export: warning: #$EXE: hoa-don.exe.pdf written although dangerous: " \
	"stderr warns, in the form errors have (tipline export: ...)"
like "$(cat "$WORK/err")" "tipline export: warning: 1 warning above" \
	"...and counts it"
is "$(grep -c "tipline: warning" "$WORK/err")" 0 "no second warning prefix"
tl export 999 --to "$WORK/out" 2>"$WORK/err"
like "$(cat "$WORK/err")" "^tipline export: " "errors read the same way"
