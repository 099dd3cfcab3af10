#!/bin/sh
# export of a submission whose stored original fails its hash check (QA
# round 2, qa9 finding 8): exit 65 as before, but no message.eml is left
# in the export folder (the damaged bytes, or an empty file when the
# original is gone), no folder at all, and stderr says nothing was
# exported.  An intact one still exports.
. "$(dirname "$0")/lib.sh"
plan 11

msg() {	# FILE MARKER N
	cat > "$1" <<MSG
From: =?UTF-8?Q?Nguy=E1=BB=85n_V=C4=83n_A?= <reader.a@example.org>
To: tips@example.net
Subject: Tin $3
Date: Tue, 01 Dec 2026 08:00:00 +0700
Message-ID: <damaged.$3@example.org>
X-Fixture: $2
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Tin báo số $3.
MSG
}
msg "$WORK/a.eml" RAWONLY-a1 1
msg "$WORK/b.eml" RAWONLY-b2 2
msg "$WORK/c.eml" RAWONLY-c3 3
tl -q import "$WORK/a.eml" "$WORK/b.eml" "$WORK/c.eml" >/dev/null 2>&1
A=$(tl list --json | python3 -c 'import json,sys
for r in json.load(sys.stdin):
    if r["subject"] == "Tin 1": print(r["id"])')
C=$(tl list --json | python3 -c 'import json,sys
for r in json.load(sys.stdin):
    if r["subject"] == "Tin 3": print(r["id"])')

# Same length, other bytes, in the database file itself (on PostgreSQL,
# whose files are the server's, in the row).
if on_pg; then
	sql "UPDATE raw SET bytes = convert_to(replace(convert_from(bytes,
		'UTF8'), 'RAWONLY-a1', 'RAWBAD!-a1'), 'UTF8')
		WHERE submission_id = $A" >/dev/null
else
sql 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
python3 - "$DB" <<'PY'
import sys
p = sys.argv[1]
b = open(p, 'rb').read()
assert b.count(b'RAWONLY-a1') == 1
open(p, 'r+b').write(b.replace(b'RAWONLY-a1', b'RAWBAD!-a1'))
PY
fi
mkdir "$WORK/x"
tl export "$A" --to "$WORK/x" >"$WORK/out" 2>"$WORK/err"
is "$?" 65 "export of a damaged original: 65"
is "$(find "$WORK/x" -name message.eml | wc -l)" 0 \
	"no message.eml with the damaged bytes in the export folder"
is "$(ls -A "$WORK/x" | wc -l)" 0 "no folder left for it either"
like "$(cat "$WORK/err")" "#$A: the stored original is damaged" \
	"stderr names the damage"
like "$(cat "$WORK/err")" "nothing exported \\($WORK/x/$A-tin-1 removed\\)" \
	"...and says nothing was exported"

# An original gone from the store: not an empty message.eml.
sql "DELETE FROM raw WHERE submission_id = $C"
tl export "$C" --to "$WORK/x" >"$WORK/out" 2>"$WORK/err"
is "$?" 65 "export of a missing original: 65"
is "$(find "$WORK/x" -name message.eml | wc -l)" 0 "no empty message.eml"
like "$(cat "$WORK/err")" "nothing exported" "...and it says so"

tl export "$A" "$(($A + 1))" --to "$WORK/x" >"$WORK/out" 2>/dev/null
is "$?" 65 "a damaged one among others still fails the run"
is "$(find "$WORK/x" -name message.eml | wc -l)" 1 "the intact one is exported"
cmp -s "$(find "$WORK/x" -name message.eml)" "$WORK/b.eml"
is "$?" 0 "...byte-exact"
