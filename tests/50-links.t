#!/bin/sh
# Root takeover through files beside the database (issue 9 §2): the fetch
# user owns the database folder and plants a symbolic link or a hard link
# to a root-owned file where tipline will open one (DATABASE.lock,
# .waiters, -wal, -shm, the spool, a backup target, an export folder).  A
# fetch or an editor's command run as root must refuse it, naming the
# path, and leave the root-owned file's owner, mode and content alone.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root"
id nobody >/dev/null 2>&1 || skip_all "no user nobody"
plan 35

D=$WORK/db			# the fetch user's folder
mkdir -p "$D/spool" "$D/out" "$WORK/rootdir"
DB=$D/tipline.db
cat > "$CONF" <<CONF
[store]
database = $DB
spool_dir = $D/spool

[mailbox tips]
url = imaps://127.0.0.1:9/INBOX
username = u
password_file = $WORK/pass
CONF
printf 'secret\n' > "$WORK/pass"; chmod 600 "$WORK/pass"
cat > "$WORK/tip.eml" <<'MSG'
From: =?UTF-8?Q?Nguy=E1=BB=85n_V=C4=83n_A?= <reader.a@example.org>
To: tips@example.net
Subject: Links
Date: Tue, 01 Dec 2026 08:00:00 +0700
Message-ID: <links.1@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Tin báo.
MSG
tl import "$WORK/tip.eml" >/dev/null 2>&1
chown -R nobody "$D"

T=$WORK/root-target		# what the attacker wants
printf 'root only\n' > "$T"; chmod 600 "$T"
untouched() {	# untouched NAME: owner, mode, content and links of $T
	is "$(stat -c '%U %a %h' "$T") $(cat "$T")" "root 600 1 root only" "$1"
}
plant() {	# plant symlink|hardlink PATH, as the folder's owner would
	rm -f "$2"
	if [ "$1" = symlink ]; then ln -s "$T" "$2"; chown -h nobody "$2"
	else ln "$T" "$2"; fi
}
status1() { tl show 1 --json 2>/dev/null |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])'; }

for kind in symlink hardlink; do
	plant $kind "$DB.lock"
	out=$(tl fetch 2>&1); rc=$?
	is "$rc" 77 "fetch refuses a $kind as its lock file (77)"
	like "$out" "tipline.db.lock: .*refused" "...naming the lock file"
	rm -f "$DB.lock"
	untouched "...and the root-owned file is untouched"

	plant $kind "$DB.waiters"
	out=$(tl approve 1 2>&1); rc=$?
	is "$rc" 77 "approve refuses a $kind as the .waiters file (77)"
	like "$out" "tipline.db.waiters: .*refused" "...naming it"
	rm -f "$DB.waiters"
	untouched "...and the root-owned file is untouched"
done
is "$(status1)" new "nothing was approved through a refused file"

# SQLite's own companions: root would write a WAL header into the target
# and give it to the database's owner.
for f in wal shm; do
	for kind in symlink hardlink; do
		rm -f "$DB-wal" "$DB-shm"
		plant $kind "$DB-$f"
		tl approve 1 >/dev/null 2>&1; rc=$?
		ok "$([ "$rc" != 0 ] && echo 0 || echo 1)" \
			"approve refuses a $kind as -$f (exit $rc)"
		rm -f "$DB-$f"
		untouched "...and the root-owned file is untouched"
	done
done

# The database itself, replaced by a link, is not written either.
mv "$DB" "$D/real.db"
plant symlink "$DB"
tl approve 1 >/dev/null 2>&1; rc=$?
is "$rc" 77 "a write command refuses a database that is a symbolic link"
rm -f "$DB"; mv "$D/real.db" "$DB"
untouched "...and the root-owned file is untouched"

# The spool: the sweep of leftovers follows no link.
ln -s "$T" "$D/spool/tipline-imap-AAAAAA"
ln "$T" "$D/spool/tipline-imap-BBBBBB"
touch -h -d '2 days ago' "$D/spool/tipline-imap-AAAAAA"
ln -s "$T" "$D/spool/tipline-mbox-AAAAAA"
touch -h -d '2 days ago' "$D/spool/tipline-mbox-AAAAAA"
printf 'a killed import\n' > "$D/spool/tipline-mbox-CCCCCC"
touch -d '2 days ago' "$D/spool/tipline-mbox-CCCCCC"
tl -q fetch >/dev/null 2>&1
test -L "$D/spool/tipline-imap-AAAAAA"; ok $? "the spool sweep leaves a planted symlink alone"
test -L "$D/spool/tipline-mbox-AAAAAA"; ok $? "...under an import's spool name too"
test ! -e "$D/spool/tipline-mbox-CCCCCC"
ok $? "...and removes a killed import's day-old spool file"
rm -f "$D"/spool/tipline-imap-* "$D"/spool/tipline-mbox-*
untouched "...and the root-owned file is untouched"

# A backup target that is a link is refused, not replaced or written.
for kind in symlink hardlink; do
	plant $kind "$D/backup.db"
	out=$(tl backup "$D/backup.db" 2>&1); rc=$?
	is "$rc" 77 "backup refuses a $kind as its target (77)"
	like "$out" "backup.db: .*refused" "...naming it"
	rm -f "$D/backup.db"
done
untouched "...and the root-owned file is untouched"

# An export folder name taken by a planted link to a root folder: the
# export goes to a new folder beside it, nothing lands in the root one.
ln -s "$WORK/rootdir" "$D/out/1-links"; chown -h nobody "$D/out/1-links"
tl export 1 --to "$D/out" >/dev/null 2>&1; rc=$?
is "$rc" 0 "export beside a planted link exits 0"
is "$(ls "$WORK/rootdir" | wc -l)" 0 "...and writes nothing through the link"
test -f "$D/out/1-links-2/message.eml"; ok $? "...but into 1-links-2/"
