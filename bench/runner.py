#!/usr/bin/env python3
"""runner.py - run the fetchers against the bench Dovecot and summarise.

  runner.py run --fixture DIR --workload A --net loopback --mode full \
      --port PORT --runs 5 --warmup 1 --tools tipline,mbsync,fetchmail,python \
      --work WORKDIR --results FILE
  runner.py summary --results FILE [--out FILE.md]

run: every timed run starts from scratch in full mode (the tool's output
and state directories are deleted, \\Seen is cleared on the server because
fetchmail fetches what is unseen, then `sync`); in poll mode each tool first
does one untimed full fetch (fetchmail last, since the others' resets clear
\\Seen) and the timed runs find nothing new. Runs are interleaved: run i of
every tool, then run i+1, so drift and noisy neighbours hit every tool
alike. Each run is `/usr/bin/time -f '%e %M %U %S' TOOL...` under a
timeout; wall time is measured here around the whole process. After each
run the messages stored are counted and the server's message count is
checked, and the run counts only if both are right. One JSON line per run
is appended to the results file.

floor: the work no fetcher of these bytes can skip, measured on this
machine in this run (issue 14): `openssl speed` for SHA-256 and AES-128-GCM
decryption at 16 KiB blocks, a base64 decode of as many bytes as the
workload (the workload's own bytes, base64-encoded, decoded with binascii
and with coreutils `base64 -d`; the faster counts),
and a plain write of that many bytes into the bench directory with
fdatasync (`dd conv=fdatasync`). One JSON line (kind "floor") per workload.

summary: medians per workload, network and tool, tipline's ratio to every
other tool, the project's targets (issues 6 and 14), and CPU ns per wire
byte next to the floor, as markdown.
"""
import argparse
import binascii
import json
import os
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TIMEOUT = int(os.environ.get("BENCH_TIMEOUT", "900"))
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else \
    sys.executable


def read_env(fixture):
    env = {}
    with open(os.path.join(fixture, "env")) as f:
        for line in f:
            k, _, v = line.strip().partition("=")
            env[k] = v
    return env


def count_files(*dirs):
    n = 0
    for d in dirs:
        if os.path.isdir(d):
            n += sum(1 for e in os.scandir(d)
                     if e.is_file() and not e.name.startswith("."))
    return n


class Tool:
    name = "?"

    def __init__(self, ctx, tag):
        self.c = ctx
        self.out = os.path.join(ctx.work, tag, self.name)
        self.state = os.path.join(ctx.work, tag, self.name + ".state")

    def reset(self):
        for d in (self.out, self.state):
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d, mode=0o700)
        with open(os.path.join(self.state, "pass"), "w") as f:
            f.write(self.c.password + "\n")
        os.chmod(os.path.join(self.state, "pass"), 0o600)
        self.render()

    def render(self):
        pass

    def write(self, name, text):
        p = os.path.join(self.state, name)
        with open(p, "w") as f:
            f.write(text)
        os.chmod(p, 0o600)
        return p

    def ok_rc(self, rc, mode):
        return rc == 0


class Tipline(Tool):
    name = "tipline"

    def render(self):
        os.makedirs(os.path.join(self.out, "spool"))
        c = self.c
        self.write("tipline.conf", f"""[store]
database = {self.out}/tipline.db
spool_dir = {self.out}/spool

[mailbox bench]
url = imaps://127.0.0.1:{c.port}/INBOX
username = {c.user}
password_file = {self.state}/pass
cafile = {c.cafile}
after_fetch = none
""")

    def cmd(self):
        return [self.c.tipline, "--config",
                os.path.join(self.state, "tipline.conf"), "fetch"]

    def count(self):
        db = os.path.join(self.out, "tipline.db")
        if not os.path.exists(db):
            return 0
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return con.execute("SELECT count(*) FROM submission").fetchone()[0]
        finally:
            con.close()


class Mbsync(Tool):
    """isync: Maildir, pull only, state next to the Maildir; FSync default
    (each message fsynced), SystemCertificates default."""
    name = "mbsync"

    def render(self):
        c = self.c
        self.write("mbsyncrc", f"""IMAPAccount bench
Host localhost
Port {c.port}
User {c.user}
Pass {c.password}
SSLType IMAPS
CertificateFile {c.cafile}

IMAPStore remote
Account bench

MaildirStore local
Path {self.out}/
Inbox {self.out}/INBOX

Channel inbox
Far :remote:INBOX
Near :local:INBOX
Sync Pull
Create Near
Expunge None
SyncState *
""")

    def cmd(self):
        return ["mbsync", "-q", "-c", os.path.join(self.state, "mbsyncrc"),
                "inbox"]

    def count(self):
        i = os.path.join(self.out, "INBOX")
        return count_files(i + "/cur", i + "/new")


