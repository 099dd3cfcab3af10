#!/bin/sh
# 169-store-locks-unit.t - two read-write stores on one database in one
# process keep its SQLite locks (tests/unit/test-store-locks.c).
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=$TOP/build/tests/test-store-locks
if [ ! -x "$BIN" ]; then
	echo "1..0 # SKIP $BIN not built (make unit)"
	exit 0
fi
exec "$BIN" --tap
