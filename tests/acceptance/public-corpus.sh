#!/bin/sh
# public-corpus.sh - issue 4 acceptance on ../shared/corpus/public; the work
# is done by public-corpus.py (Python 3 standard library only).
# Usage: public-corpus.sh [--corpus DIR] [--bin TIPLINE] [--work DIR] [-v]
# Exit 0: nothing lost or crashed (disagreements are only reported);
# 2: a message was lost or crashed, or the run was impossible.
exec python3 "$(dirname "$0")/public-corpus.py" "$@"
