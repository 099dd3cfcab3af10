# tests/copy-lib.sh - what the `tipline copy` tests (170-174) share:
# a source queue with something in every table that matters, and the
# views and rows two databases are compared by.  Source after lib.sh.
#
# The source is always the SQLite file $DB (these tests pick their own
# backends: they start PostgreSQL with pg_need and are not run through
# tests/pg.list).
printf '[store]\ndatabase = %s\nspool_dir = %s\n' "$DB" "$SPOOL" > "$CONF"

# conf_for DATABASE FILE: a configuration for DATABASE (a path or the
# fixture's URL, with its passfile).
conf_for() {
	if [ -n "${PG_PASSFILE:-}" ]; then
		printf '[store]\ndatabase = %s\npassfile = %s\nspool_dir = %s\n' \
			"$1" "$PG_PASSFILE" "$SPOOL" > "$2"
	else
		printf '[store]\ndatabase = %s\nspool_dir = %s\n' "$1" \
			"$SPOOL" > "$2"
	fi
}

# copy_queue: photos and a clip (attachments, media facts, a preview),
# a thread (parent ids, one adopted), decisions with notes (audit rows),
# a seen mark, and the newest submission purged (a purged hash, the id
# floor above every stored id, a purge audit row).
copy_queue() {
	# The reply first: its original, stored after it, adopts it (a
	# parent id above the row's own).
	tl -q import "$FIX"/thread/02-same-sender.eml >/dev/null &&
	tl -q import "$FIX"/thread/0[13-9]*.eml "$FIX"/desk/0*.eml \
		"$FIX"/show/mp4-location.eml >/dev/null || return 1
	tl -q approve 1 --note "đã kiểm tra" >/dev/null &&
	tl -q reject 2 --reason "trùng" >/dev/null &&
	tl -q spam 3 >/dev/null &&
	tl -q seen 4 >/dev/null &&
	# The release binary, whose worker tipline-preview sits beside it
	# (a sanitizer build in build/ has none).
	"$TOP/tipline" --config "$CONF" -q previews >/dev/null || return 1
	_top=$(sqlite3 "$DB" "SELECT max(id) FROM submission")
	sqlite3 "$DB" "UPDATE submission SET received_utc =
		'2020-01-01T00:00:00Z' WHERE id = $_top" &&
	tl -q reject "$_top" >/dev/null &&
	tl -q purge --status rejected --older-than 30d >/dev/null
}

# views CONF: every JSON view of the queue CONF names, one after another
# (list, show of each id, audit, stats, a search).
views() {
	"$TIPLINE_BIN" --config "$1" list --all --flat --json &&
	for _id in $("$TIPLINE_BIN" --config "$1" list --all --flat --json |
	    jq '.[].id'); do
		"$TIPLINE_BIN" --config "$1" show "$_id" --json || return 1
	done &&
	"$TIPLINE_BIN" --config "$1" audit --json &&
	"$TIPLINE_BIN" --config "$1" stats --json &&
	"$TIPLINE_BIN" --config "$1" search "phuong" --json
}

# The rows a PostgreSQL copy is compared by, until the desk reads
# PostgreSQL: the same SELECT in sqlite3 (FILE) and psql, '|' between
# columns, NULL as empty, bytes as lower-case hex.
ROWS_SQL="SELECT 'sub', id, status, content_hash, parent_id, subject,
	raw_size FROM submission ORDER BY id;
SELECT 'raw', submission_id, seq, length(bytes) FROM raw
	ORDER BY submission_id, seq;
SELECT 'att', id, submission_id, idx, filename, sha256, gps_lat, gps_lon
	FROM attachment ORDER BY id;
SELECT 'media', attachment_id, format, width, height FROM attachment_media
	ORDER BY attachment_id;
SELECT 'preview', attachment_id, size, status, length(jpeg) FROM preview
	ORDER BY attachment_id;
SELECT 'audit', id, submission_id, at_utc, editor, action, old_status,
	new_status, note FROM audit ORDER BY id;
SELECT 'seen', editor, submission_id FROM seen ORDER BY submission_id;
SELECT 'purged', content_hash FROM purged ORDER BY content_hash;
SELECT 'text_key', submission_id, text_hash FROM text_key
	ORDER BY submission_id"
lite_rows() {
	sqlite3 -batch -noheader "$1" "$ROWS_SQL;
	SELECT 'rawhex', submission_id, seq, lower(hex(bytes)) FROM raw
		ORDER BY submission_id, seq"
}
pg_rows() {
	psql_t -c "$ROWS_SQL" -c "SELECT 'rawhex', submission_id, seq,
		encode(bytes, 'hex') FROM raw ORDER BY submission_id, seq"
}
