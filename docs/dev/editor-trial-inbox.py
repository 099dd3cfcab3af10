#!/usr/bin/env python3
"""editor-trial-inbox.py OUT PHOTO: write the trial inbox (3 rounds) into OUT/r1 OUT/r2 OUT/r3.
Placeholder people only; every byte made here."""
import os, sys, base64, datetime as dt
from email.utils import format_datetime
out, photo = sys.argv[1], sys.argv[2]
now = dt.datetime.now(dt.timezone(dt.timedelta(hours=7)))
def d(**kw): return format_datetime(now + dt.timedelta(**kw))
TCVN3 = {"Ă":0xA1,"Â":0xA2,"Ê":0xA3,"Ô":0xA4,"Ơ":0xA5,"Ư":0xA6,"Đ":0xA7,"ă":0xA8,"â":0xA9,"ê":0xAA,"ô":0xAB,"ơ":0xAC,"ư":0xAD,"đ":0xAE,
"à":0xB5,"ả":0xB6,"ã":0xB7,"á":0xB8,"ạ":0xB9,"ằ":0xBB,"ẳ":0xBC,"ẵ":0xBD,"ắ":0xBE,"ặ":0xC6,"ầ":0xC7,"ẩ":0xC8,"ẫ":0xC9,"ấ":0xCA,"ậ":0xCB,"è":0xCC,
"ẻ":0xCE,"ẽ":0xCF,"é":0xD0,"ẹ":0xD1,"ề":0xD2,"ể":0xD3,"ễ":0xD4,"ế":0xD5,"ệ":0xD6,"ì":0xD7,"ỉ":0xD8,"ĩ":0xDC,"í":0xDD,"ị":0xDE,"ò":0xDF,"ỏ":0xE1,
"õ":0xE2,"ó":0xE3,"ọ":0xE4,"ồ":0xE5,"ổ":0xE6,"ỗ":0xE7,"ố":0xE8,"ộ":0xE9,"ờ":0xEA,"ở":0xEB,"ỡ":0xEC,"ớ":0xED,"ợ":0xEE,"ù":0xEF,"ủ":0xF1,"ũ":0xF2,
"ú":0xF3,"ụ":0xF4,"ừ":0xF5,"ử":0xF6,"ữ":0xF7,"ứ":0xF8,"ự":0xF9,"ỳ":0xFA,"ỷ":0xFB,"ỹ":0xFC,"ý":0xFD,"ỵ":0xFE}
def tcvn3(s): return bytes(TCVN3[c] if c in TCVN3 else ord(c) for c in s)
def hdr(frm, subj, date, mid, extra=()):
    from email.header import Header
    h = ["From: " + frm, "To: tips@example.net",
         "Subject: " + Header(subj, "utf-8").encode(), "Date: " + date,
         "Message-ID: <%s@example.org>" % mid, "MIME-Version: 1.0"]
    return "\n".join(list(h) + list(extra)) + "\n"
def plain(frm, subj, date, mid, body, extra=()):
    return (hdr(frm, subj, date, mid, extra) +
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + body + "\n").encode()
def withatt(frm, subj, date, mid, body, fname, ctype, data, extra=()):
    b = "=-=trial=-="
    s = hdr(frm, subj, date, mid, extra) + 'Content-Type: multipart/mixed; boundary="%s"\n\n--%s\n' % (b, b)
    s += "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + body + "\n"
    s += '--%s\nContent-Type: %s; name="%s"\nContent-Disposition: attachment; filename="%s"\nContent-Transfer-Encoding: base64\n\n' % (b, ctype, fname, fname)
    s += base64.encodebytes(data).decode() + "--%s--\n" % b
    return s.encode()
A = "Nguyễn Văn A <reader.a@example.org>"
B = "Trần Thị B <reader.b@example.org>"
C = "Lê Văn C <reader.c@example.org>"
D = "Phạm Thị D <reader.d@example.org>"
E = "Hoàng Văn E <reader.e@example.org>"
F = "Vũ Thị F <reader.f@example.org>"
G = "Đặng Văn G <reader.g@example.org>"
H = "Bùi Thị H <reader.h@example.org>"
I = "Đỗ Văn I <reader.i@example.org>"
jpg = open(photo, "rb").read()
exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x80\x00\x00\x00" + b"This program cannot be run in DOS mode.\r\n" + b"\x00" * 64 + b"PE\x00\x00"
r = {"r1": {}, "r2": {}, "r3": {}}
r["r1"]["01-tainan"] = plain(A, "Tai nạn trên đường Trần Phú", d(days=-5), "trial-tainan",
    "Chào toà soạn,\n\nSáng nay lúc 7 giờ có một vụ tai nạn giao thông giữa xe tải và xe máy\ntrên đường Trần Phú, quận Hà Đông.\n\nNgười dân ở Hà Nội đang chờ cảnh sát tới. Tôi sẽ gửi ảnh sau.\n\nNguyễn Văn A")
r["r1"]["02-ngap"] = plain(B, "Ngập nặng ở Đà Nẵng", d(days=-2), "trial-ngap",
    "Mưa lớn từ đêm qua, nhiều tuyến phố ở Đà Nẵng ngập sâu nửa mét.\nĐường Nguyễn Văn Linh xe chết máy hàng loạt.")
