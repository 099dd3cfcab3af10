#!/bin/sh
# 131-preview-refuse.t - what tipline-preview will not decode gets "no
# preview" (exit 3, one line on stderr) and never more (issue 12 test
# 8): a complete 30000x30000 PNG is refused from its header, before a
# pixel is decoded (peak RSS measured, not time); a truncated JPEG is
# refused, not padded with grey; formats whose loaders are blocked (SVG,
# GIF, TIFF, PDF) and text are refused; bad arguments are usage errors.
. "$(dirname "$0")/lib.sh"
. "$TESTS/preview-lib.sh"
preview_setup
plan 13

# none KIND FILE: the exit code and stderr of a run that must write
# nothing on stdout.
none() {
	"$PREVIEW_BIN" "$1" < "$2" > "$WORK/out" 2>"$WORK/err"
	echo "$?:$(wc -c < "$WORK/out"):$(wc -l < "$WORK/err")"
}

/usr/bin/time -f '%M' -o "$WORK/rss" "$PREVIEW_BIN" image \
	< "$FX/big.png" > "$WORK/out" 2>"$WORK/err"
is "$?" 3 "30000x30000 PNG: exit 3 (no preview)"
is "$(cat "$WORK/err")" "tipline-preview: no preview: 30000x30000 pixels\
 is over the limit of 120000000" "...said in one line"
rss=$(tail -n 1 "$WORK/rss")
# Decoding would need 900 Mpx (the same file with the limit raised peaks
# near 90 MB and takes seconds); the header alone stays near 45 MB, most
# of it libvips and its modules.
ok "$([ "$rss" -lt 65536 ] && echo 0 || echo 1)" \
	"refused before decoding: peak RSS ${rss} KB < 64 MB"
diag "30000x30000 PNG: peak RSS $rss KB"

is "$(none image "$FX/cut.jpg")" 3:0:1 "truncated JPEG: exit 3, no output"
like "$(cat "$WORK/err")" "^tipline-preview: no preview: .*(Premature end|\
truncated)" "...because it is truncated"

printf '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">\
<image href="http://127.0.0.1:9/x.png"/></svg>\n' > "$WORK/x.svg"
is "$(none image "$WORK/x.svg")" 3:0:1 "SVG: blocked loader, no preview"
ffmpeg -nostdin -v error -f lavfi -i color=c=red:s=16x16 -frames:v 1 \
	"$WORK/x.gif"
is "$(none image "$WORK/x.gif")" 3:0:1 "GIF: not a photo format here"
ffmpeg -nostdin -v error -f lavfi -i color=c=red:s=16x16 -frames:v 1 \
	"$WORK/x.tif"
is "$(none image "$WORK/x.tif")" 3:0:1 "TIFF: blocked"
is "$(cat "$WORK/err")" \
	"tipline-preview: no preview: not a JPEG, PNG, WebP or HEIC image" \
	"...said so"
is "$(none image "$FX/notes.txt")" 3:0:1 "text: no preview"
is "$(none image /dev/null)" 3:0:1 "empty input: no preview"

"$PREVIEW_BIN" picture < "$FX/photo.png" > /dev/null 2>&1
is "$?" 64 "unknown kind: usage error 64"
"$PREVIEW_BIN" --size 0 image < "$FX/photo.png" > /dev/null 2>&1
is "$?" 64 "--size 0: usage error 64"
