/* pg-conn-priv.h - how the PostgreSQL store backend (issue 13) connects:
 * the [store] database URL and passfile turned into libpq parameters by
 * tipline's rules, and a connection opened with them. Private to
 * lib/store; docs/dev/postgresql.md gives the rules and their reasons. */
#ifndef TIPLINE_PG_CONN_PRIV_H
#define TIPLINE_PG_CONN_PRIV_H

#include <glib.h>
#include <libpq-fe.h>

#include "util.h"

/* A parsed connection target: libpq keyword/value pairs, never holding a
 * password (libpq reads it from the passfile when it connects). */
typedef struct pg_target pg_target;

/* TRUE when DATABASE (the [store] database setting) names PostgreSQL: it
 * starts with "postgresql://" or "postgres://", libpq's URI schemes (RFC
 * 3986 syntax, libpq "Connection URIs"). Anything else, NULL included, is
 * a SQLite path. */
gboolean pg_conn_is_url(const char *database);

/* Parse URL (libpq's URI syntax, through PQconninfoParse) into *out,
 * applying tipline's rules:
 * - a password in the URL is refused: it would sit in the configuration
 *   file and in any message or command line the URL reaches;
 * - an sslmode given in the URL is kept; without one, "verify-full",
 *   unless every host is a Unix socket (a path, an empty host) or
 *   loopback (localhost, 127.0.0.0/8, ::1), where libpq's default stays;
 * - PASSFILE (the file the configuration names; NULL: a passfile= of the
 *   URL, else libpq's PGPASSFILE or ~/.pgpass) must be a regular file, not
 *   a symbolic link, without any group or other permission, like
 *   password_file (libpq itself only warns on stderr and ignores it);
 * - application_name "tipline" and connect_timeout 10 s unless given.
 * Returns TL_OK with *out set (free with pg_target_free), or TL_CONFIG
 * with *errmsg (g_free) naming the setting; no message holds a password.
 */
tl_status pg_conn_parse(const char *url, const char *passfile,
			pg_target **out, char **errmsg);

/* The value libpq gets for KEYWORD ("sslmode", "host", "passfile", ...),
 * or NULL when libpq's default applies. Owned by T. */
const char *pg_target_get(const pg_target *t, const char *keyword);

/* "postgresql://USER@HOST:PORT/DB" with what the URL gave (a socket path
 * as host), for messages; never a password. Owned by T. */
const char *pg_target_display(const pg_target *t);

/* Connect (blocking, PQconnectdbParams) with T's parameters and
 * client_encoding UTF8. TL_OK: *out is an open connection (PQfinish it).
 * Otherwise *out is NULL and *errmsg (g_free) starts with the target's
 * display form, then libpq's message; the status says who must act:
 * TL_NOPERM for a certificate not trusted or a login refused (the server
 * answered: an admin fixes it), TL_TEMPFAIL when no server answered or it
 * refused connections for now (PQpingParams: starting, shutting down, too
 * many clients), TL_CONFIG for parameters libpq rejects. */
tl_status pg_conn_open(const pg_target *t, PGconn **out, char **errmsg);

void pg_target_free(pg_target *t);

#endif
