#!/bin/sh
# A link planted as the database's -wal or -shm (QA round 2, qa9 finding
# 13): refused as before, but the error names the link and says to remove
# it, like the other planted-link refusals, not SQLite's "unable to open
# database file" or "attempt to write a readonly database".
. "$(dirname "$0")/lib.sh"
plan 10

cat > "$WORK/tip.eml" <<'MSG'
From: =?UTF-8?Q?Nguy=E1=BB=85n_V=C4=83n_A?= <reader.a@example.org>
To: tips@example.net
Subject: WAL link
Date: Tue, 01 Dec 2026 08:00:00 +0700
Message-ID: <wal-link.1@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Tin báo.
MSG
tl -q import "$WORK/tip.eml" >/dev/null 2>&1
printf 'not yours\n' > "$WORK/target"
rm -f "$DB-wal" "$DB-shm"

for f in wal shm; do
	ln -s "$WORK/target" "$DB-$f"
	tl list >/dev/null 2>"$WORK/err"; rc=$?
	is "$rc" 77 "list refuses a symbolic link as -$f (77)"
	like "$(cat "$WORK/err")" \
		"^tipline list: $DB-$f: a symbolic link; refused" \
		"...naming the link"
	like "$(cat "$WORK/err")" "remove it if nobody should have put it there" \
		"...and the fix"
	tl import "$WORK/tip.eml" >/dev/null 2>"$WORK/err"; rc=$?
	like "$(cat "$WORK/err")" "$DB-$f: a symbolic link; refused" \
		"import names the -$f link too (exit $rc)"
	rm -f "$DB-$f"
done
is "$(cat "$WORK/target")" "not yours" "the link's target is untouched"
tl list >/dev/null 2>&1
is "$?" 0 "with the link removed, list works again"
