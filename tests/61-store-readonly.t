#!/bin/sh
# Errors name what is really wrong (issue 9 section 3, Misleading errors):
# - read commands work on a database file mode 0440 read by another login,
#   in a folder that login may or may not write;
# - read commands work on a read-only mount (immutable when there is no
#   -wal, mode=ro seeing the WAL's commits when there is one); write
#   commands say "read-only file system" (77), doctor too;
# - a full disk is "disk full" (75), also for purge.
# Needs root (another login, mounts).
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root"
command -v setpriv >/dev/null 2>&1 || skip_all "needs setpriv"
plan 34

MNT=
_cleanup_mounts() {
	for m in $MNT; do umount "$m" 2>/dev/null; done
	_cleanup
}
trap _cleanup_mounts EXIT

msg() {	# FILE SUBJECT
	printf 'From: Nguyễn Văn A <reader.a@example.org>\nTo: tips@example.net\nSubject: %s\nDate: Mon, 03 Jun 2024 08:15:00 +0700\nMessage-ID: <%s@example.org>\n\nNội dung.\n' \
		"$2" "$(basename "$1" .eml)" > "$1"
}
msg "$WORK/a.eml" "Tin một"
msg "$WORK/b.eml" "Tin hai"
njson() { python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }

# The binary, the config and the folders must be reachable by nobody.
chmod 755 "$WORK"
cp "$TIPLINE_BIN" "$WORK/tl" && chmod 755 "$WORK/tl"
as_nobody() {	# DB ARGS...
	db=$1; shift
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		env TIPLINE_DB="$db" TIPLINE_EDITOR=nobody ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} \
		"$WORK/tl" "$@"
}

# 1. Mode 0440, owner root, group nogroup: nobody reads through the group.
for folder in 755 1777; do
	d=$WORK/ro$folder
	mkdir "$d"
	TIPLINE_DB=$d/t.db tl import "$WORK/a.eml" 2>/dev/null
	rm -f "$d/t.db-wal" "$d/t.db-shm" "$d/t.db.waiters"
	chgrp nogroup "$d/t.db" && chmod 0440 "$d/t.db" && chmod "$folder" "$d"
	out=$(as_nobody "$d/t.db" list --json 2>"$WORK/err"); rc=$?
	is "$rc" 0 "0440 database, folder $folder: another login's list exits 0"
	is "$(printf '%s' "$out" | njson)" 1 "folder $folder: and lists the submission"
	as_nobody "$d/t.db" show 1 --json > /dev/null 2>&1
	is "$?" 0 "folder $folder: show works"
	as_nobody "$d/t.db" approve 1 > /dev/null 2>"$WORK/err"
	is "$?" 77 "folder $folder: approve: 77"
	like "$(cat "$WORK/err")" "may not write" "folder $folder: and says this login may not write it"
done
ls "$WORK/ro755" > "$WORK/ls"
is "$(cat "$WORK/ls")" "t.db" "folder 755: nothing was created beside the database"

# 2. A read-only bind mount.
mkdir "$WORK/src" "$WORK/mnt"
TIPLINE_DB=$WORK/src/t.db tl import "$WORK/a.eml" 2>/dev/null
rm -f "$WORK/src/t.db-wal" "$WORK/src/t.db-shm" "$WORK/src/t.db.waiters"
if mount --bind "$WORK/src" "$WORK/mnt" 2>/dev/null &&
   mount -o remount,bind,ro "$WORK/mnt" 2>/dev/null; then
	MNT="$WORK/mnt"
	R=$WORK/mnt/t.db
	out=$(TIPLINE_DB=$R tl list --json 2>"$WORK/err"); rc=$?
	is "$rc" 0 "read-only mount: list exits 0, not 77"
	is "$(printf '%s' "$out" | njson)" 1 "and lists the submission"
	TIPLINE_DB=$R tl show 1 --raw > "$WORK/raw" 2>/dev/null
	cmp -s "$WORK/raw" "$WORK/a.eml"; is "$?" 0 "show --raw reads the original"
	TIPLINE_DB=$R tl search 'noi dung' --json 2>/dev/null | njson > "$WORK/n"
	is "$(cat "$WORK/n")" 1 "search works"
	TIPLINE_DB=$R tl approve 1 > /dev/null 2>"$WORK/err"
	is "$?" 77 "read-only mount: approve exits 77"
	like "$(cat "$WORK/err")" "file system is mounted read-only" \
		"and names the read-only file system"
	TIPLINE_DB=$R tl import "$WORK/b.eml" > /dev/null 2>"$WORK/err"
	is "$?" 77 "import: 77"
	like "$(cat "$WORK/err")" "read-only" "and says read-only"
	printf '[store]\ndatabase = %s\nspool_dir = %s\n' "$R" "$WORK/mnt/spool" \
		> "$WORK/ro.conf"
	"$TIPLINE_BIN" --config "$WORK/ro.conf" doctor > "$WORK/doc" 2>&1
	like "$(cat "$WORK/doc")" "^database: .*: ok \(schema" "doctor: the database itself is sound"
	like "$(cat "$WORK/doc")" "^folder: +PROBLEM: database folder .* is on a read-only file system" \
		"doctor: the folder's problem is named"
	like "$(cat "$WORK/doc")" "^spool: +PROBLEM: .*read-only file system" \
		"doctor: so is the spool's"
	ls "$WORK/src" > "$WORK/ls"
	is "$(cat "$WORK/ls")" "t.db" "nothing was created"

	# With a -wal holding commits (a writer has it open), readers on the
	# read-only mount see them: mode=ro, not immutable.
	python3 - "$WORK/src/t.db" "$WORK/go" <<'EOF' &
