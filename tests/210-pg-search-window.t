#!/bin/sh
# 210-pg-search-window.t - on PostgreSQL a search page in relevance order
# looks for the newest 1,000 matches among the newest 16,000 ids first and
# widens the window (8 times, then the whole queue) when it holds fewer
# (pg-search.c, search_window): here the newest 20,000 ids hold none of
# the matches, so a page is only right if the window widens.  Runs on
# PostgreSQL in `make check` too (its own server).
. "$(dirname "$0")/lib.sh"
pg_always
plan 5

mbox() {	# FIRST LAST WORD: an mbox of messages FIRST..LAST saying WORD
	awk -v a="$1" -v z="$2" -v w="$3" 'BEGIN {
	for (i = a; i <= z; i++) {
		printf "From reader@example.org Mon Jan  1 00:00:00 2024\n"
		printf "From: Nguyễn Văn A <reader.a@example.org>\n"
		printf "To: tin@example.net\nSubject: Thư số %d\n", i
		printf "Date: Mon, 03 Jun 2024 08:00:00 +0700\n"
		printf "Message-ID: <w%d@example.org>\nMIME-Version: 1.0\n", i
		printf "Content-Type: text/plain; charset=utf-8\n"
		printf "Content-Transfer-Encoding: 8bit\n\n"
		printf "%s, thư số %d.\n\n", w, i
	}
}'
}
mbox 1 1100 "Nước dâng cao sau trận lụt" > "$WORK/a.mbox"
mbox 1101 1120 "Trời nắng đẹp" > "$WORK/b.mbox"
tl -q import "$WORK/a.mbox"
sql "SELECT setval(pg_get_serial_sequence('submission', 'id'), 40000)" \
	> /dev/null
tl -q import "$WORK/b.mbox"
is "$(sql "SELECT count(*) || ' ' || max(id) FROM submission")" \
	"1120 40020" "1,100 matches, then 20 others with ids past 40,000"
tl search lụt --limit 50 --json > "$WORK/p1" 2>&1
is "$(jq length "$WORK/p1")" 50 "the first page holds 50 matches"
is "$(jq '[.[].id] | map(select(. >= 101 and . <= 1100)) | length' \
	"$WORK/p1")" 50 "... all among the newest 1,000 matches (ids 101-1,100)"
tl search lụt --limit 50 --offset 1050 --json > "$WORK/p2" 2>&1
is "$(jq length "$WORK/p2")" 50 "the page after 1,050: 50 more"
is "$(tl search lụt --json | jq length)" 1100 \
	"without --limit every match (1,100)"
