#!/bin/sh
# 227-import-spool-sweep.t - `tipline import` makes a missing spool
# folder (0700) as `tipline fetch` does, instead of failing with 75, and
# removes the spool files a killed import left: a day old or more (an
# import holds no lock that keeps another import off the folder, so a
# younger file may be one in flight), regular files only, a planted link
# left alone.  Before this, a kill -9 during an import left the message it
# was splitting, a source's tip, in the spool folder for good.
. "$(dirname "$0")/lib.sh"
plan 9

mbox() {
	printf 'From reader.a@example.org Mon Jun  3 10:00:00 2024\n'
	printf 'From: Nguyễn Văn A <reader.a@example.org>\n'
	printf 'Subject: %s\nMessage-ID: <%s@example.org>\n\n' "$1" "$1"
	printf 'Nội dung tin %s.\n\n' "$1"
}

# A spool folder that does not exist yet, two levels down.
S=$WORK/spool-new/inner
sed "s|^spool_dir = .*|spool_dir = $S|" "$CONF" > "$WORK/c2"
mbox first > "$WORK/1.mbox"
"$TIPLINE_BIN" --config "$WORK/c2" -q import "$WORK/1.mbox" 2> "$WORK/err"
is "$?" 0 "import makes a missing spool folder"
is "$(stat -c %a "$S")" 700 "...readable by its owner alone"

# What a killed import leaves: its spool file.  One two days old, one
# written a minute ago (another import's, in flight), and a link planted
# under a spool name, two days old, to a file that is not the spool's.
mkdir -p "$S"
printf 'From: Nguyễn Văn B <reader.b@example.org>\n\nold tip\n' \
	> "$S/tipline-mbox-OLD001"
touch -d '2 days ago' "$S/tipline-mbox-OLD001"
printf 'in flight\n' > "$S/tipline-mbox-NEW001"
touch -d '1 minute ago' "$S/tipline-mbox-NEW001"
printf 'not a spool file\n' > "$WORK/target"
ln -s "$WORK/target" "$S/tipline-mbox-LNK001"
touch -h -d '2 days ago' "$S/tipline-mbox-LNK001"
printf 'other\n' > "$S/other-OLD001"
touch -d '2 days ago' "$S/other-OLD001"

mbox second > "$WORK/2.mbox"
"$TIPLINE_BIN" --config "$WORK/c2" import "$WORK/2.mbox" 2> "$WORK/err"
is "$?" 0 "import with leftovers in the spool folder"
test ! -e "$S/tipline-mbox-OLD001"
ok $? "a killed import's day-old spool file is removed"
like "$(cat "$WORK/err")" "removed 1 spool file" "...and the removal said"
test -f "$S/tipline-mbox-NEW001"
ok $? "a spool file a minute old is left (an import in flight)"
test -L "$S/tipline-mbox-LNK001" && \
	[ "$(cat "$WORK/target")" = "not a spool file" ]
ok $? "a planted link is left alone, and what it points to"
test -f "$S/other-OLD001"
ok $? "a file without a spool name is left"
is "$(sql "SELECT group_concat(subject, ',') FROM (SELECT subject FROM
	submission ORDER BY id)")" "first,second" "both imports stored"
