#!/bin/sh
# 129-serve-range-unit.t - the Range parser of the clip route
# (tests/unit/test-serve-range.c): single ranges, suffixes, a start past
# the end (416), and headers that are ignored (whole clip, 200).
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=$TOP/build/tests/test-serve-range
if [ ! -x "$BIN" ]; then
	echo "1..0 # SKIP $BIN not built (make unit)"
	exit 0
fi
exec "$BIN" --tap
