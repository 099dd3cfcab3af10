#!/bin/sh
# 220-sort-keys-holes.t - a fetch's close makes the sort keys of every
# submission it stored, also when another connection made a key above
# them meanwhile.  The close used to key only what lay above the newest
# key: a `tipline reparse` of the newest submission (or an older tipline,
# which keys each insert) while the fetch was still polling its next
# mailbox left the fetch's first rows without keys for good, and the
# desk's `list --all --sort sender`, which then joins the keys (they
# reach the newest submission), left those rows out.
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
sqlite_only
dovecot_need
plan 6

mkdir -p "$WORK/m" "$WORK/n"
tip_mail "$WORK/m/1.eml" 'Ông Văn E <reader.e@example.org>' 1 hole
tip_mail "$WORK/m/2.eml" 'Đặng Thị C <reader.c@example.org>' 2 hole
tip_mail "$WORK/n/4.eml" 'Nguyễn Văn A <reader.a@example.org>' 4 hole
seed_folder Hole1 "$WORK"/m/*.eml > /dev/null
seed_folder Hole2 "$WORK"/n/*.eml > /dev/null
C=$WORK/h.conf B=$WORK/h.db
new_conf "$C" "$B"
mailbox_conf "$C" one Hole1
# The second mailbox's password command runs after the first mailbox's
# two rows are committed, and before the fetch closes: there another
# writer, opened before them (so its open made none of their keys),
# stores row 3 with its key, as an older tipline's import does; here
# sqlite3 plays it, with a copy of row 2 under another hash.
cat > "$WORK/between.sh" <<SH
#!/bin/sh
sqlite3 "$B" "CREATE TEMP TABLE t AS SELECT * FROM submission WHERE id = 2;
	UPDATE t SET id = 3, content_hash = 'other-' || content_hash,
	message_id = '<hole-3b@example.org>', from_name = 'Dương Văn D',
	from_addr = 'reader.d@example.org';
	INSERT INTO submission SELECT * FROM t;
	INSERT INTO sort_key VALUES (3, x'01', x'01');"
echo \$? > "$WORK/between.rc"
cat "$WORK/pass"
SH
chmod +x "$WORK/between.sh"
{
	printf '[mailbox two]\n'
	printf 'url = imaps://127.0.0.1:%s/Hole2\n' "$IMAPS_PORT"
	printf 'username = %s\npassword_command = %s\ncafile = %s\n' \
		"$IMAP_USER" "$WORK/between.sh" "$IMAP_CAFILE"
} >> "$C"
q() { sqlite3 "$B" "$1"; }
ids() {
	"$TIPLINE_BIN" --config "$C" list --all --flat --sort "$1" --json |
		jq -r '[.[].id] | join(",")'
}

"$TIPLINE_BIN" --config "$C" fetch > /dev/null 2> "$WORK/err"
is "$?" 0 "fetch two mailboxes"
is "$(cat "$WORK/between.rc")" 0 "another writer stored row 3 between them"
is "$(q 'SELECT count(*) FROM submission s WHERE NOT EXISTS (SELECT 1 FROM
	sort_key k WHERE k.submission_id = s.id)')" 0 \
	"the fetch's close made every key"
is "$(ids sender | tr , '\n' | sort | paste -sd,)" "1,2,3,4" "every submission is in the sender sort"
is "$(ids given-name | tr , '\n' | sort | paste -sd,)" "1,2,3,4" \
	"...and in the given-name sort"
"$TIPLINE_BIN" --config "$C" doctor 2>/dev/null | grep '^sort keys:' \
	> "$WORK/doctor"
like "$(cat "$WORK/doctor")" '^sort keys: ok' "doctor finds no key missing"
