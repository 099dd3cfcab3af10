#!/bin/sh
# 105-emit-unit.t - one walk, two emitters (tests/unit/test-emit.c): the
# JSON and text emitters render the same fields from one typed
# detail_submission; JSON stays valid for any string; statuses and desk
# actions convert to and from strings in one place.
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=$TOP/build/tests/test-emit
if [ ! -x "$BIN" ]; then
	echo "1..0 # SKIP $BIN not built (make unit)"
	exit 0
fi
exec "$BIN" --tap
