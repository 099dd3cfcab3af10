#!/usr/bin/env python3
"""genwork.py - generate the benchmark workloads as Maildir-ready files.

Deterministic: the same seed gives byte-identical files (Message-IDs and MIME
boundaries are derived from the seed too), so a cached workload can be reused
and two machines measure the same bytes.

  genwork.py OUTDIR WORKLOAD [--count N] [--seed S] [--scale F]

WORKLOAD:
  A  small reader submissions, 2-8 KB on disk: Vietnamese UTF-8 text,
     45 % text/plain and 55 % multipart/alternative (plain + HTML);
     Content-Transfer-Encoding about 1/4 8bit, 1/4 quoted-printable,
     1/2 base64; RFC 2047 Subject/From/To (B and Q encodings); a realistic
     trace header block (Received x3, DKIM-Signature, ARC-free
     Authentication-Results, X-Received); some replies (In-Reply-To).
  B  a short text plus one JPEG-like photo of 1-3 MB (decoded), base64;
     a third of the photos carry an Exif APP1 segment with GPS.
  C  a short text plus one MP4-like video of 50-52.5 MB (decoded), base64.
--scale shrinks the attachment sizes of B and C (BENCH_QUICK uses it).

Files are named OUTDIR/NNNNNN.eml (LF line ends, as a Maildir stores them;
Dovecot serves them with CRLF). Prints one summary line.
Only example.org / example.net / example.com addresses and TEST-NET IPs are
used; the people are placeholders ("Nguyễn Văn A").
"""
import argparse
import base64
import datetime as dt
import hashlib
import os
import quopri
import random
import statistics
import struct
import textwrap
from email import charset as email_charset
from email.header import Header
from email.utils import format_datetime

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ",
          "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Hữu", "Ngọc", "Quốc", "Thu", "Đình"]
LETTER = "ABCDEGHKLMNPQSTUVXY"
DOMAINS = ["example.org", "example.net", "example.com", "mail.example.org",
           "post.example.net"]
PLACES = ["phường Bến Nghé, Quận 1", "quận Cầu Giấy", "quận Hải Châu",
          "huyện Củ Chi", "thị xã Sơn Tây", "phường Tân Định",
          "tỉnh Khánh Hòa", "thành phố Cần Thơ", "huyện Đông Anh",
          "phố Hàng Bạc", "đường Lê Lợi", "chợ Bến Thành", "cầu Long Biên",
          "quốc lộ 1A", "khu công nghiệp Tân Bình", "xã Phước Kiển"]
