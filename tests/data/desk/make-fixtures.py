#!/usr/bin/env python3
# Writes the desk test messages (tests/40-*.t .. 4x-*.t) next to this file.
# Placeholder people only; the GPS position is a landmark (Hồ Gươm).
# Run it again after changing it; the .eml files are committed.
import base64, os, struct, unicodedata, urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))


def jpeg_8x8_gray(app1=b""):
    """A valid baseline JPEG, 8x8 mid-grey, optionally with an APP1."""
    out = b"\xff\xd8"
    out += b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00" \
        + struct.pack(">HH", 1, 1) + b"\x00\x00"
    out += app1
    out += b"\xff\xfe" + struct.pack(">H", 2 + 14) + b"camera comment"
    out += b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + b"\x01" * 64
    out += b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 8, 8, 1) + b"\x01\x11\x00"
    # One-symbol Huffman tables: DC category 0 and AC EOB, both code '0'.
    bits = b"\x01" + b"\x00" * 15
    out += b"\xff\xc4" + struct.pack(">H", 2 + 1 + 16 + 1) + b"\x00" + bits + b"\x00"
    out += b"\xff\xc4" + struct.pack(">H", 2 + 1 + 16 + 1) + b"\x10" + bits + b"\x00"
    out += b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00" + b"\x00\x3f\x00"
    out += b"\x3f"          # DC diff 0, EOB, padded with ones
    out += b"\xff\xd9"
    return out


def exif_gps(lat, lon):
    """APP1 Exif with IFD0 -> GPS IFD (N/E refs and d/m/s rationals)."""
    def dms(v):
        d = int(v)
        m = int((v - d) * 60)
        s = round(((v - d) * 60 - m) * 60 * 100)
        return struct.pack(">IIIIII", d, 1, m, 1, s, 100)
    tiff = b"MM\x00\x2a" + struct.pack(">I", 8)
    ifd0 = struct.pack(">H", 1) + struct.pack(">HHII", 0x8825, 4, 1, 26) \
        + struct.pack(">I", 0)
    gps = struct.pack(">H", 4)
    gps += struct.pack(">HHI", 1, 2, 2) + b"N\x00\x00\x00"
    gps += struct.pack(">HHII", 2, 5, 3, 80)
    gps += struct.pack(">HHI", 3, 2, 2) + b"E\x00\x00\x00"
    gps += struct.pack(">HHII", 4, 5, 3, 104)
    gps += struct.pack(">I", 0)
    body = tiff + ifd0 + gps
    assert len(body) == 80, len(body)
    body += dms(lat) + dms(lon)
    payload = b"Exif\x00\x00" + body
    return b"\xff\xe1" + struct.pack(">H", 2 + len(payload)) + payload


def b64(data):
    s = base64.b64encode(data).decode()
    return "\n".join(s[i:i + 76] for i in range(0, len(s), 76))


def enc(s):
    return "=?UTF-8?B?" + base64.b64encode(s.encode()).decode() + "?="


def write(name, text):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(text.encode("utf-8"))


def plain(name, frm, addr, subject, date, mid, body, extra=""):
    write(name, f"""From: {enc(frm)} <{addr}>
To: Tin bạn đọc <tinbandoc@example.net>
Subject: {enc(subject)}
Date: {date}
Message-ID: <{mid}>
{extra}MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

{body}
""")


ROUTING = """Received: from mx.example.net (mx.example.net [192.0.2.7])
	by mail.example.org with ESMTPS id 4711
	for <tinbandoc@example.net>; Tue, 4 Jun 2024 21:03:05 +0700
DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=sel; b=AAAA
Authentication-Results: mail.example.org; dkim=pass header.d=example.org
"""

plain("01-danang.eml", "Trần Thị B", "reader.b@example.org",
      "Đà Nẵng: nước ngập đường Bạch Đằng", "Tue, 04 Jun 2024 21:03:00 +0700",
      "desk01@example.org",
      "Chào tòa soạn,\nSau trận mưa chiều nay, đường Bạch Đằng ở Đà Nẵng ngập "
      "sâu.\nMã hồ sơ: ĐNX7749, khu Quỳnhđộng.\nTrần Thị B\n", ROUTING)
plain("02-duong-surname.eml", "Dương Văn P", "reader.p@example.org",
      "Góp ý về giá điện", "Wed, 05 Jun 2024 08:00:00 +0700",
      "desk02@example.org",
      "Tôi là Dương, sống ở Huế. Giá điện tháng này tăng nhiều.\n"
      "Dương Văn P\n")