class Fetchmail(Tool):
    """fetchmail's own model: fetch what is unseen, keep it on the server
    (it sets \\Seen), hand each message to an MDA; the cheapest real MDA is
    a shell redirect (fork + exec per message, no fsync)."""
    name = "fetchmail"

    def render(self):
        c = self.c
        os.makedirs(self.out + "/new")
        self.write("fetchmailrc", f"""set no syslog
poll 127.0.0.1 service {c.port} protocol IMAP
  user "{c.user}" there with password "{c.password}" is "root" here
  ssl sslcertfile "{c.cafile}" sslcertck sslcommonname "localhost"
  keep
  mda "exec cat > {self.out}/new/m.$$"
""")

    def cmd(self):
        s = self.state
        return ["env", f"FETCHMAILHOME={s}", "fetchmail", "-s", "--nodetach",
                "-f", os.path.join(s, "fetchmailrc"),
                "--pidfile", os.path.join(s, "pid")]

    def ok_rc(self, rc, mode):
        return rc == 0 or (mode == "poll" and rc == 1)   # 1: no mail

    def count(self):
        return count_files(self.out + "/new")


class Python(Tool):
    name = "python"

    def cmd(self):
        c = self.c
        return [PYTHON, os.path.join(HERE, "pybaseline.py"), "--port",
                str(c.port), "--user", c.user, "--password-file",
                os.path.join(self.state, "pass"), "--cafile", c.cafile,
                "--db", os.path.join(self.out, "base.db")]

    def count(self):
        db = os.path.join(self.out, "base.db")
        if not os.path.exists(db):
            return 0
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return con.execute("SELECT count(*) FROM message").fetchone()[0]
        finally:
            con.close()


class Tipline2(Tipline):
    """A second tipline (TIPLINE2_BIN, bench/run.sh), run with the same
    configuration in the same interleaved rounds as the first."""
    name = "tipline2"

    def cmd(self):
        return [os.environ["TIPLINE2_BIN"], "--config",
                os.path.join(self.state, "tipline.conf"), "fetch"]


TOOLS = {t.name: t for t in (Tipline, Tipline2, Mbsync, Fetchmail, Python)}


class Ctx:
    pass


def doveadm(ctx, *args):
    return subprocess.run(["doveadm", "-c", ctx.conf] + list(args),
                          check=True, capture_output=True, text=True).stdout


def server_count(ctx):
    out = doveadm(ctx, "mailbox", "status", "-u", ctx.user, "messages",
                  "INBOX")
    return int(out.split("=")[1])


def clear_seen(ctx):
    doveadm(ctx, "flags", "remove", "-u", ctx.user, "\\Seen", "mailbox",
            "INBOX", "ALL")


def timed(cmd, log):
    tf = log + ".time"
    full = ["timeout", str(TIMEOUT), "/usr/bin/time", "-f", "%e %M %U %S",
            "-o", tf] + cmd
    t0 = time.perf_counter()
    with open(log, "ab") as lf:
        lf.write(("\n$ " + " ".join(cmd) + "\n").encode())
        lf.flush()
        rc = subprocess.run(full, stdout=lf, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL).returncode
    wall = time.perf_counter() - t0
    rss, us, ss = 0, 0.0, 0.0
    try:
        with open(tf) as f:
            last = f.read().strip().splitlines()[-1].split()
        rss, us, ss = int(last[1]), float(last[2]), float(last[3])
    except (OSError, IndexError, ValueError):
        pass
    return rc, wall, rss, us, ss


