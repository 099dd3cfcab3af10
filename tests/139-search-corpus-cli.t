#!/bin/sh
# 139-search-corpus-cli.t - the 18 Vietnamese search expectations
# (rules.search of the shared corpus's expected.json) through `tipline
# search QUERY --json` on the store of $CONF: SQLite in `make check`,
# PostgreSQL in `make check-pg` (issue 13; 138 checks the same queries
# at the SQL level).  The corpus is imported with tipline and each query
# checked in rank order by tests/acceptance/vi-corpus.py --search-only:
# the query's "files" first, in any order among themselves, then only
# "may_follow".  Skipped without the corpus (TIPLINE_VI_CORPUS, default
# /work/shared/corpus/vi); nothing of it is copied into the repo.
. "$(dirname "$0")/lib.sh"
CORPUS=${TIPLINE_VI_CORPUS:-/work/shared/corpus/vi}
[ -f "$CORPUS/expected.json" ] || skip_all "no corpus at $CORPUS"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
plan 2

python3 "$TOP/tests/acceptance/vi-corpus.py" --search-only --conf "$CONF" \
	--corpus "$CORPUS" --bin "$TIPLINE_BIN" --work "$WORK/vi" -v \
	> "$WORK/out" 2>&1
rc=$?
sed 's/^/# /' "$WORK/out"
is "$rc" 0 "every search expectation of the corpus is met"
like "$(cat "$WORK/out")" "search: 18/18 queries match" \
	"...all 18 of them, through tipline search"
