#!/bin/sh
# 124-serve-browser.t - tipline serve (issue 12) in a real browser:
# headless Chromium (fresh profile, /usr/bin/python3 with Selenium) logs
# in, presses j on the queue, opens the row with Enter and approves it
# with a; the store shows it approved by that editor with one audit row.
# A hostile submission runs nothing. Skipped without chromium.
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
serve_need
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] ||
	skip_all "chromium or chromium-driver not installed"
/usr/bin/python3 -c 'import selenium' 2>/dev/null ||
	skip_all "python3-selenium not installed"
plan 12

tl import "$FIX/demo/05-opinion.eml" "$FIX/serve/xss.eml" >/dev/null 2>&1
xss=$(tl list --all --json | python3 -c 'import json, sys
print([r["id"] for r in json.load(sys.stdin)
       if "alert(1)" in (r["subject"] or "")][0])')
serve_local editor.c 'mật khẩu c'
serve_start
HOME=$WORK /usr/bin/python3 "$TESTS/serve-browser.py" "$BASE" editor.c \
	'mật khẩu c' "$xss" "$WORK/profile" > "$WORK/out" 2>"$WORK/err"
rc=$?
is "$rc" 0 "the browser session ran to its end"
[ "$rc" = 0 ] || diag "$(tail -40 "$WORK/err"; tail -20 "$SERVE_LOG")"
for name in "the login page" "the queue lists the submissions" \
	"j marks the first row" "Enter opens it" \
	"a presses Approve; the page says approved" \
	"no alert on the hostile submission" \
	"no submission-origin script, on* or image in the DOM" \
	"the subject is shown as text" \
	"no errors in the console (CSP included)"; do
	line=$(grep -F "ok $name" "$WORK/out")
	is "$line" "ok $name" "chromium: $name"
done
id=$(sed -n 's/^id //p' "$WORK/out")
is "$(tl show "${id:-0}" --json 2>/dev/null | python3 -c 'import json, sys
print(json.load(sys.stdin)["status"])')" approved \
	"tipline show --json: the row Chromium approved is approved"
got=$(tl audit "${id:-0}" --json 2>/dev/null | python3 -c 'import json, sys
r = [r for r in json.load(sys.stdin) if r["action"] == "approve"]
print(len(r), r[0]["editor"] if r else "-")')
is "$got" "1 editor.c" "tipline audit --json: one approve row by editor.c"
