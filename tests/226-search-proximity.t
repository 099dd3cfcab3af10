#!/bin/sh
# 226-search-proximity.t - in relevance order, words that stand together
# in one field come first, before a higher rank (desk_rank_proximity: 2
# next to each other and in order, 1 within a few words, 0 apart or in
# different fields), on SQLite (tl_proximity) and on PostgreSQL
# (check-pg: the lexemes' places read from each row's tsvector).  Written
# so that the rank alone puts the last message before the second: it has
# "Đà" in its subject, which weighs most, and "Nẵng" at the start of its
# text, close by in ts_rank_cd's cover; the second has both in its text,
# five words apart.  None has them without diacritics, so no row is an
# exact match.
. "$(dirname "$0")/lib.sh"

plan 4

M=$WORK/mail.mbox
{
	mbox_mail 1 "Thư số một" "Hôm nay ở Đà Nẵng mưa to."
	mbox_mail 2 "Thư số hai" "Cầu Đà bị ngập sáng nay ở Nẵng."
	mbox_mail 3 "Thư gửi từ Đà" "Nẵng hôm nay mưa to."
} > "$M"
tl -q import "$M"
is "$(count_all)" 3 "three messages imported"
order() { tj 'map(.id | tostring) | join(",")' search "$@"; }
is "$(order da nang)" "1,2,3" \
	"side by side first, then near, then in two fields (all ranked)"
is "$(order da nang --limit 50)" "1,2,3" "the same on a page"
is "$(tj '.[-1].id' search nang da --limit 50)" 3 \
	"typed the other way round: the words in two fields are still last"
