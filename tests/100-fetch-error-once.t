#!/bin/sh
# Issue 11: each error is reported once. A move into a folder the server
# does not have is refused with the session still usable; the core used to
# log the refusal and return it, and `tipline fetch` printed it again.
# Now the core only returns it (status + message) and the command prints
# it: one line on stderr, the messages stored, nothing moved.
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
dovecot_need
plan 7

gen_msgs "$WORK/m" once 2
seed_folder Fonce "$WORK"/m/*.eml >/dev/null
C=$WORK/once.conf B=$WORK/once.db
new_conf "$C" "$B"
mailbox_conf "$C" test Fonce "after_fetch=move Nonexistent"

"$TIPLINE_BIN" --config "$C" fetch 2>"$WORK/err" >"$WORK/out"
RC=$?
is "$RC" 78 "a move to a missing folder: fetch exits 78 (TRYCREATE)"
is "$(grep -c 'Nonexistent' "$WORK/err")" 1 \
	"the refusal is on stderr once, not twice"
like "$(grep 'Nonexistent' "$WORK/err")" \
	'^tipline fetch: mailbox test: .*Nonexistent.* \(configuration error\)$' \
	"printed by the command, naming the mailbox and the status"
is "$(wc -c < "$WORK/out" | tr -d ' ')" 0 "nothing on stdout"
is "$(folder_count Fonce)" 2 "nothing was moved"
C_JSON=$("$TIPLINE_BIN" --config "$C" stats --json)
like "$C_JSON" '"new" : 2' "both messages are stored (stats --json)"

# A second run tries the move again and says it once again.
"$TIPLINE_BIN" --config "$C" fetch 2>"$WORK/err2" >/dev/null
is "$(grep -c 'Nonexistent' "$WORK/err2")" 1 \
	"the next run reports it once as well"
