#!/bin/sh
# 70-search-unit.t - the search box's syntax (tests/unit/test-query.c):
# words, "phrases", -exclusions, OR, and FTS5 syntax taken as text.
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=$TOP/build/tests/test-query
if [ ! -x "$BIN" ]; then
	echo "1..0 # SKIP $BIN not built (make unit)"
	exit 0
fi
exec "$BIN" --tap
