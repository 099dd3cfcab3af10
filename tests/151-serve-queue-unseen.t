#!/bin/sh
# 151-serve-queue-unseen.t - the queue page's unseen=1 (issue 12, Pages:
# "what is new since this editor last looked"): the server's editor is the
# login (here the proxy's X-Remote-User), the same name `tipline seen`
# records under $TIPLINE_EDITOR, so a submission marked seen by editor.a
# leaves editor.a's unseen queue and stays in editor.b's.
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
serve_need
plan 7

python3 "$FIX/serve/queue-gen.py" "$WORK/m" >/dev/null
tl import "$WORK/m"/*.eml >/dev/null 2>&1
is "$?" 0 "five generated mails imported"
HANOI=$(tl search --json 'ha noi' | python3 -c 'import json, sys
print(json.load(sys.stdin)[0]["id"])')
printf 'proxy-secret-1\n' > "$WORK/proxy.secret"
chmod 600 "$WORK/proxy.secret"
printf '[serve]\nauth = proxy\nproxy_secret_file = %s\n' \
	"$WORK/proxy.secret" >>"$CONF"
serve_start
# ids EDITOR QUERY: the submission ids the queue page lists for EDITOR.
ids() {
	hc -H "X-Remote-User: $1" -H 'X-Tipline-Proxy-Secret: proxy-secret-1' \
		"$BASE/$2" | grep -o 'href="/s/[0-9]*"' | grep -o '[0-9]*' |
		sort -n | tr '\n' ' '
}
has() { case " $1" in *" $2 "*) echo 0 ;; *) echo 1 ;; esac; }

before=$(ids editor.a '?unseen=1')
ok "$(has "$before" "$HANOI")" "unseen=1: the Hà Nội tip is new to editor.a"
TIPLINE_EDITOR=editor.a tl seen "$HANOI" >/dev/null 2>&1
is "$?" 0 "tipline seen ID as editor.a"
after=$(ids editor.a '?unseen=1')
ok "$([ "$(has "$after" "$HANOI")" = 1 ] && echo 0 || echo 1)" \
	"unseen=1: editor.a no longer gets it"
is "$(printf "%s" "$before" | tr ' ' '\n' | grep -vx "$HANOI" | tr '\n' ' ')" \
	"$after" "... and nothing else changed"
ok "$(has "$(ids editor.b '?unseen=1')" "$HANOI")" \
	"editor.b still gets it as new"
ok "$(has "$(ids editor.a '')" "$HANOI")" \
	"without unseen=1 editor.a still sees it in the queue"
