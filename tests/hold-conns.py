#!/usr/bin/python3
"""hold-conns.py HOST PORT N READY_FILE: open N TCP connections to
HOST:PORT, each with half a request line sent (idle, as a slow client),
write to READY_FILE how many the server kept open after 0.5 s (a refused
one is closed at once: recv returns b''), then hold them until killed."""
import os
import socket
import sys
import time

host, port, n, ready = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
    sys.argv[4]
conns = []
for _ in range(n):
    s = socket.create_connection((host, port), timeout=5)
    try:
        s.sendall(b"GET / HTTP/1.1\r\n")
    except OSError:
        pass
    conns.append(s)
time.sleep(0.5)
alive = 0
for s in conns:
    s.setblocking(False)
    try:
        alive += 0 if s.recv(1) == b"" else 1
    except BlockingIOError:
        alive += 1
    except OSError:
        pass
with open(ready + ".tmp", "w") as f:
    f.write("%d\n" % alive)
os.rename(ready + ".tmp", ready)
time.sleep(60)
