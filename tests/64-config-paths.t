#!/bin/sh
# Paths in the configuration (issue 10 item 8): a ';' comment right after
# a value is a comment, not part of the path, for every key but url and
# the *_command keys (which may hold a ';' of their own); a cafile that is
# not there is a configuration error when the file is read, naming the
# file, the line, the path and the reason.
. "$(dirname "$0")/lib.sh"
plan 14

printf 'secret\n' > "$WORK/pass" && chmod 600 "$WORK/pass"
: > "$WORK/ca.pem"
conf() {	# PASSWORD_FILE_VALUE CAFILE_VALUE [EXTRA]
	printf '[store]\ndatabase = %s;the queue\nspool_dir = %s;spool\n\n[mailbox tips]\nurl = imaps://127.0.0.1:1/INBOX\nusername = u\npassword_file = %s\ncafile = %s\nafter_fetch = none;keep\n%s' \
		"$DB" "$SPOOL" "$1" "$2" "${3:-}" > "$WORK/c.conf"
}
doc() {	# run doctor; output in $WORK/doc (the mailbox cannot connect)
	"$TIPLINE_BIN" --config "$WORK/c.conf" doctor > "$WORK/doc" 2>&1; rc=$?
}

# 1. Comments right after path values.
for form in ';old password' ' ;old password' '	; tab' '  # hash'; do
	conf "$WORK/pass$form" "$WORK/ca.pem$form"
	doc
	# Both files were used: the run gets as far as the server.
	grep -q 'PROBLEM: .*cannot connect and log in' "$WORK/doc"
	ok $? "password_file and cafile with \"$form\": the comment is not part of the path"
done
"$TIPLINE_BIN" --config "$WORK/c.conf" import "$FIX/import/002-plain.eml" 2>/dev/null
is "$?" 0 "database and spool_dir with a comment: import works"
test -s "$DB"; is "$?" 0 "into the database the path names"
ls "$WORK" | grep -c ';' > "$WORK/n"
is "$(cat "$WORK/n")" 0 "no file with the comment in its name"

# 2. A command keeps its ';' (needs white space before a comment there).
conf "$WORK/pass" "$WORK/ca.pem"
sed -i "s|^password_file = .*|password_command = printf se;printf cret|" "$WORK/c.conf"
doc
like "$(cat "$WORK/doc")" "cannot connect and log in" \
	"password_command keeps its ';' (a shell command, not a comment)"

# 3. A missing cafile: file:line at load, for every command.
conf "$WORK/pass" "$WORK/no-such-ca.pem"
"$TIPLINE_BIN" --config "$WORK/c.conf" list > /dev/null 2>"$WORK/err"
is "$?" 78 "a missing cafile: 78 when the file is read"
like "$(cat "$WORK/err")" "c.conf:9: cafile $WORK/no-such-ca.pem: No such file or directory" \
	"naming file, line, path and reason"
doc
is "$rc" 78 "doctor: 78 too"
like "$(cat "$WORK/doc")" "c.conf:9: cafile" "with the same words, not 'error setting certificate file'"
conf "$WORK/pass" "$WORK"
"$TIPLINE_BIN" --config "$WORK/c.conf" list > /dev/null 2>"$WORK/err"
like "$(cat "$WORK/err")" "c.conf:9: cafile $WORK: not a file" "a folder as cafile: not a file"
conf "$WORK/pass" "ca.pem ; relative to the file"
"$TIPLINE_BIN" --config "$WORK/c.conf" import "$FIX/import/002-plain.eml" 2>"$WORK/err"
is "$?" 0 "a relative cafile is found beside the configuration"
