#!/bin/sh
# 12-mbox-mime.t - the mbox splitter follows MIME structure: a "From "
# line inside an open multipart (a git patch's own first line) is content,
# not a new message; a truncated multipart (one that never closes) does
# not swallow the messages after it: it ends at the next "From " line
# when its boundary never occurs again (issue 9 section 4 item 1).
. "$(dirname "$0")/lib.sh"
plan 22

# A tip saved as a single message from an mbox, carrying a git patch whose
# first line is "From <sha> Mon Sep 17 00:00:00 2001" after the part's
# blank line.
tip() {	# $1: Message-ID local part, $2: "open" to leave the boundary open
	cat <<MSG
From reader.a@example.org Mon Jun  3 10:05:00 2024
From: Nguyễn Văn A <reader.a@example.org>
To: tinbandoc@example.net
Subject: Bản vá lỗi
Date: Mon, 3 Jun 2024 10:05:00 +0700
Message-ID: <$1@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed;
	boundary="==tip-b1"

--==tip-b1
Content-Type: text/plain; charset=utf-8

Gửi tòa soạn bản vá, xem tệp đính kèm.

--==tip-b1
Content-Type: text/x-patch; name="0001-fix.patch"
Content-Disposition: attachment; filename="0001-fix.patch"

From 1234567890abcdef1234567890abcdef12345678 Mon Sep 17 00:00:00 2001
From: Dev <dev@example.net>
Date: Mon, 3 Jun 2024 10:00:00 +0700
Subject: [PATCH] fix the leak

---
 a.c | 1 +
 1 file changed, 1 insertion(+)

diff --git a/a.c b/a.c
--- a/a.c
+++ b/a.c
@@ -1 +1,2 @@
 int x;
+int y;

MSG
	[ "${2:-}" = open ] || printf -- '--==tip-b1--\n'
}

json() {	# $1: id, $2: python expression over d
	tl show "$1" --json | python3 -c "import json,sys; d=json.load(sys.stdin); print($2)"
}

tip gitpatch1 > "$WORK/one.mbox"
tl import "$WORK/one.mbox" 2>/dev/null; is "$?" 0 "a saved tip with a git patch imports"
is "$(count_all)" 1 \
	"the patch's own From line does not split the tip in two"
ID=$(id_of gitpatch1@example.org)
is "$(json "$ID" "[a['filename'] for a in d['attachments']]")" "['0001-fix.patch']" \
	"the tip keeps its patch attachment"
is "$(json "$ID" "[w for w in d['warnings'] if w.startswith('mbox')]")" "[]" \
	"a multipart that closes later needs no warning"

# Two such messages in one mbox, then a message whose multipart never
# closes followed by a real one: kept as one, flagged.
{ tip gitpatch2; echo; tip gitpatch3; } > "$WORK/two.mbox"
tl import "$WORK/two.mbox" 2>/dev/null
is "$(mids | grep -c '^gitpatch')" 3 \
	"an mbox of two such tips gives two submissions"
# A tip whose multipart is cut inside the patch, then a real message: the
# patch's git From line stays content (git's fixed date), the real
# separator splits because "--==tip-b1" never occurs again.
{ tip open4 open; echo; tip after5 | sed "s/tip-b1/tip-b5/"; } > "$WORK/open.mbox"
tl import "$WORK/open.mbox" 2>/dev/null
is "$(mids | grep -c -x -e open4@example.org -e after5@example.org)" 2 \
	"a truncated tip does not swallow the next message"
ID=$(id_of open4@example.org)
like "$(json "$ID" "d['warnings']")" 'mbox: the MIME structure is still open at the .From . line at line 37' \
	"the truncated tip says where it was cut"
is "$(json "$ID" "[a['filename'] for a in d['attachments']]")" "['0001-fix.patch']" \
	"the truncated tip keeps what it has of its patch"
ID=$(id_of after5@example.org)
is "$(json "$ID" "[w for w in d['warnings'] if w.startswith('mbox')]")" "[]" \
	"the message after it is whole and unflagged"

# (a) A multipart cut short (no close, no patch), then three ordinary
# messages: four submissions, only the first flagged.
plain() {	# $1: Message-ID local part, $2: subject
	printf 'From reader.b@example.org Tue Jun  4 08:00:00 2024\nFrom: Trần Thị B <reader.b@example.org>\nTo: tinbandoc@example.net\nSubject: %s\nMessage-ID: <%s@example.org>\nContent-Type: text/plain; charset=utf-8\n\nNội dung tin %s.\n\n' "$2" "$1" "$1"
}
{
	printf 'From reader.a@example.org Mon Jun  3 10:05:00 2024\nFrom: Nguyễn Văn A <reader.a@example.org>\nSubject: cut\nMessage-ID: <cut1@example.org>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="cut-b"\n\n--cut-b\nContent-Type: text/plain; charset=utf-8\n\nTin bị cắt giữa chừng\n\n'
	plain cut2 "hai"; plain cut3 "ba"; plain cut4 "bốn"
} > "$WORK/cut.mbox"
tl import "$WORK/cut.mbox" 2>/dev/null
is "$(mids | grep -c '^cut')" 4 \
	"a truncated multipart and three messages after it: four submissions"
