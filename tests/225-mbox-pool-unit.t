#!/bin/sh
# 225-mbox-pool-unit.t - mbox_split writes into files of a spool pool
# (tests/unit/test-mbox.c): one file for every message, cut to each, a
# link planted in its place refused, the file the pool's again when the
# split ends or stops.  Test 224 counts the files of a whole import.
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=$TOP/build/tests/test-mbox
if [ ! -x "$BIN" ]; then
	echo "1..1"
	echo "not ok 1 - $BIN not built (make unit)"
	exit 1
fi
exec "$BIN" --tap
