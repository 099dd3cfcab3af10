#!/bin/sh
# 157-serve-seen.t - tipline serve (issues 10 and 12): a submission shown
# in the browser is marked seen for that editor by a same-origin POST
# (the page's "mark seen" form, which keys.js submits on load), never by
# the GET itself; a decision from the page marks it too; without the
# CSRF token the POST is refused.  Checked with `tipline list --unseen
# --json` under each editor's name.
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
serve_need
plan 11

mail() {
	cat > "$WORK/m$1.eml" <<EOF
From: Nguyễn Văn A <reader.a@example.org>
To: tips@example.net
Subject: Tin $1
Date: Tue, 1 Dec 2026 10:0$1:00 +0700
Message-ID: <m$1.157@example.org>
Content-Type: text/plain; charset=utf-8

Tin số $1.
EOF
}
mail 1
mail 2
tl import "$WORK/m1.eml" "$WORK/m2.eml" >/dev/null 2>&1
set -- $(tj '.[].id' list)
a=$1
b=$2
# unseen EDITOR: the ids `tipline list --unseen` gives that editor.
unseen() {
	TIPLINE_EDITOR=$1 tl list --unseen --json | jq -r '[.[].id] | sort | join(" ")'
}
all=$(echo "$a $b" | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//')
serve_local editor.a 'pw a' editor.b 'pw b'
serve_start
login editor.a 'pw a' "$WORK/ja" >/dev/null
page=$(hc -b "$WORK/ja" "$BASE/s/$a")
t=$(csrf_of "$WORK/ja" "/s/$a")
is "$(unseen editor.a)" "$all" "GET /s/$a alone marked nothing"
like "$page" "<form method=\"post\" id=\"mark-seen\" action=\"/s/$a/seen\"><input type=\"hidden\" name=\"csrf\" value=\"$t\"><button>Mark seen</button>" \
	"the page carries the mark-seen form with the token and a button"
like "$(hc -b "$WORK/ja" "$BASE/static/keys.js")" \
	"getElementById\('mark-seen'\)" "keys.js submits it on load"
is "$(status -b "$WORK/ja" -X POST "$BASE/s/$a/seen")" 403 \
	"POST /s/$a/seen without the token: 403"
is "$(status -b "$WORK/ja" "$BASE/s/$a/seen")" 405 "GET /s/$a/seen: 405"
is "$(unseen editor.a)" "$all" "... neither marked anything"
is "$(hc -b "$WORK/ja" -o /dev/null -w '%{http_code} %{redirect_url}' \
	-H 'Sec-Fetch-Site: same-origin' -H 'Origin: null' \
	-d "csrf=$t" "$BASE/s/$a/seen")" "303 $BASE/s/$a?seen=1" \
	"the form's POST: 303 back to the page with seen=1"
is "$(unseen editor.a)" "$b" "tipline list --unseen: #$a is seen by editor.a"
is "$(unseen editor.b)" "$all" "... and still new to editor.b"
is "$(status -b "$WORK/ja" -d "csrf=$t" "$BASE/s/999/seen")" 404 \
	"an unknown id: 404"
status -b "$WORK/ja" -d action=approve -d seen_status=new -d "csrf=$t" \
	"$BASE/s/$b/decide" >/dev/null
is "$(unseen editor.a)" "" "a decision from the page marks it seen too"
