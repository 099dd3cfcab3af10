#!/bin/sh
# Secrets in core dumps (issue 9 §2): while a fetch holds a password it is
# non-dumpable (no core file, no /proc/PID/mem for other users), and once
# a mailbox's session is over no copy of its password, nor of the
# AUTHENTICATE string built from it, is left anywhere in the process's
# memory.  The faults build stops the fetch at a fault point inside the
# second mailbox's session (TIPLINE_PAUSE_AT); root looks at it.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root (reads /proc/PID/mem)"
command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] ||
	skip_all "dovecot is not installed"
[ -x "$TIPLINE_FAULTS_BIN" ] || skip_all "no $TIPLINE_FAULTS_BIN (make build/tipline-faults)"
plan 11
dovecot_start || { echo "Bail out! dovecot did not start"; exit 1; }

# Two users with long passwords of our own, the second via password_command.
P1=tl-one-$(od -An -N27 -tx1 /dev/urandom | tr -d ' \n')
P2=tl-two-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
M=$DOVECOT_DIR/mail
mkdir -p "$M/reader2/Maildir/cur" "$M/reader2/Maildir/new" "$M/reader2/Maildir/tmp"
chown -R --reference="$M/$IMAP_USER" "$M/reader2"
printf '%s:%s::::%s::\nreader2:%s::::%s::\n' "$IMAP_USER" "$P1" \
	"$M/$IMAP_USER" "$P2" "$M/reader2" > "$DOVECOT_DIR/users"
printf '%s\n' "$P1" > "$WORK/p1"; printf '%s\n' "$P2" > "$WORK/p2"
chmod 600 "$WORK/p1" "$WORK/p2"
for u in "$IMAP_USER" reader2; do
	printf 'From: Reader B <reader.b@example.org>\nTo: %s@example.net\nSubject: Tin cho %s\nMessage-ID: <secret.%s@example.org>\nDate: Tue, 01 Dec 2026 08:00:00 +0700\n\nTin b\303\241o.\n' \
		"$u" "$u" "$u" > "$WORK/$u.eml"
	IMAP_USER=$u seed "$WORK/$u.eml"
done
chown -R --reference="$M/$IMAP_USER" "$M/reader2"
conf() {	# conf DATABASE
	cat <<CONF
[store]
database = $1
spool_dir = $SPOOL

[mailbox one]
url = imaps://127.0.0.1:$IMAPS_PORT/INBOX
username = $IMAP_USER
password_file = $WORK/p1
cafile = $IMAP_CAFILE
auth_mechanism = PLAIN

[mailbox two]
url = imaps://127.0.0.1:$IMAPS_PORT/INBOX
username = reader2
password_command = cat $WORK/p2
cafile = $IMAP_CAFILE
CONF
}
conf "$WORK/trace.db" > "$WORK/trace.conf"
conf "$DB" > "$CONF"
F=$TIPLINE_FAULTS_BIN

# Which fault point is the first one inside mailbox two's session?
TIPLINE_FAULT_TRACE=1 "$F" -v --config "$WORK/trace.conf" fetch \
	> /dev/null 2> "$WORK/trace"; is "$?" 0 "a traced fetch of both mailboxes exits 0"
N=$(sed -n '/logged in as reader2/,$p' "$WORK/trace" |
	sed -n 's/^tipline: fault point \([0-9]*\):.*/\1/p' | head -1)
[ -n "$N" ]; ok $? "mailbox two has a fault point (${N:-none})"

scan() {	# scan PID NEEDLE...: the needles found in the process's memory
	python3 - "$@" <<'PY'
import sys
pid, needles = int(sys.argv[1]), [n.encode() for n in sys.argv[2:]]
found = set()
with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
    for line in maps:
        f = line.split()
        lo, hi = (int(x, 16) for x in f[0].split("-"))
        if "r" not in f[1] or (len(f) > 5 and f[5] in ("[vvar]", "[vsyscall]")):
            continue
        if hi - lo > 1 << 32:	# ASan's shadow: nothing of ours
            continue
        over, tail, pos = max(map(len, needles)), b"", lo
        while pos < hi:
            try:
                mem.seek(pos)
                data = tail + mem.read(min(hi - pos, 1 << 24))
            except (OSError, ValueError, OverflowError):
                break
            found.update(n.decode() for n in needles if n in data)
            tail, pos = data[-over:], pos + (1 << 24)
print(" ".join(sorted(found)) or "none")
PY
}
b64() { printf "$1" | base64 -w0; }
A1=$(b64 "\\0$IMAP_USER\\0$P1")	# AUTHENTICATE PLAIN of mailbox one

