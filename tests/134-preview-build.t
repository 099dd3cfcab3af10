#!/bin/sh
# 134-preview-build.t - the image and video libraries live in
# tipline-preview alone (issue 12: fetch must not load them), `make
# install` puts the worker beside tipline, and the worker is limited
# before it reads its input: memory, CPU time, file size, no core, and
# its own network namespace where the kernel allows one.  The layer
# arrows hold for preview/: it may use util.h only, and only lib/app
# (the client) may include its protocol header preview.h.
. "$(dirname "$0")/lib.sh"
. "$TESTS/preview-lib.sh"
[ -x "$PREVIEW_BIN" ] || skip_all "$PREVIEW_BIN not built"
plan 14

MEDIA='libvips|libavcodec|libavformat|libswscale|libavutil|libheif'
is "$(ldd "$TIPLINE_BIN" | grep -cE "$MEDIA")" 0 \
	"tipline links no image or video library"
is "$(ldd "$PREVIEW_BIN" | grep -oE "$MEDIA" | sort -u | tr '\n' ' ')" \
	"libavcodec libavformat libavutil libswscale libvips " \
	"tipline-preview links them (libheif comes as a libvips module)"

make -s -C "$TOP" install DESTDIR="$WORK/inst" PREFIX=/usr \
	> "$WORK/make.out" 2>&1
is "$?" 0 "make install"
ok "$([ -x "$WORK/inst/usr/bin/tipline" ] &&
	[ -x "$WORK/inst/usr/bin/tipline-preview" ] && echo 0 || echo 1)" \
	"tipline-preview installed beside tipline"

# The worker sets its limits before it reads stdin: hold stdin open and
# look at the process once it waits in its first read(0, ...).
mkfifo "$WORK/fifo"
"$PREVIEW_BIN" --memory 300 --cpu 7 image < "$WORK/fifo" \
	> /dev/null 2>&1 &
pid=$!
exec 9> "$WORK/fifo"
i=0
while [ $i -lt 100 ] &&
	[ "$(cut -d' ' -f1,2 /proc/$pid/syscall 2>/dev/null)" != "0 0x0" ]
do
	sleep 0.05; i=$((i + 1))
done
lim() { awk -v n="$1" 'index($0, n) == 1 { print $(NF - 2), $(NF - 1) }' \
	/proc/$pid/limits; }
is "$(lim 'Max address space')" "314572800 314572800" \
	"RLIMIT_AS from --memory before the input is read"
is "$(lim 'Max cpu time')" "7 8" "RLIMIT_CPU 7 s, then SIGKILL at 8"
is "$(lim 'Max file size')" "4194304 4194304" "RLIMIT_FSIZE: the output"
is "$(lim 'Max core file size')" "0 0" "no core dump"
ls -l /proc/$pid/fd 2>/dev/null | awk 'NR > 1 { print $9 }' |
	sort -n | tr '\n' ' ' > "$WORK/fds"
is "$(cat "$WORK/fds")" "0 1 2 " "only stdin, stdout and stderr are open"
if [ "$(readlink /proc/$pid/ns/net)" != "$(readlink /proc/$$/ns/net)" ]
then
	ok 0 "a network namespace of its own"
else
	ok 0 "# SKIP no network namespace here (RLIMIT_NOFILE 3 only)"
fi
exec 9>&-
wait $pid
diag "$("$PREVIEW_BIN" --sandbox-info)"
like "$("$PREVIEW_BIN" --sandbox-info)" \
	"^network isolation: (user\\+net namespace|net namespace|none); \
RLIMIT_NOFILE 3$" "--sandbox-info says which isolation took"

# probe FOLDER FILE: compile FILE as a file of FOLDER (tests/110).
probe() {
	( cd "$TOP" && $(make -s --no-print-directory -C "$TOP" print-cflags \
		FOLDER="$1") -c -o "$WORK/probe.o" "$2" ) \
		> "$WORK/probe.log" 2>&1
}
printf '#include "app.h"\nint probe;\n' > "$WORK/up.c"
probe preview "$WORK/up.c"; rc=$?
ok "$([ $rc != 0 ]; echo $?)" "preview/ cannot include app.h"
printf '#include "preview.h"\nint probe;\n' > "$WORK/pv.c"
probe lib/store "$WORK/pv.c"; rc=$?
ok "$([ $rc != 0 ]; echo $?)" "lib/store cannot include preview.h"
probe lib/app "$WORK/pv.c"
is "$?" 0 "lib/app (the client) can include preview.h"
