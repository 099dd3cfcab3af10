#!/bin/sh
# 65-desk-unseen.t - issue 10 item 1: what is new since this editor last
# looked (list --unseen, seen, show on a terminal marks), arrival order and
# --since by arrival, threads sorted by and flagged with all their messages.
. "$(dirname "$0")/lib.sh"
export TZ=Asia/Ho_Chi_Minh
M=$WORK/mail
python3 "$FIX/desk10/gen.py" "$M"

plan 23

tl -q import "$M"/[1-79]-*.eml; is "$?" 0 "import the first messages"
tl -q import "$M"/8-followup.eml; is "$?" 0 "a follow-up arrives later"
ROOT=$(id_of t10-root@example.org)
FU=$(id_of t10-follow@example.org)
LATE=$(id_of t10-late@example.org)
OTHER=$(id_of t10-other@example.org)
# jq-less JSON: python prints what is asked of the rows.
rows() { py=$1; shift; tl list "$@" --json | python3 -c "
import json, sys; r = json.load(sys.stdin); $py"; }

is "$(rows 'print(r[0]["id"], r[0]["follow_up_count"])')" "$ROOT 1" \
	"a late follow-up brings its 5-day-old thread to the top"
is "$(rows 'print(r[0]["thread"]["attachment_count"], r[0]["thread"]["has_gps"], r[0]["attachment_count"], r[0]["has_gps"])')" \
	"1 True 0 False" "the thread row carries the follow-up's photo and GPS"
row=$(tl list | grep -E "^ *$ROOT  ")
like "$row" " 1 ! +Ngập sâu" "the text row shows the attachment and the GPS mark"
is "$(rows 'print([x["id"] for x in r])' --limit 2 --offset 0)" \
	"$(rows 'print([x["id"] for x in r][:2])')" \
	"a page (--limit) is the head of the whole list"
is "$(rows 'print(r[0]["id"])' --sort arrival)" "$ROOT" \
	"--sort arrival: the thread of the latest arrival first"
is "$(rows 'print(r[-1]["id"])' --sort arrival --reverse)" "$ROOT" \
	"--sort arrival --reverse: it is last"
today=$(date +%Y-%m-%d)
is "$(rows 'print(sum(1 for x in r if x["id"] == '"$LATE"'))' --since "$today")" 1 \
	"mail that arrived today with yesterday's Date is in --since today"
is "$(rows 'print(sum(1 for x in r if x["id"] == '"$LATE"'))' --until "$(date -d yesterday +%Y-%m-%d)")" 0 \
	"...and not in --until yesterday"
# Every row carries its arrival time; the top thread's latest arrival (the
# follow-up, imported last) is at or after every row's.  (Rows are ordered
# by their thread's latest queue time, not by their own received_utc: two
# rows of one import may straddle a second.)
is "$(rows 'import re; t = [x["received_utc"] for x in r]
print(all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", x or "") for x in t),
      r[0]["thread"]["latest_received_utc"] >= max(t))')" "True True" \
	"rows carry received_utc"

# Unseen.
n=$(rows 'print(len(r))')
is "$(rows 'print(len(r))' --unseen)" "$n" "at first everything is unseen"
tl show "$OTHER" >/dev/null; tl show "$OTHER" --json >/dev/null
is "$(rows 'print('"$OTHER"' in [x["id"] for x in r])' --unseen)" True \
	"show into a pipe and show --json do not mark"
if command -v script >/dev/null 2>&1; then
	PAGER=cat script -qec "$TIPLINE_BIN --config $CONF show $OTHER" /dev/null >"$WORK/tty"
	is "$(rows 'print('"$OTHER"' in [x["id"] for x in r])' --unseen)" False \
		"show on a terminal marks it seen"
else
	ok 0 "# SKIP script(1) not installed"
fi
is "$(TIPLINE_EDITOR=other rows 'print('"$OTHER"' in [x["id"] for x in r])' --unseen)" True \
	"...for that editor only"
is "$(rows 'print([x["unseen"] for x in r if x["id"] == '"$OTHER"'][0])')" False \
	"list --json says unseen: false for it"
tl -q seen "$ROOT"; is "$?" 0 "seen ID exits 0"
is "$(rows 'print('"$ROOT"' in [x["id"] for x in r])' --unseen)" True \
	"a seen root with an unseen follow-up is still unseen"
tl -q seen "$FU"
is "$(rows 'print('"$ROOT"' in [x["id"] for x in r])' --unseen)" False \
	"once the follow-up is seen too, the thread is not"
tl -q seen 999999 2>"$WORK/err"; is "$?" 65 "seen of an unknown id exits 65"
like "$(cat "$WORK/err")" "no submission 999999" "...and names it"
tl -q seen --all; is "$(rows 'print(len(r))' --unseen)" 0 "seen --all"
tl seen >/dev/null 2>&1; is "$?" 64 "seen without ids or --all: usage"
