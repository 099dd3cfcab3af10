#!/bin/sh
# 228-originals-files.t - originals of 1 MiB or more are kept as files of
# their own beside a SQLite database (DB.originals/), written once instead
# of into the WAL and again at the checkpoint (docs/design.md, "Originals
# written once"): stored and read back byte for byte (show --raw, export,
# the header block); a small one stays in rows; a link planted in the
# folder, a file changed, gone or of another size are refused and named
# (doctor too, with orphans); a full disk while the file is written stores
# nothing; backup copies and checks the files; purge scrubs them, and a
# purge cut short after its COMMIT is finished by the next; a version 3
# queue keeps its large originals in rows.
. "$(dirname "$0")/lib.sh"
on_pg && skip_all "originals as files are SQLite's (PostgreSQL keeps raw)"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
plan 43

# big FILE TAG KB: a message of about KB KiB (a random attachment) from a
# placeholder reader.
big() {
	python3 - "$@" <<'PY'
import sys, base64, random
out, tag, kb = sys.argv[1], sys.argv[2], int(sys.argv[3])
r = random.Random(tag)
data = bytes(r.getrandbits(8) for _ in range(kb * 1024))
open(out, 'w').write(f"""From: =?UTF-8?Q?Nguy=E1=BB=85n_V=C4=83n_A?= <reader.a@example.org>
To: tips@example.net
Subject: =?UTF-8?Q?=E1=BA=A2nh_l=E1=BB=9Bn?= {tag}
Date: Tue, 01 Dec 2026 08:00:00 +0700
Message-ID: <big.{tag}@example.org>
X-Marker: ORIGFILE-{tag}
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

Ảnh lớn {tag} gửi toà soạn.
--b1
Content-Type: application/octet-stream; name="anh-{tag}.bin"
Content-Disposition: attachment; filename="anh-{tag}.bin"
Content-Transfer-Encoding: base64

{base64.encodebytes(data).decode()}--b1--
""")
PY
}
id_of() { sql "SELECT id FROM submission WHERE message_id = '$1'"; }
fname() { sql "SELECT name FROM original_file WHERE submission_id = $1"; }
O=$DB.originals

# 1. A large original is a file, a small one rows.
big "$WORK/a.eml" a 1300
printf 'From: Trần Thị B <reader.b@example.org>\nTo: tips@example.net\nSubject: Tin ngắn\nDate: Tue, 01 Dec 2026 09:00:00 +0700\nMessage-ID: <small.b@example.org>\n\nMột dòng.\n' > "$WORK/b.eml"
tl -q import "$WORK/a.eml" "$WORK/b.eml"
is "$?" 0 "import of a 1.7 MB and a small message exits 0"
A=$(id_of big.a@example.org) B=$(id_of small.b@example.org)
NA=$(fname "$A")
is "$(sql "SELECT count(*) FROM raw WHERE submission_id = $A")/$(sql "SELECT count(*) FROM raw WHERE submission_id = $B")/$(sql "SELECT count(*) FROM original_file")" \
	"0/1/1" "the large original has no raw rows and one file row; the small one a row"
is "$(stat -c %s "$O/$NA")" "$(stat -c %s "$WORK/a.eml")" \
	"DB.originals/$NA holds the original's bytes"
sql 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
is "$(cat "$DB" "$DB-wal" 2>/dev/null | grep -c ORIGFILE-a)" 0 \
	"the large original's bytes are not in the database or its WAL"
is "$(stat -c %a "$O")" 770 "the folder is the database's group's (0770)"

# 2. Read back byte for byte: show --raw, export, headers, show.
tl show "$A" --raw > "$WORK/a.out"
cmp -s "$WORK/a.out" "$WORK/a.eml"; is "$?" 0 "show --raw: byte-identical"
mkdir "$WORK/x"; tl -q export "$A" --to "$WORK/x" >/dev/null
cmp -s "$WORK/x/$A"-*/message.eml "$WORK/a.eml"
is "$?" 0 "export's message.eml: byte-identical"
like "$(tl show "$A" --headers)" "X-Marker: ORIGFILE-a" \
	"the header block is read from the file"
like "$(tl show "$A")" "anh-a.bin" "show lists the attachment"
tl show "$B" --raw | cmp -s - "$WORK/b.eml"; is "$?" 0 "the small one too"

# 3. A link planted in place of the file, or of the folder, is refused.
cp "$O/$NA" "$WORK/copy"
mv "$O/$NA" "$WORK/moved"; ln -s "$WORK/copy" "$O/$NA"
tl show "$A" --raw > /dev/null 2>"$WORK/err"
is "$?" 65 "a symbolic link in place of the file: 65"
like "$(cat "$WORK/err")" "symbolic link.*refused" "and it is named as refused"
rm "$O/$NA"; ln "$WORK/copy" "$O/$NA"
tl show "$A" --raw > /dev/null 2>"$WORK/err"
is "$?" 65 "a hard link in place of the file: 65"
rm "$O/$NA"; mv "$WORK/moved" "$O/$NA"
mv "$O" "$WORK/folder"; ln -s "$WORK/folder" "$O"
tl show "$A" --raw > /dev/null 2>"$WORK/err"
is "$?" 65 "a symbolic link in place of the folder: 65"
like "$(cat "$WORK/err")" "originals: a symbolic link" "and it is named"
rm "$O"; mv "$WORK/folder" "$O"

