#!/bin/sh
# bench/run.sh - `make bench`: tipline fetch against mbsync, fetchmail and a
# Python baseline on the same workloads, same private Dovecot (see
# docs/performance.md for the method).
#
#   bench/run.sh                 full run: 1 warm-up + 5 timed runs each
#   BENCH_QUICK=1 bench/run.sh   CI smoke run: small workloads, 1 run each
#
# env: BENCH_RUNS, BENCH_WARMUP   timed and discarded runs per tool
#      BENCH_TOOLS    tipline,mbsync,fetchmail,python (the default)
#      BENCH_PHASES   A A500 B C (the default; A includes the loopback poll,
#                     A500 the 50 ms RTT fetch and poll)
#      BENCH_CACHE    generated workloads and client output
#                     (/var/tmp/tipline-bench)
#      BENCH_SHM      where the Dovecot fixture lives (/dev/shm when it has
#                     room, else $TMPDIR)
#      BENCH_NICE     nice value for the server, the proxy and the tools
#                     (-10 as root: a shared machine's background jobs
#                     then disturb the measurement less; 0 to turn off)
#      BENCH_RESULTS  where latest.md and runs.jsonl go (bench/results)
#      TIPLINE_BIN    the binary (./tipline)
#      TIPLINE2_BIN   a second tipline to measure beside the first, in the
#                     same interleaved runs, when BENCH_TOOLS names
#                     tipline2 (another build, or a script that sets
#                     something and execs one): on a machine whose speed
#                     drifts, the only fair comparison of two builds
# Output: the table on stdout and in bench/results/latest.md; every run,
# and the floor measured for A, B and C (openssl speed, base64, a synced
# write: docs/performance.md), as a JSON line in bench/results/runs.jsonl
# (gitignored). Exit 1 when a run
# failed (wrong exit status or a wrong message count), 69 when a peer is
# missing.
set -eu
BENCH=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$BENCH/.." && pwd)
FIXTURE=$TOP/tests/fixture
QUICK=${BENCH_QUICK:-0}
if [ "$QUICK" = 1 ]; then
	RUNS=${BENCH_RUNS:-1}
	WARMUP=${BENCH_WARMUP:-0}
	FLOOR_SECS=1
	N_A=200; N_A500=50; N_B=10; SCALE_B=0.5; N_C=2; SCALE_C=0.2
else
	RUNS=${BENCH_RUNS:-5}
	WARMUP=${BENCH_WARMUP:-1}
	FLOOR_SECS=3
	N_A=2000; N_A500=500; N_B=200; SCALE_B=1; N_C=5; SCALE_C=1
fi
TOOLS=${BENCH_TOOLS:-tipline,mbsync,fetchmail,python}
PHASES=${BENCH_PHASES:-A A500 B C}
CACHE=${BENCH_CACHE:-/var/tmp/tipline-bench}
TIPLINE_BIN=${TIPLINE_BIN:-$TOP/tipline}
PY=/usr/bin/python3
[ -x $PY ] || PY=python3
RESULTS=${BENCH_RESULTS:-$BENCH/results}
NICE=${BENCH_NICE:-$([ "$(id -u)" = 0 ] && echo -10 || echo 0)}
# everything measured runs at the same priority: the runner and the tools
# it starts, the proxy, and (reniced below) the Dovecot process group
RUNNER="nice -n $NICE $PY $BENCH/runner.py"

die() {	# MESSAGE [STATUS]
	echo "bench: $1" >&2
	exit "${2:-1}"
}

# ---- peers -----------------------------------------------------------
# The comparison is the point: without the peers there is no result.
"$TOP/scripts/install-deps.sh" --bench ||
	die "could not install the peers (isync, fetchmail)" 69
for c in mbsync fetchmail dovecot doveadm openssl /usr/bin/time timeout; do
	command -v "$c" >/dev/null 2>&1 ||
		die "$c is missing (scripts/install-deps.sh --bench)" 69
done
case ",$TOOLS," in
*,tipline,*)
	[ -x "$TIPLINE_BIN" ] || die "no tipline binary at $TIPLINE_BIN" ;;
