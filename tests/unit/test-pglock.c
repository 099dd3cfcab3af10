/* test-pglock.c - one fetcher per mailbox (lib/store/store-lock.c,
 * pg-lock.c) and the database's display name (store-server.c): the key
 * is stable, a mailbox held by one store is refused to another and
 * given once let go, a closed connection lets its locks go, the holder
 * is named without taking the lock.  The PostgreSQL part runs against
 * the private server of tests/171-pg-fetch-lock.t (TIPLINE_TEST_PG_*
 * variables; skipped without them). */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "store.h"
#include "pg-lock-priv.h"

static void
test_key(void)
{
	/* FNV-1a 32 of the bytes, as int4: the same on every host and
	 * every version, so these values may never change. */
	g_assert_cmpint(pg_mailbox_key(""), ==, (gint32)2166136261u);
	g_assert_cmpint(pg_mailbox_key("test"), ==, -1345293851);
	g_assert_cmpint(pg_mailbox_key("a"), ==, (gint32)0xe40c292cu);
	g_assert_cmpint(pg_mailbox_key("tòa soạn"), !=,
			pg_mailbox_key("toa soan"));
}

static void
test_display(void)
{
	char *d;

	d = store_database_display("/var/lib/tipline/tipline.db");
	g_assert_cmpstr(d, ==, "/var/lib/tipline/tipline.db");
	g_free(d);
	d = store_database_display("postgresql://tl@db.example.net:5433/q"
				   "?sslmode=verify-full&sslrootcert=/etc/"
				   "ca.pem&application_name=x");
	g_assert_cmpstr(d, ==, "postgresql://tl@db.example.net:5433/q");
	g_free(d);
	/* a password is refused by the parser, never shown */
	d = store_database_display("postgresql://tl:s3cret@db.example.net"
				   "/q");
	g_assert_null(strstr(d, "s3cret"));
	g_free(d);
	d = store_database_display(NULL);
	g_assert_cmpstr(d, ==, "(none)");
	g_free(d);
}

/* A store on the private server, or NULL (test skipped). */
static store *
open_pg(void)
{
	const char *url = g_getenv("TIPLINE_TEST_PG_URL");
	const char *passfile = g_getenv("TIPLINE_TEST_PG_PASSFILE");
	store *st = NULL;
	char *err = NULL;

	if (url == NULL || passfile == NULL) {
		g_test_skip("no private PostgreSQL (run "
			    "tests/171-pg-fetch-lock.t)");
		return NULL;
	}
	if (store_open(url, passfile, STORE_READWRITE, 2000, &st, &err) !=
	    TL_OK)
		g_error("store_open: %s", err);
	return st;
}