ID=$(id_of cut1@example.org)
like "$(json "$ID" "d['warnings']")" 'mbox: the MIME structure is still open at the .From . line at line 13.*cut there' \
	"the truncated message is flagged"
like "$(json "$ID" "d['text']")" 'Tin bị cắt giữa chừng' \
	"the truncated message keeps its text"
ID=$(id_of cut2@example.org)
is "$(json "$ID" "(d['subject'], d['text'].strip(), [w for w in d['warnings'] if w.startswith('mbox')])")" \
	"('hai', 'Nội dung tin cut2.', [])" "the next message is whole and unflagged"
is "$(json "$(id_of cut3@example.org)" "d['subject']")|$(json \
	"$(id_of cut4@example.org)" "d['subject']")" \
	"ba|bốn" "the later messages are whole"

# (b) A patch series (git format-patch --stdout) in one attachment: two
# git From lines with no boundary between them stay content.
tip series6 | awk '/^--==tip-b1--$/ { print "-- "; print "2.39.2"; print ""; print "From abcdefabcdefabcdefabcdefabcdefabcdefabcd Mon Sep 17 00:00:00 2001"; print "From: Dev <dev@example.net>"; print "Subject: [PATCH 2/2] more"; print ""; print "---"; print "" } { print }' > "$WORK/series.mbox"
N=$(count_all)
tl import "$WORK/series.mbox" 2>/dev/null
is "$(count_all) $(mids | grep -c -x series6@example.org)" "$((N + 1)) 1" \
	"a patch series in one attachment stays one message"
ID=$(id_of series6@example.org)
is "$(json "$ID" "([a['filename'] for a in d['attachments']], [w for w in d['warnings'] if w.startswith('mbox')])")" \
	"(['0001-fix.patch'], [])" "with its attachment and no warning"

# (c) A truncated multipart whose next message uses the same boundary
# string: the next message's delimiters can close the open multipart, so
# its separator is indistinguishable from a From line in an attachment.
# They stay one submission, flagged; the message after them splits.
{
	printf 'From reader.a@example.org Mon Jun  3 10:05:00 2024\nFrom: Nguyễn Văn A <reader.a@example.org>\nSubject: same one\nMessage-ID: <same7@example.org>\nContent-Type: multipart/mixed; boundary="same-b"\n\n--same-b\nContent-Type: text/plain\n\ncut here\n\n'
	printf 'From reader.b@example.org Tue Jun  4 08:00:00 2024\nFrom: Trần Thị B <reader.b@example.org>\nSubject: same two\nMessage-ID: <same8@example.org>\nContent-Type: multipart/mixed; boundary="same-b"\n\n--same-b\nContent-Type: text/plain\n\nsecond\n--same-b--\n\n'
	plain same9 "chín"
} > "$WORK/same.mbox"
tl import "$WORK/same.mbox" 2>/dev/null
is "$(mids | grep '^same' | tr '\n' ' ' | sed 's/ $//')" \
	"same7@example.org same9@example.org" \
	"a truncated multipart and a next message with its boundary stay one"
ID=$(id_of same7@example.org)
like "$(json "$ID" "d['warnings']")" 'mbox: 1 .From . line.s. inside an open MIME part .the first at line 12. kept as content' \
	"that submission is flagged as maybe more than one message"

# (d) mboxrd unescaping is unchanged in a message split off a truncated one.
{
	printf 'From reader.a@example.org Mon Jun  3 10:05:00 2024\nFrom: a@example.org\nSubject: rd1\nMessage-ID: <rd1@example.org>\nContent-Type: multipart/mixed; boundary="rd-b"\n\n--rd-b\n\n>From inside\n\n'
	printf 'From reader.b@example.org Tue Jun  4 08:00:00 2024\nFrom: b@example.org\nSubject: rd2\nMessage-ID: <rd2@example.org>\n\nHello\n>From the river bank.\n>>From a quote.\n'
} > "$WORK/rd.mbox"
tl import "$WORK/rd.mbox" 2>/dev/null
is "$(mids | grep -c '^rd')" 2 \
	"an mboxrd file with a truncated multipart splits in two"
ID=$(id_of rd2@example.org)
is "$(json "$ID" "d['text']")" "$(printf 'Hello\nFrom the river bank.\n>From a quote.')" \
	">From lines lose one '>' as before"

# An ordinary mbox still splits at every separator.
printf 'From a@example.org Mon Jun  3 10:05:00 2024\nFrom: a@example.org\nSubject: one\nMessage-ID: <plain1@example.org>\n\nFrom here on.\n\nFrom b@example.org Mon Jun  3 10:06:00 2024\nFrom: b@example.org\nSubject: two\nMessage-ID: <plain2@example.org>\nContent-Type: multipart/mixed; boundary=x\n\n--x\n\nbody\n--x--\n\nFrom c@example.org Mon Jun  3 10:07:00 2024\nFrom: c@example.org\nSubject: three\nMessage-ID: <plain3@example.org>\n\nlast\n' > "$WORK/plain.mbox"
tl import "$WORK/plain.mbox" 2>/dev/null
is "$(mids | grep -c '^plain')" 3 \
	"plain and closed multipart messages still split"
is "$(json "$(id_of plain1@example.org)" "d['subject']")" one \
	"the first message of a plain mbox is whole"
