#!/usr/bin/env python3
# deep-gen.py N FILE - an mbox of N tips and five more for
# tests/232-list-deep-pages.t: times to the minute over a few days (about
# three tips share each), one in five a follow-up (same sender,
# In-Reply-To) of one of the 300 before it, a third of those dated before
# their root; then, newest of all, a tie that only the thread's largest id
# decides (see the end).  Deterministic; Python standard library only.
import random, sys
n, out = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(2262)
MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
def date(m):
    # minute m of 2025 (m < 60*24*28*12), to the second :00
    d, m = divmod(m, 24 * 60)
    mon, day = divmod(d, 28)
    return "%02d %s 2025 %02d:%02d:00 +0000" % (day + 1, MON[mon], m // 60, m % 60)
def msg(f, i, sender, when, parent=None, subject=None):
    f.write("From reader@example.org Mon Jan  1 00:00:00 2025\n")
    f.write("From: Reader %d <reader%d@example.org>\n" % (sender, sender))
    f.write("To: tips@example.net\nSubject: %s\nDate: %s\n" % (subject or "Tip %d" % i, date(when)))
    f.write("Message-ID: <deep%d@example.org>\n" % i)
    if parent is not None:
        f.write("In-Reply-To: <deep%d@example.org>\n" % parent)
    f.write("MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nTin %d.\n\n" % i)
with open(out, "w") as f:
    sent, when = {}, {}
    for i in range(n):
        parent = None
        if i > 10 and i % 5 == 0:
            parent = rnd.randrange(max(0, i - 300), i - 1)
            while parent % 5 == 0 and parent > 10:
                parent -= 1
        s = sent[parent] if parent is not None else rnd.randrange(400)
        # times to the minute over a few days: many rows share one
        if parent is not None and rnd.randrange(3) == 0:
            t = when[parent] - rnd.randrange(0, 600)   # a follow-up dated before its root
        elif parent is not None:
            t = when[parent] + rnd.randrange(0, 3000)
        else:
            t = 100000 + rnd.randrange(n // 3)
        sent[i], when[i] = s, t
        msg(f, i, s, t, parent)
    # On top, a tie: root R and X at the same newest minute, R's follow-up
    # dated an hour before them but stored after X (the larger id sorts R
    # first); Y older, with a follow-up later than R's.
    top = 110000 + n
    msg(f, n, 900, top, subject="Tie R")
    msg(f, n + 1, 901, top, subject="Tie X")
    msg(f, n + 2, 902, top - 300, subject="Tie Y")
    msg(f, n + 3, 900, top - 60, parent=n, subject="Re: Tie R")
    msg(f, n + 4, 902, top - 30, parent=n + 2, subject="Re: Tie Y")
