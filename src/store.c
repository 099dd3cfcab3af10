/* store.c - the SQLite queue: open, schema, transactions, ingest writes. */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <pwd.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safefile.h"
#include "store.h"

/* 1: the development schema of the first day; 2: the original kept in
 * rows (raw.seq), queue_utc, full-text indexing at commit. */
#define SCHEMA_VERSION 3
#define CHUNK (64 * 1024)

static const char schema_sql[] =
#include "schema.inc"
;

struct store {
	sqlite3 *db;
	GHashTable *stmts;	/* SQL text address -> sqlite3_stmt * */
	gint64 unindexed;	/* first submission id not yet in the
				 * full-text indexes, 0 when none */
	char *path;
	char *err;
	int in_tx;
	int wait_fd;		/* DATABASE.waiters, -1 when not open (yet) */
};

sqlite3 *store_db(store *st) { return st->db; }
const char *store_path(store *st) { return st->path; }

const char *
store_errmsg(store *st)
{
	return st->err ? st->err : "no error";
}

static void
set_err(store *st, char *msg)
{
	g_free(st->err);
	st->err = msg;
}

void
store_set_error(store *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_err(st, g_strdup_vprintf(fmt, ap));
	va_end(ap);
}

tl_status
store_fail(store *st, const char *what)
{
	int code = sqlite3_extended_errcode(st->db) & 0xff;

	set_err(st, g_strdup_printf("%s: %s", what, sqlite3_errmsg(st->db)));
	switch (code) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		set_err(st, g_strdup_printf("%s: database is busy (another "
			"writer held it past the busy timeout)", what));
		return TL_TEMPFAIL;
	case SQLITE_FULL:
	case SQLITE_IOERR:
		return TL_TEMPFAIL;
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return TL_NOPERM;
	default:
		return TL_SOFTWARE;
	}
}

static void
stmt_free(gpointer q)
{
	sqlite3_finalize(q);
}

sqlite3_stmt *
store_stmt(store *st, const char *sql)
{
	sqlite3_stmt *q;

	if (st->stmts == NULL)
		st->stmts = g_hash_table_new_full(g_direct_hash,
			g_direct_equal, NULL, stmt_free);
	q = g_hash_table_lookup(st->stmts, sql);
	if (q != NULL) {
		sqlite3_reset(q);
		sqlite3_clear_bindings(q);
		return q;
	}
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
			       &q, NULL) != SQLITE_OK) {
		sqlite3_finalize(q);
		return NULL;
	}
	g_hash_table_insert(st->stmts, (gpointer)sql, q);
	return q;
}

static tl_status
exec(store *st, const char *sql)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(st, sql);
	return TL_OK;
}

/* Create the database file readable by owner and group only (0660), so
 * an editors' group can share it; SQLite gives -wal and -shm the mode of
 * the database file.  A link planted in its place is refused
 * (safefile.h); *errmsg names the path. */
static tl_status
precreate(const char *path, char **errmsg)
{
	mode_t old = umask(007);
	tl_status rc;
	int fd = -1;

	rc = safefile_open(AT_FDCWD, path, O_RDWR | O_CREAT, 0660, path, &fd,
			   errmsg);
	umask(old);
	if (fd >= 0)
		close(fd);
	return rc;
}

/* SQLite's unix VFS opens the database, -wal, -shm and -journal with
 * safefile_open_nolinks, once per process, before the first database. */
static void
vfs_install(void)
{
	static gsize done;

	if (g_once_init_enter(&done)) {
		sqlite3_vfs *v = sqlite3_vfs_find("unix");

		if (v != NULL && v->iVersion >= 3 && v->xSetSystemCall != NULL)
			v->xSetSystemCall(v, "open",
			    (sqlite3_syscall_ptr)safefile_open_nolinks);
		g_once_init_leave(&done, 1);
	}
}

/* Can this process use PATH-shm, which every WAL reader writes to? */
static int
shm_usable(const char *path)
{
	char *shm = g_strconcat(path, "-shm", NULL);
	int ok = access(shm, F_OK) != 0 || access(shm, R_OK | W_OK) == 0;

	g_free(shm);
	return ok;
}

static int
column_exists(store *st, const char *table, const char *column)
{
	char *sql = g_strdup_printf("SELECT 1 FROM pragma_table_info('%s') "
				    "WHERE name = '%s'", table, column);
	sqlite3_stmt *q = NULL;
	int yes = 0;

	if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) == SQLITE_OK)
		yes = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_finalize(q);
	g_free(sql);
	return yes;
}

