#!/bin/sh
# 44-desk-decide.t - approve, reject, spam, reopen: several ids at once,
# the audit log (editor, time, text), unknown ids, and two editors
# deciding at the same moment without losing an update.
. "$(dirname "$0")/lib.sh"
D=$FIX/desk

plan 22

tl -q import "$D"/*.eml; is "$?" 0 "import the desk fixtures"
IDS=$(sql "SELECT group_concat(id, ' ') FROM submission")

out=$(TIPLINE_EDITOR=alice tl approve 1 2 3 --note "đã kiểm tra")
is "$?" 0 "approve three ids exits 0"
is "$(echo "$out" | tr '\n' ' ')" "1: new -> approved 2: new -> approved 3: new -> approved " \
	"approve reports each change"
is "$(sql "SELECT group_concat(status) FROM submission WHERE id IN (1,2,3)")" \
	"approved,approved,approved" "the three are approved"
is "$(sql "SELECT editor, action, old_status, new_status, note FROM audit
	WHERE submission_id = 2 AND action = 'approve'")" \
	"alice|approve|new|approved|đã kiểm tra" "the audit row has editor, states and note"
like "$(sql "SELECT at_utc FROM audit WHERE submission_id = 2 AND action = 'approve'")" \
	'^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' "the audit row has the time"

TIPLINE_EDITOR=bob tl reject 4 --reason "ảnh cũ" >/dev/null; is "$?" 0 "reject exits 0"
is "$(sql "SELECT status FROM submission WHERE id = 4")" rejected "reject sets rejected"
is "$(sql "SELECT note FROM audit WHERE submission_id = 4 AND action = 'reject'")" \
	"ảnh cũ" "reject --reason is recorded"
# Under cron or `env -i` the locale is C (ASCII): a Vietnamese reason must
# still be taken (it was refused as an invalid byte sequence).
LC_ALL=C LANG=C TIPLINE_EDITOR=bob tl reopen 4 --note "mở lại" >/dev/null
is "$?" 0 "reopen with a Vietnamese note in the C locale exits 0"
is "$(sql "SELECT note FROM audit WHERE submission_id = 4 AND action = 'reopen'")" \
	"mở lại" "the C-locale note is recorded as typed"
tl spam 5 >/dev/null; is "$(sql "SELECT status FROM submission WHERE id = 5")" spam "spam"
tl reopen 4 5 >/dev/null
is "$(sql "SELECT group_concat(status) FROM submission WHERE id IN (4, 5)")" \
	"new,new" "reopen puts them back to new"
is "$(tl approve 1 | head -1)" "1: already approved" "a repeated decision says so"

# Unknown ids: the others are decided, the exit status is 65.
tl approve 6 99999 >/dev/null 2>"$WORK/err"; is "$?" 65 "an unknown id exits 65"
like "$(cat "$WORK/err")" "no submission 99999" "the unknown id is named"
is "$(sql "SELECT status FROM submission WHERE id = 6")" approved \
	"the known id was still decided"
tl approve 7 x12 >/dev/null 2>&1; is "$?" 64 "a malformed id exits 64"
is "$(sql "SELECT status FROM submission WHERE id = 7")" new \
	"nothing changed after a malformed id"

# Two editors at the same time, over every id: alice approves, bob
# rejects, one process per id each.  Every decision must be on record,
# and each id's audit chain must be unbroken (old = previous new).
before=$(sql "SELECT count(*) FROM audit")
n=0
for id in $IDS; do n=$((n + 1)); done
( for id in $IDS; do TIPLINE_EDITOR=alice tl approve "$id" >/dev/null ||
	echo "alice $id $?"; done ) >"$WORK/a.err" 2>&1 &
pa=$!
( for id in $IDS; do TIPLINE_EDITOR=bob tl reject "$id" >/dev/null ||
	echo "bob $id $?"; done ) >"$WORK/b.err" 2>&1 &
pb=$!
wait $pa $pb
is "$(cat "$WORK/a.err" "$WORK/b.err")" "" "every decision of both editors succeeded"
is "$(sql "SELECT count(*) FROM audit WHERE id > (SELECT max(id) - $((2 * n)) FROM audit)
	AND editor IN ('alice', 'bob')") $(($(sql "SELECT count(*) FROM audit") - before))" \
	"$((2 * n)) $((2 * n))" "both editors' decisions are all in the audit log"
broken=$(sql "
	WITH d AS (SELECT id, submission_id, old_status, new_status,
		lag(new_status) OVER (PARTITION BY submission_id ORDER BY id)
		AS prev FROM audit WHERE submission_id IS NOT NULL)
	SELECT count(*) FROM d WHERE prev IS NOT NULL AND old_status <> prev")
last=$(sql "
	SELECT count(*) FROM submission s WHERE s.status <> (SELECT new_status
		FROM audit a WHERE a.submission_id = s.id ORDER BY a.id DESC
		LIMIT 1)")
is "$broken $last" "0 0" "no lost update: audit chains unbroken, status = last decision"
