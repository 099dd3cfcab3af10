#!/bin/sh
# bench/desk.sh - list, search and show latency on a large queue (issues
# 5, 13, 14): N submissions (default 100,000) generated as mbox messages
# (bench/desk-gen.py), ingested with `tipline import`, then most of them
# decided as an editor would (about 3% stay new).  Each query is run
# BENCH_RUNS times (default 5) as a whole `tipline` process; the median
# and the maximum wall time are printed, in milliseconds.
#
# With DESK_STORE=pg the same queue is also put into a private PostgreSQL
# 15 (tests/fixture/pg-start.sh: TLS on loopback, SCRAM, the passfile) by
# `tipline copy --to URL` from the SQLite file (docs/operations.md "Moving
# to PostgreSQL"; faster than importing the mbox again, and the decisions
# travel with it), and every query runs on both, interleaved (SQLite, then
# PostgreSQL, run after run), in one table side by side.
#
#   bench/desk.sh                          100,000 submissions, SQLite
#   DESK_N=20000 bench/desk.sh             a smaller queue
#   DESK_STORE=pg bench/desk.sh            SQLite and PostgreSQL
#   DESK_N=1000000 DESK_STORE=pg DESK_PAGES_ONLY=1 bench/desk.sh
#                                          issue 13's 1,000,000
#                                          (make bench-desk-1m)
#
# Everything generated is kept in DESK_DIR and reused by the next run:
# desk-N.db (the SQLite queue; built as desk-N.db.new and renamed when
# complete), mbox-N/ (deleted once imported), pg-N/ (the PostgreSQL
# server's folder, data included, stopped cleanly at the end and started
# again on a new free port by the next run; "ready" inside once loaded;
# a copy cut off goes on where it stopped).
# At 1,000,000: a SQLite file of 4.6 GB, the server's data about as much
# again; on a shared 2-core machine the import took 40 minutes and the
# copy runs at about 280 submissions a second (an hour).
#
# The server: the test fixture's settings (fsync off: a benchmark) plus a
# server's usual memory rather than the fixture's 16 MB: shared_buffers
# 256MB, work_mem 16MB, maintenance_work_mem 256MB, effective_cache_size
# 2GB; after the copy VACUUM ANALYZE, as autovacuum would do by itself.
#
# Then the same pages from the browser desk (tipline-serve beside the
# binary; DESK_SERVE=0 skips them): one server per store, proxy auth,
# each page fetched DESK_SERVE_REQS times (default 50) by one curl over
# one kept-alive connection after one warm-up, the stores interleaved
# page by page; curl's time_total, median and max, in ms.  This is the
# desk an editor of a media group uses (docs/operations.md "Past one
# machine"): one process that keeps its connection, so a page pays no
# process start, no TLS handshake and no SCRAM login, which are most of
# a whole `tipline` command's time on PostgreSQL.
#
# DESK_PAGES_ONLY=1 times only the pages (a --limit, or show): at
# 1,000,000 a command that prints a whole result (30,000 new ones, 75,000
# matches) takes seconds on either backend and is not the editor's case.
#
# env: DESK_N, DESK_STORE (sqlite | pg), DESK_PAGES_ONLY, BENCH_RUNS,
# DESK_SERVE, DESK_SERVE_REQS, DESK_CLI (0: the browser desk only),
# DESK_DIR (default /var/tmp/tipline-desk; not /dev/shm: a million
# submissions are GBs), TIPLINE_BIN (./tipline).  A benchmark, not a
# test: it asserts nothing but that every command exits 0.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
N=${DESK_N:-100000}
STORE=${DESK_STORE:-sqlite}
RUNS=${BENCH_RUNS:-5}
DIR=${DESK_DIR:-/var/tmp/tipline-desk}
BIN=${TIPLINE_BIN:-$TOP/tipline}
DB=$DIR/desk-$N.db
CONF=$DIR/desk-$N.conf
PGD=$DIR/pg-$N
PGCONF=$DIR/desk-$N-pg.conf
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
case $STORE in sqlite|pg) ;; *) echo "DESK_STORE: sqlite or pg" >&2; exit 64;; esac

