#!/usr/bin/env python3
"""A server without STARTTLS, made from the real Dovecot: a TCP proxy that
removes the STARTTLS capability from everything the server sends, so that a
client asked to use imap:// sees a plaintext-only server.
usage: striptls.py LISTEN_PORT UPSTREAM_PORT   (0: a free port; the first
line on stdout is "PORT n" once it accepts connections)"""
import socket, sys, threading

LP, UP = int(sys.argv[1]), int(sys.argv[2])


def pump(src, dst, strip):
    try:
        while True:
            d = src.recv(65536)
            if not d:
                break
            if strip:
                d = d.replace(b" STARTTLS", b"")
            dst.sendall(d)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def handle(c):
    u = socket.create_connection(("127.0.0.1", UP))
    threading.Thread(target=pump, args=(u, c, True), daemon=True).start()
    pump(c, u, False)


s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", LP))
s.listen(16)
print("PORT %d" % s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept()
    threading.Thread(target=handle, args=(c,), daemon=True).start()
