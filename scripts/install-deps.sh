#!/bin/sh
# install-deps.sh - apt-install every build, test and runtime dependency of
# tipline (Debian 12). Idempotent: when everything is already installed it
# only asks dpkg (one dpkg-query call, a few milliseconds) and exits 0, so
# `make check`, `make demo`, `make fuzz` and `make bench` can call it every
# time.
#
#   scripts/install-deps.sh            build + test + runtime + fuzz
#   scripts/install-deps.sh --bench    also the peers `make bench` compares
#                                      with (isync, fetchmail, ...)
#   scripts/install-deps.sh --list     print the package names and exit
#
# Runs as root, or through sudo when it is installed and allowed without a
# password; otherwise it prints the apt-get command to run and exits 1.
#
# Why the details:
# - `apt-get update` runs first whenever something is missing: a fresh
#   machine's package lists may be stale or empty, and installing from a
#   stale list fails with 404s.
# - DPkg::Lock::Timeout: on a machine that has just booted, unattended
#   upgrades may hold the dpkg lock for a while; wait instead of failing.
# - dovecot-core's postinst starts the system Dovecot (ports 143/993), and
#   postgresql-15's the system cluster (port 5432). The tests and the demo
#   run a private Dovecot and a private PostgreSQL of their own and must
#   never touch the system ones, so while installing, a policy-rc.d that
#   denies every service start is put in place (unless the admin has one
#   already).
# - postgresql-common would also create a system cluster "15/main", which
#   systemd then starts at every boot: when PostgreSQL is not installed
#   yet, a createcluster.d file tells it not to (create_main_cluster =
#   false); an admin who wants one runs pg_createcluster.
set -eu

# Build: compiler, pkg-config and the -dev packages of every library in the
# Makefile's PKGS (libcurl gmime-3.0 sqlite3 glib-2.0 json-glib-1.0
# libxml-2.0 libexif icu-uc icu-i18n libcrypto libytnef libpq), and of
# PREVIEW_PKGS, linked only into the preview worker tipline-preview
# (libvips 8.14 with its HEIF module, FFmpeg 5.1's libraries); libpq 15
# for the PostgreSQL store backend (issue 13); SERVE_PKGS (libmicrohttpd
# libsodium), which only tipline-serve links.
BUILD="build-essential pkg-config libcurl4-openssl-dev libgmime-3.0-dev
libglib2.0-dev libjson-glib-dev libsqlite3-dev libxml2-dev libexif-dev
libicu-dev libssl-dev libytnef0-dev libvips-dev libavformat-dev
libavcodec-dev libswscale-dev libavutil-dev libpq-dev libmicrohttpd-dev
libsodium-dev"
# Runtime of the binary itself (fetch over TLS needs the system CA store).
RUNTIME="ca-certificates"
# Tests and demo: private Dovecot + its self-signed cert, prove (perl),
# sqlite3 CLI, python3 for the fault proxies and acceptance scripts, jq
# for the tests' assertions on --json output (tests/lib.sh tj), curl
# for direct IMAP checks, procps (pgrep/ps), iproute2 (ss), time
# (/usr/bin/time -v for peak RSS), groff-base + man-db (man page check),
# ffmpeg (ffmpeg/ffprobe make and read the preview tests' photos and
# clips), libvips-tools (the vips command writes their HEIC), and
# postgresql-15 for the private PostgreSQL of tests/fixture/pg-start.sh
# (server, psql, and in Debian 12 the contrib modules such as unaccent:
# postgresql-contrib is only a metapackage naming it), and headless
# Chromium driven by Selenium for the desk's browser tests, strace (test
# 223 counts the spool files a fetch creates).
TEST="dovecot-imapd dovecot-core openssl perl sqlite3 python3 jq curl procps
iproute2 time groff-base man-db ffmpeg libvips-tools postgresql-15 chromium
chromium-driver python3-selenium strace"
# Fuzzing: clang with libFuzzer and the ASan/UBSan runtimes.
FUZZ="clang libclang-rt-14-dev"
# Peers for `make bench` (issue 6), only with --bench.
BENCH="isync fetchmail"

PKGS="$BUILD $RUNTIME $TEST $FUZZ"
case "${1:-}" in
--bench)
	PKGS="$PKGS $BENCH" ;;
--list)
	# shellcheck disable=SC2086
	echo $PKGS $BENCH
	exit 0 ;;
"") ;;
*)
	echo "usage: $0 [--bench | --list]" >&2
	exit 64 ;;
esac

# Which of PKGS are not installed? One dpkg-query for all of them; packages
# dpkg has never heard of are reported on stderr and count as missing.
missing_pkgs() {
	# shellcheck disable=SC2086
	installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' \
	    $PKGS 2>/dev/null | awk '$2 == "installed" { print $1 }' |
	    tr '\n' ' ')
	for p in $PKGS; do
		case " $installed " in
		*" $p "*) ;;
		*) printf '%s ' "$p" ;;
		esac
	done
}

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "install-deps.sh: not a Debian system; install the equivalents" \
	    "of: $PKGS" >&2
	exit 1
fi

MISSING=$(missing_pkgs)
if [ -z "$MISSING" ]; then
	exit 0
fi

if [ "$(id -u)" = 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO="sudo -n"
else
	echo "install-deps.sh: missing packages: $MISSING" >&2
	echo "install-deps.sh: run as root:" >&2
	echo "  apt-get update && apt-get install -y $MISSING" >&2
	exit 1
fi

echo "install-deps.sh: installing: $MISSING" >&2

POLICY=/usr/sbin/policy-rc.d
OURPOLICY=
cleanup() {
	if [ -n "$OURPOLICY" ]; then
		$SUDO rm -f "$POLICY"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
# dovecot-core (and fetchmail, with --bench) would start system services.
if [ ! -e "$POLICY" ]; then
	# 101 = "action forbidden by policy" (invoke-rc.d(8)); the package is
	# configured but its service is not started.
	printf '#!/bin/sh\n# tipline install-deps.sh: no service starts while installing\nexit 101\n' |
	    $SUDO tee "$POLICY" >/dev/null
	$SUDO chmod 755 "$POLICY"
	OURPOLICY=1
fi

# No system cluster (see the top); only before postgresql-common is there,
# so an admin's choice on an existing installation is left alone.
CC_D=/etc/postgresql-common/createcluster.d
if [ ! -e /usr/bin/pg_createcluster ] && [ ! -e "$CC_D/tipline.conf" ]; then
	$SUDO mkdir -p "$CC_D"
	printf '# tipline install-deps.sh: tests use a private server\ncreate_main_cluster = false\n' |
	    $SUDO tee "$CC_D/tipline.conf" >/dev/null
fi

APT="$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -q -y
-o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef
-o Dpkg::Options::=--force-confold"

# shellcheck disable=SC2086
$APT update >&2
# shellcheck disable=SC2086
if ! $APT install --no-install-recommends $MISSING >&2; then
	# A mirror may have moved on between update and install (404):
	# refresh once more and retry.
	$APT update >&2
	$APT install --no-install-recommends $MISSING >&2
fi

MISSING=$(missing_pkgs)
if [ -n "$MISSING" ]; then
	echo "install-deps.sh: still missing after apt-get: $MISSING" >&2
	exit 1
fi
echo "install-deps.sh: all dependencies installed" >&2
