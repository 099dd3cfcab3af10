#!/bin/sh
# 167-serve-slow-preview.t - one slow request no longer blocks the desk
# (issue 12): each request has a store connection of its own (serve/
# pool.c), so while a thumbnail is being made by a worker that takes 8 s,
# the queue and another submission's page still answer (curl's 5 s
# limit), and the slow request then completes.  The worker beside a copy
# of tipline-serve is a wrapper that says when it starts, then sleeps.
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
serve_need
PREVIEW_BIN=${TIPLINE_PREVIEW_BIN:-$TOP/tipline-preview}
[ -x "$PREVIEW_BIN" ] || { echo "Bail out! no worker at $PREVIEW_BIN"; exit 1; }
plan 5

mkdir -p "$WORK/m" "$WORK/bin"
python3 "$TESTS/media-fixtures.py" "$WORK/m"
tl import "$WORK/m/portrait.jpg.eml" >/dev/null 2>&1
JPG=$(tl list --json |
	jq -r '.[] | select(.subject == "media portrait.jpg") | .id')
cp "$TIPLINE_SERVE_BIN" "$WORK/bin/tipline-serve"
printf '#!/bin/sh\n: > "%s"\nsleep 8\nexec "%s" "$@"\n' \
	"$WORK/started" "$PREVIEW_BIN" > "$WORK/bin/tipline-preview"
chmod +x "$WORK/bin/tipline-preview"
TIPLINE_SERVE_BIN=$WORK/bin/tipline-serve

printf 'proxy-secret-1\n' > "$WORK/proxy.secret"
chmod 600 "$WORK/proxy.secret"
printf '[serve]\nauth = proxy\nproxy_secret_file = %s\n' \
	"$WORK/proxy.secret" >>"$CONF"
serve_start
H1='X-Remote-User: editor.a'
H2='X-Tipline-Proxy-Secret: proxy-secret-1'

# The slow one: the JPEG's thumbnail, made now by the sleeping worker.
curl -s --max-time 60 -H "$H1" -H "$H2" -o /dev/null -w '%{http_code}' \
	"$BASE/s/$JPG/a/0/thumb" > "$WORK/slow.code" &
SLOW=$!
for _i in $(seq 1 100); do
	[ -e "$WORK/started" ] && break
	sleep 0.1
done
ok "$([ -e "$WORK/started" ]; echo $?)" "the worker is making the thumbnail"

# Meanwhile (within curl's 5 s, while the worker still sleeps).
is "$(status -H "$H1" -H "$H2" "$BASE/")" 200 \
	"the queue answers while the thumbnail is being made"
is "$(status -H "$H1" -H "$H2" "$BASE/audit")" 200 \
	"... and so does the audit log"
kill -0 "$SLOW" 2>/dev/null
ok "$?" "... and the slow request was still in flight"
wait "$SLOW"
is "$(cat "$WORK/slow.code")" 200 "the thumbnail then arrives (200)"
