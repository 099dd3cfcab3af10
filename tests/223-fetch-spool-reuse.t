#!/bin/sh
# 223-fetch-spool-reuse.t - a fetch writes its messages into spool files
# it has used before (util.h, spool_pool) instead of creating one per
# message: on ext4 without a journal each new file skips every inode
# freed in the last minute, and creating 2,000 took 15-30 % of a fetch's
# CPU (issue 14, workload A).  With chunks of 5 messages (the test build's
# TIPLINE_CHUNK_MAX) a fetch of 40 creates files for a few chunks, not
# 40; every message is stored whole, and no spool file is left.
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
dovecot_need
command -v strace >/dev/null 2>&1 || skip_all "strace not installed"
[ -x "$TIPLINE_FAULTS_BIN" ] ||
	skip_all "no $TIPLINE_FAULTS_BIN (make build/tipline-faults)"
plan 5

# Sizes that differ (1 to 40 body lines), so a file used again for a
# shorter message must be cut to it.
for k in $(seq 1 40); do
	gen_msgs "$WORK/m" "reuse$k" 1 $(((k * 7) % 40 + 1))
done
seed_folder Reuse "$WORK"/m/*.eml > /dev/null
mkdir -p "$SPOOL"
C=$WORK/r.conf
new_conf "$C" "$DB"
mailbox_conf "$C" reuse Reuse

TIPLINE_CHUNK_MAX=5 strace -f -qq -e trace=openat -o "$WORK/trace" \
	"$TIPLINE_FAULTS_BIN" --config "$C" -q fetch 2> "$WORK/err"
is "$?" 0 "fetch 40 messages in chunks of 5"
made=$(grep -c 'tipline-imap-[^"]*", O_RDWR|O_CREAT|O_EXCL' "$WORK/trace")
again=$(grep -c 'tipline-imap-[^"]*", O_RDWR|O_NOCTTY' "$WORK/trace")
[ "$made" -ge 5 ] && [ "$made" -le 20 ]
ok $? "spool files made: $made (at most four chunks' worth, not 40)"
is "$((made + again))" 40 "one spool file taken per message ($again used again)"
is "$("$TIPLINE_BIN" --config "$C" list --all --json | jq length)" 40 "every message stored"
# Each stored original is the message's bytes (served with CRLF): a file
# used again and not cut would leave a longer one's tail in it.
bad=0
for k in $(seq 1 40); do
	id=$("$TIPLINE_BIN" --config "$C" search "reuse$k" --json \
		2>/dev/null | jq -r '.[0].id')
	want=$(sed 's/$/\r/' "$WORK/m/reuse$k-00001.eml" | sha256sum | cut -c1-64)
	got=$("$TIPLINE_BIN" --config "$C" show "$id" --raw 2>/dev/null |
		sha256sum | cut -c1-64)
	[ "$want" = "$got" ] || bad=$((bad + 1))
done
is "$bad/$(ls "$SPOOL" | wc -l | tr -d ' ')" "0/0" \
	"every original byte-exact; no spool file left"
