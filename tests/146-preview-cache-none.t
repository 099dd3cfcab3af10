#!/bin/sh
# 146-preview-cache-none.t - a file the worker cannot decode gets "no
# preview" kept in the store with the worker's reason, so that a hostile
# file is decoded once, not on every view (issue 12): a JPEG cut in the
# middle of its scan runs the worker once; the next runs (one with no
# worker installed at all) do not run it again and leave the made time
# as it was.  A worker that cannot be run is a setup error: it is
# reported, exits non-zero, and caches nothing.
. "$(dirname "$0")/lib.sh"
. "$TESTS/preview-lib.sh"
. "$TESTS/preview-cache-lib.sh"
pc_setup
plan 10

mkmail "$WORK/a.eml" "anh hong" cut.jpg="$FX/cut.jpg"
tl -q import "$WORK/a.eml"
tlp previews --json > "$WORK/1.json"
is "$?/$(jq -c '[.made, .ok, .none]' "$WORK/1.json")" "0/[1,0,1]" \
	"the cut JPEG: made 1, no preview"
reason=$(jq -r '.previews[0].reason' "$WORK/1.json")
like "$reason" "." "with the worker's reason: $reason"
is "$(sql "SELECT status || '|' || (CASE WHEN jpeg IS NULL THEN 1 ELSE 0 END) || '|' || reason
	FROM preview")" "none|1|$reason" "kept: none, no JPEG, the reason"
made=$(sql "SELECT made_utc FROM preview")
is "$(runs)" 1 "the worker ran once"
sleep 1	# a later run would store a later second, not the same one
is "$(tlp previews --json | jq .made)/$(runs)" 0/1 \
	"a second run makes nothing and runs no worker"
pc_noworker
tlp previews > "$WORK/out" 2>&1
is "$?/$(cat "$WORK/out")" "0/made 0 previews, 0 without one" \
	"with no worker installed: nothing to make, exit 0"
is "$(sql "SELECT made_utc FROM preview")" "$made" \
	"the cached none keeps its made time"

# A missing worker is not the file's fault: reported, nothing cached.
mkmail "$WORK/b.eml" "anh tot" a.jpg="$FX/landscape.jpg"
tl -q import "$WORK/b.eml"
tlp previews > "$WORK/out" 2> "$WORK/err"
is "$?" 70 "no worker: exit 70 (EX_SOFTWARE)"
like "$(cat "$WORK/err")" "^tipline previews: .*tipline-preview" \
	"the error names the worker"
is "$(sql "SELECT count(*) FROM preview")" 1 "nothing cached for it"
