#!/bin/sh
# 67-desk-pipe-pager.t - issue 10 item 8: a closed pipe is a normal end
# (show | head exits 0, says nothing); list on a terminal goes through the
# pager with a page of 100 rows, --json and pipes get everything.
. "$(dirname "$0")/lib.sh"
export TZ=Asia/Ho_Chi_Minh
M=$WORK/mail
python3 "$FIX/desk10/gen.py" "$M"
plan 13

tl -q import "$M"/9-long.eml
LONG=$(sql "SELECT id FROM submission WHERE message_id = 't10-long@example.org'")
# closed CMD...: run tipline into `head -1`, record its status and stderr.
closed() {
	{ tl "$@" 2>"$WORK/err"; echo $? >"$WORK/rc"; } | head -1 >/dev/null
}
closed show "$LONG"
is "$(cat "$WORK/rc")" 0 "show | head: exit 0"
is "$(cat "$WORK/err")" "" "...and no error"
closed show "$LONG" --raw
is "$(cat "$WORK/rc") $(cat "$WORK/err")" "0 " "show --raw | head: exit 0, quiet"
closed show "$LONG" --json
is "$(cat "$WORK/rc") $(cat "$WORK/err")" "0 " "show --json | head: exit 0, quiet"

# A command that writes finishes its work, then ends quietly.
mkdir "$WORK/out"
{ tl export "$LONG" "$LONG" --to "$WORK/out" 2>"$WORK/err"; echo $? >"$WORK/rc"; } |
	{ exec <&-; sleep 1; }	# a reader that has gone already
is "$(cat "$WORK/rc") $(cat "$WORK/err")" "0 " "export | head: exit 0, quiet"
is "$(ls "$WORK/out" | wc -l) $(tj \
	'[.[] | select(.action == "export")] | length' audit)" \
	"2 2" "...and both exports were written and audited"

# 105 short tips in one mbox.
python3 - "$WORK/many.mbox" <<'PY'
import sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for i in range(105):
        f.write("From reader@example.org Mon Jun  3 10:00:00 2024\n"
                "From: Reader %d <reader%d@example.org>\nSubject: Tin %d\n"
                "Date: Mon, 3 Jun 2024 10:%02d:00 +0700\n"
                "Message-ID: <many%d@example.org>\n\nNoi dung %d.\n\n"
                % (i, i, i, i % 60, i, i))
PY
tl -q import "$WORK/many.mbox"
is "$(tl list | wc -l)" 107 "piped: every row (and the header)"
is "$(tl list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" \
	106 "--json: every row"
closed list
is "$(cat "$WORK/rc") $(cat "$WORK/err")" "0 " "list | head: exit 0, quiet"
if command -v script >/dev/null 2>&1; then
	NO_COLOR=1 TIPLINE_PAGER="cat > $WORK/paged" script -qec \
		"$TIPLINE_BIN --config $CONF list" /dev/null >"$WORK/tty"
	is "$(head -1 "$WORK/paged" | tr -s ' ' | sed 's/^ //' | cut -c1-9)" "ID STATUS" \
		"on a terminal the list goes to \$TIPLINE_PAGER"
	is "$(grep -c ' new ' "$WORK/paged")" 100 "...a page of 100 rows"
	like "$(tail -1 "$WORK/paged")" "--offset 100 shows the next" \
		"...and says how to see more"
	NO_COLOR=1 PAGER=cat script -qec "$TIPLINE_BIN --config $CONF list --limit 0" \
		/dev/null >"$WORK/tty"
	is "$(grep -c ' new ' "$WORK/tty")" 106 "PAGER=cat, --limit 0: every row"
else
	for i in 1 2 3 4; do ok 0 "# SKIP script(1) not installed"; done
fi
