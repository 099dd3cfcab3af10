#!/bin/sh
# 209-schema-error-named.t - when applying schema.sql fails (here a
# version 3 database lacking a table added since, and an object in the way
# of one of its indexes), the error names "schema" and SQLite's reason on
# one line: it used to print the whole three-hundred-line schema as the
# failed statement's name.  (SQLite only: the file itself.)
. "$(dirname "$0")/lib.sh"
sqlite_only
plan 4

printf 'From: Nguyễn Văn A <reader.a@example.org>\nSubject: Tin một\nMessage-ID: <sch1@example.org>\n\nMột.\n' > "$WORK/1.eml"
printf 'From: Trần Thị B <reader.b@example.org>\nSubject: Tin hai\nMessage-ID: <sch2@example.org>\n\nHai.\n' > "$WORK/2.eml"
tl -q import "$WORK/1.eml"
sql "DROP TABLE preview; DROP INDEX submission_gps;
	CREATE TABLE submission_gps (x)"
tl import "$WORK/2.eml" > /dev/null 2> "$WORK/err"
rc=$?
[ "$rc" -ne 0 ]; ok $? "the import fails ($rc)"
is "$(wc -l < "$WORK/err" | tr -d ' ')" 1 "with one line"
like "$(cat "$WORK/err")" \
	"^tipline import: .*: schema: there is already a table named submission_gps$" \
	"naming the schema and SQLite's reason"
grep -q 'single source of truth' "$WORK/err"
is "$?" 1 "and none of the schema's text"
