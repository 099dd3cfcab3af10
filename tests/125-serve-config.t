#!/bin/sh
# 125-serve-config.t - [serve] in tipline.conf (issue 12): parsed with the
# other sections, so a mistake is a configuration error (78) naming
# FILE:LINE for any command; relative paths are the file's folder's.
. "$(dirname "$0")/lib.sh"
plan 14

tl import "$FIX/demo/05-opinion.eml" >/dev/null 2>&1
cp "$CONF" "$WORK/base.conf"
# bad LINES...: append a [serve] section, run `tipline list`; sets RC, ERR.
bad() {
	cp "$WORK/base.conf" "$CONF"
	printf '[serve]\n' >> "$CONF"
	printf '%s\n' "$@" >> "$CONF"
	tl list >/dev/null 2>"$WORK/err"
	RC=$?
	ERR=$(cat "$WORK/err")
}
n=$(($(wc -l < "$WORK/base.conf") + 2))

bad "auth = ldap"
is "$RC" 78 "auth = ldap: 78"
like "$ERR" "$CONF:$n: auth: expected proxy or local" "... at its line"
bad "auth = proxy"
is "$RC" 78 "auth = proxy without proxy_secret_file: 78"
like "$ERR" "$CONF:$n: auth = proxy needs proxy_secret_file" "... saying so"
bad "auth = local"
like "$RC:$ERR" "^78:.*auth = local needs editors_file" \
	"auth = local without editors_file: 78, saying so"
bad "listen = desk.example.net:8080"
is "$RC" 78 "a host name in listen: 78"
like "$ERR" "$CONF:$n: listen: .*numeric addresses only" "... at its line"
bad "listen = 127.0.0.1:0"
is "$RC" 78 "port 0: 78"
bad "listen = unix:relative.sock"
like "$RC:$ERR" "^78:.*absolute path" "a relative unix socket path: 78"
bad "lisen = 127.0.0.1:8080"
like "$RC:$ERR" "^78:.*unknown key \"lisen\" in \\[serve\\]" \
	"a misspelt key: 78"
bad "listen = [::1]:8080" "auth = local" "editors_file = editors"
is "$RC" 0 "[::1]:PORT and a relative editors_file are accepted"

# The relative editors_file is beside the configuration file.
mkdir "$WORK/etc"
cp "$CONF" "$WORK/etc/tipline.conf"
printf 'pw\n' | "$TIPLINE_BIN" --config "$WORK/etc/tipline.conf" passwd \
	editor.a >/dev/null 2>&1
is "$?" 0 "tipline passwd with a relative editors_file"
[ -f "$WORK/etc/editors" ]; ok $? "... writes it beside the configuration"
printf 'pw\n' | "$TIPLINE_BIN" --config "$WORK/etc/tipline.conf" passwd \
	'bad:name' >/dev/null 2>&1
is "$?" 64 "an editor's name with ':' is refused (64)"
