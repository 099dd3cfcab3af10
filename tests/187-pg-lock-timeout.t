#!/bin/sh
# 187-pg-lock-timeout.t - another PostgreSQL session holds a lock that
# tipline needs (issue 13).  Every wait for a lock is bounded by [store]
# busy_timeout, which tipline sets as the session's lock_timeout (the
# SQLite busy timeout's twin); past it the statement fails with 55P03.
#  1. LOCK TABLE submission (ACCESS EXCLUSIVE) in an open transaction:
#     fetch exits 75 within about the busy timeout, with one clear line,
#     stores nothing and moves nothing; approve and reject by an editor
#     meanwhile exit 75 with one line naming the cause; both work once
#     the lock is gone, and the next fetch completes.
#  2. A lock on a table that only the duplicate lookup reads (purged):
#     the lookup's failure must not be taken for "no duplicate", leaving
#     the next statement to fail as "transaction aborted" (25P02, a
#     "bug"), the message then kept raw as quarantined; it is a busy
#     database like any other, and the next run stores the message
#     parsed, once.
#  3. A row lock (SELECT ... FOR UPDATE) on the submission an editor
#     decides: that decision exits 75, another submission's goes through.
# Always on PostgreSQL, in `make check` too (its own server, as 178).
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
pg_always
dovecot_need
plan 26

C=$WORK/lock.conf
printf '[store]\ndatabase = %s\npassfile = %s\nspool_dir = %s\nbusy_timeout = 1s\n' \
	"$PG_URL" "$PG_PASSFILE" "$SPOOL" > "$C"
CONF=$C
printf 'secret\n' > "$WORK/pass"
chmod 600 "$WORK/pass"
gen_msgs "$WORK/m" lock 9
seed_folder F1 "$WORK"/m/lock-0000[123].eml >/dev/null
make_folder Done1
mailbox_conf "$C" box1 F1 "after_fetch=move Done1"
tl fetch 2>/dev/null
A=$(id_of lock-1@example.org); B=$(id_of lock-2@example.org)

# hold SQL: run SQL in a transaction of another session, in the
# background, until release; wait until its lock is granted.
hold() {
	PGAPPNAME=holder psql_t -c "BEGIN; $1; SELECT pg_sleep(60)" \
		>/dev/null 2>&1 &
	HOLDER=$!
	_i=0
	while [ "$(psql_t -c "SELECT count(*) FROM pg_stat_activity WHERE
	    application_name = 'holder' AND wait_event = 'PgSleep'")" != 1 ] &&
	    [ $_i -lt 100 ]; do
		sleep 0.05; _i=$((_i + 1))
	done
}
release() {
	psql_t -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity
		WHERE application_name = 'holder'" >/dev/null
	wait "$HOLDER" 2>/dev/null
	return 0
}
now_ms() { date +%s%3N; }
# one_line FILE: its lines (each error is one line)
lines() { wc -l < "$1" | tr -d ' '; }

# ---- 1. the queue's table locked ------------------------------------------
seed_folder F1 "$WORK"/m/lock-0000[456].eml >/dev/null
hold "LOCK TABLE submission IN ACCESS EXCLUSIVE MODE"
t0=$(now_ms)
tl fetch > "$WORK/out" 2> "$WORK/err"
rc=$? t1=$(now_ms)
is "$rc" 75 "fetch behind a table lock: exit 75"
sed 's/^/# /' "$WORK/err"
ok "$([ $((t1 - t0)) -lt 8000 ] && echo 0 || echo 1)" \
	"within a bound set by busy_timeout ($((t1 - t0)) ms, busy_timeout 1 s)"
like "$(cat "$WORK/err")" '^tipline fetch: mailbox box1 uid 4: .*submission: database is busy \(a lock was held past the busy timeout\) \(temporary failure\)$' \
	"one line: the mailbox, the message, the cause"
is "$(lines "$WORK/err")" 1 "and nothing else (no quarantine fallback)"
is "$(folder_count F1)/$(folder_count Done1)" "3/3" "nothing moved"

tl approve "$A" > "$WORK/aout" 2> "$WORK/aerr"
is "$?" 75 "approve meanwhile: exit 75"
is "$(cat "$WORK/aerr")" "tipline approve: approve: database is busy (a lock was held past the busy timeout); nothing changed" \
	"one line naming the cause, not libpq's text"
tl reject "$B" --reason "trùng" > /dev/null 2> "$WORK/rerr"
is "$?" 75 "reject meanwhile: exit 75"
is "$(lines "$WORK/rerr")" 1 "one line"
release

is "$(psql_t -c "SELECT count(*) || '/' || (SELECT count(*) FROM ledger)
	FROM submission")" "3/3" "nothing of the failed fetch stored"
is "$(tj .status show "$A")/$(tj .status show "$B")" "new/new" \
	"no decision recorded"
tl approve "$A" > /dev/null 2>&1
is "$?" 0 "approve once the lock is gone"
tl fetch > "$WORK/out" 2> "$WORK/err"
is "$?" 0 "the next fetch exits 0"
is "$(folder_count F1)/$(folder_count Done1)" "0/6" "all moved"
is "$(tj .total stats)" 6 "each stored once"

# ---- 2. a table only the duplicate lookup reads ---------------------------
seed_folder F1 "$WORK"/m/lock-0000[789].eml >/dev/null
hold "LOCK TABLE purged IN ACCESS EXCLUSIVE MODE"
tl fetch > "$WORK/out" 2> "$WORK/err"
is "$?" 75 "fetch behind a lock on purged: exit 75"
sed 's/^/# /' "$WORK/err"
like "$(cat "$WORK/err")" 'mailbox box1 uid 7: .*database is busy \(a lock was held past the busy timeout\)' \
	"the cause is the lock, not an aborted transaction"
grep -Eq 'quarantined|25P02|aborted' "$WORK/err"
is "$?" 1 "no 'transaction aborted', no raw quarantine"
release
is "$(psql_t -c "SELECT count(*) FROM submission WHERE status =
	'quarantined'")" 0 "nothing quarantined"
tl fetch > "$WORK/out" 2> "$WORK/err"
is "$?" 0 "the next fetch exits 0"
is "$(tj .total stats)/$(psql_t -c "SELECT count(*) FROM submission
	WHERE status = 'quarantined'")" "9/0" \
	"every message stored once, parsed"
is "$(folder_count F1)/$(folder_count Done1)" "0/9" "all moved"

# ---- 3. a row lock on one submission --------------------------------------
hold "SELECT 1 FROM submission WHERE id = $B FOR UPDATE"
tl reject "$B" --reason "trùng" > /dev/null 2> "$WORK/rerr"
is "$?" 75 "deciding the locked submission: exit 75"
is "$(cat "$WORK/rerr")" "tipline reject: reject: database is busy (a lock was held past the busy timeout); nothing changed" \
	"one line naming the cause"
C2=$(id_of lock-3@example.org)
tl approve "$C2" > /dev/null 2>&1
is "$?" 0 "another submission's decision goes through"
release
tl reject "$B" --reason "trùng" > /dev/null 2>&1
is "$?" 0 "and this one once the lock is gone"
