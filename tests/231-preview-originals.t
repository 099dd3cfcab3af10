#!/bin/sh
# 231-preview-originals.t - a photo in a mail of more than 1 MiB, whose
# original is a file of its own (DB.originals/, SQLite): `tipline
# previews` makes its preview from that file as from rows (the original
# read through store_raw_read, checked), upright; show --raw of it is
# the message byte for byte.
. "$(dirname "$0")/lib.sh"
. "$TESTS/preview-lib.sh"
. "$TESTS/preview-cache-lib.sh"
sqlite_only
pc_setup
plan 4

head -c 1300000 /dev/urandom > "$WORK/pad.bin"
mkmail "$WORK/a.eml" "anh lon" portrait.jpg="$FX/portrait.jpg" \
	pad.bin="$WORK/pad.bin"
tl -q import "$WORK/a.eml"
is "$(sql 'SELECT count(*) FROM original_file')" 1 \
	"the 1.8 MB mail's original is a file"
tlp previews --json > "$WORK/1.json"
is "$(jq -c '[.made, .ok]' "$WORK/1.json")" "[1,1]" \
	"its photo's preview is made (the padding is no photo)"
jpeg_of 1 0 "$WORK/p.jpg"
is "$(dims "$WORK/p.jpg")/$(colour "$WORK/p.jpg" 120 10)" 240x480/red \
	"upright: 240x480, the stored left on top"
tl show 1 --raw | cmp -s - "$WORK/a.eml"; is "$?" 0 "show --raw: byte-identical"
