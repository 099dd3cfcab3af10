#!/bin/sh
# 46-desk-purge.t - `tipline purge`: a purged submission leaves no trace of
# its text, original or diacritic-folded, in the database file or its WAL
# (an idle reader keeps the WAL file in place while tipline runs), while
# the purge itself is audited without content; and (QA F41) a follow-up
# that stays loses its quote of the purged tip and a "Re:" of its subject,
# in its text, search entries and original, keeping its own words and
# its attachment.
. "$(dirname "$0")/lib.sh"
D=$FIX/desk

plan 37

tl -q import "$D"/*.eml; is "$?" 0 "import the desk fixtures"
DN=$(id_of desk01@example.org)
KEEP=$(id_of desk02@example.org)
ROOT=$(id_of desk-orig@example.org)
F1=$(id_of desk-follow1@example.org)

# Traces of submission DN: its original words, its sender, its editor's
# note, and the forms only the folded index and the export path hold.
# Count them (case-insensitive) in the database and WAL bytes.
traces() {
	python3 - "$DB" <<'EOF'
import os, sys
words = ["ĐNX7749", "dnx7749", "Quỳnhđộng", "quynhdong", "Bạch Đằng",
	 "reader.b@example.org", "desk01@example.org", "ảnh giả",
	 "da-nang-nuoc-ngap"]
data = b""
for suffix in ("", "-wal"):
	if os.path.exists(sys.argv[1] + suffix):
		data += open(sys.argv[1] + suffix, "rb").read()
low = data.lower()	# ASCII only: Đ and đ stay themselves
print(" ".join(w for w in words
	       if w.encode() in data or w.encode().lower() in low) or "none")
EOF
}

tl -q reject "$DN" --reason "ảnh giả" >/dev/null
tl -q reject "$KEEP" --reason "trùng" >/dev/null
tl -q export "$DN" --to "$WORK" >/dev/null
# DN and the root of a thread were received long ago; KEEP is recent.
sql "UPDATE submission SET received_utc = '2020-01-01T00:00:00Z'
	WHERE id IN ($DN, $ROOT)"
tl -q reject "$ROOT" >/dev/null
# A cached preview (issue 12), as `tipline previews` keeps one, of a
# photo attached to the root (the fixture has none: one is recorded
# here); its reason carries a trace word of DN's.  tests/147 purges
# real previews made by the worker.
sql "INSERT INTO attachment(submission_id, idx, part_path, filename,
	content_type, disposition, size, sha256) VALUES ($ROOT, 0, '2',
	'a.jpg', 'image/jpeg', 'attachment', 1, '00')"
sql "INSERT INTO preview(attachment_id, size, version, made_utc, status,
	reason) SELECT id, 480, 1, '2020-01-01T00:00:00Z', 'none',
	'dnx7749 preview' FROM attachment WHERE submission_id = $ROOT"
[ "$(sql "SELECT count(*) FROM preview")" -ge 1 ]
ok $? "the root has a cached preview before the purge"

# Keep an idle reader on the database, as an editor's shell would: the WAL
# file then outlives each tipline run, and we can read its bytes.
python3 -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1])
c.execute("SELECT count(*) FROM submission").fetchall()
open(sys.argv[2], "w").close()
time.sleep(60)' "$DB" "$WORK/reader-ready" &
reader=$!
i=0
while [ ! -e "$WORK/reader-ready" ] && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done
tl -q approve "$KEEP" >/dev/null	# something in the WAL now
[ -s "$DB-wal" ]; ok $? "the WAL file exists and is not empty"
is "$(stat -c %a "$DB" "$DB-wal" "$DB-shm" | tr '\n' ' ')" "660 660 660 " \
	"the database, -wal and -shm are owner and group only (0660)"
before=$(traces)
like "$before" "ĐNX7749 dnx7749 Quỳnhđộng" \
	"before the purge the text is in the files (found: $before)"
like "$before" "da-nang-nuoc-ngap" "...and so is the export path"

tl purge --status rejected --older-than 30d --dry-run >"$WORK/dry"
is "$?" 0 "dry run exits 0"
like "$(cat "$WORK/dry")" "^would purge 2 submissions" "dry run counts 2 (DN, root)"
is "$(listed "$DN" "$ROOT")" 2 \
	"dry run deletes nothing"

tl purge --status rejected --older-than 30d >"$WORK/purge"
is "$?" 0 "purge exits 0"
like "$(cat "$WORK/purge")" "^purged 2 submissions" "purge reports the count"
is "$(sql "SELECT count(*) FROM submission WHERE id IN ($DN, $ROOT)") \
$(sql "SELECT count(*) FROM raw WHERE submission_id IN ($DN, $ROOT)") \
$(sql "SELECT count(*) FROM search_folded WHERE rowid IN ($DN, $ROOT)")" \
	"0 0 0" "rows, raw bytes and search entries are gone"
is "$(sql "SELECT count(*) FROM preview")" 0 \
	"the root's cached preview is gone too"
is "$(status_of "$KEEP")" approved \
	"a recent submission is kept"
is "$(tj .parent_id show "$F1")" null \
	"a follow-up of a purged root becomes a root"
is "$(tl search ĐNX7749 --all --json)" "[]" "search finds nothing"
is "$(traces)" "none" "no trace in the database or WAL bytes"
like "$(ls -l "$DB-wal" 2>/dev/null | awk '{print $5}')" '^0?$' \
	"the WAL was truncated"

like "$(tj '.[] | select(.action == "purge" and .submission_id == null) |
	[.editor, .action, .old_status, .note] | join("|")' audit)" \
	'^test-editor\|purge\|rejected\|2 submissions purged \(status rejected, older than 30d; received before 20[0-9-]{8}T[0-9:]{8}Z\)$' \
	"the purge is audited with count and criteria"
is "$(tj '[.[] | select(.note != null and .note != "[purged]")] | length' \
	audit "$DN")" 0 \
	"notes on the purged submission are cleared"
is "$(tj 'map(.action) | join(",")' audit "$DN")" \
	"ingest,reject,export,purge" \
	"who did what stays on record, and the purge itself (issue 10)"
kill "$reader" 2>/dev/null
wait "$reader" 2>/dev/null || true

# Footguns refused (QA F24): a bare number, and unreviewed statuses
# without --force.
tl purge --status rejected --older-than 90 --dry-run >/dev/null 2>&1
is "$?" 64 "purge --older-than 90 (no unit) is refused"
tl purge --status new --older-than 30d --dry-run >/dev/null 2>&1
is "$?" 64 "purge --status new without --force is refused"
tl purge --status new --older-than 30d --dry-run --force >/dev/null 2>&1
is "$?" 0 "and allowed with --force"

# QA F41: a purged tip's text must not survive quoted in a follow-up.
# TIP is purged; FU quotes it (quoted-printable, with an attachment); FU2
# only answers it ("Re:" subject, no quote).
mkdir -p "$WORK/f41"
cat > "$WORK/f41/tip.eml" <<'EOF'
From: =?UTF-8?B?Tmd1eeG7hW4gVsSDbiBB?= <reader.a@example.org>
To: Tin bạn đọc <tinbandoc@example.net>
Subject: Ngap sau o Thanh Khe KX9931
Date: Sat, 08 Jun 2024 07:00:00 +0700
Message-ID: <f41-tip@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Nước ngập sâu ở quận Thanh Khê, Đà Nẵng, mã KX9931 Quỳnhđộng.
EOF
cat > "$WORK/f41/fu.eml" <<'EOF'
From: =?UTF-8?B?Tmd1eeG7hW4gVsSDbiBB?= <reader.a@example.org>
To: Tin bạn đọc <tinbandoc@example.net>
Subject: Re: Ngap sau o Thanh Khe KX9931
Date: Sat, 08 Jun 2024 09:00:00 +0700
Message-ID: <f41-follow@example.org>
In-Reply-To: <f41-tip@example.org>
References: <f41-tip@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="f41"

--f41
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

N=C6=B0=E1=BB=9Bc =C4=91=C3=A3 r=C3=BAt, gi=E1=BB=9D =E1=BB=95n r=E1=BB=93i.

V=C3=A0o Th 7, 8 thg 6, 2024 l=C3=BAc 07:00 Nguy=E1=BB=85n V=C4=83n A =
<reader.a@example.org> =C4=91=C3=A3 vi=E1=BA=BFt:
> N=C6=B0=E1=BB=9Bc ng=E1=BA=ADp s=C3=A2u =E1=BB=9F qu=E1=BA=ADn Thanh Kh=C3=AA, =
=C4=90=C3=A0 N=E1=BA=B5ng, m=C3=A3 KX9931 Qu=E1=BB=B3nh=C4=91=E1=BB=99ng.
--f41
Content-Type: image/png; name="anh.png"
Content-Transfer-Encoding: base64

iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==
--f41--
EOF
sed -e 's/f41-follow@/f41-follow2@/' -e 's/^Date: .*/Date: Sat, 08 Jun 2024 10:00:00 +0700/' \
	-e '/^Content-Type: multipart/,$d' "$WORK/f41/fu.eml" > "$WORK/f41/fu2.eml"
