#!/bin/sh
# 68-desk-show-zone.t - issue 10 item 8: show names the newsroom's time
# zone ([desk] timezone, default the system's), not "(local)", and the
# History table stays aligned with a Vietnamese editor's name.
. "$(dirname "$0")/lib.sh"
M=$WORK/mail
python3 "$FIX/desk10/gen.py" "$M"
plan 12

tl -q import "$M"/2-other.eml
ID=$(tj '.[0].id' list --all)
utc=$(tj .date_utc show "$ID")
hcm=$(TZ=Asia/Ho_Chi_Minh date -d "$utc" '+%Y-%m-%d %H:%M:%S \+07:00')
# A server kept in UTC.
TZ=UTC tl show "$ID" >"$WORK/v"
like "$(grep '^Date:' "$WORK/v")" "\(UTC\)  $utc \(UTC\)" \
	"without a setting the system's zone is named (UTC here)"
grep -q '(local)' "$WORK/v"; is "$?" 1 "...never \"(local)\""
printf '[desk]\ntimezone = Asia/Ho_Chi_Minh\n' >>"$CONF"
TZ=UTC tl show "$ID" >"$WORK/v"
like "$(grep '^Date:' "$WORK/v")" "$hcm \(Asia/Ho_Chi_Minh\)  $utc \(UTC\)" \
	"[desk] timezone: the newsroom's time, named, whatever TZ says"
TZ=UTC tl list >"$WORK/l"
like "$(cat "$WORK/l")" "$(echo "$hcm" | cut -c1-16)" "list shows the same zone"
sed -i 's|^timezone = .*|timezone = Asia/Hanoi_Typo|' "$CONF"
tl show "$ID" >/dev/null 2>"$WORK/err"; is "$?" 78 "an unknown zone is a configuration error"
like "$(cat "$WORK/err")" "tipline.conf:[0-9]+: timezone: unknown time zone" \
	"...named with file:line"
sed -i '/^\[desk\]/,$d' "$CONF"

# History: a Vietnamese name (18 columns, 25 bytes) and a short one.
TIPLINE_EDITOR='Trần Thị Bích Ngọc' tl -q approve "$ID" --note 'ok'
TIPLINE_EDITOR='an' tl -q reopen "$ID"
tl show "$ID" | sed -n '/^History:/,$p' | tail -n +2 >"$WORK/h"
is "$(wc -l <"$WORK/h")" 3 "three history rows"
# The column where the action starts, counted in display columns (marks
# take none), is the same on every row.
is "$(perl -CSD -ne '
	/^(\s+\S+ \S+\s+.*?\s)(ingest|approve|reopen) / or next;
	my $p = $1; $p =~ s/\p{Mn}//g; print length($p), "\n";' "$WORK/h" |
	sort -u | wc -l)" 1 "the History table is aligned by display width"

# One style for errors (issue 10): "tipline COMMAND: what, the object named".
tl approve 99 2>"$WORK/e1" >/dev/null
is "$(cat "$WORK/e1")" "tipline approve: no submission 99" "approve of an unknown id"
tl approve abc 2>"$WORK/e2" >/dev/null
is "$(cat "$WORK/e2")" 'tipline approve: "abc" is not a submission id; nothing changed' \
	"approve of a malformed id"
tl show 99 2>"$WORK/e3" >/dev/null
is "$(cat "$WORK/e3")" "tipline show: no submission 99" "show of an unknown id"
TIPLINE_DB=$WORK/none/x.db tl list 2>"$WORK/e4" >/dev/null
like "$(cat "$WORK/e4")" "^tipline list: " "a database error names the command"
