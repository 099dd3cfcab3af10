#!/bin/sh
# 148-preview-cache-danger.t - a dangerous attachment is never sent to
# the worker, whatever its bytes are (issue 12: "dangerous files never"):
# a real JPEG named photo.jpg.scr (executable name, double extension)
# beside a harmless PNG: `previews` makes the PNG's only, runs the worker
# once, and keeps nothing for the dangerous one, on every run.
. "$(dirname "$0")/lib.sh"
. "$TESTS/preview-lib.sh"
. "$TESTS/preview-cache-lib.sh"
pc_setup
plan 5

mkmail "$WORK/a.eml" "anh nguy hiem" photo.jpg.scr="$FX/portrait.jpg" \
	b.png="$FX/photo.png"
tl -q import "$WORK/a.eml"
is "$(tl show 1 --json |
	jq -c '[.attachments[0] | .media.format, (.danger != null)]')" \
	'["JPEG",true]' \
	"the .scr is JPEG bytes and dangerous (media.h)"
is "$(tlp previews --json | jq -c '[.made, [.previews[].attachment]]')" \
	"[1,[1]]" "previews makes the PNG's (attachment 1) only"
is "$(runs)" 1 "the worker ran once"
is "$(sql "SELECT count(*) || ':' || max(a.idx) FROM preview p JOIN
	attachment a ON a.id = p.attachment_id")" 1:1 \
	"nothing is kept for the dangerous one"
is "$(tlp previews --json | jq .made)/$(runs)" 0/1 \
	"a second run does not try it either"
