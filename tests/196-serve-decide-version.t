#!/bin/sh
# 196-serve-decide-version.t - issue 12, "Conflicts": a decision carries
# the version the editor saw, not only the status.  A->B->A: editor X
# opens a new submission; editor Y approves it, then reopens it (new
# again); X's approve from the stale page is refused (409, naming Y's
# reopen), with no audit row, and the submission stays new.  The version
# is the id of the newest decision row (tipline audit --json), 0 before
# any.  The bulk page carries it too ("id.N" = "new:VERSION").  Before
# the version, the status check alone let X's approve through.
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
serve_need
plan 17

mail() {
	cat > "$WORK/m$1.eml" <<EOF
From: Nguyễn Văn A <reader.a@example.org>
To: tips@example.net
Subject: Tin $1
Date: Tue, 1 Dec 2026 10:0$1:00 +0700
Message-ID: <m$1.196@example.org>
Content-Type: text/plain; charset=utf-8

Tin số $1.
EOF
}
mail 1
mail 2
tl import "$WORK/m1.eml" "$WORK/m2.eml" >/dev/null 2>&1
set -- $(tj '.[].id' list | sort -n)
a=$1 b=$2
state() { tj .status show "$1"; }
# decisions ID: its decision rows, "action:editor" oldest first.
decisions() {
	tl audit "$1" --json | jq -r '[.[] | select(.action == "approve" or
		.action == "reject" or .action == "spam" or
		.action == "reopen") | "\(.action):\(.editor)"] | join(" ")'
}
# last_row ID: the id of ID's newest audit row.
last_row() { tl audit "$1" --json | jq -r 'max_by(.id) | .id'; }
serve_local editor.x 'pw x' editor.y 'pw y'
serve_start
login editor.x 'pw x' "$WORK/x" >/dev/null
login editor.y 'pw y' "$WORK/y" >/dev/null

# field PAGE NAME: the value of the hidden field NAME of the page.
field() {
	printf '%s\n' "$1" | grep -o "name=\"$2\" value=\"[^\"]*\"" | head -1 |
		sed 's/.*value="//; s/"$//'
}
# decide JAR ID ACTION: load the page of ID as an editor would, then
# decide from it; prints the HTTP status.
decide() {
	_p=$(hc -b "$1" "$BASE/s/$2")
	status -b "$1" -d "action=$3" -d "csrf=$(field "$_p" csrf)" \
		-d "seen_status=$(field "$_p" seen_status)" \
		-d "seen_version=$(field "$_p" seen_version)" \
		"$BASE/s/$2/decide"
}

# X opens #a: new, no decision yet.
px=$(hc -b "$WORK/x" "$BASE/s/$a")
tx=$(field "$px" csrf)
is "$(field "$px" seen_status):$(field "$px" seen_version)" "new:0" \
	"the page carries the status and the version X saw (new, 0)"

# Y approves, then reopens: new again, but not the same new.
is "$(decide "$WORK/y" "$a" approve):$(state "$a")" "303:approved" \
	"Y approves #$a from a fresh page"
is "$(decide "$WORK/y" "$a" reopen):$(state "$a")" "303:new" \
	"... and reopens it from a fresh page: new again"
py=$(hc -b "$WORK/y" "$BASE/s/$a")
is "$(field "$py" seen_version)" "$(last_row "$a")" \
	"the version is now the id of Y's reopen row"

# X approves from the stale page.
out=$(hc -b "$WORK/x" -w '\n%{http_code}' -d action=approve -d "csrf=$tx" \
	-d "seen_status=$(field "$px" seen_status)" \
	-d "seen_version=$(field "$px" seen_version)" "$BASE/s/$a/decide")
is "$(echo "$out" | tail -1)" 409 "X's stale approve: 409"
like "$out" "decided meanwhile \(reopen by editor\.y at " \
	"... the page names Y's reopen"
is "$(decisions "$a")" "approve:editor.y reopen:editor.y" \
	"tipline audit --json: Y's two rows only, none for X"
is "$(state "$a")" new "tipline show --json: still new"

# A non-decision (export) is no new version: a fresh page still decides.
mkdir "$WORK/exp"
tl -q export "$a" --to "$WORK/exp" >/dev/null 2>&1
is "$(tl audit "$a" --json | jq -r 'max_by(.id) | .action')" export \
	"an export of #$a is on record after Y's reopen"
is "$(decide "$WORK/x" "$a" approve):$(state "$a")" "303:approved" \
	"X reloads and approves: 303, approved"
is "$(decisions "$a")" \
	"approve:editor.y reopen:editor.y approve:editor.x" \
	"... one approve row by X"

# An old form with the status only is still checked on the status.
is "$(status -b "$WORK/x" -d action=reject -d "csrf=$tx" \
	-d seen_status=new "$BASE/s/$a/decide")" 409 \
	"a form with only seen_status=new on an approved one: 409"
is "$(status -b "$WORK/x" -d action=reject -d "csrf=$tx" \
	-d seen_status=new -d seen_version=x1 "$BASE/s/$a/decide")" 400 \
	"a malformed seen_version: 400"

# Bulk: X's /bulk page, then Y approves and reopens #b.
bulk=$(hc -b "$WORK/x" "$BASE/bulk")
vb=$(field "$bulk" "id\\.$b")
is "$vb" "new:0" "GET /bulk: #$b's checkbox carries new:0"
decide "$WORK/y" "$b" approve >/dev/null
decide "$WORK/y" "$b" reopen >/dev/null
out=$(hc -b "$WORK/x" -d "csrf=$tx" -d action=approve -d "id.$b=$vb" \
	"$BASE/bulk/apply")
like "$out" "<li class=\"refused\">#$b: decided meanwhile, not changed: now new \(reopen by editor\.y" \
	"X's stale bulk approve of #$b is refused, naming Y's reopen"
is "$(state "$b"):$(decisions "$b")" "new:approve:editor.y reopen:editor.y" \
	"... #$b stays new, Y's two rows only"
bulk=$(hc -b "$WORK/x" "$BASE/bulk")
out=$(hc -b "$WORK/x" -d "csrf=$tx" -d action=approve \
	-d "id.$b=$(field "$bulk" "id\\.$b")" "$BASE/bulk/apply")
is "$(state "$b"):$(decisions "$b")" \
	"approved:approve:editor.y reopen:editor.y approve:editor.x" \
	"a fresh /bulk page applies: approved, one row by X"
