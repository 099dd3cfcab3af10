#!/usr/bin/python3
"""count-conns.py PORTFILE LOGFILE: listen on a free loopback TCP port,
write the port to PORTFILE (complete when it appears: written and renamed)
and append one line to LOGFILE for each connection accepted, each
answered with an empty HTTP 204 and closed.  Runs until killed.  Tests
use it as the "remote" server a submission's HTML points at (issue 12:
nothing a reader sends may make an editor's browser call out)."""
import os
import socket
import sys

portfile, logfile = sys.argv[1:3]
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
with open(portfile + ".tmp", "w") as f:
    f.write("%d\n" % s.getsockname()[1])
os.rename(portfile + ".tmp", portfile)
while True:
    c, peer = s.accept()
    with open(logfile, "a") as f:
        f.write("%s:%d\n" % peer)
    try:
        c.settimeout(2)
        c.recv(4096)
        c.sendall(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
    except OSError:
        pass
    c.close()
