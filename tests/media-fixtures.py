#!/usr/bin/env python3
"""media-fixtures.py DIR | --wrap FILE NAME CTYPE N - write the photo, video and archive fixtures of
tests/18-media-scrub.t and tests/19-media-show.t into DIR, each also
wrapped in a mail (NAME.eml) from the placeholder reader.  Every byte is
made here; no corpus file is copied.

portrait.jpg  a phone photo held upright: 16x8 stored pixels (a real,
              decodable baseline JPEG), Exif Orientation 6, Make/Model,
              serial number, DateTimeOriginal + OffsetTimeOriginal, a
              MakerNote, a GPS IFD (Hoi An), an IFD1 thumbnail that is a
              JPEG with its own Exif, XMP, IPTC (APP13) and a comment.
xmp-gps.jpg   a JPEG whose only metadata is an XMP packet with
              exif:GPSLatitude="16,3.264N" exif:GPSLongitude="108,12.132E".
photo.png     20x30 PNG with an eXIf chunk (Make, DateTimeOriginal, GPS).
photo.heic    HEIF: ftyp heic, meta/iprp/ipco with two ispe (thumbnail
              320x240, image 4032x3024) and an Exif item.
clip.mp4      MP4: mvhd created 2024-06-08T07:03:11Z, 12.5 s; a sound
              track then a 1920x1080 video track turned 90 degrees;
              udta/\xa9xyz "+21.0285+105.8542/".
clip.mov      QuickTime (ftyp qt): meta keys/ilst with make, model,
              creationdate and the ISO 6709 location.
nested.zip    {Hoa_don/Hoa_don.pdf.exe} inside a folder;
inner.zip     {ok.txt, inner.zip (deflated) {docs/setup.exe}}.
traversal.zip {../../evil.txt}
"""
import os
import struct
import sys
import zipfile
import io
import base64


def ifd(e, entries, next_off, base):
    """An IFD at offset BASE: ENTRIES is [(tag, type, count, bytes)];
    values over 4 bytes follow the IFD. Returns its bytes."""
    size = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 10: 8}
    head = struct.pack(e + 'H', len(entries))
    data = b''
    dstart = base + 2 + 12 * len(entries) + 4
    for tag, typ, count, val in sorted(entries):
        if len(val) <= 4:
            head += struct.pack(e + 'HHI', tag, typ, count) + \
                val.ljust(4, b'\0')
        else:
            head += struct.pack(e + 'HHII', tag, typ, count,
                                dstart + len(data))
            data += val
            if len(data) % 2:
                data += b'\0'
        assert size[typ] * count == len(val), (tag, count, len(val))
    return head + struct.pack(e + 'I', next_off) + data


def asc(e, s):
    return (2, len(s) + 1, s + b'\0')


def short(e, v):
    return (3, 1, struct.pack(e + 'H', v))


def long_(e, v):
    return (4, 1, struct.pack(e + 'I', v))


def rat(e, *vals):
    return (5, len(vals), b''.join(struct.pack(e + 'II', n, d)
                                   for n, d in vals))


def tiff(be=True, ifd0=(), exif=(), gps=(), ifd1=None, thumb=b''):
    """A TIFF structure with IFD0 (+ Exif and GPS sub-IFDs, + IFD1 with a
    JPEG thumbnail). Offsets are laid out in two passes."""
    e = '>' if be else '<'

    def build(exif_off, gps_off, ifd1_off, thumb_off):
        z = list(ifd0)
        if exif:
            z.append((0x8769,) + long_(e, exif_off))
        if gps:
            z.append((0x8825,) + long_(e, gps_off))
        b = (b'MM\0*' if be else b'II*\0') + struct.pack(e + 'I', 8)
        b += ifd(e, z, ifd1_off if ifd1 is not None else 0, 8)
        eo = len(b)
        if exif:
            b += ifd(e, list(exif), 0, len(b))
        go = len(b)
        if gps:
            b += ifd(e, list(gps), 0, len(b))
        i1 = len(b)
        if ifd1 is not None:
            z1 = list(ifd1) + [(0x0201,) + long_(e, thumb_off),
                               (0x0202,) + long_(e, len(thumb))]
            b += ifd(e, z1, 0, len(b))
        to = len(b)
        b += thumb
        return b, eo, go, i1, to

    b, eo, go, i1, to = build(0, 0, 0, 0)
    b2 = build(eo, go, i1, to)
    assert b2[1:] == (eo, go, i1, to)
    return b2[0]


