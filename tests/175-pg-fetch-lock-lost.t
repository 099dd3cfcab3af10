#!/bin/sh
# 175-pg-fetch-lock-lost.t - a fetch whose PostgreSQL session ends between
# a commit and its after_fetch action (issue 13): the session's advisory
# lock on the mailbox went with it, so another fetcher may be at work;
# the fetch must not touch the mail server.  The commit landed, so the
# store guard (a new connection finding the rows) alone would let the
# move go ahead; store_mailbox_lock_check stops it.  The session is
# ended by pg_terminate_backend() from a fault hook of
# build/tipline-faults right after the first commit; the next run
# applies the pending moves, with nothing lost or doubled.
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
[ -x "$TIPLINE_FAULTS_BIN" ] || skip_all "build/tipline-faults not built"
pg_need
dovecot_need
plan 8

N=6
C=$WORK/lost.conf
printf '[store]\ndatabase = %s\npassfile = %s\nspool_dir = %s\n' \
	"$PG_URL" "$PG_PASSFILE" "$SPOOL" > "$C"
gen_msgs "$WORK/m" lost $N
seed_folder F1 "$WORK"/m/*.eml >/dev/null
make_folder Done1
mailbox_conf "$C" box1 F1 "after_fetch=move Done1"
printf 'secret\n' > "$WORK/pass"
chmod 600 "$WORK/pass"

# end every tipline session, and wait until its server process is gone
# (so its locks are released before the fetch goes on)
cat > "$WORK/kill.sh" <<SH
PGPASSFILE='$PG_PASSFILE'; export PGPASSFILE
q() { '$PG_BIN/psql' -X -q -At '$PG_SOCKET_URL' -c "\$1"; }
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE
	application_name = 'tipline'" > /dev/null
i=0
while [ "\$(q "SELECT count(*) FROM pg_stat_activity WHERE
    application_name = 'tipline'")" != 0 ] && [ \$i -lt 100 ]; do
	sleep 0.1; i=\$((i + 1))
done
SH
TIPLINE_FAULT_RUN_AT=after-commit:1 TIPLINE_FAULT_RUN_CMD="sh '$WORK/kill.sh'" \
	"$TIPLINE_FAULTS_BIN" --config "$C" fetch > "$WORK/out" 2> "$WORK/err"
is "$?" 75 "session ended after the commit: exit 75"
sed 's/^/# /' "$WORK/err"
like "$(cat "$WORK/err")" 'mailbox box1: mailbox lock: .*; stopping, nothing was moved, deleted or flagged on the server' \
	"stopped at the lock check, before the server action"
is "$(folder_count F1)/$(folder_count Done1)" "$N/0" \
	"nothing moved on the server"
is "$(psql_t -c "SELECT count(*) || '/' || sum(action_done) FROM ledger")" \
	"$N/0" "the commit landed: every message recorded, no action done"

"$TIPLINE_BIN" --config "$C" fetch > "$WORK/out2" 2> "$WORK/err2"
is "$?" 0 "the next run exits 0"
like "$(cat "$WORK/err2")" "mailbox box1: 0 stored.*after_fetch applied to $N \\($N repaired\\)" \
	"it applies the pending moves"
is "$(folder_count F1)/$(folder_count Done1)" "0/$N" "all moved now"
CONF=$C
is "$(tj .total stats)" $N "each stored once"
