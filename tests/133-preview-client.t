#!/bin/sh
# 133-preview-client.t - preview_run_fd/preview_run_bytes (lib/app), the
# client the web desk calls: the unit tests of tests/unit/test-preview.c
# on the fixtures of tests/preview-fixtures.sh.  A worker killed by
# SIGKILL in the middle of decoding, one that stalls past the timeout,
# one that crashes and a missing one all give "no preview" with a
# reason, and the caller goes on to make the next preview (issue 12
# test 8).
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=$TOP/build/tests/test-preview
WORKER=${TIPLINE_PREVIEW_BIN:-$TOP/tipline-preview}
if [ ! -x "$BIN" ] || [ ! -x "$WORKER" ]; then
	echo "1..0 # SKIP $BIN or $WORKER not built (make unit tipline-preview)"
	exit 0
fi
command -v ffmpeg >/dev/null 2>&1 || { echo "1..0 # SKIP no ffmpeg"; exit 0; }
FXD=$(mktemp -d "${TMPDIR:-/tmp}/tipline-preview.XXXXXX")
trap 'rm -rf "$FXD"' EXIT
"$TOP/tests/preview-fixtures.sh" "$FXD" ||
	{ echo "1..0 # SKIP cannot make the fixtures"; exit 0; }
PREVIEW_FIXTURES=$FXD PREVIEW_WORKER=$WORKER "$BIN" --tap
