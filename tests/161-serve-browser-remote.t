#!/bin/sh
# 161-serve-browser-remote.t - issue 12, Tests item 3: an HTML mail whose
# remote image points at a loopback listener the test runs
# (tests/count-conns.py): headless Chromium opens its page on the desk;
# no connection reaches the listener, the page asks for nothing there,
# and it says one remote image was removed.  The control: a direct
# visit from the same browser does reach the listener.
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
serve_need
browser_need
plan 9

LISTENER=
_remote_cleanup() {
	[ -z "$LISTENER" ] || kill "$LISTENER" 2>/dev/null
	_serve_cleanup
}
trap _remote_cleanup EXIT
/usr/bin/python3 "$TESTS/count-conns.py" "$WORK/port" "$WORK/conns" &
LISTENER=$!
for _i in $(seq 1 300); do
	[ -s "$WORK/port" ] && break
	sleep 0.1
done
LPORT=$(cat "$WORK/port" 2>/dev/null)
[ -n "$LPORT" ] || { echo "Bail out! the listener did not start"; exit 1; }

sed "s/@PORT@/$LPORT/" "$FIX/serve/remote-image.eml" > "$WORK/m.eml"
tl -q import "$WORK/m.eml"
is "$?" 0 "an HTML mail with a remote image on 127.0.0.1:$LPORT imported"
ID=$(tl list --all --json | jq '.[0].id')
serve_local editor.a 'pw a'
serve_start
browser_run remote editor.a 'pw a' "$ID" "$LPORT" "$WORK/conns"
for name in "the page says one remote image was removed" \
	"the page asked for nothing on the listener" \
	"the page has no image element" \
	"no connection reached the listener" \
	"a direct visit reaches the listener (the control)" \
	"no errors in the console (CSP included)"; do
	browser_ok "$name"
done
is "$(browser_value connections)" 0 "0 connections before the control"
