#!/bin/sh
# 230-fetch-originals.t - a fetch of photo mail of 1.2 MB a message into a
# SQLite queue renames each spool file into DB.originals/ (no second
# write, nothing in the WAL), never hands a renamed spool name out again
# (the pool would write into whatever file takes that name later, or
# remove it), and stores every original byte-exact; small mail stays in
# rows; no spool file and no orphan is left; a second run changes nothing.
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
sqlite_only
dovecot_need
command -v strace >/dev/null 2>&1 || skip_all "strace not installed"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
[ -x "$TIPLINE_FAULTS_BIN" ] ||
	skip_all "no $TIPLINE_FAULTS_BIN (make build/tipline-faults)"
plan 8

mkdir -p "$WORK/m"
photo_mails "$WORK/m" orig 4 1200
gen_msgs "$WORK/m" small 5
seed_folder Photos "$WORK"/m/*.eml > /dev/null
make_folder Done
C=$WORK/f.conf
new_conf "$C" "$DB"
mailbox_conf "$C" photos Photos "after_fetch=move Done"

# Chunks of 2: the pool hands files out again across chunks.
TIPLINE_CHUNK_MAX=2 strace -f -qq -e trace=openat,rename,renameat,renameat2 \
	-o "$WORK/trace" "$TIPLINE_FAULTS_BIN" --config "$C" -q fetch 2> "$WORK/err"
is "$?" 0 "fetch of 4 photo mails and 5 small ones exits 0"
is "$(sqlite3 "$DB" 'SELECT count(*) FROM original_file')/$(sqlite3 "$DB" 'SELECT count(DISTINCT submission_id) FROM raw')" \
	"4/5" "the 4 photo mails are files, the 5 small ones rows"
renamed=$(grep -o 'rename[a-z0-9]*([^"]*"[^"]*tipline-imap-[^"]*"' "$WORK/trace" |
	sed 's/.*"\([^"]*\)"$/\1/' | sort -u)
is "$(printf '%s\n' "$renamed" | grep -c .)" 4 \
	"each photo's spool file was renamed into the originals folder"
again=0
for p in $renamed; do
	# After its rename, no open of that spool name.
	sed -n "/rename.*$(basename "$p")\"/,\$p" "$WORK/trace" |
		grep -q "openat(.*\"$p\"" && again=$((again + 1))
done
is "$again" 0 "no renamed spool name was handed out again by the pool"
bad=0
for k in 1 2 3 4; do
	id=$(sqlite3 "$DB" "SELECT id FROM submission WHERE message_id = 'orig-$k@example.org'")
	want=$(sed 's/$/\r/' "$WORK/m/photo-0$k.eml" | sha256sum | cut -c1-64)
	got=$("$TIPLINE_BIN" --config "$C" show "$id" --raw | sha256sum | cut -c1-64)
	[ "$want" = "$got" ] || bad=$((bad + 1))
done
is "$bad" 0 "every photo mail reads back byte-exact (as the server sent it)"
is "$(ls "$SPOOL" | wc -l | tr -d ' ')/$(ls "$DB.originals" | wc -l | tr -d ' ')" \
	"0/4" "no spool file left; the folder holds exactly the 4 named files"
like "$("$TIPLINE_BIN" --config "$C" doctor 2>&1 | grep '^originals')" \
	"^originals: ok, 4 kept as files$" "doctor: the files are all there, no orphan"
"$TIPLINE_BIN" --config "$C" -q fetch
is "$?/$(sqlite3 "$DB" 'SELECT count(*) FROM submission')/$(ls "$DB.originals" | wc -l | tr -d ' ')" \
	"0/9/4" "a second run changes nothing"
