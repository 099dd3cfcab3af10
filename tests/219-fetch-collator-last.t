#!/bin/sh
# 219-fetch-collator-last.t - a fetch opens ICU's collator (for the desk's
# sort keys) only after it has parsed every message, and a poll with
# nothing new never opens it.  The collator maps in about 2 MB of ICU's
# collation data, which stays in memory: opened for the first message,
# it sat beside every message parsed after it, and workload C's peak RSS
# went from 24.1 to 25.7 MiB without any test noticing (issue 14).  The
# order is watched through an LD_PRELOAD library, built here, that logs
# each call of GMime's message parser and of ICU's ucol_open.  (SQLite:
# PostgreSQL keys as it stores.)
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
sqlite_only
dovecot_need
command -v cc >/dev/null 2>&1 || skip_all "no C compiler"
pkg-config --exists icu-uc 2>/dev/null || skip_all "no ICU headers"
plan 5

cat > "$WORK/trace.c" <<'EOF'
/* Log "parse" for each GMime message parse and "collator" for each
 * ICU collator opened, to $TL_TRACE_LOG, then call the real ones. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unicode/ucol.h>

#define STR(x) #x
#define XSTR(x) STR(x)

static void
note(const char *what)
{
	const char *path = getenv("TL_TRACE_LOG");
	int fd;

	if (path == NULL ||
	    (fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600)) < 0)
		return;
	if (write(fd, what, strlen(what)) < 0) {
		/* nothing to do: the test sees a short log */
	}
	close(fd);
}

void *
g_mime_parser_construct_message(void *parser, void *options)
{
	void *(*real)(void *, void *) = (void *(*)(void *, void *))
		dlsym(RTLD_NEXT, "g_mime_parser_construct_message");

	note("parse\n");
	return real(parser, options);
}

/* ucol_open is renamed by ICU's headers (ucol_open_72 and so on). */
UCollator *
ucol_open(const char *loc, UErrorCode *status)
{
	UCollator *(*real)(const char *, UErrorCode *) =
		(UCollator *(*)(const char *, UErrorCode *))
		dlsym(RTLD_NEXT, XSTR(ucol_open));

	note("collator\n");
	return real(loc, status);
}
EOF
cc -shared -fPIC -o "$WORK/trace.so" "$WORK/trace.c" \
	$(pkg-config --cflags icu-uc) -ldl 2> "$WORK/cc.err"
is "$?" 0 "the tracing library builds"

mkdir -p "$WORK/m"
for i in 1 2 3; do
	printf 'From: Người Gửi %s <reader.%s@example.org>\nTo: tips@example.net\nSubject: Tin %s\nDate: Mon, 03 Jun 2024 08:0%s:00 +0700\nMessage-ID: <fcl-%s@example.org>\nContent-Type: text/plain; charset=utf-8\n\nTin so %s.\n' \
		"$i" "$i" "$i" "$i" "$i" "$i" > "$WORK/m/$i.eml"
done
seed_folder Fcl "$WORK"/m/*.eml > /dev/null
C=$WORK/cl.conf B=$WORK/cl.db
new_conf "$C" "$B"
mailbox_conf "$C" test Fcl

# traced ARGS: run tipline with the library preloaded; the log in $LOG.
LOG=$WORK/trace.log
traced() {
	: > "$LOG"
	# An ASan build wants its runtime first among the libraries.
	TL_TRACE_LOG=$LOG LD_PRELOAD=$WORK/trace.so \
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
		"$TIPLINE_BIN" --config "$C" "$@"
}

traced fetch > /dev/null 2> "$WORK/err"
is "$?" 0 "fetch three messages, traced"
is "$(grep -c . "$LOG")" 4 "three parses and one collator"
is "$(tail -n 1 "$LOG")" collator "the collator comes after the last parse"

traced fetch > /dev/null 2>> "$WORK/err"
is "$(grep -c . "$LOG")" 0 "a poll with nothing new parses nothing and opens no collator"