mkdir -p "$DIR"
# the PostgreSQL server (run as nobody when root) must reach its folder
chmod 755 "$DIR"
printf '[store]\ndatabase = %s\n' "$DB" >"$CONF"
if [ ! -s "$DB" ]; then
	if [ ! -s "$DIR/mbox-$N/done" ]; then
		rm -rf "$DIR/mbox-$N"
		python3 "$TOP/bench/desk-gen.py" "$N" "$DIR/mbox-$N"
		echo "$N" > "$DIR/mbox-$N/done"
	fi
	rm -f "$DB.new" "$DB.new-wal" "$DB.new-shm"
	printf '[store]\ndatabase = %s\n' "$DB.new" >"$CONF.new"
	t0=$(date +%s)
	"$BIN" -q --config "$CONF.new" import "$DIR/mbox-$N"/*.mbox
	t1=$(date +%s)
	echo "import of $N messages: $((t1 - t0)) s"
	# A lived-in queue: most submissions decided long ago.
	sqlite3 "$DB.new" "UPDATE submission SET status = CASE abs(random()) % 100
		WHEN 0 THEN 'new' WHEN 1 THEN 'new' WHEN 2 THEN 'new'
		WHEN 3 THEN 'spam' WHEN 4 THEN 'auto_reply'
		ELSE CASE abs(random()) % 3 WHEN 0 THEN 'rejected'
		ELSE 'approved' END END"
	sqlite3 "$DB.new" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
	mv "$DB.new" "$DB"
	rm -f "$CONF.new" "$DB.new-wal" "$DB.new-shm" "$DB.new.lock"
	rm -rf "$DIR/mbox-$N"
fi

# ---- PostgreSQL (DESK_STORE=pg) ----
AS=
pg_ctl() {
	$AS "$PG_BIN/pg_ctl" -D "$PGD/data" -l "$PGD/postgres.log" "$@"
}
pg_psql() {
	PGPASSFILE=$PG_PASSFILE "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 \
		"$PG_SOCKET_URL" "$@"
}
pg_stop() {
	[ -f "$PGD/data/postmaster.pid" ] && pg_ctl -m fast -w stop >/dev/null
	:
}
# pg_resume: start the kept server again on a free port (the env file,
# the passfile and the server's port follow it).
pg_resume() {
	tries=0
	while :; do
		old=$(sed -n 's/^PG_PORT=//p' "$PGD/env")
		port=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 20000))
		sed -i "s/^port = .*/port = $port/" \
			"$PGD/data/postgresql.auto.conf"
		sed -i "s/:$old/:$port/g; s/^PG_PORT=.*/PG_PORT=$port/; \
			s/port=$old/port=$port/" "$PGD/env"
		sed -i "s/:$old:/:$port:/" "$PGD/pgpass"
		pg_ctl -w -t 120 start >/dev/null 2>&1 && return 0
		tries=$((tries + 1))
		[ $tries -lt 10 ] || { tail -5 "$PGD/postgres.log" >&2; exit 1; }
	done
}
# pg_new: a new server in PGD with a server's memory settings
pg_new() {
	PG_TEMPLATE= "$TOP/tests/fixture/pg-start.sh" "$PGD" >/dev/null
	if [ "$(id -u)" = 0 ]; then
		AS="setpriv --reuid=$(stat -c %u "$PGD/data") --regid=$(stat -c \
			%g "$PGD/data") --clear-groups --"
	fi
	cat >> "$PGD/data/postgresql.auto.conf" <<CONF
shared_buffers = 256MB
work_mem = 16MB
maintenance_work_mem = 256MB
effective_cache_size = 2GB
max_wal_size = 4GB
CONF
	pg_ctl -m fast -w restart >/dev/null
	. "$PGD/env"
}
pg_setup() {
	if [ "$(id -u)" = 0 ] && [ -d "$PGD/data" ]; then
		AS="setpriv --reuid=$(stat -c %u "$PGD/data") --regid=$(stat -c \
			%g "$PGD/data") --clear-groups --"
	fi
	if [ -f "$PGD/ready" ]; then
		pg_resume
		. "$PGD/env"
		return 0
	fi
	if [ -f "$PGD/copy.conf" ]; then
		# a copy cut off half-way: started again, it goes on after
		# the last batch it committed (docs/operations.md)
		pg_resume
		. "$PGD/env"
	else
		# a server that never got as far as the copy: made again
		[ ! -d "$PGD" ] ||
			"$TOP/tests/fixture/pg-stop.sh" "$PGD" >/dev/null
		rm -rf "$PGD"
		pg_new
	fi
	printf '[store]\ndatabase = %s\npassfile = %s\n' "$PG_URL" \
		"$PG_PASSFILE" >"$PGCONF"
	t0=$(date +%s)
	# copy takes the fetch lock beside the source (DB.lock): our folder;
	# the destination's password from [store] passfile
	printf '[store]\ndatabase = %s\npassfile = %s\n' "$DB" \
		"$PG_PASSFILE" >"$PGD/copy.conf"
	"$BIN" -q --config "$PGD/copy.conf" copy --to "$PG_URL" >/dev/null
	t1=$(date +%s)
	# as the owner of the catalogue too: no "only superuser" warnings
	PGPASSFILE=$PG_PASSFILE "$PG_BIN/vacuumdb" -q -z -h "$PG_SOCKDIR" \
		-p "$PG_PORT" -U "$PG_ADMIN" -d "$PG_DB"
	t2=$(date +%s)
	echo "copy of $N submissions to PostgreSQL: $((t1 - t0)) s," \
		"VACUUM ANALYZE $((t2 - t1)) s"
	: > "$PGD/ready"
}
if [ "$STORE" = pg ]; then
	trap pg_stop EXIT
	pg_setup
	printf '[store]\ndatabase = %s\npassfile = %s\n' "$PG_URL" \
		"$PG_PASSFILE" >"$PGCONF"
