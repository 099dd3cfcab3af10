#!/bin/sh
# 160-html-removed.t - issue 12, Tests item 3 (the part without a
# browser): submitted HTML is never rendered; the parser says once, in
# the submission's warnings, how many remote images and links its text
# left out, and every face shows that warning: `show`, `show --json`
# and the desk's page (which carries no trace of the remote address).
# HTML whose images are local (cid:) and whose only link is a #fragment
# gets no such warning.
. "$(dirname "$0")/lib.sh"
. "$TESTS/serve-lib.sh"
serve_need
plan 8

WARN="HTML part: 1 remote image and 2 links removed"
sed 's/@PORT@/9/' "$FIX/serve/remote-image.eml" > "$WORK/remote.eml"
cat > "$WORK/local.eml" <<'EOF2'
From: Nguyễn Văn B <reader.b@example.org>
To: tips@example.net
Subject: Không có ảnh ngoài
Date: Tue, 1 Dec 2026 10:00:00 +0700
Message-ID: <local-image-1@example.org>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<p><a name="dau">Ảnh</a> <img src="cid:anh1@example.org" alt="ảnh">
<a href="#dau">lên đầu</a></p>
EOF2
tl -q import "$WORK/remote.eml" "$WORK/local.eml"
is "$?" 0 "import the two HTML mails"
id_of() {
	tl list --all --json |
		jq --arg s "$1" '.[] | select(.subject == $s) | .id'
}
rid=$(id_of "Có người theo dõi")
lid=$(id_of "Không có ảnh ngoài")

is "$(tj '[.warnings[] | select(startswith("HTML part:"))] | join("|")' \
	show "$rid")" "$WARN" "show --json: one warning with both counts"
is "$(tj '.text' show "$rid" | grep -c 127.0.0.1)" 0 \
	"show --json: the text does not carry the remote image's address"
like "$(tl show "$rid")" "! $WARN" "show: the warning is printed"
is "$(tj '[.warnings[] | select(startswith("HTML part:"))] | length' \
	show "$lid")" 0 "cid: images and #fragment links are not counted"

serve_local editor.a 'pw a'
serve_start
login editor.a 'pw a' "$WORK/jar" >/dev/null
hc -b "$WORK/jar" "$BASE/s/$rid" > "$WORK/page"
like "$(grep -o '<ul class="warnings">.*</ul>' "$WORK/page")" \
	"<li>$WARN</li>" "the page lists the warning"
is "$(grep -c '127\.0\.0\.1:9' "$WORK/page")" 0 \
	"the page carries no trace of the remote image's address"
is "$(grep -ci '<img' "$WORK/page")" 0 "the page has no image at all"
