#!/bin/sh
# 208-pg-raw-copy.t - an original longer than one chunk goes into
# PostgreSQL as the rows of one binary COPY (issue 13: the server stores
# chunk K while tipline reads chunk K+1), an original of one chunk as one
# INSERT; both come back byte-exact, in chunks of 256 KiB numbered from 0.
# Runs on PostgreSQL in `make check` too (its own server).
. "$(dirname "$0")/lib.sh"
pg_always
plan 8

M=$WORK/mail
mkdir -p "$M"
# A photo of 1,100,000 random bytes (1.47 MB of base64: six chunks) and a
# short note (one chunk).
{
	printf 'From: Nguyễn Văn A <reader.a@example.org>\nTo: tin@example.net\n'
	printf 'Subject: Ảnh cháy chợ\nDate: Mon, 03 Jun 2024 08:00:00 +0700\n'
	printf 'Message-ID: <rawcopy1@example.org>\nMIME-Version: 1.0\n'
	printf 'Content-Type: multipart/mixed; boundary="b1"\n\n--b1\n'
	printf 'Content-Type: text/plain; charset=utf-8\n\nẢnh chụp sáng nay.\n'
	printf -- '--b1\nContent-Type: image/jpeg; name="cho.jpg"\n'
	printf 'Content-Transfer-Encoding: base64\n\n'
	head -c 1100000 /dev/urandom | base64
	printf -- '--b1--\n'
} > "$M/big.eml"
printf 'From: Trần Thị B <reader.b@example.org>\nTo: tin@example.net\nSubject: Tin ngắn\nDate: Mon, 03 Jun 2024 09:00:00 +0700\nMessage-ID: <rawcopy2@example.org>\n\nMột dòng.\n' > "$M/small.eml"
tl -q import "$M/big.eml" "$M/small.eml"
is "$?" 0 "both import"
BIG=$(id_of rawcopy1@example.org); SMALL=$(id_of rawcopy2@example.org)
size=$(wc -c < "$M/big.eml" | tr -d ' ')
chunks=$(( (size + 262143) / 262144 ))
is "$(sql "SELECT count(*) || ' ' || min(seq) || ' ' || max(seq) || ' ' ||
	sum(length(bytes)) FROM raw WHERE submission_id = $BIG")" \
	"$chunks 0 $((chunks - 1)) $size" \
	"the long original: $chunks chunks numbered from 0, every byte"
is "$(sql "SELECT count(*) FROM raw WHERE submission_id = $BIG AND seq <
	$((chunks - 1)) AND length(bytes) <> 262144")" 0 \
	"... each but the last 256 KiB"
tl show "$BIG" --raw > "$WORK/big.out"
cmp -s "$M/big.eml" "$WORK/big.out"
ok $? "... and it comes back byte-exact"
is "$(sql "SELECT count(*) || ' ' || min(seq) FROM raw WHERE
	submission_id = $SMALL")" "1 0" "the short original: one chunk"
tl show "$SMALL" --raw > "$WORK/small.out"
cmp -s "$M/small.eml" "$WORK/small.out"
ok $? "... byte-exact"
# The COPY ran inside the message's savepoint: a message that follows in
# the same import is stored normally after it.
printf 'From: Lê Văn C <reader.c@example.org>\nTo: tin@example.net\nSubject: Sau ảnh\nDate: Mon, 03 Jun 2024 10:00:00 +0700\nMessage-ID: <rawcopy3@example.org>\n\nTiếp.\n' > "$M/after.eml"
cp "$M/big.eml" "$M/again.eml"
sed -i 's/rawcopy1@/rawcopy4@/' "$M/again.eml"
tl -q import "$M/again.eml" "$M/after.eml"
is "$(sql "SELECT count(*) FROM submission")" 4 \
	"a second long original and a message after it in one import"
like "$(tl doctor 2>&1 | grep '^checks:')" "ok" \
	"doctor's integrity check reads every chunk back and finds them sound"
