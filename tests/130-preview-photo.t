#!/bin/sh
# 130-preview-photo.t - tipline-preview makes upright thumbnails with no
# metadata (issue 12 test 8): a JPEG with Exif Orientation 6 whose stored
# pixels are landscape comes out portrait with red (the stored left) on
# top and no APP1/Exif; a HEIC, a WebP and a PNG get thumbnails too.
. "$(dirname "$0")/lib.sh"
. "$TESTS/preview-lib.sh"
preview_setup
plan 14

run() { "$PREVIEW_BIN" "$@" 2>"$WORK/err"; }

run image < "$FX/portrait.jpg" > "$WORK/p.jpg"
is "$?" 0 "portrait JPEG: exit 0"
is "$(dims "$WORK/p.jpg")" 240x480 \
	"640x320 stored, Orientation 6: upright 240x480 (fits 480, turned)"
is "$(colour "$WORK/p.jpg" 120 10)/$(colour "$WORK/p.jpg" 120 470)" \
	red/blue "the stored left edge is on top: turned clockwise"
is "$(markers "$WORK/p.jpg")" "DB DB C0 C4 C4 C4 C4 DA" \
	"no APP0-APP15 or comment: no Exif, XMP, ICC or JFIF left"
is "$(grep -c Exif "$WORK/p.jpg")" 0 "no Exif string anywhere"
is "$(cat "$WORK/err")" "" "nothing on stderr"

if [ -s "$FX/photo.heic" ]; then
	run image < "$FX/photo.heic" > "$WORK/h.jpg"
	is "$?" 0 "HEIC (libheif with libde265): exit 0"
	is "$(dims "$WORK/h.jpg")" 240x480 "HEIC 320x640 -> 240x480"
	is "$(colour "$WORK/h.jpg" 120 10)" red "HEIC: red on top"
else
	for i in 1 2 3; do ok 0 "# SKIP vips cannot write HEIC here"; done
fi

run image < "$FX/photo.webp" > "$WORK/w.jpg"
is "$?/$(dims "$WORK/w.jpg")" 0/480x240 "WebP 640x320 -> 480x240"
run image < "$FX/photo.png" > "$WORK/n.jpg"
is "$?/$(dims "$WORK/n.jpg")" 0/480x240 "PNG 640x320 -> 480x240"
is "$(colour "$WORK/n.jpg" 10 120)" red "PNG: no orientation, red left"

run --size 100 image < "$FX/photo.png" > "$WORK/s.jpg"
is "$?/$(dims "$WORK/s.jpg")" 0/100x50 "--size 100: 100x50"
run --size 2000 image < "$FX/photo.png" > "$WORK/b.jpg"
is "$?/$(dims "$WORK/b.jpg")" 0/640x320 "never enlarged"

# Time and memory per thumbnail, for the report (not asserted).
/usr/bin/time -f '%e s %M KB' "$PREVIEW_BIN" image < "$FX/noise.jpg" \
	2>"$WORK/t" >/dev/null
diag "1600x1200 noisy JPEG: $(tail -1 "$WORK/t") (wall, peak RSS)"
exit $((_failed > 0))