/* Bring a version 1 database to version 2, inside the caller's
 * transaction. Each step looks at the database's shape, so a database
 * made by any build of version 1 is handled; the objects whose definition
 * changed are dropped here and created again by schema.sql. */
static tl_status
migrate_from_1(store *st)
{
	tl_status rc = TL_OK;

	if (!column_exists(st, "submission", "queue_utc")) {
		rc = exec(st, "ALTER TABLE submission ADD COLUMN queue_utc TEXT "
			"NOT NULL DEFAULT ''");
		if (rc == TL_OK)
			rc = exec(st, "UPDATE submission SET queue_utc = CASE "
				"WHEN date_utc IS NULL OR date_utc < '1995' OR "
				"date_utc > strftime('%Y-%m-%dT%H:%M:%SZ', "
				"received_utc, '+1 day') THEN received_utc "
				"ELSE date_utc END");
	}
	/* One old BLOB becomes one row: readers take rows in seq order,
	 * whatever their size. */
	if (rc == TL_OK && !column_exists(st, "raw", "seq"))
		rc = exec(st, "CREATE TABLE raw_rows (submission_id INTEGER "
			"NOT NULL REFERENCES submission(id) ON DELETE CASCADE, "
			"seq INTEGER NOT NULL, bytes BLOB NOT NULL, "
			"UNIQUE (submission_id, seq)); "
			"INSERT INTO raw_rows SELECT submission_id, 0, bytes "
			"FROM raw; DROP TABLE raw; "
			"ALTER TABLE raw_rows RENAME TO raw");
	if (rc == TL_OK)
		rc = exec(st, "DROP TRIGGER IF EXISTS submission_ai; "
			"DROP TRIGGER IF EXISTS submission_thread_adopt; "
			"DROP INDEX IF EXISTS submission_when");
	return rc;
}

/* Bring a version 2 database to version 3, inside the caller's
 * transaction. New tables need nothing here (schema.sql creates them);
 * a new column on an existing table is added here, guarded by
 * column_exists() so that the step is safe on any build's database.
 * Each step is one `if` block with a comment naming what it is for. */
static tl_status
migrate_from_2(store *st)
{
	tl_status rc = TL_OK;

	(void)st;
	return rc;
}

static tl_status
apply_schema(store *st)
{
	sqlite3_stmt *q = NULL;
	int version = 0;
	char *sql;
	tl_status rc;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &q,
			       NULL) != SQLITE_OK)
		return store_fail(st, "schema version");
	if (sqlite3_step(q) == SQLITE_ROW)
		version = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (version == SCHEMA_VERSION)
		return TL_OK;
	if (version > SCHEMA_VERSION) {
		set_err(st, g_strdup_printf("schema version %d is newer than "
			"this tipline (%d)", version, SCHEMA_VERSION));
		return TL_SOFTWARE;
	}
	if ((rc = store_begin(st)) != TL_OK)
		return rc;
	if (version == 1 && (rc = migrate_from_1(st)) != TL_OK) {
		store_rollback(st);
		return rc;
	}
	if (version >= 1 && version <= 2 &&
	    (rc = migrate_from_2(st)) != TL_OK) {
		store_rollback(st);
		return rc;
	}
	sql = g_strdup_printf("%s\nPRAGMA user_version = %d;", schema_sql,
			      SCHEMA_VERSION);
	rc = exec(st, sql);
	g_free(sql);
	if (rc != TL_OK) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, 1);
}

