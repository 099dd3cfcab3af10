#!/bin/sh
# 229-copy-originals.t - `tipline copy` of a queue whose large original
# is a file (DB.originals/, SQLite only): to PostgreSQL it becomes raw
# chunks of 256 KiB, as a fetch there would store it, and the copy
# verifies; back into a new SQLite file it is a file again (the same
# 1 MiB rule), read back byte for byte, and that copy verifies too.
. "$(dirname "$0")/lib.sh"
pg_need
. "$TESTS/copy-lib.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
plan 10

python3 - "$WORK/a.eml" <<'PY'
import sys, base64, random
r = random.Random('copy')
data = bytes(r.getrandbits(8) for _ in range(1200 * 1024))
open(sys.argv[1], 'w').write("""From: =?UTF-8?Q?L=C3=AA_V=C4=83n_C?= <reader.c@example.org>
To: tips@example.net
Subject: Video clip
Date: Tue, 01 Dec 2026 10:00:00 +0700
Message-ID: <copy.big@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

Clip gửi toà soạn.
--b1
Content-Type: application/octet-stream; name="clip.bin"
Content-Transfer-Encoding: base64

""" + base64.encodebytes(data).decode() + "--b1--\n")
PY
printf 'From: Trần Thị B <reader.b@example.org>\nTo: tips@example.net\nSubject: Tin ngắn\nDate: Tue, 01 Dec 2026 09:00:00 +0700\nMessage-ID: <copy.small@example.org>\n\nMột dòng.\n' > "$WORK/b.eml"
tl -q import "$WORK/a.eml" "$WORK/b.eml"
A=$(sqlite3 "$DB" "SELECT id FROM submission WHERE message_id = 'copy.big@example.org'")
SIZE=$(stat -c %s "$WORK/a.eml")
is "$(sqlite3 "$DB" "SELECT count(*) FROM original_file WHERE submission_id = $A")" 1 \
	"the source keeps the large original as a file"

out=$(tl copy --to "$PG_URL" --json); is "$?" 0 "copy to PostgreSQL exits 0"
is "$(printf '%s' "$out" | jq -c '[.verified, .differences]')" '[true,0]' \
	"verified, nothing differs"
is "$(printf '%s' "$out" | jq -c '[.tables[] | select(.table ==
	"original_file") | [.source_rows, .destination_rows]]')" '[[1,1]]' \
	"the file original is compared whole on both sides"
is "$(psql_t -c "SELECT count(*) || '/' || sum(length(bytes)) || '/' ||
	max(length(bytes)) FROM raw WHERE submission_id = $A")" \
	"$(((SIZE + 262143) / 262144))/$SIZE/262144" \
	"on PostgreSQL it is raw chunks of 256 KiB holding every byte"
conf_for "$PG_URL" "$WORK/pg.conf"
"$TIPLINE_BIN" --config "$WORK/pg.conf" show "$A" --raw | cmp -s - "$WORK/a.eml"
is "$?" 0 "and reads back byte-identical there"

"$TIPLINE_BIN" --config "$WORK/pg.conf" copy --to "$WORK/back.db" \
	> "$WORK/back.out"
is "$?" 0 "copy from PostgreSQL to a new SQLite file exits 0"
grep -q '^verified: every row' "$WORK/back.out"; ok $? "and it verified"
is "$(sqlite3 "$WORK/back.db" "SELECT count(*) FROM original_file WHERE submission_id = $A; SELECT count(*) FROM raw WHERE submission_id = $A" | tr '\n' /)" \
	"1/0/" "the new SQLite file keeps it as a file again, no rows"
conf_for "$WORK/back.db" "$WORK/back.conf"
"$TIPLINE_BIN" --config "$WORK/back.conf" show "$A" --raw | cmp -s - "$WORK/a.eml"
is "$?" 0 "read back from the new file byte-identical"