printf 'Content-Type: text/plain; charset=utf-8\n\nCảm ơn.\n' >> "$WORK/f41/fu2.eml"
tl -q import "$WORK/f41"/*.eml >/dev/null
TIP=$(id_of f41-tip@example.org)
FU=$(id_of f41-follow@example.org)
FU2=$(id_of f41-follow2@example.org)
tl -q reject "$TIP" >/dev/null
sql "UPDATE submission SET received_utc = '2020-01-01T00:00:00Z' WHERE id = $TIP"
json() { python3 -c 'import json, sys; d = json.load(sys.stdin)
print(eval(sys.argv[1]))' "$1"; }
sha_before=$(tl show "$FU" --json | json 'd["attachments"][0]["sha256"]')
like "$(tl purge --status rejected --older-than 30d --dry-run)" \
	"would remove the quoted text of a purged submission from 2 follow-ups: #$FU #$FU2" \
	"F41: the dry run names the follow-ups that answer the tip"
tl purge --status rejected --older-than 30d >"$WORK/purge2"
is "$?" 0 "F41: purge exits 0"
like "$(cat "$WORK/purge2")" "removed the quoted text of a purged submission from 2 follow-ups" \
	"F41: purge says what it removed"
is "$(tl show "$FU" --json | json 'd["text"]')" \
"Nước đã rút, giờ ổn rồi.

[quoted text of a purged submission removed]" \
	"F41: the follow-up keeps its own text, its quote is replaced by a note"
is "$(tl show "$FU" --json | json 'd["subject"]') | $(tl show "$FU2" --json | json 'd["subject"]') | $(tl show "$FU2" --json | json 'd["text"]')" \
	"Re: [subject of a purged submission removed] | Re: [subject of a purged submission removed] | Cảm ơn." \
	"F41: a Re: of the purged subject goes too; a follow-up without a quote keeps its text"
like "$(tl show "$FU" --json | json '"\n".join(d["warnings"])')" \
	"purge: quoted text or subject of a purged submission removed" \
	"F41: the follow-up says what purge removed"
is "$(tl search KX9931 --all --json) $(tl search 'thanh khe' --all --json)" "[] []" \
	"F41: search finds the purged words nowhere"
tl show "$FU" --raw >"$WORK/fu-raw"
like "$(cat "$WORK/fu-raw")" "\[quoted text of a purged submission removed\]" \
	"F41: the follow-up's original carries the note"
is "$(grep -c -i -e KX9931 -e 'Thanh Kh' "$WORK/fu-raw")" "0" \
	"F41: and no longer the quote or the subject"
mkdir -p "$WORK/f41-out"
tl -q export "$FU" --to "$WORK/f41-out" >/dev/null
is "$(sha256sum "$WORK"/f41-out/*/attachments/anh.png | cut -d' ' -f1)" "$sha_before" \
	"F41: the follow-up's attachment exports byte-identical from the rewritten original"
# The rewritten original is still checked on every read, against the
# hash purge recorded for it (raw_rewritten), not waved through: damage
# one byte of it (same length) and show --raw refuses it.
sql "UPDATE raw SET bytes = CAST(replace(CAST(bytes AS TEXT), 'purged submission removed]',
	'purged submission REMOVED]') AS BLOB) WHERE submission_id = $FU"
tl show "$FU" --raw >/dev/null 2>"$WORK/f41-err"
is "$?" 65 "F41: a damaged rewritten original is refused (65)"
like "$(cat "$WORK/f41-err")" "#$FU: the stored original is damaged" \
	"F41: ...and named as damaged"
f41_traces() {
	python3 - "$DB" <<'EOF'
import os, sys
data = b""
for suffix in ("", "-wal"):
	if os.path.exists(sys.argv[1] + suffix):
		data += open(sys.argv[1] + suffix, "rb").read()
words = ["KX9931", "kx9931", "Quỳnhđộng", "quynhdong", "Thanh Kh", "thanh kh"]
print(" ".join(w for w in words if w.encode() in data) or "none")
EOF
}
is "$(f41_traces)" "none" "F41: no trace of the purged tip in the database or WAL bytes"
