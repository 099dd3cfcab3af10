#!/bin/sh
# 91-show-thread-marks.t - issue 10 items 1 and 3, found in the editor
# trial (docs/dev/editor-trial.md): the list row of a 5-day-old tip whose
# follow-up brought a GPS photo is marked "1 !", but `show` of that tip
# said only "Thread: follow-ups: #N": the editor who opened the row the
# list flagged saw nothing flagged.  show now names what each follow-up
# carries, in the text and in --json (follow_up_marks).
. "$(dirname "$0")/lib.sh"
export TZ=Asia/Ho_Chi_Minh
M=$WORK/mail
python3 "$FIX/desk10/gen.py" "$M"
plan 5

tl -q import "$M"/1-root.eml "$M"/8-followup.eml
ROOT=$(sql "SELECT id FROM submission WHERE message_id LIKE 't10-root@%'")
FU=$(sql "SELECT id FROM submission WHERE message_id LIKE 't10-follow@%'")
like "$(tl list | grep -E "^ *$ROOT  ")" " 1 !  " "list marks the root row"
like "$(tl show "$ROOT" | grep '^Thread:')" \
	"follow-ups: #$FU \(1 attachment, GPS POSITION IN A PHOTO\)$" \
	"show of the root names the follow-up's photo and its GPS"
is "$(tl show "$ROOT" --json | python3 -c '
import json, sys
o = json.load(sys.stdin)
print(o["follow_ups"], o["follow_up_marks"])')" \
	"[$FU] [{'id': $FU, 'attachment_count': 1, 'has_gps': True, 'has_danger': False, 'quarantined': False}]" \
	"show --json: follow_up_marks beside follow_ups"
like "$(tl show "$FU" | grep '^Thread:')" "^Thread: +follow-up of #$ROOT$" \
	"a follow-up's own Thread line is unchanged"

# A follow-up that carries nothing adds nothing after its id.
cat > "$WORK/fu2.eml" <<MAIL
From: Nguyễn Văn A <reader.a@example.org>
To: tips@example.net
Subject: Re: more
Date: Mon, 30 Nov 2026 08:00:00 +0700
Message-ID: <t91-fu2@example.org>
In-Reply-To: <t10-root@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Nước đã rút.
MAIL
tl -q import "$WORK/fu2.eml"
FU2=$(sql "SELECT id FROM submission WHERE message_id = 't91-fu2@example.org'")
like "$(tl show "$ROOT" | grep '^Thread:')" \
	"follow-ups: #$FU2 #$FU \(1 attachment, GPS POSITION IN A PHOTO\)$" \
	"a plain follow-up is only its id"
