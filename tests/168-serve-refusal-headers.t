#!/bin/sh
# 168-serve-refusal-headers.t - issue 12: every response carries the
# security headers, the refusals of oversized requests included.  Header
# fields over SERVE_HEADER_MAX (16 KiB) are refused by tipline-serve
# itself (431), a body over 64 KiB too (413), both with the CSP, nosniff,
# no-referrer and no-store, checked on the wire.  Only a request that
# does not fit even the connection's 64 KiB meets libmicrohttpd's own 431,
# which 0.9.75 sends without them (docs/operations.md): still a 431.
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
serve_need
plan 14

printf 'proxy-secret-1\n' > "$WORK/proxy.secret"
chmod 600 "$WORK/proxy.secret"
printf '[serve]\nauth = proxy\nproxy_secret_file = %s\n' \
	"$WORK/proxy.secret" >>"$CONF"
tl import "$FIX/demo/05-opinion.eml" >/dev/null 2>&1
serve_start
H1='X-Remote-User: editor.a'
H2='X-Tipline-Proxy-Secret: proxy-secret-1'

# headers_of WHAT CURL-ARGS...: the status and the four headers, 5 checks.
headers_of() {
	_what=$1
	shift
	hc -D "$WORK/h" -o /dev/null -H "$H1" -H "$H2" "$@"
	tr -d '\r' < "$WORK/h" > "$WORK/h2"
	is "$(head -1 "$WORK/h2" | cut -d' ' -f2)" "$_want" "$_what: $_want"
	is "$(sed -n 's/^[Cc]ontent-[Ss]ecurity-[Pp]olicy: //p' "$WORK/h2")" \
		"$SERVE_CSP" "$_what: the CSP of issue 12"
	is "$(sed -n 's/^[Xx]-[Cc]ontent-[Tt]ype-[Oo]ptions: //p' \
		"$WORK/h2")" nosniff "$_what: nosniff"
	is "$(sed -n 's/^[Rr]eferrer-[Pp]olicy: //p' "$WORK/h2")" \
		no-referrer "$_what: no-referrer"
	is "$(sed -n 's/^[Cc]ache-[Cc]ontrol: //p' "$WORK/h2")" \
		no-store "$_what: no-store"
}

big=$(head -c 40000 /dev/zero | tr '\0' a)
_want=431 headers_of "a 40 KB header" -H "X-Big: $big" "$BASE/"
head -c 70000 /dev/zero | tr '\0' a > "$WORK/body"
_want=413 headers_of "a 70 KB body" --data-binary "@$WORK/body" \
	"$BASE/logout"
# Many small headers adding up count as much as one big one.
set --
i=0
while [ $i -lt 40 ]; do
	set -- "$@" -H "X-Part-$i: $(head -c 500 /dev/zero | tr '\0' b)"
	i=$((i + 1))
done
is "$(status -H "$H1" -H "$H2" "$@" "$BASE/")" 431 \
	"40 headers of 500 bytes (20 KB): 431"

huge=$(head -c 80000 /dev/zero | tr '\0' a)
is "$(status -H "$H1" -H "$H2" -H "X-Big: $huge" "$BASE/")" 431 \
	"an 80 KB header (beyond the connection's memory): still 431"
is "$(status -H "$H1" -H "$H2" -H "X-Big: $(head -c 8000 /dev/zero |
	tr '\0' a)" "$BASE/")" 200 "an 8 KB header is fine: 200"
is "$(status -H "$H1" -H "$H2" "$BASE/")" 200 "the server still answers"
