#!/usr/bin/env python3
# queue-gen.py OUTDIR [N] - the queue page's messages (tests/150-152),
# written at test time, dated relative to now: a Đà Nẵng tip with a GPS
# photo, its follow-up, a photo without position, two plain tips with
# Vietnamese subjects; with N, N more plain tips (paging).  Placeholder
# people only; reuses the builders of tests/data/desk10/gen.py's source.
import datetime, importlib.util, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "deskfix", os.path.join(HERE, "..", "desk", "make-fixtures.py"))
fx = importlib.util.module_from_spec(spec)
src = open(spec.origin, encoding="utf-8").read()
src = src.split("\nif __name__")[0]
exec(compile(src.split("\nmain()")[0], spec.origin, "exec"), fx.__dict__)

out = sys.argv[1]
extra = int(sys.argv[2]) if len(sys.argv) > 2 else 0
os.makedirs(out, exist_ok=True)
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def rfc(t):
    return t.strftime("%a, %d %b %Y %H:%M:%S +0000")


def write(name, head, body):
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        f.write(head + body)


def head(who, addr, subject, date, mid, ctype, extra=""):
    return (f"From: {fx.enc(who)} <{addr}>\n"
            f"To: Tin bạn đọc <tinbandoc@example.net>\n"
            f"Subject: {fx.enc(subject)}\nDate: {rfc(date)}\n"
            f"Message-ID: <{mid}>\n{extra}MIME-Version: 1.0\n"
            f"Content-Type: {ctype}\n")


def plain(name, who, addr, subject, date, mid, body, extra=""):
    write(name, head(who, addr, subject, date, mid,
                     "text/plain; charset=utf-8", extra),
          f"Content-Transfer-Encoding: 8bit\n\n{body}\n")


def photo(name, who, addr, subject, date, mid, body, jpeg):
    write(name, head(who, addr, subject, date, mid,
                     'multipart/mixed; boundary="q12"'),
          f"""
--q12
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

{body}
--q12
Content-Type: image/jpeg; name="anh.jpg"
Content-Disposition: attachment; filename="anh.jpg"
Content-Transfer-Encoding: base64

{fx.b64(jpeg)}
--q12--
""")


A = ("Nguyễn Văn A", "reader.a@example.org")
t1 = now - datetime.timedelta(hours=5)
photo("1-danang.eml", *A, "Ngập nặng ở Đà Nẵng", t1, "q-danang@example.org",
      "Nước ngập tới đầu gối.",
      fx.jpeg_8x8_gray(fx.exif_gps(16.0544, 108.2022)))
plain("2-follow.eml", *A, "Cập nhật", now - datetime.timedelta(hours=4),
      "q-follow@example.org", "Nước đã rút bớt.",
      "In-Reply-To: <q-danang@example.org>\n"
      "References: <q-danang@example.org>\n")
photo("3-tree.eml", "Trần Thị B", "reader.b@example.org", "Cây đổ ở Huế",
      now - datetime.timedelta(hours=3), "q-tree@example.org",
      "Cây đổ chắn ngang đường.", fx.jpeg_8x8_gray())
plain("4-hanoi.eml", "Lê Văn C", "reader.c@example.org", "Kẹt xe ở Hà Nội",
      now - datetime.timedelta(hours=2), "q-hanoi@example.org",
      "Kẹt xe từ sáng.")
plain("5-nang.eml", "Phạm Thị D", "reader.d@example.org", "Trời nắng ở Huế",
      now - datetime.timedelta(hours=1), "q-nang@example.org",
      "Nắng gắt cả ngày.")
for i in range(extra):
    plain(f"9-{i:03d}.eml", "Hoàng Văn E", "reader.e@example.org",
          f"Tin số {i}", now - datetime.timedelta(minutes=50 - i % 40),
          f"q-many-{i}@example.org", f"Tin thứ {i}.")
# The Đà Nẵng tip's sender Date, for the test to render in a zone.
print(t1.strftime("%Y-%m-%dT%H:%M:%SZ"))
