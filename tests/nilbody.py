#!/usr/bin/env python3
"""A server that lists a message but returns no body for it, made from the
real Dovecot: a plaintext TCP proxy (STARTTLS removed from the capabilities,
so the client needs allow_plaintext) that rewrites the FETCH response of one
UID from "BODY[] {N}<N bytes>" to "BODY[] NIL", as Exchange does for an item
it cannot render.
usage: nilbody.py LISTEN_PORT UPSTREAM_PORT UID   (0: a free port; the
first line on stdout is "PORT n")"""
import re
import socket
import sys
import threading

LP, UP, UID = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
HEAD = re.compile(rb"^(\* \d+ FETCH \(UID (\d+) BODY\[\]) \{(\d+)\}\r\n$")
LIT = re.compile(rb"\{(\d+)\}\r\n$")


def server_to_client(u, c):
    buf = b""
    want = 0        # literal bytes to pass through untouched
    drop = None     # (prefix) while swallowing the target's literal
    try:
        while True:
            d = u.recv(65536)
            if not d:
                break
            buf += d
            out = b""
            while True:
                if want > 0:
                    n = min(want, len(buf))
                    if drop is None:
                        out += buf[:n]
                    buf, want = buf[n:], want - n
                    if want > 0:
                        break
                    if drop is not None:
                        out += drop + b" NIL"
                        drop = None
                    continue
                i = buf.find(b"\r\n")
                if i < 0:
                    break
                line, buf = buf[:i + 2], buf[i + 2:]
                m = HEAD.match(line)
                if m and int(m.group(2)) == UID:
                    drop, want = m.group(1), int(m.group(3))
                    continue
                m = LIT.search(line)
                if m:
                    want = int(m.group(1))
                out += line.replace(b" STARTTLS", b"")
            c.sendall(out)
    except OSError:
        pass
    for s in (u, c):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def client_to_server(c, u):
    try:
        while True:
            d = c.recv(65536)
            if not d:
                break
            u.sendall(d)
    except OSError:
        pass
    try:
        u.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def handle(c):
    u = socket.create_connection(("127.0.0.1", UP))
    threading.Thread(target=server_to_client, args=(u, c),
                     daemon=True).start()
    client_to_server(c, u)


s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", LP))
s.listen(16)
print("PORT %d" % s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept()
    threading.Thread(target=handle, args=(c,), daemon=True).start()
