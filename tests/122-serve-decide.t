#!/bin/sh
# 122-serve-decide.t - tipline serve (issue 12): decisions from the page.
# A POST without the CSRF token, with another editor's token, with
# Sec-Fetch-Site: cross-site or a foreign Origin is refused (403) and
# changes nothing; a GET on a decision's address is 405; a good decision
# is recorded under the editor's name (tipline show/audit --json); two
# editors deciding from the same stale page: one wins, the other 409.
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
serve_need
plan 17

tl import "$FIX/demo/05-opinion.eml" >/dev/null 2>&1
id=$(tl list --json | python3 -c 'import json, sys
print(json.load(sys.stdin)[0]["id"])')
serve_local editor.a 'pw a' editor.b 'pw b'
serve_start
login editor.a 'pw a' "$WORK/a" >/dev/null
login editor.b 'pw b' "$WORK/b" >/dev/null
ta=$(csrf_of "$WORK/a" "/s/$id")
tb=$(csrf_of "$WORK/b" "/s/$id")
like "$ta" '^[0-9a-f]{64}$' "editor.a's page carries a CSRF token"
[ "$ta" != "$tb" ]; ok $? "editor.b's token is another"
D=$BASE/s/$id/decide

# decide JAR ARGS...: POST an approval; prints the status.
decide() {
	jar=$1
	shift
	status -b "$jar" -d action=approve -d seen_status=new "$@" "$D"
}
state() {
	tl show "$id" --json | python3 -c 'import json, sys
print(json.load(sys.stdin)["status"])'
}
audits() {
	tl audit "$id" --json | python3 -c 'import json, sys
print(sum(1 for r in json.load(sys.stdin) if r["action"] == "approve"))'
}

is "$(decide "$WORK/a")" 403 "no CSRF token: 403"
is "$(decide "$WORK/a" -d "csrf=$tb")" 403 "another editor's token: 403"
is "$(decide "$WORK/a" -d "csrf=$ta" -H 'Sec-Fetch-Site: cross-site')" 403 \
	"Sec-Fetch-Site: cross-site: 403"
is "$(decide "$WORK/a" -d "csrf=$ta" -H 'Origin: http://evil.example.net')" \
	403 "a foreign Origin: 403"
is "$(decide "$WORK/a" -d "csrf=$ta" -H 'Origin: null')" 403 \
	"Origin: null without Sec-Fetch-Site: same-origin: 403"
is "$(status -b "$WORK/a" "$D?action=approve&csrf=$ta")" 405 \
	"GET on the decision URL: 405"
is "$(state):$(audits)" "new:0" "none of them changed anything"

# As Chromium sends it under Referrer-Policy: no-referrer.
is "$(decide "$WORK/a" -d "csrf=$ta" -H 'Sec-Fetch-Site: same-origin' \
	-H "Origin: null" --data-urlencode 'note=ảnh rõ, đăng')" 303 \
	"editor.a approves from the page: 303 back to it"
is "$(state)" approved "tipline show --json: approved"
got=$(tl audit "$id" --json | python3 -c 'import json, sys
r = [r for r in json.load(sys.stdin) if r["action"] == "approve"]
print(len(r), r[0]["editor"], r[0]["old_status"], r[0]["new_status"],
      r[0]["note"])')
is "$got" "1 editor.a new approved ảnh rõ, đăng" \
	"tipline audit --json: one row, editor.a, with the note"

# editor.b decides from the page it loaded before (status new): 409.
out=$(hc -b "$WORK/b" -w '\n%{http_code}' -d action=reject \
	-d seen_status=new -d "csrf=$tb" "$D")
is "$(echo "$out" | tail -1)" 409 "a stale decision: 409"
like "$out" "approve by editor.a" "... saying who decided meanwhile"
is "$(state):$(audits)" "approved:1" "... and nothing changed"

# Log out: the session's token no longer works.
status -b "$WORK/a" -d "csrf=$ta" "$BASE/logout" >/dev/null
is "$(decide "$WORK/a" -d "csrf=$ta")" 401 "after logout the session is gone"
is "$(status -b "$WORK/b" "$BASE/")" 200 "editor.b's session is untouched"
