#!/bin/sh
# 178-pg-fetch-guard.t - issue 13: 55-fetch-db-moved.t's proof on
# PostgreSQL.  Before every after_fetch action the fetch proves, through a
# new connection made as the next run will make it, that its commit is
# in the database at the URL: the same server (system identifier), the
# same database (OID: not dropped and created again, as a restore from a
# dump does) and the committed UIDs' ledger rows there (not rolled back
# in place).  Another server at the URL (a second server that comes up
# first in a URL's host list) is told by its system identifier.
# Otherwise it stops with 75, touching nothing more on the
# server, and the next run stores every message still there exactly once.
# Always on PostgreSQL (the SQLite side is 55); the database changes at an
# exact step through the fault build's TIPLINE_FAULT_RUN_AT hook.
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
pg_always
[ -x "$TIPLINE_FAULTS_BIN" ] || skip_all "no $TIPLINE_FAULTS_BIN (make build/tipline-faults)"
dovecot_need
plan 22

gen_msgs "$WORK/m" pgmoved 12
export TIPLINE_BATCH_MAX=4 TIPLINE_CHUNK_MAX=4
unset TIPLINE_CRASH_AT TIPLINE_FAULT_TRACE

# setup TAG: folder F$TAG with the 12 messages, config $C, database $B
# (new_conf: a fresh PostgreSQL database), after_fetch = delete.
setup() {
	C=$WORK/$1.conf B=$WORK/$1.db
	new_conf "$C" "$B"
	seed_folder "F$1" "$WORK"/m/*.eml >/dev/null
	mailbox_conf "$C" test "F$1" after_fetch=delete
}
# fetch_at POINT CMD: a fetch that runs CMD at POINT; sets RC and ERR.
fetch_at() {
	ERR=$(TIPLINE_FAULT_RUN_AT=$1 TIPLINE_FAULT_RUN_CMD=$2 \
		"$TIPLINE_FAULTS_BIN" --config "$C" fetch 2>&1)
	RC=$?
}
once() { dbq "$B" 'SELECT count(*), count(DISTINCT content_hash) FROM submission'; }
PGDB=

# 1. Dropped and created again under the same name after the second
# commit (a restore from a dump into a new database): batch 2's messages
# are not in the database the URL now names, and must stay on the server.
setup drop
PGDB=$(pg_db_of "$B")
fetch_at after-commit:2 "$PG_BIN/psql -X -q -h $PG_SOCKDIR -p $PG_PORT -U $PG_ADMIN -d postgres -c 'DROP DATABASE \"$PGDB\" WITH (FORCE)' -c 'CREATE DATABASE \"$PGDB\" OWNER \"$PG_USER\" TEMPLATE template0'"
is "$RC" 75 "dropped and created again: fetch exits 75"
# DROP ... WITH (FORCE) also ends this fetch's own session: the mailbox
# lock's check (store_mailbox_lock_check) may see that first.
like "$ERR" "dropped and created again|mailbox lock: .*(closed|terminat)" \
	"dropped and created again: the error says so"
like "$ERR" "nothing was moved, deleted or flagged" \
	"dropped and created again: and that the server was left alone"
is "$(folder_count Fdrop)" 8 \
	"dropped and created again: only the first batch (4) left the server"
"$TIPLINE_FAULTS_BIN" --config "$C" -q fetch
is "$?" 0 "dropped and created again: the next run exits 0"
is "$(folder_count Fdrop)" 0 "dropped and created again: then the server is empty"
is "$(once)" "8|8" \
	"dropped and created again: the new database holds the 8 messages left, each once"

# 2. Rolled back in place (the same database: rows deleted as a restore
# into it would) after the second commit: the server and database are the
# same, but batch 2's ledger rows are gone; nothing more may be deleted.
setup rest
fetch_at after-commit:2 "$PG_BIN/psql -X -q '$(echo "$PG_SOCKET_URL" | sed "s|/$PG_DB?|/$(pg_db_of "$B")?|")' -c 'DELETE FROM ledger; DELETE FROM submission; DELETE FROM mailbox_state'"
is "$RC" 75 "rolled back in place: fetch exits 75"
like "$ERR" "lacks 4 of the 4 messages" \
	"rolled back in place: the rows are missing at the URL"
is "$(folder_count Frest)" 8 "rolled back in place: only the first batch was deleted"
"$TIPLINE_FAULTS_BIN" --config "$C" -q fetch
is "$?" 0 "rolled back in place: the next run exits 0"
is "$(folder_count Frest)" 0 "rolled back in place: then the server is empty"
is "$(once)" "8|8" \
	"rolled back in place: the 8 messages left on the server stored once each"

# 3. Nothing moved: the guard passes and costs one connection per
# committed batch; every message is stored once and deleted.
setup calm
fetch_at after-commit:2 true
is "$RC" 0 "untouched database: fetch exits 0"
is "$(folder_count Fcalm)" 0 "untouched database: the server is empty"
is "$(once)" "12|12" "untouched database: 12 messages, each once"
is "$(dbq "$B" 'SELECT count(*) FROM ledger WHERE action_done = 1')" 12 \
	"untouched database: 12 ledger rows, every action done"

# 4. Another server at the URL: the URL lists server B first, then the
# fixture's server A; B is down when the fetch connects (so it writes to
# A) and comes up after the second commit, where the next run will look.
# B is a fresh initdb (PG_TEMPLATE empty): another system identifier.
B_DIR=$(PG_TEMPLATE= "$TESTS/fixture/pg-start.sh") ||
	{ echo "Bail out! a second postgresql did not start"; exit 1; }
_cleanup3() { "$TESTS/fixture/pg-stop.sh" "$B_DIR" >/dev/null 2>&1; _cleanup; }
trap _cleanup3 EXIT
B_PORT=$(sed -n 's/^PG_PORT=//p' "$B_DIR/env")
PGPASSFILE=$B_DIR/pgpass "$PG_BIN/psql" -X -q -h "$B_DIR/sock" \
	-p "$B_PORT" -U "$PG_ADMIN" -d postgres -c \
	"CREATE DATABASE t_other OWNER \"$PG_USER\"" >/dev/null
"$TESTS/fixture/pg-restart.sh" "$B_DIR" stop
cat "$PG_PASSFILE" "$B_DIR/pgpass" > "$WORK/both.pgpass"
chmod 600 "$WORK/both.pgpass"
cat "$PG_CAFILE" "$B_DIR/tls/ca.pem" > "$WORK/both-ca.pem"
C=$WORK/other.conf B=$WORK/other.db
new_conf "$C" "$B"	# database t_other on A, then the URL below
sed -i "s|^database = .*|database = postgresql://$PG_USER@127.0.0.1:$B_PORT,127.0.0.1:$PG_PORT/t_other?sslmode=verify-full\&sslrootcert=$WORK/both-ca.pem|; s|^passfile = .*|passfile = $WORK/both.pgpass|" "$C"
PG_OTHER=$(pg_db_of "$B")
pg_admin -c "ALTER DATABASE \"$PG_OTHER\" RENAME TO t_other"
seed_folder Fother "$WORK"/m/*.eml >/dev/null
mailbox_conf "$C" test Fother after_fetch=delete
fetch_at after-commit:2 "$TESTS/fixture/pg-restart.sh $B_DIR start"
is "$RC" 75 "another server at the URL: fetch exits 75"
like "$ERR" "on another PostgreSQL server" "another server at the URL: the error says so"
is "$(folder_count Fother)" 8 "another server at the URL: only the first batch left the server"
"$TIPLINE_BIN" --config "$C" -q fetch
is "$?" 0 "another server at the URL: the next run (into server B) exits 0"
is "$(folder_count Fother)/$("$TIPLINE_BIN" --config "$C" stats --json | jq .total)" "0/8" \
	"another server at the URL: B holds the 8 messages left on the server"
exit $_failed
