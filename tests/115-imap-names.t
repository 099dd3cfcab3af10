#!/bin/sh
# 115-imap-names.t - the IMAP transport's pure unit tests
# (tests/unit/test-imap-names.c): modified UTF-7, the imaps:// URL, folder
# paths, numbers. They need no server, so they run where Dovecot is absent.
BIN=$(dirname "$0")/../build/tests/test-imap-names
if [ ! -x "$BIN" ]; then
	echo "1..0 # SKIP $BIN not built (make unit)"
	exit 0
fi
exec "$BIN" --tap
