#!/bin/sh
# 43-desk-show.t - `tipline show`: the readable view, --json fields,
# --raw byte-exact, --headers without and with routing fields.
. "$(dirname "$0")/lib.sh"
D=$FIX/desk
export TZ=Asia/Ho_Chi_Minh

plan 24

tl -q import "$D"/*.eml; is "$?" 0 "import the desk fixtures"
DN=$(id_of desk01@example.org)
PHOTO=$(id_of desk03@example.org)
ROOT=$(id_of desk-orig@example.org)
F1=$(id_of desk-follow1@example.org)

tl show "$DN" >"$WORK/v"; is "$?" 0 "show exits 0"
like "$(grep '^From:' "$WORK/v")" 'Trần Thị B <reader.b@example.org>' \
	"the view names the sender"
like "$(grep '^Date:' "$WORK/v")" \
	'2024-06-04 21:03:00 \+07:00 \(Asia/Ho_Chi_Minh\)  2024-06-04T14:03:00Z \(UTC\)' \
	"the view gives the date local and UTC"
like "$(grep '^Subject:' "$WORK/v")" 'Đà Nẵng: nước ngập đường Bạch Đằng' \
	"the view gives the subject"
grep -q 'đường Bạch Đằng ở Đà Nẵng ngập sâu' "$WORK/v"; ok $? "the view has the text"
like "$(sed -n '/^History:/,$p' "$WORK/v" | sed -n 2p)" \
	'test-editor +ingest +- -> new' "the view has the history"

tl show "$PHOTO" >"$WORK/p"
like "$(grep -A3 '^Attachments' "$WORK/p" | tr '\n' ' ')" \
	'1\. cay-do\.jpg  image/jpeg .*sha256 [0-9a-f]{64}' \
	"attachments with type, size and SHA-256"
like "$(grep 'GPS position' "$WORK/p")" '! GPS position 21\.02880[0-9], 105\.85230[0-9]' \
	"the GPS warning gives the position"
like "$(grep '^Flags:' "$WORK/p")" 'GPS' "the flags say GPS"

# JSON: the fields of docs/json-schema.md.
tl show "$PHOTO" --json >"$WORK/j"; is "$?" 0 "show --json exits 0"
is "$(python3 - "$WORK/j" <<'EOF'
import json, sys
o = json.load(open(sys.argv[1]))
need = ["schema", "id", "status", "message_id", "from_name", "from_addr",
	"subject", "date_utc", "text", "html", "attachments", "forwarded",
	"is_auto_reply", "is_bounce", "is_spam", "has_gps",
	"charset_repaired", "legacy_font_hint", "warnings", "error", "source",
	"history", "follow_ups", "parent_id"]
missing = [k for k in need if k not in o]
a = o["attachments"][0]
anames = ["filename", "content_type", "size", "sha256", "disposition",
	"has_gps", "gps", "danger", "in_forwarded", "content_id"]
missing += ["attachments." + k for k in anames if k not in a]
print(" ".join(missing) or "ok")
EOF
)" ok "show --json has every documented member"
is "$(python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))
a = o["attachments"][0]
print(o["schema"], o["message_id"], o["date_utc"], a["filename"], a["size"],
	a["has_gps"], round(a["gps"]["lat"], 4), round(a["gps"]["lon"], 4),
	a["in_forwarded"], o["history"][0]["action"])' "$WORK/j")" \
	"tipline-json/1 desk03@example.org 2024-06-06T10:20:00Z cay-do.jpg 315 True 21.0288 105.8523 False ingest" \
	"show --json values"
is "$(tl show "$ROOT" --json | python3 -c '
import json, sys; o = json.load(sys.stdin); print(len(o["follow_ups"]), o["parent_id"])')" \
	"2 None" "show --json lists follow-ups"
is "$(tl show "$F1" --json | python3 -c '
import json, sys; print(json.load(sys.stdin)["parent_id"])')" "$ROOT" \
	"show --json gives a follow-up's parent"

# --raw is the original byte for byte.
tl show "$DN" --raw >"$WORK/raw"
cmp -s "$WORK/raw" "$D/01-danang.eml"; ok $? "show --raw is byte-exact"

# --headers: routing fields only with --routing; encoded words decoded.
tl show "$DN" --headers >"$WORK/h"
grep -q '^Received:' "$WORK/h"; is "$?" 1 "--headers hides Received"
grep -q '^DKIM-Signature:' "$WORK/h"; is "$?" 1 "--headers hides DKIM-Signature"
grep -q '^Message-ID: <desk01@example.org>' "$WORK/h"; ok $? "--headers shows Message-ID"
grep -q '^    = Đà Nẵng: nước ngập đường Bạch Đằng' "$WORK/h"; ok $? \
	"--headers adds the decoded subject"
tl show "$DN" --headers --routing >"$WORK/hr"
is "$(grep -c '^\(Received\|DKIM-Signature\|Authentication-Results\):' "$WORK/hr")" \
	3 "--headers --routing shows the routing fields"

tl show 999 >/dev/null 2>&1; is "$?" 65 "an unknown id exits 65"
tl show abc >/dev/null 2>&1; is "$?" 64 "a malformed id exits 64"
tl show "$DN" --raw --json >/dev/null 2>&1; is "$?" 64 "--raw with --json exits 64"