def seg(marker, payload):
    return bytes([0xff, marker]) + struct.pack('>H', len(payload) + 2) + \
        payload


# A real baseline JPEG, 16 wide and 8 high, one grey component: two 8x8
# blocks, each DC difference 0 and end-of-block.  Huffman tables with one
# code each ("0": DC category 0, AC EOB), so each block is two 0 bits.
DQT = seg(0xdb, b'\0' + bytes([1] * 64))
SOF = seg(0xc0, b'\x08' + struct.pack('>HH', 8, 16) + b'\x01\x01\x11\x00')
DHT = seg(0xc4, b'\x00' + bytes([1] + [0] * 15) + b'\x00' +
          b'\x10' + bytes([1] + [0] * 15) + b'\x00')
SOS = seg(0xda, b'\x01\x01\x00\x00\x3f\x00')
SCAN = b'\x0f'
PIXELS = DQT + SOF + DHT + SOS + SCAN + b'\xff\xd9'
JFIF = seg(0xe0, b'JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00')


def dms(deg, minutes, sec100):
    return [(deg, 1), (minutes, 1), (sec100, 100)]


def gps_ifd(e, lat, latref, lon, lonref):
    return [(1,) + asc(e, latref), (2,) + rat(e, *lat),
            (3,) + asc(e, lonref), (4,) + rat(e, *lon)]


def portrait_jpeg():
    e = '>'
    thumb_tiff = tiff(True, ifd0=[(0x010f,) + asc(e, b'ThumbCam')],
                      gps=gps_ifd(e, dms(10, 46, 0), b'N',
                                  dms(106, 41, 0), b'E'))
    thumb = b'\xff\xd8' + seg(0xe1, b'Exif\0\0' + thumb_tiff) + PIXELS
    t = tiff(True,
             ifd0=[(0x010f,) + asc(e, b'ExampleCam'),
                   (0x0110,) + asc(e, b'Phone X1'),
                   (0x0112,) + short(e, 6),
                   (0x0132,) + asc(e, b'2024:06:08 14:05:00')],
             exif=[(0x9003,) + asc(e, b'2024:06:08 14:03:11'),
                   (0x9011,) + asc(e, b'+07:00'),
                   (0x927c, 7, 24, b'EXAMPLECAM\0SERIAL-12345\0'),
                   (0xa431,) + asc(e, b'SN-98765'),
                   (0xa002,) + long_(e, 16), (0xa003,) + long_(e, 8)],
             gps=gps_ifd(e, dms(15, 52, 4200), b'N', dms(108, 19, 3600),
                         b'E'),
             ifd1=[(0x0103,) + short(e, 6)], thumb=thumb)
    xmp = (b'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x="adobe:ns:'
           b'meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf'
           b'-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/'
           b'elements/1.1/" dc:creator="Nguyen Van A"/></rdf:RDF>'
           b'</x:xmpmeta>')
    iptc = (b'Photoshop 3.0\0' + b'8BIM\x04\x04\0\0\0\0\0\x0d' +
            b'\x1c\x02\x50\x00\x08Reader A\0')
    return (b'\xff\xd8' + JFIF + seg(0xe1, b'Exif\0\0' + t) +
            seg(0xe1, xmp) + seg(0xed, iptc) +
            seg(0xfe, b'taken by reader.a@example.org') + PIXELS +
            b'trailing bytes a phone appended')


