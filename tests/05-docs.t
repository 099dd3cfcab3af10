#!/bin/sh
# The user documentation stays in step with the code:
# - README.md gives the two set-up commands and every subcommand;
# - every section and key that lib/app/config.c parses has its own entry in
#   docs/tipline.conf.5, and the page documents no key the code lacks;
# - the example configurations in README.md and tipline.conf(5) are
#   accepted by the real binary (a misspelt key would exit 78);
# - every exit code of lib/util/status.c is in README's table;
# - the man page renders without groff warnings.
. "$(dirname "$0")/lib.sh"

README=$TOP/README.md
MAN=$TOP/docs/tipline.conf.5
CONFIG_C=$TOP/lib/app/config.c

# Key names: the quoted words of the "static const char *const X_keys[]"
# tables in config.c, which the loader checks every key against.
KEYS=$(sed -n '/^static const char \*const [a-z_]*_keys\[\]/,/};/p' \
	"$CONFIG_C" | grep -o '"[a-z_]*"' | tr -d '"' | sort -u)
SECTIONS=$(sed -n '/^static const char \*const \([a-z]*\)_keys\[\].*/s//\1/p' \
	"$CONFIG_C" | sort -u)
# The keys the man page documents: entries written '.BI key " = " ...'.
MANKEYS=$(sed -n 's/^\.BI \([a-z_]*\) " = ".*/\1/p' "$MAN" | sort -u)
# Subcommands: the command table's '{ "name", cmd_' entries.
CMDS=$(cat "$TOP"/src/commands.c "$TOP"/src/tipline.c 2>/dev/null |
	sed -n 's/^[[:space:]]*{ "\([a-z]*\)", cmd_.*/\1/p' | sort -u)

nkeys=$(echo "$KEYS" | grep -c .)
nsect=$(echo "$SECTIONS" | grep -c .)
nman=$(echo "$MANKEYS" | grep -c .)
ncmds=$(echo "$CMDS" | grep -c .)
plan $((2 + 1 + nkeys + nsect + nman + ncmds + 2 + 5 + 2))

grep -q 'make demo' "$README"; ok $? "README mentions make demo"
grep -q 'make check' "$README"; ok $? "README mentions make check"

# Guard against the extraction silently finding nothing.
[ "$nkeys" -ge 14 ] && [ "$nsect" -ge 4 ]
ok $? "found $nkeys keys in $nsect sections of lib/app/config.c"

for k in $KEYS; do
	grep -q "^\.BI $k \" = \"" "$MAN"
	ok $? "tipline.conf(5) documents key $k"
done
for s in $SECTIONS; do
	grep -q "^\.SH \"\[$s" "$MAN"
	ok $? "tipline.conf(5) has a section for [$s]"
done
for k in $MANKEYS; do
	echo "$KEYS" | grep -qx "$k"
	ok $? "documented key $k is parsed by lib/app/config.c"
done
for c in $CMDS; do
	grep -Eq "tipline $c\b|\`$c( |\`)" "$README"
	ok $? "README mentions the $c command"
done

# Exit codes: every code tl_status_exit_code() can return.
# status.c returns sysexits.h names (EX_CONFIG ...); look up their values.
codes=$(for n in $(grep -o 'return EX_[A-Z]*' "$TOP/lib/util/status.c" |
	sed 's/return //' | sort -u); do
		sed -n "s/^#define[[:space:]]*${n}[[:space:]]*\([0-9]*\).*/\1/p" \
			/usr/include/sysexits.h
	done | sort -n -u)
missing=
for code in $codes; do
	grep -q "^| $code |" "$README" || missing="$missing $code"
done
is "$missing" "" "README's exit code table lists every code of status.c"
[ -n "$codes" ]; ok $? "status.c exit codes found: $(echo "$codes" | tr "\n" " ")"

# The example configurations are accepted by the binary. A command that
# needs a configuration and no network: import into a scratch database
# ($TIPLINE_DB overrides [store] database), one of the demo messages.
example_ok() {	# NAME FILE
	if [ ! -x "$TIPLINE_BIN" ]; then
		ok 0 "$1 # SKIP no binary at $TIPLINE_BIN"
		return
	fi
	rm -f "$WORK/ex.db"
	# The CA files the examples name are not on this machine, and a
	# missing cafile is an error when the file is read: use one that is.
	: > "$WORK/ca.pem"
	sed -i "s|^cafile = [^;]*|cafile = $WORK/ca.pem |" "$2"
	TIPLINE_DB=$WORK/ex.db "$TIPLINE_BIN" --config "$2" import \
		"$FIX/demo/05-opinion.eml" >/dev/null 2>"$WORK/ex.err"
	rc=$?
	[ "$rc" != 78 ] && ! grep -q "$2:[0-9]" "$WORK/ex.err"
	ok $? "$1 (exit $rc)"
	[ "$rc" = 78 ] && diag "$(cat "$WORK/ex.err")"
}
sed -n '/^```ini$/,/^```$/p' "$README" | sed '/^```/d' > "$WORK/readme.conf"
grep -q '^\[store\]' "$WORK/readme.conf"
ok $? "README has an example configuration"
example_ok "README's example configuration is accepted" "$WORK/readme.conf"
sed -n '/^\.SH EXAMPLES/,/^\.SH /p' "$MAN" |
	sed -n '/^\.EX/,/^\.EE/p' | sed '/^\.E[XE]/d; s/\\-/-/g; s/\\e/\\/g' \
	> "$WORK/man.conf"
[ "$(grep -c '^\[mailbox ' "$WORK/man.conf")" -ge 3 ]
ok $? "tipline.conf(5) has example mailboxes (own server, Gmail, M365)"
example_ok "tipline.conf(5)'s examples are accepted" "$WORK/man.conf"
grep -q '^token_command' "$WORK/man.conf"
ok $? "tipline.conf(5) shows an OAuth token_command"

# Rendering.
if command -v groff >/dev/null 2>&1; then
	out=$(groff -man -ww -z "$MAN" 2>&1)
	is "$out" "" "groff renders tipline.conf(5) without warnings"
else
	ok 0 "groff # SKIP groff not installed"
fi
if command -v man >/dev/null 2>&1; then
	out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$MAN" 2>&1 >/dev/null)
	is "$out" "" "man -l renders tipline.conf(5) without warnings"
else
	ok 0 "man # SKIP man not installed"
fi
