#!/bin/sh
# 20-imap.t - the IMAP transport's unit tests that need a server
# (tests/unit/test-imap-{fetch,login,cut,flags}.c, sharing
# tests/unit/fixture-imap.c) against four private Dovecots: one as
# shipped, one hiding MOVE, one hiding MOVE and UIDPLUS, one without TLS.
# They are started here once for all four programs, so that they are
# stopped even when a failed assertion aborts a program. The programs'
# TAP is numbered on into one stream. (The pure tests: 115-imap-names.t.)
TOP=$(cd "$(dirname "$0")/.." && pwd)
PROGS="fetch login cut flags"
for p in $PROGS; do
	if [ ! -x "$TOP/build/tests/test-imap-$p" ]; then
		echo "1..0 # SKIP test-imap-$p not built (make unit)"
		exit 0
	fi
done
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
export TIPLINE_TOP="$TOP" TIPLINE_IMAP_FIXTURES="$D1:$D2:$D3:$D4"
# run PROG: its TAP without the plan, numbered from $n + 1; a program
# that dies (a failed g_assert aborts) adds a failing test of its own
n=0
run() {
	"$TOP/build/tests/test-imap-$1" --tap > "$TMPDIR/tap"
	rc=$?
	awk -v n="$n" '
		/^1\.\.[0-9]+/ { next }
		/^(not )?ok [0-9]+/ {
			neg = /^not /; sub(/^(not )?ok [0-9]+/, "")
			printf "%sok %d%s\n", neg ? "not " : "", ++n, $0
			next
		}
		{ print }
		END { print n > (ENVIRON["TMPDIR"] "/n") }' "$TMPDIR/tap"
	n=$(cat "$TMPDIR/n")
	if [ "$rc" != 0 ]; then
		n=$((n + 1))
		echo "not ok $n - test-imap-$1 exited with status $rc"
	fi
}
for p in $PROGS; do
	run "$p"
done
echo "1..$n"