# 4. Damage: other bytes of the same length, a missing file.
python3 - "$O/$NA" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, 'rb').read())
i = b.index(b'ORIGFILE-a'); b[i] = ord('X'); open(p, 'wb').write(b)
PY
tl show "$A" --raw > /dev/null 2>"$WORK/err"
is "$?" 65 "a changed file: 65"
like "$(cat "$WORK/err")" "#$A: the stored original is damaged" "named as damaged"
cp "$WORK/a.eml" "$O/$NA"

# 5. doctor: a missing file, one of another size, an orphan.
doc() { tl doctor --check-time 10s 2>&1 | grep '^originals'; }
like "$(doc)" "^originals: ok, 1 kept as files" "doctor: ok, 1 kept as files"
mv "$O/$NA" "$WORK/moved"
like "$(doc)" "PROBLEM: 1 of 1 file\\(s\\) missing" "doctor: a missing file is a PROBLEM"
head -c 1000 "$WORK/moved" > "$O/$NA"
like "$(doc)" "0 of the wrong size.*|1 of the wrong size.*1000 bytes, not the" \
	"doctor: a file of another size is a PROBLEM naming both sizes"
mv "$WORK/moved" "$O/$NA"
printf 'left by a crash\n' > "$O/o0000000000000000"
like "$(doc)" "1 file\\(s\\) that no submission names" "doctor lists an orphan"

# 6. backup: the database and DB.originals/, checked.
tl backup "$WORK/bk.db" > "$WORK/bk.out" 2>&1
is "$?" 0 "backup exits 0"
like "$(cat "$WORK/bk.out")" "bk.db.originals/: 1 original\\(s\\) as files" \
	"and says it copied the file"
cmp -s "$WORK/bk.db.originals/$NA" "$WORK/a.eml"; is "$?" 0 \
	"the backup's file is the original"
is "$(ls "$WORK/bk.db.originals" | wc -l | tr -d ' ')" 1 "and no orphan went with it"
python3 - "$O/$NA" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, 'rb').read())
i = b.index(b'ORIGFILE-a'); b[i] = ord('Y'); open(p, 'wb').write(b)
PY
rm "$WORK/bk.db.originals/$NA"
tl backup "$WORK/bk.db" > /dev/null 2>"$WORK/err"
is "$?" 65 "a damaged original fails the backup: 65"
like "$(cat "$WORK/err")" "$NA: .*do not match.*not backed up" "naming the file"
cp "$WORK/a.eml" "$O/$NA"

# 7. purge scrubs the file (and the orphan); a purge cut short after its
# COMMIT is finished by the next.
big "$WORK/c.eml" c 1100
tl -q import "$WORK/c.eml"
C=$(id_of big.c@example.org); NC=$(fname "$C")
sql "UPDATE submission SET received_utc = '2020-01-01T00:00:00Z' WHERE id = $C" >/dev/null
tl purge --status new --older-than 1h --force > "$WORK/p.out" 2>&1
is "$?" 0 "purge exits 0"
is "$([ -e "$O/$NC" ] || echo gone)/$([ -e "$O/o0000000000000000" ] || echo gone)/$(sql "SELECT count(*) FROM original_file WHERE submission_id = $C")/$(sql 'SELECT count(*) FROM original_scrub')" \
	"gone/gone/0/0" "the purged file and the orphan are removed, no row left"
like "$(cat "$WORK/p.out")" "overwritten with zeros.*SSD may still hold" \
	"the output says what the file system may keep"
if [ -x "$TIPLINE_FAULTS_BIN" ]; then
	big "$WORK/d.eml" d 1100
	tl -q import "$WORK/d.eml"
	D=$(id_of big.d@example.org); ND=$(fname "$D")
	sql "UPDATE submission SET received_utc = '2020-01-01T00:00:00Z' WHERE id = $D" >/dev/null
	cp "$O/$ND" "$WORK/d.copy"
	TIPLINE_FAULT_TRACE=1 TIPLINE_CRASH_AT=1 "$TIPLINE_FAULTS_BIN" --config "$CONF" \
		purge --status new --older-than 1h --force >/dev/null 2>"$WORK/crash"
	is "$?" 99 "a purge crashed after its COMMIT (fault point purge-committed)"
	like "$(cat "$WORK/crash")" "crash at fault point 1: purge-committed" "at that point"
	is "$(sql "SELECT count(*) FROM submission WHERE id = $D")/$(cmp -s "$O/$ND" "$WORK/d.copy" && echo intact)/$(sql 'SELECT count(*) FROM original_scrub')" \
		"0/intact/1" "the submission is gone, its file not yet scrubbed, one scrub waits"
	like "$(doc)" "1 file\\(s\\) of purged originals not yet scrubbed" \
		"doctor says a scrub waits"
	tl purge --status rejected --older-than 1h --force > /dev/null 2>&1
	is "$?/$([ -e "$O/$ND" ] || echo gone)/$(sql 'SELECT count(*) FROM original_scrub')" \
		"0/gone/0" "the next purge (of nothing) finishes the scrub"
