#!/bin/sh
# 192-copy-verify.t - `tipline copy` compares what it copied (issue 13):
# a destination row changed after the copy (a status in SQLite, one byte
# of an original in PostgreSQL, an audit row deleted) makes the next run
# exit 65 naming the table, the row and the column; the source is never
# written; the summary says DIFFERS and --json lists the differences.
. "$(dirname "$0")/lib.sh"
pg_need
. "$TESTS/copy-lib.sh"

plan 12

copy_queue; is "$?" 0 "the source queue"
before=$(sqlite3 "$DB" "SELECT count(*), sum(length(text)) FROM submission;
	SELECT count(*) FROM audit")

tl -q copy --to "$WORK/copy.db" > /dev/null; is "$?" 0 "copied to SQLite"
sqlite3 "$WORK/copy.db" "UPDATE submission SET status = 'approved'
	WHERE id = 5"
tl copy --to "$WORK/copy.db" > "$WORK/out" 2> "$WORK/err"
is "$?" 65 "a status changed at the destination: exit 65"
like "$(cat "$WORK/err")" 'submission id=5: status differs' \
	"the error names the submission and the column"
like "$(grep '^  submission ' "$WORK/out")" 'DIFFERS' \
	"the summary marks the table"

tl -q copy --to "$PG_URL" > /dev/null; is "$?" 0 "copied to PostgreSQL"
psql_t -c "UPDATE raw SET bytes = overlay(bytes placing '\\x58'::bytea
	from 10 for 1) WHERE submission_id = 3 AND seq = 0"
tl copy --to "$PG_URL" --json > "$WORK/out.json" 2> "$WORK/err"
is "$?" 65 "one byte of an original changed: exit 65"
like "$(cat "$WORK/err")" 'raw submission_id=3 seq=0: bytes differs' \
	"the error names the chunk"
is "$(jq -c '[.verified, .differences, (.tables[] | select(.table ==
	"raw") | .first_differences)]' "$WORK/out.json")" \
	'[false,1,["raw submission_id=3 seq=0: bytes differs"]]' \
	"--json says not verified and lists the difference"

# The chunk put back as it was; an audit row taken away instead.
psql_t -c "DELETE FROM audit WHERE id = 2"
sqlite3 "$DB" "SELECT lower(hex(bytes)) FROM raw WHERE submission_id = 3
	AND seq = 0" > "$WORK/chunk.hex"
psql_t -c "UPDATE raw SET bytes = decode('$(cat "$WORK/chunk.hex")',
	'hex') WHERE submission_id = 3 AND seq = 0"
tl copy --to "$PG_URL" > /dev/null 2> "$WORK/err"
is "$?" 65 "an audit row deleted at the destination: exit 65"
like "$(cat "$WORK/err")" 'audit id=2: missing at the destination' \
	"the error names the missing audit row"
is "$(sqlite3 "$DB" "SELECT count(*), sum(length(text)) FROM submission;
	SELECT count(*) FROM audit")" "$before" "the source was not written"
