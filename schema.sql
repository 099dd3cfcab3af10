-- tipline database schema: the single source of truth, embedded in the
-- binary at build time (src/schema.inc) and applied by store_open().
-- Versioned by SCHEMA_VERSION in store.c, which sets PRAGMA user_version after applying it.
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

-- A submission whose text is TCVN3 or VNI "font hack" (legacy_font_hint):
-- the text stays as sent (the RFC reading of its windows-1252 label);
-- this is the same text converted to Unicode NFC for the editor, and the
-- subject when it is in the font hack too (else NULL).  Purged with its
-- submission.
CREATE TABLE IF NOT EXISTS legacy_text (
	submission_id	INTEGER PRIMARY KEY
			REFERENCES submission(id) ON DELETE CASCADE,
	font		TEXT NOT NULL,		-- "TCVN3" or "VNI"
	subject		TEXT,
	text		TEXT NOT NULL
);

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

-- An original that tipline itself rewrote after it arrived (purge taking a
-- purged tip's quote out of a follow-up, QA F41): the content hash (as
-- submission.content_hash, hash.h) and size of the bytes now in raw, so
-- that every read still checks them (store_raw_read). The submission's
-- content_hash stays that of the message as received, for duplicates.
CREATE TABLE IF NOT EXISTS raw_rewritten (
	submission_id	INTEGER PRIMARY KEY
			REFERENCES submission(id) ON DELETE CASCADE,
	stored_hash	TEXT NOT NULL,
	stored_size	INTEGER NOT NULL,
	rewritten_utc	TEXT NOT NULL
);

-- An original of 1 MiB or more kept as a file of its own instead of raw
-- rows (schema version 4): QUEUE.originals/NAME, written and synced before
-- the COMMIT that adds this row, read back in 256 KiB pieces and checked
-- like the rows (store_raw_read; originals.c). A submission has raw rows
-- or a row here, never both. SQLite only: PostgreSQL keeps every original
-- in raw (tests/135-pg-schema.t names the exception).
CREATE TABLE IF NOT EXISTS original_file (
	submission_id	INTEGER PRIMARY KEY
			REFERENCES submission(id) ON DELETE CASCADE,
	name		TEXT NOT NULL UNIQUE,
	size		INTEGER NOT NULL
);

