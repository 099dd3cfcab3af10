#!/bin/sh
# 46-desk-purge.t - `tipline purge`: a purged submission leaves no trace of
# its text, original or diacritic-folded, in the database file or its WAL
# (an idle reader keeps the WAL file in place while tipline runs), while
# the purge itself is audited without content.
. "$(dirname "$0")/lib.sh"
D=$FIX/desk

plan 22

tl -q import "$D"/*.eml; is "$?" 0 "import the desk fixtures"
id_of() { sql "SELECT id FROM submission WHERE message_id = '$1'"; }
DN=$(id_of desk01@example.org)
KEEP=$(id_of desk02@example.org)
ROOT=$(id_of desk-orig@example.org)
F1=$(id_of desk-follow1@example.org)

# Traces of submission DN: its original words, its sender, its editor's
# note, and the forms only the folded index and the export path hold.
# Count them (case-insensitive) in the database and WAL bytes.
traces() {
	python3 - "$DB" <<'EOF'
import os, sys
words = ["ĐNX7749", "dnx7749", "Quỳnhđộng", "quynhdong", "Bạch Đằng",
	 "reader.b@example.org", "desk01@example.org", "ảnh giả",
	 "da-nang-nuoc-ngap"]
data = b""
for suffix in ("", "-wal"):
	if os.path.exists(sys.argv[1] + suffix):
		data += open(sys.argv[1] + suffix, "rb").read()
low = data.lower()	# ASCII only: Đ and đ stay themselves
print(" ".join(w for w in words
	       if w.encode() in data or w.encode().lower() in low) or "none")
EOF
}

tl -q reject "$DN" --reason "ảnh giả" >/dev/null
tl -q reject "$KEEP" --reason "trùng" >/dev/null
tl -q export "$DN" --to "$WORK" >/dev/null
# DN and the root of a thread were received long ago; KEEP is recent.
sql "UPDATE submission SET received_utc = '2020-01-01T00:00:00Z'
	WHERE id IN ($DN, $ROOT)"
tl -q reject "$ROOT" >/dev/null

# Keep an idle reader on the database, as an editor's shell would: the WAL
# file then outlives each tipline run, and we can read its bytes.
python3 -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1])
c.execute("SELECT count(*) FROM submission").fetchall()
open(sys.argv[2], "w").close()
time.sleep(60)' "$DB" "$WORK/reader-ready" &
reader=$!
i=0
while [ ! -e "$WORK/reader-ready" ] && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done
tl -q approve "$KEEP" >/dev/null	# something in the WAL now
[ -s "$DB-wal" ]; ok $? "the WAL file exists and is not empty"
is "$(stat -c %a "$DB" "$DB-wal" "$DB-shm" | tr '\n' ' ')" "660 660 660 " \
	"the database, -wal and -shm are owner and group only (0660)"
before=$(traces)
like "$before" "ĐNX7749 dnx7749 Quỳnhđộng" \
	"before the purge the text is in the files (found: $before)"
like "$before" "da-nang-nuoc-ngap" "...and so is the export path"

tl purge --status rejected --older-than 30d --dry-run >"$WORK/dry"
is "$?" 0 "dry run exits 0"
like "$(cat "$WORK/dry")" "^would purge 2 submissions" "dry run counts 2 (DN, root)"
is "$(sql "SELECT count(*) FROM submission WHERE id IN ($DN, $ROOT)")" 2 \
	"dry run deletes nothing"

tl purge --status rejected --older-than 30d >"$WORK/purge"
is "$?" 0 "purge exits 0"
like "$(cat "$WORK/purge")" "^purged 2 submissions" "purge reports the count"
is "$(sql "SELECT count(*) FROM submission WHERE id IN ($DN, $ROOT)") \
$(sql "SELECT count(*) FROM raw WHERE submission_id IN ($DN, $ROOT)") \
$(sql "SELECT count(*) FROM search_folded WHERE rowid IN ($DN, $ROOT)")" \
	"0 0 0" "rows, raw bytes and search entries are gone"
is "$(sql "SELECT status FROM submission WHERE id = $KEEP")" approved \
	"a recent submission is kept"
is "$(sql "SELECT parent_id IS NULL FROM submission WHERE id = $F1")" 1 \
	"a follow-up of a purged root becomes a root"
is "$(tl search ĐNX7749 --all --json)" "[]" "search finds nothing"
is "$(traces)" "none" "no trace in the database or WAL bytes"
like "$(ls -l "$DB-wal" 2>/dev/null | awk '{print $5}')" '^0?$' \
	"the WAL was truncated"

like "$(sql "SELECT editor, action, old_status, note FROM audit WHERE action = 'purge'")" \
	'^test-editor\|purge\|rejected\|2 submissions purged \(status rejected, older than 30d; received before 20[0-9-]{8}T[0-9:]{8}Z\)$' \
	"the purge is audited with count and criteria"
is "$(sql "SELECT count(*) FROM audit WHERE submission_id = $DN AND note <> '[purged]'")" 0 \
	"notes on the purged submission are cleared"
is "$(sql "SELECT group_concat(action) FROM audit WHERE submission_id = $DN")" \
	"ingest,reject,export,purge" \
	"who did what stays on record, and the purge itself (issue 10)"
kill "$reader" 2>/dev/null
wait "$reader" 2>/dev/null || true

# Footguns refused (QA F24): a bare number, and unreviewed statuses
# without --force.
tl purge --status rejected --older-than 90 --dry-run >/dev/null 2>&1
is "$?" 64 "purge --older-than 90 (no unit) is refused"
tl purge --status new --older-than 30d --dry-run >/dev/null 2>&1
is "$?" 64 "purge --status new without --force is refused"
tl purge --status new --older-than 30d --dry-run --force >/dev/null 2>&1
is "$?" 0 "and allowed with --force"
