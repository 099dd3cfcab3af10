#!/bin/sh
# 197-search-page-bound.t - a search page in relevance order ranks the
# newest 1,000 matches that pass the filters (desk_rank_candidates), on
# SQLite and on PostgreSQL (check-pg): a word in most of a million
# submissions took seconds when every match was ranked.  1,100 messages
# written here, each with "lụt" in its text; the oldest also has it in
# its subject, so it ranks first when every match is ranked.
. "$(dirname "$0")/lib.sh"

plan 7

M=$WORK/mail.mbox
awk 'BEGIN {
	for (i = 1; i <= 1100; i++) {
		s = (i == 1) ? "Lụt ở phường 5" : "Thư số " i
		printf "From reader@example.org Mon Jan  1 00:00:00 2024\n"
		printf "From: Nguyễn Văn A <reader.a@example.org>\n"
		printf "To: tin@example.net\nSubject: %s\n", s
		printf "Date: Mon, 03 Jun 2024 08:00:00 +0700\n"
		printf "Message-ID: <b%d@example.org>\nMIME-Version: 1.0\n", i
		printf "Content-Type: text/plain; charset=utf-8\n"
		printf "Content-Transfer-Encoding: 8bit\n\n"
		printf "Nước dâng cao sau trận lụt, thư số %d.\n\n", i
	}
}' > "$M"
tl -q import "$M"
is "$(count_all)" 1100 "1,100 messages imported"
# the newest 1,040 decided: 60 stay new, the oldest ones
tl -q approve $(seq 61 1100)
is "$(tj '.[0].id' search lụt)" 1 \
	"every match ranked without --limit: the subject's match first"
is "$(tj '[.[] | .id | select(. < 101)] | length' search lụt --limit 5)" 0 \
	"a page ranks the newest 1,000 matches: the oldest 100 are not on it"
is "$(tj 'length' search lụt --limit 5)" 5 "the page is full"
# a page reaching past the first 1,000 ranks the newest 2,000: here all
is "$(tj '.[0].id' search lụt --limit 1001)" 1 \
	"--limit 1001: ranked from the newest 2,000, the subject's match first"
# the filters come first: the 1,000 newest matches that are new
is "$(tj 'length' search lụt --status new --limit 50)" 50 \
	"--status new: a full page of the 60 new ones"
is "$(tj '[.[] | .status] | unique | join(",")' search lụt --status new \
	--limit 50)" new "all of them new"
