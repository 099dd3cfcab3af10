#!/bin/sh
# 159-serve-new-routes-headers.t - tipline serve (issue 12): the routes of
# the audit, stats, seen and bulk pages carry, on every status, the
# Content-Security-Policy, nosniff, no-referrer and no-store headers on
# the wire (the checks of test 121); a POST to them without the CSRF
# token is 403 and a GET on a POST-only address 405.
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
serve_need

ROUTES="GET /audit 200
GET /audit?editor=x&day=2026-12-01&page=2 200
GET /audit?day=bad 400
POST /audit 403
GET /stats 200
GET /bulk 200
GET /bulk/confirm 405
GET /bulk/apply 405
POST /bulk/confirm 403
POST /bulk/apply 403
GET /s/1/seen 405
POST /s/1/seen 403"
nroutes=$(echo "$ROUTES" | grep -c .)
plan $((2 + 5 * nroutes + 1))

cat > "$WORK/m.eml" <<EOF
From: Nguyễn Văn A <reader.a@example.org>
To: tips@example.net
Subject: Tin
Date: Tue, 1 Dec 2026 10:00:00 +0700
Message-ID: <m.159@example.org>
Content-Type: text/plain; charset=utf-8

Tin.
EOF
tl import "$WORK/m.eml" >/dev/null 2>&1
is "$?" 0 "a queue made by tipline import"
serve_local editor.a 'pw a'
serve_start
is "$(login editor.a 'pw a' "$WORK/jar")" 303 "logged in"

route_headers "$WORK/jar" "$ROUTES"
# Nothing of the refused POSTs happened.
is "$(tj '.[].status' list --all)" new "the refused POSTs changed nothing"
