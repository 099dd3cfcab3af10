#!/bin/sh
# 147-preview-cache-purge.t - a preview shows the tip, so it goes with
# it: purge leaves no preview row and none of the JPEG's bytes in the
# database files (the same promise as tests/46 for the text), and
# reparse, which may change the parts, drops the previews so that
# `previews` makes them again.
. "$(dirname "$0")/lib.sh"
. "$TESTS/preview-lib.sh"
. "$TESTS/preview-cache-lib.sh"
pc_setup
plan 7

mkmail "$WORK/a.eml" "anh bi xoa" noise.jpg="$FX/noise.jpg"
mkmail "$WORK/b.eml" "anh o lai" clip.mp4="$FX/clip.mp4"
tl -q import "$WORK/a.eml" "$WORK/b.eml"
is "$(tlp previews --json | jq .ok)" 2 "two previews made"
jpeg_of 1 0 "$WORK/p.jpg"
# 32 bytes from the middle of the cached JPEG, as hex, to look for (a
# noisy photo: a plain one repeats its bytes, and the other preview's).
mark=$(od -An -tx1 -j 1200 -N 32 "$WORK/p.jpg" | tr -d ' \n')
# On PostgreSQL the files are the server's (docs/operations.md says what
# stays there until VACUUM and WAL recycling): the rows are looked at.
found() {
	if on_pg; then sql "SELECT count(*) FROM preview WHERE
		position(decode('$mark', 'hex') IN jpeg) > 0"
	else cat "$DB" "$DB-wal" 2>/dev/null | od -An -tx1 -v |
		tr -d ' \n' | grep -c "$mark"; fi
}
is "$(found)" 1 "before the purge the preview is in the files"

tl -q reject 1 >/dev/null
sql "UPDATE submission SET received_utc = '2020-01-01T00:00:00Z'
	WHERE id = 1"
tl -q purge --status rejected --older-than 30d >/dev/null
is "$(sql "SELECT max(a.submission_id) FROM preview p
	JOIN attachment a ON a.id = p.attachment_id")/$(sql \
	"SELECT count(*) FROM preview")" "2/1" \
	"purge leaves no preview row of #1; #2's stays"
is "$(found)" 0 "no byte of the purged preview is left in the files"

tl -q reparse 2
is "$(sql "SELECT count(*) FROM preview")" 0 "reparse drops the previews"
: > "$RUNS"
is "$(tlp previews --json | jq -c '[.made, .previews[0].id]')/$(runs)" \
	"[1,2]/1" "and previews makes #2's again"
is "$(tlp previews --json | jq .made)" 0 "once"
