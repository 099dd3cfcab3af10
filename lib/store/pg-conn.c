/* pg-conn.c - the PostgreSQL connection rules of pg-conn-priv.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pg-conn-priv.h"

struct pg_target {
	GPtrArray *keys;	/* libpq keywords, NULL-terminated */
	GPtrArray *values;	/* their values, NULL-terminated */
	char *display;
};

gboolean
pg_conn_is_url(const char *database)
{
	return database != NULL &&
	       (g_str_has_prefix(database, "postgresql://") ||
		g_str_has_prefix(database, "postgres://"));
}

/* A host entry of libpq (one of a comma-separated list) that does not
 * leave this machine: a socket folder ("/..." or an abstract "@..."), or
 * a loopback name or address. */
static gboolean
host_is_local(const char *h)
{
	struct in6_addr a6;
	struct in_addr a4;

	if (h[0] == '\0' || h[0] == '/' || h[0] == '@')
		return TRUE;
	if (g_ascii_strcasecmp(h, "localhost") == 0)
		return TRUE;
	if (inet_pton(AF_INET, h, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, h, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return FALSE;
}

/* Every host of the target is local (see host_is_local). With hostaddr
 * given, libpq connects to those addresses and uses host only for the
 * certificate, so the addresses decide. No host at all is libpq's
 * default socket. */
static gboolean
target_is_local(const char *host, const char *hostaddr)
{
	const char *list = hostaddr != NULL && *hostaddr ? hostaddr : host;
	gboolean local = TRUE;
	char **hosts = NULL;

	if (list == NULL || *list == '\0')
		return TRUE;
	hosts = g_strsplit(list, ",", -1);
	for (char **h = hosts; *h != NULL && local; h++)
		local = host_is_local(g_strstrip(*h));
	g_strfreev(hosts);
	return local;
}

/* PATH may hold passwords: a regular file, not a link, with no group or
 * other permission (what libpq itself requires before it reads one). */
static tl_status
passfile_check(const char *path, char **errmsg)
{
	struct stat sb;
	int fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		*errmsg = g_strdup_printf("[store] passfile %s: %s", path,
					  errno == ELOOP ? "a symbolic link" :
					  g_strerror(errno));
		return TL_CONFIG;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		*errmsg = g_strdup_printf("[store] passfile %s: not a regular "
					  "file", path);
		close(fd);
		return TL_CONFIG;
	}
	close(fd);
	if (sb.st_mode & (S_IRWXG | S_IRWXO)) {
		*errmsg = g_strdup_printf("[store] passfile %s is open to "
					  "group or others (mode %04o); run "
					  "chmod 600 %s", path,
					  (unsigned)(sb.st_mode & 07777),
					  path);
		return TL_CONFIG;
	}
	return TL_OK;
}

static void
target_set(pg_target *t, const char *key, const char *value)
{
	for (guint i = 0; i + 1 < t->keys->len; i++) {
		if (strcmp(t->keys->pdata[i], key) == 0) {
			g_free(t->values->pdata[i]);
			t->values->pdata[i] = g_strdup(value);
			return;
		}
	}
	/* keep the NULL terminators last */
	g_ptr_array_insert(t->keys, (gint)t->keys->len - 1, g_strdup(key));
	g_ptr_array_insert(t->values, (gint)t->values->len - 1,
			   g_strdup(value));
}

const char *
pg_target_get(const pg_target *t, const char *keyword)
{
	for (guint i = 0; i + 1 < t->keys->len; i++)
		if (strcmp(t->keys->pdata[i], keyword) == 0)
			return t->values->pdata[i];
	return NULL;
}

const char *
pg_target_display(const pg_target *t)
{
	return t->display;
}

static pg_target *
target_new(void)
{
	pg_target *t = g_new0(pg_target, 1);

	t->keys = g_ptr_array_new_with_free_func(g_free);
	t->values = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(t->keys, NULL);
	g_ptr_array_add(t->values, NULL);
	return t;
}

void
pg_target_free(pg_target *t)
{
	if (t == NULL)
		return;
	g_ptr_array_free(t->keys, TRUE);
	g_ptr_array_free(t->values, TRUE);
	g_free(t->display);
	g_free(t);
}

static void
target_display_set(pg_target *t)
{
	const char *user = pg_target_get(t, "user");
	const char *host = pg_target_get(t, "host");
	const char *port = pg_target_get(t, "port");
	const char *db = pg_target_get(t, "dbname");

	t->display = g_strdup_printf("postgresql://%s%s%s%s%s/%s",
				     user != NULL ? user : "",
				     user != NULL ? "@" : "",
				     host != NULL ? host : "",
				     port != NULL ? ":" : "",
				     port != NULL ? port : "",
				     db != NULL ? db : "");
}

tl_status
pg_conn_parse(const char *url, const char *passfile, pg_target **out,
	      char **errmsg)
{
	PQconninfoOption *opts = NULL;
	pg_target *t = NULL;
	char *perr = NULL;
	tl_status rc = TL_CONFIG;

	*out = NULL;
	if (!pg_conn_is_url(url)) {
		*errmsg = g_strdup("[store] database: not a postgresql:// URL");
		goto out;
	}
	opts = PQconninfoParse(url, &perr);
	if (opts == NULL) {
		*errmsg = g_strdup_printf("[store] database: %s",
					  perr != NULL ? g_strchomp(perr) :
					  "out of memory");
		goto out;
	}
	t = target_new();
	for (PQconninfoOption *o = opts; o->keyword != NULL; o++) {
		if (o->val == NULL)
			continue;
		if (strcmp(o->keyword, "password") == 0) {
			*errmsg = g_strdup("[store] database: the URL holds a "
					   "password; put it in the passfile "
					   "named by [store] passfile instead");
			goto out;
		}
		target_set(t, o->keyword, o->val);
	}
	if (passfile != NULL)
		target_set(t, "passfile", passfile);
	if (pg_target_get(t, "passfile") != NULL &&
	    (rc = passfile_check(pg_target_get(t, "passfile"), errmsg)) !=
	    TL_OK)
		goto out;
	rc = TL_CONFIG;
	if (pg_target_get(t, "sslmode") == NULL &&
	    !target_is_local(pg_target_get(t, "host"),
			     pg_target_get(t, "hostaddr")))
		target_set(t, "sslmode", "verify-full");
	if (pg_target_get(t, "application_name") == NULL)
		target_set(t, "application_name", "tipline");
	if (pg_target_get(t, "connect_timeout") == NULL)
		target_set(t, "connect_timeout", "10");
	target_set(t, "client_encoding", "UTF8");
	target_display_set(t);
	*out = t;
	t = NULL;
	rc = TL_OK;
out:
	if (perr != NULL)
		PQfreemem(perr);
	if (opts != NULL)
		PQconninfoFree(opts);
	pg_target_free(t);
	return rc;
}

/* Who must act on a failed connection (see pg_conn_open). libpq gives no
 * SQLSTATE for a connection that never opened, so: its own words for a
 * certificate, then a ping for whether a server answered at all. */
static tl_status
open_failure_status(const pg_target *t, const char *msg)
{
	const char *const *k = (const char *const *)t->keys->pdata;
	const char *const *v = (const char *const *)t->values->pdata;

	if (strstr(msg, "certificate") != NULL)
		return TL_NOPERM;
	switch (PQpingParams(k, v, 0)) {
	case PQPING_OK:
		return TL_NOPERM;	/* it answered, and refused us */
	case PQPING_REJECT:
	case PQPING_NO_RESPONSE:
		return TL_TEMPFAIL;
	case PQPING_NO_ATTEMPT:
	default:
		return TL_CONFIG;
	}
}

/* libpq's default notice processor writes the server's notices and
 * warnings to stderr itself, several lines at times ("WARNING:
 * terminating connection due to immediate shutdown command" before the
 * error that the command then reports once).  Only log.c writes: to the
 * debug log, one line. */
static void
notice_log(void *arg, const char *message)
{
	char *m = g_strdup(message);

	(void)arg;
	g_strdelimit(g_strstrip(m), "\n\t", ' ');
	log_debug("PostgreSQL server: %s", m);
	g_free(m);
}

tl_status
pg_conn_open(const pg_target *t, PGconn **out, char **errmsg)
{
	const char *const *k = (const char *const *)t->keys->pdata;
	const char *const *v = (const char *const *)t->values->pdata;
	PGconn *c = NULL;
	char *msg = NULL;
	tl_status rc;

	*out = NULL;
	c = PQconnectdbParams(k, v, 0);
	if (c == NULL) {
		*errmsg = g_strdup_printf("%s: out of memory", t->display);
		return TL_SOFTWARE;
	}
	if (PQstatus(c) == CONNECTION_OK) {
		PQsetNoticeProcessor(c, notice_log, NULL);
		*out = c;
		return TL_OK;
	}
	msg = g_strchomp(g_strdup(PQerrorMessage(c)));
	PQfinish(c);
	rc = open_failure_status(t, msg);
	*errmsg = g_strdup_printf("%s: %s", t->display, msg);
	g_free(msg);
	return rc;
}
