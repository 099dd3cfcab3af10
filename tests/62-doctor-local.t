#!/bin/sh
# doctor tries what the next fetch needs on this machine (issue 10 item 6,
# local side): the database's folder exists and takes new files, the
# database file (when there is one) can be written, the spool folder
# exists or can be made, the lock file can be taken; each problem exits
# non-zero with the fix named. A database not created yet is fine when
# its folder is writable. doctor creates no database, folder or lock.
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] ||
	skip_all "dovecot is not installed"
plan 25
dovecot_start || { echo "Bail out! dovecot fixture did not start"; exit 1; }

doc() {	# CONF: run doctor, output in $WORK/doc, exit status in $rc
	"$TIPLINE_BIN" --config "$1" doctor > "$WORK/doc" 2>&1; rc=$?
}
# A copy of the configuration with [store] replaced.
store_conf() {	# NAME DATABASE SPOOL
	sed -e "s|^database = .*|database = $2|" -e "s|^spool_dir = .*|spool_dir = $3|" \
		"$CONF" > "$WORK/$1.conf"
}

# 1. Before the first fetch: no database, no spool folder yet.
doc "$CONF"
is "$rc" 0 "no database yet, folder writable: exit 0"
like "$(cat "$WORK/doc")" "^folder: +.*tipline.db: not created yet; folder .* is writable" \
	"doctor says the first fetch creates it"
like "$(cat "$WORK/doc")" "^lock: +.*tipline.db.lock: not created yet" "and its lock file"
test -e "$DB"; is "$?" 1 "doctor created no database"
rmdir "$SPOOL"
doc "$CONF"
is "$rc" 0 "a missing spool_dir whose parent is writable: exit 0"
like "$(cat "$WORK/doc")" "^spool: +.*spool: not created yet; the first fetch creates it" \
	"doctor says fetch creates it"
test -e "$SPOOL"; is "$?" 1 "doctor did not create it"
tl -q fetch; is "$?" 0 "the first fetch then works"
doc "$CONF"
is "$rc" 0 "after a fetch: exit 0"
like "$(cat "$WORK/doc")" "^lock: +.*tipline.db.lock: can be taken" "the lock can be taken"

# 2. The database folder does not exist.
store_conf nodir "$WORK/no/such/dir/t.db" "$SPOOL"
doc "$WORK/nodir.conf"
is "$rc" 78 "database folder missing: exit 78"
like "$(cat "$WORK/doc")" "^folder: +PROBLEM: database folder $WORK/no/such/dir: No such file or directory: create it \(install -d" \
	"doctor names the folder and the fix"
like "$(cat "$WORK/doc")" "^database: .*not created yet" "the database itself is just not there yet"

# 3. The spool folder is a file.
: > "$WORK/spoolfile"
store_conf spoolfile "$DB" "$WORK/spoolfile"
doc "$WORK/spoolfile.conf"
is "$rc" 78 "spool_dir is a file: exit 78"
like "$(cat "$WORK/doc")" "^spool: +PROBLEM: spool_dir $WORK/spoolfile: not a folder" "and says so"

# 4. The lock file: held by a fetch running now is fine; a symbolic link
# planted there is not.
: > "$WORK/hold"
flock "$DB.lock" sh -c 'while [ -e "$0" ]; do sleep 0.1; done' "$WORK/hold" &
holder=$!
# Wait until the holder has the lock (a fixed sleep could lose the race on a
# loaded machine, and doctor then rightly said the lock was free).
n=0
while flock -n "$DB.lock" true && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
doc "$CONF"
is "$rc" 0 "lock held by a running fetch: exit 0"
like "$(cat "$WORK/doc")" "^lock: +.*held by a fetch running now" "and it says so"
rm -f "$WORK/hold"; wait $holder
mv "$DB.lock" "$WORK/lock.real"
ln -s "$WORK/lock.real" "$DB.lock"
doc "$CONF"
is "$rc" 77 "a symbolic link as the lock file: exit 77"
like "$(cat "$WORK/doc")" "^lock: +PROBLEM: .*not a plain file.*remove it" "and names the fix"
rm -f "$DB.lock"; mv "$WORK/lock.real" "$DB.lock"

# 5. As another login: a folder it may not write, a database it may not
# write (what a fetch run by the wrong user meets).
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
	chmod 755 "$WORK"
	cp "$TIPLINE_BIN" "$WORK/tl" && chmod 755 "$WORK/tl"
	chmod 644 "$CONF"
	sql 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
	mkdir "$WORK/d" && cp "$DB" "$WORK/d/t.db" && chmod 644 "$WORK/d/t.db"
	store_conf other "$WORK/d/t.db" "$SPOOL"
	chmod 644 "$WORK/other.conf"
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		${ASAN_OPTIONS:+env ASAN_OPTIONS=$ASAN_OPTIONS} \
		"$WORK/tl" --config "$WORK/other.conf" doctor > "$WORK/doc" 2>&1
	rc=$?
	[ "$rc" != 0 ]; ok $? "another login: doctor fails (exit $rc)"
	like "$(cat "$WORK/doc")" "^folder: +PROBLEM: database folder $WORK/d: .*nobody may not create files in it" \
		"the folder's problem names the login"
	like "$(cat "$WORK/doc")" "^spool: +PROBLEM: spool folder $SPOOL: .*nobody may not create files" \
		"so does the spool's"
	chmod 777 "$WORK/d"
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		${ASAN_OPTIONS:+env ASAN_OPTIONS=$ASAN_OPTIONS} \
		"$WORK/tl" --config "$WORK/other.conf" doctor > "$WORK/doc" 2>&1
	like "$(cat "$WORK/doc")" "^folder: +PROBLEM: $WORK/d/t.db: Permission denied: nobody may not read and write it" \
		"a database this login may not write is named"
else
	for i in 1 2 3 4; do ok 0 "# SKIP needs root and setpriv"; done
fi

# 6. doctor changed nothing.
is "$(sql 'PRAGMA user_version')" 4 "the database is untouched"
is "$(tl list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 0 \
	"and still opens (an empty queue: nothing was seeded)"
