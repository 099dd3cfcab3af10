#!/bin/sh
# 213-page-size.t - a new SQLite queue has 16 KiB pages (issue 14: an
# original's 256 KiB chunks then take a quarter of the overflow pages, and
# storing photo mail a fifth less CPU); a queue made with 4 KiB pages keeps
# them and goes on working; `tipline copy` into a new file is the way to
# convert one (docs/operations.md), and the copy is verified.  (SQLite
# only: the page size is the file's.)
. "$(dirname "$0")/lib.sh"
sqlite_only
plan 9

printf 'From: Nguyễn Văn A <reader.a@example.org>\nSubject: Tin một\nMessage-ID: <ps1@example.org>\n\nMột.\n' > "$WORK/1.eml"
printf 'From: Trần Thị B <reader.b@example.org>\nSubject: Tin hai\nMessage-ID: <ps2@example.org>\n\nHai.\n' > "$WORK/2.eml"
tl -q import "$WORK/1.eml"
is "$(sql 'PRAGMA page_size')" 16384 "a new queue has 16 KiB pages"
is "$(sql 'PRAGMA journal_mode')" wal "in WAL mode"

# A queue of 4 KiB pages, as every queue made before this change.
OLD=$WORK/old.db
cp "$DB" "$OLD"
sqlite3 "$OLD" "PRAGMA journal_mode = DELETE; PRAGMA page_size = 4096;
	VACUUM; PRAGMA journal_mode = WAL" > /dev/null
is "$(sqlite3 "$OLD" 'PRAGMA page_size')" 4096 "the old queue has 4 KiB pages"
TIPLINE_DB=$OLD tl -q import "$WORK/2.eml"
is "$?" 0 "an import into it succeeds"
is "$(sqlite3 "$OLD" 'PRAGMA page_size')" 4096 "and it keeps its pages"
is "$(sqlite3 "$OLD" 'SELECT count(*) FROM submission')" 2 "with both tips"

# Converting: a copy into a new file.
TIPLINE_DB=$OLD tl copy --to "$WORK/new.db" > "$WORK/out" 2>&1
is "$?" 0 "copy into a new file exits 0"
is "$(sqlite3 "$WORK/new.db" 'PRAGMA page_size')" 16384 \
	"the copy has 16 KiB pages"
is "$(sqlite3 "$WORK/new.db" "SELECT group_concat(subject, '|') FROM
	(SELECT subject FROM submission ORDER BY id)")" "Tin một|Tin hai" \
	"and the same tips"
