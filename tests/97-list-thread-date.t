#!/bin/sh
# A thread sits in list where its latest message would; its DATE column
# must say that message's time, not the first tip's old Date (editor trial
# finding 3).  --json keeps the root's date_utc and gives the thread's
# latest time as thread.latest_queue_utc; --flat rows keep their own.
. "$(dirname "$0")/lib.sh"
plan 7

late=$(date -u -d 'yesterday 10:30' '+%a, %d %b %Y %H:%M:%S +0000')
late_utc=$(date -u -d 'yesterday 10:30' '+%Y-%m-%dT%H:%M:%SZ')
cat > "$WORK/root.eml" <<'MSG'
From: =?UTF-8?Q?Nguy=E1=BB=85n_V=C4=83n_A?= <reader.a@example.org>
To: tips@example.net
Subject: Cay do
Date: Fri, 27 Nov 2026 08:00:00 +0000
Message-ID: <thread-date.1@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Cây đổ trên đường.
MSG
cat > "$WORK/later.eml" <<MSG
From: =?UTF-8?Q?Nguy=E1=BB=85n_V=C4=83n_A?= <reader.a@example.org>
To: tips@example.net
Subject: Re: Cay do
Date: $late
Message-ID: <thread-date.2@example.org>
In-Reply-To: <thread-date.1@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Thêm ảnh.
MSG
cat > "$WORK/other.eml" <<'MSG'
From: Tran Thi B <reader.b@example.org>
To: tips@example.net
Subject: Chay nha
Date: Sat, 28 Nov 2026 08:00:00 +0000
Message-ID: <thread-date.3@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Cháy nhà.
MSG
tl -q import "$WORK/root.eml" "$WORK/other.eml" "$WORK/later.eml" 2>/dev/null
TZ=UTC tl list >"$WORK/l"
first=$(sed -n 2p "$WORK/l")
like "$first" "Cay do \\[\\+1 follow-up\\]" "the thread is on top"
like "$first" "$(echo "$late_utc" | sed 's/T/ /' | cut -c1-16)" \
	"...and its DATE is its latest message's"
unlike=$(echo "$first" | grep -c '2026-11-27')
is "$unlike" 0 "...not the first tip's 2026-11-27"
like "$(grep 'Chay nha' "$WORK/l")" "2026-11-28 08:00" "a single row keeps its Date"
TZ=UTC tl list --flat >"$WORK/f"
like "$(grep ' Cay do' "$WORK/f" | grep -v 're #')" "2026-11-27 08:00" "--flat: the root's own Date"
tl list --json >"$WORK/j"
is "$(python3 -c '
import json, sys
r = [r for r in json.load(open(sys.argv[1])) if r["subject"] == "Cay do"][0]
print(r["date_utc"], r["thread"]["latest_queue_utc"])' "$WORK/j")" \
	"2026-11-27T08:00:00Z $late_utc" \
	"--json: date_utc stays the root's; thread.latest_queue_utc is the latest"
is "$(python3 -c '
import json, sys
r = [r for r in json.load(open(sys.argv[1])) if r["subject"] == "Chay nha"][0]
print(r["thread"])' "$WORK/j")" "None" "a row without follow-ups has no thread object"
