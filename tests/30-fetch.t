#!/bin/sh
# fetch against a real private Dovecot and a real SQLite file: N messages
# stored once, a second run stores nothing (and sends only STATUS), import
# then fetch is one submission, a wrong password or an untrusted certificate
# exits 77 and stores nothing, a malformed message is quarantined with its
# raw bytes, every after_fetch action as seen on the server, start = now.
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] ||
	skip_all "dovecot not installed"
D=$FIX/fetch
plan 77

dovecot_start || { echo "Bail out! dovecot fixture did not start"; exit 1; }
echo 'max_message_size = 20k' >> "$CONF"
# The fetch ledger and the mailbox's start UID have no CLI view: those
# assertions read SQL. Everything else goes through --json.
# of_db DB FILTER ARGS...: tj against another database
of_db() { _db=$1; shift; TIPLINE_DB=$(db_setting "$_db") tj "$@"; }
# id_by_status STATUS: the id of the submission with that status
id_by_status() { tj ".[] | select(.status == \"$1\") | .id" list --all; }

# 1. Six messages of every kind, one of them over the size limit.
seed "$D"/0*.eml
tl fetch 2>"$WORK/err1"; is "$?" 0 "fetch exits 0"
is "$(count_all)" 6 "6 messages, 6 submissions"
is "$(tj 'sort_by(.id) | map(.status) | join(" ")' list --all --flat)" \
	"new new new auto_reply quarantined too_large" \
	"statuses: 3 new, auto_reply, quarantined, too_large"
is "$(sql "SELECT uid || ':' || outcome FROM ledger ORDER BY uid" | paste -sd ' ')" \
	"1:stored 2:stored 3:stored 4:auto_reply 5:quarantined 6:too_large" \
	"one ledger row per UID with its outcome"
is "$(sql "SELECT count(*) FROM ledger l JOIN submission s ON s.id = l.submission_id")" 6 \
	"every ledger row points at its submission"
is "$(tj '.mailboxes[] | select(.mailbox == "test") | .last_uid' stats)" 6 \
	"stats: the mailbox's last UID is the last UID"
like "$(cat "$WORK/err1")" "mailbox test: 4 stored, 0 duplicate\(s\), 1 quarantined, 1 too large" \
	"one summary line for the mailbox"
is "$(tj .subject show "$(id_of tip-vi-1@example.org)")" \
	"Ngập lụt ở quận 7" "Vietnamese subject decoded"

# The quarantined message keeps its raw bytes (as served: CRLF).
tl show "$(id_by_status quarantined)" --raw > "$WORK/raw5"
tr -d '\r' < "$WORK/raw5" > "$WORK/raw5.lf"
cmp -s "$WORK/raw5.lf" "$D/05-too-deep.eml"; is "$?" 0 \
	"quarantined message kept byte for byte"
like "$(tj .error show "$(id_by_status quarantined)")" \
	"nesting|depth" "quarantine reason recorded"
like "$(tj .error show "$(id_by_status too_large)")" \
	"over max_message_size" "too_large reason recorded"
is "$(sql "SELECT CASE WHEN size > 20480 THEN 1 ELSE 0 END FROM ledger WHERE outcome = 'too_large'")" 1 \
	"too_large ledger row has the RFC822.SIZE"
is "$(tj '.raw_size < 2000' show "$(id_by_status too_large)")" true \
	"too_large entry holds only the header block"

# 2. Nothing new: only STATUS and LOGOUT of our own commands.
tl -v fetch 2>"$WORK/err2"; is "$?" 0 "second fetch exits 0"
is "$(count_all)" 6 "second fetch stores nothing"
is "$(sql 'SELECT count(*) FROM ledger')" 6 "second fetch adds no ledger row"
is "$(grep -o 'C: [^ ]* [A-Z]*' "$WORK/err2" | awk '{print $3}' | tr '\n' ' ')" \
	"STATUS LOGOUT " "a poll with nothing new sends only STATUS and LOGOUT"

