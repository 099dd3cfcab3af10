#!/usr/bin/env python3
"""schema-describe.py SCHEMA.sql - load a SQLite schema into a fresh
in-memory database and print what it defines, one sorted line per fact, in
the form tests/schema-describe-pg.sql prints a PostgreSQL schema:

  table T
  column T.C TYPE null|notnull default=D    (TYPE mapped to PostgreSQL's)
  pk T (C,...)
  unique T (C,...)
  fk T (C) -> R(C) on delete ACTION
  check T C {a,b,...}                        (CHECK (C IN ('a', 'b', ...)))
  index NAME T (C,...) unique=0|1 partial=0|1

FTS5 tables and their shadow tables are left out (tests/135-pg-schema.t
checks their PostgreSQL counterpart apart). A CHECK of any other form
prints "check T UNPARSED ..." so that the comparison fails until this
script and its PostgreSQL twin learn it."""
import re
import sqlite3
import sys

TYPES = {"INTEGER": "bigint", "TEXT": "text", "BLOB": "bytea",
         "REAL": "double precision"}
CHECK_IN = re.compile(r"CHECK\s*\(\s*(\w+)\s+IN\s*\(([^)]*)\)\s*\)", re.I)


def main():
    db = sqlite3.connect(":memory:")
    with open(sys.argv[1], encoding="utf-8") as f:
        db.executescript(f.read())
    out = []
    tables = [r for r in db.execute(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND "
        "name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'")]
    fts = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_schema WHERE sql LIKE 'CREATE VIRTUAL%'")]
    for t, sql in tables:
        if any(t.startswith(v + "_") for v in fts):
            continue
        out.append("table %s" % t)
        pk = []
        for _cid, c, typ, notnull, dflt, k in db.execute(
                "SELECT * FROM pragma_table_info(?)", (t,)):
            pg = TYPES.get(typ.upper(), "UNMAPPED:" + typ)
            nn = "notnull" if notnull or k else "null"
            out.append("column %s.%s %s %s default=%s" %
                       (t, c, pg, nn, "" if dflt is None else dflt))
            if k:
                pk.append((k, c))
        if pk:
            out.append("pk %s (%s)" % (t, ",".join(c for _, c in
                                                   sorted(pk))))
        for _s, name, uniq, origin, partial in db.execute(
                "SELECT * FROM pragma_index_list(?)", (t,)):
            cols = ",".join(r[0] or "<expr>" for r in db.execute(
                "SELECT name FROM pragma_index_xinfo(?) WHERE key "
                "ORDER BY seqno", (name,)))
            if origin == "u":
                out.append("unique %s (%s)" % (t, cols))
            elif origin == "c":
                out.append("index %s %s (%s) unique=%d partial=%d" %
                           (name, t, cols, uniq, partial))
        for r in db.execute("SELECT \"from\", \"table\", \"to\", "
                            "on_delete FROM pragma_foreign_key_list(?)",
                            (t,)):
            out.append("fk %s (%s) -> %s(%s) on delete %s" %
                       (t, r[0], r[1], r[2], r[3]))
        checks = CHECK_IN.findall(sql)
        for c, lits in checks:
            vals = sorted(re.findall(r"'([^']*)'", lits))
            out.append("check %s %s {%s}" % (t, c, ",".join(vals)))
        if len(re.findall(r"\bCHECK\b", sql, re.I)) != len(checks):
            out.append("check %s UNPARSED %s" % (t, sql))
    print("\n".join(sorted(out)))


main()
