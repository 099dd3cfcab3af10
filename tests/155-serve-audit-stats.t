#!/bin/sh
# 155-serve-audit-stats.t - tipline serve (issue 12): GET /audit shows
# the audit log (the rows `tipline audit --json` gives, newest first,
# with the editor's name, filters by editor and day) and GET /stats the
# counts `tipline stats --json` gives; both escape what they show.
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
serve_need
plan 14

# mail N SUBJECT: a small mail of our own.
mail() {
	cat > "$WORK/m$1.eml" <<EOF
From: Nguyễn Văn A <reader.a@example.org>
To: tips@example.net
Subject: $2
Date: Tue, 1 Dec 2026 10:0$1:00 +0700
Message-ID: <m$1.155@example.org>
Content-Type: text/plain; charset=utf-8

Tin số $1.
EOF
}
mail 1 'Cháy chợ'
mail 2 'Ngập đường'
mail 3 'Kẹt xe'
tl import "$WORK/m1.eml" "$WORK/m2.eml" "$WORK/m3.eml" >/dev/null 2>&1
is "$?" 0 "three mails imported"
set -- $(tj '.[].id' list)
serve_local editor.a 'pw a' '<b>ed</b>' 'pw x'
serve_start
login editor.a 'pw a' "$WORK/a" >/dev/null
login '<b>ed</b>' 'pw x' "$WORK/x" >/dev/null
t=$(csrf_of "$WORK/a" "/s/$1")
tx=$(csrf_of "$WORK/x" "/s/$2")
is "$(status -b "$WORK/a" -d action=approve -d seen_status=new \
	-d "csrf=$t" "$BASE/s/$1/decide")" 303 "editor.a approves #$1"
is "$(status -b "$WORK/x" -d action=reject -d seen_status=new \
	--data-urlencode 'note=<i>no</i>' -d "csrf=$tx" "$BASE/s/$2/decide")" \
	303 "an editor with markup in the name rejects #$2"

page=$(hc -b "$WORK/a" "$BASE/audit")
# The decisions as the page lists them: id, editor, action, newest first.
rows=$(printf '%s\n' "$page" | python3 -c 'import re, sys, html
for m in re.finditer(r"<tr class=\"row\">(.*?)</tr>", sys.stdin.read()):
    c = [html.unescape(re.sub("<[^>]*>", "", x))
         for x in re.findall(r"<td[^>]*>(.*?)</td>", m.group(1))]
    if c[3] in ("approve", "reject"):
        print(c[1], c[2], c[3])')
want=$(tl audit --json | python3 -c 'import json, sys
for r in reversed(json.load(sys.stdin)):
    if r["action"] in ("approve", "reject"):
        print("#%d" % r["submission_id"], r["editor"], r["action"])')
is "$rows" "$want" "/audit: the decisions of tipline audit --json, newest first"
like "$page" '<td class="editor">editor.a</td><td>approve</td>' \
	"... with the editor's name"
like "$page" '&lt;b&gt;ed&lt;/b&gt;' "an editor's name is escaped"
like "$page" '&lt;i&gt;no&lt;/i&gt;' "a note is escaped"
printf '%s\n' "$page" | grep -Eq '<b>ed</b>|<i>no</i>'
ok $((! $?)) "... and never markup"
is "$(hc -b "$WORK/a" "$BASE/audit?editor=editor.a" |
	grep -o '<td class="editor">[^<]*' | sort -u)" \
	'<td class="editor">editor.a' "?editor= keeps that editor's rows only"
today=$(date -u +%Y-%m-%d)
is "$(hc -b "$WORK/a" "$BASE/audit?day=1999-01-01" |
	grep -c '<tr class="row">')" 0 "?day= of another day: no rows"
like "$(hc -b "$WORK/a" "$BASE/audit?day=$today&editor=editor.a")" \
	'editor.a</td><td>approve' "?day= today: today's rows"
is "$(status -b "$WORK/a" "$BASE/audit?day=nonsense")" 400 \
	"?day= not a date: 400"

# The counts of tipline stats --json, as the page shows them.
got=$(hc -b "$WORK/a" "$BASE/stats" | python3 -c 'import re, sys
t = re.search(r"<table id=\"statuses\">(.*?)</table>", sys.stdin.read(),
              re.S).group(1)
print(" ".join("%s=%s" % p for p in
               re.findall(r"<tr><td>([a-z_]+)</td><td>([0-9]+)</td></tr>", t)))')
want=$(tl stats --json | python3 -c 'import json, sys
s = json.load(sys.stdin)
print(" ".join("%s=%d" % kv for kv in s["statuses"].items()),
      "total=%d" % s["total"])')
is "$got" "$want" "/stats shows the counts of tipline stats --json"
like "$want" "new=1 .*approved=1 rejected=1" "... which are the real ones"
