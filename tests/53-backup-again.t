#!/bin/sh
# `tipline backup FILE` run every night to the same FILE (issue 10 §8):
# the second run replaces the first backup atomically and exits 0, and
# the result opens with tipline; no temporary file is left beside it.
. "$(dirname "$0")/lib.sh"
plan 8

msg() {	# msg N: a small tip of our own
	printf 'From: Reader %s <reader.%s@example.org>\nSubject: Tin %s\n' \
		"$1" "$1" "$1"
	printf 'Message-ID: <again.%s@example.org>\n' "$1"
	printf 'Date: Tue, 01 Dec 2026 08:00:00 +0700\n\nTin báo số %s.\n' "$1"
}
count() { TIPLINE_DB=$1 "$TIPLINE_BIN" list --json 2>/dev/null |
	python3 -c 'import json,sys; d=json.load(sys.stdin)
print(len(d["submissions"] if isinstance(d, dict) else d))'; }

msg 1 > "$WORK/1.eml"; msg 2 > "$WORK/2.eml"
tl -q import "$WORK/1.eml"
mkdir "$WORK/bk"
tl -q backup "$WORK/bk/nightly.db" >/dev/null; is "$?" 0 "first backup exits 0"
is "$(count "$WORK/bk/nightly.db")" 1 "...and holds one submission"
ino1=$(stat -c %i "$WORK/bk/nightly.db")
tl -q import "$WORK/2.eml"
tl -q backup "$WORK/bk/nightly.db" >/dev/null; is "$?" 0 \
	"second backup to the same file exits 0"
is "$(count "$WORK/bk/nightly.db")" 2 "...and the result opens with both"
ino2=$(stat -c %i "$WORK/bk/nightly.db")
[ "$ino1" != "$ino2" ]; ok $? "...a new file renamed into place, not rewritten"
is "$(stat -c %a "$WORK/bk/nightly.db")" 600 "...still mode 0600"
is "$(ls -A "$WORK/bk")" nightly.db "no temporary file left beside it"
is "$(sqlite3 "$WORK/bk/nightly.db" 'PRAGMA quick_check')" ok \
	"quick_check passes on the replaced backup"
