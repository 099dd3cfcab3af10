#!/usr/bin/env python3
# gen.py OUTDIR - a submission with everything `show` warns about at once
# (tests 106-109): a forwarded message carrying a photo with a GPS
# position, and an executable named as a PDF.  Placeholder people only;
# reuses the JPEG/Exif builders of tests/data/desk/make-fixtures.py.
import importlib.util, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "deskfix", os.path.join(HERE, "..", "desk", "make-fixtures.py"))
fx = importlib.util.module_from_spec(spec)
src = open(spec.origin, encoding="utf-8").read()
src = src.split("\nif __name__")[0]
exec(compile(src.split("\nmain()")[0], spec.origin, "exec"), fx.__dict__)

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
photo = fx.b64(fx.jpeg_8x8_gray(fx.exif_gps(10.7769, 106.7009)))
exe = fx.b64(b"MZ\x90\x00" + b"\x00" * 60 + b"PE\x00\x00")
msg = f"""From: {fx.enc("Nguyễn Văn A")} <reader.a@example.org>
To: Tin bạn đọc <tinbandoc@example.net>
Subject: {fx.enc("Chuyển tiếp: ảnh cháy chợ")}
Date: Thu, 06 Jun 2024 17:20:00 +0700
Message-ID: <emit-all@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Tôi chuyển tiếp thư của chị B, kèm hóa đơn.
--outer
Content-Type: message/rfc822

From: {fx.enc("Trần Thị B")} <reader.b@example.org>
To: reader.a@example.org
Subject: {fx.enc("Ảnh cháy chợ Bến Thành")}
Date: Thu, 06 Jun 2024 16:05:00 +0700
Message-ID: <emit-inner@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="inner"

--inner
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Ảnh tôi chụp lúc 4 giờ chiều.
--inner
Content-Type: image/jpeg; name="cho.jpg"
Content-Disposition: attachment; filename="cho.jpg"
Content-Transfer-Encoding: base64

{photo}
--inner--

--outer
Content-Type: application/pdf; name="hoa-don.exe.pdf"
Content-Disposition: attachment; filename="hoa-don.exe.pdf"
Content-Transfer-Encoding: base64

{exe}
--outer--
"""
with open(os.path.join(out, "all.eml"), "w", encoding="utf-8") as f:
    f.write(msg)
