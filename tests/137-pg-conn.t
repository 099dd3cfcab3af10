#!/bin/sh
# 137-pg-conn.t - how the PostgreSQL backend connects (issue 13;
# tests/unit/test-pgconn.c): sslmode verify-full unless local, no
# password in the URL, the passfile's mode; and real connections to a
# private PostgreSQL (TLS verify-full, Unix socket, a certificate not
# trusted, a wrong password, no server).
. "$(dirname "$0")/lib.sh"
BIN=$TOP/build/tests/test-pgconn
[ -x "$BIN" ] || skip_all "$BIN not built (make unit)"
pg_need
TIPLINE_TEST_PG_URL=$PG_URL TIPLINE_TEST_PG_SOCKET_URL=$PG_SOCKET_URL \
TIPLINE_TEST_PG_PASSFILE=$PG_PASSFILE "$BIN" --tap
