#!/bin/sh
# What a sender wrote never reaches a terminal raw: show --raw on a terminal
# shows control characters as U+FFFD (QA F12), and stays byte-exact when
# redirected; show --headers keeps its own colour codes intact (QA F11).
. "$(dirname "$0")/lib.sh"
command -v script >/dev/null 2>&1 || skip_all "script(1) is not installed"
plan 8
printf 'From: =?UTF-8?Q?Nguy=E1=BB=85n_V=C4=83n_A?= <reader.a@example.org>\r\nSubject: esc\r\nX-Evil: \033]0;pwned-title\007 \033[2J hidden\r\n\r\nbody\r\n' \
	> "$WORK/esc.eml"
tl import "$WORK/esc.eml" 2>/dev/null
script -qc "$TIPLINE_BIN --config $CONF show 1 --raw" /dev/null > "$WORK/tty" 2>&1
tr -d '\r' < "$WORK/tty" > "$WORK/tty.txt"
grep -q "$(printf '\033')" "$WORK/tty.txt"; is "$?" 1 \
	"show --raw on a terminal writes no ESC from the message"
grep -q "pwned-title" "$WORK/tty.txt"; is "$?" 0 "but shows the text around it"
tl show 1 --raw > "$WORK/out.eml"
cmp -s "$WORK/out.eml" "$WORK/esc.eml"; is "$?" 0 \
	"show --raw into a file stays byte-exact"
script -qc "$TIPLINE_BIN --config $CONF show 1 --headers" /dev/null \
	> "$WORK/hdr" 2>&1
grep "= Nguyễn" "$WORK/hdr" | grep -q "$(printf '\357\277\275')"; is "$?" 1 \
	"show --headers does not mangle its own colour codes into U+FFFD["
grep -q "Nguyễn Văn A" "$WORK/hdr"; is "$?" 0 \
	"show --headers shows the decoded sender"

# With [log] target = syslog an editor at a terminal still sees errors
# (QA F35); cron, without a terminal, logs to syslog alone.
printf '[log]\ntarget = syslog\n' >> "$CONF"
script -qc "$TIPLINE_BIN --config $CONF show 999" /dev/null > "$WORK/sl" 2>&1
like "$(cat "$WORK/sl")" "no submission 999" \
	"syslog target: the error still reaches an editor's terminal"

# The GPS warning promises a scrubbed copy only where export makes one
# (JPEG); a video's location must be removed by hand (QA F5).
tl import "$FIX/show/mp4-location.eml" 2>/dev/null
V=$(sql "SELECT id FROM submission WHERE subject = 'clip with a location'")
out=$(tl show "$V" 2>&1)
like "$out" "GPS position 16.054400, 108.202200" "a video's location is shown"
like "$out" "cannot remove it from this kind of file" \
	"and the warning says export --scrub will not remove it"
