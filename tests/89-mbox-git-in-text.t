#!/bin/sh
# A git patch pasted into a tip's plain text (no MIME structure at all),
# in a file whose first "From " line is a mail writer's envelope: the
# patch's own "From <sha> Mon Sep 17 00:00:00 2001" line after a blank
# line is content, never a separator (issue 9 section 4 item 1, outside
# MIME as inside; found by qa9).  An mbox written by git format-patch
# --stdout, whose first separator is that line, still splits there.
# A single message whose first line is "From : ..." (the sender's header
# with white space before its colon) is no mbox: its sender was dropped
# as an envelope line.
. "$(dirname "$0")/lib.sh"
plan 10

patch() {	# $1: patch number
	cat <<PATCH
From 1234567890abcdef1234567890abcdef1234567$1 Mon Sep 17 00:00:00 2001
From: Dev <dev@example.net>
Date: Mon, 3 Jun 2024 10:0$1:00 +0700
Subject: [PATCH $1/2] fix $1

---
 a.c | 1 +

diff --git a/a.c b/a.c
+int y$1;
-- 
2.39.2

PATCH
}
{
	printf 'From reader.a@example.org Mon Jun  3 10:05:00 2024\n'
	printf 'From: Nguyễn Văn A <reader.a@example.org>\n'
	printf 'Subject: Bản vá trong thư\nDate: Mon, 3 Jun 2024 10:05:00 +0700\n'
	printf 'Message-ID: <git-text@example.org>\n'
	printf 'Content-Type: text/plain; charset=utf-8\n\n'
	printf 'Gửi tòa soạn bản vá ngay dưới đây.\n\n'
	patch 1
} > "$WORK/tip.eml"

tl -q import "$WORK/tip.eml"; is "$?" 0 "import of a tip with a pasted patch exits 0"
json=$(tl list --all --flat --json)
is "$(printf '%s' "$json" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 1 \
	"one submission, not two"
show=$(tl show --json 1)
is "$(printf '%s' "$show" | python3 -c 'import json,sys; print(json.load(sys.stdin)["subject"])')" \
	"Bản vá trong thư" "the tip's own subject"
like "$(printf '%s' "$show" | python3 -c 'import json,sys; print(json.load(sys.stdin)["text"])')" \
	"^\+int y1;" "the patch stays in its text"
like "$(printf '%s' "$show" | python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin)["warnings"]))')" \
	"git patch \"From \" line.* kept as content" "the judgement is flagged"

{ patch 1; patch 2; } > "$WORK/series.mbox"
rm -f "$DB" "$DB-wal" "$DB-shm"
tl -q import "$WORK/series.mbox"; is "$?" 0 "import of a git format-patch series exits 0"
subjects=$(tl list --all --flat --json | python3 -c 'import json,sys
print(" ".join(sorted(r["subject"] for r in json.load(sys.stdin))))')
is "$subjects" "[PATCH 1/2] fix 1 [PATCH 2/2] fix 2" "a git series still splits at its own lines"
is "$(tl show --json 1 | python3 -c 'import json,sys; print(sum("git patch" in w for w in json.load(sys.stdin)["warnings"]))')" 0 \
	"and flags nothing"
printf 'From : Nguyễn Văn A <reader.a@example.org>\nSubject: Dấu cách\nMessage-ID: <sp@example.org>\n\nNội dung.\n' > "$WORK/sp.eml"
rm -f "$DB" "$DB-wal" "$DB-shm"
tl -q import "$WORK/sp.eml"
show=$(tl show --json 1)
is "$(printf '%s' "$show" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["from_addr"], d["source_path"].rsplit("/",1)[-1])')" \
	"reader.a@example.org sp.eml" "From : is the sender, the file one message"
is "$(printf '%s' "$show" | python3 -c 'import json,sys; print(sum("envelope" in w for w in json.load(sys.stdin)["warnings"]))')" 0 \
	"nothing skipped as an envelope line"
exit $_failed