def one(a, ctx, tool, i, expect, res):
    log = os.path.join(ctx.logdir, f"{a.workload}-{a.net}-{a.mode}-"
                       f"{tool.name}.log")
    if a.mode == "full":
        tool.reset()
        clear_seen(ctx)
    subprocess.run(["sync"], check=True)
    load1 = float(open("/proc/loadavg").read().split()[0])
    rc, wall, rss, us, ss = timed(tool.cmd(), log)
    n = tool.count()
    srv = server_count(ctx)
    ok = tool.ok_rc(rc, a.mode) and n == expect and srv == expect
    rec = dict(ts=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               workload=a.workload, net=a.net, mode=a.mode, tool=tool.name,
               run=i - a.warmup, warmup=i < a.warmup, rc=rc, ok=ok,
               wall_s=round(wall, 4), user_s=us, sys_s=ss, maxrss_kb=rss,
               msgs=expect, bytes=ctx.corpus_bytes, stored=n, server=srv,
               load1=load1)
    print(f"  {a.workload:4} {a.net:8} {a.mode:4} {tool.name:9} run {i - a.warmup:2}"
          f" rc={rc} ok={'yes' if ok else 'NO'} wall={wall:7.3f}s"
          f" cpu={us + ss:6.2f}s rss={rss / 1024:6.1f}MiB n={n}/{expect}"
          f" load={load1}", flush=True)
    with open(res, "a") as f:
        f.write(json.dumps(rec) + "\n")
    return ok


def run(a):
    env = read_env(a.fixture)
    ctx = Ctx()
    ctx.conf = os.path.join(a.fixture, "dovecot.conf")
    ctx.user, ctx.password = env["IMAP_USER"], env["IMAP_PASS"]
    ctx.cafile = env["IMAP_CAFILE"]
    ctx.port = a.port or int(env["IMAPS_PORT"])
    ctx.work = a.work
    ctx.tipline = a.tipline
    ctx.logdir = os.path.join(a.work, "logs")
    ctx.corpus_bytes = a.corpus_bytes
    os.makedirs(ctx.logdir, exist_ok=True)
    expect = server_count(ctx)
    tag = f"{a.workload}-{a.net}"
    tools = [TOOLS[t](ctx, tag) for t in a.tools.split(",") if t]
    failed = 0
    if a.mode == "poll":
        tools.sort(key=lambda t: t.name == "fetchmail")
        ready = []
        for t in tools:
            t.reset()
            clear_seen(ctx)
            log = os.path.join(ctx.logdir, f"{tag}-sync-{t.name}.log")
            rc, *_ = timed(t.cmd(), log)
            n = t.count()
            if not t.ok_rc(rc, "full") or n != expect:
                print(f"  !! {t.name}: initial sync failed rc={rc} "
                      f"n={n}/{expect}, see {log}", flush=True)
                failed += 1
                continue
            ready.append(t)
        tools = ready
    for i in range(a.runs + a.warmup):
        for t in tools:
            if not one(a, ctx, t, i, expect, a.results):
                failed += 1
    return 1 if failed else 0


# ---- floor ----------------------------------------------------------

def openssl_speed(secs, *alg):
    """bytes of CPU time per second at 16 KiB blocks (openssl speed counts
    user CPU time, so a busy neighbour costs it less than wall time)."""
    out = subprocess.run(["openssl", "speed", "-seconds", str(secs),
                          "-bytes", "16384", "-mr"] + list(alg),
                         check=True, capture_output=True, text=True).stdout
    m = re.search(r"^\+F:\d+:[^:]+:([0-9.]+)", out, re.M)
    if not m:
        raise RuntimeError("openssl speed: no +F line in " + out[-200:])
    return float(m.group(1))


def b64_decode_cpu(files, total, path):
    """CPU seconds to decode `total` bytes of base64 made from the
    workload's own bytes (76-column lines with LF, as the messages carry
    them): binascii in this process, and coreutils `base64 -d` on a file of
    that size in the bench directory; making the base64 is not timed."""
    left, py = total, 0.0
    with open(path, "wb") as out:
        while left > 0:
            for fn in files:
                with open(fn, "rb") as f:
                    while left > 0:
                        raw = f.read(57 * 16384)    # 1.2 MB of whole lines
                        if not raw:
                            break
                        enc = binascii.b2a_base64(raw, newline=False)
                        enc = b"\n".join(enc[i:i + 76] for i in
                                         range(0, len(enc), 76)) + b"\n"
                        if len(enc) > left:
                            # whole lines, at least one
                            enc = enc[:max(77, left - left % 77)]
                        t0 = time.process_time()
                        binascii.a2b_base64(enc)
                        py += time.process_time() - t0
                        out.write(enc)
                        left -= len(enc)
                if left <= 0:
                    break
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(["base64", "-d", path], check=True,
                   stdout=subprocess.DEVNULL)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    os.unlink(path)
    return py, r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime


