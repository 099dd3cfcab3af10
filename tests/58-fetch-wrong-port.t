#!/bin/sh
# Issue 10 item 8: a url whose scheme does not match the port. imap://
# pointed at an IMAPS port waited and said "temporary failure"; imaps://
# at a plain IMAP port said "wrong version number". Both now say what is
# probably wrong (exit 78: a setting to fix), in fetch and doctor.
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
dovecot_need
plan 8

# conf TAG URL: a config $C with one mailbox at URL.
conf() {
	C=$WORK/$1.conf
	new_conf "$C" "$WORK/$1.db"
	printf '[mailbox test]\nurl = %s\nusername = %s\npassword_file = %s\ncafile = %s\nconnect_timeout = 2\nlow_speed_time = 2\n' \
		"$2" "$IMAP_USER" "$WORK/pass" "$IMAP_CAFILE" >> "$C"
}

conf plain "imap://127.0.0.1:$IMAPS_PORT/INBOX"
run fetch
is "$RC" 78 "imap:// at the IMAPS port: fetch exits 78"
like "$OUT" "no IMAP greeting \\(the server sent nothing\\): is this an imaps:// port" \
	"imap:// at the IMAPS port: says what is probably wrong"
run doctor
is "$RC" 78 "imap:// at the IMAPS port: doctor exits 78"
like "$OUT" "is this an imaps:// port" "imap:// at the IMAPS port: doctor says it too"

conf tls "imaps://127.0.0.1:$IMAP_PORT/INBOX"
run fetch
is "$RC" 78 "imaps:// at the plain port: fetch exits 78"
like "$OUT" "the server answered without TLS: is this an imap:// port" \
	"imaps:// at the plain port: says what is probably wrong"

conf ok "imaps://127.0.0.1:$IMAPS_PORT/INBOX"
run fetch
is "$RC" 0 "the right scheme at the right port still works"
is "$(printf '%s' "$OUT" | grep -c 'is this an')" 0 "and says nothing of the kind"
exit $_failed