SUBJECTS = [
    "Phản ánh ngập nước kéo dài tại {p}",
    "Tin nóng: cháy kho hàng ở {p}",
    "Kiến nghị về việc thu phí giữ xe sai quy định tại {p}",
    "Gửi ảnh hiện trường tai nạn giao thông trên {p}",
    "Đề nghị tòa soạn vào cuộc: dự án bỏ hoang ở {p}",
    "Góp ý bài viết về giá xăng dầu tuần trước",
    "Cảnh báo lừa đảo qua tin nhắn giả danh ngân hàng",
    "Rác thải ùn ứ nhiều ngày tại {p}",
    "Nước sinh hoạt có mùi lạ ở {p}",
    "Thư cảm ơn đội ngũ y bác sĩ bệnh viện huyện",
    "Tố cáo lấn chiếm lòng đường tại {p}",
    "Re: Tiếng ồn công trường ban đêm ở {p}",
    "Fwd: Thông báo thu thêm tiền học của trường",
    "Cây đổ sau giông lốc ở {p}, chưa được dọn",
    "Đường xuống cấp, ổ gà nguy hiểm trên {p}",
]
SENTENCES = [
    "Kính gửi Ban biên tập, tôi là độc giả theo dõi báo nhiều năm nay.",
    "Khoảng 6 giờ 30 sáng nay tôi chứng kiến sự việc tại {p} và xin phản "
    "ánh để các cơ quan chức năng sớm xử lý.",
    "Tình trạng này đã diễn ra gần một tháng nhưng địa phương vẫn chưa có "
    "biện pháp khắc phục nào.",
    "Bà con trong khu phố rất bức xúc vì nước thải tràn ra mặt đường, bốc "
    "mùi hôi nồng nặc.",
    "Nhiều phụ huynh phải chở con đi đường vòng, mất thêm gần nửa tiếng.",
    "Tôi đã gọi đường dây nóng của phường hai lần nhưng không có ai trả lời.",
    "Tôi gửi kèm một số hình ảnh chụp bằng điện thoại để quý báo tham khảo.",
    "Mong báo cử phóng viên xuống tìm hiểu để sự việc được giải quyết dứt "
    "điểm.",
    "Theo người dân kể lại, chiếc xe tải chạy quá nhanh rồi đâm vào dải "
    "phân cách.",
    "Rất may không ai bị thương, nhưng giao thông ùn tắc suốt hai tiếng.",
    "Giá thực phẩm ở chợ tăng mạnh, một ký thịt heo đã hơn 150.000 đồng.",
    "Tôi để lại số điện thoại để phóng viên tiện liên hệ khi cần thêm "
    "thông tin.",
    "Xin giữ kín danh tính của tôi vì lý do an toàn cho gia đình.",
    "Bài báo hôm thứ Ba có một số liệu chưa chính xác về ngân sách huyện.",
    "Các cụ cao tuổi phải xếp hàng từ sáng sớm để nhận tiền trợ cấp.",
    "Đề nghị ngành điện kiểm tra lại hóa đơn, nhiều hộ bị tính gấp đôi.",
    "Mỗi khi mưa lớn, cả con hẻm thành sông, xe máy chết máy hàng loạt.",
    "Có người đổ trộm xà bần xuống bờ kênh vào lúc nửa đêm.",
    "Xin chân thành cảm ơn các y bác sĩ đã tận tình chăm sóc mẹ tôi.",
    "Nếu cần, tôi sẵn sàng gặp trực tiếp phóng viên để cung cấp thêm bằng "
    "chứng.",
    "Trân trọng cảm ơn và chúc quý báo ngày càng phát triển.",
]
MAILERS = ["Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 "
           "Thunderbird/115.6.0", "Apple Mail (2.3774.300.61.1.2)",
           "Microsoft Outlook 16.0", None, None, None]

QP_HEADER = email_charset.Charset("utf-8")
QP_HEADER.header_encoding = email_charset.QP


def enc_header(r, name, value):
    """RFC 2047: B (Gmail style) or Q (Outlook style), folded at 76."""
    cs = "utf-8" if r.random() < 0.6 else QP_HEADER
    return Header(value, cs, header_name=name).encode()


def person(r):
    name = f"{r.choice(FAMILY)} {r.choice(MIDDLE)} {r.choice(LETTER)}"
    local = f"reader.{r.choice(LETTER).lower()}{r.randint(1, 9999)}"
    return name, local, r.choice(DOMAINS)


def token(r, n):
    return base64.b64encode(r.randbytes(n), b"-_").decode()


def fold_b64(s, first=0, width=72):
    out, line = [], ""
    for i in range(0, len(s), width):
        out.append(s[i:i + width])
    return "\n\t".join(out)


