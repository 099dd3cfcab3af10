#!/bin/sh
# 11-media.t - the media_scan unit tests (tests/unit/test-media.c): Exif
# GPS, MP4/QuickTime location, dangerous names and contents.  GLib >= 2.62
# prints TAP by itself; --tap asks for it explicitly on older ones.
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=$TOP/build/tests/test-media
if [ ! -x "$BIN" ]; then
	echo "1..0 # SKIP $BIN not built (make unit)"
	exit 0
fi
exec "$BIN" --tap
