#!/usr/bin/env python3
# gen.py OUTDIR - the issue 10 desk messages, dated relative to now (so
# "arrived today with yesterday's Date" stays true), written at test time
# by tests/65-69.  Placeholder people only; reuses the JPEG/Exif builders
# of tests/data/desk/make-fixtures.py.
import datetime, importlib.util, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "deskfix", os.path.join(HERE, "..", "desk", "make-fixtures.py"))
fx = importlib.util.module_from_spec(spec)
src = open(spec.origin, encoding="utf-8").read()
src = src.split("\nif __name__")[0]
exec(compile(src.split("\nmain()")[0], spec.origin, "exec"), fx.__dict__)

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
now = datetime.datetime.now(datetime.timezone.utc)


def rfc(t):
    return t.strftime("%a, %d %b %Y %H:%M:%S +0000")


def write(name, text):
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        f.write(text)


def plain(name, who, addr, subject, date, mid, body, extra=""):
    write(name, f"""From: {fx.enc(who)} <{addr}>
To: Tin bạn đọc <tinbandoc@example.net>
Subject: {fx.enc(subject)}
Date: {rfc(date)}
Message-ID: <{mid}>
{extra}MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

{body}
""")


def with_file(name, who, addr, subject, date, mid, body, fname, ctype,
              data, extra=""):
    write(name, f"""From: {fx.enc(who)} <{addr}>
To: Tin bạn đọc <tinbandoc@example.net>
Subject: {fx.enc(subject)}
Date: {rfc(date)}
Message-ID: <{mid}>
{extra}MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b10"

--b10
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

{body}
--b10
Content-Type: {ctype}; name="{fname}"
Content-Disposition: attachment; filename="{fname}"
Content-Transfer-Encoding: base64

{fx.b64(data)}
--b10--
""")


A = ("Nguyễn Văn A", "reader.a@example.org")
plain("1-root.eml", *A, "Ngập sâu ở phường 5", now - datetime.timedelta(days=5),
      "t10-root@example.org", "Nước ngập tới đầu gối từ sáng.")
plain("2-other.eml", "Trần Thị B", "reader.b@example.org",
      "Cây đổ ở đường Trần Phú", now - datetime.timedelta(days=2),
      "t10-other@example.org", "Cây đổ chắn ngang đường.")
# Yesterday's Date (local noon of the day before, in the test's TZ).
tz = datetime.datetime.now().astimezone().tzinfo
y = (datetime.datetime.now(tz) - datetime.timedelta(days=1)).replace(
    hour=12, minute=0, second=0, microsecond=0)
plain("3-late-dated.eml", "Lê Văn C", "reader.c@example.org",
      "Mất điện cả ngày", y.astimezone(datetime.timezone.utc),
      "t10-late@example.org", "Gửi từ hôm qua nhưng tới hôm nay.")
with_file("4-exe.eml", "Phạm Thị D", "reader.d@example.net", "Hóa đơn",
          now - datetime.timedelta(hours=4), "t10-exe@example.net",
          "Xem hóa đơn đính kèm.", "hoa-don.exe.pdf",
          "application/pdf", b"MZ\x90\x00" + b"\x00" * 60 + b"PE\x00\x00")
TEXT = "Xe tải đổ trộm rác ở bờ kè sông Hàn,\nlúc 2 giờ sáng."
plain("5-dup1.eml", "Vũ Văn E", "reader.e@example.org", "Đổ trộm rác",
      now - datetime.timedelta(hours=3), "t10-dup1@example.org", TEXT)
plain("6-dup2.eml", "Vũ Văn E", "Reader.E@example.org", "Đổ trộm rác",
      now - datetime.timedelta(hours=3) + datetime.timedelta(seconds=8),
      "t10-dup2@example.org", "  xe tải đổ trộm rác ở bờ kè  sông Hàn, lúc 2 giờ sáng.")
plain("7-same-text-other.eml", "Đỗ Thị F", "reader.f@example.org",
      "Đổ trộm rác", now - datetime.timedelta(hours=3), "t10-f@example.org",
      TEXT)
# Arrives last: a follow-up with a GPS photo under the 5-day-old root.
with_file("8-followup.eml", *A, "Re: Ngập sâu ở phường 5", now,
          "t10-follow@example.org", "Ảnh chụp sáng nay.", "ngap.jpg",
          "image/jpeg", fx.jpeg_8x8_gray(fx.exif_gps(21.0288, 105.8523)),
          "In-Reply-To: <t10-root@example.org>\n")
# A long text, for closed pipes.
plain("9-long.eml", "Hoàng Văn G", "reader.g@example.org", "Thư dài",
      now - datetime.timedelta(days=1, hours=2), "t10-long@example.org",
      "\n".join("Dòng %d: người dân phản ánh tình trạng kéo dài." % i
                for i in range(20000)))