-- Files of originals that no row names any more (a purged submission's, a
-- rewritten one's old file), added in the transaction that drops their
-- original_file row; after its COMMIT each is overwritten, synced and
-- unlinked, then its row here deleted. A crash in between leaves the row,
-- and the next purge finishes the scrub (doctor lists what waits).
CREATE TABLE IF NOT EXISTS original_scrub (
	name		TEXT PRIMARY KEY,
	since_utc	TEXT NOT NULL
) WITHOUT ROWID;

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

-- What a photo or video says about itself, computed at ingest (media.h
-- media_facts): one row per attachment whose bytes are an image or video
-- container tipline reads (JPEG, PNG, HEIF/AVIF, TIFF, WebP, MP4,
-- QuickTime).  The position itself stays in attachment.gps_lat/gps_lon.
-- Rows of messages stored before this table existed appear after
-- `tipline reparse`.
CREATE TABLE IF NOT EXISTS attachment_media (
	attachment_id	INTEGER PRIMARY KEY
			REFERENCES attachment(id) ON DELETE CASCADE,
	format		TEXT NOT NULL,		-- "JPEG", "MP4", ...
	taken		TEXT,	-- capture time, ISO 8601; "Z" or "+07:00"
				-- when the file states a zone, else the
				-- camera's local time without one
	make		TEXT,
	model		TEXT,
	width		INTEGER,		-- pixels as stored
	height		INTEGER,
	orientation	INTEGER,		-- Exif 1..8, NULL if absent
	duration_s	REAL,			-- videos
	gps_source	TEXT			-- exif, xmp, quicktime
);

-- A thumbnail of a photo or a still of a clip, made by tipline-preview
-- (preview/preview.h) once and kept here, so that the browser desk never
-- decodes per request (issue 12).  "none" is kept too, with the worker's
-- reason, so that a hostile file is not decoded again on every view.
-- One row per (attachment, size in pixels, worker version): a new worker
-- version makes new rows; the unique set lets two makers race safely
-- (INSERT OR IGNORE: the first one stays).  Added to a version 3
-- database at open (CREATE TABLE IF NOT EXISTS); purged and reparsed
-- with its attachment.
CREATE TABLE IF NOT EXISTS preview (
	attachment_id	INTEGER NOT NULL
			REFERENCES attachment(id) ON DELETE CASCADE,
	size		INTEGER NOT NULL,	-- fits in size x size pixels
	version		INTEGER NOT NULL,	-- PREVIEW_VERSION (preview.h)
	made_utc	TEXT NOT NULL,
	status		TEXT NOT NULL CHECK (status IN ('ok', 'none')),
	jpeg		BLOB,			-- status ok: the JPEG
	reason		TEXT,			-- status none: why
	UNIQUE (attachment_id, size, version)
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
-- What failed again and again (issue 9 section 3), so that fetch stops
-- calling a lasting fault temporary. uid > 0: the connection died while
-- the server was sending that message, in `runs` different runs; after
-- FETCH_UNFETCHABLE_RUNS it is given up ('unfetchable'): a quarantined
-- placeholder (submission_id) tells the editor, the message stays on the
-- server. uid 0 (uidvalidity 0): the server refused the mailbox's
-- after_fetch action ('refused') in `runs` runs in a row. A success
-- deletes the 'failing' and 'refused' rows.
CREATE TABLE IF NOT EXISTS fetch_failure (
	mailbox		TEXT NOT NULL,
	uidvalidity	INTEGER NOT NULL,
	uid		INTEGER NOT NULL,
	state		TEXT NOT NULL CHECK (state IN
			('failing', 'unfetchable', 'refused')),
	runs		INTEGER NOT NULL,
	last_run	INTEGER NOT NULL,	-- run id: counted once per run
	size		INTEGER,		-- RFC822.SIZE
	first_utc	TEXT NOT NULL,
	last_utc	TEXT NOT NULL,
	error		TEXT,
	submission_id	INTEGER,		-- the placeholder
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

-- What each editor has seen (issue 10): `list --unseen` is what is not
-- here for the editor running it.  A row is written when a submission is
-- shown to that editor (show on a terminal, store_seen_mark) or marked
-- with `tipline seen`; never by --json or piped output.  Purge removes an
-- editor's rows with the submission.
CREATE TABLE IF NOT EXISTS seen (
	editor		TEXT NOT NULL,
	submission_id	INTEGER NOT NULL
			REFERENCES submission(id) ON DELETE CASCADE,
	seen_utc	TEXT NOT NULL,		-- first time shown
	PRIMARY KEY (editor, submission_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS seen_submission ON seen(submission_id);

-- Arrival order (`list --sort arrival`, --since/--until of `list`): the
-- time tipline stored a message, whatever its Date says.
CREATE INDEX IF NOT EXISTS submission_arrival
	ON submission(received_utc, id);
-- `list` of what needs an editor (a few thousand rows among 100,000)
-- reads every column it shows from this index, a few hundred pages in
-- order, instead of one page per row from the table (issue 10: under
-- 50 ms); the thread index gives a thread's latest times the same way.
CREATE INDEX IF NOT EXISTS submission_list ON submission(status,
	queue_utc, received_utc, parent_id, date_utc, attachment_count,
	has_gps, from_name, from_addr, subject);
CREATE INDEX IF NOT EXISTS submission_thread
	ON submission(parent_id, queue_utc, received_utc);
-- Follow-ups by time: a page of threads sorted by their latest message
-- finds the threads a recent follow-up brings up without sorting them all
-- (desk.c, list_candidates).
CREATE INDEX IF NOT EXISTS submission_followup_queue
	ON submission(queue_utc, id) WHERE parent_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS submission_followup_arrival
	ON submission(received_utc, id) WHERE parent_id IS NOT NULL;

-- Probable duplicates (issue 10): the same sender's same text sent twice
-- with different Message-IDs (a reader pressing Send again).  One row per
-- submission with text: the sender's address in lower case, the SHA-256
-- of its text normalised (NFC, case folded, white space collapsed) and
-- its queue time; duplicate_of names the earlier submission with the same
-- sender and text within 24 hours, or one with the same Message-ID and
-- sender (a twin, QA F29).  Both are kept; the editor decides.
CREATE TABLE IF NOT EXISTS text_key (
	submission_id	INTEGER PRIMARY KEY
			REFERENCES submission(id) ON DELETE CASCADE,
	sender		TEXT NOT NULL,
	text_hash	TEXT NOT NULL,
	queue_utc	TEXT NOT NULL,
	duplicate_of	INTEGER
);
CREATE INDEX IF NOT EXISTS text_key_same
	ON text_key(sender, text_hash, queue_utc);
-- `list` reads the (few) duplicates and dangerous files whole, then marks
-- its rows from memory.
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

-- The desk's order by sender and by given name: ICU "vi" sort keys made
-- by tipline (lib/store/sort-key.c) whenever a sender is written, so
-- that a page of `list --sort sender` walks an index instead of
-- collating the whole queue, and both backends order alike.  sender: the
-- key of the name (else the address) then its bytes; given: the key of
-- the given name (the last word), its bytes, 0x00, then sender.
CREATE TABLE IF NOT EXISTS sort_key (
	submission_id	INTEGER PRIMARY KEY
			REFERENCES submission(id) ON DELETE CASCADE,
	sender		BLOB NOT NULL,
	given		BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS sort_key_sender
	ON sort_key(sender, submission_id);
CREATE INDEX IF NOT EXISTS sort_key_given
	ON sort_key(given, submission_id);

-- The ICU libraries that have written to sort_key since its keys were
-- last all made, one row each: the library's version (u_getVersion,
-- "72.1") and its "vi" collator's (ucol_getVersion as one number).  The
-- newest collator version here is the keys'.  A read-write open by a
-- library without a row looks: when its collator is newer it makes
-- every key again (two versions may order a few names differently),
-- otherwise it adds its row and leaves the keys, so that fetchers on
-- hosts with two ICUs do not remake them back and forth.  An open by a
-- library with a row opens no collator (ICU's collation data is 2 MB of
-- a fetch's memory).  Not copied by `tipline copy`, which gives the
-- destination the source's newest version instead.
CREATE TABLE IF NOT EXISTS sort_key_collator (
	icu		TEXT PRIMARY KEY,
	version		INTEGER NOT NULL,
	made_utc	TEXT NOT NULL
);

-- What `tipline copy` (store.h, copy) copied into this database: one row
-- per source (its path or URL), written before the first row is copied,
-- so that a copy interrupted and started again may go on here while any
-- other queue is refused; finished_utc once the copy was verified equal.
-- Never copied itself.
CREATE TABLE IF NOT EXISTS copy_state (
	source		TEXT PRIMARY KEY,
	started_utc	TEXT NOT NULL,
	finished_utc	TEXT
);
