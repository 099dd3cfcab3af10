#!/bin/sh
# 72-audit.t - issue 10 item 8: `tipline audit` (alias `log`) shows the
# audit log by id, editor and date, as text and JSON, also for purged
# submissions; `show` of a purged id says who purged it and when.
. "$(dirname "$0")/lib.sh"

plan 21

M=$WORK/mail
mkdir -p "$M"
for i in 1 2 3; do
	printf 'From: Nguyễn Văn A <reader.a@example.org>\nTo: tin@example.net\nSubject: Tin số %s\nDate: Mon, 03 Jun 2024 08:0%s:00 +0700\nMessage-ID: <audit%s@example.org>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nNội dung %s.\n' \
		"$i" "$i" "$i" "$i" >"$M/$i.eml"
done
tl -q import "$M"/*.eml; is "$?" 0 "import three messages"
A=$(id_of audit1@example.org); B=$(id_of audit2@example.org)
C=$(id_of audit3@example.org)
TIPLINE_EDITOR=alice tl -q approve "$A" --note "đăng được" >/dev/null
TIPLINE_EDITOR=bob tl -q reject "$B" --reason "trùng tin" >/dev/null
sql "UPDATE submission SET received_utc = '2020-01-01T00:00:00Z'"
TIPLINE_EDITOR=carol tl -q purge --status rejected --older-than 30d \
	>/dev/null
is "$?" 0 "purge the rejected one"

# fields FIELD...: one line per row of the JSON array on stdin
fields() { python3 -c '
import json, sys
for r in json.load(sys.stdin):
    print(" ".join(str(r[f]) for f in sys.argv[1:]))' "$@"; }

# show of a purged id says so; an id that never was says that.
tl show "$B" >/dev/null 2>"$WORK/err"; rc=$?
tl show 999 >/dev/null 2>"$WORK/err999"; rc999=$?
like "$(cat "$WORK/err")" \
	"submission $B was purged on 20[0-9-]{8}T[0-9:]{8}Z by carol" \
	"show of a purged id says when and by whom"
is "$rc" "$rc999" "and exits as for a missing id ($rc)"
[ "$rc" -ne 0 ]; ok $? "which is an error"
like "$(cat "$WORK/err999")" "no submission 999" "an id that never was"
tl show --json "$B" >/dev/null 2>"$WORK/err"
like "$(cat "$WORK/err")" "was purged on .* by carol" "also with --json"

# By id: the whole history, the purge last, notes cleared by the purge.
is "$(tl audit "$B" --json | fields action editor | tr '\n' ';')" \
	"ingest test-editor;reject bob;purge carol;" \
	"audit ID lists the purged submission's history"
is "$(tl audit "$B" --json | fields old_status new_status note | tail -2 |
	tr '\n' ';')" "new rejected [purged];rejected None None;" \
	"statuses stay, the note is cleared, the purge row has the old status"
is "$(tl audit "$A" --json | fields action note | tr '\n' ';')" \
	"ingest $M/1.eml;approve đăng được;" "a live submission's history"
is "$(tl log "$A" --json)" "$(tl audit "$A" --json)" "log is audit"

# By editor, by date.
is "$(tl audit --editor alice --json | fields submission_id action)" \
	"$A approve" "--editor"
is "$(tl audit --editor carol --json | fields submission_id action |
	tr '\n' ';')" "$B purge;None purge;" \
	"the purge: one row for the id, one for the whole run"
today=$(date +%Y-%m-%d)
n=$(tl audit --since "$today" --json | fields id | wc -l)
is "$n" 7 "--since today: 3 ingests, approve, reject, 2 purge rows"
is "$(tl audit --until 2020-01-01 --json)" "[]" "--until long ago: none"
is "$(tl audit --since "$today" --until "$today" --editor bob --json |
	fields action)" "reject" "filters combine"
is "$(tl audit --limit 2 --json | fields submission_id action |
	tr '\n' ';')" "$B purge;None purge;" "--limit keeps the newest, oldest first"

# Text view and errors.
like "$(tl audit "$B")" "carol +purge +rejected" "the text view"
tl audit abc >/dev/null 2>&1; is "$?" 64 "a bad id is a usage error"
tl audit --since notadate >/dev/null 2>&1; is "$?" 64 "a bad date too"
tl audit 998 --json >"$WORK/out"; is "$?.$(cat "$WORK/out")" "0.[]" \
	"an id without history gives an empty list"