def headers(r, seed, idx, when, kind):
    """The header block: trace headers first, as a mailbox receives them."""
    name, local, dom = person(r)
    h = [f"Return-Path: <{local}@{dom}>",
         "Delivered-To: tipline@example.com"]
    t = when
    hops = []
    for i in range(3):
        t += dt.timedelta(seconds=r.randint(0, 4))
        ip = f"203.0.113.{r.randint(1, 254)}"
        hops.append(f"Received: from mx{i}.{dom} (mx{i}.{dom} [{ip}])\n"
                    f"\tby mail{i}.example.com (Postfix) with ESMTPS id "
                    f"{token(r, 9)[:12]}\n\tfor <tipline@example.com>; "
                    f"{format_datetime(t)}")
    h += reversed(hops)
    h.append(f"Authentication-Results: mail0.example.com;\n\tdkim=pass "
             f"header.d={dom};\n\tspf=pass smtp.mailfrom={dom}; dmarc=pass")
    h.append("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d="
             f"{dom}; s=s1;\n\th=from:to:subject:date:message-id:"
             f"mime-version;\n\tbh={token(r, 32)};\n\tb="
             + fold_b64(token(r, 256)))
    h.append(f"X-Received: by 2002:a17:90b:{r.randint(1000, 9999)} with "
             f"SMTP id x{r.randint(100, 999)};\n\t{format_datetime(t)}")
    h.append(f"From: {enc_header(r, 'From', name)} <{local}@{dom}>")
    h.append("To: " + enc_header(r, "To", "Đường dây nóng Tòa soạn")
             + " <tipline@example.com>")
    subj = r.choice(SUBJECTS).format(p=r.choice(PLACES))
    h.append("Subject: " + enc_header(r, "Subject", subj))
    h.append(f"Date: {format_datetime(when)}")
    mid = hashlib.sha1(f"{seed}/{kind}/{idx}".encode()).hexdigest()[:20]
    h.append(f"Message-ID: <{mid}.{idx}@{dom}>")
    if subj.startswith("Re: ") and idx > 0:
        prev = hashlib.sha1(f"{seed}/{kind}/{idx - 1}".encode()).hexdigest()
        h.append(f"In-Reply-To: <{prev[:20]}.{idx - 1}@example.com>")
        h.append(f"References: <{prev[:20]}.{idx - 1}@example.com>")
    mailer = r.choice(MAILERS)
    if mailer:
        h.append(("User-Agent: " if "Gecko" in mailer else "X-Mailer: ")
                 + mailer)
    if r.random() < 0.15:
        h.append(f"Reply-To: {enc_header(r, 'Reply-To', name)} "
                 f"<{local}.khac@{dom}>")
    h.append("MIME-Version: 1.0")
    return h, name


def paragraphs(r, n_sent, name):
    p = r.choice(PLACES)
    paras, cur, want = [], [], r.randint(2, 4)
    for _ in range(n_sent):
        cur.append(r.choice(SENTENCES).format(p=p))
        if len(cur) >= want:
            paras.append(" ".join(cur))
            cur, want = [], r.randint(2, 4)
    if cur:
        paras.append(" ".join(cur))
    paras.append(f"--\n{name}\nBạn đọc ở {r.choice(PLACES)}")
    return paras


def encode_body(text, cte):
    """Returns (header lines, encoded body) for a UTF-8 text part."""
    data = text.encode("utf-8")
    if cte == "base64":
        body = base64.encodebytes(data).decode()
    elif cte == "quoted-printable":
        body = quopri.encodestring(data).decode()
    else:
        body = text
    return cte, body


def wrap(paras):
    return "\n\n".join("\n".join(textwrap.wrap(x, 76, break_long_words=False,
                                               replace_whitespace=False))
                       if "\n" not in x else x for x in paras) + "\n"


