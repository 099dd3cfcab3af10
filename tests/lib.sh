# tests/lib.sh - a small TAP harness for tipline's end-to-end tests (after
# mblaze's t/lib.sh). Source it from a tests/NN-name.t script:
#   . "$(dirname "$0")/lib.sh"
#   plan 3
#   tl import "$FIX/a.eml"; is "$?" 0 "import exits 0"
# Every test gets a private $WORK directory (removed at exit) holding a
# config ($CONF) whose database is $DB. dovecot_start (below) adds a private
# Dovecot and a [mailbox test] section pointing at it.

set -u
TESTS=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$TESTS/.." && pwd)
TIPLINE_BIN=${TIPLINE_BIN:-$TOP/tipline}
TIPLINE_FAULTS_BIN=${TIPLINE_FAULTS_BIN:-$TOP/build/tipline-faults}
FIX=$TESTS/data
_n=0
_failed=0

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tipline-test.XXXXXX")
DB=$WORK/tipline.db
CONF=$WORK/tipline.conf
SPOOL=$WORK/spool
mkdir -p "$SPOOL"
printf '[store]\ndatabase = %s\nspool_dir = %s\n' "$DB" "$SPOOL" > "$CONF"
export TIPLINE_EDITOR=test-editor
unset TIPLINE_CONFIG TIPLINE_DB 2>/dev/null || true

