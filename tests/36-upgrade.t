#!/bin/sh
# A database made by an earlier tipline (schema version 1, in its first and
# its last form) is upgraded on open: the originals stay readable
# byte-exact, the queue lists, search finds old and new submissions, and
# new messages are stored (QA F31).
. "$(dirname "$0")/lib.sh"
U=$FIX/upgrade
plan 14
for form in first last; do
	rm -f "$DB" "$DB-wal" "$DB-shm"
	sqlite3 "$DB" < "$U/schema-v1-$form.sql"
	msg="From: Reader U <reader.u@example.org>
Subject: Tin cũ ở Đà Nẵng

old body"
	# The last form of version 1 already had queue_utc.
	qcol= qval=
	# The real content hash: every read of an original checks it.
	h=$(printf '%s' "$msg" | sha256sum | cut -d' ' -f1)
	[ "$form" = last ] && qcol=", queue_utc" qval=", '2024-06-01T00:00:00Z'"
	sqlite3 "$DB" "INSERT INTO submission(id, status, content_hash, from_name,
		from_addr, subject, date_utc, received_utc, text, source,
		raw_size $qcol)
		VALUES (1, 'new', '$h', 'Reader U', 'reader.u@example.org',
		'Tin cũ ở Đà Nẵng', '2024-06-01T00:00:00Z', '2024-06-01T00:05:00Z',
		'old body', 'file', length(CAST('$msg' AS BLOB)) $qval);
		INSERT INTO raw(submission_id, bytes) VALUES (1, CAST('$msg' AS BLOB));
		PRAGMA user_version = 1;"
	printf '%s' "$msg" > "$WORK/old.eml"
	tl list --json > "$WORK/list" 2>"$WORK/err"
	is "$?" 0 "$form v1: list exits 0 after the upgrade"
	like "$(cat "$WORK/list")" "Tin cũ" "$form v1: the old submission is listed"
	tl show 1 --raw > "$WORK/raw1"
	cmp -s "$WORK/raw1" "$WORK/old.eml"; is "$?" 0 \
		"$form v1: its original is byte-exact"
	is "$(sql 'PRAGMA user_version')" 4 "$form v1: schema version is now 4"
	tl import "$FIX/import/001-lf.eml" 2>/dev/null
	is "$?" 0 "$form v1: import after the upgrade exits 0"
	is "$(tl search 'da nang' --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" \
		1 "$form v1: search finds the old submission (indexed before)"
	is "$(tl search 'phuong' --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" \
		1 "$form v1: and the new one, indexed once"
done