tl_status
store_open(const char *path, store_mode mode, int busy_timeout_ms,
	   store **out, char **errmsg)
{
	store *st = g_new0(store, 1);
	int flags = SQLITE_OPEN_NOMUTEX;
	tl_status rc = TL_OK;

	*out = NULL;
	vfs_install();
	st->path = g_strdup(path);
	st->wait_fd = -1;
	if (mode == STORE_READWRITE) {
		flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
		rc = precreate(path, errmsg);
		if (rc != TL_OK) {
			/* A missing folder is a setting to fix (QA F27), a
			 * refused one a permission, neither a bug. */
			if (errno == ENOENT || errno == ENOTDIR) {
				char *e = *errmsg;

				*errmsg = g_strdup_printf("%s (create its "
					"folder, or change [store] database)",
					e);
				g_free(e);
				rc = TL_CONFIG;
			} else if (rc == TL_TEMPFAIL) {
				rc = TL_SOFTWARE;
			}
			goto fail;
		}
	} else {
		flags |= SQLITE_OPEN_READONLY;
		if (access(path, F_OK) != 0) {
			*errmsg = g_strdup_printf("%s: no database yet (run "
				"`tipline fetch` or `tipline import` first)",
				path);
			rc = TL_NOINPUT;
			goto fail;
		}
		/* SQLite opens lazily and would report a file we may not
		 * read as "unable to open database file" at the first query,
		 * an internal error; the usual cause is an editor not yet in
		 * the editors' group. WAL readers also need the -shm file. */
		if (access(path, R_OK) != 0 || !shm_usable(path)) {
			*errmsg = g_strdup_printf("%s: permission denied (is "
				"this login in the editors' group? see "
				"docs/operations.md)", path);
			rc = TL_NOPERM;
			goto fail;
		}
	}
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		*errmsg = g_strdup_printf("%s: %s", path, st->db ?
			sqlite3_errmsg(st->db) : "cannot open");
		rc = TL_SOFTWARE;
		goto fail;
	}
	sqlite3_busy_timeout(st->db, busy_timeout_ms);
	sqlite3_extended_result_codes(st->db, 1);
	if (mode == STORE_READWRITE) {
		/* WAL lets editors read while fetch writes; NORMAL is
		 * crash-safe for the process, and store_commit(durable)
		 * raises it for commits that precede destructive actions. */
		if ((rc = exec(st, "PRAGMA journal_mode = WAL")) != TL_OK ||
		    (rc = exec(st, "PRAGMA synchronous = NORMAL")) != TL_OK ||
		    (rc = exec(st, "PRAGMA foreign_keys = ON")) != TL_OK ||
		    (rc = apply_schema(st)) != TL_OK) {
			*errmsg = g_strdup_printf("%s: %s", path,
						  store_errmsg(st));
			goto fail;
		}
	}
	*out = st;
	return TL_OK;
fail:
	store_close(st);
	return rc;
}

int
store_schema_outdated(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	int version = SCHEMA_VERSION;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
	    SQLITE_OK && sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q,
	    NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
		version = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	sqlite3_close_v2(db);
	return version < SCHEMA_VERSION;
}

void
store_close(store *st)
{
	if (st == NULL)
		return;
	if (st->in_tx)
		store_rollback(st);
	if (st->stmts != NULL)
		g_hash_table_destroy(st->stmts);
	if (st->wait_fd >= 0)
		close(st->wait_fd);
	sqlite3_close_v2(st->db);
	g_free(st->path);
	g_free(st->err);
	g_free(st);
}

tl_status
store_begin(store *st)
{
	tl_status rc;
	int waiting;

	/* While this process waits for the write lock it holds a shared
	 * flock on DATABASE.waiters, so that a long-running writer (fetch)
	 * can see that someone waits and step aside (store_writer_waiting);
	 * SQLite's own locks cannot tell. */
	if (st->wait_fd == -1) {
		char *p = g_strconcat(st->path, ".waiters", NULL);
		mode_t old = umask(007);
		char *err = NULL;
		int e;

		/* Given to the database's owner by a root run (QA F36); a
		 * planted link is refused, not used (safefile.h). */
		rc = safefile_open(AT_FDCWD, p, O_RDWR | O_CREAT, 0660,
				   st->path, &st->wait_fd, &err);
		e = errno;
		umask(old);
		g_free(p);
		if (rc == TL_NOPERM && e != EACCES && e != EROFS) {
			g_free(st->err);
			st->err = err;
			st->wait_fd = -1;
			return rc;
		}
		g_free(err);
		if (st->wait_fd < 0)
			st->wait_fd = -2;	/* do without */
	}
	waiting = st->wait_fd >= 0 && flock(st->wait_fd, LOCK_SH) == 0;
	rc = exec(st, "BEGIN IMMEDIATE");
	if (waiting)
		flock(st->wait_fd, LOCK_UN);
	if (rc == TL_OK)
		st->in_tx = 1;
	return rc;
}

int
store_writer_waiting(store *st)
{
	if (st->wait_fd < 0)
		return 1;	/* cannot tell: assume someone waits */
	if (flock(st->wait_fd, LOCK_EX | LOCK_NB) != 0)
		return 1;
	flock(st->wait_fd, LOCK_UN);
	return 0;
}

/* Make what COMMIT just wrote survive power loss. PRAGMA synchronous
 * cannot change inside a transaction ("Safety level may not be changed
 * inside a transaction"), so instead of switching to FULL for this commit
 * the WAL (or rollback journal) file is synced after it, which is what
 * synchronous = FULL would have done at this commit. */
