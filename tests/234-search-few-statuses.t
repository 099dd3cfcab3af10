#!/bin/sh
# 234-search-few-statuses.t - a search narrowed to statuses that hold few
# submissions (new, spam) tests each match against the list of those
# statuses' ids instead of reading the match's row (desk.c,
# status_ids_few): `kho hang` among the new at 1,000,000 went from 150 to
# 55 ms, among the quarantined (none) from 4.3 s to nothing to do.  The
# results must be exactly those of the row-by-row path, which the test
# build takes when TIPLINE_STATUS_IDS_MAX is lower than the statuses'
# count.  SQLite only: PostgreSQL's search is pg-search.c.
. "$(dirname "$0")/lib.sh"
sqlite_only
[ -x "$TIPLINE_FAULTS_BIN" ] ||
	skip_all "no $TIPLINE_FAULTS_BIN (make build/tipline-faults)"

plan 10

M=$WORK/mail.mbox
{
	i=1
	while [ $i -le 30 ]; do
		# every third says it twice (ranks higher), every fifth has
		# the other word only
		case $((i % 5)) in
		0) mbox_mail $i "Tin số $i" "chợ nổi số $i" ;;
		*) if [ $((i % 3)) = 0 ]; then
			mbox_mail $i "Tin số $i" \
			    "cháy kho hàng số $i, kho hàng cháy lớn"
		   else
			mbox_mail $i "Tin số $i" "cháy kho hàng số $i"
		   fi ;;
		esac
		i=$((i + 1))
	done
} > "$M"
tl -q import "$M"
is "$(count_all)" 30 "30 messages imported"
tl -q spam 3 7 12 21 26
tl -q approve 1 2 4 5 6 8 9 10 11
is "$(tl list --status spam --json | jq length)" 5 "five marked spam"

ids() { # [NAME=VALUE...] -- SEARCH ARGS: the result ids, in order
	e=
	while [ "$1" != -- ]; do e="$e $1"; shift; done
	shift
	env $e "$TIPLINE_FAULTS_BIN" --config "$CONF" search "$@" --json |
		jq -c '[.[].id]'
}
# spam: 3, 7, 12, 21, 26 all say "kho hàng"; 3, 12, 21 say it twice
# (ranked first, newest first among equals), then 26 and 7.
is "$(ids -- 'kho hang' --status spam)" '[21,12,3,26,7]' \
	"spam: the five, in rank order (the list of ids)"
is "$(ids TIPLINE_STATUS_IDS_MAX=5 -- 'kho hang' --status spam)" \
	'[21,12,3,26,7]' "... the same read row by row (5 is not fewer than 5)"
is "$(ids -- 'kho hang' --status spam --limit 2 --offset 1)" '[12,3]' \
	"a page of it"
is "$(ids -- 'kho hang' --status spam --reverse)" '[7,26,3,12,21]' \
	"reversed"
new=$(ids -- 'kho hang' --status new,spam)
is "$new" "$(ids TIPLINE_STATUS_IDS_MAX=1 -- 'kho hang' --status new,spam)" \
	"new and spam: the same both ways"
is "$(printf '%s' "$new" | jq length)" 17 \
	"... 17 of them (21 new or spam, less the four without the words)"
is "$(ids -- 'kho hang' --status quarantined)" '[]' \
	"a status nobody has: no result"
is "$(ids -- 'cho noi' --status approved)" '[10,5]' \
	"approved, the other words: newest first among equals"
