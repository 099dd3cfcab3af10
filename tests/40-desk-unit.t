#!/bin/sh
# 40-desk-unit.t - unit tests of the desk helpers (tests/unit/test-desk.c):
# display widths (NFC and NFD alike), truncation on character boundaries,
# safe export names, folding, FTS5 phrase quoting, the JPEG scrub.
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=$TOP/build/tests/test-desk
if [ ! -x "$BIN" ]; then
	echo "1..0 # SKIP $BIN not built (make unit)"
	exit 0
fi
exec "$BIN" --tap
