#!/bin/sh
# 121-serve-headers.t - tipline serve (issue 12): every response, of every
# route and status, carries the Content-Security-Policy, nosniff,
# no-referrer and no-store headers on the wire; what a submission holds
# (subject, sender name, text, attachment name) is shown as text, never
# as markup; the static files are the embedded ones.
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
serve_need

# METHOD PATH EXPECTED-STATUS, as editor.a (cookie jar) unless noted.
ROUTES="GET / 200
GET /s/1 200
GET /s/99 404
GET /s/1/decide 405
GET /s/1/a/0/thumb 404
GET /s/1/a/9/clip 404
POST /s/1/decide 403
GET /login 200
GET /static/tipline.css 200
GET /static/keys.js 200
GET /nothing 404
PUT / 405
POST /logout 403"
nroutes=$(echo "$ROUTES" | grep -c .)
plan $((3 + 5 * nroutes + 2 + 8))

tl import "$FIX/demo/05-opinion.eml" "$FIX/serve/xss.eml" >/dev/null 2>&1
is "$?" 0 "a queue made by tipline import"
serve_local editor.a 'pw a'
serve_start
is "$(login editor.a 'pw a' "$WORK/jar")" 303 "logged in"
# A page refused before login carries them too.
like "$(hc -D - -o /dev/null "$BASE/" | tr -d '\r' |
	grep -i '^content-security-policy:')" "frame-ancestors 'none'" \
	"the 401 of a visitor carries the CSP"

route_headers "$WORK/jar" "$ROUTES"

is "$(hc -b "$WORK/jar" "$BASE/static/keys.js" | head -1)" "'use strict';" \
	"the keyboard script is the embedded one"
like "$(hc -b "$WORK/jar" -D - -o /dev/null "$BASE/static/tipline.css" |
	tr -d '\r' | grep -i '^content-type:')" "text/css" "the CSS is text/css"

# What a sender wrote is text, never markup.
id=$(tl list --all --json | python3 -c 'import json, sys
print([r["id"] for r in json.load(sys.stdin)
       if "alert(1)" in (r["subject"] or "")][0])')
page=$(hc -b "$WORK/jar" "$BASE/s/$id")
q=$(hc -b "$WORK/jar" "$BASE/")
S1='&lt;script&gt;alert\(1\)&lt;/script&gt; '
S2='&quot;&gt;&lt;img src=x onerror=alert\(2\)&gt;'
like "$page" "$S1$S2" "the subject is shown, escaped"
like "$page" '&lt;script&gt;alert\(4\)&lt;/script&gt;' \
	"the text is shown, escaped"
like "$page" '&quot;&gt;&lt;svg onload=alert\(9\)&gt;.html' \
	"the attachment name is shown, escaped"
like "$page" 'javascript:alert\(7\)' "javascript: in the text stays text"
# The only elements with script or event attributes are the page's own.
OWN='^<script src="/static/keys.js" defer>$'
OWN="$OWN"'|^<a href="/(s/[0-9]+|bulk|audit|stats)?">$'
OWN="$OWN"'|^<a href="/s/[0-9]+/a/[0-9]+/download" download>$'
OWN="$OWN"'|^<a rel="(next|prev)" href="/\?page=[0-9]+">$'
is "$(printf '%s\n%s\n' "$page" "$q" |
	grep -Eio '<(script|img|svg|a)( [^>]*)?>' | grep -Eiv "$OWN" |
	sort -u)" "" "no element but the page's own script and links"
is "$(printf '%s\n%s\n' "$page" "$q" | grep -Eo '<[a-z][^>]*>' |
	grep -Eic ' on[a-z]+=')" 0 \
	"no on* attribute anywhere"
is "$(printf '%s\n%s\n' "$page" "$q" | grep -c 'href="javascript')" 0 \
	"no javascript: link"
like "$q" '&lt;script&gt;alert\(3\)&lt;/script&gt;' \
	"the queue shows the sender's name escaped"