_cleanup() {
	if [ -n "${DOVECOT_DIR:-}" ] && [ -d "$DOVECOT_DIR" ]; then
		"$TESTS/fixture/stop.sh" "$DOVECOT_DIR" >/dev/null 2>&1
	fi
	if [ -n "${PG_FIXTURE_DIR:-}" ] && [ -d "$PG_FIXTURE_DIR" ]; then
		"$TESTS/fixture/pg-stop.sh" "$PG_FIXTURE_DIR" >/dev/null 2>&1
	fi
	[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap _cleanup EXIT

plan() { echo "1..$1"; }
ok() {
	_n=$((_n + 1))
	if [ "$1" = 0 ]; then echo "ok $_n - $2"
	else echo "not ok $_n - $2"; _failed=$((_failed + 1)); fi
}
# is GOT EXPECTED NAME
is() {
	_n=$((_n + 1))
	if [ "$1" = "$2" ]; then echo "ok $_n - $3"
	else
		echo "not ok $_n - $3"
		printf '#   got:      %s\n#   expected: %s\n' "$1" "$2"
		_failed=$((_failed + 1))
	fi
}
# like GOT PATTERN NAME   (grep -E pattern)
like() {
	_n=$((_n + 1))
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then echo "ok $_n - $3"
	else
		echo "not ok $_n - $3"
		printf '#   got:     %s\n#   pattern: %s\n' "$1" "$2"
		_failed=$((_failed + 1))
	fi
}
# diag TEXT: TEXT as TAP comments, each of its lines one.
diag() { printf '%s\n' "$*" | sed 's/^/# /'; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }

# tl ARGS...: run tipline with the test config.
tl() { "$TIPLINE_BIN" --config "$CONF" "$@"; }
# TIPLINE_TEST_STORE=pg (make check-pg; tests/pg.list names the tests
# that run so): the same test on the PostgreSQL backend.  A private
# server is started (pg_start, below) and $CONF's database becomes its
# URL over TCP with TLS (verify-full against the fixture's CA) and the
# fixture's passfile; $DB then names no file.  A test about the SQLite
# file itself calls sqlite_only first.
pg_store_conf() {
	pg_start >/dev/null ||
		{ echo "Bail out! postgresql fixture did not start"; exit 1; }
	printf '[store]\ndatabase = %s\npassfile = %s\nspool_dir = %s\n' \
		"$PG_URL" "$PG_PASSFILE" "$SPOOL" > "$CONF"
}
on_pg() { [ "${TIPLINE_TEST_STORE:-sqlite}" = pg ]; }
sqlite_only() { ! on_pg || skip_all "about the SQLite file (check-pg)"; }
# sql QUERY: query the test database. For what a test asserts, prefer the
# CLI's JSON view (tj, below): raw SQL is for facts no command shows
# (the fetch ledger, caches, the schema) and for tests about the
# database itself.
# On PostgreSQL (check-pg) the same query goes to psql: most of
# tipline's SQL reads the same in both.
sql() {
	if on_pg; then psql_t -c "$1"
	else sqlite3 -batch -noheader "$DB" "$1"; fi
}
# tj FILTER ARGS...: run `tipline ARGS --json` and print jq's FILTER of
# its output (docs/json-schema.md), strings raw; e.g. tj .status show 3
# prints new. jq starts in a few milliseconds, where python3 takes a
# large part of a second on a busy machine.
tj() { _tj_f=$1; shift; tl "$@" --json | jq -r "$_tj_f"; }
# mbox_mail N SUBJECT TEXT: message N of an mbox for `tl import`, from
# the placeholder reader, dated 08:NN on 3 June 2024 (N < 60), with
# Message-ID <mN@example.org>; TEXT is its plain UTF-8 body.
mbox_mail() {
	printf 'From reader@example.org Mon Jan  1 00:00:00 2024\n'
	printf 'From: Nguyễn Văn A <reader.a@example.org>\n'
	printf 'To: tin@example.net\nSubject: %s\n' "$2"
	printf 'Date: Mon, 03 Jun 2024 08:%02d:00 +0700\n' "$1"
	printf 'Message-ID: <m%d@example.org>\nMIME-Version: 1.0\n' "$1"
	printf 'Content-Type: text/plain; charset=utf-8\n'
	printf 'Content-Transfer-Encoding: 8bit\n\n%s\n\n' "$3"
}
# count_all: how many submissions are stored (stats' total).
count_all() { tj .total stats; }
# status_of ID: the status of submission ID.
status_of() { tj .status show "$1"; }
# mids [FIRST]: the Message-IDs of the stored submissions (from id FIRST
# on), one a line, in id order: show --json of each listed id, since no
# list view has the Message-ID.
mids() {
	for _id in $(tj "[.[].id | select(. >= ${1:-0})] | sort | .[]" \
	    list --all --flat); do
		tl show "$_id" --json
	done | jq -r .message_id
}
# last_id: the highest id stored (null when none).
last_id() { tj '[.[].id] | max' list --all --flat; }
# listed ID...: how many of these ids `list --all --flat` shows (stored).
listed() {
	tj "[.[] | select(.id == ($(echo "$@" | tr ' ' ,)))] | length" \
		list --all --flat
}
# id_of MESSAGE-ID: the queue id of the submission with that Message-ID
# (no CLI view looks a submission up by Message-ID, so this reads SQL).
id_of() { sql "SELECT id FROM submission WHERE message_id = '$1'"; }

# dovecot_start: start a private Dovecot on free loopback ports (never the
# system service) and append [mailbox test] to $CONF. Sets DOVECOT_DIR and
# the fixture's IMAP_* variables.
dovecot_start() {
	DOVECOT_DIR=$(IMAP_PORT=auto "$TESTS/fixture/start.sh") || return 1
	. "$DOVECOT_DIR/env"
	printf 'secret\n' > "$WORK/pass"
	chmod 600 "$WORK/pass"
	cat >> "$CONF" <<CONF
[mailbox test]
url = imaps://127.0.0.1:$IMAPS_PORT/INBOX
username = $IMAP_USER
password_file = $WORK/pass
cafile = $IMAP_CAFILE
CONF
}
# dovecot_need: skip the whole file when Dovecot is not installed, else
# start the fixture (dovecot_start) or bail out: a fixture that does not
# start is a broken test machine, never a pass. Call before plan.
dovecot_need() {
	command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] ||
		skip_all "dovecot not installed"
	dovecot_start >/dev/null ||
		{ echo "Bail out! dovecot fixture did not start"; exit 1; }
}
# pg_start: start a private PostgreSQL 15 (tests/fixture/pg-start.sh: a
# temporary folder, a free loopback port with TLS only, a Unix socket in
# that folder; never the system service), stopped and deleted on exit.
# Sets the fixture's PG_* variables and exports PGPASSFILE (the fixture's
# 0600 passfile), so psql and libpq find the test role's password there.
# One server per test: a PostgreSQL-only test (pg_need) run by check-pg
# uses the one pg_store_conf started, rather than leaking it.
pg_start() {
	if [ -n "${PG_FIXTURE_DIR:-}" ] && [ -f "$PG_FIXTURE_DIR/env" ]; then
		. "$PG_FIXTURE_DIR/env"
		return 0
	fi
	PG_FIXTURE_DIR=$("$TESTS/fixture/pg-start.sh") || return 1
	. "$PG_FIXTURE_DIR/env"
	PGPASSFILE=$PG_PASSFILE
	export PGPASSFILE
}
# pg_need: skip the whole file when PostgreSQL 15 is not installed, else
# start it (pg_start) or bail out. Call before plan.
pg_need() {
	[ -x "${PG_BIN:-/usr/lib/postgresql/15/bin}/initdb" ] ||
		skip_all "postgresql-15 not installed"
	pg_start >/dev/null ||
		{ echo "Bail out! postgresql fixture did not start"; exit 1; }
}
# pg_always: a test about PostgreSQL itself runs on it in `make check`
# too, on its own private server: skip the file without postgresql-15,
# else start the server and point $CONF at it (as `make check-pg` does
# for every file). Call before plan.
pg_always() {
	on_pg && return 0
	pg_need
	pg_store_conf
	TIPLINE_TEST_STORE=pg
	export TIPLINE_TEST_STORE
}
# psql_t [psql options] ARGS: the test role's psql over the Unix socket,
# unaligned, tuples only, stopping at the first error.
psql_t() {
	"$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 "$PG_SOCKET_URL" "$@"
}
# seed FILE...: deliver messages into the fixture's INBOX (UIDs in order).
seed() { "$TESTS/fixture/seed-maildir.sh" "$DOVECOT_DIR" -f "$@"; }

# Last, once pg_start is defined: the PostgreSQL store when asked.
if on_pg; then pg_store_conf; fi
