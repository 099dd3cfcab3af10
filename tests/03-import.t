#!/bin/sh
# import: files, Maildir and mbox through the same parse-and-store path;
# the same message (LF or CRLF, file or mbox member) is stored once.
. "$(dirname "$0")/lib.sh"
D=$FIX/import
plan 30

tl import "$D/001-lf.eml" 2>/dev/null; is "$?" 0 "import of one file exits 0"
is "$(count_all)" 1 "one submission stored"
is "$(tj .subject show 1)" "Ngập nước ở phường 5" \
	"encoded-word subject decoded"
is "$(tj .from_addr show 1)" "reader.a@example.org" \
	"sender address"

tl import "$D/001-crlf.eml" 2>/dev/null; is "$?" 0 "CRLF copy imports"
tl import "$D/001-lf.eml" 2>/dev/null
is "$(count_all)" 1 \
	"CRLF copy and second import are duplicates, not new rows"

tl show 1 --raw > "$WORK/raw1"
cmp -s "$WORK/raw1" "$D/001-lf.eml"; is "$?" 0 "raw bytes kept byte-exact"

# An original of several raw chunks (256 KiB each) comes back byte-exact:
# 8-bit bytes, bare CR, NUL, no final newline.
python3 -c '
import random, sys
r = random.Random(7)
body = bytes(r.randrange(256) for _ in range(700000)).replace(b"\n", b"\r")
sys.stdout.buffer.write(b"From: Reader E <reader.e@example.org>\nSubject: big\n\n" + body)
' > "$WORK/big.eml"
tl import "$WORK/big.eml" 2>/dev/null
BIG=$(tj '.[] | select(.subject == "big") | .id' list --all)
tl show "$BIG" --raw > "$WORK/big.out"
cmp -s "$WORK/big.eml" "$WORK/big.out"; is "$?" 0 \
	"a 700 kB original in three chunks comes back byte-exact"
# PostgreSQL always enforces foreign keys; SQLite only when asked.
on_pg || FK="PRAGMA foreign_keys = ON;"
sql "${FK:-} DELETE FROM submission WHERE id = $BIG"

tl import "$D/three.mbox" 2>/dev/null; is "$?" 0 "mbox import exits 0"
is "$(count_all)" 3 \
	"mbox adds its two new messages; its copy of the first is a duplicate"
tl show "$(id_of imp3.20240605@example.org)" --raw > "$WORK/raw3"
is "$(head -c 20 "$WORK/raw3")" "From: Le Van C <read" \
	"an mbox member starts at its headers, not at the From_ line"
is "$(tail -c 30 "$WORK/raw3" | head -c 29)" "From the mbox, a quoted line." \
	"an mbox member ends before the separator blank line, >From unescaped"
tl show "$(id_of imp2.20240604@example.org)" --raw > "$WORK/raw2"
cmp -s "$WORK/raw2" "$D/002-plain.eml"; is "$?" 0 \
	"a middle mbox member is byte-exact"

mkdir -p "$WORK/md/cur" "$WORK/md/new" "$WORK/md/tmp"
cp "$D/002-plain.eml" "$WORK/md/new/1.M1P1.host"
printf 'From: Pham Van D <reader.d@example.org>\nSubject: via maildir\n\nhello\n' \
	> "$WORK/md/cur/2.M2P2.host:2,S"
tl import "$WORK/md" 2>/dev/null; is "$?" 0 "Maildir import exits 0"
is "$(count_all)" 4 \
	"Maildir adds one new message and finds one duplicate"

ln -s /etc/passwd "$WORK/md/new/3.M3P3.host"
mkfifo "$WORK/md/new/4.M4P4.host"
mkdir "$WORK/md/cur/5.M5P5.host"
timeout 10 "$TIPLINE_BIN" --config "$CONF" import "$WORK/md" 2>"$WORK/err"
is "$?" 0 "a Maildir with a symlink, a FIFO and a folder in it imports"
is "$(count_all)" 4 \
	"none of them becomes a submission (no /etc/passwd in the queue)"
like "$(cat "$WORK/err")" "3.M3P3.host: skipped, not a regular file" \
	"each is named as skipped"

# mboxrd quoting is undone, so the mbox copy and the original meet; a
# writer that did not escape body "From " lines does not merge messages.
tl import "$D/quoting.mbox" 2>/dev/null
is "$(mids | grep -c -x -e q1@example.org -e r1@example.org \
	-e s1@example.org)" 3 \
	"an mbox with unescaped body From lines still splits into 3 messages"
tl import "$D/004-from-lines.eml" 2>/dev/null
is "$(mids | grep -c -x q1@example.org)" 1 \
	">From-quoted mbox member and the original are one submission"
is "$(tj '.text | gsub("\n"; "|")' show "$(id_of q1@example.org)")" \
	"Hello|From the river bank I saw the flood.|>From a quoted reply.|bye|" \
	"the editor reads the reader's lines, >>From back to >From"
like "$(tj .text show "$(id_of r1@example.org)")" \
	"From what I saw, nobody was hurt" "an unescaped From line stays in its message"

# A byte order mark and blank lines before the first From line (QA F37).
{ printf '\357\273\277\n\n'; sed 's/Message-ID: <\(.\)1@/Message-ID: <bom-\11@/' "$D/quoting.mbox"; } > "$WORK/bom.mbox"
tl import "$WORK/bom.mbox" 2>/dev/null
is "$(mids | grep -c '^bom-')" 3 \
	"an mbox with a BOM and blank lines before its first From line splits into its 3 messages"

tl import "$WORK/no-such-file.eml" 2>"$WORK/err"; is "$?" 66 \
	"a missing path exits 66"
like "$(cat "$WORK/err")" "no-such-file.eml" "the error names the path"
mkdir "$WORK/plain-folder"
tl import "$WORK/plain-folder" 2>/dev/null; is "$?" 65 \
	"a folder that is not a Maildir exits 65"

tl import "$D/003-too-deep.eml" 2>/dev/null; is "$?" 0 \
	"a message beyond the MIME depth limit is still stored"
DEEP=$(last_id)
is "$(status_of "$DEEP")" quarantined "and quarantined"
is "$(tl show "$DEEP" --raw | wc -c | tr -d ' ')" \
	"$(wc -c < "$D/003-too-deep.eml" | tr -d ' ')" "with its raw bytes"
is "$(tj '[.from_addr, .subject, .date_utc] | join(" | ")' \
	show "$DEEP")" \
	"reader.d@example.org | nested too deep | 2024-06-06T10:00:00Z" \
	"and with sender, subject and date from its header block (QA F7)"
