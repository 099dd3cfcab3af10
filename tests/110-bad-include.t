#!/bin/sh
# The build refuses a wrong-way include (issue 11): a file of lib/mime
# cannot include store.h (a higher layer), a file of src/ cannot include
# lib/mime's private mime-walk-priv.h, and the same files with allowed
# includes do compile (so this test can fail). Each is compiled with the
# compiler and flags the Makefile uses for that folder.
. "$(dirname "$0")/lib.sh"
plan 9

cflags() {
	make -s --no-print-directory -C "$TOP" print-cflags FOLDER="$1"
}
# probe FOLDER FILE: compile FILE as a file of FOLDER, from the top.
probe() {
	( cd "$TOP" && $(cflags "$1") -c -o "$WORK/probe.o" "$2" ) \
		> "$WORK/probe.log" 2>&1
}

printf '#include "store.h"\nint probe;\n' > "$WORK/mime-up.c"
probe lib/mime "$WORK/mime-up.c"; rc=$?
ok "$([ $rc != 0 ]; echo $?)" "lib/mime cannot include store.h"
like "$(cat "$WORK/probe.log")" 'store\.h: No such file' \
	"the compiler says why: store.h is not on lib/mime's path"

printf '#include "message.h"\n#include "mime-walk-priv.h"\nint probe;\n' \
	> "$WORK/mime-ok.c"
probe lib/mime "$WORK/mime-ok.c"
is "$?" 0 "lib/mime can include message.h and its own private header"

printf '#include "mime-walk-priv.h"\nint probe;\n' > "$WORK/src-priv.c"
probe src "$WORK/src-priv.c"; rc=$?
ok "$([ $rc != 0 ]; echo $?)" "src/ cannot include lib/mime's private header"
like "$(cat "$WORK/probe.log")" 'mime-walk-priv\.h: No such file' \
	"the compiler says why: mime-walk-priv.h is not on src/'s path"

printf '#include "message.h"\n#include "store.h"\n#include "app.h"\n' \
	> "$WORK/src-ok.c"
printf 'int probe;\n' >> "$WORK/src-ok.c"
probe src "$WORK/src-ok.c"
is "$?" 0 "src/ can include the public headers"

# serve/ (tipline-serve, issue 12) is a face like src/, and src/'s
# headers are not its own.
probe serve "$WORK/src-ok.c"
is "$?" 0 "serve/ can include the public headers"
probe serve "$WORK/src-priv.c"; rc=$?
ok "$([ $rc != 0 ]; echo $?)" "serve/ cannot include lib/mime's private header"
printf '#include "commands.h"\nint probe;\n' > "$WORK/serve-src.c"
probe serve "$WORK/serve-src.c"; rc=$?
ok "$([ $rc != 0 ]; echo $?)" "serve/ cannot include src/'s commands.h"

exit $_failed
