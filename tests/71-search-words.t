#!/bin/sh
# 71-search-words.t - issue 10 item 2: the search box finds all the words
# in any order anywhere in a submission (subject, text, sender name and
# address, attachment names, forwarded messages), "phrases", -exclusions
# and OR; FTS5 syntax is text; the words together rank above the same
# words apart, exact diacritics above folded ones.  Messages written here.
. "$(dirname "$0")/lib.sh"

plan 31

M=$WORK/mail
mkdir -p "$M"
# msg FILE ID FROM SUBJECT BODY: a plain UTF-8 message
msg() {
	printf 'From: %s\nTo: Tin bạn đọc <tin@example.net>\nSubject: %s\nDate: Mon, 03 Jun 2024 08:0%s:00 +0700\nMessage-ID: <%s@example.org>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n%s\n' \
		"$3" "$4" "${2#w}" "$2" "$5" >"$M/$1.eml"
}
msg a w1 'Nguyễn Văn A <reader.a@example.org>' 'Tai nạn giao thông' \
'Sáng nay một vụ tai nạn xảy ra trên phố Huế, quận Hai Bà Trưng,
thành phố Hà Nội. Hai người bị thương.'
msg b w2 'Lê Thị C <reader.c@example.org>' 'Mưa lớn chiều nay' \
'Nhiều tuyến phố ở Đà Nẵng bị ngập sâu sau trận mưa.'
msg c w3 'Phạm Văn D <reader.d@example.org>' 'Cây đổ' \
'Một cây xà cừ lớn đổ chắn ngang đường Trần Phú lúc 6 giờ sáng.'
msg d w4 'Võ Thị E <reader.e@example.org>' 'Góp ý' \
'Tôi đã gửi thư cho phường từ tháng trước nhưng chưa ai trả lời, mong
tòa soạn tìm hiểu giúp vì chúng tôi không đủ khả năng tự giải quyết.'
msg e w5 'Hoang Van G <reader.g@example.org>' 'Da Nang flooding' \
'Streets in Da Nang are flooded near the river.'
# f: with an attachment and a forwarded message
cat >"$M/f.eml" <<'EOM'
From: =?UTF-8?B?VHLhuqduIFRo4buLIEtpbQ==?= <reader.kim@example.org>
To: tin@example.net
Subject: =?UTF-8?Q?=E1=BA=A2nh_hi=E1=BB=87n_tr=C6=B0=E1=BB=9Dng?=
Date: Mon, 03 Jun 2024 08:06:00 +0700
Message-ID: <w6@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Xem tệp đính kèm và thư chuyển tiếp.
--b1
Content-Type: application/pdf; name="bien-ban-hien-truong.pdf"
Content-Disposition: attachment; filename="bien-ban-hien-truong.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJSVFT0YK
--b1
Content-Type: message/rfc822

From: Ngô Văn H <reader.h@example.net>
Subject: Sạt lở bờ kè
Date: Sun, 02 Jun 2024 20:00:00 +0700
Message-ID: <w6-fwd@example.net>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Bờ kè sông Hàn sạt lở một đoạn dài.
--b1--
EOM
tl -q import "$M"/*.eml; is "$?" 0 "import the messages"

# files of the results, in rank order
# A failed search must not read as "no ids": python's error is the output.
ids() { tl search "$@" --json | python3 -c '
import json, sys
print(" ".join(str(r["id"]) for r in json.load(sys.stdin)))' 2>&1; }
A=$(id_of w1@example.org); B=$(id_of w2@example.org)
C=$(id_of w3@example.org); D=$(id_of w4@example.org)
E=$(id_of w5@example.org); F=$(id_of w6@example.org)
sorted() { tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//'; }

# All words, any order, anywhere.
is "$(ids tai nạn Hà Nội)" "$A" "'tai nạn Hà Nội': words apart are found"
is "$(ids 'ngập Đà Nẵng')" "$B" "'ngập Đà Nẵng' across sentences"
is "$(ids 'cay tran phu')" "$C" "'cay tran phu' without diacritics"
is "$(ids 'phu tran cay')" "$C" "in any order"
is "$(ids 'hai ba trung ha noi')" "$A" "five words"
is "$(ids 'reader.kim')" "$F" "the sender's address"
is "$(ids 'kim hien truong')" "$F" "sender name and subject together"
is "$(ids 'bien ban' pdf)" "$F" "attachment names"
is "$(ids 'bo ke song han')" "$F" "a forwarded message's text"
is "$(ids 'sat lo ngo van h')" "$F" "a forwarded message's subject and sender"

# Phrases, exclusions, OR.
is "$(ids '"ha noi"')" "$A" "a quoted phrase"
is "$(ids '"noi ha"')" "" "a quoted phrase keeps its order"
is "$(ids '"cay tran"')" "" "a quoted phrase needs the words together"
is "$(ids 'pho -"ha noi"' | sorted)" "$B" "-\"phrase\" excludes"
is "$(ids 'cây -đường')" "" "-word excludes (folded: đường, duong)"
is "$(ids pho -noi)" "$B" "-word as its own argument is a word, not an option"
is "$(ids pho OR cay -'"ha noi"' --limit 5 | sorted)" "$(echo "$B $C" | sorted)" \
	"options still work after -word arguments"
is "$(ids '"tran phu" OR "song han"' | sorted)" "$(echo "$C $F" | sorted)" \
	"OR between two phrases"
is "$(ids 'duong OR pho sau')" "$B" \
	"OR binds tighter than the words around it"
is "$(ids 'duong OR pho -noi' | sorted)" "$(echo "$B $C" | sorted)" \
	"OR with an exclusion"
is "$(ids 'Trần*')" "$(ids 'Trần')" "a typed * is not a prefix operator"

# FTS5 operators are words: AND/NOT/NEAR are looked for as text.
is "$(ids 'Hà AND Nội')" "" "AND is a word, not FTS5's AND"
is "$(ids 'ha NOT noi')" "" "NOT is a word, not FTS5's NOT"
bad=0
for q in '"unbalanced' 'OR' 'a OR' 'OR a' '-' '- -' 'NEAR(ha noi)' \
	'ha:noi' 'subject:tai' '^ha' '"' '-"' 'OR OR' '-x OR y' '*' 'a -' \
	'NOT' 'AND AND' '(' ')' '{ha}' 'ha + noi'; do
	tl search --json -- "$q" >/dev/null 2>"$WORK/err" || {
		bad=$((bad + 1)); diag "query [$q]: $(cat "$WORK/err")"; }
done
is "$bad" 0 "no input is a syntax error"
is "$(ids 'tai "nạn')" "$A" "an unbalanced quote ends the phrase at the end"

# Ranking: together before apart; exact diacritics before folded.
is "$(ids 'da nang')" "$E $B $D" \
	"'da nang': the phrase first (exact text first), 'đã … năng' last"
is "$(ids 'Đà Nẵng')" "$B $E $D" \
	"'Đà Nẵng': exact phrase, folded phrase, words apart"
is "$(tl search 'Đà Nẵng' --json | python3 -c '
import json, sys
print([r["exact"] for r in json.load(sys.stdin)])')" "[True, False, False]" \
	"exact marks every word matched with its diacritics"
is "$(ids 'nang da')" "$E $B $D" "order typed does not change who is found"
tl search 'đã' >/dev/null; is "$?" 0 "a one-word search"
