-- tipline database schema for PostgreSQL (15 or later): schema.sql's
-- tables, columns and constraints in PostgreSQL terms, for the PostgreSQL
-- store backend (issue 13).  tests/135-pg-schema.t checks that both files
-- define the same tables, columns, constraints and indexes; change them
-- together.
-- schema version: 4 (SCHEMA_VERSION in lib/store/store.c); version 4
-- added SQLite's originals as files, which PostgreSQL does not have: its
-- originals stay in raw (tests/135-pg-schema.t names the exception)
--
-- Applied like schema.sql: every statement is idempotent (IF NOT EXISTS,
-- OR REPLACE), so the backend runs the whole file on every open of an
-- older or new database, inside one transaction holding an advisory
-- transaction lock, and then records the version in schema_version (the
-- counterpart of PRAGMA user_version).
--
-- The mapping (docs/dev/postgresql.md gives the reasons):
-- - INTEGER is BIGINT everywhere (SQLite's INTEGER is 64-bit: the same
--   range, one way to read every number); REAL is DOUBLE PRECISION; BLOB is
--   BYTEA; TEXT stays TEXT, times stay ISO 8601 UTC strings.
-- - An INTEGER PRIMARY KEY that SQLite numbers itself is BIGINT GENERATED
--   BY DEFAULT AS IDENTITY (BY DEFAULT: a copy from SQLite keeps its ids).
-- - WITHOUT ROWID tables are ordinary tables with the same primary key.
-- - search_folded and search_exact (FTS5 tables in SQLite) are stored
--   tsvector columns of submission with GIN indexes, computed by
--   PostgreSQL itself, so no trigger keeps them in step.
-- - Equality-only lookups on header values a sender controls (Message-ID,
--   In-Reply-To) use hash indexes: a B-tree entry is limited to about
--   2,700 bytes, and an INSERT of a longer value would fail.  For the same
--   reason submission_list leaves out the three free-text columns.
-- - Triggers are PL/pgSQL functions; a thread root is set BEFORE INSERT.

-- The schema's version, the counterpart of SQLite's PRAGMA user_version:
-- one row, written by the backend after applying this file.
CREATE TABLE IF NOT EXISTS schema_version (
	one		BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),
	version		INTEGER NOT NULL
);

-- Diacritic-insensitive search: unaccent (contrib) folds every Latin
-- letter with a diacritic, đ/Đ to d/D included (its default rules), before
-- the simple dictionary lower-cases the word.  A trusted extension: the
-- owner of the database may create it.
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname =
	    'tl_folded' AND cfgnamespace = current_schema()::regnamespace) THEN
		CREATE TEXT SEARCH CONFIGURATION tl_folded (COPY = simple);
		ALTER TEXT SEARCH CONFIGURATION tl_folded
			ALTER MAPPING FOR word, numword, hword, hword_part,
			hword_numpart, numhword WITH unaccent, simple;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname =
	    'tl_exact' AND cfgnamespace = current_schema()::regnamespace) THEN
		CREATE TEXT SEARCH CONFIGURATION tl_exact (COPY = simple);
	END IF;
END
$$;

