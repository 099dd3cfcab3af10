-- Snapshot of schema.sql at schema version 2 (round 1, commit 90fed21),
-- for tests/98-upgrade-v2.t. Not applied by tipline.
-- tipline database schema: the single source of truth, embedded in the
-- binary at build time (src/schema.inc) and applied by store_open().
-- Version 1; store.c sets PRAGMA user_version after applying it.
-- Times are ISO 8601 UTC strings ("2024-06-08T23:00:00Z").

-- One reader submission: one distinct message, however it arrived.
CREATE TABLE IF NOT EXISTS submission (
	id		INTEGER PRIMARY KEY,
	status		TEXT NOT NULL DEFAULT 'new' CHECK (status IN
			('new', 'approved', 'rejected', 'spam', 'auto_reply',
			 'bounce', 'quarantined', 'too_large')),
	-- SHA-256 (hex) of the raw message with CRLF folded to LF and
	-- trailing newlines dropped: an mbox import and an IMAP fetch of
	-- the same message meet here.  Message-ID never decides.
	content_hash	TEXT NOT NULL UNIQUE,
	message_id	TEXT,
	from_name	TEXT,
	from_addr	TEXT,
	subject		TEXT,
	date_utc	TEXT,
	date_offset_min	INTEGER,		-- sender's zone, minutes east
	received_utc	TEXT NOT NULL,		-- when tipline stored it
	in_reply_to	TEXT,
	refs		TEXT,			-- References, space separated
	parent_id	INTEGER REFERENCES submission(id) ON DELETE SET NULL,
	text		TEXT NOT NULL DEFAULT '',
	text_source	TEXT,
	quote_offset	INTEGER NOT NULL DEFAULT -1,
	html		TEXT,
	search_extra	TEXT NOT NULL DEFAULT '',	-- forwards, file names
	is_auto_reply	INTEGER NOT NULL DEFAULT 0,
	is_bounce	INTEGER NOT NULL DEFAULT 0,
	is_spam		INTEGER NOT NULL DEFAULT 0,
	is_signed	INTEGER NOT NULL DEFAULT 0,
	is_encrypted	INTEGER NOT NULL DEFAULT 0,
	has_gps		INTEGER NOT NULL DEFAULT 0,
	charset_repaired INTEGER NOT NULL DEFAULT 0,
	legacy_font_hint TEXT,
	dsn_summary	TEXT,
	warnings	TEXT NOT NULL DEFAULT '',	-- one per line
	error		TEXT,			-- why quarantined / too_large
	source		TEXT NOT NULL,		-- "imap:MAILBOX" or "file"
	source_path	TEXT,			-- imported file, or NULL
	raw_size	INTEGER NOT NULL,	-- bytes as received
	attachment_count INTEGER NOT NULL DEFAULT 0,
	-- The queue's order and --since/--until: date_utc, or received_utc
	-- when the sender's Date is implausible (before 1995, or more than a
	-- day after arrival: a reset phone clock, a spammer's 2099).
	queue_utc	TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS submission_status_date
	ON submission(status, date_utc);
CREATE INDEX IF NOT EXISTS submission_date ON submission(date_utc);
CREATE INDEX IF NOT EXISTS submission_message_id ON submission(message_id);
CREATE INDEX IF NOT EXISTS submission_parent ON submission(parent_id);
-- `list` sorts by queue_utc: with the index a page of the newest 50 of
-- 100,000 is read in order, not sorted.
CREATE INDEX IF NOT EXISTS submission_when
	ON submission(queue_utc, id);

-- What purge leaves behind, so that what it removed stays removed: the
-- highest id ever given (new submissions never reuse a purged one's id and
-- so never show its history), and the content hashes of purged messages
-- (a message fetched or imported again after a purge is recorded in the
-- ledger as a duplicate, not queued again). No content is kept.
CREATE TABLE IF NOT EXISTS id_floor (
	max_id		INTEGER
);
CREATE TABLE IF NOT EXISTS purged (
	content_hash	TEXT PRIMARY KEY,
	purged_utc	TEXT NOT NULL
) WITHOUT ROWID;

-- The original message, byte-exact, stored once (evidence), in chunks of
-- 256 KiB in order of seq (written once each, read one at a time).
-- Attachments are decoded from it on demand, so a 50 MB video is not kept
-- twice.
CREATE TABLE IF NOT EXISTS raw (
	submission_id	INTEGER NOT NULL
			REFERENCES submission(id) ON DELETE CASCADE,
	seq		INTEGER NOT NULL,
	bytes		BLOB NOT NULL,
	UNIQUE (submission_id, seq)
);

CREATE TABLE IF NOT EXISTS attachment (
	id		INTEGER PRIMARY KEY,
	submission_id	INTEGER NOT NULL
			REFERENCES submission(id) ON DELETE CASCADE,
	idx		INTEGER NOT NULL,	-- document order, from 0
	part_path	TEXT NOT NULL,
	filename	TEXT NOT NULL,
	name_generated	INTEGER NOT NULL DEFAULT 0,
	content_type	TEXT NOT NULL,
	disposition	TEXT NOT NULL,
	content_id	TEXT,
	size		INTEGER NOT NULL,	-- decoded bytes
	sha256		TEXT NOT NULL,
	forwarded_idx	INTEGER NOT NULL DEFAULT -1,
	has_gps		INTEGER NOT NULL DEFAULT 0,
	gps_lat		REAL,
	gps_lon		REAL,
	danger		TEXT,
	UNIQUE (submission_id, idx)
);

CREATE TABLE IF NOT EXISTS forwarded (
	id		INTEGER PRIMARY KEY,
	submission_id	INTEGER NOT NULL
			REFERENCES submission(id) ON DELETE CASCADE,
	idx		INTEGER NOT NULL,
	depth		INTEGER NOT NULL DEFAULT 1,
	from_name	TEXT,
	from_addr	TEXT,
	subject		TEXT,
	date_utc	TEXT,
	message_id	TEXT,
	text		TEXT NOT NULL DEFAULT '',
	UNIQUE (submission_id, idx)
);

-- Every state change, who made it and why: the editors' audit log.
-- Rows outlive a purge (submission_id is then left dangling on purpose:
-- the purge itself is recorded, without content).
CREATE TABLE IF NOT EXISTS audit (
	id		INTEGER PRIMARY KEY,
	submission_id	INTEGER,
	at_utc		TEXT NOT NULL,
	editor		TEXT NOT NULL,
	action		TEXT NOT NULL,	-- ingest, approve, reject, spam,
					-- reopen, export, purge, reparse
	old_status	TEXT,
	new_status	TEXT,
	note		TEXT
);
CREATE INDEX IF NOT EXISTS audit_submission ON audit(submission_id);

-- Per mailbox: where the last fetch stopped.
CREATE TABLE IF NOT EXISTS mailbox_state (
	mailbox		TEXT PRIMARY KEY,	-- the [mailbox NAME]
	uidvalidity	INTEGER,
	last_uid	INTEGER NOT NULL DEFAULT 0,	-- highest UID with a
							-- ledger row
	start_uid	INTEGER,		-- first UID taken (start = now)
	last_success_utc TEXT,
	last_error	TEXT,
	last_error_utc	TEXT
);

-- Exactly one outcome for every (mailbox, UIDVALIDITY, UID) ever seen.
CREATE TABLE IF NOT EXISTS ledger (
	mailbox		TEXT NOT NULL,
	uidvalidity	INTEGER NOT NULL,
	uid		INTEGER NOT NULL,
	outcome		TEXT NOT NULL CHECK (outcome IN
			('stored', 'duplicate', 'too_large', 'quarantined',
			 'auto_reply', 'bounce', 'spam')),
	submission_id	INTEGER,	-- the row it went to (or duplicates)
	size		INTEGER,	-- RFC822.SIZE
	at_utc		TEXT NOT NULL,
	action_done	INTEGER NOT NULL DEFAULT 0,	-- after_fetch: 0 pending
					-- (repaired by the next run), 1 applied,
					-- 2 void (UIDVALIDITY changed first),
					-- 3 kept: too_large, not moved/deleted,
					-- 4 gone before it could be completed
	PRIMARY KEY (mailbox, uidvalidity, uid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ledger_pending
	ON ledger(mailbox, action_done) WHERE action_done = 0;
-- Header-only entries a raised max_message_size lets fetch complete; every
-- cron poll asks, so it must not scan the mailbox's whole ledger.
CREATE INDEX IF NOT EXISTS ledger_too_large
	ON ledger(mailbox, uidvalidity, size) WHERE outcome = 'too_large';

-- Full-text search.  Two indexes over the same text: folded (diacritics
-- removed with remove_diacritics 2, and đ/Đ, which Unicode does not
-- decompose, folded to d by hand) finds "da nang" in "Đà Nẵng"; exact
-- (remove_diacritics 0) ranks exact-diacritic matches first.  New rows are
-- indexed by store_commit() through the search_source view, changed and
-- deleted rows by the triggers below; bounces are indexed too and filtered
-- at query time.
CREATE VIRTUAL TABLE IF NOT EXISTS search_folded USING fts5(
	subject, sender, body, extra,
	tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS search_exact USING fts5(
	subject, sender, body, extra,
	tokenize = 'unicode61 remove_diacritics 0');

-- What the indexes hold for each submission; store_commit() feeds every
-- submission of the transaction through it at once (cheaper than a
-- trigger per row), and the update trigger below uses the same folding.
CREATE VIEW IF NOT EXISTS search_source AS SELECT id,
	coalesce(subject, '') AS subject,
	coalesce(from_name, '') || ' ' || coalesce(from_addr, '') AS sender,
	text AS body, search_extra AS extra,
	replace(replace(coalesce(subject, ''), 'đ', 'd'), 'Đ', 'D') AS f_subject,
	replace(replace(coalesce(from_name, '') || ' ' ||
		coalesce(from_addr, ''), 'đ', 'd'), 'Đ', 'D') AS f_sender,
	replace(replace(text, 'đ', 'd'), 'Đ', 'D') AS f_body,
	replace(replace(search_extra, 'đ', 'd'), 'Đ', 'D') AS f_extra
	FROM submission;
CREATE TRIGGER IF NOT EXISTS submission_ad AFTER DELETE ON submission BEGIN
	DELETE FROM search_folded WHERE rowid = old.id;
	DELETE FROM search_exact WHERE rowid = old.id;
END;
CREATE TRIGGER IF NOT EXISTS submission_au AFTER UPDATE OF subject,
	from_name, from_addr, text, search_extra ON submission BEGIN
	DELETE FROM search_folded WHERE rowid = old.id;
	DELETE FROM search_exact WHERE rowid = old.id;
	INSERT INTO search_folded(rowid, subject, sender, body, extra) VALUES (
		new.id,
		replace(replace(coalesce(new.subject, ''), 'đ', 'd'), 'Đ', 'D'),
		replace(replace(coalesce(new.from_name, '') || ' ' ||
			coalesce(new.from_addr, ''), 'đ', 'd'), 'Đ', 'D'),
		replace(replace(new.text, 'đ', 'd'), 'Đ', 'D'),
		replace(replace(new.search_extra, 'đ', 'd'), 'Đ', 'D'));
	INSERT INTO search_exact(rowid, subject, sender, body, extra) VALUES (
		new.id, coalesce(new.subject, ''),
		coalesce(new.from_name, '') || ' ' || coalesce(new.from_addr, ''),
		new.text, new.search_extra);
END;

-- Threads stay flat: a follow-up's parent_id names the thread's root (the
-- first submission of the conversation), even when it answers another
-- follow-up, so `list` folds a whole thread into its root with one lookup.
CREATE TRIGGER IF NOT EXISTS submission_thread_root AFTER INSERT ON submission
WHEN new.parent_id IS NOT NULL BEGIN
	UPDATE submission SET parent_id = (SELECT coalesce(p.parent_id, p.id)
		FROM submission p WHERE p.id = new.parent_id)
	WHERE id = new.id;
END;

-- A follow-up can be stored before the message it answers (a Maildir
-- imported in file-name order, a reader's reply fetched first): when that
-- message arrives, it becomes the root of the follow-ups that named it in
-- In-Reply-To, and of their own follow-ups. As at ingest (store-write.c),
-- only the same sender continues a thread.
CREATE INDEX IF NOT EXISTS submission_in_reply_to
	ON submission(in_reply_to) WHERE in_reply_to IS NOT NULL;
CREATE TRIGGER IF NOT EXISTS submission_thread_adopt AFTER INSERT ON submission
WHEN new.message_id IS NOT NULL AND new.parent_id IS NULL BEGIN
	UPDATE submission SET parent_id = new.id
	WHERE parent_id IN (SELECT id FROM submission
		WHERE in_reply_to = new.message_id AND parent_id IS NULL
		AND id <> new.id
		AND lower(from_addr) = lower(new.from_addr));
	UPDATE submission SET parent_id = new.id
	WHERE in_reply_to = new.message_id AND parent_id IS NULL
		AND id <> new.id
		AND lower(from_addr) = lower(new.from_addr);
END;
