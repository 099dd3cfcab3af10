#!/bin/sh
# 45-desk-export.t - `tipline export`: the folder layout, hostile
# attachment names landing safely inside it, never overwriting, --scrub
# copies of a GPS photo without Exif while the original stays as it was,
# and the audit row.
. "$(dirname "$0")/lib.sh"
D=$FIX/desk

plan 24

tl -q import "$D"/*.eml; is "$?" 0 "import the desk fixtures"
HOST=$(id_of desk04@example.org)
PHOTO=$(id_of desk03@example.org)
OUT=$WORK/out
mkdir -p "$OUT"

tl export "$HOST" --to "$OUT" --include-dangerous >"$WORK/log"; is "$?" 0 "export exits 0"
dir=$(head -1 "$WORK/log")
is "$dir" "$OUT/$HOST-tai-lieu-gui-kem" "one folder per submission, named ID-subject"
cmp -s "$dir/message.eml" "$D/04-hostile-names.eml"; ok $? "message.eml is byte-exact"
grep -q 'Gửi tòa soạn các tài liệu' "$dir/text.txt"; ok $? "text.txt has the text"
is "$(python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); print(o["id"], len(o["attachments"]))' \
	"$dir/metadata.json")" "$HOST 11" "metadata.json is the show --json object"
tl show "$HOST" --json | python3 -c '
import json, sys
a = json.load(sys.stdin); b = json.load(open(sys.argv[1]))
for o in (a, b): o.pop("history")
sys.exit(a != b)' "$dir/metadata.json"
ok $? "metadata.json equals show --json (but for the new audit row)"

# Every file is inside the folder, nothing escaped, nothing hidden.
is "$(find "$WORK" -name passwd -not -path "$dir/*" | wc -l)" 0 \
	"../../etc/passwd did not escape the folder"
is "$(ls -A "$dir/attachments" | wc -l)" 11 "all 11 attachments were written"
is "$(ls -A "$dir/attachments" | grep -c '^[.-]')" 0 "no hidden or dash-led names"
is "$(ls "$dir/attachments" | grep -ic '^con\(\.\|$\)')" 0 "no Windows device names"
is "$(find "$dir" -name '*[[:cntrl:]]*' | wc -l)" 0 "no control characters in names"
is "$(ls "$dir/attachments" | perl -CS -ne 'print if /[\x{202a}-\x{202e}\x{2066}-\x{2069}]/' | wc -l)" \
	0 "no bidi overrides in names"
is "$(ls "$dir/attachments" | awk '{ if (length($0) > m) m = length($0) } END { print (m <= 200) }')" \
	1 "names are at most 200 bytes"
ls "$dir/attachments" | grep -Eq '^(ả)+\.jpg$'; ok $? "the 300-byte name was cut, keeping .jpg"
is "$(ls "$dir/attachments" | grep -c '^same\(-2\)\?\.txt$')" 2 \
	"two attachments with one name: same.txt and same-2.txt"
python3 -c 'import sys, unicodedata as u
sys.exit(any(u.normalize("NFC", n) != n for n in sys.stdin.read().split("\n")))' \
	<<EOF
$(ls "$dir/attachments")
EOF
ok $? "names are NFC"

# Export again: a new folder, nothing overwritten.
tl export "$HOST" --to "$OUT" --include-dangerous >"$WORK/log2"
is "$(head -1 "$WORK/log2")" "$dir-2" "a second export gets a new folder"

# --scrub: the GPS photo.
tl export "$PHOTO" --to "$OUT" --scrub >"$WORK/log3"; is "$?" 0 "export --scrub exits 0"
pdir=$(head -1 "$WORK/log3")
orig_sum=$(tj '.attachments[0].sha256' show "$PHOTO")
is "$(sha256sum <"$pdir/attachments/cay-do.jpg" | cut -d' ' -f1)" "$orig_sum" \
	"the exported original has the SHA-256 recorded at ingest"
is "$(python3 -c '
import sys
d = open(sys.argv[1], "rb").read()
print(d[:2].hex(), d[-2:].hex(), b"Exif" in d, b"\xff\xe1" in d[:20], b"camera comment" in d)' \
	"$pdir/scrubbed/cay-do.jpg")" "ffd8 ffd9 False False False" \
	"the scrubbed copy is a JPEG without Exif or comments"
# Feed the scrubbed copy back through tipline's own GPS scanner.
{ printf 'From: a@example.org\nSubject: scrubbed\nMessage-ID: <scrub@example.org>\n'
  printf 'MIME-Version: 1.0\nContent-Type: image/jpeg; name="s.jpg"\n'
  printf 'Content-Transfer-Encoding: base64\n\n'
  base64 "$pdir/scrubbed/cay-do.jpg"; } >"$WORK/scrubbed.eml"
tl -q import "$WORK/scrubbed.eml"
is "$(tj '.[] | select(.subject == "scrubbed") | .has_gps' list)" \
	false "tipline finds no GPS position in the scrubbed copy"
is "$(tj .has_gps show "$PHOTO")" true \
	"...and still finds it in the original"
is "$(tj '[.[] | select(.action == "export")] | length' \
	audit --editor test-editor)" \
	3 "every export is audited"
