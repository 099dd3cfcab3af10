#!/bin/sh
# 106-show-json-text-agree.t - issue 11: `show` and `show --json` render
# one typed submission, so they state the same facts: a message with a
# GPS photo inside a forwarded message and an executable named as a PDF,
# then every desk and parser fixture (tests/data/emit/agree.py lists any
# fact of the JSON the readable view leaves out).
. "$(dirname "$0")/lib.sh"
export TZ=Asia/Ho_Chi_Minh
M=$WORK/mail
python3 "$FIX/emit/gen.py" "$M"
plan 11

tl -q import "$M/all.eml"; is "$?" 0 "import the GPS + exe + forward message"
ID=$(id_of emit-all@example.org)
tl show "$ID" --json >"$WORK/j"; is "$?" 0 "show --json exits 0"
tl show "$ID" >"$WORK/t"; is "$?" 0 "show exits 0"
is "$(python3 "$FIX/emit/agree.py" "$WORK/j" "$WORK/t")" "" \
	"show states every fact of show --json"
is "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
a, b = d["attachments"]
print(a["filename"], a["has_gps"], "%.4f,%.4f" % (a["gps"]["lat"], a["gps"]["lon"]),
      a["in_forwarded"], a["forwarded_index"], b["filename"], b["danger"],
      d["forwarded"][0]["from_addr"], d["has_gps"])' "$WORK/j")" \
	"cho.jpg True 10.7769,106.7009 True 0 hoa-don.exe.pdf Windows executable (MZ header) reader.b@example.org True" \
	"show --json: the photo's GPS, its forward, the exe's danger"
like "$(grep -A5 '^  1\. cho\.jpg' "$WORK/t" | grep '! GPS')" \
	'! GPS position 10\.776900, 106\.700900 in the file' \
	"show: the same position under the photo"
like "$(grep -A5 '^  1\. cho\.jpg' "$WORK/t")" '\(in forwarded message 1\)' \
	"show: the photo came in the forwarded message"
like "$(grep -A2 '^  2\. hoa-don\.exe\.pdf' "$WORK/t")" \
	'! dangerous: Windows executable \(MZ header\)' \
	"show: the same danger under the exe"
like "$(sed -n '/forwarded message 1/,/^$/p' "$WORK/t" | grep '^From:')" \
	'Trần Thị B <reader\.b@example\.org>' "show: the forward's sender"

# Every fixture the desk and the parser tests use.
tl -q import "$FIX"/desk/*.eml "$FIX"/parse/*.eml "$FIX"/show/*.eml 2>/dev/null
ids=$(tl list --all --flat --json | python3 -c '
import json, sys
print(" ".join(str(r["id"]) for r in json.load(sys.stdin)))')
is "$(python3 "$FIX/emit/agree.py" --all "$TIPLINE_BIN" "$CONF" $ids)" "" \
	"show and show --json agree on every fixture"
n=$(echo $ids | wc -w)
[ "$n" -ge 90 ]; ok $? "...which are at least 90 submissions ($n)"
