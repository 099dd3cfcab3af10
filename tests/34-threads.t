#!/bin/sh
# Follow-ups: a reader's reply (In-Reply-To/References) joins its thread;
# a "reply" from another address does not, so nobody who learns a tip's
# Message-ID can slip a message into a source's thread (QA F15). The same
# holds when the reply is stored before the message it answers.
. "$(dirname "$0")/lib.sh"
T=$FIX/thread
plan 9
tl import "$T/01-original.eml" "$T/02-same-sender.eml" "$T/03-other-sender.eml" 2>/dev/null
is "$(tj .parent_id show "$(id_of reply@example.org)")" 1 \
	"the same sender's reply is a follow-up (address compared without case)"
is "$(tj .parent_id show "$(id_of imp@example.net)")" null \
	"another sender's 'reply' is not linked"
like "$(tl list)" "Impostor" "and is listed on its own row"

# Replies first, original last: it adopts only its own sender's reply.
rm -f "$DB"
tl import "$T/03-other-sender.eml" "$T/02-same-sender.eml" "$T/01-original.eml" 2>/dev/null
is "$(tj .parent_id show "$(id_of reply@example.org)")" \
	"$(id_of orig@example.org)" \
	"an original stored after its reply adopts it"
is "$(tj .parent_id show "$(id_of imp@example.net)")" null \
	"but not another sender's"
is "$(tl list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 2 \
	"list shows two rows: the thread and the other sender"

# A tip sent to two newsroom addresses arrives twice with different trace
# headers: both are kept, the second flagged as a probable twin (QA F29).
tl import "$FIX/import/002-plain.eml" "$T/04-twin-delivery.eml" 2>/dev/null
is "$(mids | grep -c -x imp2.20240604@example.org)" 2 \
	"both deliveries are stored (Message-ID alone never decides)"
like "$(tj '.warnings[]' show \
	"$(id_of imp2.20240604@example.org | sort -n | tail -1)")" \
	"same Message-ID and sender as #[0-9]+" "the second is flagged as a twin of the first"

# A display name that is someone else's address is not shown as the
# sender in the list; the real address is (QA F44).
tl import "$T/05-name-is-address.eml" 2>/dev/null
like "$(tl list | grep 'spoofed name')" "impostor@example" \
	"list shows the real address, not a name that looks like one"