esac
case ",$TOOLS," in
*,tipline2,*)
	[ -x "${TIPLINE2_BIN:-}" ] ||
		die "tipline2 needs TIPLINE2_BIN, an executable" 64 ;;
esac

# One bench at a time: a second one would delete the first one's output.
mkdir -p "$CACHE"
exec 9>"$CACHE/lock"
flock -n 9 || die "another bench is running (lock $CACHE/lock)" 75

# ---- workloads (cached; regenerated when genwork.py changes) ----------
KEY=$(cat "$BENCH/genwork.py" | sha256sum | cut -c1-12)
CORPUS=$CACHE/corpus-$KEY-q$QUICK
mkdir -p "$CORPUS"
gen() {	# WORKLOAD COUNT [SCALE]
	d=$CORPUS/$1
	if [ -f "$d/.done" ]; then
		return 0
	fi
	rm -rf "$d"
	echo "bench: generating workload $1 ($2 messages) in $d" >&2
	$PY "$BENCH/genwork.py" "$d" "$1" --count "$2" --scale "${3:-1}" >&2
	: > "$d/.done"
}
for p in $PHASES; do
	case $p in
	A|A500) gen A $N_A ;;
	B) gen B $N_B $SCALE_B ;;
	C) gen C $N_C $SCALE_C ;;
	*) die "unknown phase $p (A A500 B C)" 64 ;;
	esac
