-- schema-describe-pg.sql: what the current schema of a PostgreSQL database
-- defines, one sorted line per fact, in the form tests/schema-describe.py
-- prints a SQLite schema (see there).  Left out: schema_version (SQLite's
-- PRAGMA user_version) and the text search columns search_folded and
-- search_exact with their GIN indexes (SQLite's FTS5 tables), which
-- tests/135-pg-schema.t checks apart.  Run with psql -At.
WITH t AS (
	SELECT c.oid, c.relname FROM pg_class c
	WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
	AND c.relname <> 'schema_version'
), col AS (
	SELECT t.relname, a.attname, a.attnum, a.attnotnull,
		format_type(a.atttypid, a.atttypmod) AS typ,
		pg_get_expr(d.adbin, d.adrelid) AS dflt
	FROM t JOIN pg_attribute a ON a.attrelid = t.oid
	LEFT JOIN pg_attrdef d ON d.adrelid = t.oid AND d.adnum = a.attnum
		AND a.attgenerated = ''
	WHERE a.attnum > 0 AND NOT a.attisdropped
	AND a.attname NOT IN ('search_folded', 'search_exact')
), con AS (
	SELECT t.relname, k.contype, k.confdeltype,
		pg_get_constraintdef(k.oid) AS def,
		k.confrelid::regclass::text AS ftable,
		(SELECT string_agg(a.attname, ',' ORDER BY u.o)
		 FROM unnest(k.conkey) WITH ORDINALITY u(n, o)
		 JOIN pg_attribute a ON a.attrelid = t.oid
			AND a.attnum = u.n) AS cols,
		(SELECT string_agg(a.attname, ',' ORDER BY u.o)
		 FROM unnest(k.confkey) WITH ORDINALITY u(n, o)
		 JOIN pg_attribute a ON a.attrelid = k.confrelid
			AND a.attnum = u.n) AS fcols
	FROM t JOIN pg_constraint k ON k.conrelid = t.oid
), idx AS (
	SELECT i.relname AS name, t.relname, x.indisunique,
		x.indpred IS NOT NULL AS partial,
		(SELECT string_agg(pg_get_indexdef(x.indexrelid, k, true), ','
			ORDER BY k)
		 FROM generate_series(1, x.indnkeyatts) k) AS cols
	FROM t JOIN pg_index x ON x.indrelid = t.oid
	JOIN pg_class i ON i.oid = x.indexrelid
	WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k
		WHERE k.conindid = x.indexrelid)
	AND i.relname NOT IN ('search_folded_gin', 'search_exact_gin')
)
SELECT line FROM (
	SELECT 'table ' || relname AS line FROM t
	UNION ALL
	SELECT format('column %s.%s %s %s default=%s', relname, attname, typ,
		CASE WHEN attnotnull THEN 'notnull' ELSE 'null' END,
		coalesce(regexp_replace(regexp_replace(dflt,
			'::[a-z ]+$', ''), '^''(-?[0-9.]+)''$', '\1'), ''))
	FROM col
	UNION ALL
	SELECT format('pk %s (%s)', relname, cols) FROM con
	WHERE contype = 'p'
	UNION ALL
	SELECT format('unique %s (%s)', relname, cols) FROM con
	WHERE contype = 'u'
	UNION ALL
	SELECT format('fk %s (%s) -> %s(%s) on delete %s', relname, cols,
		ftable, fcols, CASE confdeltype WHEN 'a' THEN 'NO ACTION'
		WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL'
		WHEN 'r' THEN 'RESTRICT' WHEN 'd' THEN 'SET DEFAULT' END)
	FROM con WHERE contype = 'f'
	UNION ALL
	-- CHECK ((c = ANY (ARRAY['a'::text, ...]))) is schema.sql's
	-- CHECK (c IN ('a', ...)); any other form is reported UNPARSED.
	SELECT CASE WHEN def ~ '^CHECK \(\(\w+ = ANY \(ARRAY\[.*\]\)\)\)$'
		THEN format('check %s %s {%s}', relname,
			substring(def FROM '^CHECK \(\((\w+) = ANY'),
			(SELECT string_agg(m[1], ',' ORDER BY m[1] COLLATE "C")
			 FROM regexp_matches(def, '''([^'']*)''::text', 'g')
				AS m))
		ELSE format('check %s UNPARSED %s', relname, def) END
	FROM con WHERE contype = 'c'
	UNION ALL
	SELECT format('index %s %s (%s) unique=%s partial=%s', name, relname,
		cols, indisunique::int, partial::int)
	FROM idx
) lines ORDER BY line COLLATE "C";
