#!/bin/sh
# 47-desk-backup-stats.t - `tipline backup` gives a consistent, private,
# self-contained copy while an import keeps writing; `tipline stats`
# counts per status and day and shows each mailbox's last fetch.
. "$(dirname "$0")/lib.sh"
D=$FIX/desk

plan 15

tl -q import "$D"/*.eml; is "$?" 0 "import the desk fixtures"

# An mbox of 300 small messages, imported in the background.
python3 - "$WORK/big.mbox" <<'EOF'
import sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
	for i in range(300):
		f.write(f"From reader@example.org Mon Jun 10 08:00:00 2024\n"
			f"From: Người đọc {i} <r{i}@example.org>\n"
			f"Subject: Tin số {i}\nMessage-ID: <bulk{i}@example.org>\n"
			f"Date: Mon, 10 Jun 2024 08:00:00 +0700\n\n"
			f"Nội dung tin số {i}.\n\n")
EOF
( tl -q import "$WORK/big.mbox" >/dev/null 2>&1 ) &
imp=$!
n=0; fails=0
while kill -0 "$imp" 2>/dev/null && [ $n -lt 5 ]; do
	n=$((n + 1))
	tl -q backup "$WORK/b$n.db" >/dev/null 2>"$WORK/b.err" ||
		fails=$((fails + 1))
done
wait "$imp"; is "$?" 0 "the import ran to the end meanwhile"
[ $n -ge 1 ]; ok $? "took $n backups during the import"
is "$fails" 0 "every backup succeeded while the import was writing"
bad=0
for i in $(seq 1 $n); do
	c=$(sqlite3 "$WORK/b$i.db" "PRAGMA integrity_check") || bad=$((bad+1))
	[ "$c" = ok ] || bad=$((bad + 1))
	# Consistent: every submission has its raw message and FTS entry.
	o=$(sqlite3 "$WORK/b$i.db" "SELECT (SELECT count(*) FROM submission) =
		(SELECT count(DISTINCT submission_id) FROM raw) AND (SELECT count(*) FROM submission)
		= (SELECT count(*) FROM search_folded)")
	[ "$o" = 1 ] || bad=$((bad + 1))
done
is "$bad" 0 "every backup passes integrity_check and is self-consistent"
tl -q backup "$WORK/final.db" >/dev/null
is "$(sqlite3 "$WORK/final.db" "PRAGMA journal_mode")" delete \
	"the backup is one self-contained file (no WAL)"
is "$(stat -c %a "$WORK/final.db")" 600 "the backup is readable by its owner only"
# (after the file checks: tipline may switch the copy it opens to WAL)
is "$(TIPLINE_DB=$WORK/final.db tj .total stats)" 316 \
	"a backup after the import holds all 316 submissions"
is "$(stat -c %a "$DB")" 660 "the database is owner and group only (0660)"
printf 'not a backup\n' > "$WORK/notes.txt"
cp "$WORK/notes.txt" "$WORK/copy.txt"
tl -q backup "$WORK/notes.txt" >/dev/null 2>&1
is "$?" 64 "an existing file that is not a backup is refused"
cmp -s "$WORK/notes.txt" "$WORK/copy.txt"; ok $? "...and left untouched"
is "$(ls -a "$WORK" | grep -c '^\.tipline-backup')" 0 "no temporary file left"

# stats
sql "UPDATE submission SET status = 'spam' WHERE id IN (1, 2)"
sql "INSERT INTO mailbox_state (mailbox, uidvalidity, last_uid,
	last_success_utc) VALUES ('tips', 7, 42, '2024-06-10T01:00:00Z')"
tl stats --json >"$WORK/s.json"; is "$?" 0 "stats --json exits 0"
is "$(python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))
print(o["schema"], o["statuses"]["new"], o["statuses"]["spam"], o["total"],
	sum(d["count"] for d in o["days"]), o["mailboxes"][0]["mailbox"],
	o["mailboxes"][0]["last_success_utc"])' "$WORK/s.json")" \
	"tipline-json/1 314 2 316 316 tips 2024-06-10T01:00:00Z" \
	"stats counts per status and day and gives the last fetch"
like "$(TZ=Asia/Ho_Chi_Minh tl stats | grep tips)" \
	"tips +last fetch 2024-06-10 08:00:00 \\+07:00 \\(Asia/Ho_Chi_Minh\\)" \
	"stats text names the mailbox and its last fetch, in the zone, named"
