# tests/fetch-lib.sh - helpers shared by the fetch tests (30-32), sourced
# after lib.sh and dovecot_start.

# gen_msgs DIR TAG N [BODY_LINES]: write N distinct small messages
# DIR/TAG-K.eml (K = 1..N); distinct per TAG so that folders do not share
# content hashes.
gen_msgs() {
	_d=$1 _t=$2 _cnt=$3 _b=${4:-3} _k=1
	mkdir -p "$_d"
	while [ "$_k" -le "$_cnt" ]; do
		{
			printf 'From: Nguyễn Văn A <reader.a@example.org>\n'
			printf 'To: tips@example.net\n'
			printf 'Subject: tin %s số %d\n' "$_t" "$_k"
			printf 'Date: Mon, 03 Jun 2024 08:%02d:00 +0700\n' $((_k % 60))
			printf 'Message-ID: <%s-%d@example.org>\n' "$_t" "$_k"
			printf 'MIME-Version: 1.0\n'
			printf 'Content-Type: text/plain; charset=utf-8\n\n'
			_l=0
			while [ "$_l" -lt "$_b" ]; do
				printf 'Dòng %d của tin %s %d.\n' "$_l" "$_t" "$_k"
				_l=$((_l + 1))
			done
		} > "$_d/$_t-$(printf %05d "$_k").eml"
		_k=$((_k + 1))
	done
}

# photo_mails DIR TAG N KB: write N photo mails DIR/photo-K.eml (K = 01..),
# each a text part and a base64 attachment of KB KiB of photo-like bytes
# (SHA-256 blocks seeded by TAG, so folders share no content hash), with
# Message-ID <TAG-K@example.org>.  The base64 lives in the original only,
# neither as text nor in the search indexes.
photo_mails() {
	python3 - "$@" <<'PY'
import base64, hashlib, sys
d, tag, n, kb = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
for k in range(1, n + 1):
    photo = b"".join(hashlib.sha256(b"%s-%d-%d" % (tag.encode(), k, i))
                     .digest() for i in range(kb * 32))
    b64 = base64.encodebytes(photo).decode()
    with open("%s/photo-%02d.eml" % (d, k), "w") as f:
        f.write("From: Nguyễn Văn A <reader.a@example.org>\n"
                "To: tips@example.net\n"
                "Subject: ảnh số %d\n"
                "Date: Mon, 03 Jun 2024 08:%02d:00 +0700\n"
                "Message-ID: <%s-%d@example.org>\n"
                "MIME-Version: 1.0\n"
                "Content-Type: multipart/mixed; boundary=b\n\n"
                "--b\nContent-Type: text/plain; charset=utf-8\n\n"
                "Ảnh mưa ở Đà Nẵng.\n"
                "--b\nContent-Type: application/octet-stream\n"
                "Content-Disposition: attachment; filename=\"anh-%d.bin\"\n"
                "Content-Transfer-Encoding: base64\n\n%s--b--\n" %
                (k, k, tag, k, k, b64))
PY
}

# tip_mail FILE FROM N TAG: a one-line plain text tip number N from FROM
# ("Name <address>"), Message-ID <TAG-N@example.org>.
tip_mail() {
	printf 'From: %s\nTo: tips@example.net\nSubject: Tin %s\nDate: Mon, 03 Jun 2024 08:0%s:00 +0700\nMessage-ID: <%s-%s@example.org>\nContent-Type: text/plain; charset=utf-8\n\nTin so %s.\n' \
		"$2" "$3" "$3" "$4" "$3" "$3" > "$1"
}

# seed_folder FOLDER FILE...: deliver into FOLDER (INBOX or another).
seed_folder() {
	_f=$1; shift
	FOLDER=$_f "$TESTS/fixture/seed-maildir.sh" "$DOVECOT_DIR" -f "$@"
}

# make_folder FOLDER: create an empty folder on the server.
make_folder() {
	FOLDER=$1 "$TESTS/fixture/seed-maildir.sh" "$DOVECOT_DIR" 0 >/dev/null
}

# folder_dir FOLDER: its Maildir directory.
folder_dir() {
	if [ "$1" = INBOX ]; then echo "$IMAP_MAILDIR"
	else echo "$IMAP_MAILDIR/.$1"; fi
}

# folder_count FOLDER: messages in it (files in new/ and cur/).
folder_count() {
	_fd=$(folder_dir "$1")
	find "$_fd/new" "$_fd/cur" -type f 2>/dev/null | wc -l | tr -d ' '
}