# 3. Import, then the same message arrives by IMAP: one submission.
gen_msgs "$WORK/imp" imp 1
tl import "$WORK/imp/imp-00001.eml" 2>/dev/null; is "$?" 0 "import exits 0"
seed "$WORK/imp/imp-00001.eml"
tl fetch 2>/dev/null; is "$?" 0 "fetch after import exits 0"
is "$(count_all)" 7 "imported then fetched: stored once"
is "$(sql "SELECT outcome FROM ledger WHERE uid = 7")" duplicate \
	"the fetched copy is a duplicate in the ledger"
is "$(sql "SELECT s.source FROM ledger l JOIN submission s ON s.id = l.submission_id WHERE l.uid = 7")" \
	file "the duplicate points at the imported submission"

# 4. Wrong password: 77, nothing stored.
C2=$WORK/bad.conf; DB2=$WORK/bad.db
new_conf "$C2" "$DB2"
printf 'wrong\n' > "$WORK/badpass"; chmod 600 "$WORK/badpass"
mailbox_conf "$C2" bad INBOX
sed -i "s|password_file = .*|password_file = $WORK/badpass|" "$C2"
"$TIPLINE_BIN" --config "$C2" fetch 2>"$WORK/err4"; is "$?" 77 "wrong password exits 77"
like "$(cat "$WORK/err4")" "mailbox bad" "the error names the mailbox"
n=$(of_db "$DB2" .total stats 2>/dev/null)
is "${n:-0}" 0 \
	"wrong password stores nothing"
if grep -q wrong "$WORK/err4"; then r=1; else r=0; fi
is "$r" 0 "the password is not in the error output"

# 5. Untrusted certificate: 77 before any credential is sent.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	-days 1 -subj /CN=other -keyout "$WORK/other.key" \
	-out "$WORK/other.pem" 2>/dev/null
C3=$WORK/cert.conf
new_conf "$C3" "$WORK/cert.db"
mailbox_conf "$C3" cert INBOX
sed -i "s|cafile = .*|cafile = $WORK/other.pem|" "$C3"
: > "$DOVECOT_DIR/dovecot.log.mark"
n0=$(grep -c 'Login: user=' "$DOVECOT_DIR/dovecot.log")
"$TIPLINE_BIN" --config "$C3" fetch 2>"$WORK/err5"; is "$?" 77 "untrusted certificate exits 77"
like "$(cat "$WORK/err5")" "certificate|SSL|TLS" "the error says it is the certificate"
is "$(grep -c 'Login: user=' "$DOVECOT_DIR/dovecot.log")" "$n0" \
	"no login happened with an untrusted certificate"

