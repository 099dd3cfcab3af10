#!/bin/sh
# 214-fetch-checkpoint-bytes.t - a fetch checkpoints its WAL every 4 MiB,
# whatever the page size.  SQLite counts its autocheckpoint in pages
# (1000); with the 16 KiB pages of a new queue that let 16 MB pile up in
# the WAL, which the fetch does not checkpoint on close, and the next
# cron poll paid for it (44 ms against 39).  Here 14 photo mails of 0.8 MB
# arrive in one fetch, about 11 MB of WAL: with the threshold in bytes
# most of it is in the database file afterwards, where before it all
# stayed in the WAL.  (SQLite only; mails under 1 MiB, whose originals
# stay in rows: larger ones are files of their own, tests/229.)
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
sqlite_only
dovecot_need
plan 4

mkdir -p "$WORK/m"
photo_mails "$WORK/m" ckpt 14 600
seed_folder Fckpt "$WORK"/m/*.eml > /dev/null
C=$WORK/ckpt.conf B=$WORK/ckpt.db
new_conf "$C" "$B"
mailbox_conf "$C" test Fckpt

"$TIPLINE_BIN" --config "$C" fetch > /dev/null 2> "$WORK/err"
is "$?" 0 "the fetch of 14 photo mails (11 MB) exits 0"
# Before anything else opens the file: the last connection to close
# checkpoints whatever the fetch left in the WAL.
size=$(stat -c %s "$B")
[ "$size" -ge 4000000 ]
ok $? "at least 4 MB of it was checkpointed into the database file by the fetch ($size bytes)"
is "$(sqlite3 "$B" 'SELECT count(*) FROM submission')/$(sqlite3 "$B" 'SELECT count(*) FROM original_file')" 14/0 \
	"all 14 stored, in rows"
is "$(sqlite3 "$B" 'PRAGMA page_size')" 16384 "in a queue of 16 KiB pages"