fi

# The desk's commands only read, and a read-only open of a SQLite queue
# never upgrades it: one that writes makes the sort keys of a queue
# generated before them (10-20 s at 1,000,000, once), so that the sender
# sorts below walk them as an editor's queue would.
t0=$(date +%s)
"$BIN" -q --config "$CONF" reparse --sort-keys >/dev/null
echo "sort keys made or checked in $(($(date +%s) - t0)) s"
echo "queue: $(sqlite3 "$DB" "SELECT count(*) FROM submission") submissions," \
	"$(sqlite3 "$DB" "SELECT count(*) FROM submission WHERE status = 'new'") new," \
	"$(du -h "$DB" | cut -f1) SQLite database"
if [ "$STORE" = pg ]; then
	echo "PostgreSQL: $(pg_psql -c "SELECT count(*) FROM submission")" \
		"submissions, $(pg_psql -c "SELECT count(*) FROM submission \
		WHERE status = 'new'") new, $(pg_psql -c "SELECT \
		pg_size_pretty(pg_database_size(current_database()))")"
fi
echo "wall time median and max of $RUNS runs (ms); whole process, output"
echo "to /dev/null; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$STORE" = pg ]; then
	echo "(SQLite and PostgreSQL interleaved; rows: SQLite's, /PostgreSQL's when they differ)"
	printf '%-50s %7s %7s %7s %7s %7s\n' "command" "sq.med" "sq.max" \
		"pg.med" "pg.max" "rows"
else
	echo "and CPU (user+sys) median"
	printf '%-50s %7s %7s %7s %7s\n' "command" "median" "max" "cpu" "rows"
fi

