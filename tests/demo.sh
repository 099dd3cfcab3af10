#!/bin/sh
# demo.sh - `make demo`: a private Dovecot on loopback, seeded with the
# sample inbox in tests/data/demo/ (Vietnamese reader submissions: a tip
# with a photo, an HTML-only mail, an auto-reply, a forwarded notice, an
# opinion, a follow-up), one `tipline fetch`, then the queue, then the
# browser desk (`tipline serve`): started on a free loopback port, a login
# and the queue page checked, stopped again.
#
# Never touches the system Dovecot; leaves nothing running. Everything lives
# in a temporary directory that is removed at the end, unless KEEP_DEMO=1,
# in which case the database and config stay for you to explore (Dovecot is
# stopped either way).
#
# env: TIPLINE_BIN (default ./tipline), KEEP_DEMO=1
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${TIPLINE_BIN:-$TOP/tipline}
FIXTURE=$TOP/tests/fixture
DATA=$TOP/tests/data/demo
DOVECOT_DIR=
WORK=
SERVE_PID=

cleanup() {
	rc=$?
	if [ -n "$SERVE_PID" ]; then
		kill "$SERVE_PID" 2>/dev/null || true
		wait "$SERVE_PID" 2>/dev/null || true
	fi
	if [ -n "$DOVECOT_DIR" ] && [ -d "$DOVECOT_DIR" ]; then
		"$FIXTURE/stop.sh" "$DOVECOT_DIR" >/dev/null 2>&1 || true
	fi
	if [ -n "$WORK" ] && [ -z "${KEEP_DEMO:-}" ]; then
		rm -rf "$WORK"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# now_ms: wall clock in milliseconds (GNU date).
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# ms_to_s MS: "0.123"
ms_to_s() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }
say() { printf '\n== %s\n' "$*"; }

if [ ! -x "$BIN" ]; then
	echo "demo.sh: $BIN not built; run make demo" >&2
	exit 1
fi
if [ ! -x "$FIXTURE/start.sh" ]; then
	echo "demo.sh: $FIXTURE/start.sh missing" >&2
	exit 1
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tipline-demo.XXXXXX")
say "Starting a private Dovecot on 127.0.0.1 (not the system service)"
DOVECOT_DIR=$(IMAP_PORT=auto "$FIXTURE/start.sh")
# shellcheck disable=SC1091
. "$DOVECOT_DIR/env"
echo "IMAPS port $IMAPS_PORT, self-signed certificate $IMAP_CAFILE"