# 6. Every after_fetch action, checked in the server's Maildir.
C4=$WORK/act.conf; DB4=$WORK/act.db
new_conf "$C4" "$DB4"
make_folder Archive
for a in none seen flag move delete; do
	gen_msgs "$WORK/$a" "$a" 3
	seed_folder "A$a" "$WORK/$a"/*.eml
	case $a in
	move) mailbox_conf "$C4" "$a" "A$a" "after_fetch=move Archive" ;;
	*) mailbox_conf "$C4" "$a" "A$a" "after_fetch=$a" ;;
	esac
done
"$TIPLINE_BIN" --config "$C4" fetch 2>"$WORK/err6"; is "$?" 0 "fetch of five mailboxes exits 0"
is "$(of_db "$DB4" .total stats)" 15 "15 messages stored"
is "$(dbq "$DB4" 'SELECT count(*) FROM ledger WHERE action_done = 1')" 15 \
	"every ledger row has its action done"
is "$(folder_flags Anone | tr '\n' ' ')" "- - - " "none: no flag set (BODY.PEEK leaves \\Seen alone)"
is "$(folder_flags Aseen | tr '\n' ' ')" "S S S " "seen: \\Seen set"
is "$(folder_flags Aflag | tr '\n' ' ')" "a a a " "flag: one keyword set"
grep -q '\$Tipline' "$(folder_dir Aflag)/dovecot-keywords"; is "$?" 0 \
	"flag: the keyword is \$Tipline"
is "$(folder_count Amove)" 0 "move: gone from the source folder"
is "$(folder_count Archive)" 3 "move: all three in Archive"
is "$(folder_count Adelete)" 0 "delete: expunged"
"$TIPLINE_BIN" --config "$C4" fetch 2>/dev/null; is "$?" 0 "second run exits 0"
is "$(of_db "$DB4" .total stats)" 15 "second run stores nothing"
is "$(folder_count Archive)" 3 "second run moves nothing twice"

# 7. start = now: history left alone, the starting UID recorded.
C5=$WORK/now.conf; DB5=$WORK/now.db
new_conf "$C5" "$DB5"
gen_msgs "$WORK/old" old 3
gen_msgs "$WORK/neu" neu 2
seed_folder Now "$WORK/old"/*.eml
mailbox_conf "$C5" now Now start=now
"$TIPLINE_BIN" --config "$C5" fetch 2>/dev/null; is "$?" 0 "start = now: first run exits 0"
is "$(of_db "$DB5" .total stats)" 0 "start = now: old messages left alone"
is "$(dbq "$DB5" "SELECT start_uid || ' ' || last_uid FROM mailbox_state")" "4 3" \
	"start = now: start_uid 4 recorded"
seed_folder Now "$WORK/neu"/*.eml
"$TIPLINE_BIN" --config "$C5" fetch 2>/dev/null; is "$?" 0 "start = now: second run exits 0"
is "$(dbq "$DB5" "SELECT uid FROM ledger ORDER BY uid" | paste -sd ' ')" "4 5" \
	"start = now: only the new messages (UIDs 4 and 5) fetched"

# 8. doctor: connects, logs in, shows the state; exit status for monitoring.
tl doctor > "$WORK/doc1" 2>&1; is "$?" 0 "doctor: all is well, exit 0"
like "$(cat "$WORK/doc1")" "UIDVALIDITY: [0-9]+ \(as last fetched\)" "doctor shows UIDVALIDITY"
like "$(cat "$WORK/doc1")" "UIDNEXT: +8" "doctor shows UIDNEXT"
like "$(cat "$WORK/doc1")" "waiting: +0 message" "doctor: nothing waiting after a fetch"
like "$(cat "$WORK/doc1")" "last fetch: +20[0-9-]+ [0-9:]+ [+-][0-9:]+ \([A-Za-z_/+-]+\) \([0-9]+ s ago\)" \
	"doctor shows the last successful fetch and its age"
gen_msgs "$WORK/doc" doc 2
seed "$WORK/doc"/*.eml
tl doctor > "$WORK/doc2" 2>&1
like "$(cat "$WORK/doc2")" "waiting: +2 message" "doctor counts the messages waiting"
is "$(count_all)" 7 "doctor fetches nothing"
"$TIPLINE_BIN" --config "$C2" doctor > "$WORK/doc3" 2>&1; is "$?" 77 \
	"doctor with a refused login exits 77"
like "$(cat "$WORK/doc3")" "PROBLEM" "and says so"
sql "UPDATE mailbox_state SET last_success_utc = '2020-01-01T00:00:00Z'"
tl doctor --max-age 1h > "$WORK/doc4" 2>&1; is "$?" 75 \
	"doctor --max-age: a stale last fetch exits 75"

# 9. A move target that does not exist: the messages are stored anyway
# (storing comes first), the run says 78, and once the folder exists the
# next run applies the pending moves without fetching anything twice.
C6=$WORK/nofolder.conf; DB6=$WORK/nofolder.db
new_conf "$C6" "$DB6"
gen_msgs "$WORK/nf" nf 3
seed_folder NoFolder "$WORK/nf"/*.eml
mailbox_conf "$C6" nf NoFolder "after_fetch=move Missing"
"$TIPLINE_BIN" --config "$C6" fetch 2>"$WORK/err9"; is "$?" 78 "move to a missing folder: exit 78"
like "$(cat "$WORK/err9")" "Missing" "the error names the folder"
is "$(dbq "$DB6" "SELECT count(*) || '/' || sum(action_done) FROM ledger")" "3/0" \
	"messages stored, moves pending"
make_folder Missing
"$TIPLINE_BIN" --config "$C6" fetch 2>"$WORK/err9b"; is "$?" 0 "folder created: next run exits 0"
like "$(cat "$WORK/err9b")" "3 repaired" "the pending moves are applied"
is "$(of_db "$DB6" .total stats)/$(dbq "$DB6" 'SELECT sum(action_done) FROM ledger')" "3/3" \
	"nothing fetched twice, every move done"
is "$(folder_count NoFolder) $(folder_count Missing)" "0 3" "the messages moved"

# 10. max_message_size raised: the too_large entry is completed by the next
# fetch (its UID is below the watermark, so only the ledger knows it).
tl -q fetch; is "$?" 0 "fetch of the messages seeded for doctor"
is "$(tj '"\(.total)/\(.statuses.too_large)"' stats)" "9/1" \
	"9 submissions, one of them too_large"
sed -i 's/^max_message_size = 20k$/max_message_size = 100k/' "$CONF"
tl -v fetch 2>"$WORK/err10"; is "$?" 0 "fetch after raising max_message_size exits 0"
like "$(cat "$WORK/err10")" "uid 6: too_large #6 completed as #[0-9]+" "the completion is logged"
is "$(sql "SELECT l.outcome || ' ' || (CASE WHEN s.raw_size = l.size THEN 1 ELSE 0 END) || ' ' || s.status FROM ledger l JOIN submission s ON s.id = l.submission_id WHERE l.uid = 6 AND l.mailbox = 'test'")" \
	"stored 1 new" "uid 6 now holds the whole message"
is "$(tj '"\(.total)/\(.statuses.too_large)"' stats)" "9/0" \
	"the header-only entry was replaced, nothing doubled"
is "$(tj '[.[] | select(.action == "refetch")] | length' audit 6)" 1 \
	"the replacement is in the audit log"
tl -v fetch 2>"$WORK/err10b"
is "$(grep -o 'C: [^ ]* [A-Z]*' "$WORK/err10b" | awk '{print $3}' | tr '\n' ' ')" \
	"STATUS LOGOUT " "afterwards a poll is STATUS only again"

# 11. A too_large message removed from the server before the limit was
# raised: recorded once, not asked for on every later run (QA F43).
C7=$WORK/gone.conf; DB7=$WORK/gone.db
new_conf "$C7" "$DB7"
seed_folder Gone "$D/06-big.eml"
mailbox_conf "$C7" gone Gone max_message_size=20k
"$TIPLINE_BIN" --config "$C7" -q fetch; is "$?" 0 "gone: first fetch queues the header"
rm -f "$(folder_dir Gone)"/new/* "$(folder_dir Gone)"/cur/*
sed -i 's/^max_message_size = 20k$/max_message_size = 100k/' "$C7"
"$TIPLINE_BIN" --config "$C7" fetch 2>"$WORK/err11"; is "$?" 0 "gone: fetch after raising the limit exits 0"
like "$(cat "$WORK/err11")" "uid 1: removed from the server before it could be fetched whole" \
	"gone: a warning says so"
is "$(dbq "$DB7" "SELECT outcome || ' ' || action_done FROM ledger")" "too_large 4" \
	"gone: the ledger records it"
"$TIPLINE_BIN" --config "$C7" -v fetch 2>"$WORK/err11b"
is "$(grep -o 'C: [^ ]* [A-Z]*' "$WORK/err11b" | awk '{print $3}' | tr '\n' ' ')" \
	"STATUS LOGOUT " "gone: later polls do not ask again"
