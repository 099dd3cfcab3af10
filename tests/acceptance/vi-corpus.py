#!/usr/bin/env python3
"""vi-corpus.py - issue 4 acceptance on the Vietnamese corpus
(../shared/corpus/vi): each of the 20 messages is imported into a fresh
database and `tipline show ID --json` is compared with expected.json on
from_name, from_addr, subject, date_utc, message_id, text_first_line,
text_contains, every attachment's filename, content_type, size and sha256,
is_auto_reply, is_bounce and has_gps (top level and per attachment, with
the position when show reports one).  expected.json's "rules" define the
fields.  Then all 20 go into one database and the "search" queries run
through `tipline search QUERY --json`, checked in rank order as
rules.search says (issue 10): the query's "files" first, in any order
among themselves, then nothing but "may_follow" files.

Exit 0: 20/20 match and every search query agrees; 1: some field or
search result disagrees (every message stored, none crashed); 2: a
message lost or crashed, or the run was impossible.  A tipline without
`search` (exit 64/70) only skips the search part.

Usage: vi-corpus.py [--corpus DIR] [--bin TIPLINE] [--work DIR] [-v]
       vi-corpus.py --search-only --conf CONF [--corpus DIR] [--bin TIPLINE]

--search-only runs only the search part, on the empty store of the
existing config CONF (tests/139-search-corpus-cli.t: the same queries on
either backend, PostgreSQL included).
"""
import argparse
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tlaccept  # noqa: E402
from tlaccept import nfc  # noqa: E402

SCALARS = ("from_name", "from_addr", "subject", "date_utc", "message_id")
FLAGS = ("is_auto_reply", "is_bounce", "has_gps")
ATT_FIELDS = ("filename", "content_type", "size", "sha256")
FIELDS = SCALARS + ("text_first_line", "text_contains", "attachments") + \
    FLAGS


def first_line(text):
    for ln in (text or "").split("\n"):
        if ln.strip():
            return ln.strip()
    return ""


def gps_of(obj):
    """(lat, lon) from show's JSON if it gives a position, else None."""
    g = obj.get("gps")
    if isinstance(g, dict) and "lat" in g and "lon" in g:
        return g["lat"], g["lon"]
    if "gps_lat" in obj and "gps_lon" in obj:
        return obj["gps_lat"], obj["gps_lon"]
    return None


def same_pos(want, got):
    try:
        return abs(float(want["lat"]) - float(got[0])) < 5e-6 and \
            abs(float(want["lon"]) - float(got[1])) < 5e-6
    except (TypeError, ValueError, KeyError):
        return False


def compare(exp, sub):
    """[(field, ok, expected, got)] for one message."""
    res = []
    for f in SCALARS:
        w, g = nfc(exp.get(f)), nfc(sub.get(f))
        res.append((f, w == g, w, g))
    text = nfc(sub.get("text") or "").replace("\r\n", "\n")
    w = nfc(exp.get("text_first_line"))
    if w is not None:
        res.append(("text_first_line", first_line(text) == w, w,
                    first_line(text)))
    missing = [c for c in exp.get("text_contains") or []
               if nfc(c) not in text]
    if "text_contains" in exp:
        res.append(("text_contains", not missing,
                    exp["text_contains"], "missing %s" % missing
                    if missing else "all present"))
    want = exp.get("attachments") or []
    got = sub.get("attachments") or []
    bad = []
    if len(want) != len(got):
        bad.append("count %d, expected %d" % (len(got), len(want)))
    for i, (wa, ga) in enumerate(zip(want, got)):
        for f in ATT_FIELDS:
            x, y = wa.get(f), ga.get(f)
            if isinstance(x, str):
                x, y = nfc(x), nfc(y) if isinstance(y, str) else y
            if x != y:
                bad.append("#%d %s %r != %r" % (i + 1, f, y, x))
        if bool(wa.get("has_gps")) != bool(ga.get("has_gps")):
            bad.append("#%d has_gps %r != %r" % (i + 1, ga.get("has_gps"),
                                                 wa.get("has_gps")))
        elif wa.get("has_gps") and wa.get("gps") and gps_of(ga) and \
                not same_pos(wa["gps"], gps_of(ga)):
            bad.append("#%d gps %r != %r" % (i + 1, gps_of(ga), wa["gps"]))
    res.append(("attachments", not bad,
                 [a.get("filename") for a in want],
                 "; ".join(bad) if bad else "ok"))
    for f in FLAGS:
        w, g = bool(exp.get(f)), sub.get(f)
        res.append((f, g is not None and bool(g) == w, w, g))
    return res


