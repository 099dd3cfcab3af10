#!/usr/bin/env python3
# agree.py JSON TEXT - print every fact of `show --json` (JSON) that the
# readable `show` (TEXT) of the same submission does not state; nothing
# when the two views agree.
# agree.py --all TIPLINE CONF ID... - the same for each ID, running
# `show` and `show --json` itself; prints "ID: fact; ..." per mismatch.
# Used by test 106.
import json, subprocess, sys


def check(d, t):
    lines = t.split("\n")
    missing = []

    def need(what, cond):
        if not cond:
            missing.append(what)

    need("title", lines[0].startswith("Submission #%d  [%s]" %
                                      (d["id"], d["status"])))
    if d["subject"] and "\x1b" not in d["subject"]:
        need("subject", any(l.startswith("Subject:") and d["subject"].strip()
                            in l for l in lines))
    need("flags GPS", ("GPS POSITION IN A PHOTO" in
                       next((l for l in lines if l.startswith("Flags:")), ""))
         == d["has_gps"])
    at = d["attachments"]
    need("attachment count",
         (("Attachments (%d):" % len(at)) in t) == bool(at))
    for i, a in enumerate(at):
        need("sha256 of %d" % i, ("sha256 " + a["sha256"]) in t)
        if a["has_gps"]:
            need("GPS of %d" % i, "! GPS position %.6f, %.6f in the file" %
                 (a["gps"]["lat"], a["gps"]["lon"]) in t)
        if a["danger"]:
            need("danger of %d" % i, "! dangerous: " + a["danger"] in t)
        if a["in_forwarded"]:
            need("forwarded mark of %d" % i, "(in forwarded message %d)" %
                 (a["forwarded_index"] + 1) in t)
        if a["media"] and a["media"]["map_url"]:
            need("map of %d" % i, a["media"]["map_url"] in t)
    need("GPS warnings", t.count("! GPS position") ==
         sum(1 for a in at if a["has_gps"]))
    need("danger warnings", t.count("! dangerous: ") ==
         sum(1 for a in at if a["danger"]))
    for i, f in enumerate(d["forwarded"]):
        need("forward %d" % i, "---------- forwarded message %d ----------" %
             (i + 1) in t)
        if f["from_addr"]:
            need("forward %d sender" % i, "<%s>" % f["from_addr"] in t or
                 f["from_addr"] in t)
    need("forwards", t.count("---------- forwarded message ") ==
         len(d["forwarded"]))
    hist = t.split("\nHistory:\n", 1)[1].rstrip("\n").split("\n") \
        if "\nHistory:\n" in t else []
    need("history rows", len(hist) == len(d["history"]))
    for h, l in zip(d["history"], hist):
        need("history %s" % h["action"], (" %s " % h["action"]) in l and
             ("%s -> %s" % (h["old_status"] or "-", h["new_status"] or "-")) in l)
    for f in d["follow_ups"]:
        need("follow-up %d" % f, "#%d" % f in t)
    if d["parent_id"]:
        need("parent", "follow-up of #%d" % d["parent_id"] in t)
    return missing


if sys.argv[1] == "--all":
    bad = []
    for i in sys.argv[4:]:
        run = [sys.argv[2], "--config", sys.argv[3], "show", i]
        d = json.loads(subprocess.run(run + ["--json"], check=True,
                                      capture_output=True).stdout)
        t = subprocess.run(run, check=True, capture_output=True).stdout
        m = check(d, t.decode("utf-8"))
        if m:
            bad.append("%s: %s" % (i, "; ".join(m)))
    sys.stdout.write("\n".join(bad))
else:
    m = check(json.load(open(sys.argv[1], encoding="utf-8")),
              open(sys.argv[2], encoding="utf-8").read())
    sys.stdout.write("\n".join(m))
