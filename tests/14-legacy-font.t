#!/bin/sh
# 14-legacy-font.t - TCVN3/VNI font-hack text end to end (issue 10 section
# 8): stored as sent, a Unicode copy beside it in show --json and show,
# kept by reparse, gone with purge.
. "$(dirname "$0")/lib.sh"
P=$FIX/parse
plan 9

tl import "$P/066-tcvn3-text.eml" "$P/067-vni-text-unicode-subject.eml" 2>/dev/null
is "$?" 0 "TCVN3 and VNI messages import"
T=$(id_of p066@example.org)
V=$(id_of p067@example.org)
conv() {	# $1: id, $2: member of legacy_font_converted
	tl show "$1" --json | python3 -c "import json,sys; c=json.load(sys.stdin)['legacy_font_converted']; print(c and c['$2'])"
}
is "$(conv "$T" text)" "Người dân báo tin: phố cổ Hà Nội ngập, đường hỏng." \
	"show --json: the TCVN3 text converted to Unicode"
is "$(conv "$T" subject)" "Đà Nẵng ngập" "show --json: the TCVN3 subject converted"
is "$(conv "$V" subject)" "None" "a Unicode subject beside VNI text is left alone"
is "$(tl show "$T" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["charset_repaired"], d["text"].startswith("Ng\u00adêi"))')" \
	"True True" "flagged as repaired; the text stays as sent"
tl show "$V" >"$WORK/v"
grep -q 'converted from the VNI font encoding' "$WORK/v"; ok $? "show prints the converted copy"
grep -q 'Tôi xin báo: đêm qua có cháy nhà ở quận 8' "$WORK/v"; ok $? "show's copy reads as Vietnamese"
tl reparse "$T" >/dev/null 2>&1
is "$(conv "$T" font)" TCVN3 "reparse keeps the converted copy"
tl reject "$T" --reason test >/dev/null 2>&1
sql "UPDATE submission SET received_utc = '2020-01-01T00:00:00Z' WHERE id = $T"
tl purge --status rejected --older-than 30d >/dev/null 2>&1
is "$(sql "SELECT count(*) FROM legacy_text WHERE submission_id = $T")" 0 \
	"purge removes the converted copy with the tip"
