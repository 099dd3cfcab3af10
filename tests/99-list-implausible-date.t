#!/bin/sh
# 99-list-implausible-date.t - a mail whose Date is implausible (three
# days in the future, or from a phone whose clock says 1980) sits where it
# arrived, and list shows that arrival time marked '?', not the Date as if
# it were true (editor trial: a future-dated mail stood on top with its
# forged date and no mark). A plausible Date is shown as written.
. "$(dirname "$0")/lib.sh"
plan 8

mail() {	# FILE DATE SUBJECT
	printf 'From: Nguyễn Văn A <reader.a@example.org>\nTo: tips@example.net\nSubject: %s\nDate: %s\nMessage-ID: <%s@example.org>\n\nNội dung: %s.\n' \
		"$3" "$2" "$(basename "$1" .eml)" "$3" > "$1"
}
future=$(date -u -d '+3 days' '+%a, %d %b %Y 08:00:00 +0000')
plausible=$(date -u -d '-1 day' '+%a, %d %b %Y 08:00:00 +0000')
mail "$WORK/future.eml" "$future" "Tin từ tương lai"
mail "$WORK/old.eml" "Tue, 01 Jan 1980 00:00:00 +0000" "Điện thoại chưa chỉnh giờ"
mail "$WORK/normal.eml" "$plausible" "Tin hôm qua"
tl -q import "$WORK/normal.eml" "$WORK/future.eml" "$WORK/old.eml"
is "$?" 0 "three mails imported"

flag() {	# SUBJECT-PREFIX -> date_implausible of that row
	tl list --json | python3 -c 'import json, sys
for r in json.load(sys.stdin):
    if r["subject"].startswith(sys.argv[1]):
        print(str(r["date_implausible"]).lower())' "$1"
}
is "$(flag 'Tin từ')" true "a Date three days ahead is implausible (--json)"
is "$(flag 'Điện')" true "a Date of 1980 is implausible (--json)"
is "$(flag 'Tin hôm')" false "yesterday's Date is plausible (--json)"

TZ=UTC tl list > "$WORK/list"
today=$(date -u +%Y-%m-%d)
row=$(grep 'Tin từ tương lai' "$WORK/list")
like "$row" "^ *[0-9]+  new +$today " \
	"the future-dated row shows its arrival day, not the forged date"
like "$row" ' - +\? ' "...marked ?"
like "$(grep 'Điện thoại' "$WORK/list")" ' - +\? ' "the 1980 row is marked ? too"
row=$(grep 'Tin hôm qua' "$WORK/list")
like "$row" "^ *[0-9]+  new +$(date -u -d '-1 day' +%Y-%m-%d) 08:00 .* - +Tin" \
	"the plausible row shows its own Date and no mark"
