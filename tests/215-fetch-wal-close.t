#!/bin/sh
# 215-fetch-wal-close.t - a fetch leaves no long WAL behind.  The fetch
# does not checkpoint on close, so that a cron poll that only notes its
# time costs no fsync; but the first connection to open the queue next
# reads the whole WAL to rebuild SQLite's index of it.  A fetch of 2 MB
# of photo mail (under the 4 MiB at which commits checkpoint) left it
# all in the WAL, and each poll added a page, so every later poll and
# lone desk command read up to 4 MiB first.  Now a WAL over 256 KiB is
# checkpointed on close; a shorter one is left for the next run.  (SQLite
# only: PostgreSQL has no WAL file beside the queue.)
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
sqlite_only
dovecot_need
plan 9

mkdir -p "$WORK/m"
photo_mails "$WORK/m" walclose 2 512
seed_folder Fwal "$WORK"/m/*.eml > /dev/null
C=$WORK/wal.conf B=$WORK/wal.db
new_conf "$C" "$B"
mailbox_conf "$C" test Fwal

# wal_size: the bytes of valid frames in the WAL, which the next opener
# reads (not the file's length: a WAL is reused from its start after a
# checkpoint, and frames past the last commit of the current salt are
# stale). SQLite's WAL format: a 32-byte header with the salts at 16, then
# frames of a 24-byte header (salts at 8) and a page.
wal_size() {
	python3 - "$B-wal" <<'PY'
import os, struct, sys
try:
    w = open(sys.argv[1], "rb").read()
except FileNotFoundError:
    w = b""
n = valid = 0
if len(w) >= 32:
    page = struct.unpack(">I", w[8:12])[0]
    salt = w[16:24]
    off = 32
    while off + 24 + page <= len(w) and w[off + 8:off + 16] == salt:
        n += 1
        if struct.unpack(">I", w[off + 4:off + 8])[0] != 0:
            valid = n * (24 + page)
        off += 24 + page
print(valid)
PY
}

"$TIPLINE_BIN" --config "$C" fetch > /dev/null 2> "$WORK/err"
is "$?" 0 "the fetch of 2 photo mails (1.4 MB) exits 0"
w=$(wal_size)
[ "$w" -eq 0 ]
ok $? "it left no WAL behind ($w bytes; it left all of it before)"
is "$(sqlite3 "$B" 'SELECT count(*) FROM submission')" 2 "both stored"

# A poll notes its time (one page when the second has changed): a WAL
# that short stays, so that the poll costs no checkpoint.
sleep 1.1
"$TIPLINE_BIN" --config "$C" fetch > /dev/null 2>> "$WORK/err"
is "$?" 0 "a poll with nothing new exits 0"
w=$(wal_size)
[ "$w" -gt 0 ] && [ "$w" -le 65536 ]
ok $? "it left its short WAL for the next run ($w bytes)"

# A WAL made long by another writer that never closed (here a process
# that wrote 400 KB and died without closing its connection) is
# checkpointed by the next poll that closes the queue.
python3 - "$B" <<'PY'
import os, sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("PRAGMA wal_autocheckpoint = 0")
con.execute("BEGIN")
con.execute("CREATE TABLE pad(x)")
con.executemany("INSERT INTO pad VALUES (randomblob(4000))",
                [()] * 100)
con.execute("DROP TABLE pad")
con.execute("COMMIT")
os._exit(0)
PY
w=$(wal_size)
[ "$w" -gt 262144 ]
ok $? "a writer that died left $w bytes of WAL"
sleep 1.1
"$TIPLINE_BIN" --config "$C" fetch > /dev/null 2>> "$WORK/err"
is "$?" 0 "the next poll exits 0"
w=$(wal_size)
[ "$w" -eq 0 ]
ok $? "and leaves no WAL behind ($w bytes)"
is "$(sqlite3 "$B" 'PRAGMA integrity_check')" ok "the queue is intact"
