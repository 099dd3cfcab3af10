#!/bin/sh
# 20-imap.t - the IMAP transport's unit tests (tests/unit/test-imap.c)
# against four private Dovecots: one as shipped, one hiding MOVE, one
# hiding MOVE and UIDPLUS, one without TLS. They are started here so that they are stopped
# even when a failed assertion aborts the test program.
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=$TOP/build/tests/test-imap
if [ ! -x "$BIN" ]; then
	echo "1..0 # SKIP $BIN not built (make unit)"
	exit 0
fi
if ! command -v dovecot >/dev/null 2>&1 && [ ! -x /usr/sbin/dovecot ]; then
	echo "1..0 # SKIP dovecot is not installed"
	exit 0
fi
F=$TOP/tests/fixture
D1= D2= D3= D4=
# the test's spool directory and message files live here, so that an
# aborted run leaves nothing behind either
TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/tipline-imap-test.XXXXXX") || exit 1
# Dovecot runs as nobody when started as root: it must traverse this
chmod 755 "$TMPDIR"
export TMPDIR
cleanup() {
	for d in "$D1" "$D2" "$D3" "$D4"; do
		[ -n "$d" ] && "$F/stop.sh" "$d" >/dev/null 2>&1
	done
	rm -rf "$TMPDIR"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
D1=$(IMAP_PORT=auto "$F/start.sh") &&
D2=$(IMAP_PORT=auto IMAP_HIDE_CAPS=MOVE "$F/start.sh") &&
D3=$(IMAP_PORT=auto IMAP_HIDE_CAPS="MOVE UIDPLUS" "$F/start.sh") &&
D4=$(IMAP_PORT=auto IMAP_SSL=no "$F/start.sh") || {
	echo "Bail out! cannot start the Dovecot fixture"
	exit 1
}
cd "$TOP" || exit 1
TIPLINE_TOP=$TOP TIPLINE_IMAP_FIXTURES="$D1:$D2:$D3:$D4" "$BIN" --tap
