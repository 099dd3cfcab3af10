#!/bin/sh
# The queue is ordered by the sender's Date unless that Date is implausible
# for when the message arrived (a reset phone clock: 1970; a spammer's
# 2099): then by arrival, with a warning (QA F21).
. "$(dirname "$0")/lib.sh"
Q=$FIX/queue
plan 7
tl import "$Q/dated-2024.eml" "$Q/dated-1970.eml" "$Q/dated-2099.eml" \
	"$Q/dated-1990.eml" 2>/dev/null
order=$(tl list --json | python3 -c 'import json,sys; print(" ".join(r["subject"][-4:] for r in json.load(sys.stdin)))')
is "$order" "1990 2099 1970 2024" \
	"implausible dates sit by arrival (newest first), the 2024 tip by its Date"
today=$(date -u +%Y-%m-%d)
since=$(tl list --since "$today" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
is "$since" 4 "--since today lists all four: they all arrived today (list filters by arrival)"
# subj SUBJECT FILTER: FILTER of show --json of the submission with
# that subject
subj() {
	tj "$2" show "$(tj ".[] | select(.subject == \"$1\") | .id" list --all)"
}
like "$(subj 'dated 2099' '.warnings[]')" \
	"Date \(2099-01-01T03:00:00Z\) is implausible" "the 2099 date is flagged"
is "$(tj '.[] | select(.subject == "dated 1970") | .date_utc' list --all)" \
	"1970-01-01T00:00:00Z" "the sender's Date itself is kept"
is "$(subj 'dated 2024' '.warnings | length')" 0 \
	"a plausible date is not flagged"
# show gives the warning's times in the newsroom's zone, named, as its
# Date: line (editor trial finding 4); --json keeps the stored UTC text.
printf '[desk]\ntimezone = Asia/Ho_Chi_Minh\n' >>"$CONF"
id=$(tl list --json | python3 -c 'import json,sys
print([r["id"] for r in json.load(sys.stdin) if r["subject"] == "dated 2099"][0])')
like "$(TZ=UTC tl show "$id" | grep implausible)" \
	"Date \\(2099-01-01 10:00:00 \\+07:00 \\(Asia/Ho_Chi_Minh\\)\\) is implausible for a message that arrived at [0-9-]+ [0-9:]+ \\+07:00 \\(Asia/Ho_Chi_Minh\\); it is queued" \
	"show: the implausible-Date warning in the desk's zone, named"
like "$(tl show "$id" --json)" "Date \\(2099-01-01T03:00:00Z\\) is implausible" \
	"show --json: the warning as stored, in UTC"

