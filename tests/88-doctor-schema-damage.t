#!/bin/sh
# doctor on a database whose schema pages are damaged (found by qa9):
# PRAGMA quick_check then fails before its first row, and doctor said
# "quick_check found 0 problem(s), the first: (null)" (a NULL through
# printf's %s). It must name SQLite's error as the one problem found.
. "$(dirname "$0")/lib.sh"
plan 4

tl -q import "$FIX/import/002-plain.eml"
sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
ps=$(sqlite3 "$DB" 'PRAGMA page_size')
size=$(wc -c < "$DB")
# Keep page 1 (the file header and the root of the schema), zero the rest:
# the schema's other pages and every table.
dd if=/dev/zero of="$DB" bs="$ps" seek=1 count=$((size / ps - 1)) \
	conv=notrunc 2>/dev/null
out=$(tl doctor 2>&1); rc=$?
is "$rc" 78 "doctor on a database with zeroed pages: not ok (78)"
like "$out" "^database: .*PROBLEM: damaged: quick_check found [1-9][0-9]* problem" \
	"it counts the problem it found"
if printf '%s\n' "$out" | grep -q '(null)'; then ok 1 "no (null) in its words"
else ok 0 "no (null) in its words"; fi
like "$out" "the first: [a-zA-Z]" "and names it"
exit $_failed
