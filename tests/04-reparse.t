#!/bin/sh
# reparse: a quarantined message that parses after a limit is raised takes
# the parser's status; an editor's status stands (QA F30).
. "$(dirname "$0")/lib.sh"
plan 4
printf 'From: Mai Van R <reader.r@example.org>\nSubject: Tra loi tu dong\nAuto-Submitted: auto-replied\nMessage-ID: <ooo@example.org>\n\nToi dang nghi phep.\n' > "$WORK/ooo.eml"
tl import "$WORK/ooo.eml" "$FIX/import/003-too-deep.eml" 2>/dev/null
tl reopen 1 --note 'not an auto-reply, a real tip' >/dev/null 2>&1
tl reparse 1 2>/dev/null
is "$(status_of 1)" new \
	"reparse keeps an editor's reopen of an auto-reply"
printf '[limits]\nmax_mime_depth = 64\n' >> "$CONF"
tl reparse --all-quarantined 2>/dev/null; is "$?" 0 "reparse --all-quarantined exits 0"
is "$(status_of 2)" new \
	"a quarantined message within the raised limit becomes new"
is "$(tj '[.[] | select(.action == "reparse")] | length' audit)" 2 \
	"each reparse is audited"
