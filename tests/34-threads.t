#!/bin/sh
# Follow-ups: a reader's reply (In-Reply-To/References) joins its thread;
# a "reply" from another address does not, so nobody who learns a tip's
# Message-ID can slip a message into a source's thread (QA F15). The same
# holds when the reply is stored before the message it answers.
. "$(dirname "$0")/lib.sh"
T=$FIX/thread
plan 6
tl import "$T/01-original.eml" "$T/02-same-sender.eml" "$T/03-other-sender.eml" 2>/dev/null
is "$(sql "SELECT parent_id FROM submission WHERE message_id = 'reply@example.org'")" 1 \
	"the same sender's reply is a follow-up (address compared without case)"
is "$(sql "SELECT quote(parent_id) FROM submission WHERE message_id = 'imp@example.net'")" NULL \
	"another sender's 'reply' is not linked"
like "$(tl list)" "Impostor" "and is listed on its own row"

# Replies first, original last: it adopts only its own sender's reply.
rm -f "$DB"
tl import "$T/03-other-sender.eml" "$T/02-same-sender.eml" "$T/01-original.eml" 2>/dev/null
is "$(sql "SELECT parent_id FROM submission WHERE message_id = 'reply@example.org'")" \
	"$(sql "SELECT id FROM submission WHERE message_id = 'orig@example.org'")" \
	"an original stored after its reply adopts it"
is "$(sql "SELECT quote(parent_id) FROM submission WHERE message_id = 'imp@example.net'")" NULL \
	"but not another sender's"
is "$(tl list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 2 \
	"list shows two rows: the thread and the other sender"
