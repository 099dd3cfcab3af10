#!/bin/sh
# 162-serve-browser-seek.t - issue 12, Tests item 7 (the browser part):
# a 45 s clip made here with Debian's ffmpeg, VP9 in MP4 (a codec and
# container Debian's Chromium plays; H.264 depends on how Chromium was
# built), imported as an attachment; headless Chromium opens its page,
# loads the <video>, sets currentTime = 30 and waits for 'seeked':
# currentTime is 30 s, and the clip route answered the video's Range
# requests with 206 (seen in DevTools' network events).
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
. "$TESTS/preview-lib.sh"
serve_need
browser_need
command -v ffmpeg >/dev/null 2>&1 ||
	skip_all "ffmpeg not installed (scripts/install-deps.sh)"
plan 8

# Moov at the end (no faststart), as phones often write it: the browser
# must ask for the end of the file with a Range before it can play.
ffmpeg -nostdin -hide_banner -loglevel error -y \
	-f lavfi -i "testsrc2=s=320x180:r=10:d=45" -c:v libvpx-vp9 \
	-deadline realtime -cpu-used 8 -b:v 100k -g 20 -f mp4 \
	"$WORK/clip.mp4" || skip_all "ffmpeg cannot write VP9 in MP4"
/usr/bin/python3 - "$WORK/m.eml" "$WORK/clip.mp4" <<'PY'
import sys
from email.message import EmailMessage
out, mp4 = sys.argv[1:]
m = EmailMessage()
m['From'] = 'Nguyễn Văn A <reader.a@example.org>'
m['To'] = 'tips@example.net'
m['Subject'] = 'Clip 45 giây'
m['Date'] = 'Tue, 01 Dec 2026 08:00:00 +0700'
m['Message-ID'] = '<clip-45@example.org>'
m.set_content('Clip dài, xem từ giây 30.\n')
m.add_attachment(open(mp4, 'rb').read(), maintype='video',
                 subtype='mp4', filename='clip dài.mp4')
open(out, 'wb').write(bytes(m))
PY
tl -q import "$WORK/m.eml"
is "$?" 0 "a mail with a 45 s VP9/MP4 clip imported"
ID=$(tl list --all --json | jq '.[0].id')
# The desk finds its preview worker beside itself (a still of the clip).
mkdir -p "$WORK/bin"
cp "$TIPLINE_SERVE_BIN" "$WORK/bin/tipline-serve"
ln -sf "$PREVIEW_BIN" "$WORK/bin/tipline-preview"
TIPLINE_SERVE_BIN=$WORK/bin/tipline-serve
serve_local editor.a 'pw a'
serve_start
browser_run seek editor.a 'pw a' "$ID"
for name in "the video loads its metadata and seeks" \
	"the clip lasts 40 s or more" \
	"currentTime is 30 s after 'seeked'" \
	"the server answered the video's Range requests with 206" \
	"no errors in the console (CSP included)"; do
	browser_ok "$name"
done
diag "canPlayType VP9/MP4: $(browser_value canPlayType-vp9-mp4);" \
	"duration $(browser_value duration) s;" \
	"currentTime $(browser_value currentTime) s;" \
	"seek $(browser_value seek-ms) ms;" \
	"clip answers: $(browser_value clip-answers)"
like "$(browser_value clip-answers)" "206" \
	"the clip answers include a 206"
