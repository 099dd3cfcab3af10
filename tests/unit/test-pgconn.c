/* test-pgconn.c - the PostgreSQL connection rules (lib/store/pg-conn.c):
 * which setting is a URL, sslmode verify-full unless local, no password
 * in the URL, the passfile's mode; then real connections to the private
 * server of tests/137-pg-conn.t (TIPLINE_TEST_PG_* variables; skipped
 * without them). */
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "pg-conn-priv.h"

static char *tmpdir;

static void
test_is_url(void)
{
	g_assert_true(pg_conn_is_url("postgresql://u@db.example.net/q"));
	g_assert_true(pg_conn_is_url("postgres://u@db.example.net/q"));
	g_assert_false(pg_conn_is_url("/var/lib/tipline/tipline.db"));
	g_assert_false(pg_conn_is_url("postgresql.db"));
	g_assert_false(pg_conn_is_url("host=db.example.net"));
	g_assert_false(pg_conn_is_url(NULL));
}

/* sslmode after parsing URL (NULL: libpq's default). */
static char *
sslmode_of(const char *url)
{
	pg_target *t = NULL;
	char *err = NULL;
	char *mode;

	g_assert_cmpint(pg_conn_parse(url, NULL, &t, &err), ==, TL_OK);
	g_assert_null(err);
	mode = g_strdup(pg_target_get(t, "sslmode"));
	pg_target_free(t);
	return mode;
}

static void
check_sslmode(const char *url, const char *want)
{
	char *got = sslmode_of(url);

	g_assert_cmpstr(got, ==, want);
	g_free(got);
}

static void
test_sslmode(void)
{
	/* remote: verify-full unless the URL says otherwise */
	check_sslmode("postgresql://u@db.example.net:5432/q", "verify-full");
	check_sslmode("postgresql://u@192.0.2.7/q", "verify-full");
	check_sslmode("postgresql://u@[2001:db8::1]/q", "verify-full");
	check_sslmode("postgresql://u@db.example.net/q?sslmode=require",
		      "require");
	check_sslmode("postgresql://u@db.example.net/q?sslmode=disable",
		      "disable");
	/* one remote host among local ones is remote */
	check_sslmode("postgresql://u@127.0.0.1,db.example.net/q",
		      "verify-full");
	/* hostaddr decides where the connection goes */
	check_sslmode("postgresql://u@localhost/q?hostaddr=192.0.2.7",
		      "verify-full");
	/* loopback and Unix sockets: libpq's default */
	check_sslmode("postgresql://u@127.0.0.1:5432/q", NULL);
	check_sslmode("postgresql://u@127.1.2.3/q", NULL);
	check_sslmode("postgresql://u@localhost/q", NULL);
	check_sslmode("postgresql://u@LOCALHOST/q", NULL);
	check_sslmode("postgresql://u@[::1]/q", NULL);
	check_sslmode("postgresql://u@/q", NULL);
	check_sslmode("postgresql://u@/q?host=/run/postgresql", NULL);
	check_sslmode("postgresql://u@%2Frun%2Fpostgresql/q", NULL);
	check_sslmode("postgresql://u@localhost/q?sslmode=verify-ca",
		      "verify-ca");
}

static void
test_defaults_and_display(void)
{
	pg_target *t = NULL;
	char *err = NULL;

	g_assert_cmpint(pg_conn_parse("postgresql://desk@db.example.net:6432"
				      "/news?connect_timeout=3", NULL, &t,
				      &err), ==, TL_OK);
	g_assert_cmpstr(pg_target_get(t, "application_name"), ==, "tipline");
	g_assert_cmpstr(pg_target_get(t, "connect_timeout"), ==, "3");
	g_assert_cmpstr(pg_target_get(t, "client_encoding"), ==, "UTF8");
	g_assert_cmpstr(pg_target_get(t, "user"), ==, "desk");
	g_assert_cmpstr(pg_target_display(t), ==,
			"postgresql://desk@db.example.net:6432/news");
	pg_target_free(t);
}

/* A password in the URL is refused, and no message repeats it. */
static void
test_password_refused(void)
{
	pg_target *t = NULL;
	char *err = NULL;

	g_assert_cmpint(pg_conn_parse("postgresql://u:hunter2@db.example.net"
				      "/q", NULL, &t, &err), ==, TL_CONFIG);
	g_assert_null(t);
	g_assert_nonnull(strstr(err, "password"));
	g_assert_null(strstr(err, "hunter2"));
	g_free(err);
	err = NULL;
	g_assert_cmpint(pg_conn_parse("postgresql://u@db.example.net/q?"
				      "password=hunter2", NULL, &t, &err), ==,
			TL_CONFIG);
	g_assert_null(strstr(err, "hunter2"));
	g_free(err);
	err = NULL;
	g_assert_cmpint(pg_conn_parse("postgresql://u@h/q?nonsense=1", NULL,
				      &t, &err), ==, TL_CONFIG);
	g_assert_nonnull(strstr(err, "nonsense"));
	g_free(err);
}