XMP_GPS = (b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
           b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf='
           b'"http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description'
           b' rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/"'
           b' xmlns:tiff="http://ns.adobe.com/tiff/1.0/"'
           b' exif:GPSLatitude="16,3.264N" exif:GPSLongitude="108,12.132E">'
           b'<tiff:Model>Lightroom Test</tiff:Model>'
           b'<exif:DateTimeOriginal>2024-05-01T09:30:00+07:00'
           b'</exif:DateTimeOriginal></rdf:Description></rdf:RDF>'
           b'</x:xmpmeta><?xpacket end="w"?>')


def xmp_jpeg():
    return (b'\xff\xd8' + JFIF +
            seg(0xe1, b'http://ns.adobe.com/xap/1.0/\0' + XMP_GPS) + PIXELS)


def chunk(t, d):
    import zlib
    return struct.pack('>I', len(d)) + t + d + \
        struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)


def png():
    import zlib
    e = '<'
    t = tiff(False, ifd0=[(0x010f,) + asc(e, b'PngCam')],
             exif=[(0x9003,) + asc(e, b'2023:12:24 20:00:00')],
             gps=gps_ifd(e, dms(21, 1, 0), b'N', dms(105, 51, 0), b'E'))
    raw = b''.join(b'\0' + bytes(20) for _ in range(30))
    return (b'\x89PNG\r\n\x1a\n' +
            chunk(b'IHDR', struct.pack('>IIBBBBB', 20, 30, 8, 0, 0, 0, 0)) +
            chunk(b'eXIf', t) + chunk(b'IDAT', zlib.compress(raw)) +
            chunk(b'IEND', b''))


def box(t, p):
    return struct.pack('>I', len(p) + 8) + t + p


def fullbox(t, v, p):
    return box(t, bytes([v, 0, 0, 0]) + p)


def heic():
    e = '>'
    t = tiff(True, ifd0=[(0x010f,) + asc(e, b'HeifCam'),
                         (0x0110,) + asc(e, b'H-2'),
                         (0x0112,) + short(e, 6)],
             exif=[(0x9003,) + asc(e, b'2024:02:10 08:00:00')])
    exif_item = struct.pack('>I', 6) + b'Exif\0\0' + t
    ispe = [fullbox(b'ispe', 0, struct.pack('>II', 320, 240)),
            fullbox(b'ispe', 0, struct.pack('>II', 4032, 3024))]
    meta = fullbox(b'meta', 0, fullbox(b'hdlr', 0, bytes(4) + b'pict' +
                                       bytes(13)) +
                   box(b'iprp', box(b'ipco', b''.join(ispe))))
    return (box(b'ftyp', b'heic\0\0\0\0mif1heic') + meta +
            box(b'mdat', exif_item + bytes(64)))


def mvhd(created, scale, duration):
    return fullbox(b'mvhd', 0, struct.pack('>IIII', created, created, scale,
                                           duration) + bytes(80))


def tkhd(w, h, matrix):
    p = struct.pack('>IIIII', 0, 0, 1, 0, 0) + bytes(8) + bytes(8)
    p += struct.pack('>9i', *matrix) + struct.pack('>II', w << 16, h << 16)
    return fullbox(b'tkhd', 0, p)


EPOCH = 2082844800
UNIT = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000]
TURN90 = [0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000]


def mp4():
    xyz = b'+21.0285+105.8542/'
    udta = box(b'udta', box(b'\xa9xyz', struct.pack('>HH', len(xyz), 0x15c7)
                            + xyz))
    moov = (mvhd(1717830191 + EPOCH, 1000, 12500) +
            box(b'trak', tkhd(0, 0, UNIT)) +
            box(b'trak', tkhd(1920, 1080, TURN90)) + udta)
    return (box(b'ftyp', b'isom\0\0\0\0isommp41') + box(b'mdat', bytes(64))
            + box(b'moov', moov))


