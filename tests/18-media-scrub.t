#!/bin/sh
# 18-media-scrub.t - `export --scrub` of a portrait phone photo keeps its
# Exif Orientation (a minimal one-entry Exif) and nothing that tells place,
# time, device or person; the pixels are the original's.  A GPS position
# held only in XMP is flagged (QA F25) and scrubbed.  Fixtures from
# tests/media-fixtures.py.
. "$(dirname "$0")/lib.sh"

plan 16

M=$WORK/m
mkdir -p "$M" "$WORK/out"
python3 "$TESTS/media-fixtures.py" "$M" || { echo "Bail out! fixtures"; exit 1; }
tl -q import "$M/portrait.jpg.eml" "$M/xmp-gps.jpg.eml"; is "$?" 0 "import"
PHOTO=$(id_of media-portrait.jpg@example.org)
XMP=$(id_of media-xmp-gps.jpg@example.org)
# field ID EXPR: a Python expression over o = show --json, a = its first
# attachment, m = that attachment's media object.
field() {
	tl show "$1" --json | python3 -c '
import json, sys
o = json.load(sys.stdin); a = o["attachments"][0]; m = a.get("media") or {}
print(eval(sys.argv[1]))' "$2"
}

tl export "$PHOTO" "$XMP" --to "$WORK/out" --scrub >"$WORK/log"; is "$?" 0 "export --scrub exits 0"
orig=$(ls "$WORK"/out/*portrait*/attachments/portrait.jpg)
scrubbed=$(ls "$WORK"/out/*portrait*/scrubbed/portrait.jpg)
cmp -s "$orig" "$M/portrait.jpg"; ok $? "the exported original is byte-exact"

# Walk the scrubbed copy's segments: what is left before the frame.
segs() {
	python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
i, out = 2, []
while d[i] == 0xff and d[i + 1] not in (0xda, 0xd9):
    m = d[i + 1]; n = struct.unpack('>H', d[i + 2:i + 4])[0]
    p = d[i + 4:i + 2 + n]
    tag = p[:4].decode('latin1') if 0xe0 <= m <= 0xef else ''
    out.append('%02x:%s' % (m, tag))
    i += 2 + n
print(' '.join(out))
PY
}
is "$(segs "$scrubbed")" "e0:JFIF e1:Exif db: c0: c4:" \
	"the copy keeps JFIF, one Exif APP1, the tables and the frame; no XMP, IPTC, comment"
is "$(python3 - "$scrubbed" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
i = d.index(b'\xff\xe1'); n = struct.unpack('>H', d[i + 2:i + 4])[0]
t = d[i + 10:i + 2 + n]            # the TIFF structure after Exif\0\0
e = '>' if t[:2] == b'MM' else '<'
off = struct.unpack(e + 'I', t[4:8])[0]
cnt = struct.unpack(e + 'H', t[off:off + 2])[0]
tag, typ, c, v = struct.unpack(e + 'HHIH', t[off + 2:off + 12])
nxt = struct.unpack(e + 'I', t[off + 14:off + 18])[0]
print(n - 2, cnt, hex(tag), typ, c, v, nxt)
PY
)" "32 1 0x112 3 1 6 0" "its Exif is IFD0 with the one entry Orientation = 6, no next IFD (no thumbnail)"
for w in ExampleCam 'Phone X1' SERIAL SN-98765 ThumbCam 2024:06 reader.a \
    'Nguyen Van A' ns.adobe.com Photoshop 'trailing bytes'; do
	grep -q -a -F "$w" "$scrubbed" && { echo "# found $w"; break; }
done
is "$?" 1 "no make, model, serial, maker note, thumbnail, time, person, XMP, IPTC or trailer text is left"
is "$(python3 - "$M/portrait.jpg" "$scrubbed" <<'PY'
import sys
a = open(sys.argv[1], 'rb').read(); b = open(sys.argv[2], 'rb').read()
# the frame: quantisation table to end of image (the thumbnail inside
# the Exif has its own, so take the last one in the original)
fa = a[a.rindex(b'\xff\xdb\x00\x43'):a.rindex(b'\xff\xd9') + 2]
fb = b[b.index(b'\xff\xdb\x00\x43'):]
print(fa == fb, len(fb))
PY
)" "True 135" "tables, frame and entropy-coded pixels are byte-identical"

# The scrubbed copy through tipline's own reader.
python3 "$TESTS/media-fixtures.py" --wrap "$scrubbed" s.jpg image/jpeg 7 |
	sed 's/media-s.jpg@/scrubbed-s.jpg@/' >"$WORK/s.eml"
tl -q import "$WORK/s.eml"
S=$(id_of scrubbed-s.jpg@example.org)
is "$(field "$S" '(a["has_gps"], m["orientation"], m["make"], m["model"], m["taken"], m["width"], m["height"])')" \
	"(False, 6, None, None, None, 16, 8)" \
	"tipline reads the copy: orientation 6, 16x8 stored, no GPS, camera or time"
is "$(field "$PHOTO" '(a["has_gps"], m["orientation"], m["make"], m["gps_source"])')" \
	"(True, 6, 'ExampleCam', 'exif')" "...and the original still has all of it"

# QA F25: a position only in XMP.
is "$(field "$XMP" '(o["has_gps"], a["has_gps"], round(a["gps"]["lat"], 6), round(a["gps"]["lon"], 6), m["gps_source"])')" \
	"(True, True, 16.0544, 108.2022, 'xmp')" \
	"an XMP-only position (16,3.264N 108,12.132E) is found and flagged"
tl list --json | python3 -c '
import json, sys
r = [x for x in json.load(sys.stdin) if x["id"] == int(sys.argv[1])]
sys.exit(not r[0]["has_gps"])' "$XMP"
ok $? "list --json marks it as GPS"
tl show "$XMP" | grep -q 'GPS position 16.054400, 108.202200'; ok $? "show warns about it"
xs=$(ls "$WORK"/out/*xmp-gps*/scrubbed/xmp-gps.jpg)
grep -q -a -F 'GPSLatitude' "$xs"; is "$?" 1 "the scrubbed copy has no XMP"
python3 "$TESTS/media-fixtures.py" --wrap "$xs" x.jpg image/jpeg 8 |
	sed 's/media-x.jpg@/scrubbed-x.jpg@/' >"$WORK/x.eml"
tl -q import "$WORK/x.eml"
is "$(field "$(id_of scrubbed-x.jpg@example.org)" 'a["has_gps"]')" False \
	"tipline finds no position in it"

# A photo without Orientation gets no Exif at all.
grep -q -a -F 'Exif' "$xs"; is "$?" 1 "a photo without Orientation gets no Exif segment"
is "$(grep -c 'scrubbed/' "$WORK/log")" 2 "export lists both scrubbed copies"