static tl_status
sync_journal(store *st)
{
	sqlite3_file *f = NULL;

	if (sqlite3_file_control(st->db, "main",
				 SQLITE_FCNTL_JOURNAL_POINTER, &f) !=
	    SQLITE_OK || f == NULL || f->pMethods == NULL)
		return TL_OK;	/* no journal open: nothing pending */
	if (f->pMethods->xSync(f, SQLITE_SYNC_NORMAL) != SQLITE_OK) {
		set_err(st, g_strdup("COMMIT: fsync of the WAL failed"));
		return TL_TEMPFAIL;
	}
	return TL_OK;
}

void
store_index_later(store *st, gint64 id)
{
	if (st->unindexed == 0 || id < st->unindexed)
		st->unindexed = id;
}

/* Index every submission inserted since store_index_later() was first
 * called in this transaction (search_source folds đ/Đ; schema.sql). */
static tl_status
index_pending(store *st)
{
	static const char *const sql[] = {
		"INSERT INTO search_folded(rowid, subject, sender, body, extra)"
		" SELECT id, f_subject, f_sender, f_body, f_extra"
		" FROM search_source WHERE id >= ?",
		"INSERT INTO search_exact(rowid, subject, sender, body, extra)"
		" SELECT id, subject, sender, body, extra"
		" FROM search_source WHERE id >= ?",
	};

	if (st->unindexed == 0)
		return TL_OK;
	for (size_t i = 0; i < G_N_ELEMENTS(sql); i++) {
		sqlite3_stmt *q = store_stmt(st, sql[i]);
		int r;

		if (q == NULL)
			return store_fail(st, "search index");
		sqlite3_bind_int64(q, 1, st->unindexed);
		r = sqlite3_step(q);
		sqlite3_reset(q);
		if (r != SQLITE_DONE)
			return store_fail(st, "search index");
	}
	st->unindexed = 0;
	return TL_OK;
}

tl_status
store_commit(store *st, int durable)
{
	tl_status rc;

	if ((rc = index_pending(st)) != TL_OK)
		return rc;

	rc = exec(st, "COMMIT");
	if (rc != TL_OK)
		return rc;
	st->in_tx = 0;
	return durable ? sync_journal(st) : TL_OK;
}

void
store_rollback(store *st)
{
	st->unindexed = 0;
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->in_tx = 0;
}

gint64
store_find_by_hash(store *st, const char *hash)
{
	/* A purged message counts as present: what purge removed stays
	 * removed, whichever way the message comes back. */
	sqlite3_stmt *q = store_stmt(st, "SELECT id FROM submission "
		"WHERE content_hash = ?1 UNION ALL SELECT -1 FROM purged "
		"WHERE content_hash = ?1 LIMIT 1");
	gint64 id = 0;

	if (q == NULL)
		return 0;
	sqlite3_bind_text(q, 1, hash, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW)
		id = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return id;
}

char *
store_now_utc(void)
{
	GDateTime *now = g_date_time_new_now_utc();
	char *s = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");

	g_date_time_unref(now);
	return s;
}

char *
store_editor_name(void)
{
	/* Looked up once per process: getpwuid() reads /etc/passwd, and
	 * ingest asks for every message. */
	static char *name;

	if (name == NULL) {
		const char *env = g_getenv("TIPLINE_EDITOR");
		struct passwd *pw;

		if (env != NULL && *env != '\0')
			name = g_strdup(env);
		else if ((pw = getpwuid(getuid())) != NULL &&
			 pw->pw_name != NULL)
			name = g_strdup(pw->pw_name);
		else
			name = g_strdup_printf("uid %u", (unsigned)getuid());
	}
	return g_strdup(name);
}

tl_status
store_audit(store *st, gint64 submission_id, const char *editor,
	    const char *action, const char *old_status,
	    const char *new_status, const char *note)
{
	static const char sql[] = "INSERT INTO audit(submission_id, at_utc, "
		"editor, action, old_status, new_status, note) "
		"VALUES (?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *q = store_stmt(st, sql);
	char *now = store_now_utc();
	tl_status rc = TL_OK;

	if (q == NULL) {
		rc = store_fail(st, "audit");
		goto out;
	}
	if (submission_id > 0)
		sqlite3_bind_int64(q, 1, submission_id);
	sqlite3_bind_text(q, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, editor, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, old_status, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, new_status, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, note, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE)
		rc = store_fail(st, "audit");
	sqlite3_reset(q);
out:
	g_free(now);
	return rc;
}