def mov():
    keys = [b'com.apple.quicktime.make', b'com.apple.quicktime.model',
            b'com.apple.quicktime.creationdate',
            b'com.apple.quicktime.location.ISO6709']
    vals = [b'Apple', b'iPhone 12', b'2024-06-08T14:03:11+0700',
            b'+16.0544+108.2022+010.000/']
    kb = fullbox(b'keys', 0, struct.pack('>I', len(keys)) +
                 b''.join(struct.pack('>I', len(k) + 8) + b'mdta' + k
                          for k in keys))
    il = box(b'ilst', b''.join(
        box(struct.pack('>I', i + 1),
            box(b'data', struct.pack('>II', 1, 0) + v))
        for i, v in enumerate(vals)))
    meta = box(b'meta', fullbox(b'hdlr', 0, bytes(4) + b'mdta' + bytes(13))
               + kb + il)
    moov = mvhd(0, 600, 3000) + box(b'trak', tkhd(1280, 720, UNIT)) + meta
    return (box(b'ftyp', b'qt  \0\0\0\0qt  ') + box(b'wide', b'') +
            box(b'mdat', bytes(64)) + box(b'moov', moov))


def zipbytes(entries, method=zipfile.ZIP_DEFLATED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, 'w', method) as z:
        for name, data in entries:
            z.writestr(name, data)
    return b.getvalue()


def eml(name, ctype, data, n):
    body = base64.encodebytes(data).decode()
    return ('From: =?UTF-8?B?%s?= <reader.a@example.org>\n'
            'To: tips@example.net\n'
            'Subject: media %s\n'
            'Date: Sat, 08 Jun 2024 14:10:0%d +0700\n'
            'Message-ID: <media-%s@example.org>\n'
            'MIME-Version: 1.0\n'
            'Content-Type: multipart/mixed; boundary="b"\n\n'
            '--b\nContent-Type: text/plain; charset=utf-8\n\n'
            'Xin gửi tòa soạn.\n'
            '--b\nContent-Type: %s; name="%s"\n'
            'Content-Disposition: attachment; filename="%s"\n'
            'Content-Transfer-Encoding: base64\n\n%s--b--\n'
            % (base64.b64encode('Nguyễn Văn A'.encode()).decode(), name,
               n, name, ctype, name, name, body))


def main():
    if sys.argv[1] == '--wrap':
        # --wrap FILE NAME CTYPE N: FILE as a mail on stdout
        data = open(sys.argv[2], 'rb').read()
        sys.stdout.write(eml(sys.argv[3], sys.argv[4], data,
                             int(sys.argv[5])))
        return
    out = sys.argv[1]
    inner = zipbytes([('docs/setup.exe', b'MZ' + bytes(100))])
    files = [
        ('portrait.jpg', 'image/jpeg', portrait_jpeg()),
        ('xmp-gps.jpg', 'image/jpeg', xmp_jpeg()),
        ('photo.png', 'image/png', png()),
        ('photo.heic', 'image/heic', heic()),
        ('clip.mp4', 'video/mp4', mp4()),
        ('clip.mov', 'video/quicktime', mov()),
        ('nested.zip', 'application/zip',
         zipbytes([('Hoa_don/Hoa_don.pdf.exe', b'not really' * 10)])),
        ('inner.zip', 'application/zip',
         zipbytes([('ok.txt', b'hello'), ('inner.zip', inner)])),
        ('traversal.zip', 'application/zip',
         zipbytes([('../../evil.txt', b'x')], zipfile.ZIP_STORED)),
    ]
    for n, (name, ctype, data) in enumerate(files):
        with open(os.path.join(out, name), 'wb') as f:
            f.write(data)
        with open(os.path.join(out, name + '.eml'), 'w') as f:
            f.write(eml(name, ctype, data, n))


if __name__ == '__main__':
    main()