def write_sync(path, total):
    """user + sys CPU and wall seconds of dd writing `total` bytes to
    `path` with one fdatasync at the end (CPU from getrusage: GNU time's
    10 ms steps are too coarse for a quick run)."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(["dd", "if=/dev/zero", "of=" + path, "bs=1M",
                    f"count={total}", "iflag=count_bytes",
                    "conv=fdatasync", "status=none"], check=True)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    os.unlink(path)
    return (r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime), wall


def floor(a):
    files = sorted(os.path.join(a.corpus, e) for e in os.listdir(a.corpus)
                   if e.endswith(".eml"))
    if a.count:
        files = files[:a.count]
    total = sum(os.path.getsize(f) for f in files)
    sha = openssl_speed(a.seconds, "-evp", "sha256")
    gcm = openssl_speed(a.seconds, "-decrypt", "-evp", "aes-128-gcm")
    os.makedirs(a.work, exist_ok=True)
    b64py, b64cu = b64_decode_cpu(files, total,
                                  os.path.join(a.work, "floor.b64"))
    wcpu, wwall = write_sync(os.path.join(a.work, "floor.out"), total)
    rec = dict(kind="floor", ts=time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                              time.gmtime()),
               workload=a.workload, bytes=total,
               sha256_Bps=round(sha), aes128gcm_dec_Bps=round(gcm),
               b64_binascii_cpu_s=round(b64py, 4),
               b64_coreutils_cpu_s=round(b64cu, 4), write_cpu_s=round(wcpu, 4),
               write_wall_s=round(wwall, 4),
               load1=float(open("/proc/loadavg").read().split()[0]))
    parts = floor_parts(rec)
    print(f"  {a.workload:4} floor: " + ", ".join(
        f"{k} {v:.2f}" for k, v in parts.items()) + " ns/byte;"
          f" write {total / 1e6 / wwall:.0f} MB/s wall", flush=True)
    with open(a.results, "a") as f:
        f.write(json.dumps(rec) + "\n")
    return 0


def floor_parts(r):
    """the floor's terms in ns of CPU per wire byte: TLS decryption,
    base64 decoding (the faster of binascii and coreutils), SHA-256 twice
    (the raw message and the decoded parts; counting the whole size twice
    overstates the second by the ¼ that base64 adds), the write."""
    n = r["bytes"]
    return {"TLS": 1e9 / r["aes128gcm_dec_Bps"],
            "base64": min(r["b64_binascii_cpu_s"],
                          r["b64_coreutils_cpu_s"]) * 1e9 / n,
            "2×SHA-256": 2e9 / r["sha256_Bps"],
            "write": r["write_cpu_s"] * 1e9 / n}


# ---- summary ---------------------------------------------------------

ORDER = ["tipline", "tipline2", "mbsync", "fetchmail", "python"]
SCEN = [("A", "loopback", "full"), ("A500", "rtt50", "full"),
        ("A500", "proxy0", "full"), ("B", "loopback", "full"),
        ("C", "loopback", "full"), ("A", "loopback", "poll"),
        ("A500", "rtt50", "poll")]
NETNAME = {"loopback": "loopback", "rtt50": "50 ms RTT",
           "proxy0": "proxy, 0 ms"}


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def groups(recs):
    g = {}
    for r in recs:
        if r["warmup"]:
            continue
        g.setdefault((r["workload"], r["net"], r["mode"], r["tool"]),
                     []).append(r)
    return g


def stats(rs):
    good = [r for r in rs if r["ok"]]
    if not good:
        return None
    w = [r["wall_s"] for r in good]
    return dict(n=len(rs), ok=len(good), wall=med(w), wmin=min(w),
                wmax=max(w), cpu=med([r["user_s"] + r["sys_s"] for r in good]),
                rss=med([r["maxrss_kb"] / 1024 for r in good]),
                rssmax=max(r["maxrss_kb"] / 1024 for r in good),
                msgs=good[0]["msgs"], bytes=good[0]["bytes"])


def fmt_t(s):
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


def summary(a):
    recs = [json.loads(x) for x in open(a.results) if x.strip()]
    floors = {r["workload"]: r for r in recs if r.get("kind") == "floor"}
    recs = [r for r in recs if r.get("kind") != "floor"]
    g = groups(recs)
    meta = [r for r in recs if not r["warmup"]]
    out = []
    p = out.append
    p("| workload | network | tool | runs ok | wall, median (min–max) |"
      " rate | CPU s | peak RSS MiB | tipline ÷ tool: wall / CPU / RSS |")
    p("|---|---|---|---|---|---|---|---|---|")
    seen = set()
    keys = [k for k in SCEN] + sorted({k[:3] for k in g} - set(SCEN))
    for wl, net, mode in keys:
        tools = [t for t in ORDER if (wl, net, mode, t) in g]
        tools += sorted(t for (w, n, m, t) in g
                        if (w, n, m) == (wl, net, mode) and t not in ORDER)
        if not tools:
            continue
        tl = stats(g.get((wl, net, mode, "tipline"), []))
        label = wl + (" (nothing new)" if mode == "poll" else "")
        for t in tools:
            seen.add(t)
            rs = g[(wl, net, mode, t)]
            s = stats(rs)
            if s is None:
                p(f"| {label} | {NETNAME.get(net, net)} | {t} |"
                  f" 0/{len(rs)} | failed | | | | |")
                continue
            if mode == "poll":
                rate = "–"
            elif wl.startswith("A"):
                rate = f"{s['msgs'] / s['wall']:,.0f} msg/s"
            else:
                rate = f"{s['bytes'] / 1e6 / s['wall']:,.1f} MB/s"
            ratio = "–"
            if tl and t != "tipline":
                # GNU time reports CPU in 10 ms steps: no ratio below that
                cr = (f"{tl['cpu'] / s['cpu']:.2f}" if s["cpu"] >= 0.01
                      else "–")
                ratio = (f"{tl['wall'] / s['wall']:.2f} / {cr} / "
                         f"{tl['rss'] / s['rss']:.2f}")
            p(f"| {label} | {NETNAME.get(net, net)} | {t} |"
              f" {s['ok']}/{s['n']} | {fmt_t(s['wall'])}"
              f" ({fmt_t(s['wmin'])}–{fmt_t(s['wmax'])}) | {rate} |"
              f" {s['cpu']:.2f} | {s['rss']:.1f} | {ratio} |")
    p("")
    p("Targets (issue 6), medians:")
    p("")
    p("| target | measured | met? |")
    p("|---|---|---|")

    def get(wl, net, mode, t):
        return stats(g.get((wl, net, mode, t), []))

    def target(name, val, limit, fmt, unit=""):
        if val is None:
            p(f"| {name} | not measured | – |")
        else:
            ok = val <= limit
            p(f"| {name} | {fmt.format(val)}{unit} | "
              f"{'yes' if ok else 'NO (by ' + format(val / limit - 1, '.0%') + ')'} |")

    def ratio(wl, net, mode, other):
        x, y = get(wl, net, mode, "tipline"), get(wl, net, mode, other)
        return x["wall"] / y["wall"] if x and y else None
    target("A, loopback: tipline time ÷ mbsync ≤ 1.0",
           ratio("A", "loopback", "full", "mbsync"), 1.0, "{:.2f}")
    target("A500, 50 ms RTT: tipline time ÷ mbsync ≤ 1.5",
           ratio("A500", "rtt50", "full", "mbsync"), 1.5, "{:.2f}")
    c = get("C", "loopback", "full", "tipline")
    target("C: tipline peak RSS ≤ 16 MiB", c and c["rss"], 16.0, "{:.1f}",
           " MiB")
    target("C: tipline time ÷ mbsync ≤ 1.0",
           ratio("C", "loopback", "full", "mbsync"), 1.0, "{:.2f}")
    target("nothing new, loopback: tipline time ÷ fetchmail ≤ 1.0",
           ratio("A", "loopback", "poll", "fetchmail"), 1.0, "{:.2f}")
    target("nothing new, 50 ms RTT: tipline time ÷ fetchmail ≤ 1.0",
           ratio("A500", "rtt50", "poll", "fetchmail"), 1.0, "{:.2f}")
    p("")
    p("Targets (issue 14), medians:")
    p("")
    p("| target | measured | met? |")
    p("|---|---|---|")

    def cratio(wl, other):
        x, y = (get(wl, "loopback", "full", t) for t in ("tipline", other))
        return x["cpu"] / y["cpu"] if x and y and y["cpu"] >= 0.01 else None
    for wl in ("B", "C", "A"):
        target(f"{wl}: tipline time ÷ mbsync ≤ 1.0",
               ratio(wl, "loopback", "full", "mbsync"), 1.0, "{:.2f}")
        if wl != "C":
            target(f"{wl}: tipline CPU ÷ mbsync ≤ 1.5", cratio(wl, "mbsync"),
                   1.5, "{:.2f}")
    target("C: tipline peak RSS ≤ 24 MiB", c and c["rss"], 24.0, "{:.1f}",
           " MiB")
    p("")
    floor_table(p, g, floors)
    if meta:
        loads = [r["load1"] for r in meta]
        p("")
        p(f"{len(meta)} timed runs from {meta[0]['ts']} to {meta[-1]['ts']};"
          f" load average (1 min) before a run: median {med(loads):.2f},"
          f" max {max(loads):.2f}. Failed runs (wrong count or exit status)"
          f" are left out of the medians: {sum(1 for r in meta if not r['ok'])}.")
    text = "\n".join(out) + "\n"
    sys.stdout.write(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(a.header.replace("\\n", "\n") if a.header else "")
            f.write(text)
    return 0


def floor_table(p, g, floors):
    """CPU ns per wire byte (user + sys over the workload's bytes as
    stored: LF line ends; Dovecot sends CRLF, a little more) of each tool
    next to the floor measured in the same run."""
    rows = []
    for wl, fl in sorted(floors.items()):
        parts = floor_parts(fl)
        tot = sum(parts.values())
        cells = []
        for t in ORDER:
            s = stats(g.get((wl, "loopback", "full", t), []))
            if s:
                cells.append((t, s["cpu"] * 1e9 / s["bytes"]))
        rows.append((wl, fl, parts, tot, cells))
    if not rows:
        return
    p("CPU per wire byte against the floor (issue 14): ns of CPU (user +"
      " sys, median run) per byte of the workload, and the floor, measured"
      " in this run: TLS = `openssl speed -decrypt -evp aes-128-gcm`,"
      " 2×SHA-256 = `openssl speed -evp sha256` (16 KiB blocks), base64 ="
      " the faster of binascii and coreutils `base64 -d` decoding as many"
      " bytes of base64 made from the workload's own,"
      " write = `dd conv=fdatasync` of as many bytes into the bench"
      " directory (its CPU; its wall rate in the last column).")
    p("")
    p("| workload | MB | tipline ns/B | mbsync ns/B | fetchmail ns/B |"
      " floor ns/B: TLS + base64 + 2×SHA-256 + write = sum |"
      " tipline ÷ floor | write MB/s (wall) |")
    p("|---|---|---|---|---|---|---|---|")
    for wl, fl, parts, tot, cells in rows:
        c = dict(cells)
        f = lambda t: f"{c[t]:.2f}" if t in c else "–"
        terms = " + ".join(f"{v:.2f}" for v in parts.values())
        ratio = f"{c['tipline'] / tot:.1f}" if "tipline" in c else "–"
        p(f"| {wl} | {fl['bytes'] / 1e6:,.1f} | {f('tipline')} |"
          f" {f('mbsync')} | {f('fetchmail')} | {terms} = {tot:.2f} |"
          f" {ratio} | {fl['bytes'] / 1e6 / fl['write_wall_s']:,.0f} |")


def main():
    ap = argparse.ArgumentParser()
    sp = ap.add_subparsers(dest="cmd", required=True)
    r = sp.add_parser("run")
    r.add_argument("--fixture", required=True)
    r.add_argument("--workload", required=True)
    r.add_argument("--net", default="loopback")
    r.add_argument("--mode", choices=["full", "poll"], default="full")
    r.add_argument("--port", type=int, default=0)
    r.add_argument("--runs", type=int, default=5)
    r.add_argument("--warmup", type=int, default=1)
    r.add_argument("--tools", default="tipline,mbsync,fetchmail,python")
    r.add_argument("--work", required=True)
    r.add_argument("--results", required=True)
    r.add_argument("--tipline", default=os.path.join(HERE, "..", "tipline"))
    r.add_argument("--corpus-bytes", type=int, default=0)
    s = sp.add_parser("summary")
    s.add_argument("--results", required=True)
    s.add_argument("--out")
    s.add_argument("--header")
    f = sp.add_parser("floor")
    f.add_argument("--corpus", required=True, help="the workload's .eml files")
    f.add_argument("--count", type=int, default=0,
                   help="only the first COUNT files (A500)")
    f.add_argument("--workload", required=True)
    f.add_argument("--work", required=True, help="where the write goes")
    f.add_argument("--results", required=True)
    f.add_argument("--seconds", type=int, default=3,
                   help="per openssl speed test")
    a = ap.parse_args()
    sys.exit({"run": run, "summary": summary, "floor": floor}[a.cmd](a))


if __name__ == "__main__":
    main()
