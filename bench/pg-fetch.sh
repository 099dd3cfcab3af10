#!/bin/sh
# bench/pg-fetch.sh - `make bench-pg`: tipline fetch into PostgreSQL (issue
# 13), on a private Dovecot and a private PostgreSQL 15 on this machine
# (tests/fixture/start.sh, pg-start.sh; see docs/performance.md,
# "PostgreSQL: fetch throughput and several fetchers").
#   1. stores: fetch throughput into SQLite and into PostgreSQL side by side,
#      workloads A and B (bench/genwork.py), loopback IMAP, interleaved.
#   2. fetchers: one fetcher doing eight mailboxes against four started
#      together, at 50 ms RTT (tests/fixture/delayproxy.py), on PostgreSQL.
#
#   bench/pg-fetch.sh                 full: 1 warm-up + 3 timed runs each
#   BENCH_QUICK=1 bench/pg-fetch.sh   CI smoke run: small workloads, 1 run
#
# env: BENCH_RUNS, BENCH_WARMUP   timed and discarded runs
#      BENCH_PG_PARTS  stores fetchers (the default)
#      BENCH_CACHE     workloads, fixtures and output
#                      (/var/tmp/tipline-bench-pg: both stores on one disk)
#      BENCH_NICE      as in bench/run.sh (-10 as root, else 0)
#      BENCH_RESULTS   where pg-latest.md and pg-runs.jsonl go (bench/results)
#      TIPLINE_BIN     the binary (./tipline)
# Exit 1 when a run failed (exit status, wrong count, a message stored
# twice), 69 when Dovecot or PostgreSQL 15 is missing.
set -eu
BENCH=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$BENCH/.." && pwd)
FIXTURE=$TOP/tests/fixture
QUICK=${BENCH_QUICK:-0}
if [ "$QUICK" = 1 ]; then
	RUNS=${BENCH_RUNS:-1}
	WARMUP=${BENCH_WARMUP:-0}
	N_A=200; N_B=10; SCALE_B=0.5; N_F=80
else
	RUNS=${BENCH_RUNS:-3}
	WARMUP=${BENCH_WARMUP:-1}
	N_A=2000; N_B=200; SCALE_B=1; N_F=500
fi
FOLDERS=8
PROCS=4
PARTS=${BENCH_PG_PARTS:-stores fetchers}
CACHE=${BENCH_CACHE:-/var/tmp/tipline-bench-pg}
TIPLINE_BIN=${TIPLINE_BIN:-$TOP/tipline}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PY=/usr/bin/python3
[ -x $PY ] || PY=python3
RESULTS=${BENCH_RESULTS:-$BENCH/results}
NICE=${BENCH_NICE:-$([ "$(id -u)" = 0 ] && echo -10 || echo 0)}
RUNNER="nice -n $NICE $PY $BENCH/pgrunner.py"

die() {	# MESSAGE [STATUS]
	echo "bench-pg: $1" >&2
	exit "${2:-1}"
}
for c in dovecot doveadm openssl /usr/bin/time timeout "$PG_BIN/initdb"; do
	command -v "$c" >/dev/null 2>&1 ||
		die "$c is missing (scripts/install-deps.sh --bench)" 69
done
[ -x "$TIPLINE_BIN" ] || die "no tipline binary at $TIPLINE_BIN"

mkdir -p "$CACHE"
exec 9>"$CACHE/lock"
flock -n 9 || die "another bench-pg is running (lock $CACHE/lock)" 75

# ---- workloads (cached; regenerated when genwork.py changes) ----------
KEY=$(sha256sum < "$BENCH/genwork.py" | cut -c1-12)
CORPUS=$CACHE/corpus-$KEY-q$QUICK
mkdir -p "$CORPUS"
gen() {	# WORKLOAD COUNT [SCALE]
	d=$CORPUS/$1
	[ -f "$d/.done" ] && return 0
	rm -rf "$d"
	echo "bench-pg: generating workload $1 ($2 messages) in $d" >&2
	$PY "$BENCH/genwork.py" "$d" "$1" --count "$2" --scale "${3:-1}" >&2
	: > "$d/.done"
}
gen A $N_A
case " $PARTS " in *" stores "*) gen B $N_B $SCALE_B ;; esac
bytes() { xargs stat -c %s | awk '{ s += $1 } END { print s }'; }

