#!/bin/sh
# 158-serve-bulk.t - tipline serve (issue 12): bulk decisions without
# JavaScript.  GET /bulk lists the new submissions with checkboxes; POST
# /bulk/confirm only shows what will happen (nothing changes) and asks
# again; POST /bulk/apply decides each chosen one under the editor's name
# with one audit row each (tipline audit --json); one decided meanwhile
# is reported and not applied; without the CSRF token both POSTs are 403.
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
serve_need
plan 13

mail() {
	cat > "$WORK/m$1.eml" <<EOF
From: Nguyễn Văn A <reader.a@example.org>
To: tips@example.net
Subject: Tin <b>$1</b>
Date: Tue, 1 Dec 2026 10:0$1:00 +0700
Message-ID: <m$1.158@example.org>
Content-Type: text/plain; charset=utf-8

Tin số $1.
EOF
}
mail 1
mail 2
mail 3
tl import "$WORK/m1.eml" "$WORK/m2.eml" "$WORK/m3.eml" >/dev/null 2>&1
set -- $(tj '.[].id' list | sort -n)
a=$1 b=$2 c=$3
state() { tj .status show "$1"; }
approvals() {
	tl audit --json | jq -r '[.[] | select(.action == "approve") |
		"\(.submission_id):\(.editor)"] | sort | join(" ")'
}
serve_local editor.a 'pw a'
serve_start
login editor.a 'pw a' "$WORK/ja" >/dev/null
t=$(csrf_of "$WORK/ja" /bulk)
page=$(hc -b "$WORK/ja" "$BASE/bulk")
is "$(printf '%s\n' "$page" | grep -o 'type="checkbox" name="id\.[0-9]*" value="new:0"' |
	sed 's/.*id\.\([0-9]*\).*/\1/' | sort -n | tr '\n' ' ')" "$a $b $c " \
	"GET /bulk: a checkbox for each new submission"
like "$page" 'Tin &lt;b&gt;1&lt;/b&gt;' "... subjects escaped"

is "$(status -b "$WORK/ja" -d action=approve -d "id.$a=new" \
	"$BASE/bulk/confirm")" 403 "POST /bulk/confirm without the token: 403"
conf=$(hc -b "$WORK/ja" -w '\n%{http_code}' -d "csrf=$t" -d action=approve \
	-d "id.$a=new" -d "id.$b=new" "$BASE/bulk/confirm")
is "$(echo "$conf" | tail -1)" 200 "POST /bulk/confirm with #$a and #$b: 200"
like "$conf" '<strong id="count">2</strong>' "... it says 2 will be approved"
like "$conf" "<form method=\"post\" action=\"/bulk/apply\"><input type=\"hidden\" name=\"csrf\" value=\"$t\"><input type=\"hidden\" name=\"id.$a\" value=\"new\"><input type=\"hidden\" name=\"id.$b\" value=\"new\"><input type=\"hidden\" name=\"action\" value=\"approve\">" \
	"... and asks again with a second form of the two"
is "$(state "$a"):$(state "$b"):$(approvals)" "new:new:" \
	"confirming changed nothing"

is "$(status -b "$WORK/ja" -d action=approve -d "id.$a=new" \
	"$BASE/bulk/apply")" 403 "POST /bulk/apply without the token: 403"
is "$(status -b "$WORK/ja" "$BASE/bulk/apply")" 405 "GET /bulk/apply: 405"
out=$(hc -b "$WORK/ja" -d "csrf=$t" -d action=approve -d "id.$a=new" \
	-d "id.$b=new" "$BASE/bulk/apply")
is "$(state "$a"):$(state "$b"):$(state "$c")" "approved:approved:new" \
	"applied: #$a and #$b approved, #$c untouched"
is "$(approvals)" "$a:editor.a $b:editor.a" \
	"tipline audit --json: one approve row each, by editor.a"

# #c chosen, then rejected at the terminal before the apply.
TIPLINE_EDITOR=editor.b tl reject "$c" >/dev/null 2>&1
out=$(hc -b "$WORK/ja" -d "csrf=$t" -d action=approve -d "id.$c=new" \
	"$BASE/bulk/apply")
like "$out" "<li class=\"refused\">#$c: decided meanwhile, not changed: now rejected \(reject by editor.b" \
	"a stale one is reported, saying who decided"
is "$(state "$c"):$(approvals)" "rejected:$a:editor.a $b:editor.a" \
	"... and not applied"