import sqlite3, sys, os, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("UPDATE submission SET status = 'approved' WHERE id = 1")
open(sys.argv[2], 'w').close()
while os.path.exists(sys.argv[2]):
	time.sleep(0.05)
EOF
	pid=$!
	i=0; while [ ! -e "$WORK/go" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	test -s "$WORK/src/t.db-wal"; is "$?" 0 "a writer holds a -wal"
	st=$(TIPLINE_DB=$R tl list --all --json 2>"$WORK/err" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["status"])')
	is "$st" approved "read-only mount with a -wal: list sees its commit"
	rm -f "$WORK/go"; wait $pid
else
	for i in $(seq 14); do ok 0 "# SKIP no bind mount here"; done
fi

# 3. A full disk.
mkdir "$WORK/full"
if mount -t tmpfs -o size=4m tmpfs "$WORK/full" 2>/dev/null; then
	MNT="$MNT $WORK/full"
	F=$WORK/full/t.db
	TIPLINE_DB=$F tl import "$WORK/a.eml" 2>/dev/null
	TIPLINE_DB=$F tl reject 1 > /dev/null 2>&1
	sqlite3 "$F" "UPDATE submission SET received_utc = '2020-01-01T00:00:00Z'"
	cp "$F" "$WORK/full.db"
	fill() {	# KEEP_KIB: fill the file system but KEEP_KIB
		rm -f "$WORK/full/fill"
		avail=$(df -k --output=avail "$WORK/full" | tail -1)
		dd if=/dev/zero of="$WORK/full/fill" bs=1k \
			count=$((avail - $1)) 2>/dev/null
	}
	fill 0
	TIPLINE_DB=$F tl import "$WORK/b.eml" > /dev/null 2>"$WORK/err"
	is "$?" 75 "full disk: import exits 75"
	like "$(cat "$WORK/err")" "disk full" "and says disk full"
	TIPLINE_DB=$F tl reopen 1 > /dev/null 2>"$WORK/err"
	is "$?" 75 "full disk: reopen exits 75"
	like "$(cat "$WORK/err")" "disk full" "and says disk full"
	printf '[store]\ndatabase = %s\n' "$F" > "$WORK/full.conf"
	"$TIPLINE_BIN" --config "$WORK/full.conf" doctor > "$WORK/doc" 2>&1
	like "$(cat "$WORK/doc")" "^folder: +PROBLEM: database folder .*: disk full" \
		"doctor names the full disk"
	# purge needs room for its commit, the checkpoint and VACUUM: at
	# every amount of room left it either succeeds or says disk full.
	wrong=0 full=0 done=0
	for keep in 0 16 48 96 160 240 400 800 1600; do
		rm -f "$WORK/full/fill" "$F-wal" "$F-shm"
		cp "$WORK/full.db" "$F"
		fill $keep
		TIPLINE_DB=$F tl purge --status rejected --older-than 1d --force \
			> /dev/null 2>"$WORK/err"
		rc=$?
		if [ $rc = 0 ]; then done=$((done + 1))
		elif [ $rc = 75 ] && grep -q 'disk full' "$WORK/err" &&
		     ! grep -q 'another process' "$WORK/err"; then
			full=$((full + 1))
		else
			wrong=$((wrong + 1)); diag "keep $keep: $rc $(cat "$WORK/err")"
		fi
	done
	is "$wrong" 0 "purge on a full disk: always 0 or 75 'disk full', never 'another process is reading'"
	[ "$full" -gt 0 ]; ok $? "some purges met the full disk ($full of 9)"
	[ "$done" -gt 0 ]; ok $? "and some had room enough to finish ($done of 9)"
	rm -f "$WORK/full/fill"
	TIPLINE_DB=$F tl list --all --json 2>/dev/null | njson > "$WORK/n"
	ok $? "the database is readable after all that"
else
	for i in $(seq 9); do ok 0 "# SKIP no tmpfs mount here"; done
fi
