#!/usr/bin/env python3
"""pgrunner.py - `make bench-pg`'s measurements (bench/pg-fetch.sh starts
the servers; see docs/performance.md, "PostgreSQL: fetch throughput and
several fetchers").

  pgrunner.py stores --fixture DOVE --pg PGDIR --workload A --runs 3 \
      --warmup 1 --work DIR --results FILE --tipline BIN --corpus-bytes N
  pgrunner.py fetchers --fixture DOVE --pg PGDIR --port PROXYPORT \
      --folders 8 --procs 4 --runs 3 --warmup 1 --work DIR --results FILE \
      --tipline BIN --corpus-bytes N
  pgrunner.py summary --results FILE

stores: `tipline fetch` of the fixture's INBOX into a new SQLite file and
into an emptied PostgreSQL database, interleaved (run i of both, then run
i+1; the order alternates, so neither always runs after the other's page
cache churn). fetchers: one `tipline fetch` doing eight mailboxes against
PROCS of them started together with the same configuration, each run on
an emptied PostgreSQL database, interleaved likewise. Every run starts
from scratch (after_fetch = none, so the server keeps its messages) and
counts only when every message is stored exactly once.

Measured per run: wall time around the whole run (for several fetchers,
from the first start to the last exit), CPU (user + system) and peak RSS
of each tipline process from /usr/bin/time (several fetchers: CPU summed,
RSS the largest), and the PostgreSQL server's CPU over the run (its
processes' utime + stime, the exited backends' through the postmaster's
cutime + cstime).
"""
import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True	# no bench/__pycache__ in the tree
from runner import read_env  # noqa: E402  (the Dovecot fixture's env)

TIMEOUT = int(os.environ.get("BENCH_TIMEOUT", "900"))
TICK = os.sysconf("SC_CLK_TCK")


# ---- PostgreSQL fixture ----------------------------------------------

class Pg:
    def __init__(self, d):
        self.env = read_env(d)
        for k, v in list(self.env.items()):
            self.env[k] = v.strip("'")
        self.bin = self.env["PG_BIN"]
        self.penv = dict(os.environ, PGPASSFILE=self.env["PG_PASSFILE"])

    def psql(self, sql, admin=False, db=None):
        user = self.env["PG_ADMIN"] if admin else self.env["PG_USER"]
        cmd = [os.path.join(self.bin, "psql"), "-X", "-q", "-At",
               "-v", "ON_ERROR_STOP=1", "-h", self.env["PG_SOCKDIR"],
               "-p", self.env["PG_PORT"], "-U", user,
               "-d", db or self.env["PG_DB"], "-c", sql]
        return subprocess.run(cmd, env=self.penv, check=True,
                              capture_output=True, text=True).stdout.strip()

    def reset(self):
        db, user = self.env["PG_DB"], self.env["PG_USER"]
        self.psql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)', True,
                  "postgres")
        self.psql(f'CREATE DATABASE "{db}" OWNER "{user}" TEMPLATE '
                  "template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'", True,
                  "postgres")
        self.psql("CHECKPOINT", True, "postgres")

    def count(self):
        n, d = self.psql("SELECT count(*) || ' ' || count(DISTINCT "
                         "message_id) FROM submission").split()
        return int(n), n == d

    def cpu(self):
        """CPU seconds of the server so far: every process of it, and
        through the postmaster's cutime/cstime the backends that ended."""
        pm = int(open(os.path.join(self.env["PG_FIXTURE_DIR"], "data",
                                   "postmaster.pid")).readline())
        t = 0
        for p in os.listdir("/proc"):
            if not p.isdigit():
                continue
            try:
                f = open(f"/proc/{p}/stat").read()
            except OSError:
                continue
            x = f[f.rindex(")") + 2:].split()
            pid, ppid = int(p), int(x[1])
            if pid == pm:
                t += sum(int(v) for v in x[11:15])
            elif ppid == pm:
                t += int(x[11]) + int(x[12])
        return t / TICK