photo = jpeg_8x8_gray(exif_gps(21.0288, 105.8523))
write("03-gps-photo.eml", f"""From: {enc("Lý Thị Q")} <reader.q@example.org>
To: tinbandoc@example.net
Subject: {enc("Ảnh cây đổ bên hồ")}
Date: Thu, 06 Jun 2024 17:20:00 +0700
Message-ID: <desk03@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b03"

--b03
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Cây đổ bên hồ chiều nay, ảnh tôi chụp.
--b03
Content-Type: image/jpeg; name="cay-do.jpg"
Content-Disposition: attachment; filename="cay-do.jpg"
Content-Transfer-Encoding: base64

{b64(photo)}
--b03--
""")

# Hostile attachment names: each part must land inside the export folder.
long_name = "ả" * 100 + ".jpg"          # 304 bytes
q = urllib.parse.quote(long_name.encode())
half = len(q) // 2
while q[half - 1] == "%" or q[half - 2] == "%":
    half += 1
parts = [
    ('filename="../../etc/passwd"', "application/octet-stream"),
    ('filename="CON"', "text/plain"),
    ('filename="con.txt"', "text/plain"),
    ("filename*=utf-8''evil%0Aname%0D%1B%5B31m.txt", "text/plain"),
    (f"filename*0*=utf-8''{q[:half]};\n filename*1*={q[half:]}", "image/jpeg"),
    ('filename="photo\u202egpj.exe"', "application/octet-stream"),
    ('filename="same.txt"', "text/plain"),
    ('filename="same.txt"', "text/plain"),
    ('filename=".bashrc"', "text/plain"),
    ('filename="-rf"', "text/plain"),
    ('filename="a<b>c:d|e?f*.txt"', "text/plain"),
]
msg = f"""From: {enc("Phạm Văn D")} <reader.d@example.org>
To: tinbandoc@example.net
Subject: {enc("Tài liệu gửi kèm")}
Date: Fri, 07 Jun 2024 09:00:00 +0700
Message-ID: <desk04@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b04"

--b04
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Gửi tòa soạn các tài liệu.
"""
for i, (disp, ctype) in enumerate(parts):
    data = b64(("part %d\n" % i).encode())
    msg += f"""--b04
Content-Type: {ctype}
Content-Disposition: attachment; {disp}
Content-Transfer-Encoding: base64

{data}
"""
msg += "--b04--\n"
write("04-hostile-names.eml", msg)

plain("05-orig.eml", "Nguyễn Văn A", "reader.a@example.org",
      "Cây đổ trên phố Huế", "Sat, 08 Jun 2024 07:00:00 +0700",
      "desk-orig@example.org", "Một cây lớn đổ chắn ngang phố Huế.\n")
plain("06-followup.eml", "Nguyễn Văn A", "reader.a@example.org",
      "Re: Cây đổ trên phố Huế", "Sat, 08 Jun 2024 09:00:00 +0700",
      "desk-follow1@example.org", "Đã có xe đến cẩu cây đi.\n",
      "In-Reply-To: <desk-orig@example.org>\n"
      "References: <desk-orig@example.org>\n")
plain("07-followup2.eml", "Nguyễn Văn A", "reader.a@example.org",
      "Re: Re: Cây đổ trên phố Huế", "Sat, 08 Jun 2024 11:00:00 +0700",
      "desk-follow2@example.org", "Đường đã thông.\n",
      "In-Reply-To: <desk-follow1@example.org>\n"
      "References: <desk-orig@example.org> <desk-follow1@example.org>\n")

# NFD name and subject as raw UTF-8 (macOS style): stored NFC.
nfd_name = unicodedata.normalize("NFD", "Đặng Thị K")
nfd_subj = unicodedata.normalize("NFD", "Cháy ki-ốt sau chợ")
nfd_body = unicodedata.normalize("NFD", "Cháy lớn ở ki-ốt sau chợ, khói đen.")
write("08-nfd.eml", f"""From: {nfd_name} <reader.k@example.org>
To: tinbandoc@example.net
Subject: {nfd_subj}
Date: Sun, 09 Jun 2024 22:31:00 +0700
Message-ID: <desk08@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

{nfd_body}
""")

# Senders for the Vietnamese sort order (CLDR: a < ă < â, d < đ, o < ô < ơ).
for i, (name, addr) in enumerate([
        ("Zanh Văn Z", "z"), ("Ông Văn Y", "y"), ("Ân Thị X", "x"),
        ("An Văn W", "w"), ("Đinh Thị M", "m"), ("Bùi Văn L", "l"),
        ("Ơn Thị V", "v"), ("Ăn Văn U", "u")]):
    plain(f"1{i}-sort.eml", name, f"sort.{addr}@example.org",
          f"Thư số {i}", f"Mon, 10 Jun 2024 0{i}:00:00 +0700",
          f"desk-sort{i}@example.org", f"Nội dung thư {i}.\n")
