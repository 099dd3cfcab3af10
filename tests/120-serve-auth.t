#!/bin/sh
# 120-serve-auth.t - tipline serve (issue 12): who may log in. No [serve]
# auth: every page 401 with a reason; proxy mode trusts the login header
# only with the right proxy secret; local mode checks argon2id passwords
# set by `tipline passwd` and gives an HttpOnly, SameSite=Strict session
# cookie; a non-loopback --listen is refused (64); tipline itself links
# neither libmicrohttpd nor libsodium.
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
serve_need
plan 30

tl import "$FIX/demo/05-opinion.eml" >/dev/null 2>&1
is "$?" 0 "a queue made by tipline import"

# 1. No [serve]: it starts, and every page says why it answers 401.
serve_start
is "$(status "$BASE/")" 401 "no [serve] auth: the queue answers 401"
like "$(hc "$BASE/s/1")" "no \\[serve\\] auth" "the 401 page says what to set"
is "$(status "$BASE/static/keys.js")" 401 "no [serve] auth: even a static file"
serve_stop

# 2. Proxy mode.
printf 'proxy-secret-1\n' > "$WORK/proxy.secret"
chmod 600 "$WORK/proxy.secret"
cp "$CONF" "$WORK/base.conf"
cat >> "$CONF" <<CONF
[serve]
auth = proxy
proxy_secret_file = $WORK/proxy.secret
CONF
chmod 644 "$WORK/proxy.secret"
"$TIPLINE_SERVE_BIN" --config "$CONF" serve --listen 127.0.0.1:1 \
	>/dev/null 2>"$WORK/err"
is "$?" 78 "a proxy_secret_file others can read is refused (78)"
like "$(cat "$WORK/err")" "proxy_secret_file .*readable" "... saying so"
chmod 600 "$WORK/proxy.secret"
serve_start
is "$(status -H 'X-Remote-User: editor.a' "$BASE/")" 401 \
	"proxy: the login header without the secret: 401"
is "$(status -H 'X-Remote-User: editor.a' \
	-H 'X-Tipline-Proxy-Secret: proxy-secret-2' "$BASE/")" 401 \
	"proxy: a forged secret: 401"
is "$(status -H 'X-Tipline-Proxy-Secret: proxy-secret-1' "$BASE/")" 401 \
	"proxy: the secret without a login header: 401"
out=$(hc -H 'X-Remote-User: editor.a' \
	-H 'X-Tipline-Proxy-Secret: proxy-secret-1' "$BASE/")
like "$out" '<span class="editor">editor.a</span>' \
	"proxy: the right secret: the queue, as the proxy's editor"
like "$out" 'href="/s/1"' "... listing the imported submission"
serve_stop

# 3. Local mode, passwords set through tipline passwd (exec of
# tipline-serve beside tipline).
cp "$WORK/base.conf" "$CONF"
serve_local editor.b 'mật khẩu đúng' editor.c 'other one'
is "$?" 0 "tipline passwd sets two editors from standard input"
is "$(stat -c %a "$WORK/editors")" 600 "the editors_file is mode 600"
like "$(grep -c '^editor\.b:\$argon2id\$' "$WORK/editors")" '^1$' \
	"editor.b has one argon2id hash"
printf 'new one\n' | tl passwd editor.b >/dev/null
is "$(grep -c '^editor\.b:' "$WORK/editors"):$(grep -c . "$WORK/editors")" \
	"1:2" "a second passwd replaces the line, keeps the other editor"
serve_start
is "$(login editor.b 'mật khẩu đúng' "$WORK/jar")" 401 \
	"local: the old (wrong) password: 401"
is "$(login nobody 'new one' "$WORK/jar")" 401 "local: an unknown editor: 401"
hc -D "$WORK/hdr" -o /dev/null -c "$WORK/jar" --data-urlencode \
	"editor=editor.b" --data-urlencode "password=new one" "$BASE/login"
like "$(grep -i '^set-cookie:' "$WORK/hdr")" \
	'tipline_session=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Strict' \
	"local: the right password: an HttpOnly, SameSite=Strict cookie"
like "$(hc -b "$WORK/jar" "$BASE/")" '<span class="editor">editor.b</span>' \
	"the cookie opens the queue"
hc -D "$WORK/hdr" -o /dev/null -H 'X-Forwarded-Proto: https' \
	--data-urlencode "editor=editor.b" --data-urlencode "password=new one" \
	"$BASE/login"
like "$(grep -i '^set-cookie:' "$WORK/hdr" | tr -d '\r')" \
	'SameSite=Strict; Secure$' "behind HTTPS (X-Forwarded-Proto) also Secure"
# Guessing: after 5 wrong passwords in a row a name pauses for a minute.
for i in 1 2 3 4; do login editor.c "guess $i" "$WORK/j3" >/dev/null; done
is "$(login editor.c 'guess 5' "$WORK/j3")" 401 "a fifth wrong password: 401"
is "$(login editor.c 'other one' "$WORK/j3")" 429 \
	"then even the right one: 429, for a minute"
is "$(login editor.b 'new one' "$WORK/j3")" 303 "another name is not paused"
"$TIPLINE_SERVE_BIN" --config "$CONF" serve --listen "127.0.0.1:$PORT" \
	>/dev/null 2>"$WORK/err"
like "$?:$(cat "$WORK/err")" \
	"^75:.*cannot listen on 127.0.0.1:$PORT: Address already in use" \
	"a port in use: 75, naming it"
serve_stop

# 4. Only loopback from the command line.
tl serve --listen 0.0.0.0:8080 >/dev/null 2>"$WORK/err"
is "$?" 64 "tipline serve --listen 0.0.0.0:8080: refused (64)"
like "$(cat "$WORK/err")" "refusing to listen on 0.0.0.0:8080: not a loopback" \
	"... with a clear error"

# unix:PATH, for a proxy on this machine: made mode 0660, removed at exit.
"$TIPLINE_SERVE_BIN" --config "$CONF" serve --listen "unix:$WORK/s.sock" \
	>"$SERVE_LOG" 2>&1 &
SERVE_PID=$!
for _i in $(seq 1 100); do [ -S "$WORK/s.sock" ] && break; sleep 0.1; done
is "$(status --unix-socket "$WORK/s.sock" http://desk/)" 401 \
	"unix:PATH: the desk answers on the socket"
is "$(stat -c %a "$WORK/s.sock")" 660 "the socket is mode 660"
serve_stop
[ ! -e "$WORK/s.sock" ]; ok $? "the socket is removed at exit"

# 5. The cron job's binary stays light.
if command -v ldd >/dev/null 2>&1; then
	libs=$(ldd "$TIPLINE_BIN" | grep -Ec 'libmicrohttpd|libsodium')
	is "$libs" 0 "tipline links neither libmicrohttpd nor libsodium"
else
	ok 0 "ldd # SKIP no ldd"
fi