# ---- runs --------------------------------------------------------------

def conf_text(c, store, mailboxes):
    out = ["[store]"]
    if store == "sqlite":
        out.append(f"database = {c.out}/tipline.db")
    else:
        out += [f"database = {c.pg.env['PG_URL']}",
                f"passfile = {c.pg.env['PG_PASSFILE']}"]
    out += [f"spool_dir = {c.out}/spool", ""]
    for name, folder in mailboxes:
        out += [f"[mailbox {name}]",
                f"url = imaps://127.0.0.1:{c.port}/{folder}",
                f"username = {c.user}", f"password_file = {c.work}/pass",
                f"cafile = {c.cafile}", "after_fetch = none", ""]
    return "\n".join(out)


def reset(c, store, mailboxes):
    shutil.rmtree(c.out, ignore_errors=True)
    os.makedirs(c.out + "/spool", mode=0o700)
    p = os.path.join(c.out, "tipline.conf")
    with open(p, "w") as f:
        f.write(conf_text(c, store, mailboxes))
    os.chmod(p, 0o600)
    if store == "pg":
        c.pg.reset()
    return p


def count(c, store):
    if store == "pg":
        return c.pg.count()
    db = os.path.join(c.out, "tipline.db")
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        n, d = con.execute("SELECT count(*), count(DISTINCT message_id) "
                           "FROM submission").fetchone()
        return n, n == d
    finally:
        con.close()


def launch(c, conf, log, k):
    tf = f"{log}.time{k}"
    if os.path.exists(tf):
        os.unlink(tf)
    cmd = ["timeout", str(TIMEOUT), "/usr/bin/time", "-f", "%e %M %U %S",
           "-o", tf, c.tipline, "--config", conf, "fetch"]
    lf = open(log, "ab")
    lf.write(f"\n$ [{k}] tipline --config {conf} fetch\n".encode())
    lf.flush()
    return subprocess.Popen(cmd, stdout=lf, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL), lf, tf


def timed_many(c, conf, log, procs):
    """Start PROCS fetchers at once; wall from the first start to the last
    exit, CPU summed, RSS the largest."""
    pg0 = c.pg.cpu() if c.pg else 0.0
    t0 = time.perf_counter()
    ps = [launch(c, conf, log, k) for k in range(procs)]
    rcs = [p.wait() for p, _, _ in ps]
    wall = time.perf_counter() - t0
    rss, cpu = 0, 0.0
    for p, lf, tf in ps:
        lf.close()
        try:
            with open(tf) as f:
                last = f.read().strip().splitlines()[-1].split()
            rss = max(rss, int(last[1]))
            cpu += float(last[2]) + float(last[3])
        except (OSError, IndexError, ValueError):
            pass
    pgcpu = 0.0
    if c.pg:
        time.sleep(0.3)	# the postmaster reaps the backends
        pgcpu = c.pg.cpu() - pg0
    return rcs, wall, rss, cpu, pgcpu


def one(c, a, kind, store, procs, mailboxes, i, expect):
    conf = reset(c, store, mailboxes)
    subprocess.run(["sync"], check=True)
    load1 = float(open("/proc/loadavg").read().split()[0])
    log = os.path.join(c.logdir, f"{kind}-{a.workload}-{store}-p{procs}.log")
    rcs, wall, rss, cpu, pgcpu = timed_many(c, conf, log, procs)
    n, once = count(c, store)
    ok = all(r == 0 for r in rcs) and n == expect and once
    rec = dict(ts=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               kind=kind, workload=a.workload, net=a.net, store=store,
               procs=procs, mailboxes=len(mailboxes), run=i - a.warmup,
               warmup=i < a.warmup, rc=rcs, ok=ok, wall_s=round(wall, 4),
               cpu_s=round(cpu, 2), pg_cpu_s=round(pgcpu, 2),
               maxrss_kb=rss, msgs=expect, bytes=a.corpus_bytes, stored=n,
               load1=load1)
    print(f"  {kind:8} {a.workload:4} {store:6} x{procs} run {i - a.warmup:2}"
          f" rc={rcs} ok={'yes' if ok else 'NO'} wall={wall:7.3f}s"
          f" cpu={cpu:6.2f}s pg={pgcpu:5.2f}s rss={rss / 1024:6.1f}MiB"
          f" n={n}/{expect} load={load1}", flush=True)
    with open(a.results, "a") as f:
        f.write(json.dumps(rec) + "\n")
    return ok


