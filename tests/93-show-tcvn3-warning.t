#!/bin/sh
# 93-show-tcvn3-warning.t - found in the editor trial
# (docs/dev/editor-trial.md): `show` of a TCVN3 mail labelled
# windows-1252 printed three warnings, two saying the same ("the text
# looks like a TCVN3 font hack: a converted copy follows the text" and
# "text written in the TCVN3 font encoding, not in its charset label: a
# copy converted to Unicode is kept beside the text as sent") and a third
# ("a wrong charset label was repaired") about the same label.  One
# warning now says it; --json keeps every flag as it was.
. "$(dirname "$0")/lib.sh"
plan 5

# "Cây đổ trên đường Lê Lợi." in TCVN3 (VN3 bytes, src/vnfont.c).
{
	printf 'From: Nguyễn Văn A <reader.a@example.org>\n'
	printf 'To: tips@example.net\nSubject: Cay do\n'
	printf 'Date: Mon, 30 Nov 2026 08:00:00 +0700\n'
	printf 'Message-ID: <t93-tcvn3@example.org>\nMIME-Version: 1.0\n'
	printf 'Content-Type: text/plain; charset=windows-1252\n'
	printf 'Content-Transfer-Encoding: 8bit\n\n'
	printf 'C\251y \256\346 tr\252n \256\255\352ng L\252 L\356i.\n'
} > "$WORK/tcvn3.eml"
tl -q import "$WORK/tcvn3.eml"
is "$?" 0 "the TCVN3 mail imports"
out=$(tl show 1)
like "$out" "^Cây đổ trên đường Lê Lợi\.$" "the converted text is shown"
is "$(printf '%s\n' "$out" | sed -n '/^Warnings:/,/^$/p' | grep -c '^  ')" 1 \
	"one warning line"
like "$(printf '%s\n' "$out" | sed -n '/^Warnings:/,/^$/p')" \
	"text written in the TCVN3 font encoding, not in its charset label" \
	"...the one that says what happened"
is "$(tl show 1 --json | python3 -c '
import json, sys
o = json.load(sys.stdin)
print(o["charset_repaired"], o["legacy_font_hint"],
      o["legacy_font_converted"]["text"].strip())')" \
	"True TCVN3 Cây đổ trên đường Lê Lợi." "--json keeps the flags"