def run_search(tl, corpus, msgs, queries, verbose, conf=None):
    """Import all messages into one database (CONF's, else a fresh one)
    and run every query.  False when a query disagrees or something
    crashed; None when tipline has no search command."""
    conf = conf or tl.fresh("search")
    by_id = {}
    for m in msgs:
        r, ids = tl.import_file(conf, os.path.join(corpus, m["file"]))
        if r.crash:
            print("search: import of %s crashed (%s)" % (m["file"],
                                                          r.crash))
            return False
        for i in ids:
            by_id[i] = m["file"]
    if len(by_id) != len(msgs):
        # import did not name the ids: fresh database, so 1..N in order
        by_id = {i + 1: m["file"] for i, m in enumerate(msgs)}
    ok = 0
    lines = []
    for q in queries:
        r = tl.run(conf, ["search", q["query"], "--json"])
        if r.crash:
            lines.append("  %-14r CRASHED: %s" % (q["query"], r.crash))
            continue
        if r.rc in (64, 70) or (r.rc != 0 and "unknown command" in r.err):
            print("search: not available (exit %d)" % r.rc)
            return
        try:
            hits = json.loads(r.out.decode("utf-8") or "[]")
            got = [by_id.get(h.get("id"), "#%s" % h.get("id"))
                   for h in hits]
        except (ValueError, AttributeError, UnicodeDecodeError):
            lines.append("  %-14r exit %d, output not a JSON array"
                         % (q["query"], r.rc))
            continue
        bad = search_verdict(q, got)
        if not bad:
            ok += 1
            if verbose:
                lines.append("  %-14r ok (%s)" % (q["query"],
                                                  " ".join(got)))
        else:
            lines.append("  %-14r %s; got %s" % (q["query"], bad,
                                                 " ".join(got)))
    print("search: %d/%d queries match" % (ok, len(queries)))
    for ln in lines:
        print(ln)
    return ok == len(queries)


def search_verdict(q, got):
    """What is wrong with the result list GOT (file names, in rank order)
    for query Q under rules.search, or "" when it is right: the "files"
    come first, in any order among themselves; after them only
    "may_follow" files (any of them, in any order); without "may_follow"
    nothing follows.  A file listed twice is wrong."""
    want = set(q["files"])
    follow = set(q.get("may_follow") or [])
    if len(set(got)) != len(got):
        return "a result listed twice"
    head, tail = got[:len(want)], got[len(want):]
    if set(head) != want:
        missing = sorted(want - set(got))
        late = sorted((want & set(got)) - set(head))
        return "first %d should be %s (missing %s, ranked too low %s)" % (
            len(want), sorted(want), missing, late)
    extra = sorted(set(tail) - follow)
    if extra:
        return "not allowed after them: %s" % extra
    return ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus_pos", nargs="?")
    ap.add_argument("--corpus")
    ap.add_argument("--bin", default=os.environ.get("TIPLINE_BIN"))
    ap.add_argument("--work")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--search-only", action="store_true")
    ap.add_argument("--conf")
    a = ap.parse_args()
    top = os.path.abspath(os.path.join(os.path.dirname(__file__), "..",
                                       ".."))
    corpus = a.corpus or a.corpus_pos or os.path.join(
        top, "..", "shared", "corpus", "vi")
    binary = a.bin or os.path.join(top, "tipline")
    try:
        expected = json.load(open(os.path.join(corpus, "expected.json"),
                                  encoding="utf-8"))
    except (OSError, ValueError) as e:
        print("vi-corpus: cannot read expected.json: %s" % e)
        return 2
    if not os.access(binary, os.X_OK):
        print("vi-corpus: %s is not executable" % binary)
        return 2
    work = a.work or tempfile.mkdtemp(prefix="tipline-vi.")
    tl = tlaccept.Tipline(binary, os.path.join(work, "dbs"))
    msgs = expected["messages"]
    if a.search_only:
        ok = run_search(tl, corpus, msgs, expected.get("search") or [],
                        a.verbose, a.conf)
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)
        return 0 if ok else 1
    matched, broken = 0, []
    per_field = {f: 0 for f in FIELDS}
    for m in msgs:
        conf = tl.fresh(m["file"])
        r, ids = tl.import_file(conf, os.path.join(corpus, m["file"]))
        subs, crash = ([], None) if r.crash else tl.submissions(conf, ids)
        if r.crash or crash:
            broken.append(m["file"])
            print("CRASHED %s: %s" % (m["file"], r.crash or crash))
            continue
        if not subs:
            broken.append(m["file"])
            print("LOST    %s: import exit %d: %s" % (
                m["file"], r.rc,
                (r.err.strip().splitlines() or ["no output"])[-1]))
            continue
        res = compare(m, subs[0])
        bad = [x for x in res if not x[1]]
        for f, ok, _, _ in res:
            per_field[f] += ok
        if not bad:
            matched += 1
            print("ok      %s" % m["file"])
            continue
        print("DIFFERS %s" % m["file"])
        for f, _, w, g in bad:
            print("    %-15s expected %s" % (f, json.dumps(
                w, ensure_ascii=False)))
            print("    %-15s got      %s" % ("", json.dumps(
                g, ensure_ascii=False)))
    print("\nper field (messages agreeing, of %d):" % len(msgs))
    for f in FIELDS:
        print("  %-16s %d/%d" % (f, per_field[f], len(msgs)))
    print("%d/%d match" % (matched, len(msgs)))
    search_ok = True
    if not broken and expected.get("search"):
        search_ok = run_search(tl, corpus, msgs, expected["search"],
                               a.verbose) is not False
    if not a.work:
        shutil.rmtree(work, ignore_errors=True)
    if broken:
        return 2
    return 0 if matched == len(msgs) and search_ok else 1


if __name__ == "__main__":
    sys.exit(main())
