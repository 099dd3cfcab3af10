#!/bin/sh
# Export names safe on the file systems editors copy to (issue 9 §2):
# names differing only in case get a suffix, Windows device names (also
# COM¹, CONIN$) are renamed, look-alikes of '/' and '.' are replaced,
# names made only of invisible characters get a generated name, trailing
# dots and spaces go, and Vietnamese stays intact (NFC).  The unit tests
# (tests/unit/test-security.c) cover the rules one by one.
. "$(dirname "$0")/lib.sh"
plan 5

UNIT=$TOP/build/tests/test-security
if [ -x "$UNIT" ]; then
	"$UNIT" --tap > "$WORK/unit" 2>&1; rc=$?
	[ $rc = 0 ] || sed 's/^/# /' "$WORK/unit"
	is "$rc" 0 "unit tests: safename, safefile, nodump ($(grep -c '^ok' "$WORK/unit") passed)"
else
	ok 0 "# SKIP $UNIT not built (make unit)"
fi

# One tip carrying attachments with such names (RFC 2231, UTF-8).
python3 - "$WORK/names.eml" <<'PY'
import sys, unicodedata, urllib.parse
names = [
    "Photo.JPG", "photo.jpg", "CON.txt", "COM\u00b9.txt", "CONIN$",
    "a\uff0fb.pdf", "h\u00f3a \u0111\u01a1n\u22152026.pdf", "x\u2044y.txt",
    "b\u00e1o c\u00e1o\uff0epdf", "\u200b\u200b", "\u202e\u200f",
    unicodedata.normalize("NFD", "\u1ea2nh hi\u1ec7n tr\u01b0\u1eddng.jpg"),
    "notes.txt. . ", "run\u2024exe",
]
parts = []
for i, n in enumerate(names):
    enc = urllib.parse.quote(n.encode("utf-8"), safe="")
    parts.append("--b\r\nContent-Type: application/octet-stream\r\n"
                 "Content-Disposition: attachment; filename*=UTF-8''%s\r\n"
                 "\r\nfile %d\r\n" % (enc, i + 1))
msg = ("From: =?UTF-8?Q?Nguy=E1=BB=85n_V=C4=83n_A?= <reader.a@example.org>\r\n"
       "To: tips@example.net\r\nSubject: Ten tep\r\n"
       "Message-ID: <names.1@example.org>\r\n"
       "Date: Tue, 01 Dec 2026 08:00:00 +0700\r\nMIME-Version: 1.0\r\n"
       "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
       "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nT\u1ec7p.\r\n"
       .encode("utf-8").decode("latin-1")
       + "".join(parts) + "--b--\r\n")
open(sys.argv[1], "w", encoding="latin-1", newline="").write(msg)
PY
tl -q import "$WORK/names.eml"
mkdir "$WORK/out"
# Names, not dangers, are tested here: dangerous files are written too
# (export holds them back by default, issue 10).
tl export 1 --to "$WORK/out" --include-dangerous >/dev/null 2>"$WORK/err"; is "$?" 0 "export exits 0"
got=$(cd "$WORK"/out/*/attachments && ls -1 | LC_ALL=C sort)
want=$(LC_ALL=C sort <<'NAMES'
Photo.JPG
photo-2.jpg
_CON.txt
_COM¹.txt
_CONIN$
a_b.pdf
hóa đơn_2026.pdf
x_y.txt
báo cáo_pdf
attachment-10
attachment-11
Ảnh hiện trường.jpg
notes.txt
run_exe
NAMES
)
is "$got" "$want" "every attachment under a name safe on Windows, macOS and FAT"
check=$(python3 - "$WORK"/out/*/attachments <<'PY'
import os, sys, unicodedata
names = os.listdir(sys.argv[1])
folded = {unicodedata.normalize("NFC", n).casefold() for n in names}
print(len(names) - len(folded),
      sum(unicodedata.normalize("NFC", n) != n for n in names))
PY
)
is "${check% *}" 0 "no two names equal but for case"
is "${check#* }" 0 "every name is NFC"
