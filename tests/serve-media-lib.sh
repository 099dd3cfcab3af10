# tests/serve-media-lib.sh - shared by the media route tests of tipline
# serve (126-128), sourced after lib.sh, serve-lib.sh and preview-lib.sh.
#
# media_setup: the preview fixtures (preview_setup: a JPEG and a 3 s
# MP4 made with ffmpeg), a mail with photo.jpg, clip.mp4, an HTML file
# whose name needs escaping and a dangerous file (JPEG bytes named .scr), imported by `tipline import`; a copy
# of tipline-serve in $WORK/bin with the worker beside it (preview_get
# looks there, also for the sanitizer build); an editor logged in
# (cookies in $WORK/jar); $ID the submission.
media_setup() {
	preview_setup
	mkdir -p "$WORK/bin"
	cp "$TIPLINE_SERVE_BIN" "$WORK/bin/tipline-serve"
	ln -sf "$PREVIEW_BIN" "$WORK/bin/tipline-preview"
	TIPLINE_SERVE_BIN=$WORK/bin/tipline-serve
	printf '<html><body><script>alert(1)</script>Tin nóng</body>\n' \
		> "$WORK/page.html"
	python3 - "$WORK/m.eml" "$FX/portrait.jpg" "$FX/clip.mp4" \
		"$WORK/page.html" <<'PY'
import sys
from email.message import EmailMessage
out, jpg, mp4, html = sys.argv[1:]
m = EmailMessage()
m['From'] = 'Nguyễn Văn A <reader.a@example.org>'
m['To'] = 'tips@example.net'
m['Subject'] = 'Ảnh và clip'
m['Date'] = 'Mon, 30 Nov 2026 08:00:00 +0700'
m['Message-ID'] = '<media-1@example.org>'
m.set_content('Ảnh, clip và trang web gửi toà soạn.\n')
m.add_attachment(open(jpg, 'rb').read(), maintype='image',
                 subtype='jpeg', filename='ảnh "1".jpg')
m.add_attachment(open(mp4, 'rb').read(), maintype='video',
                 subtype='mp4', filename='clip.mp4')
m.add_attachment(open(html, 'rb').read(), maintype='text',
                 subtype='html', filename='tin <nóng>.html')
m.add_attachment(open(jpg, 'rb').read(), maintype='image',
                 subtype='jpeg', filename='photo.jpg.scr')
open(out, 'wb').write(bytes(m))
PY
	tl -q import "$WORK/m.eml" || return 1
	ID=$(tl list --all --json | jq '.[0].id')
	serve_local editor.a 'pw a'
	serve_start
	[ "$(login editor.a 'pw a' "$WORK/jar")" = 303 ]
}

# hdr FILE NAME: the value of header NAME in the dumped headers FILE.
hdr() {
	tr -d '\r' < "$1" | grep -i "^$2:" | head -1 | sed 's/^[^:]*: //'
}