static void
test_passfile_mode(void)
{
	char *pf = g_build_filename(tmpdir, "pgpass", NULL);
	char *ln = g_build_filename(tmpdir, "pgpass-link", NULL);
	const char *url = "postgresql://u@db.example.net/q";
	pg_target *t = NULL;
	char *err = NULL;

	g_assert_true(g_file_set_contents(pf, "*:*:*:u:pw\n", -1, NULL));
	g_assert_cmpint(g_chmod(pf, 0600), ==, 0);
	g_assert_cmpint(pg_conn_parse(url, pf, &t, &err), ==, TL_OK);
	g_assert_cmpstr(pg_target_get(t, "passfile"), ==, pf);
	pg_target_free(t);
	t = NULL;

	g_assert_cmpint(g_chmod(pf, 0640), ==, 0);
	g_assert_cmpint(pg_conn_parse(url, pf, &t, &err), ==, TL_CONFIG);
	g_assert_null(t);
	g_assert_nonnull(strstr(err, "chmod 600"));
	g_assert_nonnull(strstr(err, "0640"));
	g_free(err);
	err = NULL;

	/* a passfile= in the URL is checked the same way */
	{
		char *u2 = g_strdup_printf("%s?passfile=%s", url, pf);

		g_assert_cmpint(pg_conn_parse(u2, NULL, &t, &err), ==,
				TL_CONFIG);
		g_free(u2);
		g_free(err);
		err = NULL;
	}

	g_assert_cmpint(g_chmod(pf, 0600), ==, 0);
	g_assert_cmpint(symlink(pf, ln), ==, 0);
	g_assert_cmpint(pg_conn_parse(url, ln, &t, &err), ==, TL_CONFIG);
	g_assert_nonnull(strstr(err, "symbolic link"));
	g_free(err);
	err = NULL;

	g_assert_cmpint(pg_conn_parse(url, "/nonexistent/pgpass", &t, &err),
			==, TL_CONFIG);
	g_assert_nonnull(strstr(err, "/nonexistent/pgpass"));
	g_free(err);
	g_unlink(ln);
	g_unlink(pf);
	g_free(ln);
	g_free(pf);
}

/* The private server (tests/fixture/pg-start.sh), or skip. */
static gboolean
server(const char **url, const char **sock_url, const char **passfile)
{
	*url = g_getenv("TIPLINE_TEST_PG_URL");
	*sock_url = g_getenv("TIPLINE_TEST_PG_SOCKET_URL");
	*passfile = g_getenv("TIPLINE_TEST_PG_PASSFILE");
	if (*url == NULL || *sock_url == NULL || *passfile == NULL) {
		g_test_skip("no private PostgreSQL (run tests/137-pg-conn.t)");
		return FALSE;
	}
	return TRUE;
}

/* Open URL with PASSFILE; the status, and the message in *err. */
static tl_status
try_open(const char *url, const char *passfile, char **err,
	 gboolean *ssl)
{
	pg_target *t = NULL;
	PGconn *c = NULL;
	tl_status rc;

	*err = NULL;
	rc = pg_conn_parse(url, passfile, &t, err);
	if (rc != TL_OK)
		return rc;
	rc = pg_conn_open(t, &c, err);
	if (ssl != NULL)
		*ssl = c != NULL && PQsslInUse(c);
	if (c != NULL)
		PQfinish(c);
	pg_target_free(t);
	return rc;
}

static void
test_connect(void)
{
	const char *url, *sock_url, *pf;
	gboolean ssl = FALSE;
	char *err = NULL;

	if (!server(&url, &sock_url, &pf))
		return;
	/* TCP with verify-full against the harness's CA */
	g_assert_cmpint(try_open(url, pf, &err, &ssl), ==, TL_OK);
	g_assert_true(ssl);
	/* the Unix socket */
	g_assert_cmpint(try_open(sock_url, pf, &err, &ssl), ==, TL_OK);
	g_assert_false(ssl);
}

static void
test_connect_refused(void)
{
	const char *url, *sock_url, *pf;
	char *bad = NULL, *err = NULL, *pw = NULL, *wrong = NULL;

	if (!server(&url, &sock_url, &pf))
		return;
	/* localhost is loopback, but the URL asks verify-full and the CA
	 * is not given: the certificate is not trusted */
	bad = g_strdup(url);
	*strstr(bad, "&sslrootcert") = '\0';
	g_assert_cmpint(try_open(bad, pf, &err, NULL), ==, TL_NOPERM);
	g_assert_nonnull(strstr(err, "certificate"));
	g_free(err);
	g_free(bad);

	/* a wrong password: refused by the server; the message names the
	 * target, never the password */
	g_assert_true(g_file_get_contents(pf, &pw, NULL, NULL));
	wrong = g_build_filename(tmpdir, "wrong", NULL);
	g_assert_true(g_file_set_contents(wrong, "*:*:*:*:not-it\n", -1,
					  NULL));
	g_assert_cmpint(g_chmod(wrong, 0600), ==, 0);
	g_assert_cmpint(try_open(url, wrong, &err, NULL), ==, TL_NOPERM);
	g_assert_true(g_str_has_prefix(err, "postgresql://"));
	g_assert_null(strstr(err, "not-it"));
	g_free(err);
	g_unlink(wrong);
	g_free(wrong);
	g_free(pw);

	/* nobody listening: try again later */
	g_assert_cmpint(try_open("postgresql://u@127.0.0.1:1/q", pf, &err,
				 NULL), ==, TL_TEMPFAIL);
	g_free(err);
}

int
main(int argc, char **argv)
{
	int rc;

	g_test_init(&argc, &argv, NULL);
	tmpdir = g_dir_make_tmp("test-pgconn.XXXXXX", NULL);
	g_test_add_func("/pgconn/is_url", test_is_url);
	g_test_add_func("/pgconn/sslmode", test_sslmode);
	g_test_add_func("/pgconn/defaults_and_display",
			test_defaults_and_display);
	g_test_add_func("/pgconn/password_refused", test_password_refused);
	g_test_add_func("/pgconn/passfile_mode", test_passfile_mode);
	g_test_add_func("/pgconn/connect", test_connect);
	g_test_add_func("/pgconn/connect_refused", test_connect_refused);
	rc = g_test_run();
	g_rmdir(tmpdir);
	g_free(tmpdir);
	return rc;
}