set -- "$DATA"/*.eml
n=$#
"$FIXTURE/seed-maildir.sh" "$DOVECOT_DIR" -f "$DATA"/*.eml
echo "seeded INBOX with $n sample messages from tests/data/demo/"

# The password lives in a file only its owner can read (tipline refuses a
# password file that others can read); the config points at it.
umask 077
printf '%s\n' "$IMAP_PASS" > "$WORK/tips.pass"
chmod 600 "$WORK/tips.pass"
mkdir -p "$WORK/spool"
cat > "$WORK/tipline.conf" <<EOF
; written by tests/demo.sh
[store]
database = $WORK/tipline.db
spool_dir = $WORK/spool

[mailbox tips]
url = imaps://127.0.0.1:$IMAPS_PORT/INBOX
username = $IMAP_USER
password_file = $WORK/tips.pass
cafile = $IMAP_CAFILE
EOF
umask 022
tl() { "$BIN" --config "$WORK/tipline.conf" "$@"; }

say "tipline fetch"
t0=$(now_ms)
rc=0
tl fetch || rc=$?
t1=$(now_ms)
FETCH_MS=$((t1 - t0))
echo "fetch exited $rc after $(ms_to_s $FETCH_MS) s ($n messages on the server)"
if [ "$rc" != 0 ]; then
	echo "demo.sh: tipline fetch failed (exit $rc)" >&2
	exit 1
fi

say "tipline list --all   (every submission, newest first; follow-ups folded into their thread)"
tl list --all

say "tipline list   (what needs an editor: new, quarantined, too_large)"
tl list

stored=$(tl list --all --flat --json | python3 -c \
    'import json, sys; print(len(json.load(sys.stdin)))')

say "tipline fetch again (nothing new: stores nothing)"
t0=$(now_ms)
rc=0
tl fetch || rc=$?
t1=$(now_ms)
echo "second fetch exited $rc after $(ms_to_s $((t1 - t0))) s"
again=$(tl list --all --flat --json | python3 -c \
    'import json, sys; print(len(json.load(sys.stdin)))')

# The photo tip, as an editor reads it: attachments, GPS warning.
first=$(tl list --all --flat --json | python3 -c '
import json, sys
for s in json.load(sys.stdin):
    if s.get("attachment_count", 0) > 0 and \
       s.get("from_addr") == "reader.a@example.org":
        print(s["id"]); break')
if [ -n "$first" ]; then
	say "tipline show $first   (the photo tip)"
	tl show "$first" || echo "(show exited $?)"
fi

say "tipline search 'da nang'   (typed without Vietnamese diacritics)"
tl search 'da nang' || echo "(search exited $?)"

# The browser desk: one editor with a random password (set through
# tipline passwd, standard input), a free loopback port, the queue page
# fetched as that editor, then stopped: make demo leaves nothing running.
say "tipline serve   (the browser desk)"
port=$(python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pw=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
cat >> "$WORK/tipline.conf" <<EOF

[serve]
listen = 127.0.0.1:$port
auth = local
editors_file = $WORK/editors
EOF
printf '%s\n' "$pw" | tl passwd demo >/dev/null
# not through tl(): $! must be the server itself (tipline execs
# tipline-serve in place), not a subshell that would outlive the kill
"$BIN" --config "$WORK/tipline.conf" serve > "$WORK/serve.log" 2>&1 &
SERVE_PID=$!
desk=
for _i in $(seq 1 50); do
	if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
		desk=up
		break
	fi
	kill -0 "$SERVE_PID" 2>/dev/null || break
	sleep 0.1
done
page=
if [ "$desk" = up ]; then
	curl -s --max-time 5 -c "$WORK/jar" -o /dev/null \
	    --data-urlencode "editor=demo" --data-urlencode "password=$pw" \
	    "http://127.0.0.1:$port/login"
	page=$(curl -s --max-time 5 -b "$WORK/jar" "http://127.0.0.1:$port/")
fi
kill "$SERVE_PID" 2>/dev/null || true
wait "$SERVE_PID" 2>/dev/null || true
SERVE_PID=
queue_rows=$(printf '%s' "$page" | grep -c 'href="/s/[0-9]' || true)
if [ "$desk" != up ] || [ "$queue_rows" = 0 ]; then
	echo "demo.sh: the browser desk did not answer with the queue:" >&2
	cat "$WORK/serve.log" >&2
	exit 1
fi
echo "the desk answered at http://127.0.0.1:$port/ as editor demo: the" \
    "queue page links $queue_rows submission(s); stopped again"
if [ -n "${KEEP_DEMO:-}" ]; then
	(umask 077; printf '%s\n' "$pw" > "$WORK/demo.password")
	echo "to start it again: $BIN --config $WORK/tipline.conf serve"
	echo "  then log in at http://127.0.0.1:$port/ as demo, password in" \
	    "$WORK/demo.password"
else
	echo "to start it again: KEEP_DEMO=1 make demo prints the command"
fi

say "Summary"
echo "sample inbox: $n messages; in the queue after fetch: $stored;" \
    "after a second fetch: $again"
echo "fetch time for the demo inbox: $(ms_to_s $FETCH_MS) s"
if [ -n "${KEEP_DEMO:-}" ]; then
	echo "kept: $WORK (try: $BIN --config $WORK/tipline.conf list --all)"
fi
if [ "$stored" != "$n" ] || [ "$again" != "$n" ]; then
	echo "demo.sh: expected $n submissions in the queue" >&2
	exit 1
fi
