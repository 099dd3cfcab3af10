#!/bin/sh
# fuzz/run.sh [SECONDS] - build a libFuzzer target with ASan+UBSan and run
# it for SECONDS (default 60), seeded with the project's own fixtures.
#
#   FUZZ_TARGET=message   (default) message_parse_file + message_part_write,
#                         seeded with every tests/data/**/*.eml and
#                         fuzz/seeds/*.eml
#   FUZZ_TARGET=media     media_scan, seeded by fuzz/media-seeds.py
#   FUZZ_JOBS=N           N parallel workers (libFuzzer -fork), default 1
#   FUZZ_SEEDS="DIR ..."  more read-only seed directories (e.g. a local copy
#                         of a corpus; never commit third-party mail)
#   FUZZ_KEEP_GOING=1     go on after a finding (libFuzzer -fork mode with
#                         -ignore_crashes), for long runs past known bugs
#   FUZZ_LEAKS=0          do not stop at memory leaks (LeakSanitizer), to
#                         look for crashes past a known leak
#   FUZZ_OUT=DIR          output, default fuzz/out (gitignored): corpus-T/
#                         (grows across runs), artifacts-T/ (crash inputs),
#                         fuzz-T.log, obj/
#
# Exit 0 when the run ended without a finding, 1 when libFuzzer saved a
# crash, leak or timeout input (named in the output), 2 on build errors.
set -eu

SECS=${1:-}
[ -n "$SECS" ] || SECS=60
TARGET=${FUZZ_TARGET:-message}
JOBS=${FUZZ_JOBS:-1}
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=${FUZZ_OUT:-$TOP/fuzz/out}
CC=${FUZZ_CC:-clang}
# the core's libraries, from the Makefile (one list); lib/ and the
# worker's client header (preview/preview.h) on the include path
PKGS=$(make -s -C "$TOP" --no-print-directory print-pkgs) || exit 2
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined
     -fno-omit-frame-pointer"
CFLAGS="-std=c11 -D_GNU_SOURCE -g -O1 $SAN $(pkg-config --cflags $PKGS)
	-I$TOP/lib/util -I$TOP/lib/media -I$TOP/lib/mime -I$TOP/lib/imap
	-I$TOP/lib/store -I$TOP/lib/app -I$TOP/preview -I$TOP/src -I$TOP/build"
LIBS="$(pkg-config --libs $PKGS) -lm"

cd "$TOP"
command -v "$CC" >/dev/null || { echo "fuzz: no $CC" >&2; exit 2; }
make -s build/schema.inc build/version.h || exit 2
mkdir -p "$OUT/obj" "$OUT/corpus-$TARGET" "$OUT/artifacts-$TARGET" \
    "$OUT/seeds-$TARGET"

# The core (lib/) and the faces' emitters (the JSON the harness checks is
# the JSON tipline prints), as an archive so that the link pulls in only
# what the target reaches.  Rebuilt when a source or any
# header is newer than its object.
newest_h=$(ls -t lib/*/*.h src/*.h | head -n 1)
objs=
stale=
for src in lib/*/*.c src/emit*.c src/display.c; do
	obj=$OUT/obj/$(basename "$src" .c).o
	if [ ! -e "$obj" ] || [ "$src" -nt "$obj" ] ||
	    [ "$newest_h" -nt "$obj" ]; then
		stale="$stale $src"
	fi
	objs="$objs $obj"
done
if [ -n "$stale" ]; then
	echo "fuzz: compiling$stale"
	export CC CFLAGS OUT
	# shellcheck disable=SC2086
	printf '%s\n' $stale | xargs -P "$(nproc 2>/dev/null || echo 2)" \
	    -I{} sh -c '$CC $CFLAGS -fsanitize=fuzzer-no-link -c \
		-o "$OUT/obj/$(basename {} .c).o" {}' || exit 2
fi
rm -f "$OUT/obj/libtipline.a"
# shellcheck disable=SC2086
ar rcs "$OUT/obj/libtipline.a" $objs || exit 2
BIN=$OUT/fuzz-$TARGET
# shellcheck disable=SC2086
$CC $CFLAGS -fsanitize=fuzzer -o "$BIN" "fuzz/fuzz-$TARGET.c" \
    "$OUT/obj/libtipline.a" $LIBS || exit 2

# Seeds: our own fixtures only (copied flat; libFuzzer reads them
# read-only, new inputs go to corpus-T).
seeds=$OUT/seeds-$TARGET
rm -f "$seeds"/*
case "$TARGET" in
message)
	find tests/data fuzz/seeds -type f -name '*.eml' 2>/dev/null |
	while IFS= read -r f; do
		cp "$f" "$seeds/$(printf '%s' "$f" | tr '/ ' '__')"
	done
	DICT=fuzz/mime.dict ;;
media)
	python3 fuzz/media-seeds.py "$seeds" || exit 2
	DICT=fuzz/media.dict ;;
*)
	echo "fuzz: unknown FUZZ_TARGET $TARGET" >&2; exit 2 ;;
esac
echo "fuzz: $TARGET for ${SECS}s, $JOBS job(s), $(ls "$seeds" | wc -l)" \
    "seeds, corpus $(ls "$OUT/corpus-$TARGET" | wc -l) inputs"

fork=
leaks="-detect_leaks=${FUZZ_LEAKS:-1}"
if [ "$JOBS" -gt 1 ] || [ -n "${FUZZ_KEEP_GOING:-}" ]; then
	fork="-fork=$JOBS -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1"
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:\
detect_leaks=${FUZZ_LEAKS:-1}}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
LOG=$OUT/fuzz-$TARGET.log
before=$(ls "$OUT/artifacts-$TARGET" | wc -l)
rc=0
# shellcheck disable=SC2086
"$BIN" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -dict="$DICT" -print_final_stats=1 $fork $leaks \
    -artifact_prefix="$OUT/artifacts-$TARGET/" \
    "$OUT/corpus-$TARGET" "$seeds" ${FUZZ_SEEDS:-} >"$LOG" 2>&1 || rc=$?
after=$(ls "$OUT/artifacts-$TARGET" | wc -l)
# last progress line (fork mode prints no final stats), then the stats
grep -E '^#[0-9]+' "$LOG" | tail -n 1 || true
grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$LOG" || true
echo "fuzz: exit $rc, corpus $(ls "$OUT/corpus-$TARGET" | wc -l) inputs," \
    "$((after - before)) new artifact(s) in $OUT/artifacts-$TARGET (log $LOG)"
if [ "$rc" != 0 ] || [ "$after" != "$before" ]; then
	grep -E 'ERROR: |SUMMARY: |runtime error|Test unit written' "$LOG" |
	    head -n 20
	exit 1
fi
exit 0
