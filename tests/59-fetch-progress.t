#!/bin/sh
# Issue 10 item 8: a long fetch printed nothing. On a terminal fetch now
# shows, per mailbox, messages and bytes done of those to fetch; never
# under cron (stderr not a terminal) nor with -q. The core reports through
# a callback; only cmd-fetch.c prints. The terminal is a pseudo-terminal
# made by python's pty module.
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
dovecot_need
plan 9

gen_msgs "$WORK/m" prog 30 200
# setup TAG: folder P$TAG with the 30 messages, a fresh config $C.
setup() {
	seed_folder "P$1" "$WORK"/m/*.eml >/dev/null
	C=$WORK/$1.conf
	new_conf "$C" "$WORK/$1.db"
	mailbox_conf "$C" "box$1" "P$1"
}
# on_tty ARGS...: run tipline with stdin, stdout and stderr on a pty;
# prints what the terminal got, then "rc=N".
on_tty() {
	python3 - "$TIPLINE_BIN" --config "$C" "$@" <<'PY'
import os, pty, sys
sys.stdout.flush()
rc = pty.spawn(sys.argv[1:])	# copies the terminal's output to stdout
print("\nrc=%d" % os.waitstatus_to_exitcode(rc))
PY
}
bytes=$(cat "$WORK"/m/*.eml | wc -c | tr -d ' ')
lines=$(cat "$WORK"/m/*.eml | wc -l | tr -d ' ')
# RFC822.SIZE counts CRLF line ends; under 1 MiB in KiB.
kib=$(python3 -c "print('%.0f' % (($bytes + $lines) / 1024.0))")

setup tty
OUT=$(on_tty fetch)
like "$OUT" "rc=0" "on a terminal: fetch exits 0"
like "$OUT" "mailbox boxtty: 30/30 messages, $kib/$kib KiB" \
	"on a terminal: the last progress line counts 30 of 30 messages and their bytes"
like "$OUT" "mailbox boxtty: 0/30 messages" "on a terminal: progress starts at 0 of 30"
is "$(printf '%s' "$OUT" | grep -c 'boxtty: 30 stored')" 1 "on a terminal: the summary follows"

setup quiet
OUT=$(on_tty -q fetch)
like "$OUT" "rc=0" "-q on a terminal: exit 0"
is "$(printf '%s' "$OUT" | grep -c 'messages,')" 0 "-q on a terminal: no progress"

setup cron
"$TIPLINE_BIN" --config "$C" fetch </dev/null >"$WORK/out" 2>"$WORK/err"
is "$?" 0 "no terminal (cron): exit 0"
is "$(grep -c 'messages,' "$WORK/err" "$WORK/out" | awk -F: '{s += $2} END {print s}')" 0 \
	"no terminal (cron): no progress on stderr or stdout"
like "$(cat "$WORK/err")" "boxcron: 30 stored" "no terminal: the summary is still logged"
exit $_failed
