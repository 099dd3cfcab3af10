#!/bin/sh
# A fetch run once as root must not leave a lock file the fetch user's cron
# job cannot open (QA F36): the lock file goes to the database's owner.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root"
command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] ||
	skip_all "dovecot is not installed"
plan 3
dovecot_start || { echo "Bail out! dovecot did not start"; exit 1; }
tl import "$FIX/import/002-plain.eml" 2>/dev/null
chown nobody "$DB"
tl -q fetch >/dev/null 2>&1
test -e "$DB.lock"; is "$?" 0 "fetch as root created the lock file"
is "$(stat -c %U "$DB.lock")" nobody "owned by the database's owner, not root"
tl approve 1 >/dev/null 2>&1
is "$(stat -c %U "$DB.waiters")" nobody \
	"so is the .waiters file a root editor's command creates"
