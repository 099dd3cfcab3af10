#!/bin/sh
# 109-status-edges.t - issue 11: queue statuses and desk actions are
# enums inside tipline and strings only at the edges.  Each decision
# command reaches its status, says "old -> new" or "already", records the
# action and both statuses as strings in the audit log (audit --json,
# show --json), and the list, stats and purge edges read and write the
# same names.
. "$(dirname "$0")/lib.sh"
export TZ=Asia/Ho_Chi_Minh
D=$FIX/desk
plan 14

tl -q import "$D"/01-danang.eml "$D"/02-duong-surname.eml "$D"/03-gps-photo.eml
A=$(id_of desk01@example.org)
B=$(id_of desk02@example.org)
C=$(id_of desk03@example.org)
is "$(tl approve "$A" "$B")" "$A: new -> approved
$B: new -> approved" "approve: old -> new for each id"
is "$(tl approve "$A")" "$A: already approved" "approve again: already"
is "$(tl reject "$B" --reason 'trùng tin')" "$B: approved -> rejected" \
	"reject"
is "$(tl spam "$C")" "$C: new -> spam" "spam"
is "$(tl reopen "$C")" "$C: spam -> new" "reopen"
tl reopen 999 >/dev/null 2>"$WORK/err"
is "$?:$(cat "$WORK/err")" "65:tipline reopen: no submission 999" \
	"reopen of an unknown id: 65, named"
is "$(tl audit --json | python3 -c '
import json, sys
print(" ".join("%s:%s>%s" % (r["action"], r["old_status"], r["new_status"])
      for r in json.load(sys.stdin) if r["action"] != "ingest"))')" \
	"approve:new>approved approve:new>approved approve:approved>approved reject:approved>rejected spam:new>spam reopen:spam>new" \
	"audit --json: every action and status as its string"
is "$(tl show "$B" --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["status"], [(h["action"], h["note"]) for h in d["history"]][-1])')" \
	"rejected ('reject', 'trùng tin')" "show --json: the status and the action"
is "$(tl list --all --json | python3 -c '
import json, sys
print(" ".join(r["status"] for r in sorted(json.load(sys.stdin), key=lambda r: r["id"])))')" \
	"approved rejected new" "list --json: the statuses"
is "$(tl list --status rejected,approved --json | python3 -c '
import json, sys; print(sorted(r["id"] for r in json.load(sys.stdin)))')" \
	"[$A, $B]" "list --status reads the names"
is "$(tl stats --json | python3 -c '
import json, sys
s = json.load(sys.stdin)["statuses"]
print(" ".join("%s=%d" % kv for kv in s.items()))')" \
	"new=1 quarantined=0 too_large=0 approved=1 rejected=1 spam=0 auto_reply=0 bounce=0" \
	"stats --json: every status, in the report's order"
tl purge --status rejected,too_large --older-than 1h --dry-run \
	>/dev/null 2>"$WORK/err"
is "$?:$(cat "$WORK/err")" "64:tipline purge: --status too_large: no editor has decided on these; add --force to purge them anyway" \
	"purge refuses an undecided status by its name"
tl purge --status 'spam, rejected' --status spam --older-than 1h \
	>/dev/null 2>&1
is "$?" 0 "purge of decided statuses runs"
is "$(tl audit --json | python3 -c '
import json, sys
r = json.load(sys.stdin)[-1]
print(r["action"], r["submission_id"], r["old_status"], r["note"].split(";")[0])')" \
	"purge None spam,rejected 0 submissions purged (status spam,rejected, older than 1h" \
	"the purge's audit row names the statuses once each, in the order given"
