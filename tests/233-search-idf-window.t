#!/bin/sh
# 233-search-idf-window.t - a search in relevance order weighs each word
# by how rare it is among the newest submissions (tl_bm25's IDFs, counted
# among the newest DESK_RANK_IDF_ROWS, 100,000), not by reading every
# row that holds it, which FTS5's bm25() did for 7 to 27 ms a search at a
# million.  A queue smaller than that is counted whole, and ranks as
# bm25() did.  Built so that the two countings disagree: "beta" is in
# twenty old messages and one new one, "alpha" in five new ones.  Over
# the whole queue alpha is the rare word and the message that says it
# three times comes first; among the newest six (the test build's
# TIPLINE_RANK_IDF_ROWS) beta is, and the one that says beta three times
# does.  SQLite only: PostgreSQL ranks with ts_rank_cd, which weighs no
# word by its rarity.
. "$(dirname "$0")/lib.sh"
sqlite_only
[ -x "$TIPLINE_FAULTS_BIN" ] ||
	skip_all "no $TIPLINE_FAULTS_BIN (make build/tipline-faults)"

plan 7

M=$WORK/mail.mbox
{
	i=1
	while [ $i -le 20 ]; do
		mbox_mail $i "Tin số $i" "beta tin cũ số $i về cầu đường"
		i=$((i + 1))
	done
	mbox_mail 21 "Tin số 21" "tin mới: alpha một lần, chợ"
	mbox_mail 22 "Tin số 22" "tin mới: alpha một lần, sông"
	mbox_mail 23 "Tin số 23" "tin mới: alpha một lần, phố"
	mbox_mail 24 "Tin số 24" "tin mới: alpha một lần, gió"
	mbox_mail 25 "Tin số 25" "alpha alpha alpha ở bến xe"
	mbox_mail 26 "Tin số 26" "beta beta beta ở bến xe"
} > "$M"
tl -q import "$M"
is "$(count_all)" 26 "26 messages imported"

first() { # [NAME=VALUE...]: the first result's id
	env "$@" "$TIPLINE_FAULTS_BIN" --config "$CONF" search 'alpha OR beta' \
		--limit 50 --json | jq -r '.[0].id'
}
is "$(first)" 25 \
	"counted over the whole queue: alpha is rare, its message first"
is "$(first TIPLINE_RANK_IDF_ROWS=6)" 26 \
	"counted among the newest six: beta is rare, its message first"
is "$(tj '.[0].id' search 'alpha OR beta' --limit 50)" 25 \
	"the release build counts a queue of 26 whole"
n=$(env TIPLINE_RANK_IDF_ROWS=6 "$TIPLINE_FAULTS_BIN" --config "$CONF" \
	search 'alpha OR beta' --limit 50 --json | jq length)
is "$n" 26 "every match is still found (only the order moves)"

# Each phrase's count is one word of tl_bm25's last argument, not an
# argument of its own: SQLite lets a function have at most 127, and a
# search of 122 words or more failed with "too many arguments".
words=$(python3 -c "print(' OR '.join(['alpha'] + ['beta'] * 130))")
n=$(tl search "$words" --limit 50 --json | jq length)
is "$n" 26 "a search of 131 words ranks (alpha or any of 130 betas)"
n=$(tl search "alpha $(python3 -c "print(' '.join('-x%d' % i for i in range(130)))")" \
	--limit 50 --json | jq length)
is "$n" 5 "...and one word with 130 exclusions"
