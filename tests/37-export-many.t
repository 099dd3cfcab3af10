#!/bin/sh
# export of a message with many attachments writes every one, byte for
# byte as recorded at ingest (the message is parsed once for all of them:
# QA F33).
. "$(dirname "$0")/lib.sh"
plan 3
python3 - "$WORK/many.eml" <<'PY'
import base64, sys
parts = []
for i in range(300):
    data = bytes((i * 7 + k) % 256 for k in range(100 + i))
    parts.append('--b\r\nContent-Type: application/octet-stream\r\n'
                 'Content-Disposition: attachment; filename="f%03d.bin"\r\n'
                 'Content-Transfer-Encoding: base64\r\n\r\n%s\r\n'
                 % (i, base64.b64encode(data).decode()))
msg = ('From: Reader M <reader.m@example.org>\r\nSubject: many files\r\n'
       'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n'
       '\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee files\r\n'
       + ''.join(parts) + '--b--\r\n')
open(sys.argv[1], 'w', newline='').write(msg)
PY
tl import "$WORK/many.eml" 2>/dev/null
is "$(tj .attachment_count show 1)" 300 "300 attachments recorded"
mkdir "$WORK/out"
tl export 1 --to "$WORK/out" >/dev/null 2>"$WORK/err"; is "$?" 0 "export exits 0"
tj '.attachments[] | "\(.filename) \(.sha256)"' show 1 > "$WORK/sums"
n=0
for f in "$WORK"/out/*/attachments/f*.bin; do
	name=$(basename "$f")
	want=$(awk -v n="$name" '$1 == n { print $2 }' "$WORK/sums")
	[ "$(sha256sum "$f" | cut -d' ' -f1)" = "$want" ] && n=$((n + 1))
done
is "$n" 300 "every exported file has the SHA-256 recorded at ingest"
