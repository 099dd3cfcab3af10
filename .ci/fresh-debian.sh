#!/bin/bash
# .ci/fresh-debian.sh - prove the README's two commands on a fresh Debian 12.
#
# A clean clone of this repository's HEAD goes into a new Debian 12 chroot
# (debootstrap minbase plus make, git and ca-certificates: what a fresh
# minimal server has), and there, as root, runs exactly what the README
# says: `make demo`, then `make check`. Nothing the host has installed is
# visible inside, so a missing install step fails here (issue 9: the first
# `make demo` on a fresh machine stopped at glib.h).
#
# The chroot uses the machine's own apt sources and DNS. Only the base
# system (before any tipline dependency) is cached, as a tarball under
# $TIPLINE_CHROOT_CACHE (default /var/cache/tipline-ci, else $TMPDIR when
# that is not writable); it is built when missing. Everything else is made
# anew each run and removed at the end, mounts first.
#
# Run as root (CI is). Exit status: that of `make demo && make check`, or 2
# when the chroot could not be made.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
SUITE=bookworm
# Bump to throw every cached base away (say why in the commit).
BASE_NAME=$SUITE-minbase-make-git-ca-v1.tar.gz

if [ "$(id -u)" != 0 ]; then
	echo "fresh-debian: needs root (chroot, mount)" >&2
	exit 2
fi

pick_cache() {
	local d=${TIPLINE_CHROOT_CACHE:-/var/cache/tipline-ci}
	if mkdir -p "$d" 2>/dev/null && [ -w "$d" ]; then
		echo "$d"
	else
		d=${TMPDIR:-/tmp}/tipline-ci-cache
		mkdir -p "$d"
		echo "$d"
	fi
}

# The first Debian archive URI of the host's apt sources (deb822 or
# one-line form); deb.debian.org when none is found.
host_mirror() {
	local m
	m=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
	    awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' |
	    grep -v -- '-security' | grep '/debian/\?$' | head -1 || true)
	if [ -z "$m" ]; then
		m=$(grep -hs '^deb ' /etc/apt/sources.list \
		    /etc/apt/sources.list.d/*.list 2>/dev/null |
		    awk '{ print ($2 ~ /^\[/) ? $3 : $2 }' |
		    grep -v -- '-security' | head -1 || true)
	fi
	echo "${m:-http://deb.debian.org/debian}"
}

CACHE=$(pick_cache)
BASE=$CACHE/$BASE_NAME
WORKDIR=$(mktemp -d /var/tmp/tipline-fresh.XXXXXX)
ROOT=$WORKDIR/root
MOUNTS=()

mounted_under_root() {
	awk -v r="$ROOT" '$2 == r || index($2, r "/") == 1' /proc/mounts
}

cleanup() {
	local i pid
	# Whatever the run left inside (a daemon) goes first: it may hold
	# files under the mounts.
	for pid in $(ls /proc | grep -E '^[0-9]+$'); do
		if [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$ROOT" ]; then
			kill -9 "$pid" 2>/dev/null || true
		fi
	done
	for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
		umount "${MOUNTS[$i]}" 2>/dev/null ||
		    umount -l "${MOUNTS[$i]}" 2>/dev/null || true
	done
	# Never remove files through a mount that is still there (a bound
	# /dev would take the host's device nodes with it).
	if [ -n "$(mounted_under_root)" ]; then
		echo "fresh-debian: mounts left under $ROOT; not removing it" >&2
		mounted_under_root >&2
		return
	fi
	rm -rf --one-file-system "$WORKDIR"
}
trap cleanup EXIT
trap "exit 143" TERM INT HUP

build_base() {
	local tmp mirror
	mirror=$(host_mirror)
	command -v debootstrap >/dev/null 2>&1 || {
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		    debootstrap
	}
	tmp=$WORKDIR/base
	echo "fresh-debian: building the base system from $mirror"
	debootstrap --variant=minbase --include=make,git,ca-certificates \
	    "$SUITE" "$tmp" "$mirror" > "$WORKDIR/debootstrap.log" 2>&1 || {
		tail -30 "$WORKDIR/debootstrap.log" >&2
		return 1
	}
	rm -rf "$tmp"/var/cache/apt/archives/*.deb "$tmp"/var/lib/apt/lists/*
	tar -C "$tmp" -czf "$BASE.tmp.$$" . && mv "$BASE.tmp.$$" "$BASE"
	rm -rf --one-file-system "$tmp"
}

make_root() {
	mkdir -p "$ROOT"
	tar -C "$ROOT" -xzf "$BASE"
	# The machine's own apt sources and name servers.
	rm -f "$ROOT"/etc/apt/sources.list "$ROOT"/etc/apt/sources.list.d/*
	[ -f /etc/apt/sources.list ] &&
	    cp /etc/apt/sources.list "$ROOT"/etc/apt/sources.list
	for f in /etc/apt/sources.list.d/*.list \
	    /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] && cp "$f" "$ROOT"/etc/apt/sources.list.d/
	done
	cp /etc/resolv.conf "$ROOT"/etc/resolv.conf
	cp /etc/hosts "$ROOT"/etc/hosts
	mount_one proc "$ROOT/proc" -t proc
	mount_one sysfs "$ROOT/sys" -t sysfs
	mount_one /dev "$ROOT/dev" --bind
	mount_one devpts "$ROOT/dev/pts" -t devpts -o newinstance,ptmxmode=0666
	mount_one shm "$ROOT/dev/shm" -t tmpfs -o mode=1777
	git clone -q "$TOP" "$ROOT/root/tipline"
}

# mount_one SOURCE TARGET OPTIONS...: mount and remember it for cleanup.
mount_one() {
	local src=$1 dst=$2
	shift 2
	mkdir -p "$dst"
	mount "$@" "$src" "$dst"
	MOUNTS+=("$dst")
}

t0=$(date +%s)
if [ ! -s "$BASE" ]; then
	build_base || { echo "fresh-debian: debootstrap failed" >&2; exit 2; }
else
	echo "fresh-debian: cached base $BASE"
fi
make_root || { echo "fresh-debian: could not set up the chroot" >&2; exit 2; }
echo "fresh-debian: chroot ready in $(($(date +%s) - t0)) s;" \
    "commit $(git -C "$ROOT/root/tipline" log -1 --format=%h)"

# Exactly the README's two commands, in a clean environment: no stdin, no
# terminal, nothing of the host's environment but what a login would set.
# In the background with `wait`, so that a SIGTERM from CI's time budget
# runs the cleanup at once instead of after the child.
rc=0
chroot "$ROOT" /usr/bin/env -i HOME=/root TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/sh -c 'cd /root/tipline && echo "+ make demo" && make demo &&
	echo "+ make check" && make check' < /dev/null &
wait $! || rc=$?
echo "fresh-debian: make demo && make check exited $rc after" \
    "$(($(date +%s) - t0)) s"
exit "$rc"
