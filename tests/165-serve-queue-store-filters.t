#!/bin/sh
# 165-serve-queue-store-filters.t - the queue page's has=, mailbox= and
# repeated status= (issue 12, Pages), now desk_filter's has and mailbox
# done in SQL by the store, and `tipline list/search --has/--mailbox`.
# Imported photo, clip, dangerous zip, a "photo" whose bytes are no image,
# a plain tip; two fetched from two mailboxes of a private Dovecot.
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
serve_need
dovecot_need
. "$TESTS/fetch-lib.sh"
plan 22

mkdir -p "$WORK/m" "$WORK/f"
python3 "$TESTS/media-fixtures.py" "$WORK/m"
# A file declared image/jpeg whose bytes are text: no photo.
printf 'not a photo at all\n' > "$WORK/m/fake.jpg"
python3 "$TESTS/media-fixtures.py" --wrap "$WORK/m/fake.jpg" fake.jpg \
	image/jpeg 7 > "$WORK/m/fake.jpg.eml"
for n in portrait.jpg photo.png clip.mp4 nested.zip fake.jpg; do
	tl import "$WORK/m/$n.eml" >/dev/null 2>&1 ||
		echo "# import $n failed"
done
# Two tips fetched from INBOX ([mailbox test]), one from Other.
gen_msgs "$WORK/f" inbox 2
gen_msgs "$WORK/f" other 1
seed_folder INBOX "$WORK/f"/inbox-*.eml >/dev/null
make_folder Other
seed_folder Other "$WORK/f"/other-*.eml >/dev/null
mailbox_conf "$CONF" other Other
tl -q fetch >/dev/null 2>&1
is "$?" 0 "two mailboxes fetched"
sid() {
	tl list --all --flat --json |
		jq -r --arg s "$1" '[.[] | select(.subject == $s)][0].id'
}
JPG=$(sid 'media portrait.jpg')
PNG=$(sid 'media photo.png')
MP4=$(sid 'media clip.mp4')
ZIP=$(sid 'media nested.zip')
FAKE=$(sid 'media fake.jpg')
IN1=$(sid 'tin inbox số 1')
IN2=$(sid 'tin inbox số 2')
OTH=$(sid 'tin other số 1')
# sorted IDS...: the ids, one space after each, in number order.
sorted() { printf '%s\n' "$@" | sort -n | tr '\n' ' '; }

printf 'proxy-secret-1\n' > "$WORK/proxy.secret"
chmod 600 "$WORK/proxy.secret"
printf '[serve]\nauth = proxy\nproxy_secret_file = %s\n' \
	"$WORK/proxy.secret" >>"$CONF"
serve_start
get() {
	hc -H 'X-Remote-User: editor.a' \
		-H 'X-Tipline-Proxy-Secret: proxy-secret-1' "$BASE/$1"
}
# ids QUERY: the ids the page lists, sorted.
ids() {
	get "$1" | grep -o 'href="/s/[0-9]*"' | grep -o '[0-9]*' | sort -n |
		tr '\n' ' '
}

is "$(ids '?has=photo')" "$(sorted "$JPG" "$PNG")" \
	"has=photo: the JPEG and the PNG, not the text declared image/jpeg"
is "$(ids '?has=video')" "$(sorted "$MP4")" "has=video: the MP4 only"
is "$(ids '?has=gps')" "$(sorted "$JPG" "$PNG" "$MP4")" \
	"has=gps: the three whose bytes carry a position"
is "$(ids '?has=danger')" "$(sorted "$ZIP")" "has=danger: the zip only"
is "$(ids '?mailbox=test')" "$(sorted "$IN1" "$IN2")" \
	"mailbox=test: the two fetched from INBOX"
is "$(ids '?mailbox=other')" "$(sorted "$OTH")" \
	"mailbox=other: the one fetched from Other"
is "$(ids '?mailbox=tes')" "" "mailbox= is exact (no prefix match)"
is "$(ids '?mailbox=test&has=photo')" "" \
	"mailbox= and has= together: both must hold"

tl -q spam "$FAKE" >/dev/null
tl -q approve "$IN1" >/dev/null
is "$(ids '?status=new&status=spam&has=photo')" "$(sorted "$JPG" "$PNG")" \
	"status=new&status=spam with has=photo: the spam fake is no photo"
is "$(ids '?status=new&status=spam&mailbox=test')" "$(sorted "$IN2")" \
	"status=new&status=spam&mailbox=test: the approved one left out"
is "$(ids '?status=spam&status=approved')" "$(sorted "$FAKE" "$IN1")" \
	"status=spam&status=approved: both statuses apply"
is "$(ids '?status=approved&status=spam')" "$(sorted "$FAKE" "$IN1")" \
	"... in either order"
like "$(get '?status=spam&status=approved')" \
	'name="status" value="spam,approved"' \
	"... and the form keeps both, as a comma list"
is "$(ids '?q=media&has=video')" "$(sorted "$MP4")" \
	"q= with has=video: the search filters in the store too"

# The same filters on the command line.
cli() { tl "$@" --json | jq -r '[.[].id] | sort | map(tostring) | join(" ")'; }
is "$(cli list --has photo) " "$(sorted "$JPG" "$PNG")" "list --has photo"
is "$(cli list --has gps --has video) " "$(sorted "$MP4")" \
	"list --has gps --has video: every kind must hold"
is "$(cli list --has photo,video)" "" \
	"list --has photo,video: none has both"
is "$(cli list --all --mailbox test) " "$(sorted "$IN1" "$IN2")" \
	"list --all --mailbox test"
is "$(cli search media --has danger) " "$(sorted "$ZIP")" \
	"search media --has danger"
tl list --has sound >/dev/null 2>"$WORK/err"
is "$?" 64 "list --has sound: a usage error"
like "$(cat "$WORK/err")" 'photo, video, gps or danger' \
	"... naming the kinds"
