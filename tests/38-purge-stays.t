#!/bin/sh
# What purge removed stays removed: the same message imported (or fetched)
# again is not queued again (QA F39), and a new submission never takes a
# purged one's id and history (QA F40).
. "$(dirname "$0")/lib.sh"
plan 6
tl import "$FIX/import/001-lf.eml" "$FIX/import/002-plain.eml" 2>/dev/null
tl reject 2 --reason 'not for us' >/dev/null 2>&1
sql "UPDATE submission SET received_utc = '2020-01-01T00:00:00Z' WHERE id = 2"
tl purge --status rejected --older-than 30d >/dev/null 2>&1
is "$(count_all)" 1 "the rejected tip is purged"
tl import "$FIX/import/002-plain.eml" 2>/dev/null; is "$?" 0 "importing it again exits 0"
is "$(count_all)" 1 "but does not queue it again"
is "$(sql "SELECT count(*) FROM purged")" 1 "only its content hash is kept"
tl import "$FIX/import/004-from-lines.eml" 2>/dev/null
is "$(last_id)" 3 \
	"the next submission gets a new id (3), not the purged one's (2)"
is "$(tl show 3 --json | python3 -c 'import json,sys; print(len([h for h in json.load(sys.stdin)["history"] if h["action"] == "reject"]))')" 0 \
	"and none of its history"
