#!/bin/sh
# 108-faces-format.t - issue 11: the core returns typed data and the
# faces format it.  JSON is built in one file (src/emit-json.c), no
# command or store module handles a JSON tree, and queue statuses and
# desk actions are enums: the desk's files, the store and ingest compare
# no status or action string (store.h: queue_status_name/parse,
# desk_action_name/parse).
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1
plan 5

is "$(grep -rl 'JsonNode' src lib | sort | tr '\n' ' ')" "src/emit-json.c " \
	"JsonNode only in the JSON emitter"
is "$(grep -rl 'json-glib/json-glib\.h' src lib | sort | tr '\n' ' ')" \
	"src/emit-json.c " "json-glib included only by the JSON emitter"
is "$(grep -rlE 'json_(builder|generator|object|array|node)_' src lib | sort |
	tr '\n' ' ')" "src/emit-json.c " "json-glib called only by the JSON emitter"
STATES='"(new|approved|rejected|spam|auto_reply|bounce|quarantined|too_large|approve|reject|reopen)"'
is "$(grep -nE "strcmp0?\\([^;]*$STATES" src/cmd-show.c src/cmd-export.c \
	src/cmd-list.c src/cmd-search.c src/cmd-audit.c src/cmd-decide.c \
	src/cmd-purge.c src/cmd-stats.c src/cmd-reparse.c src/cmd-doctor.c \
	src/emit*.c lib/store/*.c lib/app/*.c)" "" \
	"no status or action compared as a string (desk, store, ingest)"
is "$(grep -lE 'emit_(submission|desk_rows|audit_rows|stats)\(' src/cmd-*.c | sort |
	tr '\n' ' ')" \
	"src/cmd-audit.c src/cmd-export.c src/cmd-list.c src/cmd-show.c src/cmd-stats.c " \
	"show, export, list/search, audit and stats render through the walks"
