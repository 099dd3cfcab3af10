#!/bin/sh
# 16-fuzz-build.t - the fuzz harnesses (fuzz/fuzz-*.c) still compile
# against today's headers.  `make fuzz` builds them only in CI's fuzz
# section, with clang; when the layers moved, fuzz-message.c kept calling
# a function the faces had replaced and only that section noticed.  Here
# each harness is checked (-fsyntax-only) with the flags of the faces'
# folder, which sees every public header.
. "$(dirname "$0")/lib.sh"

set -- "$TOP"/fuzz/fuzz-*.c
plan $#
flags=$(make -s -C "$TOP" --no-print-directory print-cflags FOLDER=src)
for f in "$@"; do
	# shellcheck disable=SC2086
	out=$(cd "$TOP" && $flags -Wno-missing-prototypes -fsyntax-only "$f" \
		2>&1)
	is "$?" 0 "$(basename "$f") compiles${out:+: $(printf '%s' "$out" |
		head -n 3)}"
done
