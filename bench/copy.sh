#!/bin/sh
# bench/copy.sh - `tipline copy` of the desk benchmark database (issue
# 13): the SQLite queue of bench/desk.sh (N submissions, default 100,000;
# built by it when missing) copied into a private PostgreSQL
# (tests/fixture/pg-start.sh), then from there into a new SQLite file,
# each copy verified.  Prints wall time and peak memory (max RSS) of each
# direction.  A benchmark, not a test: it asserts nothing but that both
# copies exit 0.
#
# env: DESK_N, DESK_DIR (as bench/desk.sh), TIPLINE_BIN (./tipline).
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
N=${DESK_N:-100000}
DIR=${DESK_DIR:-/var/tmp/tipline-desk}
BIN=${TIPLINE_BIN:-$TOP/tipline}
SRC=$DIR/desk-$N.db
[ -s "$SRC" ] || DESK_N=$N DESK_DIR=$DIR BENCH_RUNS=1 "$TOP/bench/desk.sh"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tipline-copy-bench.XXXXXX")
PGDIR=
cleanup() {
	[ -z "$PGDIR" ] || "$TOP/tests/fixture/pg-stop.sh" "$PGDIR" >/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
# The source's own folder is left alone (copy takes DB.lock beside it).
cp "$SRC" "$WORK/src.db"
PGDIR=$("$TOP/tests/fixture/pg-start.sh")
. "$PGDIR/env"
printf '[store]\ndatabase = %s\npassfile = %s\n' "$WORK/src.db" \
	"$PG_PASSFILE" > "$WORK/src.conf"
printf '[store]\ndatabase = %s\npassfile = %s\n' "$PG_URL" \
	"$PG_PASSFILE" > "$WORK/pg.conf"

# run NAME CONF DEST: one verified copy, timed.
run() {
	/usr/bin/time -f '%e %M' -o "$WORK/time" "$BIN" -q --config "$2" \
		copy --to "$3" --json > "$WORK/out.json"
	set -- "$1" $(cat "$WORK/time")
	printf '%-22s %8.1f s  max RSS %6d KiB  %s\n' "$1" "$2" "$3" \
		"$(jq -c '[.verified, (.tables[] | select(.table ==
		"submission") | .destination_rows)]' "$WORK/out.json")"
}
echo "tipline copy, $N submissions ($(du -h "$SRC" | cut -f1) SQLite):"
run "SQLite -> PostgreSQL" "$WORK/src.conf" "$PG_URL"
run "PostgreSQL -> SQLite" "$WORK/pg.conf" "$WORK/back.db"
