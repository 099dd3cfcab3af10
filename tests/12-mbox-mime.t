#!/bin/sh
# 12-mbox-mime.t - the mbox splitter follows MIME structure: a "From "
# line inside an open multipart (a git patch's own first line) is content,
# not a new message; a multipart that never closes keeps one message and
# says so (issue 9 section 4 item 1).
. "$(dirname "$0")/lib.sh"
plan 9

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
is "$(sql 'SELECT count(*) FROM submission')" 1 \
	"the patch's own From line does not split the tip in two"
ID=$(sql "SELECT id FROM submission WHERE message_id = 'gitpatch1@example.org'")
is "$(json "$ID" "[a['filename'] for a in d['attachments']]")" "['0001-fix.patch']" \
	"the tip keeps its patch attachment"
is "$(json "$ID" "[w for w in d['warnings'] if w.startswith('mbox')]")" "[]" \
	"a multipart that closes later needs no warning"

# Two such messages in one mbox, then a message whose multipart never
# closes followed by a real one: kept as one, flagged.
{ tip gitpatch2; echo; tip gitpatch3; } > "$WORK/two.mbox"
tl import "$WORK/two.mbox" 2>/dev/null
is "$(sql "SELECT count(*) FROM submission WHERE message_id LIKE 'gitpatch%'")" 3 \
	"an mbox of two such tips gives two submissions"
{ tip open4 open; echo; tip after5 | sed "s/tip-b1/tip-b5/"; } > "$WORK/open.mbox"
tl import "$WORK/open.mbox" 2>/dev/null
is "$(sql "SELECT count(*) FROM submission WHERE message_id IN ('open4@example.org', 'after5@example.org')")" 1 \
	"inside a multipart that never closes, a From line does not split"
ID=$(sql "SELECT id FROM submission WHERE message_id = 'open4@example.org'")
like "$(json "$ID" "d['warnings']")" 'mbox: 3 "From " line\(s\) inside an open MIME part' \
	"the kept message says it may hold more than one message"

# An ordinary mbox still splits at every separator.
printf 'From a@example.org Mon Jun  3 10:05:00 2024\nFrom: a@example.org\nSubject: one\nMessage-ID: <plain1@example.org>\n\nFrom here on.\n\nFrom b@example.org Mon Jun  3 10:06:00 2024\nFrom: b@example.org\nSubject: two\nMessage-ID: <plain2@example.org>\nContent-Type: multipart/mixed; boundary=x\n\n--x\n\nbody\n--x--\n\nFrom c@example.org Mon Jun  3 10:07:00 2024\nFrom: c@example.org\nSubject: three\nMessage-ID: <plain3@example.org>\n\nlast\n' > "$WORK/plain.mbox"
tl import "$WORK/plain.mbox" 2>/dev/null
is "$(sql "SELECT count(*) FROM submission WHERE message_id LIKE 'plain%'")" 3 \
	"plain and closed multipart messages still split"
is "$(sql "SELECT subject FROM submission WHERE message_id = 'plain1@example.org'")" one \
	"the first message of a plain mbox is whole"
