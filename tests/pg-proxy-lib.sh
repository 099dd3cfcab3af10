# pg-proxy-lib.sh - tests/fixture/armproxy.py between tipline and the
# private PostgreSQL, for the connection-fault tests (186, 212).  Source
# after lib.sh (PG_PORT, PG_URL, PG_PASSFILE, WORK, SPOOL).
# start_proxy NAME MODE: armproxy.py in front of the server's TCP port;
# sets PPORT and PPID_LAST, its log in $WORK/NAME.log.  cut_cmd NAME: the
# fault command that signals it and waits for its acknowledgement.
start_proxy() {
	python3 "$TESTS/fixture/armproxy.py" 0 "$PG_PORT" "$WORK/$1.ack" \
		"$2" > "$WORK/$1.port" 2> "$WORK/$1.log" &
	PPID_LAST=$!
	_i=0
	while ! grep -q '^PORT ' "$WORK/$1.port" 2>/dev/null &&
	    [ $_i -lt 100 ]; do
		sleep 0.05; _i=$((_i + 1))
	done
	PPORT=$(sed -n 's/^PORT //p' "$WORK/$1.port" | head -1)
}
cut_cmd() {
	echo "kill -USR1 $PPID_LAST; i=0; while [ ! -f '$WORK/$1.ack' ] &&
		[ \$i -lt 100 ]; do sleep 0.05; i=\$((i + 1)); done"
}
# conf FILE: [store] at the proxy's port (the same host name, so the
# certificate still matches), with a passfile for that port
conf() {
	sed "s/:$PG_PORT:/:$PPORT:/" "$PG_PASSFILE" > "$1.pass"
	chmod 600 "$1.pass"
	printf '[store]\ndatabase = %s\npassfile = %s\nspool_dir = %s\n' \
		"$(echo "$PG_URL" | sed "s|@127.0.0.1:$PG_PORT/|@127.0.0.1:$PPORT/|")" \
		"$1.pass" "$SPOOL" > "$1"
}
stop_proxy() {
	kill "$PPID_LAST" 2>/dev/null; wait "$PPID_LAST" 2>/dev/null; return 0
}
