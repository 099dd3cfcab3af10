#!/usr/bin/env python3
# bench/desk-gen.py N DIR - write N reader submissions as mbox files in DIR
# (10,000 per file) for bench/desk.sh: Vietnamese placeholder names and
# subjects, 1-3 paragraphs of text, one message in 20 a follow-up of an
# earlier one (In-Reply-To), one in 10 with a small attachment.
# Deterministic (fixed seed); Python standard library only.
import base64, os, random, sys

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ",
          "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh",
          "Ông", "Ưng", "Âu"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quốc"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Đào", "Giang", "Hà", "Hải", "Hạnh",
         "Hùng", "Khánh", "Lan", "Linh", "Mai", "Nam", "Nga", "Phúc",
         "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tú", "Uyên", "Vân", "Yến"]
PLACES = ["Hà Nội", "Đà Nẵng", "Huế", "Hải Phòng", "Cần Thơ", "Quảng Ngãi",
          "Nha Trang", "Vũng Tàu", "Biên Hòa", "Buôn Ma Thuột", "phường 5",
          "quận 8", "Hồ Gươm", "bến xe Miền Đông"]
TOPICS = ["Ngập sâu ở", "Cháy kho hàng ở", "Tai nạn giao thông tại",
          "Cây đổ chắn đường ở", "Rác thải đổ trộm ở", "Mất điện kéo dài ở",
          "Đường xuống cấp ở", "Giá điện tăng ở", "Sạt lở bờ kè ở",
          "Xây dựng trái phép ở", "Nước sinh hoạt đục ở", "Kẹt xe ở"]
WORDS = ("người dân phản ánh tình trạng kéo dài nhiều ngày chính quyền địa "
         "phương chưa có biện pháp khắc phục đề nghị tòa soạn xác minh hình "
         "ảnh đính kèm chụp chiều nay mưa lớn nước dâng cao đèn đường hỏng "
         "xe máy chết máy học sinh nghỉ học công nhân sơ tán khói đen").split()


def enc(s):
    return "=?UTF-8?B?" + base64.b64encode(s.encode()).decode() + "?="


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(20261129)
    os.makedirs(out, exist_ok=True)
    f = None
    for i in range(n):
        if i % 10000 == 0:
            if f:
                f.close()
            f = open(os.path.join(out, "q%03d.mbox" % (i // 10000)), "w",
                     encoding="utf-8")
        name = "%s %s %s" % (rnd.choice(FAMILY), rnd.choice(MIDDLE),
                             rnd.choice(GIVEN))
        day = 1 + i * 365 // n
        hh, mm = rnd.randrange(24), rnd.randrange(60)
        subject = "%s %s" % (rnd.choice(TOPICS), rnd.choice(PLACES))
        paras = []
        for _ in range(rnd.randrange(1, 4)):
            paras.append(" ".join(rnd.choice(WORDS)
                                  for _ in range(rnd.randrange(20, 60))))
        extra = ""
        if i > 100 and i % 20 == 0:
            j = rnd.randrange(i - 100, i)
            extra = "In-Reply-To: <q%d@bench.example.org>\n" % j
            subject = "Re: " + subject
        date = "%02d %s 2025 %02d:%02d:00 +0700" % (
            (day - 1) % 28 + 1,
            ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
             "Oct", "Nov", "Dec"][min(11, (day - 1) // 31)], hh, mm)
        f.write("From reader@example.org Mon Jan  1 00:00:00 2025\n")
        f.write("From: %s <reader%d@example.org>\n" % (enc(name), i % 5000))
        f.write("To: tinbandoc@example.net\n")
        f.write("Subject: %s\n" % enc(subject))
        f.write("Date: %s\n" % date)
        f.write("Message-ID: <q%d@bench.example.org>\n%s" % (i, extra))
        f.write("MIME-Version: 1.0\n")
        body = "\n\n".join(paras) + "\n%s\n" % name
        if i % 10 == 0:
            f.write('Content-Type: multipart/mixed; boundary="b"\n\n--b\n'
                    "Content-Type: text/plain; charset=utf-8\n"
                    "Content-Transfer-Encoding: 8bit\n\n")
            f.write(body)
            f.write('--b\nContent-Type: application/pdf; name="don-%d.pdf"\n'
                    "Content-Disposition: attachment; filename=\"don-%d.pdf\"\n"
                    "Content-Transfer-Encoding: base64\n\n%s\n--b--\n\n" % (
                        i, i, base64.b64encode(b"%PDF-1.4 " * 20).decode()))
        else:
            f.write("Content-Type: text/plain; charset=utf-8\n"
                    "Content-Transfer-Encoding: 8bit\n\n")
            f.write(body + "\n")
    f.close()


main()
