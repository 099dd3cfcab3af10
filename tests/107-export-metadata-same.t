#!/bin/sh
# 107-export-metadata-same.t - issue 11: export's metadata.json and
# `show --json` are one walk over one typed submission (src/emit-walk.c),
# so they are the same bytes; list --json's row flags (GPS, danger) say
# what the submission's attachments say; text.txt carries the forward.
. "$(dirname "$0")/lib.sh"
export TZ=Asia/Ho_Chi_Minh
M=$WORK/mail
python3 "$FIX/emit/gen.py" "$M"
plan 7

tl -q import "$M/all.eml" "$FIX"/desk/03-gps-photo.eml "$FIX"/desk/01-danang.eml
ID=$(id_of emit-all@example.org)
for id in $(tl list --all --flat --json | python3 -c '
import json, sys
print(" ".join(str(r["id"]) for r in json.load(sys.stdin)))'); do
	tl show "$id" --json >"$WORK/show.$id.json"
done
mkdir "$WORK/out"
tl export $(ls "$WORK" | sed -n 's/^show\.\([0-9]*\)\.json$/\1/p') \
	--to "$WORK/out" >"$WORK/log" 2>/dev/null
is "$?" 0 "export of three submissions exits 0"
same=0
for id in $(ls "$WORK" | sed -n 's/^show\.\([0-9]*\)\.json$/\1/p'); do
	cmp -s "$WORK/show.$id.json" "$WORK"/out/"$id"-*/metadata.json &&
		same=$((same + 1))
done
is "$same" 3 "each metadata.json is byte for byte what show --json printed"
is "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["schema"], d["id"], d["status"], len(d["attachments"]), len(d["forwarded"]),
      [a["danger"] is not None for a in d["attachments"]])' \
	"$WORK"/out/"$ID"-*/metadata.json)" \
	"tipline-json/1 $ID new 2 1 [False, True]" \
	"metadata.json: the typed facts of the message"
like "$(cat "$WORK"/out/"$ID"-*/text.txt)" \
	'---------- forwarded message 1 ----------' "text.txt carries the forward"
like "$(sed -n '/forwarded message 1/,$p' "$WORK"/out/"$ID"-*/text.txt | sed -n 2p)" \
	'^From: Trần Thị B <reader\.b@example\.org>$' "...with its sender"
is "$(tl list --all --json | python3 -c '
import json, sys
r = [x for x in json.load(sys.stdin) if x["id"] == int(sys.argv[1])][0]
print(r["status"], r["has_gps"], r["has_danger"], r["attachment_count"])' "$ID")" \
	"new True True 2" "list --json: the row flags what show --json lists"
is "$(tl show "$ID" --json | python3 -c '
import json, sys
h = json.load(sys.stdin)["history"]
print([(x["action"], x["old_status"], x["new_status"]) for x in h])')" \
	"[('ingest', None, 'new'), ('export', 'new', 'new')]" \
	"the export is on record with the status as a string"
