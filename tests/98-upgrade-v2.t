#!/bin/sh
# 98-upgrade-v2.t - a database made by round 1's tipline (schema version
# 2, snapshot in tests/data/upgrade/schema-v2.sql) is upgraded on open to
# this round's tables (seen, text_key, attachment_media, raw_rewritten,
# fetch_failure, legacy_text, ...): the desk's new views work on the old
# submission, its original stays byte-exact, and new mail is stored.
. "$(dirname "$0")/lib.sh"
plan 9

sqlite3 "$DB" < "$FIX/upgrade/schema-v2.sql"
msg="From: Reader U <reader.u@example.org>
Subject: Tin cũ ở Đà Nẵng

old body ngập đường"
h=$(printf '%s' "$msg" | sha256sum | cut -d' ' -f1)
sqlite3 "$DB" "INSERT INTO submission(id, status, content_hash, from_name,
	from_addr, subject, date_utc, received_utc, queue_utc, text, source,
	raw_size)
	VALUES (1, 'new', '$h', 'Reader U', 'reader.u@example.org',
	'Tin cũ ở Đà Nẵng', '2024-06-01T00:00:00Z', '2024-06-01T00:05:00Z',
	'2024-06-01T00:00:00Z', 'old body ngập đường', 'file',
	length(CAST('$msg' AS BLOB)));
	INSERT INTO raw(submission_id, seq, bytes)
	VALUES (1, 0, CAST('$msg' AS BLOB));
	INSERT INTO search_folded(rowid, subject, sender, body, extra)
	SELECT id, subject, from_name, text, '' FROM submission;
	INSERT INTO search_exact(rowid, subject, sender, body, extra)
	SELECT id, subject, from_name, text, '' FROM submission;
	PRAGMA user_version = 2;" 2>"$WORK/err"
is "$?" 0 "a version 2 database with one submission is made"

n=$(tl list --unseen --json 2>"$WORK/err" | python3 -c \
	'import json, sys; print(len(json.load(sys.stdin)))')
is "$n" 1 "list --unseen works after the upgrade and shows the old tip"
is "$(sql 'PRAGMA user_version')" 4 "the schema version is now 4"
tl seen 1 > /dev/null 2>&1; is "$?" 0 "seen marks the old tip"
n=$(tl list --unseen --json | python3 -c \
	'import json, sys; print(len(json.load(sys.stdin)))')
is "$n" 0 "...and it is no longer unseen"
like "$(tl search 'ngap tin cu' --json)" '"id": *1' \
	"all-words search finds the old tip"
tl show 1 --raw > "$WORK/raw1" 2>"$WORK/err"
is "$?" 0 "its original reads back (hash checked)"
printf '%s' "$msg" > "$WORK/old.eml"
cmp -s "$WORK/raw1" "$WORK/old.eml"
is "$?" 0 "...byte-exact"
tl -q import "$FIX/import/001-lf.eml" 2>/dev/null
is "$?" 0 "import after the upgrade exits 0"
