#!/bin/sh
# 123-serve-limits.t - tipline serve (issue 12): 200 idle connections
# held open from loopback, and the queue still answers (within 5 s);
# a header that does not fit the connection's memory is refused (431), a
# body over 64 KiB too (413); the per-address limit (64) applies to a
# non-loopback peer and not to loopback, nor to the proxy's address
# once it has sent the proxy secret.
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
serve_need
plan 11

tl import "$FIX/demo/05-opinion.eml" >/dev/null 2>&1
printf 'proxy-secret-1\n' > "$WORK/proxy.secret"
chmod 600 "$WORK/proxy.secret"
cp "$CONF" "$WORK/base.conf"
cat >> "$CONF" <<CONF
[serve]
auth = proxy
proxy_secret_file = $WORK/proxy.secret
CONF
H1='X-Remote-User: editor.a'
H2='X-Tipline-Proxy-Secret: proxy-secret-1'
serve_start
HOLD=

# hold HOST N: N idle connections from here; waits until they are open
# and sets ALIVE to how many the server kept.
hold() {
	rm -f "$WORK/ready"
	/usr/bin/python3 "$TESTS/hold-conns.py" "$1" "$PORT" "$2" \
		"$WORK/ready" &
	HOLD=$!
	for _i in $(seq 1 200); do
		[ -e "$WORK/ready" ] && break
		sleep 0.1
	done
	ALIVE=$(cat "$WORK/ready" 2>/dev/null)
	diag "$2 connections from $1: ${ALIVE:-none reported} kept"
}
unhold() { kill "$HOLD" 2>/dev/null; wait "$HOLD" 2>/dev/null; return 0; }

hold 127.0.0.1 200
is "$ALIVE" 200 "200 idle connections from loopback are all kept open"
t0=$(date +%s%N)
st=$(status --max-time 5 -H "$H1" -H "$H2" "$BASE/")
t1=$(date +%s%N)
is "$st" 200 "... and the queue still answers"
diag "queue with 200 idle connections: $(( (t1 - t0) / 1000000 )) ms"
unhold

big=$(head -c 40000 /dev/zero | tr '\0' a)
is "$(status -H "$H1" -H "$H2" -H "X-Big: $big" "$BASE/")" 431 \
	"a 40 KB header: 431"
head -c 70000 /dev/zero | tr '\0' a > "$WORK/body"
is "$(status -H "$H1" -H "$H2" --data-binary "@$WORK/body" \
	"$BASE/logout")" 413 "a 70 KB body: 413"
is "$(status -H "$H1" -H "$H2" "$BASE/")" 200 "the server still answers"

# Sessions are bounded (4096): in proxy mode every request without a
# cookie makes one. The oldest goes first: its cookie gets a new session.
hc -H "$H1" -H "$H2" -c "$WORK/jar" -o /dev/null "$BASE/"
is "$(hc -H "$H1" -H "$H2" -b "$WORK/jar" -D - -o /dev/null "$BASE/" |
	grep -ci '^set-cookie')" 0 "a session's cookie is kept while young"
/usr/bin/python3 - "$PORT" <<'PY'
import http.client, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=10)
for _ in range(4100):
    c.request("GET", "/nothing", headers={
        "X-Remote-User": "editor.a",
        "X-Tipline-Proxy-Secret": "proxy-secret-1"})
    c.getresponse().read()
PY
is "$(hc -H "$H1" -H "$H2" -b "$WORK/jar" -D - -o /dev/null "$BASE/" |
	grep -ci '^set-cookie')" 1 \
	"after 4100 cookieless requests the oldest session is gone"
serve_stop

# A non-loopback peer: this machine's own address, written in [serve]
# listen (the only way to listen there).
addr=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9.]+$' |
	grep -v '^127\.' | head -1)
if [ -z "$addr" ]; then
	for i in 1 2 3; do ok 0 "per-address limit # SKIP no address"; done
	exit 0
fi
PORT=$(free_port)
cp "$WORK/base.conf" "$CONF"
cat >> "$CONF" <<CONF
[serve]
listen = $addr:$PORT
auth = proxy
proxy_secret_file = $WORK/proxy.secret
CONF
"$TIPLINE_SERVE_BIN" --config "$CONF" serve >"$SERVE_LOG" 2>&1 &
SERVE_PID=$!
BASE=http://$addr:$PORT
for _i in $(seq 1 100); do
	curl -s -o /dev/null --max-time 1 "$BASE/" && break
	sleep 0.1
done
is "$(status -H "$H1" "$BASE/")" 401 \
	"a non-loopback address written in [serve] listen is served"
hold "$addr" 70
is "$ALIVE" 64 "70 connections from $addr: 64 kept, the rest refused"
unhold
sleep 0.5
is "$(status -H "$H1" -H "$H2" "$BASE/")" 200 \
	"once they close, $addr is served again (it sends the proxy secret)"
hold "$addr" 70
is "$ALIVE" 70 "the proxy's address (it sent the secret) has no limit"
unhold