def setup(a):
    env = read_env(a.fixture)
    c = argparse.Namespace()
    c.user, c.cafile = env["IMAP_USER"], env["IMAP_CAFILE"]
    c.port = a.port or int(env["IMAPS_PORT"])
    c.work, c.tipline = a.work, a.tipline
    c.out = os.path.join(a.work, "out")
    c.logdir = os.path.join(a.work, "logs")
    c.pg = Pg(a.pg) if a.pg else None
    os.makedirs(c.logdir, exist_ok=True)
    p = os.path.join(a.work, "pass")
    with open(p, "w") as f:
        f.write(env["IMAP_PASS"] + "\n")
    os.chmod(p, 0o600)
    return c


def stores(a):
    c = setup(a)
    boxes = [("bench", "INBOX")]
    bad = 0
    for i in range(a.runs + a.warmup):
        order = ["sqlite", "pg"] if i % 2 == 0 else ["pg", "sqlite"]
        for s in order:
            bad += not one(c, a, "stores", s, 1, boxes, i, a.expect)
    return 1 if bad else 0


def fetchers(a):
    c = setup(a)
    boxes = [(f"box{k}", f"F{k}") for k in range(1, a.folders + 1)]
    bad = 0
    for i in range(a.runs + a.warmup):
        order = [1, a.procs] if i % 2 == 0 else [a.procs, 1]
        for p in order:
            bad += not one(c, a, "fetchers", "pg", p, boxes, i, a.expect)
    return 1 if bad else 0


# ---- summary ---------------------------------------------------------

def med(xs):
    return statistics.median(xs) if xs else float("nan")


def fmt_t(s):
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


def stat(rs):
    good = [r for r in rs if r["ok"]]
    if not good:
        return None
    w = [r["wall_s"] for r in good]
    return dict(n=len(rs), ok=len(good), wall=med(w), wmin=min(w),
                wmax=max(w), cpu=med([r["cpu_s"] for r in good]),
                pg=med([r["pg_cpu_s"] for r in good]),
                rss=max(r["maxrss_kb"] / 1024 for r in good),
                msgs=good[0]["msgs"], bytes=good[0]["bytes"],
                boxes=good[0]["mailboxes"])


def row(p, label, s, extra):
    if s is None:
        p(f"| {label} | 0 ok | failed | | | | | | |")
        return
    p(f"| {label} | {s['ok']}/{s['n']} | {fmt_t(s['wall'])}"
      f" ({fmt_t(s['wmin'])}–{fmt_t(s['wmax'])}) |"
      f" {s['msgs'] / s['wall']:,.0f} msg/s,"
      f" {s['bytes'] / 1e6 / s['wall']:,.1f} MB/s |"
      f" {s['cpu']:.2f} | {s['pg']:.2f} | {s['rss']:.1f} | {extra} |")


