#!/bin/sh
# 149-preview-cache-unit.t - preview_get and the preview cache in C
# (tests/unit/test-preview-cache.c): two makers of one preview store it
# once; dangerous and text files reach no worker and leave no row; a
# missing worker caches nothing; an attachment gone meanwhile stores
# nothing.  Prints the time of a preview made and read from the cache
# (a diagnostic, not asserted).
. "$(dirname "$0")/lib.sh"
. "$TESTS/preview-lib.sh"
. "$TESTS/preview-cache-lib.sh"
BIN=$TOP/build/tests/test-preview-cache
[ -x "$BIN" ] || skip_all "$BIN not built (make unit)"
preview_setup
mkmail "$WORK/a.eml" "ba tep" portrait.jpg="$FX/portrait.jpg" \
	photo.jpg.scr="$FX/portrait.jpg" note.txt="$TESTS/lib.sh"
tl -q import "$WORK/a.eml"
# On PostgreSQL the store is the URL (libpq finds the passfile in
# PGPASSFILE, set by pg_start).
if on_pg; then PDB=$PG_URL; else PDB=$DB; fi
PREVIEW_DB=$PDB PREVIEW_WORKER=$PREVIEW_BIN "$BIN" --tap
