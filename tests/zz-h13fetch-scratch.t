#!/bin/sh
. /work/wt/h13fetch/tests/lib.sh
plan 1
tl import /tmp/h13fetch/big.eml; echo "rc=$?"
sql "SELECT submission_id, seq, length(bytes) FROM raw ORDER BY 1,2"
tl show 1 --raw | cmp - /tmp/h13fetch/big.eml; echo "cmp=$?"
sql "UPDATE raw SET bytes = 'x' WHERE seq = 1"
tl show 1 --raw | cmp - /tmp/h13fetch/big.eml; echo "cmp=$?"
ok 0 x