done
# files of workload W (A500 = the first N_A500 of A), in UID order
files() {
	case $1 in
	A500) ls "$CORPUS/A"/*.eml | head -n "$N_A500" ;;
	*) ls "$CORPUS/$1"/*.eml ;;
	esac
}

# ---- fixture ---------------------------------------------------------
WORK=$CACHE/work
rm -rf "$WORK"
mkdir -p "$WORK" "$RESULTS"
SHM=${BENCH_SHM:-}
if [ -z "$SHM" ]; then
	need=$(du -sb "$CORPUS" | cut -f1)
	if [ -d /dev/shm ] && [ -w /dev/shm ] &&
	    [ "$(df --output=avail -B1 /dev/shm | tail -1)" -gt $((need * 2)) ]
	then
		SHM=/dev/shm
	else
		SHM=${TMPDIR:-/tmp}
	fi
fi
DOVE=
PROXY=
cleanup() {
	if [ -n "$PROXY" ]; then
		kill "$PROXY" 2>/dev/null || :
		PROXY=
	fi
	if [ -n "$DOVE" ]; then
		"$FIXTURE/stop.sh" "$DOVE" >/dev/null 2>&1 || :
		DOVE=
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

start_fixture() {	# WORKLOAD
	DOVE=$(IMAP_PORT=auto "$FIXTURE/start.sh" \
	    "$(mktemp -d "$SHM/tipline-bench.XXXXXX")")
	# shellcheck disable=SC2046
	"$FIXTURE/seed-maildir.sh" "$DOVE" -f $(files "$1")
	. "$DOVE/env"
	renice -n "$NICE" -g "$(cat "$DOVE/run/master.pid")" >/dev/null
	# let Dovecot index the new files before any timed run
	doveadm -c "$DOVE/dovecot.conf" mailbox status -u "$IMAP_USER" \
	    messages INBOX >/dev/null
	BYTES=$(files "$1" | xargs stat -c %s | awk '{ s += $1 } END { print s }')
}

start_proxy() {	# DELAY_MS (one way)
	nice -n "$NICE" $PY "$FIXTURE/delayproxy.py" 0 "$IMAPS_PORT" "$1" > "$WORK/proxy.out" &
	PROXY=$!
	i=0
	while ! grep -q '^PORT ' "$WORK/proxy.out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || die "delay proxy did not start"
		sleep 0.05
	done
	PROXY_PORT=$(sed -n 's/^PORT //p' "$WORK/proxy.out")
}
stop_proxy() {
	kill "$PROXY" 2>/dev/null || :
	wait "$PROXY" 2>/dev/null || :
	PROXY=
}

FAIL=0
runner() {	# WORKLOAD NET MODE RUNS WARMUP [PORT]
	echo "== $1 $2 $3: $4 runs + $5 warm-up, $(date -u +%H:%M:%S)" >&2
	$RUNNER run --fixture "$DOVE" --workload "$1" --net "$2" --mode "$3" \
	    --runs "$4" --warmup "$5" --port "${6:-0}" --tools "$TOOLS" \
	    --work "$WORK" --results "$RESULTS/runs.jsonl" \
	    --tipline "$TIPLINE_BIN" --corpus-bytes "$BYTES" || FAIL=1
}

STAMP=$(date -u +%Y-%m-%dT%H:%M:%SZ)
REV=$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$TOP" status --porcelain -- src lib schema.sql 2>/dev/null)" ]
then
	REV="$REV + uncommitted changes in src/ or lib/"
fi
# Others may rebuild ./tipline while the bench runs: measure one copy.
case ",$TOOLS," in
*,tipline,*)
	cp "$TIPLINE_BIN" "$WORK/tipline"
	TIPLINE_BIN=$WORK/tipline ;;
esac
case ",$TOOLS," in
*,tipline2,*)
	cp "$TIPLINE2_BIN" "$WORK/tipline2"
	export TIPLINE2_BIN=$WORK/tipline2 ;;
esac
mv -f "$RESULTS/runs.jsonl" "$RESULTS/runs.prev.jsonl" 2>/dev/null || :
for p in $PHASES; do
	# the floor (issue 14): what any fetcher of these bytes must spend,
	# measured here and now, next to the tools' runs of the same phase
	case $p in
	A|B|C)
		echo "== $p floor, $(date -u +%H:%M:%S)" >&2
		$RUNNER floor --corpus "$CORPUS/$p" --workload "$p" \
		    --work "$WORK" --results "$RESULTS/runs.jsonl" \
		    --seconds "$FLOOR_SECS" || FAIL=1 ;;
	esac
	start_fixture "$p"
	case $p in
	A)
		runner A loopback full "$RUNS" "$WARMUP"
		runner A loopback poll "$RUNS" "$WARMUP" ;;
	A500)
		start_proxy 25
		# the loopback runs before already warmed everything up
		runner A500 rtt50 full "$RUNS" 0 "$PROXY_PORT"
		runner A500 rtt50 poll "$RUNS" 0 "$PROXY_PORT"
		stop_proxy
		# control: the proxy's own cost, without delay
		start_proxy 0
		runner A500 proxy0 full 1 0 "$PROXY_PORT"
		stop_proxy ;;
	B|C)
		runner "$p" loopback full "$RUNS" "$WARMUP" ;;
	esac
	cleanup
done

# ---- summary ---------------------------------------------------------
{
	echo "# tipline bench: latest results"
	echo
	echo "Generated by \`make bench\` (bench/run.sh) at $STAMP;" \
	    "$( [ "$QUICK" = 1 ] && echo "QUICK mode (small workloads), " )" \
	    "$RUNS timed run(s) per tool and workload after $WARMUP warm-up," \
	    "interleaved, at nice $(nice -n "$NICE" nice) (BENCH_NICE $NICE" \
	    "from $(nice)); medians. Method: docs/performance.md."
	echo
	echo "Machine: $(nproc) CPUs ($(sed -n 's/^model name[^:]*: //p' \
	    /proc/cpuinfo | head -1)), Linux $(uname -r)." \
	    "tipline $(cat "$TOP/VERSION" 2>/dev/null)" \
	    "(tree at $REV when the run started)," \
	    "$(mbsync -v 2>/dev/null | head -1), fetchmail" \
	    "$(fetchmail -V 2>/dev/null | sed -n 's/^This is fetchmail release \([^ ,+]*\).*/\1/p' | head -1)," \
	    "Dovecot $(dovecot --version | cut -d' ' -f1)," \
	    "$($PY --version 2>&1)."
	echo
	$RUNNER summary --results "$RESULTS/runs.jsonl"
} > "$RESULTS/latest.md.tmp"
mv "$RESULTS/latest.md.tmp" "$RESULTS/latest.md"
cat "$RESULTS/latest.md"
# keep the logs (WORK/logs) for a look after a failed run; drop the output
find "$WORK" -mindepth 1 -maxdepth 1 ! -name logs -exec rm -rf {} +
exit $FAIL
