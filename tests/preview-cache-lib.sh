# tests/preview-cache-lib.sh - shared by the preview cache tests (145-149),
# sourced after lib.sh and preview-lib.sh.
#
# pc_setup: the fixtures (preview_setup), and $WORK/bin/tipline, a copy of
# $TIPLINE_BIN with a worker beside it (preview_get looks there) that is
# a wrapper: each run appends a line to $RUNS, then the real worker runs.
# tlp runs that copy.  pc_noworker removes the worker: a run that still
# needs one then fails (no preview is made without it).
RUNS=$WORK/worker-runs
pc_setup() {
	preview_setup
	mkdir -p "$WORK/bin"
	cp "$TIPLINE_BIN" "$WORK/bin/tipline"
	printf '#!/bin/sh\necho run >> "%s"\nexec "%s" "$@"\n' \
		"$RUNS" "$PREVIEW_BIN" > "$WORK/bin/tipline-preview"
	chmod +x "$WORK/bin/tipline-preview"
	: > "$RUNS"
}
pc_noworker() { rm -f "$WORK/bin/tipline-preview"; }
tlp() { "$WORK/bin/tipline" --config "$CONF" "$@"; }
runs() { wc -l < "$RUNS" | tr -d ' '; }

# mkmail OUT SUBJECT NAME=FILE...: a message from a placeholder reader
# with each FILE attached (base64) under NAME, typed by its extension.
mkmail() {
	python3 - "$@" <<'PY'
import sys
from email.message import EmailMessage
out, subject = sys.argv[1], sys.argv[2]
types = {'jpg': ('image', 'jpeg'), 'mp4': ('video', 'mp4'),
         'png': ('image', 'png')}
m = EmailMessage()
m['From'] = 'Nguyễn Văn A <reader.a@example.org>'
m['To'] = 'tips@example.net'
m['Subject'] = subject
m['Date'] = 'Mon, 30 Nov 2026 08:00:00 +0700'
m['Message-ID'] = '<%s@example.org>' % subject.replace(' ', '-')
m.set_content('Ảnh và clip gửi toà soạn.\n')
for arg in sys.argv[3:]:
    name, path = arg.split('=', 1)
    ext = name.rsplit('.', 1)[-1].lower()
    mt, st = types.get(ext, ('application', 'octet-stream'))
    m.add_attachment(open(path, 'rb').read(), maintype=mt, subtype=st,
                     filename=name)
open(out, 'wb').write(bytes(m))
PY
}

# jpeg_of ID IDX FILE: write the cached JPEG of attachment IDX of #ID
# (through hex: SQLite's writefile() has no PostgreSQL twin; python3,
# since xxd is not in a minimal Debian).
jpeg_of() {
	if on_pg; then _hex="encode(p.jpeg, 'hex')"; else _hex="hex(p.jpeg)"; fi
	sql "SELECT $_hex FROM preview p JOIN attachment a
	     ON a.id = p.attachment_id WHERE a.submission_id = $1
	     AND a.idx = $2" | python3 -c 'import sys
sys.stdout.buffer.write(bytes.fromhex(sys.stdin.read().strip()))' > "$3"
}
