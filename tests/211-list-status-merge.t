#!/bin/sh
# 211-list-status-merge.t - the default list (new, quarantined, too large)
# is one queue in time order, newest first, whatever the statuses: on
# SQLite a page reads each status's newest rows apart and merges them
# (desk.c, walk_prepare and list_walk), so a merge that kept one
# status's rows together, or cut a status short, shows here.  Nine
# messages a minute apart; their statuses cycle new, quarantined,
# too_large; two are approved.
. "$(dirname "$0")/lib.sh"
plan 6

for i in 1 2 3 4 5 6 7 8 9; do
	printf 'From: Nguyễn Văn A <reader.a@example.org>\nTo: tin@example.net\nSubject: Tin %s\nDate: Mon, 03 Jun 2024 08:0%s:00 +0700\nMessage-ID: <m%s@example.org>\n\nSố %s.\n' \
		"$i" "$i" "$i" "$i" > "$WORK/$i.eml"
done
tl -q import "$WORK"/[1-9].eml
sql "UPDATE submission SET status = CASE id % 3 WHEN 1 THEN 'new'
	WHEN 2 THEN 'quarantined' ELSE 'too_large' END"
tl -q approve 4 8
ids() { tj '[.[].id] | map(tostring) | join(" ")' list "$@"; }
is "$(ids)" "9 7 6 5 3 2 1" "newest first across the three statuses"
is "$(ids --limit 3)" "9 7 6" "a page of three"
is "$(ids --limit 3 --offset 3)" "5 3 2" "the next page"
is "$(ids --limit 2 --offset 5)" "2 1" "the last page"
is "$(ids --status new,too_large --limit 3)" "9 7 6" \
	"two statuses named: merged the same way"
is "$(ids --status quarantined --limit 5)" "5 2" "one status"