def text_message(seed, idx, when, n_sent):
    r = random.Random(seed * 1000003 + idx)
    h, name = headers(r, seed, idx, when, "A")
    cte = r.choice(["8bit", "quoted-printable", "base64", "base64"])
    alternative = r.random() < 0.55
    paras = paragraphs(r, n_sent, name)
    plain = wrap(paras)
    cte_p, body_p = encode_body(plain, cte)
    if not alternative:
        h.append("Content-Type: text/plain; charset=\"utf-8\"")
        if r.random() < 0.3:
            h[-1] += "; format=flowed"
        h.append(f"Content-Transfer-Encoding: {cte_p}")
        return "\n".join(h) + "\n\n" + body_p
    html = ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html;"
            " charset=utf-8\"></head><body>\n"
            + "".join("<p style=\"font-family:Arial\">"
                      + x.replace("\n", "<br>\n") + "</p>\n" for x in paras)
            + "</body></html>\n")
    cte_h, body_h = encode_body(html, cte)
    bnd = "000000000000" + hashlib.md5(f"{seed}/A/{idx}".encode()).hexdigest()
    h.append(f"Content-Type: multipart/alternative; boundary=\"{bnd}\"")
    return ("\n".join(h) + "\n\n"
            f"--{bnd}\nContent-Type: text/plain; charset=\"UTF-8\"\n"
            f"Content-Transfer-Encoding: {cte_p}\n\n{body_p}\n"
            f"--{bnd}\nContent-Type: text/html; charset=\"UTF-8\"\n"
            f"Content-Transfer-Encoding: {cte_h}\n\n{body_h}\n"
            f"--{bnd}--\n")


def small(seed, idx, when, lo=2048, hi=8192):
    """A message whose size on disk lands in [lo, hi]: the sentence count
    is adjusted until the size is near a per-message target."""
    target = random.Random(seed * 7919 + idx).randint(lo + 300, hi - 300)
    n, best = 6, None
    for _ in range(14):
        data = text_message(seed, idx, when, n).encode("utf-8")
        if best is None or abs(len(data) - target) < abs(len(best) - target):
            best = data
        if abs(len(data) - target) < 250:
            break
        per = max(40, (len(data) - 1900) / max(n, 1))
        step = int(round((target - len(data)) / per))
        n = max(1, n + (step or (1 if target > len(data) else -1)))
    return best


def exif_gps(r):
    """A minimal big-endian Exif APP1 segment: Make, Model, DateTime and a
    GPS IFD (latitude/longitude somewhere in Viet Nam)."""
    def rat(v):
        return struct.pack(">II", int(v * 10000), 10000)
    lat, lon = r.uniform(8.6, 23.3), r.uniform(102.2, 109.4)
    make, model = b"ExampleCam\0", b"Phone 12\0"
    when = b"2025:09:01 07:30:00\0"
    # IFD0 at 8: 4 entries; GPS IFD after it; data area after both.
    ifd0_len = 2 + 4 * 12 + 4
    gps_off = 8 + ifd0_len
    gps_len = 2 + 4 * 12 + 4
    data_off = gps_off + gps_len
    data = b""

    def put(b):
        nonlocal data
        off = data_off + len(data)
        data += b
        return off
    m_off, mo_off, d_off = put(make), put(model), put(when)
    lat_off = put(rat(int(lat)) + rat(int(lat * 60) % 60)
                  + rat((lat * 3600) % 60))
    lon_off = put(rat(int(lon)) + rat(int(lon * 60) % 60)
                  + rat((lon * 3600) % 60))
    ifd0 = struct.pack(">H", 4)
    ifd0 += struct.pack(">HHII", 0x010F, 2, len(make), m_off)
    ifd0 += struct.pack(">HHII", 0x0110, 2, len(model), mo_off)
    ifd0 += struct.pack(">HHII", 0x0132, 2, len(when), d_off)
    ifd0 += struct.pack(">HHII", 0x8825, 4, 1, gps_off)
    ifd0 += struct.pack(">I", 0)
    gps = struct.pack(">H", 4)
    gps += struct.pack(">HHI4s", 1, 2, 2, b"N\0\0\0")
    gps += struct.pack(">HHII", 2, 5, 3, lat_off)
    gps += struct.pack(">HHI4s", 3, 2, 2, b"E\0\0\0")
    gps += struct.pack(">HHII", 4, 5, 3, lon_off)
    gps += struct.pack(">I", 0)
    tiff = b"MM\0\x2a" + struct.pack(">I", 8) + ifd0 + gps + data
    body = b"Exif\0\0" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def photo(r, n):
    head = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01"
            b"\x00\x00")
    if r.random() < 1 / 3:
        head += exif_gps(r)
    head += b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00"
    return head + r.randbytes(max(0, n - len(head) - 2)) + b"\xff\xd9"