# ---- fixtures --------------------------------------------------------
# Everything on one disk, the SQLite file, the PostgreSQL data folder and
# the spool alike (not tmpfs), and PostgreSQL with fsync and full page
# writes on (the test fixture turns them off): each store then makes its
# commits as durable as it does in production.
WORK=$CACHE/work
rm -rf "$WORK"
mkdir -p "$WORK" "$RESULTS"
chmod 755 "$CACHE" "$WORK"
DOVE=
PGDIR=
PROXY=
cleanup() {
	[ -z "$PROXY" ] || { kill "$PROXY" 2>/dev/null || :; PROXY=; }
	[ -z "$DOVE" ] || { "$FIXTURE/stop.sh" "$DOVE" >/dev/null 2>&1 || :; DOVE=; }
	[ -z "$PGDIR" ] || { "$FIXTURE/pg-stop.sh" "$PGDIR" >/dev/null 2>&1 || :; PGDIR=; }
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

"$FIXTURE/pg-start.sh" "$WORK/pg" >/dev/null ||
	die "the PostgreSQL fixture did not start"
PGDIR=$WORK/pg
. "$PGDIR/env"
PGPASSFILE=$PG_PASSFILE "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
    -h "$PG_SOCKDIR" -p "$PG_PORT" -U "$PG_ADMIN" -d postgres >/dev/null <<SQL
ALTER SYSTEM SET fsync = on;
ALTER SYSTEM SET full_page_writes = on;
ALTER SYSTEM SET shared_buffers = '128MB';
SQL
# shared_buffers needs a restart
"$FIXTURE/pg-restart.sh" "$PGDIR" >/dev/null ||
	die "PostgreSQL did not restart"
renice -n "$NICE" -g "$(head -1 "$PGDIR/data/postmaster.pid")" >/dev/null

start_dovecot() {
	# on tmpfs when there is one, as in bench/run.sh: the server's
	# side is not what is measured here
	t=${TMPDIR:-/tmp}
	[ -d /dev/shm ] && [ -w /dev/shm ] && t=/dev/shm
	DOVE=$(IMAP_PORT=auto "$FIXTURE/start.sh" \
	    "$(mktemp -d "$t/tipline-bench-pg.XXXXXX")")
	. "$DOVE/env"
	renice -n "$NICE" -g "$(cat "$DOVE/run/master.pid")" >/dev/null
}
index() {	# FOLDER: let Dovecot index the new files before any timed run
	doveadm -c "$DOVE/dovecot.conf" mailbox status -u "$IMAP_USER" \
	    messages "$1" >/dev/null
}
stop_dovecot() { "$FIXTURE/stop.sh" "$DOVE" >/dev/null 2>&1 || :; DOVE=; }

FAIL=0
STAMP=$(date -u +%Y-%m-%dT%H:%M:%SZ)
REV=$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git -C "$TOP" status --porcelain -- src lib schema.sql \
    schema-pg.sql 2>/dev/null)" ] || REV="$REV + uncommitted changes"
cp "$TIPLINE_BIN" "$WORK/tipline"
TIPLINE_BIN=$WORK/tipline
RES=$RESULTS/pg-runs.jsonl
rm -f "$RES"
common() {
	echo "--pg $PGDIR --runs $RUNS --warmup $WARMUP --work $WORK" \
	    "--results $RES --tipline $TIPLINE_BIN"
}

for part in $PARTS; do
	case $part in
	stores)
		for w in A B; do
			start_dovecot
			# shellcheck disable=SC2046
			"$FIXTURE/seed-maildir.sh" "$DOVE" -f "$CORPUS/$w"/*.eml
			index INBOX
			n=$(ls "$CORPUS/$w"/*.eml | wc -l)
			echo "== stores $w: $RUNS runs + $WARMUP warm-up," \
			    "$(date -u +%H:%M:%S)" >&2
			# shellcheck disable=SC2046
			$RUNNER stores --fixture "$DOVE" --workload "$w" \
			    --expect "$n" --corpus-bytes "$(ls "$CORPUS/$w"/*.eml |
			    bytes)" $(common) || FAIL=1
			stop_dovecot
		done ;;
	fetchers)
		# the first N_F of A, dealt round robin into F1..F8
		start_dovecot
		ls "$CORPUS/A"/*.eml | head -n "$N_F" > "$WORK/files"
		k=1
		while [ $k -le $FOLDERS ]; do
			# shellcheck disable=SC2046
			FOLDER=F$k "$FIXTURE/seed-maildir.sh" "$DOVE" -f \
			    $(awk -v k=$k -v m=$FOLDERS \
			    'NR % m == k % m' "$WORK/files")
			index F$k
			k=$((k + 1))
		done
		nice -n "$NICE" $PY "$FIXTURE/delayproxy.py" 0 "$IMAPS_PORT" \
		    25 > "$WORK/proxy.out" &
		PROXY=$!
		i=0
		while ! grep -q '^PORT ' "$WORK/proxy.out" 2>/dev/null; do
			i=$((i + 1))
			[ $i -lt 100 ] || die "delay proxy did not start"
			sleep 0.05
		done
		echo "== fetchers: $RUNS runs + $WARMUP warm-up," \
		    "$(date -u +%H:%M:%S)" >&2
		# shellcheck disable=SC2046
		$RUNNER fetchers --fixture "$DOVE" --workload A$N_F \
		    --net rtt50 --port "$(sed -n 's/^PORT //p' "$WORK/proxy.out")" \
		    --folders $FOLDERS --procs $PROCS --expect "$N_F" \
		    --corpus-bytes "$(bytes < "$WORK/files")" $(common) || FAIL=1
		kill "$PROXY" 2>/dev/null || :
		wait "$PROXY" 2>/dev/null || :
		PROXY=
		stop_dovecot ;;
	*) die "unknown part $part (stores fetchers)" 64 ;;
	esac
done

{
	echo "# tipline bench-pg: latest results"
	echo
	echo "Generated by \`make bench-pg\` (bench/pg-fetch.sh) at $STAMP;" \
	    "$( [ "$QUICK" = 1 ] && echo "QUICK mode (small workloads), " )" \
	    "$RUNS timed run(s) after $WARMUP warm-up, interleaved, at nice" \
	    "$NICE; medians. Method: docs/performance.md."
	echo
	echo "Machine: $(nproc) CPUs ($(sed -n 's/^model name[^:]*: //p' \
	    /proc/cpuinfo | head -1)), Linux $(uname -r), load: $(uptime |
	    sed 's/.*load average: //')." \
	    "tipline $(cat "$TOP/VERSION" 2>/dev/null) (tree at $REV)," \
	    "$("$PG_BIN/postgres" --version), Dovecot $(dovecot --version |
	    cut -d' ' -f1)."
	echo
	$RUNNER summary --results "$RES"
} > "$RESULTS/pg-latest.md.tmp"
mv "$RESULTS/pg-latest.md.tmp" "$RESULTS/pg-latest.md"
cat "$RESULTS/pg-latest.md"
find "$WORK" -mindepth 1 -maxdepth 1 ! -name logs ! -name pg \
    -exec rm -rf {} +
exit $FAIL
