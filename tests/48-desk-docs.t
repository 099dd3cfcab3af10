#!/bin/sh
# 48-desk-docs.t - tipline(1), the bash completion and the JSON schema stay
# in step with the code: every command in the table (src/tipline.c) has
# usage (`tipline CMD --help` exits 0), a section in docs/tipline.1 and a
# completion; every option its --help lists is in the man page; every exit
# code of lib/util/status.c is under EXIT STATUS; the schema version
# printed is the one documented.
. "$(dirname "$0")/lib.sh"

MAN=$TOP/docs/tipline.1
COMP=$TOP/docs/tipline.bash-completion
CMDS=$(cat "$TOP"/src/commands.c "$TOP"/src/tipline.c 2>/dev/null |
	sed -n 's/^[[:space:]]*{ "\([a-z]*\)", cmd_.*/\1/p')
ncmds=$(echo "$CMDS" | grep -c .)
codes=$(for n in $(grep -o 'return EX_[A-Z]*' "$TOP/lib/util/status.c" |
	sed 's/return //' | sort -u); do
		sed -n "s/^#define[[:space:]]*${n}[[:space:]]*\([0-9]*\).*/\1/p" \
			/usr/include/sysexits.h
	done | sort -n -u)
ncodes=$(echo "$codes" | grep -c .)

plan $((1 + 4 * ncmds + ncodes + 6))

[ "$ncmds" -ge 15 ]; ok $? "found $ncmds commands in the command table"

# The man page's text with groff escapes for '-' undone.
mantext=$(sed 's/\\-/-/g' "$MAN")
# Section titles: ".SS approve, reject, spam, reopen" names four commands.
sections=$(sed -n 's/^\.SS //p' "$MAN" | tr ',' '\n' | sed 's/^ *//')

for c in $CMDS; do
	"$TIPLINE_BIN" "$c" --help >"$WORK/help" 2>&1
	is "$?" 0 "tipline $c --help exits 0"
	like "$(head -1 "$WORK/help")" "^usage: tipline $c" "tipline $c --help prints usage"
	echo "$sections" | grep -qx "$c"
	ok $? "tipline(1) has a section for $c"
	missing=
	for o in $(grep -o -- '--[a-z][a-z-]*' "$WORK/help" | sort -u); do
		[ "$o" = --help ] && continue
		printf '%s\n' "$mantext" | grep -q -- "$o" || missing="$missing $o"
	done
	is "$missing" "" "tipline(1) documents every option of $c"
done

exitsec=$(sed -n '/^\.SH EXIT STATUS/,/^\.SH /p' "$MAN")
for code in $codes; do
	printf '%s\n' "$exitsec" | grep -qx "\.B $code"
	ok $? "EXIT STATUS lists $code"
done

missing=
for c in $CMDS; do grep -qw "$c" "$COMP" || missing="$missing $c"; done
is "$missing" "" "the bash completion knows every command"
bash -n "$COMP"; ok $? "the bash completion is valid bash"

if command -v groff >/dev/null 2>&1; then
	is "$(groff -man -Tutf8 -ww -z "$MAN" 2>&1)" "" \
		"groff renders tipline(1) without warnings (UTF-8 terminal)"
else
	ok 0 "groff # SKIP groff not installed"
fi
grep -q '^\*/5 \* \* \* \* ' "$MAN"; ok $? "tipline(1) has a cron line"
grep -q 'OnUnitActiveSec' "$MAN"; ok $? "tipline(1) has a systemd timer"

v=$(sed -n 's/^#define DETAIL_JSON_SCHEMA "\(.*\)"/\1/p' "$TOP/lib/store/store.h")
grep -q "^# tipline JSON output: schema \`$v\`" "$TOP/docs/json-schema.md"
ok $? "docs/json-schema.md documents the version the code prints ($v)"
