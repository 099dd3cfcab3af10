#!/bin/sh
# 152-serve-queue-pages.t - the queue page (issue 12, Pages): 50 rows a
# page with next/previous links that keep the filters; every bad value
# (since, status, has, page, unseen) a 400 page with the security headers
# that names it, escaped; a q= with <script> shown as text.
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
serve_need
plan 20

python3 "$FIX/serve/queue-gen.py" "$WORK/m" 55 >/dev/null
tl import "$WORK/m"/*.eml >/dev/null 2>&1
is "$?" 0 "60 generated mails imported"
printf 'proxy-secret-1\n' > "$WORK/proxy.secret"
chmod 600 "$WORK/proxy.secret"
printf '[serve]\nauth = proxy\nproxy_secret_file = %s\n' \
	"$WORK/proxy.secret" >>"$CONF"
serve_start
A='X-Remote-User: editor.a'
P='X-Tipline-Proxy-Secret: proxy-secret-1'
get() { hc -H "$A" -H "$P" "$BASE/$1"; }
code() { status -H "$A" -H "$P" "$BASE/$1"; }
rows() { get "$1" | grep -c '^<tr class="row">'; }

# 59 rows in the default queue: 60 mails, the follow-up in its thread.
is "$(rows '')" 50 "page 1: 50 rows"
like "$(get '')" '<a rel="next" href="/\?page=2">' "... and a link to the next"
is "$(rows '?page=2')" 9 "page 2: the other 9"
like "$(get '?page=2')" '<a rel="prev" href="/\?page=1">' \
	"... with a link back"
is "$(get '?page=2' | grep -c 'rel="next"')" 0 "... and none further"
like "$(get '?q=tin&status=new&page=1')" \
	'rel="next" href="/\?q=tin&amp;status=new&amp;page=2"' \
	"the next link keeps the filters"
is "$(rows '?q=tin&status=new&page=2')" 5 \
	"... and page 2 of the search has the other 5"
is "$(rows '?page=9')" 0 "a page past the end: no rows, still 200"

is "$(code '?since=yesterday-ish')" 400 "a bad since: 400"
hc -D "$WORK/h" -o "$WORK/b" -H "$A" -H "$P" "$BASE/?since=2026-13-45"
like "$(cat "$WORK/h")" "Content-Security-Policy: default-src 'none'" \
	"... with the CSP"
like "$(cat "$WORK/h")" 'X-Content-Type-Options: nosniff' "... nosniff"
like "$(cat "$WORK/h")" 'Cache-Control: no-store' "... no-store"
like "$(cat "$WORK/b")" '2026-13-45' "... naming the value"
is "$(code '?status=publish')" 400 "an unknown status: 400"
is "$(code '?has=%3Cscript%3E')" 400 "an unknown has: 400"
like "$(get '?has=%3Cscript%3E')" '&lt;script&gt;' "... its value escaped"
is "$(code '?page=-1')$(code '?page=2x')$(code '?unseen=yes')" 400400400 \
	"a bad page or unseen: 400"

q=$(get '?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E')
like "$q" 'value="&lt;script&gt;alert\(1\)&lt;/script&gt;"' \
	"a q with <script> is shown escaped in the form"
is "$(printf '%s\n' "$q" | grep -c '<script>alert')" 0 \
	"... and never as markup"
