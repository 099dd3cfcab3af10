#!/bin/sh
# 10-parse.t - message parsing (tests/unit/test-message.c): every fixture
# in tests/data/parse against its golden .expected file, whole and fed one
# byte at a time, every attachment written back by part path; charset,
# header, date, quote, HTML and limit helpers.  GLib 2.74 prints TAP only
# with --tap.
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=$TOP/build/tests/test-message
if [ ! -x "$BIN" ]; then
	echo "1..1"
	echo "not ok 1 - $BIN not built (make unit)"
	exit 1
fi
G_TEST_SRCDIR=$TOP/tests/unit
export G_TEST_SRCDIR
exec "$BIN" --tap
