#!/bin/sh
# A message over max_message_size is queued with its header only; with
# after_fetch = move or delete it must stay on the server, because the
# server then holds its only full copy (QA finding F1). Flags still apply.
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] ||
	skip_all "dovecot is not installed"
plan 9
dovecot_start || { echo "Bail out! dovecot did not start"; exit 1; }
echo 'max_message_size = 10k' >> "$CONF"
echo 'after_fetch = delete' >> "$CONF"

gen_msgs "$WORK/m" small 2
gen_msgs "$WORK/m" big 1 900	# about 25 KB
seed_folder INBOX "$WORK/m/small-00001.eml" "$WORK/m/big-00001.eml" \
	"$WORK/m/small-00002.eml"

tl -q fetch; is "$?" 0 "fetch exits 0"
is "$(sql 'SELECT outcome FROM ledger ORDER BY uid' | paste -sd ' ')" \
	"stored too_large stored" "ledger: stored, too_large, stored"
is "$(folder_count INBOX)" 1 "the stored messages are deleted, the big one stays"
is "$(sql 'SELECT action_done FROM ledger WHERE uid = 2')" 3 \
	"its ledger row says the action was deliberately not applied"
tl -q fetch; is "$?" 0 "a second fetch exits 0"
is "$(folder_count INBOX)" 1 "and does not delete it later either"
is "$(count_all)" 3 "nothing doubled"

# With flag, the big message is flagged like the rest.
sed -i 's/^after_fetch = delete$/after_fetch = flag/' "$CONF"
gen_msgs "$WORK/m" big2 1 900
seed_folder INBOX "$WORK/m/big2-00001.eml"
tl -q fetch; is "$?" 0 "fetch with after_fetch = flag"
is "$(sql 'SELECT action_done FROM ledger WHERE uid = 4')" 1 \
	"a too_large message is flagged (harmless)"
