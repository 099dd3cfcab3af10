#!/bin/sh
# bench/desk.sh - list and search latency on a large queue (issue 5): N
# submissions (default 100,000) generated as mbox messages
# (bench/desk-gen.py), ingested with `tipline import`, then most of them
# decided as an editor would (about 3% stay new).  Each query is run
# BENCH_RUNS times (default 5) as a whole `tipline` process; the median
# and the maximum wall time are printed, in milliseconds.
#
#   bench/desk.sh                 100,000 submissions
#   DESK_N=20000 bench/desk.sh    a smaller queue
#
# env: DESK_N, BENCH_RUNS, DESK_DIR (work directory, reused when the
# database for N already exists; default /var/tmp/tipline-desk),
# TIPLINE_BIN (./tipline).  A benchmark, not a test: it asserts nothing
# but that every command exits 0.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
N=${DESK_N:-100000}
RUNS=${BENCH_RUNS:-5}
DIR=${DESK_DIR:-/var/tmp/tipline-desk}
BIN=${TIPLINE_BIN:-$TOP/tipline}
DB=$DIR/desk-$N.db
CONF=$DIR/desk-$N.conf

mkdir -p "$DIR"
printf '[store]\ndatabase = %s\n' "$DB" >"$CONF"
if [ ! -s "$DB" ]; then
	rm -rf "$DIR/mbox-$N"
	python3 "$TOP/bench/desk-gen.py" "$N" "$DIR/mbox-$N"
	t0=$(date +%s)
	"$BIN" -q --config "$CONF" import "$DIR/mbox-$N"/*.mbox
	t1=$(date +%s)
	echo "import of $N messages: $((t1 - t0)) s"
	# A lived-in queue: most submissions decided long ago.
	sqlite3 "$DB" "UPDATE submission SET status = CASE abs(random()) % 100
		WHEN 0 THEN 'new' WHEN 1 THEN 'new' WHEN 2 THEN 'new'
		WHEN 3 THEN 'spam' WHEN 4 THEN 'auto_reply'
		ELSE CASE abs(random()) % 3 WHEN 0 THEN 'rejected'
		ELSE 'approved' END END"
	sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
fi

echo "queue: $(sqlite3 "$DB" "SELECT count(*) FROM submission") submissions," \
	"$(sqlite3 "$DB" "SELECT count(*) FROM submission WHERE status = 'new'") new," \
	"$(du -h "$DB" | cut -f1) database"
echo "wall time median and max, CPU (user+sys) median, of $RUNS runs (ms);"
echo "whole process, output to /dev/null; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-50s %7s %7s %7s %7s\n' "command" "median" "max" "cpu" "rows"

# time one command RUNS times
bench() {
	rows=$("$BIN" --config "$CONF" "$@" --json 2>/dev/null | python3 -c \
		'import json, sys; print(len(json.load(sys.stdin)))')
	python3 - "$RUNS" "$BIN" --config "$CONF" "$@" <<'EOF' | {
import resource, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
t, c = [], []
for _ in range(runs):
	r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
	s = time.perf_counter()
	subprocess.run(cmd, stdout=subprocess.DEVNULL,
		       stderr=subprocess.DEVNULL, check=True)
	t.append((time.perf_counter() - s) * 1000)
	r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
	c.append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000)
t.sort(); c.sort()
print("%.0f %.0f %.0f" % (t[len(t) // 2], t[-1], c[len(c) // 2]))
EOF
		read -r med max cpu
		printf '%-50s %7s %7s %7s %7s\n' "$*" "$med" "$max" "$cpu" \
			"$rows"
	}
}

bench list
bench list --unseen
bench list --sort arrival
bench list --limit 50
bench list --all --limit 50
bench list --all --flat --limit 50 --offset 50000
bench list --all --sort sender --limit 50
bench list --all --sort given-name --limit 50
bench list --all --from nguyen --limit 50
bench list --all --from 'au thi yen'
# list's --since/--until compare arrival times (issue 10): every message
# of this queue arrived at the import, so this finds none; search's are
# about the Date.
bench list --all --has-attachments --since 2025-06-01 --until 2025-06-30
bench search da nang --limit 50
bench search da nang
bench search 'Đà Nẵng' --limit 50
bench search duong --limit 50
bench search kho hang --status new
# issue 10: all words, any order; three words as an editor types them
bench search chay kho hang
bench search chay kho hang --limit 50
bench search ngap ha noi --limit 50
bench search mat dien nha trang --limit 50
bench search 'hà nội' -ngập --limit 50
bench search '"cay do"' OR sat lo --limit 50
bench search don-4240.pdf
bench search 'không có từ này'
