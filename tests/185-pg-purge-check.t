#!/bin/sh
# 185-pg-purge-check.t - issue 13: purge, backup and doctor's store checks
# on the PostgreSQL backend.  Purge leaves no row of the purged tip,
# keeps its content hash (the same message imported again stays purged),
# vacuums, and says what the server still keeps; backup points at
# pg_dump; the integrity check finds an original with missing chunks or
# changed bytes, a disabled trigger and a NOT VALID constraint.  Runs on
# PostgreSQL in `make check` too (its own server).
. "$(dirname "$0")/lib.sh"
pg_always
plan 21

M=$WORK/mail
mkdir -p "$M"
# Three readers' tips; the first one's words are what must go.
printf 'From: Nguyễn Văn A <reader.a@example.org>\nTo: tin@example.net\nSubject: Tin mật ZQXPURGE\nDate: Mon, 03 Jun 2024 08:00:00 +0700\nMessage-ID: <pgp1@example.org>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nNguồn tin ZQXPURGE ở Đà Nẵng.\n' >"$M/1.eml"
for i in 2 3; do
	printf 'From: Trần Thị B <reader.b@example.org>\nTo: tin@example.net\nSubject: Tin số %s\nDate: Mon, 03 Jun 2024 09:0%s:00 +0700\nMessage-ID: <pgp%s@example.org>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nNội dung %s.\n' \
		"$i" "$i" "$i" "$i" >"$M/$i.eml"
done
tl -q import "$M"/*.eml
A=$(id_of pgp1@example.org); B=$(id_of pgp2@example.org)
tl -q reject "$A" --reason "nguồn ZQXPURGE xin rút" >/dev/null
sql "UPDATE submission SET received_utc = '2020-01-01T00:00:00Z'
	WHERE id = $A"

tl purge --status rejected --older-than 30d --dry-run >"$WORK/dry"
like "$(cat "$WORK/dry")" "^  ids: $A\$" "--dry-run names the id"
grep -q '^note:' "$WORK/dry"; is "$?" 1 "...and says nothing of what stays"
tl purge --status rejected --older-than 30d >"$WORK/out"; rc=$?
is "$rc" 0 "purge exits 0"
like "$(cat "$WORK/out")" "^purged 1 submission" "one submission purged"
kept='note: PostgreSQL still keeps .*write-ahead log.*base backups'
like "$(cat "$WORK/out")" "$kept" \
	"and it says what the server keeps"

# Every table that held the tip's words.
left=$(sql "SELECT (SELECT count(*) FROM submission WHERE id = $A OR
	subject LIKE '%ZQXPURGE%' OR text LIKE '%ZQXPURGE%')
	|| ' ' || (SELECT count(*) FROM raw WHERE submission_id = $A OR
	position(convert_to('ZQXPURGE', 'UTF8') IN bytes) > 0)
	|| ' ' || (SELECT count(*) FROM audit WHERE note LIKE '%ZQXPURGE%')
	|| ' ' || (SELECT count(*) FROM attachment WHERE submission_id = $A)
	|| ' ' || (SELECT count(*) FROM text_key WHERE submission_id = $A)")
is "$left" "0 0 0 0 0" "no row holds the purged tip"
is "$(tj '.total' stats)" 2 "the two others stay"
is "$(sql "SELECT count(*) FROM purged")" 1 "its content hash is kept"
is "$(sql "SELECT count(*) FROM pg_stat_user_tables WHERE relname IN
	('submission', 'raw') AND last_vacuum IS NOT NULL")" 2 \
	"the tables were vacuumed"
tl import "$M/1.eml" 2>"$WORK/err"
like "$(cat "$WORK/err")" "0 stored, 1 duplicates" \
	"the same message imported again stays purged"
tl show "$A" >/dev/null 2>"$WORK/err"; rc=$?
is "$rc" 65 "show of the purged id exits 65"
like "$(cat "$WORK/err")" "submission $A was purged on .* by test-editor" \
	"...saying when and by whom"

tl backup "$WORK/b.db" 2>"$WORK/err"; rc=$?
is "$rc" 64 "backup on PostgreSQL is a usage error"
like "$(cat "$WORK/err")" "back it up with pg_dump" "...pointing at pg_dump"
[ ! -e "$WORK/b.db" ]; ok $? "...and writes no file"

# doctor's checks: line carries the check's first problem.
dbline() { tl doctor 2>&1 | grep '^checks:'; }
like "$(dbline)" "ok" "a sound queue passes"
sql "UPDATE raw SET seq = 1 WHERE submission_id = $B"
gap='its original message is incomplete \(1 chunks, numbered 1 to 1\)'
like "$(dbline)" "#$B: $gap" \
	"a missing first chunk is named"
sql "UPDATE raw SET seq = 0 WHERE submission_id = $B"
orig=$(sql "SELECT encode(bytes, 'hex') FROM raw WHERE submission_id = $B")
sql "UPDATE raw SET bytes = overlay(bytes PLACING '\\x58'::bytea FROM 7
	FOR 1) WHERE submission_id = $B"
like "$(dbline)" "#$B: the stored original is damaged" \
	"changed bytes of an original are found"
sql "UPDATE raw SET bytes = decode('$orig', 'hex') WHERE submission_id = $B"
sql "ALTER TABLE submission DISABLE TRIGGER submission_thread_root"
sql "ALTER TABLE submission ADD CONSTRAINT t185 CHECK (id > 0) NOT VALID"
like "$(dbline)" "2 problem.*constraint t185 of table submission is NOT VALID" \
	"a disabled trigger and a NOT VALID constraint are found"
sql "ALTER TABLE submission ENABLE TRIGGER submission_thread_root"
sql "ALTER TABLE submission DROP CONSTRAINT t185"

# A check that cannot finish in --check-time (the originals' table held
# by another session) is cut short by the server, not failed.
( psql_t -c "BEGIN" -c "LOCK TABLE raw IN ACCESS EXCLUSIVE MODE" \
	-c "SELECT pg_sleep(4)" -c "COMMIT" >/dev/null 2>&1 ) &
i=0
until [ "$(sql "SELECT count(*) FROM pg_locks WHERE mode =
    'AccessExclusiveLock' AND relation = 'raw'::regclass")" = 1 ] ||
    [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
like "$(tl doctor --check-time 1s 2>&1)" "NOT FINISHED|not finished|cut short" \
	"a check past --check-time is cut short"
wait
like "$(dbline)" "ok" "and passes once the table is free"