mkdir "$WORK/cwd"
( cd "$WORK/cwd" && ulimit -c unlimited 2>/dev/null
  exec env TIPLINE_PAUSE_AT="$N" "$F" --config "$CONF" fetch ) \
	> /dev/null 2> "$WORK/err" &
pid=$!
n=0
while [ "$(awk '{print $3}' /proc/$pid/stat 2>/dev/null)" != T ] && [ $n -lt 300 ]; do
	sleep 0.1; n=$((n + 1))
done
is "$(awk '{print $3}' /proc/$pid/stat 2>/dev/null)" T "the fetch stopped inside mailbox two's session"
is "$(scan $pid "$P2")" "$P2" "the memory scan finds the live password of mailbox two (control)"
T1=$(printf %s "$P1" | tail -c 24)	# what a free list pointer spares
is "$(scan $pid "$T1" "$(b64 "$P1" | tail -c 24)" "$(printf %s "$A1" | tail -c 24)")" none \
	"mailbox one's password and AUTHENTICATE string are wiped after its session"

# SIGABRT while it holds the password: no core file.
kill -ABRT $pid; kill -CONT $pid; wait $pid 2>/dev/null; rc=$?
is "$rc" 134 "SIGABRT ends the fetch (134)"
is "$(ls "$WORK/cwd")" "" "...and leaves no core file"
# Control: the kernel writes core files here at all.
( cd "$WORK/cwd" && ulimit -c unlimited 2>/dev/null; sleep 5 & p=$!
  kill -ABRT $p; wait $p ) 2>/dev/null
if [ -n "$(ls "$WORK/cwd")" ]; then ok 0 "control: a dumpable process aborted here leaves a core"
else ok 0 "# SKIP this kernel writes no core files here (core_pattern)"; fi

# The same fetch run by an unprivileged user (the cron case): while it
# holds a password, its /proc files belong to root, which is how the
# kernel shows a non-dumpable process (no core, no ptrace, no
# /proc/PID/mem for the user's other processes).
U=$WORK/user
mkdir -p "$U/spool"
cp "$WORK/p1" "$WORK/p2" "$U/"
# A copy of the binary: the clone may sit where nobody cannot reach it
# (under root's home, mode 0700, as in a fresh machine's /root/tipline).
cp "$F" "$U/tl-faults"; chmod 755 "$U/tl-faults"
conf "$U/tipline.db" | sed -e "s|$SPOOL|$U/spool|" -e "s|$WORK/p|$U/p|" \
	> "$U/tipline.conf"
chown -R nobody "$U"; chmod 711 "$WORK"
su nobody -s /bin/sh -c "cd '$U' && echo \$\$ > '$U/pid' &&
	exec env TIPLINE_PAUSE_AT=$N '$U/tl-faults' --config '$U/tipline.conf' fetch" \
	> /dev/null 2> "$U/err" &
su=$!
n=0
while [ "$(awk '{print $3}' /proc/$(cat "$U/pid" 2>/dev/null || echo 0)/stat 2>/dev/null)" != T ] &&
    [ $n -lt 300 ]; do
	sleep 0.1; n=$((n + 1))
done
upid=$(cat "$U/pid")
is "$(stat -c %U /proc/$upid/status) $(awk '/^Uid:/ {print $2}' /proc/$upid/status)" \
	"root $(id -u nobody)" "run as nobody, holding a password, it is not dumpable"
# su stops itself when its child stops (job control): wake both.
kill -CONT $upid; kill -CONT $su 2>/dev/null
wait $su; is "$?" 0 "...and the fetch then ends normally (0)"
is "$(su nobody -s /bin/sh -c 'stat -c %U /proc/$$/status')" nobody \
	"(control: a dumpable process of nobody owns its /proc files)"
