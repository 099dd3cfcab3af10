#!/bin/sh
# 174-pg-doctor.t - doctor on PostgreSQL (issue 13): the server in display
# form (never a URL parameter or a password), TLS, schema, write rights,
# who holds a mailbox's lock; and it fails with fetch's own status when
# the next fetch would fail: a passfile open to others (78), no server
# answering (75), a server certificate not trusted (77).
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
pg_need
dovecot_need
plan 23

C=$WORK/doc.conf
# conf URL: a config for the PostgreSQL URL and the fixture's INBOX
conf() {
	printf '[store]\ndatabase = %s\npassfile = %s\nspool_dir = %s\n' \
		"$1" "$PG_PASSFILE" "$SPOOL" > "$C"
	mailbox_conf "$C" test INBOX
}
conf "$PG_URL"
SHOWN="postgresql://$PG_USER@127.0.0.1:$PG_PORT/$PG_DB"
run doctor
is "$RC" 0 "a fresh database: doctor exits 0"
like "$OUT" "^database: $SHOWN: connects; no queue yet \\(the first fetch creates it\\)" \
	"the database in display form, not created yet"
like "$OUT" '^server: +PostgreSQL 15[.0-9]* .*TLS in use: TLSv1\.[23], [A-Z0-9_-]+ \(sslmode verify-full\)' \
	"the server version, TLS and sslmode"
like "$OUT" '^server: +can write the queue' "write rights"
like "$OUT" '^lock: +one fetcher per mailbox' "the lock is per mailbox"
like "$OUT" '^  lock: +free' "nobody is fetching the mailbox"
echo "$OUT" | grep -q '^folder:'
is "$?" 1 "no database folder line for a server"
secret=$(sed -n "s/^127\\.0\\.0\\.1:$PG_PORT:\\*:$PG_USER://p" "$PG_PASSFILE")
echo "$OUT" | grep -q -e sslrootcert -e "$secret"
is "$?" 1 "no URL parameter and no password in doctor's output"

gen_msgs "$WORK/m" doc 2
seed "$WORK"/m/*.eml >/dev/null
run fetch
is "$RC" 0 "fetch exits 0"
run doctor
like "$OUT" "^database: $SHOWN: connects, schema [0-9]+$" \
	"after a fetch: the schema version"
like "$OUT" "^checks: +ok in [0-9]+ ms" "the queue's own checks ran"

# another session holds the mailbox: doctor names it, and only looks
KEY=$(perl -e 'my $h = 2166136261; for (unpack("C*", $ARGV[0])) {
	$h ^= $_; $h = ($h * 16777619) % 4294967296 }
	print $h >= 2147483648 ? $h - 4294967296 : $h' test)
( psql_t -c "SELECT pg_advisory_lock(1953525090, $KEY)" \
	-c "SELECT pg_sleep(60)" < /dev/null > /dev/null 2>&1 &
  echo $! > "$WORK/holder.pid"; wait ) &
i=0
until [ "$(psql_t -c "SELECT count(*) FROM pg_locks WHERE locktype =
    'advisory' AND objsubid = 2 AND classid = 1953525090")" = 1 ] ||
    [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
run doctor
is "$RC" 0 "a mailbox being fetched is no problem"
like "$OUT" '^  lock: +being fetched now by server process [0-9]+ \(psql over a Unix socket, since 20[0-9-]+T' \
	"doctor names the process holding the mailbox"
kill "$(cat "$WORK/holder.pid")" 2>/dev/null
wait

# the passfile open to others: libpq would ignore it; 78 for both
chmod 640 "$PG_PASSFILE"
run doctor
is "$RC" 78 "passfile mode 0640: doctor exits 78"
like "$OUT" "^database: PROBLEM: \\[store\\] passfile .* is open to group or others \\(mode 0640\\); run chmod 600" \
	"and says how to fix it"
run fetch
is "$RC" 78 "... as fetch does"
chmod 600 "$PG_PASSFILE"

# no server at that port: 75 for both
conf "postgresql://$PG_USER@127.0.0.1:1/$PG_DB?sslmode=verify-full&sslrootcert=$PG_CAFILE"
run doctor
is "$RC" 75 "no server answering: doctor exits 75"
like "$OUT" "^database: PROBLEM: postgresql://$PG_USER@127.0.0.1:1/$PG_DB: .*(refused|connect)" \
	"naming the server in display form"
run fetch
is "$RC" 75 "... as fetch does"

# a certificate signed by another CA (the Dovecot fixture's): 77
conf "postgresql://$PG_USER@127.0.0.1:$PG_PORT/$PG_DB?sslmode=verify-full&sslrootcert=$IMAP_CAFILE"
run doctor
is "$RC" 77 "server certificate not trusted: doctor exits 77"
like "$OUT" "^database: PROBLEM: $SHOWN: .*certificate" \
	"the certificate is named"
run fetch
is "$RC" 77 "... as fetch does"
echo "$OUT" | grep -q sslrootcert
is "$?" 1 "fetch's message has no URL parameter either"