static void
test_lock(void)
{
	store *a = open_pg(), *b = NULL;
	char *who = NULL;
	int held = -1;

	if (a == NULL)
		return;
	b = open_pg();
	g_assert_cmpint(store_mailbox_lock_try(a, "tòa soạn", &held), ==,
			TL_OK);
	g_assert_cmpint(held, ==, 1);
	g_assert_cmpint(store_mailbox_lock_check(a, "tòa soạn"), ==, TL_OK);
	/* b is refused that one, not another */
	g_assert_cmpint(store_mailbox_lock_try(b, "tòa soạn", &held), ==,
			TL_OK);
	g_assert_cmpint(held, ==, 0);
	g_assert_cmpint(store_mailbox_lock_check(b, "tòa soạn"), ==,
			TL_TEMPFAIL);
	g_assert_nonnull(strstr(store_errmsg(b), "mailbox tòa soạn"));
	g_assert_cmpint(store_mailbox_lock_try(b, "other", &held), ==,
			TL_OK);
	g_assert_cmpint(held, ==, 1);
	/* b sees a as the holder; looking never takes the lock */
	g_assert_cmpint(store_mailbox_lock_holder(b, "tòa soạn", &who), ==,
			TL_OK);
	g_assert_nonnull(who);
	g_assert_nonnull(strstr(who, "server process "));
	g_assert_nonnull(strstr(who, "tipline"));
	g_free(who);
	g_assert_cmpint(store_mailbox_lock_holder(a, "tòa soạn", &who), ==,
			TL_OK);
	g_assert_null(who);	/* a's own lock is no other's */
	/* let go: b gets it */
	store_mailbox_unlock(a, "tòa soạn");
	g_assert_cmpint(store_mailbox_lock_check(a, "tòa soạn"), ==,
			TL_TEMPFAIL);
	g_assert_cmpint(store_mailbox_lock_try(b, "tòa soạn", &held), ==,
			TL_OK);
	g_assert_cmpint(held, ==, 1);
	/* a closed connection lets go of everything it held, once its
	 * server process has read the goodbye (asynchronous: wait for it,
	 * at most 10 s) */
	store_close(b);
	b = NULL;
	for (int i = 0; i < 1000; i++) {
		g_assert_cmpint(store_mailbox_lock_try(a, "tòa soạn", &held),
				==, TL_OK);
		if (held)
			break;
		g_usleep(10000);
	}
	g_assert_cmpint(held, ==, 1);
	g_assert_cmpint(store_mailbox_lock_try(a, "other", &held), ==,
			TL_OK);
	g_assert_cmpint(held, ==, 1);
	store_close(a);
}

static void
test_server_info(void)
{
	store *st = open_pg();
	store_server_info info;

	if (st == NULL)
		return;
	g_assert_cmpint(store_server_info_get(st, &info), ==, TL_OK);
	g_assert_true(g_str_has_prefix(info.display, "postgresql://"));
	g_assert_null(strstr(info.display, "sslrootcert"));
	g_assert_true(g_str_has_prefix(info.server_version, "15"));
	g_assert_nonnull(info.tls);	/* the fixture's TCP is TLS only */
	g_assert_cmpstr(info.sslmode, ==, "verify-full");
	g_assert_cmpstr(info.encoding, ==, "UTF8");
	g_assert_cmpstr(info.lc_ctype, ==, "C.UTF-8");
	g_assert_cmpint(info.standby, ==, 0);
	g_assert_cmpint(info.can_write, ==, 1);
	store_server_info_clear(&info);
	store_close(st);
}

static void
test_sqlite(void)
{
	char *dir = g_dir_make_tmp("tipline-lock-XXXXXX", NULL);
	char *path = g_build_filename(dir, "t.db", NULL);
	store_server_info info;
	store *st = NULL;
	char *err = NULL, *who = NULL;
	int held = 0;

	g_assert_cmpint(store_open(path, NULL, STORE_READWRITE, 1000, &st,
				   &err), ==, TL_OK);
	/* DATABASE.lock covers the file: every mailbox is granted */
	g_assert_cmpint(store_mailbox_lock_try(st, "x", &held), ==, TL_OK);
	g_assert_cmpint(held, ==, 1);
	g_assert_cmpint(store_mailbox_lock_check(st, "x"), ==, TL_OK);
	g_assert_cmpint(store_mailbox_lock_holder(st, "x", &who), ==,
			TL_OK);
	g_assert_null(who);
	store_mailbox_unlock(st, "x");
	g_assert_cmpint(store_server_info_get(st, &info), ==, TL_SOFTWARE);
	store_close(st);
	g_remove(path);
	g_free(path);
	path = g_build_filename(dir, "t.db-wal", NULL);
	g_remove(path);
	g_free(path);
	path = g_build_filename(dir, "t.db-shm", NULL);
	g_remove(path);
	g_free(path);
	g_rmdir(dir);
	g_free(dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/pglock/key", test_key);
	g_test_add_func("/pglock/display", test_display);
	g_test_add_func("/pglock/sqlite", test_sqlite);
	g_test_add_func("/pglock/lock", test_lock);
	g_test_add_func("/pglock/server_info", test_server_info);
	return g_test_run();
}
