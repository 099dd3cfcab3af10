#!/bin/sh
# 232-list-deep-pages.t - a page of the thread-sorted list, however deep,
# holds the rows the whole list sorted by thread key holds there (desk.c
# and pg-desk.c walk the messages down to the page; desk-walk.c).  2,800
# tips and their follow-ups (tests/data/desk/deep-gen.py): threads whose
# follow-ups sit pages away from their root, follow-ups dated before it,
# many rows to one minute (and to one arrival second), statuses, GPS,
# seen marks; pages of 1, 7, 50 and 51 rows at offsets from 0 past the
# end, around 2,000 (where the list once changed method) too, for several
# filters and reversed, each against the same list whole.  Then the same
# pages from the browser desk.  On top, a tie: R and X at one minute, R's
# follow-up (stored after X) dated before both, so R sorts first by its
# thread's largest id; a page of candidates by own time (X) and by latest
# follow-up (not R's) once put X first.
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
serve_need
plan 17

python3 "$FIX/desk/deep-gen.py" 2800 "$WORK/q.mbox"
tl -q import "$WORK/q.mbox"
is "$(count_all)" 2805 "2,805 messages imported"
sql "UPDATE submission SET status = CASE id % 10 WHEN 4 THEN 'quarantined'
	WHEN 5 THEN 'spam' WHEN 6 THEN 'approved' WHEN 7 THEN 'approved'
	WHEN 8 THEN 'rejected' WHEN 9 THEN 'approved' ELSE 'new' END
	WHERE id < 2800" >/dev/null
sql "UPDATE submission SET has_gps = 1 WHERE id % 7 = 0" >/dev/null
TIPLINE_EDITOR=desk.ed tl seen $(seq 3 3 2805) 2>/dev/null

ids() { tj '[.[].id] | map(tostring) | join(" ")' list "$@"; }

# pages ARGS...: every page asked of `list ARGS` that differs from the
# same rows of `list ARGS` whole, as "OFFSET+LIMIT"; nothing when none.
pages() {
	ids "$@" | tr ' ' '\n' > "$WORK/whole"
	n=$(wc -l < "$WORK/whole")
	i=0
	for o in 0 1 2 49 50 51 99 100 $((n / 3)) $((n / 2)) 1949 1950 1999 \
	    2000 2001 2049 2050 2100 $((n - 51)) $((n - 50)) $((n - 7)) \
	    $((n - 1)) $n $((n + 3)); do
		# each offset with one of four page sizes, in turn
		l=$(echo 1 7 50 51 | cut -d' ' -f$((i % 4 + 1)))
		i=$((i + 1))
		[ "$o" -ge 0 ] && [ "$o" -le $((n + 3)) ] || continue
		want=$(sed -n "$((o + 1)),$((o + l))p" "$WORK/whole" |
			tr '\n' ' ' | sed 's/ $//')
		[ "$(ids "$@" --limit "$l" --offset "$o")" = "$want" ] ||
			printf '%s+%s ' "$o" "$l"
	done
}

is "$(ids --all --limit 1) $(ids --all --limit 1 --offset 1)" "2801 2802" \
	"the tie: R (its follow-up has the larger id) on page 1, X on page 2"
is "$(ids --all | cut -d' ' -f1-3)" "2801 2802 2803" "... as in the whole list"
is "$(pages --all)" "" "every status: each page as in the whole list"
is "$(pages)" "" "the default queue (new, quarantined, too large)"
is "$(pages --status new,approved,rejected,spam)" "" \
	"four statuses, two that pile up"
is "$(pages --status approved,new --has gps)" "" "GPS, on a follow-up too"
is "$(pages --all --sort arrival)" "" \
	"by arrival: hundreds of rows to one second"
is "$(TIPLINE_EDITOR=desk.ed pages --unseen)" "" \
	"unseen by this editor (a thread: any unseen follow-up)"
is "$(TIPLINE_EDITOR=desk.ed pages --unseen --status new,approved \
	--sort arrival)" "" "unseen, by arrival, two statuses"
is "$(pages --all --from 'reader 1')" "" "one sender's rows"
is "$(ids --all --limit 9223372036854775807 --offset 2000)" \
	"$(ids --all | cut -d' ' -f2001-)" "the largest --limit: to the end"
is "$(pages --all --reverse)" "" "reversed: oldest first"
is "$(pages --status new,approved,rejected,spam --reverse)" "" \
	"reversed, four statuses"
is "$(TIPLINE_EDITOR=desk.ed pages --unseen --sort arrival --reverse)" "" \
	"reversed, unseen, by arrival"

# The browser desk: 50 rows a page; unseen=1 sorts by arrival.
printf 'proxy-secret-1\n' > "$WORK/proxy.secret"
chmod 600 "$WORK/proxy.secret"
printf '[serve]\nauth = proxy\nproxy_secret_file = %s\n' \
	"$WORK/proxy.secret" >>"$CONF"
serve_start
# browser QUERY PAGE...: the ids of those pages, in order, one a line
browser() {
	q=$1; shift
	for p in "$@"; do
		hc -H 'X-Remote-User: desk.ed' \
			-H 'X-Tipline-Proxy-Secret: proxy-secret-1' \
			"$BASE/?$q&page=$p" |
			grep -o '<tr class="row"><td><a href="[^"]*">#[0-9]*' |
			sed 's/.*#//'
	done
}
# web QUERY CLI-ARGS...: the pages that differ from the CLI's whole list
web() {
	q=$1; shift
	ids "$@" | tr ' ' '\n' > "$WORK/whole"
	for p in 1 2 40 41 42 43 44; do
		want=$(sed -n "$(((p - 1) * 50 + 1)),$((p * 50))p" "$WORK/whole")
		[ "$(browser "$q" "$p")" = "$want" ] || printf '%s ' "$p"
	done
}
is "$(web 'status=new,approved,rejected,spam' --status \
	new,approved,rejected,spam)" "" \
	"browser pages 1-2 and 40-44 as the whole list"
is "$(TIPLINE_EDITOR=desk.ed web 'unseen=1&status=new,approved,rejected' \
	--unseen --sort arrival --status new,approved,rejected)" "" \
	"... unseen, by arrival"
