#!/bin/sh
# 127-serve-download.t - tipline serve (issue 12): an .html attachment
# is downloaded, never rendered: Content-Disposition attachment with an
# RFC 6266 name (ASCII filename= fallback, diacritics folded, and filename*=UTF-8''),
# application/octet-stream, nosniff, and the CSP with sandbox; the bytes
# are the attachment's.
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
. "$TESTS/preview-lib.sh"
. "$TESTS/serve-media-lib.sh"
serve_need
plan 9

CSP="default-src 'none'; script-src 'self'; style-src 'self';"
CSP="$CSP img-src 'self'; media-src 'self'; form-action 'self';"
CSP="$CSP base-uri 'none'; frame-ancestors 'none'; sandbox"
media_setup
is "$?" 0 "a photo, a clip and an HTML file imported; logged in"
hc -b "$WORK/jar" -D "$WORK/h" -o "$WORK/got" "$BASE/s/$ID/a/2/download"
is "$(head -1 "$WORK/h" | cut -d' ' -f2)" 200 "the download answers 200"
is "$(hdr "$WORK/h" content-type)" application/octet-stream \
	"application/octet-stream, not text/html"
is "$(hdr "$WORK/h" content-disposition)" \
	"attachment; filename=\"tin _nong_.html\"; filename*=UTF-8''tin%20_n%C3%B3ng_.html" \
	"attachment, ASCII fallback and the UTF-8 name (<> made safe)"
is "$(hdr "$WORK/h" x-content-type-options)" nosniff "nosniff"
is "$(hdr "$WORK/h" content-security-policy)" "$CSP" "the CSP with sandbox"
is "$(hdr "$WORK/h" cache-control)" no-store "no-store"
cmp -s "$WORK/got" "$WORK/page.html"
is "$?" 0 "the bytes are the attachment's"
hc -b "$WORK/jar" -D "$WORK/h" -o /dev/null "$BASE/s/$ID/a/0/download"
is "$(hdr "$WORK/h" content-disposition)" \
	"attachment; filename=\"anh _1_.jpg\"; filename*=UTF-8''%E1%BA%A3nh%20_1_.jpg" \
	"a Vietnamese name: fallback and filename*"
