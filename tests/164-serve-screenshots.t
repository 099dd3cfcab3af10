#!/bin/sh
# 164-serve-screenshots.t - issue 12, Tests item 11: headless Chromium
# takes screenshots of the queue and of a submission with a Vietnamese
# subject and a photo, kept as artifacts for the closing note in
# build/screenshots/ (queue.png, submission.png) and in $TIPLINE_ARTIFACTS
# when set.  The subject is sent decomposed (NFD), as some Mac mailers
# write it: both pages show it composed (NFC), and the photo's thumbnail
# is loaded (naturalWidth > 0).
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
. "$TESTS/preview-lib.sh"
serve_need
browser_need
[ -x "$PREVIEW_BIN" ] || skip_all "$PREVIEW_BIN not built"
command -v ffmpeg >/dev/null 2>&1 ||
	skip_all "ffmpeg not installed (scripts/install-deps.sh)"
plan 10

SUBJECT='Ảnh ngập nước ở đường Lê Lợi sáng nay'
ffmpeg -nostdin -hide_banner -loglevel error -y -f lavfi \
	-i "testsrc2=s=1280x720" -frames:v 1 -q:v 3 "$WORK/photo.jpg"
/usr/bin/python3 - "$WORK" "$SUBJECT" <<'PY'
import sys, unicodedata
from email.message import EmailMessage
d, subject = sys.argv[1:]
m = EmailMessage()
m['From'] = 'Nguyễn Văn A <reader.a@example.org>'
m['To'] = 'tips@example.net'
m['Subject'] = unicodedata.normalize('NFD', subject)
m['Date'] = 'Wed, 02 Dec 2026 07:30:00 +0700'
m['Message-ID'] = '<shot-1@example.org>'
m.set_content('Chào toà soạn,\n\nNước ngập tới đầu gối từ 6 giờ sáng, '
              'xe máy chết máy hàng loạt. Ảnh tôi chụp lúc 7 giờ.\n\n'
              'Nguyễn Văn A\n')
m.add_attachment(open(d + '/photo.jpg', 'rb').read(), maintype='image',
                 subtype='jpeg', filename='ngập nước.jpg')
open(d + '/m.eml', 'wb').write(bytes(m))
PY
tl -q import "$FIX"/demo/*.eml "$WORK/m.eml"
is "$?" 0 "the demo mails and a photo with a Vietnamese subject imported"
ID=$(tl list --all --json | jq --arg s "$SUBJECT" \
	'.[] | select(.subject == $s) | .id')
mkdir -p "$WORK/bin"
cp "$TIPLINE_SERVE_BIN" "$WORK/bin/tipline-serve"
ln -sf "$PREVIEW_BIN" "$WORK/bin/tipline-preview"
TIPLINE_SERVE_BIN=$WORK/bin/tipline-serve
serve_local editor.a 'pw a'
serve_start
SHOTS=$TOP/build/screenshots
set -- "$SHOTS"
[ -z "${TIPLINE_ARTIFACTS:-}" ] || set -- "$@" "$TIPLINE_ARTIFACTS"
rm -f "$SHOTS/queue.png" "$SHOTS/submission.png"
browser_run shots editor.a 'pw a' "${ID:-0}" "$SUBJECT" "$@"
for name in "the queue lists the submissions" \
	"the queue shows the Vietnamese subject (NFC)" \
	"the submission page shows the Vietnamese subject (NFC)" \
	"the thumbnail is shown (naturalWidth > 0)" \
	"the screenshots are saved" \
	"no errors in the console (CSP included)"; do
	browser_ok "$name"
done
for f in queue submission; do
	is "$(head -c 8 "$SHOTS/$f.png" | od -An -tx1 | tr -d ' ')" \
		89504e470d0a1a0a "build/screenshots/$f.png is a PNG"
done
diag "thumbnail naturalWidth $(browser_value thumb-width);" \
	"screenshots in $*"