# rows CONF ARGS: how many rows (a list) or keys (show) --json gives; also
# the warm-up run.
rows() {
	c=$1; shift
	"$BIN" --config "$c" "$@" --json 2>/dev/null | python3 -c \
		'import json, sys; print(len(json.load(sys.stdin)))'
}
# time one command RUNS times on each store, interleaved
bench() {
	if [ -n "${DESK_PAGES_ONLY:-}" ]; then
		case " $* " in
		*" --limit "*|" show "*) ;;
		*) return 0 ;;
		esac
	fi
	r=$(rows "$CONF" "$@")
	pc=
	if [ "$STORE" = pg ]; then
		p=$(rows "$PGCONF" "$@")
		[ "$p" = "$r" ] || r="$r/$p"
		pc=$PGCONF
	fi
	python3 - "$RUNS" "$BIN" "$CONF" "$pc" "$@" <<'PY' | {
import resource, subprocess, sys, time
runs, bin, args = int(sys.argv[1]), sys.argv[2], sys.argv[5:]
confs = [c for c in sys.argv[3:5] if c]
t = [[] for _ in confs]
c = []
for _ in range(runs):
	for i, conf in enumerate(confs):
		r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
		s = time.perf_counter()
		subprocess.run([bin, "--config", conf] + args,
			       stdout=subprocess.DEVNULL,
			       stderr=subprocess.DEVNULL, check=True)
		t[i].append((time.perf_counter() - s) * 1000)
		r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
		if i == 0:
			c.append((r1.ru_utime - r0.ru_utime + r1.ru_stime -
				  r0.ru_stime) * 1000)
out = []
for v in t:
	v.sort()
	out += ["%.0f" % v[len(v) // 2], "%.0f" % v[-1]]
if len(confs) == 1:
	c.sort()
	out.append("%.0f" % c[len(c) // 2])
print(" ".join(out))
PY
		read -r a b x y
		if [ "$STORE" = pg ]; then
			printf '%-50s %7s %7s %7s %7s %7s\n' "$*" "$a" "$b" \
				"$x" "$y" "$r"
		else
			printf '%-50s %7s %7s %7s %7s\n' "$*" "$a" "$b" "$x" \
				"$r"
		fi
	}
}

if [ "${DESK_CLI:-1}" = 0 ]; then
	bench() { :; }
fi
bench list
bench list --unseen
bench list --sort arrival
bench list --limit 50
bench list --all --limit 50
bench list --all --flat --limit 50 --offset 50000
# the browser's deep pages as the CLI asks them: threads folded, offsets
# 2,050, 10,000 and 50,000 (page=42, 201, 1001 of 50 rows and one more)
bench list --status new,approved,rejected,spam --limit 51 --offset 2050
bench list --status new,approved,rejected,spam --limit 51 --offset 10000
bench list --status new,approved,rejected,spam --limit 51 --offset 50000
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
# a status that holds few submissions (new, spam): its ids are a list the
# matches are tested against, not each match's row read (issue 13)
bench search kho hang --status new --limit 50
bench search kho hang --status spam --limit 50
# issue 10: all words, any order; three words as an editor types them
bench search chay kho hang
bench search chay kho hang --limit 50
bench search ngap ha noi --limit 50
bench search mat dien nha trang --limit 50
bench search 'hà nội' -ngập --limit 50
bench search '"cay do"' OR sat lo --limit 50
bench search don-4240.pdf
bench search 'không có từ này'
# show: a plain submission, and a follow-up with an attachment (every
# 20th message answers one of the 100 before it)
bench show $((N / 2))
bench show $((N / 2 + 1))

# ---- the browser desk (tipline-serve), the same pages ----
SERVE=$(dirname "$BIN")/tipline-serve
[ "${DESK_SERVE:-1}" != 0 ] && [ -x "$SERVE" ] || exit 0
SREQS=${DESK_SERVE_REQS:-50}
SRUN=$DIR/serve-$N
rm -rf "$SRUN"
mkdir -p "$SRUN"
printf 'bench-secret\n' > "$SRUN/secret"
chmod 600 "$SRUN/secret"
SPIDS=
# serve_start NAME CONF: tipline-serve on a free loopback port for the
# store CONF names; sets BASE_NAME.
serve_start() {
	{ cat "$2"; printf '[serve]\nauth = proxy\nproxy_secret_file = %s\n' \
		"$SRUN/secret"; } > "$SRUN/$1.conf"
	port=$(python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	"$SERVE" --config "$SRUN/$1.conf" serve --listen "127.0.0.1:$port" \
		> "$SRUN/$1.log" 2>&1 &
	SPIDS="$SPIDS $!"
	for _i in $(seq 1 300); do
		curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/" &&
			break
		sleep 0.1
	done
	eval "BASE_$1=http://127.0.0.1:$port"
}
serve_stop() {
	for p in $SPIDS; do kill "$p" 2>/dev/null || :; done
	for p in $SPIDS; do wait "$p" 2>/dev/null || :; done
	[ "$STORE" != pg ] || pg_stop
}
trap serve_stop EXIT
serve_start sq "$CONF"
[ "$STORE" != pg ] || serve_start pg "$PGCONF"
# page NAME PATH: SREQS requests after one warm-up on each store; a row.
page() {
	out=
	for b in sq pg; do
		[ "$b" = sq ] || [ "$STORE" = pg ] || continue
		eval "base=\$BASE_$b"
		code=$(curl -s -o /dev/null -w '%{http_code}' \
			-H 'X-Remote-User: bench.editor' \
			-H 'X-Tipline-Proxy-Secret: bench-secret' "$base$2")
		[ "$code" = 200 ] ||
			{ echo "bench: $b $2 answered $code" >&2; exit 1; }
		: > "$SRUN/urls"
		i=0
		while [ $i -lt "$SREQS" ]; do
			printf 'url = "%s%s"\noutput = /dev/null\n' "$base" \
				"$2" >> "$SRUN/urls"
			i=$((i + 1))
		done
		out="$out $(curl -s -H 'X-Remote-User: bench.editor' \
			-H 'X-Tipline-Proxy-Secret: bench-secret' \
			-w '%{http_code} %{time_total}\n' -K "$SRUN/urls" |
			python3 -c 'import sys
rows = [l.split() for l in sys.stdin]
assert all(r[0] == "200" for r in rows), "not 200"
t = sorted(float(r[1]) * 1000 for r in rows)
print("%.1f %.1f" % (t[len(t) // 2], t[-1]))')"
	done
	printf '%-50s' "$1"
	for v in $out; do printf ' %7s' "$v"; done
	echo
}
echo
echo "the browser desk (tipline-serve): $SREQS requests a page over one"
echo "kept-alive connection, curl's time_total median and max (ms);"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$STORE" = pg ]; then
	printf '%-50s %7s %7s %7s %7s\n' "page" "sq.med" "sq.max" "pg.med" \
		"pg.max"
else
	printf '%-50s %7s %7s\n' "page" "median" "max"
fi
page "/ (the queue's first page)" "/"
page "/?status=new,approved,rejected,spam" \
	"/?status=new,approved,rejected,spam"
page "/?status=new,approved,rejected,spam&page=42" \
	"/?status=new,approved,rejected,spam&page=42"
page "/?status=new,approved,rejected,spam&page=201" \
	"/?status=new,approved,rejected,spam&page=201"
page "/?status=new,approved,rejected,spam&page=1001" \
	"/?status=new,approved,rejected,spam&page=1001"
page "/?unseen=1&page=201" "/?unseen=1&page=201"
page "/?q=da nang" "/?q=da+nang"
page "/?q=Đà Nẵng" "/?q=%C4%90%C3%A0+N%E1%BA%B5ng"
page "/?q=duong" "/?q=duong"
page "/?q=chay kho hang" "/?q=chay+kho+hang"
page "/?q=ngap ha noi" "/?q=ngap+ha+noi"
page "/?q=mat dien nha trang" "/?q=mat+dien+nha+trang"
page "/?q=hà nội -ngập" "/?q=h%C3%A0+n%E1%BB%99i+-ng%E1%BA%ADp"
page "/?q=\"cay do\" OR sat lo" "/?q=%22cay+do%22+OR+sat+lo"
page "/?q=kho hang&status=new" "/?q=kho+hang&status=new"
page "/?q=kho hang&status=spam" "/?q=kho+hang&status=spam"
page "/s/$((N / 2))" "/s/$((N / 2))"
page "/s/$((N / 2 + 1))" "/s/$((N / 2 + 1))"