# folder_flags FOLDER: the Maildir flag letters of every message, one line
# each, sorted ("-" for none).
folder_flags() {
	_fd=$(folder_dir "$1")
	find "$_fd/new" "$_fd/cur" -type f 2>/dev/null | while read -r _p; do
		case $_p in
		*:2,*) _fl=${_p##*:2,}; echo "${_fl:--}" ;;
		*) echo - ;;
		esac
	done | sort
}

# mailbox_conf CONFFILE NAME FOLDER [KEY=VALUE...]: append a [mailbox NAME]
# section for the fixture's FOLDER.
mailbox_conf() {
	_c=$1 _name=$2 _folder=$3; shift 3
	{
		printf '[mailbox %s]\n' "$_name"
		printf 'url = imaps://127.0.0.1:%s/%s\n' "$IMAPS_PORT" "$_folder"
		printf 'username = %s\npassword_file = %s\ncafile = %s\n' \
			"$IMAP_USER" "$WORK/pass" "$IMAP_CAFILE"
		for _kv in "$@"; do
			printf '%s = %s\n' "${_kv%%=*}" "${_kv#*=}"
		done
	} >> "$_c"
}

# new_conf FILE DB: a config with only a [store] section.  On PostgreSQL
# (check-pg) DB names a fresh database of the fixture's server instead
# (pg_db_of: dropped and created empty), so each test's queue starts empty
# as a new SQLite file does; read it with dbq.
new_conf() {
	if on_pg; then
		_pgdb=$(pg_db_of "$2")
		pg_admin -c "DROP DATABASE IF EXISTS \"$_pgdb\" WITH (FORCE)" \
			-c "CREATE DATABASE \"$_pgdb\" OWNER \"$PG_USER\"
			TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'" ||
			echo "Bail out! cannot create database $_pgdb"
		printf '[store]\ndatabase = %s\npassfile = %s\n' \
			"$(db_setting "$2")" "$PG_PASSFILE" > "$1"
		printf 'spool_dir = %s\nbusy_timeout = %s\n' "$SPOOL" \
			"${BUSY_TIMEOUT:-10}" >> "$1"
		return
	fi
	printf '[store]\ndatabase = %s\nspool_dir = %s\nbusy_timeout = %s\n' \
		"$2" "$SPOOL" "${BUSY_TIMEOUT:-10}" > "$1"
}

# db_setting DB: what [store] database (or TIPLINE_DB) says for the queue
# new_conf made for DB: DB itself, or the URL of its PostgreSQL database.
db_setting() {
	if on_pg; then echo "$PG_URL" | sed "s|/$PG_DB?|/$(pg_db_of "$1")?|"
	else echo "$1"; fi
}
# pg_db_of DB: the fixture database standing for the SQLite path DB
# ("t_" and its file name's letters and digits).
pg_db_of() {
	echo "t_$(basename "$1" | tr -c 'A-Za-z0-9\n' _)"
}
# pg_admin ARGS: psql as the fixture's administrator (CREATE DATABASE).
pg_admin() {
	"$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$PG_SOCKDIR" \
		-p "$PG_PORT" -U "$PG_ADMIN" -d postgres "$@" 2>/dev/null
}
# dbq DB QUERY: run QUERY on the queue new_conf made for DB (sqlite3, or
# psql on PostgreSQL); one row a line, columns separated by "|".
dbq() {
	if on_pg; then
		"$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 "$(echo \
			"$PG_SOCKET_URL" | sed "s|/$PG_DB?|/$(pg_db_of "$1")?|")" \
			-c "$2"
	else
		sqlite3 -batch -noheader "$1" "$2"
	fi
}

# run ARGS...: tipline with the config $C; its stdout and stderr in OUT,
# its exit code in RC.
run() { OUT=$("$TIPLINE_BIN" --config "$C" "$@" 2>&1); RC=$?; }

# queue_state DB: what must be identical after any crash and a rerun:
# the submissions (content hash, status) and the ledger (mailbox, UID,
# outcome, action_done, content hash of the submission it points to).
queue_state() {
	dbq "$1" "
		SELECT 'S', content_hash, status, raw_size FROM submission
		ORDER BY content_hash;
		SELECT 'L', l.mailbox, l.uid, l.outcome, l.action_done,
			coalesce(s.content_hash, '-'), l.size
		FROM ledger l LEFT JOIN submission s ON s.id = l.submission_id
		ORDER BY l.mailbox, l.uid;
		SELECT 'M', mailbox, last_uid, coalesce(start_uid, 0)
		FROM mailbox_state ORDER BY mailbox;"
}
