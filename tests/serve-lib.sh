# tests/serve-lib.sh - helpers for the tests of tipline serve (issue 12):
# a real tipline-serve on a free loopback port, a real database made by
# `tipline import`, checked with curl and Python. Source after lib.sh.
#   serve_start [ARGS...]   start it (background), wait until it answers
#   serve_stop              stop it (SIGTERM), wait for it to exit
#   hc ARGS...              curl against it: silent, 5 s timeout
TIPLINE_SERVE_BIN=${TIPLINE_SERVE_BIN:-$(dirname "$TIPLINE_BIN")/tipline-serve}
SERVE_PID=
SERVE_LOG=$WORK/serve.log

_serve_cleanup() {
	serve_stop
	_cleanup
}
trap _serve_cleanup EXIT

# make check builds tipline-serve: a missing one is a broken build, not
# a reason to skip.
serve_need() {
	[ -x "$TIPLINE_SERVE_BIN" ] || {
		echo "Bail out! no tipline-serve at $TIPLINE_SERVE_BIN"
		exit 1
	}
	command -v curl >/dev/null 2>&1 || skip_all "curl not installed"
}

# A loopback port nothing listens on now.
free_port() {
	python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

serve_start() {
	PORT=$(free_port)
	BASE=http://127.0.0.1:$PORT
	"$TIPLINE_SERVE_BIN" --config "$CONF" serve \
		--listen "127.0.0.1:$PORT" "$@" >"$SERVE_LOG" 2>&1 &
	SERVE_PID=$!
	for _i in $(seq 1 100); do
		if curl -s -o /dev/null --max-time 1 "$BASE/"; then
			return 0
		fi
		kill -0 "$SERVE_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "Bail out! tipline-serve did not start: $(cat "$SERVE_LOG")"
	exit 1
}

serve_stop() {
	if [ -n "$SERVE_PID" ]; then
		kill "$SERVE_PID" 2>/dev/null
		wait "$SERVE_PID" 2>/dev/null
		SERVE_PID=
	fi
}

hc() { curl -s --max-time 5 "$@"; }

# status ARGS...: the HTTP status of a request.
status() { hc -o /dev/null -w '%{http_code}' "$@"; }

# serve_local EDITOR PASSWORD...: [serve] auth = local with these editors
# (set through `tipline passwd`, standard input).
serve_local() {
	cat >> "$CONF" <<CONF
[serve]
auth = local
editors_file = $WORK/editors
CONF
	while [ $# -ge 2 ]; do
		printf '%s\n' "$2" | tl passwd "$1" >/dev/null || return 1
		shift 2
	done
}

# login EDITOR PASSWORD JAR: log in, cookies into JAR; prints the status.
login() {
	status -c "$3" --data-urlencode "editor=$1" \
		--data-urlencode "password=$2" "$BASE/login"
}

# csrf_of JAR PATH: the CSRF token of the page at PATH.
csrf_of() {
	hc -b "$1" "$BASE$2" | grep -o 'name="csrf" value="[0-9a-f]*"' |
		head -1 | sed 's/.*value="//; s/"$//'
}

# The Content-Security-Policy of issue 12, on every page response.
SERVE_CSP="default-src 'none'; script-src 'self'; style-src 'self';"
SERVE_CSP="$SERVE_CSP img-src 'self'; media-src 'self'; form-action 'self';"
SERVE_CSP="$SERVE_CSP base-uri 'none'; frame-ancestors 'none'"

# route_headers JAR ROUTES: for each "METHOD PATH STATUS" line of ROUTES,
# as the session in cookie jar JAR, 5 checks on the wire: the status, the
# CSP, nosniff, no-referrer and no-store (issue 12).
route_headers() {
	printf '%s\n' "$2" > "$WORK/routes"
	while read -r _m _p _want; do
		hc -X "$_m" -b "$1" -D "$WORK/h" -o /dev/null "$BASE$_p"
		tr -d '\r' < "$WORK/h" > "$WORK/h2"
		is "$(head -1 "$WORK/h2" | cut -d' ' -f2)" "$_want" \
			"$_m $_p: $_want"
		is "$(sed -n 's/^[Cc]ontent-[Ss]ecurity-[Pp]olicy: //p' \
			"$WORK/h2")" "$SERVE_CSP" "$_m $_p: the CSP of issue 12"
		is "$(sed -n 's/^[Xx]-[Cc]ontent-[Tt]ype-[Oo]ptions: //p' \
			"$WORK/h2")" nosniff "$_m $_p: nosniff"
		is "$(sed -n 's/^[Rr]eferrer-[Pp]olicy: //p' "$WORK/h2")" \
			no-referrer "$_m $_p: no-referrer"
		is "$(sed -n 's/^[Cc]ache-[Cc]ontrol: //p' "$WORK/h2")" \
			no-store "$_m $_p: no-store"
	done < "$WORK/routes"
}

# browser_need: skip the whole test without headless Chromium, its
# driver or Selenium for /usr/bin/python3 (CI has them).
browser_need() {
	[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] ||
		skip_all "chromium or chromium-driver not installed"
	/usr/bin/python3 -c 'import selenium' 2>/dev/null ||
		skip_all "python3-selenium not installed"
}

# browser_run WHAT EDITOR PASSWORD ID ARGS...: tests/serve-browser-more.py
# against $BASE with a fresh profile; its lines in $WORK/out, its stderr
# in $WORK/err; one check that it ran to its end.
browser_run() {
	_what=$1 _ed=$2 _pw=$3 _id=$4
	shift 4
	rm -rf "$WORK/profile"
	HOME=$WORK /usr/bin/python3 "$TESTS/serve-browser-more.py" "$_what" \
		"$BASE" "$_ed" "$_pw" "$_id" "$WORK/profile" "$@" \
		> "$WORK/out" 2> "$WORK/err"
	_rc=$?
	is "$_rc" 0 "chromium: the browser session ran to its end"
	[ "$_rc" = 0 ] || diag "$(tail -5 "$WORK/err")"
}

# browser_ok NAME: one check that the session printed "ok NAME".
browser_ok() {
	_l=$(grep -F "ok $1" "$WORK/out" | head -1)
	is "$_l" "ok $1" "chromium: $1"
	case $_l in "not ok"*) diag "$_l" ;; esac
}

# browser_value NAME: a value the session printed ("value NAME V").
browser_value() { sed -n "s/^value $1 //p" "$WORK/out" | head -1; }
