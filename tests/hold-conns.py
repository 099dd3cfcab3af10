#!/usr/bin/python3
"""hold-conns.py HOST PORT N READY_FILE: open N TCP connections to
HOST:PORT at once (from 16 threads, so the server's accepting threads
race each other), each with half a request line sent (idle, as a slow
client); write to READY_FILE how many the server kept open once the
count has settled (a refused one is closed at once: recv returns b'' or
the connection is reset), then hold them until killed."""
import os
import socket
import sys
import threading
import time

host, port, n, ready = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
    sys.argv[4]
conns = []
lock = threading.Lock()
start = threading.Barrier(16)


def opener(k):
    start.wait()
    for _ in range(k):
        s = socket.create_connection((host, port), timeout=5)
        try:
            s.sendall(b"GET / HTTP/1.1\r\n")
        except OSError:
            pass
        with lock:
            conns.append(s)


def count():
    alive = 0
    for s in conns:
        s.setblocking(False)
        try:
            alive += 0 if s.recv(1, socket.MSG_PEEK) == b"" else 1
        except BlockingIOError:
            alive += 1
        except OSError:
            pass
    return alive


threads = [threading.Thread(target=opener, args=(n // 16 + (i < n % 16),))
           for i in range(16)]
for t in threads:
    t.start()
for t in threads:
    t.join()
# Settled: the same count twice, 0.5 s apart (at most 10 s).
prev, alive = -1, count()
for _ in range(20):
    if alive == prev:
        break
    time.sleep(0.5)
    prev, alive = alive, count()
with open(ready + ".tmp", "w") as f:
    f.write("%d\n" % alive)
os.rename(ready + ".tmp", ready)
time.sleep(60)