-- Words as SQLite's unicode61 tokenizer sees them: every run of letters,
-- digits and combining marks is a word and everything else separates (so
-- an address "reader.a@example.org" is the words reader, a, example, org,
-- not one e-mail token as PostgreSQL's parser would make it).  NFC first:
-- unaccent's rules are for precomposed letters (an NFD "Đà Nẵng" from a
-- Mac would otherwise index as "da", "na", "ng"); a combining mark left
-- over stays in its word, and unaccent drops it.  The backend passes what
-- the editor typed through the same function.
--   Text tipline stored is NFC already (lib/mime), and the quick check
-- costs a fifth of normalize(): each message's two documents pass every
-- field through here.  Not STRICT, and nothing but IMMUTABLE functions
-- inside: PostgreSQL then inlines it (and tl_search_doc) into the
-- generated columns instead of running a SQL function per field, which
-- cost more than the work itself (docs/performance.md, PostgreSQL).
CREATE OR REPLACE FUNCTION tl_search_words(t text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN regexp_replace(CASE WHEN t IS NFC NORMALIZED THEN t
		ELSE normalize(t, NFC) END,
		'[^[:alnum:]\u0300-\u036f]+', ' ', 'g');

-- One submission's search document: subject (weight A), sender (B), body
-- (C), forwards and file names (D), like the four FTS5 columns.
CREATE OR REPLACE FUNCTION tl_search_doc(cfg regconfig, subject text,
	from_name text, from_addr text, body text, extra text)
	RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN setweight(to_tsvector(cfg,
			tl_search_words(coalesce(subject, ''))), 'A') ||
		setweight(to_tsvector(cfg, tl_search_words(
			coalesce(from_name, '') || ' ' ||
			coalesce(from_addr, ''))), 'B') ||
		setweight(to_tsvector(cfg,
			tl_search_words(coalesce(body, ''))), 'C') ||
		setweight(to_tsvector(cfg,
			tl_search_words(coalesce(extra, ''))), 'D');

-- One reader submission: one distinct message, however it arrived.
CREATE TABLE IF NOT EXISTS submission (
	id		BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	status		TEXT NOT NULL DEFAULT 'new' CHECK (status IN
			('new', 'approved', 'rejected', 'spam', 'auto_reply',
			 'bounce', 'quarantined', 'too_large')),
	-- SHA-256 (hex) of the raw message with CRLF folded to LF and
	-- trailing newlines dropped (hash.h).  Message-ID never decides.
	content_hash	TEXT NOT NULL UNIQUE,
	message_id	TEXT,
	from_name	TEXT,
	from_addr	TEXT,
	subject		TEXT,
	date_utc	TEXT,
	date_offset_min	BIGINT,			-- sender's zone, minutes east
	received_utc	TEXT NOT NULL,		-- when tipline stored it
	in_reply_to	TEXT,
	refs		TEXT,			-- References, space separated
	parent_id	BIGINT REFERENCES submission(id) ON DELETE SET NULL,
	text		TEXT NOT NULL DEFAULT '',
	text_source	TEXT,
	quote_offset	BIGINT NOT NULL DEFAULT -1,
	html		TEXT,
	search_extra	TEXT NOT NULL DEFAULT '',	-- forwards, file names
	is_auto_reply	BIGINT NOT NULL DEFAULT 0,
	is_bounce	BIGINT NOT NULL DEFAULT 0,
	is_spam		BIGINT NOT NULL DEFAULT 0,
	is_signed	BIGINT NOT NULL DEFAULT 0,
	is_encrypted	BIGINT NOT NULL DEFAULT 0,
	has_gps		BIGINT NOT NULL DEFAULT 0,
	charset_repaired BIGINT NOT NULL DEFAULT 0,
	legacy_font_hint TEXT,
	dsn_summary	TEXT,
	warnings	TEXT NOT NULL DEFAULT '',	-- one per line
	error		TEXT,			-- why quarantined / too_large
	source		TEXT NOT NULL,		-- "imap:MAILBOX" or "file"
	source_path	TEXT,			-- imported file, or NULL
	raw_size	BIGINT NOT NULL,	-- bytes as received
	attachment_count BIGINT NOT NULL DEFAULT 0,
	-- date_utc, or received_utc when the sender's Date is implausible
	queue_utc	TEXT NOT NULL,
	-- Full-text search (SQLite: the FTS5 tables of the same names).
	-- Folded: diacritics removed, đ/Đ as d (tl_folded) finds "da nang"
	-- in "Đà Nẵng"; exact (tl_exact, lower case only) ranks
	-- exact-diacritic matches first.  Bounces are indexed too and
	-- filtered at query time.
	search_folded	tsvector GENERATED ALWAYS AS (tl_search_doc(
		'tl_folded', subject, from_name, from_addr, text,
		search_extra)) STORED,
	search_exact	tsvector GENERATED ALWAYS AS (tl_search_doc(
		'tl_exact', subject, from_name, from_addr, text,
		search_extra)) STORED
);
CREATE INDEX IF NOT EXISTS submission_status_date
	ON submission(status, date_utc);
CREATE INDEX IF NOT EXISTS submission_date ON submission(date_utc);
CREATE INDEX IF NOT EXISTS submission_message_id
	ON submission USING hash (message_id);
CREATE INDEX IF NOT EXISTS submission_parent ON submission(parent_id);
CREATE INDEX IF NOT EXISTS submission_when
	ON submission(queue_utc, id);
CREATE INDEX IF NOT EXISTS search_folded_gin
	ON submission USING gin (search_folded);
CREATE INDEX IF NOT EXISTS search_exact_gin
	ON submission USING gin (search_exact);

-- TCVN3 or VNI "font hack" text converted to Unicode NFC (schema.sql).
CREATE TABLE IF NOT EXISTS legacy_text (
	submission_id	BIGINT PRIMARY KEY
			REFERENCES submission(id) ON DELETE CASCADE,
	font		TEXT NOT NULL,		-- "TCVN3" or "VNI"
	subject		TEXT,
	text		TEXT NOT NULL
);

-- What purge leaves behind (schema.sql).  With identity columns ids are
-- never reused anyway; the floor is kept for `tipline copy` both ways.
CREATE TABLE IF NOT EXISTS id_floor (
	max_id		BIGINT
);
CREATE TABLE IF NOT EXISTS purged (
	content_hash	TEXT PRIMARY KEY,
	purged_utc	TEXT NOT NULL
);

-- The original message, byte-exact, in chunks of 256 KiB in order of seq
-- (each chunk is TOASTed out of line by PostgreSQL).
CREATE TABLE IF NOT EXISTS raw (
	submission_id	BIGINT NOT NULL
			REFERENCES submission(id) ON DELETE CASCADE,
	seq		BIGINT NOT NULL,
	bytes		BYTEA NOT NULL,
	UNIQUE (submission_id, seq)
);
-- Out of line without compression: an original is mostly base64 of JPEG
-- or MP4, which pglz tries on every chunk and fails to shrink (a quarter
-- of the server's CPU on photo mail, docs/performance.md).
ALTER TABLE raw ALTER COLUMN bytes SET STORAGE EXTERNAL;

CREATE TABLE IF NOT EXISTS raw_rewritten (
	submission_id	BIGINT PRIMARY KEY
			REFERENCES submission(id) ON DELETE CASCADE,
	stored_hash	TEXT NOT NULL,
	stored_size	BIGINT NOT NULL,
	rewritten_utc	TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS attachment (
	id		BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	submission_id	BIGINT NOT NULL
			REFERENCES submission(id) ON DELETE CASCADE,
	idx		BIGINT NOT NULL,	-- document order, from 0
	part_path	TEXT NOT NULL,
	filename	TEXT NOT NULL,
	name_generated	BIGINT NOT NULL DEFAULT 0,
	content_type	TEXT NOT NULL,
	disposition	TEXT NOT NULL,
	content_id	TEXT,
	size		BIGINT NOT NULL,	-- decoded bytes
	sha256		TEXT NOT NULL,
	forwarded_idx	BIGINT NOT NULL DEFAULT -1,
	has_gps		BIGINT NOT NULL DEFAULT 0,
	gps_lat		DOUBLE PRECISION,
	gps_lon		DOUBLE PRECISION,
	danger		TEXT,
	UNIQUE (submission_id, idx)
);

CREATE TABLE IF NOT EXISTS attachment_media (
	attachment_id	BIGINT PRIMARY KEY
			REFERENCES attachment(id) ON DELETE CASCADE,
	format		TEXT NOT NULL,
	taken		TEXT,
	make		TEXT,
	model		TEXT,
	width		BIGINT,
	height		BIGINT,
	orientation	BIGINT,
	duration_s	DOUBLE PRECISION,
	gps_source	TEXT
);

-- Thumbnails and stills (schema.sql has the why).
CREATE TABLE IF NOT EXISTS preview (
	attachment_id	BIGINT NOT NULL
			REFERENCES attachment(id) ON DELETE CASCADE,
	size		BIGINT NOT NULL,
	version		BIGINT NOT NULL,
	made_utc	TEXT NOT NULL,
	status		TEXT NOT NULL CHECK (status IN ('ok', 'none')),
	jpeg		BYTEA,
	reason		TEXT,
	UNIQUE (attachment_id, size, version)
);

CREATE TABLE IF NOT EXISTS forwarded (
	id		BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	submission_id	BIGINT NOT NULL
			REFERENCES submission(id) ON DELETE CASCADE,
	idx		BIGINT NOT NULL,
	depth		BIGINT NOT NULL DEFAULT 1,
	from_name	TEXT,
	from_addr	TEXT,
	subject		TEXT,
	date_utc	TEXT,
	message_id	TEXT,
	text		TEXT NOT NULL DEFAULT '',
	UNIQUE (submission_id, idx)
);

-- Every state change; rows outlive a purge (no foreign key on purpose).
CREATE TABLE IF NOT EXISTS audit (
	id		BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	submission_id	BIGINT,
	at_utc		TEXT NOT NULL,
	editor		TEXT NOT NULL,
	action		TEXT NOT NULL,
	old_status	TEXT,
	new_status	TEXT,
	note		TEXT
);
CREATE INDEX IF NOT EXISTS audit_submission ON audit(submission_id);

CREATE TABLE IF NOT EXISTS mailbox_state (
	mailbox		TEXT PRIMARY KEY,
	uidvalidity	BIGINT,
	last_uid	BIGINT NOT NULL DEFAULT 0,
	start_uid	BIGINT,
	last_success_utc TEXT,
	last_error	TEXT,
	last_error_utc	TEXT
);

-- Exactly one outcome for every (mailbox, UIDVALIDITY, UID) ever seen:
-- the primary key is what makes a second fetcher's insert fail.
CREATE TABLE IF NOT EXISTS ledger (
	mailbox		TEXT NOT NULL,
	uidvalidity	BIGINT NOT NULL,
	uid		BIGINT NOT NULL,
	outcome		TEXT NOT NULL CHECK (outcome IN
			('stored', 'duplicate', 'too_large', 'quarantined',
			 'auto_reply', 'bounce', 'spam')),
	submission_id	BIGINT,
	size		BIGINT,
	at_utc		TEXT NOT NULL,
	action_done	BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (mailbox, uidvalidity, uid)
);
CREATE TABLE IF NOT EXISTS fetch_failure (
	mailbox		TEXT NOT NULL,
	uidvalidity	BIGINT NOT NULL,
	uid		BIGINT NOT NULL,
	state		TEXT NOT NULL CHECK (state IN
			('failing', 'unfetchable', 'refused')),
	runs		BIGINT NOT NULL,
	last_run	BIGINT NOT NULL,
	size		BIGINT,
	first_utc	TEXT NOT NULL,
	last_utc	TEXT NOT NULL,
	error		TEXT,
	submission_id	BIGINT,
	PRIMARY KEY (mailbox, uidvalidity, uid)
);

CREATE INDEX IF NOT EXISTS ledger_pending
	ON ledger(mailbox, action_done) WHERE action_done = 0;
CREATE INDEX IF NOT EXISTS ledger_too_large
	ON ledger(mailbox, uidvalidity, size) WHERE outcome = 'too_large';

-- Threads stay flat: a follow-up's parent_id names the thread's root.
-- BEFORE INSERT, so the row is written once with its root.
CREATE OR REPLACE FUNCTION tl_thread_root() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	SELECT coalesce(p.parent_id, p.id) INTO NEW.parent_id
		FROM submission p WHERE p.id = NEW.parent_id;
	RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER submission_thread_root BEFORE INSERT ON submission
	FOR EACH ROW WHEN (NEW.parent_id IS NOT NULL)
	EXECUTE FUNCTION tl_thread_root();

-- A follow-up stored before the message it answers is adopted when that
-- message arrives (same sender only), as in schema.sql.
CREATE INDEX IF NOT EXISTS submission_in_reply_to
	ON submission USING hash (in_reply_to) WHERE in_reply_to IS NOT NULL;
CREATE OR REPLACE FUNCTION tl_thread_adopt() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	UPDATE submission SET parent_id = NEW.id
	WHERE parent_id IN (SELECT id FROM submission
		WHERE in_reply_to = NEW.message_id AND parent_id IS NULL
		AND id <> NEW.id
		AND lower(from_addr) = lower(NEW.from_addr));
	UPDATE submission SET parent_id = NEW.id
	WHERE in_reply_to = NEW.message_id AND parent_id IS NULL
		AND id <> NEW.id
		AND lower(from_addr) = lower(NEW.from_addr);
	RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER submission_thread_adopt AFTER INSERT ON submission
	FOR EACH ROW
	WHEN (NEW.message_id IS NOT NULL AND NEW.parent_id IS NULL)
	EXECUTE FUNCTION tl_thread_adopt();

-- What each editor has seen (issue 10).
CREATE TABLE IF NOT EXISTS seen (
	editor		TEXT NOT NULL,
	submission_id	BIGINT NOT NULL
			REFERENCES submission(id) ON DELETE CASCADE,
	seen_utc	TEXT NOT NULL,
	PRIMARY KEY (editor, submission_id)
);
CREATE INDEX IF NOT EXISTS seen_submission ON seen(submission_id);

CREATE INDEX IF NOT EXISTS submission_arrival
	ON submission(received_utc, id);
-- `list` of what needs an editor; from_name, from_addr and subject (in
-- schema.sql's covering index) are left out: a B-tree entry is limited to
-- about 2,700 bytes, and a reader's long subject must not refuse the
-- INSERT.  PostgreSQL reads them from the table for the page shown.
CREATE INDEX IF NOT EXISTS submission_list ON submission(status,
	queue_utc, received_utc, parent_id, date_utc, attachment_count,
	has_gps);
CREATE INDEX IF NOT EXISTS submission_thread
	ON submission(parent_id, queue_utc, received_utc);
CREATE INDEX IF NOT EXISTS submission_followup_queue
	ON submission(queue_utc, id) WHERE parent_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS submission_followup_arrival
	ON submission(received_utc, id) WHERE parent_id IS NOT NULL;

-- Probable duplicates (issue 10).
CREATE TABLE IF NOT EXISTS text_key (
	submission_id	BIGINT PRIMARY KEY
			REFERENCES submission(id) ON DELETE CASCADE,
	sender		TEXT NOT NULL,
	text_hash	TEXT NOT NULL,
	queue_utc	TEXT NOT NULL,
	duplicate_of	BIGINT
);
-- Without schema.sql's leading sender: an address is a header value a
-- sender controls and may pass the B-tree entry limit; the SHA-256 of the
-- text is as selective, and the sender is compared in the table.
CREATE INDEX IF NOT EXISTS text_key_same
	ON text_key(text_hash, queue_utc);
CREATE INDEX IF NOT EXISTS text_key_duplicate
	ON text_key(submission_id, duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX IF NOT EXISTS attachment_danger
	ON attachment(submission_id) WHERE danger IS NOT NULL;
-- The desk's has=gps (issue 12): the few submissions with a position,
-- and the threads they belong to, without reading the whole table.
CREATE INDEX IF NOT EXISTS submission_gps
	ON submission(parent_id) WHERE has_gps <> 0;
-- The desk's mailbox= among what waits for an editor: read from this
-- index alone, not from every waiting row of the table.
CREATE INDEX IF NOT EXISTS submission_source
	ON submission(source, status, queue_utc, parent_id);

-- The desk's order by sender and by given name (schema.sql).
CREATE TABLE IF NOT EXISTS sort_key (
	submission_id	BIGINT PRIMARY KEY
			REFERENCES submission(id) ON DELETE CASCADE,
	sender		BYTEA NOT NULL,
	given		BYTEA NOT NULL
);
CREATE INDEX IF NOT EXISTS sort_key_sender
	ON sort_key(sender, submission_id);
CREATE INDEX IF NOT EXISTS sort_key_given
	ON sort_key(given, submission_id);

-- The ICU libraries that wrote the sort keys (schema.sql).
CREATE TABLE IF NOT EXISTS sort_key_collator (
	icu		TEXT PRIMARY KEY,
	version		BIGINT NOT NULL,
	made_utc	TEXT NOT NULL
);

-- What `tipline copy` copied into this database (schema.sql).
CREATE TABLE IF NOT EXISTS copy_state (
	source		TEXT PRIMARY KEY,
	started_utc	TEXT NOT NULL,
	finished_utc	TEXT
);
