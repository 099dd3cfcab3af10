#!/bin/sh
# A mistyped database path never becomes an empty queue (issue 10 item 7):
# read commands and the write commands other than fetch and import exit 66
# naming the path, with or without --json, and create no file; import
# creates the database. A read command racing a schema upgrade waits for
# it instead of failing with 70 (QA F47).
. "$(dirname "$0")/lib.sh"
plan 29

msg() {	# FILE SUBJECT
	printf 'From: Nguyễn Văn A <reader.a@example.org>\nTo: tips@example.net\nSubject: %s\nDate: Mon, 03 Jun 2024 08:15:00 +0700\nMessage-ID: <%s@example.org>\n\nNội dung.\n' \
		"$2" "$(basename "$1" .eml)" > "$1"
}
msg "$WORK/a.eml" "Tin một"
mkdir "$WORK/x"

# 1. A path whose folder is missing, and one whose folder exists.
for db in "$WORK/wrong/x.db" "$WORK/here/x.db"; do
	case $db in */here/*) mkdir -p "$WORK/here" ;; esac
	for c in "list" "list --json" "search tin --json" "show 1 --json" \
		 "stats --json" "approve 1" "export 1 --to $WORK/x"; do
		TIPLINE_DB=$db tl $c > "$WORK/out" 2>"$WORK/err"
		rc=$?
		[ "$rc" = 66 ] && grep -qF "$db: no database there" "$WORK/err" &&
			[ ! -s "$WORK/out" ]
		ok $? "$(basename "$(dirname "$db")")/x.db: $c: 66, path named, nothing on stdout (got $rc)"
	done
	ls -A "$(dirname "$db")" 2>/dev/null > "$WORK/ls"
	is "$(cat "$WORK/ls")" "" "$(basename "$(dirname "$db")"): no database, -wal, -shm or .waiters created"
done
test -e "$WORK/wrong"; is "$?" 1 "no folder created either"
TIPLINE_DB=$WORK/wrong/x.db tl list --bogus > /dev/null 2>&1
is "$?" 64 "a usage error still comes first (64)"
TIPLINE_DB=$WORK/here/x.db tl list --help > /dev/null 2>&1
is "$?" 0 "and --help works without a database"
TIPLINE_DB=$WORK/here/x.db tl import "$WORK/a.eml" 2>/dev/null
is "$?" 0 "import creates the database"
n=$(TIPLINE_DB=$WORK/here/x.db tl list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
is "$n" 1 "which list then reads"
TIPLINE_DB=$WORK/wrong/x.db tl import "$WORK/a.eml" 2>"$WORK/err"
is "$?" 78 "import into a missing folder: 78 (a setting to fix)"
like "$(cat "$WORK/err")" "create its folder, or change \[store\] database" "with the fix named"
: > "$WORK/empty.db"
TIPLINE_DB=$WORK/empty.db tl list --json > "$WORK/out" 2>/dev/null
is "$?" 0 "an empty file an admin made beforehand is an empty queue"
is "$(cat "$WORK/out")" "[]" "listed as such"

# 2. QA F47: four lists and an import at once on a version 1 database
# large enough that the upgrade takes a while.
sqlite3 "$WORK/v1.db" < "$FIX/upgrade/schema-v1-first.sql"
sqlite3 "$WORK/v1.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL
	SELECT i + 1 FROM n WHERE i < 5000)
	INSERT INTO submission(id, status, content_hash, from_name, from_addr,
	subject, date_utc, received_utc, text, source, raw_size)
	SELECT i, 'new', 'h' || i, 'Reader ' || i, 'r' || i || '@example.org',
	'Tin số ' || i, '2024-06-01T00:00:00Z', '2024-06-01T00:05:00Z',
	'nội dung ' || hex(randomblob(200)), 'file', 1000 FROM n;
	INSERT INTO raw(submission_id, bytes)
	SELECT id, randomblob(1000) FROM submission;
	PRAGMA user_version = 1;"
bad=0 seventy=0
for t in 1 2 3 4 5 6; do
	rm -f "$DB" "$DB-wal" "$DB-shm"
	cp "$WORK/v1.db" "$DB"
	for i in 1 2 3 4; do
		(tl list --all --limit 1 > /dev/null 2>"$WORK/err.$i"
		 echo $? > "$WORK/rc.$i") &
	done
	(tl import "$WORK/a.eml" > /dev/null 2>"$WORK/err.imp"
	 echo $? > "$WORK/rc.imp") &
	wait
	for i in 1 2 3 4; do
		r=$(cat "$WORK/rc.$i")
		[ "$r" = 70 ] && seventy=$((seventy + 1))
		# 75 only with the words that say why.
		if [ "$r" != 0 ] && ! { [ "$r" = 75 ] &&
		   grep -q 'being upgraded\|busy' "$WORK/err.$i"; }; then
			bad=$((bad + 1)); diag "trial $t list $i: $r $(cat "$WORK/err.$i")"
		fi
	done
	r=$(cat "$WORK/rc.imp")
	if [ "$r" != 0 ] && ! { [ "$r" = 75 ] &&
	   grep -q 'busy' "$WORK/err.imp"; }; then
		bad=$((bad + 1)); diag "trial $t import: $r $(cat "$WORK/err.imp")"
	fi
done
is "$seventy" 0 "F47: no list racing the upgrade exits 70 (24 lists)"
is "$bad" 0 "F47: every list and import exits 0 (or 75 saying why)"
is "$(sql 'PRAGMA user_version')" 4 "the database ends at version 4"
is "$(sql 'PRAGMA quick_check')" ok "and is sound"
