#!/usr/bin/python3
"""pybaseline.py - the hand-rolled fetcher tipline is measured against.

What a competent developer writes in an afternoon with Python's standard
library, doing the same job as `tipline fetch`:
  imaplib.IMAP4_SSL (CA file only) -> LOGIN -> SELECT INBOX read-only ->
  UID SEARCH UID last+1:* -> for each new UID, one round trip:
  UID FETCH uid (BODY.PEEK[]) -> email.parser.BytesParser(policy=default)
  parses the whole message -> text body (plain, else HTML) and every
  attachment decoded -> sqlite3: message row, raw bytes and attachment
  BLOBs in one transaction per message (SQLite defaults: rollback journal,
  synchronous=FULL, so each message is durable before the next).
Incremental: UIDVALIDITY and the last UID stored live in the database, so a
run with nothing new costs TLS + LOGIN + SELECT + UID SEARCH + LOGOUT.

usage: pybaseline.py --host H --port P --user U --password-file F
                     --cafile CRT --db FILE
Prints "pybaseline: N new messages".
"""
import argparse
import imaplib
import sqlite3
import ssl
import sys
from email import policy
from email.parser import BytesParser

SCHEMA = """
CREATE TABLE IF NOT EXISTS state (k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE IF NOT EXISTS message (
  id INTEGER PRIMARY KEY, uidvalidity INTEGER, uid INTEGER,
  message_id TEXT, from_addr TEXT, subject TEXT, date TEXT,
  body_text TEXT, raw BLOB, raw_size INTEGER, UNIQUE (uidvalidity, uid));
CREATE TABLE IF NOT EXISTS attachment (
  id INTEGER PRIMARY KEY, message INTEGER REFERENCES message(id),
  filename TEXT, content_type TEXT, size INTEGER, data BLOB);
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password-file", required=True)
    ap.add_argument("--cafile", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--mailbox", default="INBOX")
    a = ap.parse_args()
    with open(a.password_file) as f:
        password = f.readline().rstrip("\n")

    db = sqlite3.connect(a.db)
    db.executescript(SCHEMA)
    st = dict(db.execute("SELECT k, v FROM state"))

    ctx = ssl.create_default_context(cafile=a.cafile)
    imap = imaplib.IMAP4_SSL(a.host, a.port, ssl_context=ctx)
    imap.login(a.user, password)
    typ, _ = imap.select(a.mailbox, readonly=True)
    if typ != "OK":
        sys.exit("SELECT failed")
    uidvalidity = int(imap.untagged_responses["UIDVALIDITY"][0])
    last = 0
    if int(st.get("uidvalidity", -1)) == uidvalidity:
        last = int(st.get("last_uid", 0))
    typ, data = imap.uid("SEARCH", None, f"UID {last + 1}:*")
    uids = [int(x) for x in data[0].split()] if data and data[0] else []
    uids = [u for u in uids if u > last]   # "n:*" always matches the last

    parser = BytesParser(policy=policy.default)
    n = 0
    for uid in uids:
        typ, resp = imap.uid("FETCH", str(uid), "(BODY.PEEK[])")
        raw = next(p[1] for p in resp if isinstance(p, tuple))
        msg = parser.parsebytes(raw)
        body = msg.get_body(preferencelist=("plain", "html"))
        text = body.get_content() if body is not None else ""
        atts = []
        for att in msg.iter_attachments():
            payload = att.get_content()
            if isinstance(payload, str):
                payload = payload.encode("utf-8", "surrogateescape")
            elif not isinstance(payload, bytes):   # message/rfc822 ...
                payload = att.as_bytes()
            atts.append((att.get_filename(), att.get_content_type(),
                         len(payload), payload))
        with db:                                   # one transaction each
            cur = db.execute(
                "INSERT INTO message (uidvalidity, uid, message_id,"
                " from_addr, subject, date, body_text, raw, raw_size)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                (uidvalidity, uid, str(msg.get("Message-ID", "")),
                 str(msg.get("From", "")), str(msg.get("Subject", "")),
                 str(msg.get("Date", "")), text, raw, len(raw)))
            db.executemany(
                "INSERT INTO attachment (message, filename, content_type,"
                " size, data) VALUES (?,?,?,?,?)",
                [(cur.lastrowid,) + t for t in atts])
            db.execute("INSERT OR REPLACE INTO state VALUES"
                       " ('uidvalidity', ?), ('last_uid', ?)",
                       (uidvalidity, uid))
        n += 1
    imap.logout()
    db.close()
    print(f"pybaseline: {n} new messages")


if __name__ == "__main__":
    main()
