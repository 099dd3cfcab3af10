#!/bin/sh
# The layering and style rules of issue 11, checked by
# scripts/check-layers.py: on the tree (must pass), and on a small bad
# tree written here (must fail, naming each fault), so the checker itself
# is tested.
. "$(dirname "$0")/lib.sh"
plan 13

CHECK=$TOP/scripts/check-layers.py

out=$(python3 "$CHECK" "$TOP" 2>&1); rc=$?
is "$rc" 0 "the tree passes check-layers"
[ "$rc" = 0 ] || printf '%s\n' "$out" | grep -v '^long' | sed 's/^/# /'
# The report of long functions (not a failure), for the reader of the log.
printf '%s\n' "$out" | grep -E '^(long|known):' | sed 's/^/# /'

# A bad tree: each rule broken once.
B=$WORK/bad
mkdir -p "$B/lib/util" "$B/lib/mime" "$B/lib/store" "$B/src"
printf '#include <stdio.h>\n' > "$B/lib/util/util.h"
printf 'int u;\n' > "$B/lib/util/log.c"
printf '#include "util.h"\n' > "$B/lib/mime/message.h"
# a cycle: mime-a -> mime-b -> mime-a (through their private headers)
printf '#include "mime-b-priv.h"\n' > "$B/lib/mime/mime-a-priv.h"
printf '#include "mime-a-priv.h"\nint a;\n' > "$B/lib/mime/mime-a.c"
printf '#include "mime-a-priv.h"\n' > "$B/lib/mime/mime-b-priv.h"
printf '#include "mime-b-priv.h"\nint b;\n' > "$B/lib/mime/mime-b.c"
# printing from the core, and a line of 81 columns (a tab and 73 more,
# Vietnamese: more bytes than columns)
cat > "$B/lib/mime/mime-c.c" <<'C'
#include "message.h"
void
mime_c_say(void)
{
	printf("xin chào\n");
}
/* Tiếng Việt có dấu: mỗi chữ một cột dù nhiều byte, dòng này 81 cột.aaaaaaaaa */
/* Tiếng Việt có dấu: mỗi chữ một cột dù nhiều byte, dòng này 80 cột.aaaaaaaa */
C
# an arrow the wrong way, and SQLite outside lib/store
printf '#include "store.h"\n#include <sqlite3.h>\n' > "$B/lib/mime/mime-d.c"
printf '#include "message.h"\n' > "$B/lib/store/store.h"
printf '#include "store.h"\n#include <sqlite3.h>\n' > "$B/lib/store/store.c"
# a function declared in mime-e's header but defined in mime-f.c
printf 'void mime_e_go(void);\n' > "$B/lib/mime/mime-e-priv.h"
printf '#include "mime-e-priv.h"\nvoid\nmime_e_go(void)\n{\n}\n' \
	> "$B/lib/mime/mime-f.c"
# another folder's private header from the faces
printf '#include "mime-a-priv.h"\n' > "$B/src/cmd-x.c"

out=$(python3 "$CHECK" "$B" 2>&1); rc=$?
is "$rc" 1 "a bad tree fails check-layers"
like "$out" '^cycle: .*lib/mime/mime-a, lib/mime/mime-b include each other' \
	"it names the cycle"
like "$out" '^print: lib/mime/mime-c.c:5: printf in lib/ \(in mime_c_say\)' \
	"it names the printf in lib/"
like "$out" '^width: lib/mime/mime-c.c:7: 81 columns' \
	"it names the 81-column line"
is "$(printf '%s\n' "$out" | grep -c '^width: lib/mime/mime-c.c:8')" 0 \
	"80 columns of multibyte Vietnamese are not too long"
like "$out" '^arrow: lib/mime/mime-d.c:1: mime may not use store' \
	"it names the include of a higher layer"
like "$out" '^sqlite: lib/mime/mime-d.c:2: includes sqlite3.h' \
	"it names sqlite3.h outside lib/store"
is "$(printf '%s\n' "$out" | grep -c '^sqlite: lib/store')" 0 \
	"sqlite3.h is allowed in lib/store"
like "$out" '^private: src/cmd-x.c:1: includes mime-a-priv.h, private to lib/mime' \
	"it names another folder's private header"
like "$out" '^home: lib/mime/mime-e-priv.h:1: mime_e_go\(\) is defined in lib/mime/mime-f.c' \
	"it names a function declared away from its module"

# A function over 60 lines is reported, not a failure.
mkdir -p "$WORK/long/src"
{ printf 'int\nlong_one(void)\n{\n'
  i=0; while [ $i -lt 61 ]; do printf '\tx();\n'; i=$((i + 1)); done
  printf '}\n'; } > "$WORK/long/src/a.c"
out=$(python3 "$CHECK" "$WORK/long" 2>&1); rc=$?
is "$rc" 0 "a long function alone does not fail"
like "$out" '^long: src/a.c:3: long_one\(\) 61 lines' \
	"a long function is reported with its length"

exit $_failed