def summary(a):
    recs = [json.loads(x) for x in open(a.results) if x.strip()]
    g = {}
    for r in recs:
        if not r["warmup"]:
            g.setdefault((r["kind"], r["workload"], r["store"], r["procs"]),
                         []).append(r)
    out = []
    p = out.append
    targets = []
    fk = sorted({(k[1]) for k in g if k[0] == "fetchers"})
    if fk:
        p("Several fetchers: one PostgreSQL, eight mailboxes of one Dovecot"
          " at 50 ms RTT (delay proxy), after_fetch = none:")
        p("")
        p("| fetchers | runs ok | wall, median (min–max) | rate |"
          " tipline CPU s (all) | PostgreSQL CPU s | peak RSS MiB |"
          " time ÷ one fetcher |")
        p("|---|---|---|---|---|---|---|---|")
        for wl in fk:
            ps = sorted(k[3] for k in g if k[:3] == ("fetchers", wl, "pg"))
            one_ = stat(g.get(("fetchers", wl, "pg", 1), []))
            for n in ps:
                s = stat(g[("fetchers", wl, "pg", n)])
                r = "–"
                if s and one_ and n != 1:
                    r = f"{s['wall'] / one_['wall']:.2f}"
                    targets.append((f"{wl} on {s['boxes']} mailboxes, 50 ms"
                                    f" RTT: {n} fetchers' time ÷ one ≤ 0.5",
                                    r, s['wall'] / one_['wall'] <= 0.5))
                lab = f"{wl}: {n} × `tipline fetch`" + \
                    (f" ({s['boxes']} mailboxes)" if s else "")
                row(p, lab, s, r)
        p("")
    sk = sorted({k[1] for k in g if k[0] == "stores"})
    if sk:
        p("Fetch throughput by store, loopback IMAP, interleaved runs"
          " (PostgreSQL on loopback TCP with TLS, fsync on):")
        p("")
        p("| workload, store | runs ok | wall, median (min–max) | rate |"
          " tipline CPU s | PostgreSQL CPU s | peak RSS MiB |"
          " PostgreSQL ÷ SQLite, msg/s |")
        p("|---|---|---|---|---|---|---|---|")
        for wl in sk:
            sq = stat(g.get(("stores", wl, "sqlite", 1), []))
            pg = stat(g.get(("stores", wl, "pg", 1), []))
            row(p, f"{wl}, SQLite", sq, "–")
            r = "–"
            if sq and pg:
                x = sq["wall"] / pg["wall"]
                r = f"{x:.2f}"
                targets.append((f"{wl}: PostgreSQL msg/s ÷ SQLite ≥ 0.8",
                                r, x >= 0.8))
            row(p, f"{wl}, PostgreSQL", pg, r)
        p("")
    if targets:
        p("| target (issue 13) | measured | met? |")
        p("|---|---|---|")
        for name, v, ok in targets:
            p(f"| {name} | {v} | {'yes' if ok else 'NO'} |")
        p("")
    meta = [r for r in recs if not r["warmup"]]
    if meta:
        loads = [r["load1"] for r in meta]
        p(f"{len(meta)} timed runs from {meta[0]['ts']} to {meta[-1]['ts']};"
          f" load average (1 min) before a run: median {med(loads):.2f},"
          f" max {max(loads):.2f}. Failed runs (an exit status other than 0,"
          " a wrong count or a message stored twice) are left out of the"
          f" medians: {sum(1 for r in meta if not r['ok'])}.")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def main():
    ap = argparse.ArgumentParser()
    sp = ap.add_subparsers(dest="cmd", required=True)
    for name in ("stores", "fetchers"):
        r = sp.add_parser(name)
        r.add_argument("--fixture", required=True)
        r.add_argument("--pg", required=True)
        r.add_argument("--workload", required=True)
        r.add_argument("--net", default="loopback")
        r.add_argument("--port", type=int, default=0)
        r.add_argument("--runs", type=int, default=3)
        r.add_argument("--warmup", type=int, default=1)
        r.add_argument("--expect", type=int, required=True)
        r.add_argument("--work", required=True)
        r.add_argument("--results", required=True)
        r.add_argument("--tipline", required=True)
        r.add_argument("--corpus-bytes", type=int, default=0)
        if name == "fetchers":
            r.add_argument("--folders", type=int, default=8)
            r.add_argument("--procs", type=int, default=4)
    s = sp.add_parser("summary")
    s.add_argument("--results", required=True)
    a = ap.parse_args()
    f = {"stores": stores, "fetchers": fetchers, "summary": summary}
    sys.exit(f[a.cmd](a))


if __name__ == "__main__":
    main()
