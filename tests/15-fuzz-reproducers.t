#!/bin/sh
# 15-fuzz-reproducers.t - every input the fuzzers ever crashed on
# (fuzz/crashes/), and an empty message, is imported and shown without a
# crash and with valid JSON. Under `make check-san` (ASan+UBSan, every
# report fatal) this is what catches a regression: the empty message made
# mime-headfix.c do pointer arithmetic on NULL (CI fuzz run, round 2).
. "$(dirname "$0")/lib.sh"

: > "$WORK/empty.eml"
set -- "$WORK/empty.eml" "$TOP"/fuzz/crashes/*
plan $((2 * $#))

for f in "$@"; do
	name=$(basename "$f")
	tl -q import "$f" > /dev/null 2>&1
	is "$?" 0 "$name: imported without a crash"
	id=$(last_id)
	tl show "$id" --json 2>/dev/null | python3 -c \
		'import json, sys; json.load(sys.stdin)' 2>/dev/null
	ok "$?" "$name: show --json is valid JSON"
done
