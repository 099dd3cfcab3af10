#!/bin/sh
# 138-pg-search-corpus.t - the 18 Vietnamese search expectations
# (rules.search of the shared corpus's expected.json, issue 13) met by
# PostgreSQL's text search in schema-pg.sql: the corpus is imported with
# tipline (SQLite), its searchable columns copied into the private
# PostgreSQL, and each query run as the backend will run it: folded words
# all present, bounces left out, the words together first (a folded
# phrase), then exact diacritics, then ts_rank. "files" must come first,
# then only "may_follow". Skipped without the corpus (TIPLINE_VI_CORPUS,
# default /work/shared/corpus/vi); nothing of it is copied into the repo.
. "$(dirname "$0")/lib.sh"
CORPUS=${TIPLINE_VI_CORPUS:-/work/shared/corpus/vi}
[ -f "$CORPUS/expected.json" ] || skip_all "no corpus at $CORPUS"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
pg_need
plan 20

tl import "$CORPUS"/*.eml > "$WORK/import" 2>&1
is "$?" 0 "the corpus imports into SQLite"
sqlite3 -csv "$DB" "SELECT id, status, source_path, subject, from_name,
	from_addr, text, search_extra FROM submission" > "$WORK/rows.csv"
psql_t -c "SET client_min_messages = warning" -f "$TOP/schema-pg.sql" \
	-c "CREATE TABLE corpus (id bigint, status text, path text,
		subject text, from_name text, from_addr text, text text,
		extra text)" \
	-c "\\copy corpus FROM '$WORK/rows.csv' csv" \
	-c "ALTER TABLE corpus ADD COLUMN f tsvector GENERATED ALWAYS AS
		(tl_search_doc('tl_folded', subject, from_name, from_addr,
		text, extra)) STORED, ADD COLUMN e tsvector GENERATED ALWAYS
		AS (tl_search_doc('tl_exact', subject, from_name, from_addr,
		text, extra)) STORED"
is "$(psql_t -c 'SELECT count(*) FROM corpus')" \
	"$(sql 'SELECT count(*) FROM submission')" \
	"every submission copied into PostgreSQL"

python3 - "$CORPUS/expected.json" "$PG_BIN/psql" "$PG_SOCKET_URL" <<'EOF'
import json, subprocess, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
psql = [sys.argv[2], "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", sys.argv[3]]
sql = """SELECT string_agg(regexp_replace(path, '.*/', ''), ' '
    ORDER BY phrase DESC, exact DESC, rank DESC, id) FROM (
  SELECT id, path,
    f @@ phraseto_tsquery('tl_folded', tl_search_words(:'q')) AS phrase,
    e @@ plainto_tsquery('tl_exact', tl_search_words(:'q')) AS exact,
    ts_rank('{0.25, 0.25, 0.5, 1.0}', f,
      plainto_tsquery('tl_folded', tl_search_words(:'q'))) AS rank
  FROM corpus WHERE status <> 'bounce'
  AND f @@ plainto_tsquery('tl_folded', tl_search_words(:'q'))) hits;"""
n = 2
for s in d["search"]:
    n += 1
    r = subprocess.run(psql + ["-v", "q=" + s["query"]], input=sql,
                       capture_output=True, text=True)
    got = r.stdout.split()
    files = set(s["files"])
    rest = set(got[len(files):])
    good = set(got[:len(files)]) == files and \
        (rest <= set(s["may_follow"]) if "may_follow" in s else not rest)
    print("%s %d - search %s" % ("ok" if good else "not ok", n, s["query"]))
    if not good:
        print("#   got:      %s %s" % (" ".join(got), r.stderr.strip()))
        print("#   expected: %s first, then only %s" %
              (" ".join(sorted(files)), " ".join(s.get("may_follow", []))))
EOF
