#!/usr/bin/env python3
"""media-seeds.py DIR - write small seed inputs for fuzz-media: a JPEG with
an Exif GPS IFD (both byte orders), an MP4 with moov/udta/\xa9xyz, a
QuickTime moov/meta keys/ilst location, a 3GPP loci box, a zip and an OLE2
header.  Each input starts with the chunk-size byte fuzz-media.c reads."""
import importlib.util
import os
import struct
import sys


def tiff(be):
    e = '>' if be else '<'
    b = (b'MM\0*' if be else b'II*\0') + struct.pack(e + 'I', 8)
    b += struct.pack(e + 'H', 1) + struct.pack(e + 'HHII', 0x8825, 4, 1, 26)
    b += struct.pack(e + 'I', 0) + struct.pack(e + 'H', 4)
    b += struct.pack(e + 'HHI', 1, 2, 2) + b'N\0\0\0'
    b += struct.pack(e + 'HHII', 2, 5, 3, 80)
    b += struct.pack(e + 'HHI', 3, 2, 2) + b'E\0\0\0'
    b += struct.pack(e + 'HHII', 4, 5, 3, 104) + struct.pack(e + 'I', 0)
    b += struct.pack(e + '6I', 21, 1, 2, 1, 35, 1)
    b += struct.pack(e + '6I', 105, 1, 51, 1, 43, 1)
    return b


def jpeg(be):
    t = b'Exif\0\0' + tiff(be)
    return (b'\xff\xd8\xff\xe0\0\x10JFIF\0\1\1\0\0\1\0\1\0\0'
            + b'\xff\xe1' + struct.pack('>H', len(t) + 2) + t
            + b'\xff\xda\0\x08\1\1\0\0\x3f\0' + b'\x5a' * 16 + b'\xff\xd9')


def box(t, p):
    return struct.pack('>I', len(p) + 8) + t + p


def mp4(child):
    moov = box(b'mvhd', bytes(100)) + child
    return (box(b'ftyp', b'isom\0\0\0\0isom') + box(b'mdat', bytes(32))
            + box(b'moov', moov))


def main():
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    iso = b'+21.0285+105.8542/'
    xyz = box(b'udta', box(b'\xa9xyz', struct.pack('>HH', len(iso), 0x15c7)
                           + iso))
    key = b'com.apple.quicktime.location.ISO6709'
    keys = box(b'keys', struct.pack('>II', 0, 1)
               + struct.pack('>I', len(key) + 8) + b'mdta' + key)
    item = box(b'\0\0\0\1', box(b'data', struct.pack('>II', 1, 0) + iso))
    meta = box(b'meta', box(b'hdlr', bytes(25)) + keys + box(b'ilst', item))
    loci = box(b'udta', box(b'loci', bytes(6) + b'x\0\0'
                            + struct.pack('>iii', 105 << 16, 21 << 16, 0)))
    seeds = {
        'jpeg-le': jpeg(False), 'jpeg-be': jpeg(True),
        'tiff': tiff(True), 'mp4-xyz': mp4(xyz), 'mov-keys': mp4(meta),
        '3gp-loci': mp4(loci),
        'zip-vba': b'PK\3\4' + bytes(26) + b'word/vbaProject.bin',
        'zip-exe': b'PK\3\4' + bytes(22) + b'\x0f\0\0\0invoice.pdf.exe'
        + b'PK\1\2' + bytes(24) + b'\x0f\0' + bytes(16) + b'invoice.pdf.exe',
        'ole2': b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' + bytes(56)
        + '_VBA_PROJECT'.encode('utf-16-le'),
        'mz-named': b'@a.pdf.exe\0MZ' + bytes(80),
    }
    # The photo, video and archive fixtures of tests/18-19 (XMP, HEIF
    # ispe, mvhd/tkhd, QuickTime keys, zips in folders and deflated inner
    # zips).
    spec = importlib.util.spec_from_file_location('mf', os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', 'tests',
        'media-fixtures.py'))
    mf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mf)
    inner = mf.zipbytes([('docs/setup.exe', b'MZ' + bytes(100))])
    seeds.update({
        'portrait-jpeg': mf.portrait_jpeg(), 'xmp-jpeg': mf.xmp_jpeg(),
        'png-exif': mf.png(), 'heic': mf.heic(), 'mp4-facts': mf.mp4(),
        'mov-facts': mf.mov(),
        'zip-folder': mf.zipbytes([('a/b.pdf.exe', b'x' * 40)]),
        'zip-inner': mf.zipbytes([('in.zip', inner)]),
    })
    for name, data in seeds.items():
        for chunk in (0, 1, 7):
            with open(os.path.join(d, '%s-%d' % (name, chunk)), 'wb') as f:
                f.write(bytes([chunk]) + data)


main()
