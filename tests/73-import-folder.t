#!/bin/sh
# 73-import-folder.t - issue 10 item 8: `import DIR` of a plain folder of
# .eml files (as saved from a mail client) imports the files that are
# mail and names what it skips; a Maildir is imported as before.
. "$(dirname "$0")/lib.sh"

plan 15

F=$WORK/saved
mkdir -p "$F/sub" "$WORK/elsewhere"
# msg ID SUBJECT [FIRST-HEADER]: a message on stdout
msg() {
	printf '%sFrom: Nguyễn Văn A <reader.a@example.org>\nTo: tin@example.net\nSubject: %s\nDate: Mon, 03 Jun 2024 08:00:00 +0700\nMessage-ID: <%s@example.org>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nNội dung.\n' \
		"${3:-}" "$2" "$1"
}
msg fold1 'Tin một' >"$F/Tin 1.eml"
msg fold2 'Tin hai' 'Received: from mx.example.net by mail.example.org; Mon, 3 Jun 2024 08:00:01 +0700
' >"$F/tin-2.EML"
# a message without an .eml name
msg fold3 'Tin ba' >"$F/message3"
# a message that starts with a blank line has an empty header: not mail
{ echo; msg fold9 'Tin chín'; } >"$F/blank-first.eml"
# an mbox of two
{ printf 'From reader.b@example.org Mon Jun  3 08:00:00 2024\n'
  msg fold4 'Tin bốn'; echo
  printf 'From reader.b@example.org Mon Jun  3 08:00:00 2024\n'
  msg fold5 'Tin năm'; } >"$F/more.mbox"
printf 'Ghi chú của biên tập viên: gọi lại cho bạn đọc.\n' >"$F/notes.txt"
printf '\377\330\377\340\000\020JFIF\000' >"$F/photo.jpg"
printf 'Subject line only, no colon here\n' >"$F/readme"
msg fold6 'Trong thư mục con' >"$F/sub/inner.eml"
msg fold7 'Bên ngoài' >"$WORK/elsewhere/outside.eml"
ln -s "$WORK/elsewhere/outside.eml" "$F/link.eml"
printf 'x' >"$F/.DS_Store"

tl import "$F" >"$WORK/out" 2>"$WORK/err"; is "$?" 0 \
	"a plain folder of messages is imported"
subjects() { tl list --all --json | python3 -c '
import json, sys
print(";".join(sorted(r["subject"] for r in json.load(sys.stdin))))'; }
is "$(subjects)" "Tin ba;Tin bốn;Tin hai;Tin một;Tin năm" \
	"every file that is mail, whatever its name, mbox files split"
err=$(cat "$WORK/err")
like "$err" "notes.txt: skipped, not a mail message" "a text file is named as skipped"
like "$err" "photo.jpg: skipped, not a mail message" "a photo too"
like "$err" "readme: skipped, not a mail message" "a first line without a colon too"
like "$err" "blank-first.eml: skipped, not a mail message" \
	"a blank first line too"
like "$err" "sub: skipped, a folder" "subfolders are not entered"
like "$err" "link.eml: skipped, not a regular file" \
	"a symlink out of the folder is not followed"
printf '%s\n' "$err" | grep -q DS_Store; is "$?" 1 "hidden files pass silently"
like "$err" "5 stored" "the summary counts the stored messages"
like "$err" "6 files skipped" "and the skipped files"

tl -q import "$F" 2>/dev/null; is "$?" 0 "importing it again is fine (duplicates)"

# A folder with nothing that is mail (or nothing at all) is an error.
mkdir "$WORK/nomail"; cp "$F/notes.txt" "$WORK/nomail/"
tl import "$WORK/nomail" 2>"$WORK/err"; is "$?" 65 \
	"a folder without mail exits 65"
like "$(cat "$WORK/err")" "nomail: no mail in this folder" "and says so"

# A Maildir keeps working: cur/ and new/, names without .eml.
mkdir -p "$WORK/md/cur" "$WORK/md/new" "$WORK/md/tmp"
msg fold8 'Từ Maildir' >"$WORK/md/new/1717376400.M1P1.host"
tl -q import "$WORK/md"
is "$(tl list --all --json | grep -c 'Từ Maildir')" 1 "a Maildir is imported as before"
