#!/bin/sh
# 224-import-spool-reuse.t - an import of an mbox writes its messages
# into one spool file used again (util.h, spool_pool), not a new file per
# message, and reads a quarantined message's header block through a
# memfd, not a file: on ext4 without a journal each new file skips every
# inode freed in the last minute (docs/performance.md, "Spool files used
# again"), the cost the fetch stopped paying in b27514c.  300 messages of
# sizes that go up and down (a file used again and not cut would keep a
# longer one's tail), every tenth nested past max_mime_depth (quarantined:
# its sender, subject and In-Reply-To come from its header block alone).
. "$(dirname "$0")/lib.sh"
sqlite_only
command -v strace >/dev/null 2>&1 || skip_all "strace not installed"
plan 7

printf '[limits]\nmax_mime_depth = 2\n' >> "$CONF"
# The mbox, and each message's Message-ID and length in bytes.
LC_ALL=C awk -v mbox="$WORK/in.mbox" -v lens="$WORK/want" 'BEGIN {
	for (k = 1; k <= 300; k++) {
		m = "From: Nguyễn Văn A <reader.a@example.org>\n" \
		    "To: tips@example.com\n" \
		    "Subject: spool " k "\n" \
		    "Date: Mon, 03 Jun 2024 10:00:00 +0000\n" \
		    "Message-ID: <spool-" k "@example.org>\n"
		if (k % 10 == 0)
			m = m "In-Reply-To: <spool-" k - 1 "@example.org>\n" \
			    "MIME-Version: 1.0\n" \
			    "Content-Type: multipart/mixed; boundary=b0\n\n" \
			    "--b0\nContent-Type: multipart/mixed; " \
			    "boundary=b1\n\n--b1\nContent-Type: " \
			    "multipart/mixed; boundary=b2\n\n--b2\n" \
			    "Content-Type: text/plain\n\n"
		else
			m = m "\n"
		for (j = 1; j <= (k * 7) % 40 + 1; j++)
			m = m "line " j " of tip " k ", padded to a longer " \
			    "line of text\n"
		if (k % 10 == 0)
			m = m "--b2--\n--b1--\n--b0--\n"
		printf "From reader.a@example.org Mon Jun  3 10:00:00 " \
		    "2024\n%s\n", m > mbox
		printf "spool-%d@example.org|%d\n", k, length(m) > lens
	}
}'

strace -f -qq -e trace=openat -o "$WORK/trace" \
	"$TIPLINE_BIN" --config "$CONF" -q import "$WORK/in.mbox" \
	2> "$WORK/err"
is "$?" 0 "import an mbox of 300 messages"
is "$(sql "SELECT status, count(*) FROM submission GROUP BY status
	ORDER BY status" | tr '\n' ' ')" "new|270 quarantined|30 " \
	"270 stored, 30 quarantined"
made=$(grep "\"$SPOOL/" "$WORK/trace" | grep -c 'O_CREAT')
[ "$made" -le 3 ]
ok $? "spool files made: $made (at most 3, not one or two per message)"
# Each original is as long as the message: a file used again and not
# cut would leave a longer one's tail in it.
sql "SELECT s.message_id || '|' || length(r.bytes) FROM submission s
	JOIN raw r ON r.submission_id = s.id" | sort > "$WORK/got"
sort "$WORK/want" > "$WORK/want.s"
is "$(comm -3 "$WORK/want.s" "$WORK/got" | wc -l | tr -d ' ')" 0 \
	"every original as long as its message"
is "$(sql "SELECT count(*) FROM submission WHERE status = 'quarantined'
	AND from_addr = 'reader.a@example.org' AND subject LIKE 'spool %'
	AND in_reply_to IS NOT NULL")" 30 \
	"quarantined: sender, subject and In-Reply-To from the header block"
is "$(ls -A "$SPOOL" | wc -l | tr -d ' ')" 0 "no spool file left"

# A spool file that cannot be written (past RLIMIT_FSIZE, as on a full
# disk) stops the import, and the pool still removes its file: the
# second message is cut short in the file the first one was written in.
{
	printf 'From reader.a@example.org Mon Jun  3 10:00:00 2024\n'
	printf 'Subject: short\nMessage-ID: <late-1@example.org>\n\nok\n\n'
	printf 'From reader.a@example.org Mon Jun  3 10:00:00 2024\n'
	printf 'Subject: long\nMessage-ID: <late-2@example.org>\n\n'
	head -c 3000000 /dev/zero | tr '\0' 'x' | fold -w 70
} > "$WORK/late.mbox"
(trap '' XFSZ; ulimit -f 2048; exec "$TIPLINE_BIN" --config "$CONF" -q \
	import "$WORK/late.mbox") 2> "$WORK/err2"
rc=$?
is "$rc/$(ls -A "$SPOOL" | wc -l | tr -d ' ')" "75/0" \
	"a spool write past the limit: exit 75, no spool file left"
