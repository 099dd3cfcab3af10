#!/bin/sh
# 150-serve-queue-filters.t - the queue page (issue 12, Pages): q= is
# `tipline search` (Đà Nẵng found by "da nang", nothing else), status=,
# has=gps/photo, the follow-up folded into its thread, badges, dates in
# [desk] timezone, the filter form prefilled.  A real tipline-serve over a
# database from `tipline import` of generated mails.
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
serve_need
plan 20

T1=$(python3 "$FIX/serve/queue-gen.py" "$WORK/m")
tl import "$WORK/m"/*.eml >/dev/null 2>&1
is "$?" 0 "five generated mails imported"
sid() {
	tl list --all --flat --json | python3 -c 'import json, sys
print([r["id"] for r in json.load(sys.stdin) if r["subject"] == sys.argv[1]][0])' "$1"
}
DANANG=$(sid 'Ngập nặng ở Đà Nẵng')
TREE=$(sid 'Cây đổ ở Huế')
HANOI=$(sid 'Kẹt xe ở Hà Nội')
printf '[desk]\ntimezone = Asia/Ho_Chi_Minh\n' >>"$CONF"
printf 'proxy-secret-1\n' > "$WORK/proxy.secret"
chmod 600 "$WORK/proxy.secret"
printf '[serve]\nauth = proxy\nproxy_secret_file = %s\n' \
	"$WORK/proxy.secret" >>"$CONF"
serve_start
# get QUERY: the queue page as editor.a.
get() {
	hc -H 'X-Remote-User: editor.a' \
		-H 'X-Tipline-Proxy-Secret: proxy-secret-1' "$BASE/$1"
}
# ids QUERY: the submission ids the page lists, in order.
ids() { get "$1" | grep -o 'href="/s/[0-9]*"' | grep -o '[0-9]*' | tr '\n' ' '; }

is "$(ids '?q=da+nang')" "$DANANG " "q=da nang: the Đà Nẵng tip only"
is "$(ids '?q=%C4%91%C3%A0+n%E1%BA%B5ng')" "$DANANG " \
	"q=đà nẵng (diacritics as typed): the same"
like "$(get '?q=da+nang')" 'name="q" value="da nang"' \
	"the form is prefilled with the search"
is "$(ids '?q=hue+-cay')" "$(tl search --json 'hue -cay' | python3 -c \
	'import json,sys; print(" ".join(str(r["id"]) for r in json.load(sys.stdin)), end=" ")')" \
	"q= uses the search syntax of tipline search (-word)"

is "$(ids '?status=approved')" "" "status=approved: nothing approved yet"
tl -q approve "$HANOI" --note ok >/dev/null
is "$(ids '?status=approved')" "$HANOI " \
	"status=approved: the one approved through the CLI"
like "$(get '?status=approved')" 'name="status" value="approved"' \
	"... the form keeps the status"
case " $(ids '')" in *" $HANOI "*) r=1 ;; *) r=0 ;; esac
ok "$r" "the default queue (as tipline list) leaves the approved one out"

is "$(ids '?has=gps')" "$DANANG " "has=gps: only the tip whose photo has GPS"
is "$(ids '?has=photo' | tr ' ' '\n' | sort -n | tr '\n' ' ')" \
	"$(printf '%s\n' "$DANANG" "$TREE" | sort -n | tr '\n' ' ')" \
	"has=photo: both photos"
like "$(get '?has=gps')" '<option value="gps" selected>' \
	"... the has select keeps the choice"

is "$(ids '?mailbox=INBOX')" "" \
	"mailbox=INBOX: none of the imported files (fetched ones only)"

page=$(get '')
like "$page" '\+1 follow-up' "the follow-up is folded into its thread"
like "$page" 'class="badge gps">GPS' "the GPS badge"
like "$page" '1 attachment' "the attachment count"
like "$page" 'Date \(Asia/Ho_Chi_Minh\)' "the date column names the zone"
# The thread shows its latest message's time: the follow-up's, an hour
# after the tip's.
want=$(TZ=Asia/Ho_Chi_Minh date -d "$T1 1 hour" '+%Y-%m-%d %H:%M')
like "$(get '?has=gps')" "<td>$want</td>" \
	"dates in the newsroom's zone ([desk] timezone)"
# The submission page and its history: the same zone, with the offset;
# the UTC time stays in the <time> element's datetime.
d=$(tj .date_utc show "$DANANG")
want=$(TZ=Asia/Ho_Chi_Minh date -d "$d" '+%Y-%m-%d %H:%M:%S [+]07:00')
sub=$(hc -H 'X-Remote-User: editor.a' \
	-H 'X-Tipline-Proxy-Secret: proxy-secret-1' "$BASE/s/$DANANG")
like "$sub" "<dt>Date</dt><dd><time datetime=\"$d\">$want</time>" \
	"the submission page's date in the newsroom's zone, with the offset"
printf '%s\n' "$sub" | grep -q '(UTC)'
ok $((! $?)) "... and no field labelled UTC"
