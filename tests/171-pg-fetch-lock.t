#!/bin/sh
# 171-pg-fetch-lock.t - one fetcher per mailbox on PostgreSQL (issue 13):
# the advisory lock of store-lock.c against the private server
# (tests/unit/test-pglock.c), then `tipline fetch` with the only mailbox
# held by another session: skipped with a notice, exit 75 as an
# overlapping SQLite run, nothing written for it.
. "$(dirname "$0")/lib.sh"
BIN=$TOP/build/tests/test-pglock
[ -x "$BIN" ] || skip_all "build/tests/test-pglock not built (make unit)"
pg_need
plan 6
TIPLINE_TEST_PG_URL=$PG_URL TIPLINE_TEST_PG_PASSFILE=$PG_PASSFILE \
	"$BIN" --tap > "$WORK/unit.out" 2>&1
is "$?" 0 "unit: exits 0"
sed 's/^/# /' "$WORK/unit.out"
is "$(grep -c '^ok' "$WORK/unit.out")" 5 "unit: 5 cases pass"

# The fixture's Dovecot is not needed: the lock is taken before any
# connection to the mail server.
cat > "$WORK/fetch.conf" <<CONF
[store]
database = $PG_URL
passfile = $PG_PASSFILE
spool_dir = $SPOOL
[mailbox tòa soạn]
url = imaps://127.0.0.1:1/INBOX
username = tester
password_file = $WORK/pass
CONF
printf 'secret\n' > "$WORK/pass"
chmod 600 "$WORK/pass"
# another session holds [mailbox tòa soạn] (FNV-1a 32 of its UTF-8 bytes)
KEY=$(perl -e 'my $h = 2166136261; for (unpack("C*", $ARGV[0])) {
	$h ^= $_; $h = ($h * 16777619) % 4294967296 }
	print $h >= 2147483648 ? $h - 4294967296 : $h' 'tòa soạn')
( psql_t -c "SELECT pg_advisory_lock(1953525090, $KEY)" \
	-c "SELECT pg_sleep(60)" < /dev/null > /dev/null 2>&1 & echo $! > \
	"$WORK/holder.pid"; wait ) &
i=0
until [ "$(psql_t -c "SELECT count(*) FROM pg_locks WHERE locktype =
    'advisory' AND objsubid = 2 AND classid = 1953525090")" = 1 ] ||
    [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
"$TIPLINE_BIN" --config "$WORK/fetch.conf" fetch > "$WORK/out" \
	2> "$WORK/err"
is "$?" 75 "fetch: every mailbox held elsewhere exits 75"
like "$(cat "$WORK/err")" 'mailbox tòa soạn: skipped: another tipline fetch is fetching it now' \
	"fetch: the skip is logged"
like "$(cat "$WORK/err")" 'another tipline fetch is fetching every mailbox' \
	"fetch: and said once as a warning"
is "$(psql_t -c "SELECT count(*) FROM mailbox_state")" 0 \
	"fetch: nothing written for the skipped mailbox"
kill "$(cat "$WORK/holder.pid")" 2>/dev/null
