#!/bin/sh
# Issue 10 item 6 and issue 9 section 3: folder names on a server whose
# hierarchy separator is '.' (the fixture's Dovecot, Maildir++), what
# doctor tries on the server, a repeated refusal becoming a configuration
# error, a missing or vanishing mailbox named as such, and QA F28 (a move
# into the folder being fetched).
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
dovecot_need
plan 32

gen_msgs "$WORK/m" sep 3
# conf TAG FOLDER [KEY=VALUE...]: a fresh config $C with database $B.
conf() {
	C=$WORK/$1.conf B=$WORK/$1.db
	new_conf "$C" "$B"
	_f=$2; shift 2
	mailbox_conf "$C" test "$_f" "$@"
}
line_of() { grep -n "^$1 = " "$C" | cut -d: -f1; }

# 1. The man page's own example on a '.' server: translated, moved.
seed_folder Fsep "$WORK"/m/*.eml >/dev/null
make_folder Tipline.Done
conf sep Fsep "after_fetch=move Tipline/Done"
run fetch
is "$RC" 0 "move Tipline/Done on a '.' server: fetch exits 0"
is "$(folder_count Fsep)/$(folder_count Tipline.Done)" 0/3 \
	"the 3 messages are in Tipline.Done"
run doctor
is "$RC" 0 "doctor exits 0"
like "$OUT" 'move to: +Tipline\.Done \("Tipline/Done" in the configuration\): exists' \
	"doctor names the folder as the server does"
like "$OUT" 'folder: +Fsep: exists, selectable, read-write' "doctor selected the mailbox"

# 2. A move target that does not exist: doctor says so with file:line.
conf miss Fsep "after_fetch=move Tipline/Missing"
run doctor
is "$RC" 78 "doctor: missing move folder exits 78"
like "$OUT" "Tipline\\.Missing \\(\"Tipline/Missing\" in the configuration\\) does not exist on the server: create it.*$C:$(line_of after_fetch)" \
	"doctor names the missing folder, the fix and file:line"

# 3. A level that contains the server's separator cannot be said there.
conf dot Fsep "after_fetch=move Tipline/v1.2"
seed_folder Fsep "$WORK"/m/sep-00001.eml >/dev/null
run fetch
is "$RC" 78 "a level with a '.' on a '.' server: fetch exits 78"
like "$OUT" "$C:$(line_of after_fetch): folder \"Tipline/v1.2\": the server separates levels with '\\.'" \
	"with file:line and the reason"
run doctor
is "$RC" 78 "doctor too exits 78"
is "$(folder_count Fsep)" 1 "nothing was moved"

# 4. A server that refuses the move in every run: 75, 75, then 78.
make_folder Ro
chmod 0500 "$(folder_dir Ro)/tmp" "$(folder_dir Ro)/new" "$(folder_dir Ro)/cur"
conf ro Fsep "after_fetch=move Ro"
run fetch
r1=$RC
run fetch
r2=$RC
run fetch
is "$r1/$r2/$RC" 75/75/78 "refused move: 75 twice, then 78"
like "$OUT" "refused after_fetch this way in 3 runs in a row, so this is no temporary failure" \
	"the third run says why it is a configuration error"
like "$OUT" "after_fetch \\($C:$(line_of after_fetch)\\)" "and names the setting"
run doctor
like "$OUT" "refused: +the server refused after_fetch in 3 run\\(s\\) in a row" \
	"doctor shows the refusals"
chmod 0700 "$(folder_dir Ro)/tmp" "$(folder_dir Ro)/new" "$(folder_dir Ro)/cur"
run fetch
is "$RC" 0 "once the server accepts it, fetch exits 0"
is "$(folder_count Fsep)/$(folder_count Ro)" 0/1 "and the message is moved"
run doctor
is "$(printf '%s\n' "$OUT" | grep -c 'refused:')" 0 "doctor shows no refusal any more"

# 5. A mailbox that does not exist: named as such, 78, with file:line.
conf none Nope
run fetch
is "$RC" 78 "missing mailbox: fetch exits 78"
like "$OUT" "$C:$(line_of url): mailbox test: \"Nope\" does not exist on the server 127\\.0\\.0\\.1:$IMAPS_PORT" \
	"missing mailbox: the message names it"
run doctor
is "$RC" 78 "missing mailbox: doctor exits 78"
like "$OUT" '"Nope" does not exist on the server' "missing mailbox: doctor says so"

# 6. Deleted between STATUS and SELECT (fault build hook): 75, then 78.
if [ -x "$TIPLINE_FAULTS_BIN" ]; then
	seed_folder Fgone "$WORK"/m/*.eml >/dev/null
	conf gone Fgone
	OUT=$(TIPLINE_FAULT_RUN_AT=before-select:1 \
	      TIPLINE_FAULT_RUN_CMD="rm -rf '$(folder_dir Fgone)'" \
	      "$TIPLINE_FAULTS_BIN" --config "$C" fetch 2>&1)
	is "$?" 75 "mailbox deleted during the run: 75"
	like "$OUT" '"Fgone" disappeared from the server .* during this run \(deleted or renamed meanwhile\?\); nothing was fetched or changed' \
		"deleted during the run: says what happened"
	run fetch
	is "$RC" 78 "the next run: 78"
	like "$OUT" '"Fgone" does not exist on the server' "the next run: names it"
else
	for i in 1 2 3 4; do ok 0 "# SKIP no $TIPLINE_FAULTS_BIN"; done
fi

# 7. QA F28: a move into the folder being fetched.
conf self Fself "after_fetch=move Fself"
run list
is "$RC" 78 "F28: move to the fetched folder is refused at load time"
like "$OUT" "$C:$(line_of after_fetch): after_fetch: move Fself: that is the mailbox this section fetches" \
	"F28: with file:line"
conf self2 INBOX "after_fetch=move inbox"
run list
is "$RC" 78 "F28: INBOX in any case is the same mailbox"
seed_folder Tipline.Self "$WORK"/m/sep-00001.eml >/dev/null
conf self3 Tipline.Self "after_fetch=move Tipline/Self"
run fetch
is "$RC" 78 "F28 after translation to the server's separator: fetch exits 78"
like "$OUT" "after_fetch: move Tipline/Self: that is the mailbox this section fetches \\(Tipline\\.Self on the server\\)" \
	"F28 after translation: says so"
is "$(dbq "$B" 'SELECT count(*) FROM ledger' 2>/dev/null || echo 0)" 0 \
	"F28 after translation: nothing fetched"
exit $_failed
