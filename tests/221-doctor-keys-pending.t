#!/bin/sh
# 221-doctor-keys-pending.t - `tipline doctor` run while a fetch runs
# does not call the submissions it stored a PROBLEM.  On SQLite a fetch
# makes the sort keys of what it stored when it closes (a9f524c), and
# until then the desk collates the sender sorts, so nothing is left out;
# doctor counted those rows as missing keys "an older tipline wrote",
# exited 65 and told the editor to run `reparse --sort-keys`: a false
# alarm for every monitoring run that met a fetch.  Rows without keys
# below the newest key are still one (the desk's keyed sorts leave them
# out).
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
sqlite_only
dovecot_need
plan 7

mkdir -p "$WORK/m" "$WORK/n"
tip_mail "$WORK/m/1.eml" 'Nguyễn Văn A <reader.a@example.org>' 1 pend
tip_mail "$WORK/m/2.eml" 'Trần Thị B <reader.b@example.org>' 2 pend
tip_mail "$WORK/n/3.eml" 'Đặng Thị C <reader.c@example.org>' 3 pend
seed_folder Pend1 "$WORK"/m/*.eml > /dev/null
seed_folder Pend2 "$WORK"/n/*.eml > /dev/null
C=$WORK/p.conf B=$WORK/p.db D=$WORK/doctor.conf
new_conf "$C" "$B"
new_conf "$D" "$B"
mailbox_conf "$C" one Pend1
mailbox_conf "$D" one Pend1
# The second mailbox's password command runs after the first mailbox's
# two rows are committed and before the fetch closes: doctor looks at
# the queue then (with a configuration of its own: the first mailbox).
cat > "$WORK/between.sh" <<SH
#!/bin/sh
"$TIPLINE_BIN" --config "$D" doctor > "$WORK/during.out" 2>&1
echo \$? > "$WORK/during.rc"
cat "$WORK/pass"
SH
chmod +x "$WORK/between.sh"
{
	printf '[mailbox two]\n'
	printf 'url = imaps://127.0.0.1:%s/Pend2\n' "$IMAPS_PORT"
	printf 'username = %s\npassword_command = %s\ncafile = %s\n' \
		"$IMAP_USER" "$WORK/between.sh" "$IMAP_CAFILE"
} >> "$C"
keys() { grep '^sort keys:' "$1"; }

"$TIPLINE_BIN" --config "$C" fetch > /dev/null 2> "$WORK/err"
is "$?" 0 "fetch two mailboxes"
"$TIPLINE_BIN" --config "$D" doctor > "$WORK/after.out" 2>&1
is "$?" 0 "doctor after the fetch exits 0"
like "$(keys "$WORK/during.out")" '^sort keys: ok' \
	"doctor during the fetch: the rows it stored are not a problem"
is "$(cat "$WORK/during.rc")" 0 "...and doctor exits 0"
like "$(keys "$WORK/after.out")" '^sort keys: ok, ICU collator' \
	"after the fetch: every key made"

# A hole below the newest key is a problem, for doctor as for the desk.
sqlite3 "$B" 'DELETE FROM sort_key WHERE submission_id = 1'
"$TIPLINE_BIN" --config "$D" doctor > "$WORK/hole.out" 2>&1
is "$?" 65 "doctor exits 65 for a row without keys below the newest key"
like "$(keys "$WORK/hole.out")" \
	'^sort keys: PROBLEM: 1 submission\(s\) without keys' "...and says so"
