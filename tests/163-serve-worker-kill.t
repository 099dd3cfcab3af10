#!/bin/sh
# 163-serve-worker-kill.t - issue 12, Tests item 8 (last part): killing
# the preview worker in the middle of a decode leaves the desk
# answering.  A submission has a PNG the worker takes seconds to decode
# (10900x10900 16-bit RGBA, 119 Mpx: under the 120 Mpx limit, about 1 MB
# of zeros deflated) and a small JPEG.  While the submission's page
# waits for the PNG's thumbnail, the test kills that worker with SIGKILL
# once it has used CPU time: the page still answers 200, the PNG's slot
# says "no preview" and the JPEG's thumbnail is there; the queue answers
# 200; the server runs on.  The killed decode is remembered as "no
# preview" with the worker's end as the reason, like any failed decode,
# so that a file that kills its worker is not decoded on every view:
# the next view runs no worker.
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
. "$TESTS/preview-lib.sh"
serve_need
[ -x "$PREVIEW_BIN" ] || skip_all "$PREVIEW_BIN not built"
command -v ffmpeg >/dev/null 2>&1 ||
	skip_all "ffmpeg not installed (scripts/install-deps.sh)"
plan 13

ffmpeg -nostdin -hide_banner -loglevel error -y -f lavfi \
	-i "testsrc2=s=640x480" -frames:v 1 "$WORK/photo.jpg"
/usr/bin/python3 - "$WORK" <<'PY'
import struct, sys, zlib
from email.message import EmailMessage
d = sys.argv[1]
w = h = 10900
row = b'\0' * (1 + w * 8)
z = zlib.compressobj(9)
idat = b''.join(z.compress(row) for _ in range(h)) + z.flush()
def chunk(t, b):
    return struct.pack('>I', len(b)) + t + b + \
        struct.pack('>I', zlib.crc32(t + b) & 0xffffffff)
png = b'\x89PNG\r\n\x1a\n' + \
    chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 16, 6, 0, 0, 0)) + \
    chunk(b'IDAT', idat) + chunk(b'IEND', b'')
m = EmailMessage()
m['From'] = 'Nguyễn Văn A <reader.a@example.org>'
m['To'] = 'tips@example.net'
m['Subject'] = 'Ảnh rất lớn'
m['Date'] = 'Tue, 01 Dec 2026 08:00:00 +0700'
m['Message-ID'] = '<slow-png@example.org>'
m.set_content('Một ảnh rất lớn và một ảnh nhỏ.\n')
m.add_attachment(png, maintype='image', subtype='png', filename='lon.png')
m.add_attachment(open(d + '/photo.jpg', 'rb').read(), maintype='image',
                 subtype='jpeg', filename='nho.jpg')
open(d + '/m.eml', 'wb').write(bytes(m))
PY
tl -q import "$WORK/m.eml"
is "$?" 0 "a mail with a slow PNG and a small JPEG imported"
ID=$(tl list --all --json | jq '.[0].id')

# The desk runs the worker beside itself: a wrapper that counts its runs
# and execs the real worker (same process, so the kill reaches it).
RUNS=$WORK/worker-runs
: > "$RUNS"
mkdir -p "$WORK/bin"
cp "$TIPLINE_SERVE_BIN" "$WORK/bin/tipline-serve"
printf '#!/bin/sh\necho run >> "%s"\nexec "%s" "$@"\n' "$RUNS" \
	"$PREVIEW_BIN" > "$WORK/bin/tipline-preview"
chmod +x "$WORK/bin/tipline-preview"
TIPLINE_SERVE_BIN=$WORK/bin/tipline-serve
serve_local editor.a 'pw a'
serve_start
login editor.a 'pw a' "$WORK/jar" >/dev/null

# ticks PID: the CPU time (user + system, clock ticks) PID has used.
ticks() {
	sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }'
}
# worker: the pid of the serve's child running tipline-preview, or "".
worker() {
	for _p in $(ps -o pid= --ppid "$SERVE_PID" 2>/dev/null); do
		[ "$(cat "/proc/$_p/comm" 2>/dev/null)" = tipline-preview ] &&
			echo "$_p" && return
	done
}

hc --max-time 120 -b "$WORK/jar" -o "$WORK/page" -w '%{http_code}' \
	"$BASE/s/$ID" > "$WORK/code" &
PAGE=$!
wpid=
for _i in $(seq 1 600); do
	wpid=$(worker)
	[ -n "$wpid" ] && break
	sleep 0.1
done
busy=0
if [ -n "$wpid" ]; then
	for _i in $(seq 1 300); do
		t=$(ticks "$wpid")
		[ -n "$t" ] && [ "$t" -ge 5 ] && { busy=1; break; }
		[ -z "$t" ] && break
		sleep 0.05
	done
	kill -9 "$wpid" 2>/dev/null
fi
is "$busy" 1 "the PNG's worker ran and was decoding (CPU time used)"
wait "$PAGE"
is "$(cat "$WORK/code")" 200 "the submission's page answers 200 all the same"
is "$(grep -o '<p class="nopreview">no preview</p>' "$WORK/page" | wc -l |
	tr -d ' ')" 1 "one slot says no preview: the PNG's"
is "$(grep -c "<img src=\"/s/$ID/a/1/thumb\"" "$WORK/page")" 1 \
	"the JPEG's thumbnail is on the page"
kill -0 "$SERVE_PID" 2>/dev/null
is "$?" 0 "the server is still running"
is "$(status -b "$WORK/jar" "$BASE/")" 200 "the queue answers 200"
is "$(status -b "$WORK/jar" "$BASE/s/$ID/a/0/thumb")" 404 \
	"the PNG's thumbnail route: 404, no preview"
hc -b "$WORK/jar" -D "$WORK/h" -o "$WORK/t.jpg" "$BASE/s/$ID/a/1/thumb"
is "$(tr -d '\r' < "$WORK/h" | head -1 | cut -d' ' -f2)/$(head -c 2 \
	"$WORK/t.jpg" | od -An -tx1 | tr -d ' ')" 200/ffd8 \
	"the JPEG's thumbnail route: 200, a JPEG"
like "$(sql "SELECT reason FROM preview WHERE status = 'none'")" \
	"killed by signal 9" "the PNG is remembered as no preview: killed"
runs=$(wc -l < "$RUNS" | tr -d ' ')
is "$runs" 2 "the worker ran twice: the PNG (killed) and the JPEG"
is "$(status -b "$WORK/jar" "$BASE/s/$ID")" 200 "the page answers 200 again"
is "$(wc -l < "$RUNS" | tr -d ' ')" "$runs" \
	"and runs no worker: the killed decode is not retried on every view"
