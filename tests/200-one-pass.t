#!/bin/sh
# 200-one-pass.t - the limit scan rides on the read that feeds GMime
# (lib/mime/mime-scanstream.c; docs/performance.md "One pass"): the unit
# test compares it with a scan in a read of its own (every parse fixture,
# and messages made to hit the seams of its 256 KiB read-ahead), and a
# 30 MB message with a photo in base64 is stored byte-exact, its photo's
# size and SHA-256 what Python computes from the same bytes.
. "$(dirname "$0")/lib.sh"
plan 7

UNIT=$TOP/build/tests/test-onepass
if [ -x "$UNIT" ]; then
	G_TEST_SRCDIR=$TESTS/unit "$UNIT" >"$WORK/unit.out" 2>&1
	ok "$?" "one read and two give the same scan and parse (test-onepass)"
	[ "$?" = 0 ] || sed 's/^/# /' "$WORK/unit.out" | tail -20
else
	ok 1 "$UNIT not built (make unit)"
fi

# A deterministic 30 MB message: CRLF, a text part and a JPEG-like photo
# (SHA-256 counter bytes) in base64, 76 columns.
python3 - "$WORK/big.eml" "$WORK/want" <<'PY'
import base64, hashlib, sys
n = 22 * 1000 * 1000
b = bytearray(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
i = 0
while len(b) < n:
    b += hashlib.sha256(b"%d" % i).digest()
    i += 1
del b[n:]
b[-2:] = b"\xff\xd9"
body = base64.encodebytes(bytes(b)).replace(b"\n", b"\r\n")
head = (b"From: =?UTF-8?B?Tmd1eeG7hW4gVsSDbiBB?= <reader.a@example.org>\r\n"
        b"To: tips@example.net\r\nSubject: big photo\r\n"
        b"Message-ID: <big-photo@example.org>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
        b"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Ng\xe1\xba\xadp n\xc6\xb0\xe1\xbb\x9bc.\r\n"
        b"--b1\r\nContent-Type: image/jpeg; name=\"photo.jpg\"\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n")
open(sys.argv[1], "wb").write(head + body + b"--b1--\r\n")
open(sys.argv[2], "w").write("%d %s\n" % (n, hashlib.sha256(b).hexdigest()))
PY
tl import "$WORK/big.eml" 2>/dev/null; is "$?" 0 "the 30 MB message imports"
ID=$(tj '.[0].id' list --all)
is "$(tj .status show "$ID")" new "it is new, not quarantined"
is "$(tj .raw_size show "$ID")" "$(wc -c < "$WORK/big.eml" | tr -d ' ')" \
	"raw_size is the file's size"
tl show "$ID" --raw > "$WORK/big.out"
cmp -s "$WORK/big.eml" "$WORK/big.out"; is "$?" 0 \
	"the original comes back byte-exact"
is "$(tj '.attachments[0] | "\(.size) \(.sha256)"' show "$ID")" \
	"$(cat "$WORK/want")" "the photo's size and SHA-256 are the decoded bytes'"
is "$(tj .text show "$ID")" "Ngập nước." "the text part"
