#!/bin/sh
# 132-preview-video.t - tipline-preview takes a still from about one
# second into an MP4 and turns it by the display matrix (issue 12 test
# 8): the 3 s clip is 320x160 stored, green for its first 0.5 s, then
# red | blue, with a matrix that turns it 90 degrees clockwise; the still
# is 160x320 with red on top and no green.  Non-clips get no preview.
. "$(dirname "$0")/lib.sh"
. "$TESTS/preview-lib.sh"
preview_setup
plan 9

/usr/bin/time -f '%e s %M KB' -o "$WORK/t" "$PREVIEW_BIN" video \
	< "$FX/clip.mp4" > "$WORK/v.jpg" 2>"$WORK/err"
is "$?" 0 "MP4: exit 0"
is "$(dims "$WORK/v.jpg")" 160x320 "320x160 turned 90 degrees: 160x320"
is "$(colour "$WORK/v.jpg" 80 10)" red "the stored left is on top"
is "$(colour "$WORK/v.jpg" 80 310)" blue "the stored right at the bottom"
is "$(markers "$WORK/v.jpg")" "DB DB C0 C4 C4 C4 C4 DA" "no metadata"
diag "3 s 320x160 H.264 clip: $(tail -n 1 "$WORK/t") (wall, peak RSS)"

# Through a pipe the worker reads the clip to its end first, so it is
# seekable in memory all the same.
cat "$FX/clip.mp4" | "$PREVIEW_BIN" video > "$WORK/p.jpg" 2>"$WORK/err"
is "$?:$(dims "$WORK/p.jpg")" 0:160x320 "from a pipe: the same still"

"$PREVIEW_BIN" video < "$FX/portrait.jpg" > "$WORK/o" 2>"$WORK/err"
is "$?:$(wc -c < "$WORK/o")" 3:0 "a JPEG as a clip: no preview"
like "$(cat "$WORK/err")" "^tipline-preview: no preview: not an MP4 or MOV" \
	"...said so"
head -c 3000 "$FX/clip.mp4" > "$WORK/cut.mp4"
"$PREVIEW_BIN" video < "$WORK/cut.mp4" > "$WORK/o" 2>"$WORK/err"
is "$?:$(wc -c < "$WORK/o")" 3:0 "a clip cut short: no preview"
