#!/bin/sh
# 126-serve-media-page.t - tipline serve (issue 12): a submission's page
# shows a photo's thumbnail (<img> of the thumbnail route), a clip's
# still and <video controls> of the clip route, and a download link for
# every attachment, names escaped; the thumbnail route answers with the
# worker's JPEG (image/jpeg, inline, the security headers); a file that
# is no photo or clip has no preview and no clip route; a dangerous file
# (JPEG bytes named .scr) is only a download, with its warning beside it.
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
. "$TESTS/preview-lib.sh"
. "$TESTS/serve-media-lib.sh"
serve_need
plan 18

media_setup
is "$?" 0 "a photo, a clip and an HTML file imported; logged in"
page=$(hc -b "$WORK/jar" "$BASE/s/$ID")
like "$page" "<img src=\"/s/$ID/a/0/thumb\" alt=\"ảnh &quot;1&quot;.jpg\">" \
	"the photo's thumbnail, its name escaped"
like "$page" "<img src=\"/s/$ID/a/1/thumb\" alt=\"clip.mp4\"><video controls preload=\"none\" src=\"/s/$ID/a/1/clip\"></video>" \
	"the clip's still and the clip"
for i in 0 1 2 3; do
	like "$page" "<a href=\"/s/$ID/a/$i/download\" download>Download</a>" \
		"a download link for attachment $i"
done
like "$page" 'tin &lt;nóng&gt;.html' "the HTML file's name escaped"
is "$(printf '%s' "$page" | grep -c "/s/$ID/a/2/\(thumb\|clip\)")" 0 \
	"the HTML file: no thumbnail, no clip"

is "$(printf '%s' "$page" | grep -c "/s/$ID/a/3/\(thumb\|clip\)")" 0 \
	"the dangerous file: no thumbnail, no clip"
like "$(printf '%s' "$page" | grep -F 'photo.jpg.scr')" \
	"badge danger.*<a href=\"/s/$ID/a/3/download\" download>" \
	"its warning beside its download link"
hc -b "$WORK/jar" -D "$WORK/h" -o "$WORK/t.jpg" "$BASE/s/$ID/a/0/thumb"
is "$(head -1 "$WORK/h" | cut -d' ' -f2)/$(hdr "$WORK/h" content-type)" \
	200/image/jpeg "the thumbnail is image/jpeg"
is "$(dims "$WORK/t.jpg")" 240x480 "the worker's upright thumbnail"
is "$(hdr "$WORK/h" content-disposition)" "" "shown inline"
like "$(hdr "$WORK/h" content-security-policy)" "frame-ancestors 'none'" \
	"with the CSP of every response"
is "$(status -b "$WORK/jar" "$BASE/s/$ID/a/2/thumb")" 404 \
	"the HTML file has no thumbnail route"
is "$(status -b "$WORK/jar" "$BASE/s/$ID/a/3/thumb")" 404 \
	"the dangerous file has no thumbnail route"
is "$(status "$BASE/s/$ID/a/0/thumb")" 401 "not logged in: 401"
