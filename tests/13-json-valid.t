#!/bin/sh
# 13-json-valid.t - every --json output is valid JSON whatever the input
# (issue 9 section 4 item 4): control characters from a message reach the
# text, and json-glib 1.6 writes U+001F unescaped; detail_json_string()
# escapes what the generator misses.
. "$(dirname "$0")/lib.sh"
plan 7

# Text whose bytes are every control character (base64 of them, so the
# transfer encoding is valid), plus a raw U+001F in an 8-bit part and in
# the subject.
python3 - "$WORK" <<'PY'
import base64, sys
ctrl = bytes(range(1, 32)) + b' \x7f text'
msg = (b'From: Nguyen Van A <reader.a@example.org>\nTo: tinbandoc@example.net\n'
       b'Subject: ctrl \x1f unit separator\nDate: Tue, 11 Jun 2024 08:00:01 +0700\n'
       b'Message-ID: <json1@example.org>\nMIME-Version: 1.0\n'
       b'Content-Type: multipart/mixed; boundary="j1"\n\n--j1\n'
       b'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n' +
       base64.b64encode(ctrl) + b'\n--j1\nContent-Type: text/plain; charset=utf-8\n'
       b'Content-Transfer-Encoding: 8bit\n\nraw \x1f and \x1e here\n--j1--\n')
open(sys.argv[1] + '/ctrl.eml', 'wb').write(msg)
PY
valid() {	# stdin must be one JSON document (python's strict parser)
	python3 -c 'import json, sys; json.loads(sys.stdin.buffer.read().decode("utf-8"))' 2>&1
}
tl import "$WORK/ctrl.eml" 2>/dev/null; is "$?" 0 "a message full of control characters imports"
ID=$(id_of json1@example.org)
is "$(tj '.text | contains("\u001f")' show "$ID")" true \
	"its text keeps U+001F (the JSON must escape it)"
is "$(tl show "$ID" --json | valid)" "" "show --json is valid JSON"
is "$(tl list --json | valid)" "" "list --json is valid JSON"
is "$(tl search text --json | valid)" "" "search --json is valid JSON"
tl show "$ID" --json | grep -q '\\u001f'; ok $? "U+001F is written as \\u001f"
mkdir "$WORK/out"; tl export "$ID" --to "$WORK/out" >/dev/null 2>&1
is "$(find "$WORK/out" -name metadata.json -exec cat {} + | valid)" "" \
	"export's metadata.json is valid JSON"