r["r1"]["03-danang-far"] = plain(C, "Góp ý về giá điện", d(days=-2, hours=1), "trial-dien",
    "Tháng này tiền điện nhà tôi đã tăng gấp đôi. Tôi đã gọi tổng đài nhiều lần\nnhưng không ai trả lời. Công suất tiêu thụ không đổi, điện năng vẫn như cũ.")
r["r1"]["04-exe"] = withatt(D, "Biên bản vi phạm của công ty X", d(days=-1, hours=-2), "trial-exe",
    "Gửi quý báo biên bản tôi có được, mở file đính kèm để xem.", "Bien_ban_vi_pham.exe.pdf", "application/pdf", exe)
r["r1"]["05-tcvn3"] = (hdr(E, "Cay do tren duong Le Loi", d(days=-1, hours=-5), "trial-tcvn3") +
    "Content-Type: text/plain; charset=windows-1252\nContent-Transfer-Encoding: 8bit\n\n").encode() + \
    tcvn3("Sáng nay cây đổ trên đường Lê Lợi, đè bẹp hai xe máy.\nMong báo phản ánh giúp người dân.\n")
r["r1"]["06-autoreply"] = plain("Ban Biên Tập Phụ <desk.b@example.net>", "Automatic reply: Tin bài tuần này", d(hours=-6), "trial-oof",
    "Tôi đang nghỉ phép đến thứ Hai. Vui lòng liên hệ đồng nghiệp.", ["X-Auto-Response-Suppress: All", "X-MS-Exchange-Inbox-Rules-Loop: desk.b@example.net"])
dup = "Cầu Rồng ở Đà Nẵng có vết nứt lớn ở trụ số 3, người đi đường rất lo lắng.\nĐề nghị báo cử phóng viên tới xem."
r["r1"]["07-dup1"] = plain(F, "Cầu Rồng có vết nứt", d(hours=-3), "trial-dup-1", dup)
r["r1"]["08-dup2"] = plain(F, "Cầu Rồng có vết nứt", d(hours=-3, seconds=8), "trial-dup-2", dup)
r["r1"]["09-thread0"] = plain(G, "Xả thải ra sông Tô Lịch", d(days=-4), "trial-th-0",
    "Nhà máy ở đầu sông xả nước thải đen mỗi đêm khoảng 2 giờ sáng.")
r["r1"]["10-thread1"] = plain(G, "Re: Xả thải ra sông Tô Lịch", d(days=-4, hours=2), "trial-th-1",
    "Bổ sung: mùi hôi lan tới tận chợ.\n\n> Nhà máy ở đầu sông xả nước thải đen mỗi đêm khoảng 2 giờ sáng.",
    ["In-Reply-To: <trial-th-0@example.org>", "References: <trial-th-0@example.org>"])
r["r1"]["11-thread2"] = plain(G, "Re: Xả thải ra sông Tô Lịch", d(days=-3), "trial-th-2",
    "Đêm qua họ lại xả, tôi đã quay video nhưng file lớn quá.",
    ["In-Reply-To: <trial-th-1@example.org>", "References: <trial-th-0@example.org> <trial-th-1@example.org>"])
# round 2
r["r2"]["12-tainan-photo"] = withatt(A, "Re: Tai nạn trên đường Trần Phú", d(minutes=-10), "trial-tainan-2",
    "Ảnh hiện trường vụ tai nạn tôi chụp sáng nay đây ạ.\n\n> Chào toà soạn,", "IMG_2041.jpg", "image/jpeg", jpg,
    ["In-Reply-To: <trial-tainan@example.org>", "References: <trial-tainan@example.org>"])
r["r2"]["13-yesterday"] = plain(H, "Cháy kho hàng ở chợ Long Biên", d(days=-1, hours=-1), "trial-yesterday",
    "Tối qua cháy một kho hàng cạnh chợ Long Biên, khói bốc cao, xe cứu hỏa tới sau 20 phút.")
r["r2"]["14-thread3"] = plain(G, "Re: Xả thải ra sông Tô Lịch", d(minutes=-5), "trial-th-3",
    "Hôm nay phường đã xuống kiểm tra.", ["In-Reply-To: <trial-th-2@example.org>",
    "References: <trial-th-0@example.org> <trial-th-1@example.org> <trial-th-2@example.org>"])
# round 3
r["r3"]["15-portrait"] = withatt(I, "Cây đổ chắn đường Trần Phú", d(minutes=-3), "trial-portrait",
    "Cây xà cừ đổ chắn ngang đường Trần Phú, ảnh chụp bằng điện thoại.", "cay-do.jpg", "image/jpeg", jpg)
r["r3"]["16-thread4"] = plain(G, "Re: Xả thải ra sông Tô Lịch", d(minutes=-2), "trial-th-4",
    "Phường lập biên bản, nhà máy bị đình chỉ.", ["In-Reply-To: <trial-th-3@example.org>",
    "References: <trial-th-0@example.org> <trial-th-3@example.org>"])
r["r3"]["17-future"] = plain(C, "TIN NÓNG: cần đăng ngay", d(days=3), "trial-future",
    "Khẩn cấp, xin đăng ngay bài này lên đầu trang.")
for rnd, msgs in r.items():
    os.makedirs(os.path.join(out, rnd), exist_ok=True)
    for k, v in msgs.items():
        open(os.path.join(out, rnd, k + ".eml"), "wb").write(v)
