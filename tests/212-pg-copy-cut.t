#!/bin/sh
# 212-pg-copy-cut.t - the connection to PostgreSQL cut while an original
# of several chunks streams in as a binary COPY (pg-write.c, raw_copy):
# the fetch exits 75, keeps nothing of that message, moves nothing it did
# not commit, and the next run stores every message once, each original
# byte-exact.  tests/fixture/armproxy.py sits between tipline and the
# private server; a fault hook of build/tipline-faults cuts after the
# second chunk of the first long original.  Always on PostgreSQL, in
# `make check` too (its own server, as 186).
. "$(dirname "$0")/lib.sh"
. "$TESTS/fetch-lib.sh"
pg_always
[ -x "$TIPLINE_FAULTS_BIN" ] || skip_all "no $TIPLINE_FAULTS_BIN (make build/tipline-faults)"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
dovecot_need
plan 8

printf 'secret\n' > "$WORK/pass"
chmod 600 "$WORK/pass"
unset TIPLINE_CRASH_AT TIPLINE_FAULT_TRACE

. "$TESTS/pg-proxy-lib.sh"
start_proxy cut now
C=$WORK/cut.conf
conf "$C"

# three readers' photos of 1,000,000 random bytes (1.35 MB of base64:
# six chunks each)
mkdir -p "$WORK/m"
for k in 1 2 3; do
	{
		printf 'From: Nguyễn Văn A <reader.a@example.org>\n'
		printf 'To: tin@example.net\nSubject: Ảnh %s\n' "$k"
		printf 'Date: Mon, 03 Jun 2024 08:0%s:00 +0700\n' "$k"
		printf 'Message-ID: <copycut%s@example.org>\n' "$k"
		printf 'MIME-Version: 1.0\nContent-Type: image/jpeg\n'
		printf 'Content-Transfer-Encoding: base64\n\n'
		head -c 1000000 /dev/urandom | base64
	} > "$WORK/m/$k.eml"
done
seed_folder F1 "$WORK"/m/*.eml >/dev/null
make_folder Done1
mailbox_conf "$C" box1 F1 "after_fetch=move Done1"

TIPLINE_FAULT_RUN_AT=raw-chunk-sent:2 TIPLINE_FAULT_RUN_CMD="$(cut_cmd cut)" \
	"$TIPLINE_FAULTS_BIN" --config "$C" fetch > "$WORK/out" 2> "$WORK/err"
is "$?" 75 "connection cut in the middle of an original's COPY: exit 75"
sed 's/^/# /' "$WORK/err"
like "$(cat "$WORK/err")" 'connection to the database server lost' \
	"... saying the connection was lost"
is "$(psql_t -c "SELECT count(*) || '/' || (SELECT count(*) FROM raw)
	FROM submission")" "0/0" "nothing of it kept: no row, no chunk"
is "$(folder_count F1)/$(folder_count Done1)" "3/0" \
	"nothing moved on the mail server"
stop_proxy

# the next run, straight to the server
D=$WORK/direct.conf
printf '[store]\ndatabase = %s\npassfile = %s\nspool_dir = %s\n' \
	"$PG_URL" "$PG_PASSFILE" "$SPOOL" > "$D"
mailbox_conf "$D" box1 F1 "after_fetch=move Done1"
"$TIPLINE_BIN" --config "$D" fetch > "$WORK/out2" 2> "$WORK/err2"
is "$?" 0 "the next run exits 0"
is "$(psql_t -c "SELECT count(DISTINCT content_hash) || '/' || count(*)
	FROM submission")" "3/3" "every message stored once"
bad=0
CONF=$D
for k in 1 2 3; do
	id=$(id_of "copycut$k@example.org")
	tl show "$id" --raw | tr -d '\r' > "$WORK/back$k"
	tr -d '\r' < "$WORK/m/$k.eml" | cmp -s - "$WORK/back$k" ||
		bad=$((bad + 1))
done
is "$bad" 0 "each original comes back byte-exact"
is "$(folder_count F1)/$(folder_count Done1)" "0/3" "all moved after"
