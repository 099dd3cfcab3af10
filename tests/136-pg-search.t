#!/bin/sh
# PostgreSQL text search in schema-pg.sql has the semantics of SQLite's
# FTS5 search (issue 13): diacritic-insensitive with đ/Đ folded to d, any
# case, NFD text from a Mac found like NFC, exact-diacritic matches ranked
# above folded-only ones, then subject above body (the weights A..D of
# tl_search_doc, as bm25's column weights in desk.c), through the GIN
# index. Rows are inserted with psql; the query is the one the backend
# will build (what the editor typed through tl_search_words).  A database
# of version 3 from before the originals' storage without compression gets
# it when tipline opens it.
. "$(dirname "$0")/lib.sh"
pg_need
plan 16

psql_t -1 -c "SET client_min_messages = warning" -f "$TOP/schema-pg.sql" ||
	{ echo "Bail out! schema-pg.sql did not apply"; exit 1; }

# row ID SUBJECT TEXT: one submission (other columns as ingest fills them)
row() {
	psql_t -v id="$1" -v subj="$2" -v body="$3" <<'EOF'
INSERT INTO submission (id, content_hash, received_utc, source, raw_size,
	queue_utc, from_name, from_addr, subject, text)
VALUES (:id, 'hash' || :id, '2026-01-01T00:00:00Z', 'file', 100,
	'2026-01-01T00:00:00Z', 'Nguyễn Văn A', 'reader.a@example.org',
	:'subj', :'body');
EOF
}
row 1 "Lũ ở Đà Nẵng" "Nước lên nhanh."
row 2 "Tin từ Da Nang" "Nuoc len nhanh."
row 3 "Máy mới" "Máy đa năng, giá rẻ."
row 4 "Thời tiết" "Đà Lạt mưa."
# "Đà Nẵng" in NFD (base letters and combining marks), as macOS sends it
row 5 "Ảnh" "$(printf 'Pha\314\201o hoa \304\220a\314\200 Na\314\206\314\203ng')"
row 6 "ĐƯỜNG PHỐ NGẬP" "Chụp lúc 7 giờ."

# search WORDS: the ids found, in rank order; "*" marks an exact match
search() {
	psql_t -v q="$1" <<'EOF'
SELECT string_agg(id || CASE WHEN exact THEN '*' ELSE '' END, ','
	ORDER BY exact DESC, rank DESC, id)
FROM (SELECT id, search_exact @@ eq AS exact,
	ts_rank('{0.25, 0.25, 0.5, 1.0}', search_folded, fq) AS rank
	FROM submission,
	plainto_tsquery('tl_folded', tl_search_words(:'q')) fq,
	plainto_tsquery('tl_exact', tl_search_words(:'q')) eq
	WHERE search_folded @@ fq) hits;
EOF
}

is "$(search 'da nang')" "2*,1,3,5" \
	"da nang finds Đà Nẵng (subject, NFD body), đa năng; Da Nang first"
is "$(search 'Đà Nẵng')" "1*,5*,2,3" \
	"Đà Nẵng: both exact matches first, subject before body"
is "$(search 'đà nẵng')" "1*,5*,2,3" "đà nẵng: the same, in lower case"
is "$(search 'DA NANG')" "2*,1,3,5" "DA NANG: as da nang"
is "$(search 'ĐÀ NẴNG')" "1*,5*,2,3" "ĐÀ NẴNG: as Đà Nẵng"
is "$(search 'đa năng')" "3*,1,2,5" "đa năng: the other word first"
is "$(search 'duong')" "6" "duong finds ĐƯỜNG (đ folded to d)"
is "$(search 'đường')" "6*" "đường matches ĐƯỜNG exactly"
is "$(search 'da lat')" "4" "all words must match (da lat: one row)"
is "$(search 'example')" "1*,2*,3*,4*,5*,6*" \
	"an address is words, like unicode61 (example in reader.a@example.org)"
is "$(psql_t -v q='da nang' <<'EOF'
SELECT ts_headline('tl_folded', subject,
	plainto_tsquery('tl_folded', tl_search_words(:'q')))
FROM submission WHERE id = 1;
EOF
)" "Lũ ở <b>Đà</b> <b>Nẵng</b>" "ts_headline marks the original words"

plan_line=$(psql_t <<'EOF'
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM submission
WHERE search_folded @@ plainto_tsquery('tl_folded', 'da nang');
EOF
)
like "$plan_line" "Bitmap Index Scan on search_folded_gin" \
	"the folded search uses its GIN index"

# Punctuation between letters separates words, as in unicode61.
row 7 "Số 12/3, đường Lê-Lợi" "Gọi 0912.345.678 hoặc reader.b@example.org"
is "$(search 'le loi')" "7" "le loi finds Lê-Lợi (folded, hyphen a space)"
is "$(search '0912 345')" "7*" "the digits of 0912.345.678 are words"
is "$(psql_t -c "SELECT attstorage FROM pg_attribute WHERE attrelid =
	'raw'::regclass AND attname = 'bytes'")" "e" \
	"originals are stored out of line without compression (EXTERNAL)"

# A version 3 database from before that storage (and the cheaper
# tl_search_words): tipline applies schema-pg.sql again at open.
psql_t -c "ALTER TABLE raw ALTER COLUMN bytes SET STORAGE EXTENDED" \
	-c "INSERT INTO schema_version (version) VALUES (3) ON CONFLICT (one)
		DO UPDATE SET version = 3"
printf '[store]\ndatabase = %s\npassfile = %s\n' "$PG_URL" \
	"$PG_PASSFILE" > "$WORK/pg.conf"
"$TIPLINE_BIN" --config "$WORK/pg.conf" list > /dev/null 2>&1
is "$(psql_t -c "SELECT attstorage FROM pg_attribute WHERE attrelid =
	'raw'::regclass AND attname = 'bytes'")" "e" \
	"an open of that database gives the originals that storage"