def video(r, n):
    ftyp = struct.pack(">I", 24) + b"ftypisom" + struct.pack(">I", 512) \
        + b"isomiso2"
    mdat_len = n - len(ftyp)
    return ftyp + struct.pack(">I", mdat_len) + b"mdat" \
        + r.randbytes(mdat_len - 8)


def attach_message(seed, idx, when, kind, lo, hi):
    r = random.Random(seed * 1000003 + idx + (7 if kind == "B" else 11) * 10**7)
    h, name = headers(r, seed, idx, when, kind)
    text = wrap(paragraphs(r, r.randint(2, 6), name))
    n = r.randint(lo, hi)
    if kind == "B":
        data = photo(r, n)
        ctype = "image/jpeg"
        fname = r.choice(["IMG_", "anh_hien_truong_", "DSC", "Ảnh chụp "]) \
            + f"{idx:05d}.jpg"
    else:
        data = video(r, n)
        ctype = "video/mp4"
        fname = r.choice(["VID_2025090", "video_hien_truong_", "Clip "]) \
            + f"{idx:03d}.mp4"
    bnd = "----=_Part_" + hashlib.md5(f"{seed}/{kind}/{idx}".encode()).hexdigest()
    if fname.isascii():
        disp = f"attachment; filename=\"{fname}\""
        cname = f"name=\"{fname}\""
    else:   # RFC 2231 for the filename, RFC 2047 for the name (as MUAs do)
        from urllib.parse import quote
        disp = f"attachment;\n\tfilename*=utf-8''{quote(fname)}"
        cname = "name=\"" + Header(fname, "utf-8").encode() + "\""
    cte_t, body_t = encode_body(text, r.choice(["8bit", "quoted-printable"]))
    h.append(f"Content-Type: multipart/mixed; boundary=\"{bnd}\"")
    head = ("\n".join(h) + "\n\n"
            f"--{bnd}\nContent-Type: text/plain; charset=\"utf-8\"\n"
            f"Content-Transfer-Encoding: {cte_t}\n\n{body_t}\n"
            f"--{bnd}\nContent-Type: {ctype}; {cname}\n"
            f"Content-Disposition: {disp}\n"
            "Content-Transfer-Encoding: base64\n\n").encode("utf-8")
    return head + base64.encodebytes(data) + f"\n--{bnd}--\n".encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("workload", choices=["A", "B", "C"])
    ap.add_argument("--count", type=int)
    ap.add_argument("--seed", type=int, default=20261129)
    ap.add_argument("--scale", type=float, default=1.0)
    a = ap.parse_args()
    count = a.count or {"A": 2000, "B": 200, "C": 5}[a.workload]
    os.makedirs(a.outdir, exist_ok=True)
    base = dt.datetime(2025, 9, 1, 7, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    sizes = []
    for i in range(count):
        when = base + dt.timedelta(minutes=37 * i + (i * 7919) % 30)
        if a.workload == "A":
            data = small(a.seed, i, when)
        elif a.workload == "B":
            data = attach_message(a.seed, i, when, "B",
                                  int(1_000_000 * a.scale),
                                  int(3_000_000 * a.scale))
        else:
            data = attach_message(a.seed, i, when, "C",
                                  int(50_000_000 * a.scale),
                                  int(52_500_000 * a.scale))
        path = os.path.join(a.outdir, f"{i + 1:06d}.eml")
        with open(path + ".tmp", "wb") as f:
            f.write(data)
        os.rename(path + ".tmp", path)
        sizes.append(len(data))
    print(f"workload {a.workload}: {count} messages, {sum(sizes)} bytes, "
          f"min {min(sizes)} median {int(statistics.median(sizes))} "
          f"max {max(sizes)}")


if __name__ == "__main__":
    main()