else
	for i in 1 2 3 4 5; do ok 0 "# SKIP no $TIPLINE_FAULTS_BIN"; done
fi

# 7b. A second backup into the same file drops the files of originals
# purged since (its folder holds no more than its database names) and
# keeps every other: names looked up among several.
for t in e f g; do big "$WORK/$t.eml" $t 1050; done
tl -q import "$WORK/e.eml" "$WORK/f.eml" "$WORK/g.eml"
F=$(id_of big.f@example.org)
tl backup "$WORK/bk2.db" > /dev/null 2>&1
is "$?/$(ls "$WORK/bk2.db.originals" | wc -l | tr -d ' ')" "0/4" \
	"a backup of four large originals copies four files"
sql "UPDATE submission SET received_utc = '2020-01-01T00:00:00Z' WHERE id = $F" >/dev/null
tl purge --status new --older-than 1h --force > /dev/null 2>&1
tl backup "$WORK/bk2.db" > /dev/null 2>&1
is "$?/$(ls "$WORK/bk2.db.originals" | sort | tr '\n' ' ')" \
	"0/$(sql 'SELECT name FROM original_file ORDER BY name' | tr '\n' ' ')" \
	"the next backup into it keeps the three still named, drops the purged one"

# 8. A full disk while the file is written (a small tmpfs for the
# database; the imported file is outside it, so it is copied in).
FULL=$WORK/full
mkdir -p "$FULL"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=2200k tmpfs "$FULL" 2>/dev/null; then
	C2=$WORK/full.conf
	printf '[store]\ndatabase = %s/q.db\nspool_dir = %s/spool\n' "$FULL" "$FULL" > "$C2"
	"$TIPLINE_BIN" --config "$C2" -q import "$WORK/b.eml"
	"$TIPLINE_BIN" --config "$C2" import "$WORK/c.eml" > /dev/null 2>"$WORK/full.err"
	is "$?" 75 "disk full while the file is written: 75"
	like "$(cat "$WORK/full.err")" "No space left|disk is full" "the error says so"
	is "$(sqlite3 "$FULL/q.db" 'SELECT count(*) FROM submission; SELECT count(*) FROM original_file' | tr '\n' /)$(ls "$FULL/q.db.originals" | wc -l | tr -d ' ')" \
		"1/0/0" "nothing of it is stored: no row, no file left"
	mount -o remount,size=12m "$FULL"
	"$TIPLINE_BIN" --config "$C2" -q import "$WORK/c.eml"
	is "$?/$(sqlite3 "$FULL/q.db" 'SELECT count(*) FROM original_file')" "0/1" \
		"with space again it is stored"
	umount "$FULL"
else
	for i in 1 2 3 4; do ok 0 "# SKIP tmpfs mount not permitted"; done
fi

# 9. A version 3 queue keeps its large originals in rows (no copy on
# upgrade), and they read back.
V3=$WORK/v3.db
cp "$DB" "$V3"
rm -f "$V3-wal" "$V3-shm"
python3 - "$V3" "$WORK/a.eml" "$A" <<'PY'
import sys, sqlite3
db = sqlite3.connect(sys.argv[1]); a = open(sys.argv[2], 'rb').read()
sid = int(sys.argv[3])
db.execute("DROP TABLE original_file"); db.execute("DROP TABLE original_scrub")
for i in range(0, len(a), 262144):
    db.execute("INSERT INTO raw(submission_id, seq, bytes) VALUES (?, ?, ?)",
               (sid, i // 262144, a[i:i + 262144]))
db.execute("PRAGMA user_version = 3"); db.commit()
PY
printf '[store]\ndatabase = %s\nspool_dir = %s\n' "$V3" "$SPOOL" > "$WORK/v3.conf"
"$TIPLINE_BIN" --config "$WORK/v3.conf" -q import "$WORK/b.eml" 2>/dev/null
is "$(sqlite3 "$V3" 'PRAGMA user_version')/$(sqlite3 "$V3" 'SELECT count(*) FROM original_file')" \
	"4/0" "a version 3 queue is upgraded to 4 and its originals stay rows"
"$TIPLINE_BIN" --config "$WORK/v3.conf" show "$A" --raw | cmp -s - "$WORK/a.eml"
is "$?" 0 "and its large original reads back from the rows"
