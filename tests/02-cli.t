#!/bin/sh
# The command line: global options, usage errors, configuration lookup and
# configuration errors (exit codes from sysexits).
. "$(dirname "$0")/lib.sh"
CMDS=$("$TIPLINE_BIN" --help | awk '/^commands:/ {c = 1; next} c && !NF {exit} c {print $1}')
NCMD=$(echo "$CMDS" | wc -w)
plan $((20 + 2 * NCMD))

like "$("$TIPLINE_BIN" --version)" '^tipline [0-9]+\.[0-9]+' "--version"
"$TIPLINE_BIN" >/dev/null 2>&1; is "$?" 64 "no command: usage, exit 64"
"$TIPLINE_BIN" frobnicate >/dev/null 2>&1; is "$?" 64 "unknown command: 64"
"$TIPLINE_BIN" --bogus list >/dev/null 2>&1; is "$?" 64 "unknown option: 64"
tl list --bogus >/dev/null 2>&1; is "$?" 64 "unknown command option: 64"
tl list 2>"$WORK/err"; is "$?" 66 "list before the first fetch: no database yet, 66 (a read command never creates it)"
: > "$DB"
tl approve 99999999999999999999 >/dev/null 2>&1
is "$?" 64 "an id beyond 64 bits is malformed: 64, not 'no such id' (QA F13)"
rm -f "$DB"*
: > "$WORK/empty.db"
TIPLINE_DB="$WORK/empty.db" tl search x 2>/dev/null
is "$?" 0 "a pre-created empty database file is an empty queue too"

for c in $CMDS; do
	out=$("$TIPLINE_BIN" "$c" --help 2>&1); rc=$?
	is "$rc" 0 "$c --help exits 0"
	case "$out" in
	"usage: tipline $c"*"(null)"*) ok 1 "$c --help has no stray GLib line" ;;
	"usage: tipline $c"*) ok 0 "$c --help starts with its usage" ;;
	*) ok 1 "$c --help starts with its usage" ;;
	esac
done

# Lookup order: --config, $TIPLINE_CONFIG, $XDG_CONFIG_HOME, (~/.config).
env -u TIPLINE_DB HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/xdg" \
	"$TIPLINE_BIN" list >/dev/null 2>"$WORK/err"
is "$?" 78 "no configuration anywhere: exit 78"
like "$(cat "$WORK/err")" "no configuration file" "and says so"
mkdir -p "$WORK/xdg/tipline"
printf '[store]\ndatabase = %s\n' "$WORK/xdg.db" > "$WORK/xdg/tipline/tipline.conf"
HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/xdg" "$TIPLINE_BIN" import \
	"$FIX/import/002-plain.eml" 2>/dev/null
is "$?" 0 "configuration found under \$XDG_CONFIG_HOME"
test -s "$WORK/xdg.db"; is "$?" 0 "and its database used"
TIPLINE_CONFIG="$CONF" HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/xdg" \
	"$TIPLINE_BIN" import "$FIX/import/002-plain.eml" 2>/dev/null
is "$(count_all)" 1 "\$TIPLINE_CONFIG wins over XDG"

printf '[store]\ndatabase = %s\n\n[mailbox tips]\nurl = imaps://h/INBOX\nusername = u\npassword_file = /p\nafter_fetch = sometimes\n' \
	"$DB" > "$WORK/bad.conf"
"$TIPLINE_BIN" --config "$WORK/bad.conf" list >/dev/null 2>"$WORK/err"
is "$?" 78 "a bad value: exit 78"
like "$(cat "$WORK/err")" "bad.conf:8: after_fetch" "the error names file and line"
"$TIPLINE_BIN" --config "$WORK/missing.conf" list >/dev/null 2>&1
is "$?" 78 "a missing --config file: exit 78"

# Relative paths are relative to the configuration file (QA F38), and a
# database in a missing folder is a configuration error (QA F27).
mkdir -p "$WORK/etc" "$WORK/var"
printf '[store]\ndatabase = ../var/rel.db\n' > "$WORK/etc/rel.conf"
(cd / && "$TIPLINE_BIN" --config "$WORK/etc/rel.conf" import \
	"$FIX/import/002-plain.eml" 2>/dev/null)
test -s "$WORK/var/rel.db"; is "$?" 0 \
	"a relative database path is taken from the config file's folder"
printf '[store]\ndatabase = %s/no/such/dir/t.db\n' "$WORK" > "$WORK/nodir.conf"
"$TIPLINE_BIN" --config "$WORK/nodir.conf" import "$FIX/import/002-plain.eml" \
	>/dev/null 2>&1
is "$?" 78 "a database in a missing folder: exit 78, not 70"

# A database this login may not read: "permission denied", exit 77, not an
# internal error (QA F16). Needs root to act as another user.
if [ "$(id -u)" = 0 ] && command -v su >/dev/null 2>&1; then
	mkdir -p "$WORK/perm" && chmod 755 "$WORK" "$WORK/perm"
	TIPLINE_DB="$WORK/perm/d.db" tl import "$FIX/import/002-plain.eml" 2>/dev/null
	cp "$TIPLINE_BIN" "$WORK/perm/tl" && chmod 755 "$WORK/perm/tl"
	out=$(su nobody -s /bin/sh -c "TIPLINE_DB=$WORK/perm/d.db $WORK/perm/tl list" 2>&1)
	is "$?" 77 "a database this login may not read: exit 77"
	like "$out" "permission denied" "and it says permission denied"
else
	ok 0 "# SKIP not root"
	ok 0 "# SKIP not root"
fi
