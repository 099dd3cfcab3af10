#!/bin/sh
# 128-serve-clip-range.t - tipline serve (issue 12): a clip is served
# inline as video/mp4 with HTTP Range (RFC 9110 14), so that <video> can
# seek: no Range -> 200, all bytes, Accept-Ranges: bytes; bytes=0-1023
# -> 206 with exactly 1,024 bytes and Content-Range; bytes=-500 -> the
# last 500; a start past the end -> 416 with Content-Range: bytes */SIZE;
# bytes compared to the original.  A file that is no clip has no clip
# route.
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
. "$TESTS/preview-lib.sh"
. "$TESTS/serve-media-lib.sh"
serve_need
plan 17

media_setup
is "$?" 0 "a photo, a clip and an HTML file imported; logged in"
ORIG=$FX/clip.mp4
SIZE=$(wc -c < "$ORIG" | tr -d ' ')
URL=$BASE/s/$ID/a/1/clip
code() { head -1 "$WORK/h" | cut -d' ' -f2; }

hc -b "$WORK/jar" -D "$WORK/h" -o "$WORK/all" "$URL"
is "$(code)/$(hdr "$WORK/h" content-type)" 200/video/mp4 \
	"no Range: 200, video/mp4"
is "$(hdr "$WORK/h" accept-ranges)" bytes "Accept-Ranges: bytes"
cmp -s "$WORK/all" "$ORIG"
is "$?/$(hdr "$WORK/h" content-length)" "0/$SIZE" "all $SIZE bytes, the clip's"
is "$(hdr "$WORK/h" content-disposition)" "" "inline"

hc -b "$WORK/jar" -H 'Range: bytes=0-1023' -D "$WORK/h" -o "$WORK/r1" "$URL"
is "$(code)" 206 "bytes=0-1023: 206"
is "$(wc -c < "$WORK/r1" | tr -d ' ')" 1024 "exactly 1,024 bytes"
is "$(hdr "$WORK/h" content-range)" "bytes 0-1023/$SIZE" "Content-Range"
head -c 1024 "$ORIG" | cmp -s - "$WORK/r1"
is "$?" 0 "the first 1,024 bytes of the clip"

hc -b "$WORK/jar" -H 'Range: bytes=-500' -D "$WORK/h" -o "$WORK/r2" "$URL"
is "$(code)/$(wc -c < "$WORK/r2" | tr -d ' ')" 206/500 \
	"bytes=-500: 206, 500 bytes"
is "$(hdr "$WORK/h" content-range)" "bytes $((SIZE - 500))-$((SIZE - 1))/$SIZE" \
	"Content-Range of the last 500"
tail -c 500 "$ORIG" | cmp -s - "$WORK/r2"
is "$?" 0 "the last 500 bytes of the clip"

hc -b "$WORK/jar" -H 'Range: bytes=1000-' -o "$WORK/r3" "$URL"
tail -c +1001 "$ORIG" | cmp -s - "$WORK/r3"
is "$?" 0 "bytes=1000-: from byte 1000 to the end"

hc -b "$WORK/jar" -H "Range: bytes=$SIZE-" -D "$WORK/h" -o /dev/null "$URL"
is "$(code)" 416 "a start past the end: 416"
is "$(hdr "$WORK/h" content-range)" "bytes */$SIZE" "Content-Range: bytes */$SIZE"
is "$(status -b "$WORK/jar" "$BASE/s/$ID/a/2/clip")" 404 \
	"the HTML file is no clip"
is "$(status -b "$WORK/jar" "$BASE/s/$ID/a/3/clip")" 404 \
	"a dangerous file is never played"
