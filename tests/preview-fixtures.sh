#!/bin/sh
# preview-fixtures.sh DIR - make the photos and clips of the preview
# tests (tests/130-134) in DIR with Debian's ffmpeg, vips and python3;
# every byte is made here.  The pictures are red on the left (or top)
# and blue on the right (or bottom) as stored, so a test can tell which
# way up a thumbnail is from two pixels.
#
# portrait.jpg  640x320 stored pixels, Exif Orientation 6 (turn 90
#               degrees clockwise to show): upright it is 320x640, red
#               at the top
# photo.heic    the same pixels, upright, as HEIC (x265) when vips can
#               write one
# photo.webp, photo.png   the same pixels, no orientation
# big.png       30000x30000 1-bit grey, complete and valid (112 MB of
#               pixels deflated to about 110 KB)
# cut.jpg       a noisy 1600x1200 JPEG cut in the middle of its scan
# clip.mp4      3 s, 320x160 H.264: 0.5 s of green, then red | blue;
#               display matrix "rotate 90": upright 160x320, red on top
# sleeper.sh, suicide.sh  fake workers for the client's tests
set -eu
D=$1
mkdir -p "$D"
FF="ffmpeg -nostdin -hide_banner -loglevel error -y"
HALVES="color=c=red:s=320x320,format=yuv444p[a];\
color=c=blue:s=320x320,format=yuv444p[b];[a][b]hstack"

$FF -filter_complex "$HALVES" -frames:v 1 -q:v 2 "$D/landscape.jpg"
$FF -filter_complex "$HALVES" -frames:v 1 "$D/photo.png"
$FF -filter_complex "$HALVES" -frames:v 1 "$D/photo.webp" 2>/dev/null ||
	rm -f "$D/photo.webp"
# Vertical halves for the HEIC: it carries no orientation here.
$FF -filter_complex "color=c=red:s=320x320[a];color=c=blue:s=320x320[b];\
[a][b]vstack" -frames:v 1 "$D/upright.png"
if command -v vips >/dev/null 2>&1; then
	vips heifsave "$D/upright.png" "$D/photo.heic" \
		--compression hevc 2>/dev/null || rm -f "$D/photo.heic"
fi
$FF -f lavfi -i "nullsrc=s=1600x1200,geq=random(1)*255:128:128" \
	-frames:v 1 -q:v 2 "$D/noise.jpg"

python3 - "$D" <<'PY'
import struct, sys, zlib
d = sys.argv[1]
# Exif APP1 with one IFD0 entry: Orientation (0x0112) SHORT 6.
tiff = b'II*\0' + struct.pack('<I', 8) + struct.pack('<H', 1) + \
    struct.pack('<HHIHH', 0x0112, 3, 1, 6, 0) + struct.pack('<I', 0)
app1 = b'Exif\0\0' + tiff
src = open(d + '/landscape.jpg', 'rb').read()
assert src[:2] == b'\xff\xd8'
seg = b'\xff\xe1' + struct.pack('>H', len(app1) + 2) + app1
open(d + '/portrait.jpg', 'wb').write(src[:2] + seg + src[2:])
noise = open(d + '/noise.jpg', 'rb').read()
open(d + '/cut.jpg', 'wb').write(noise[:len(noise) // 2])
# A complete 30000x30000 1-bit PNG: every row a filter byte and zeros.
w = h = 30000
row = b'\0' * (1 + (w + 7) // 8)
z = zlib.compressobj(9)
idat = b''.join(z.compress(row) for _ in range(h)) + z.flush()
def chunk(t, b):
    return struct.pack('>I', len(b)) + t + b + \
        struct.pack('>I', zlib.crc32(t + b) & 0xffffffff)
png = b'\x89PNG\r\n\x1a\n' + \
    chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 1, 0, 0, 0, 0)) + \
    chunk(b'IDAT', idat) + chunk(b'IEND', b'')
open(d + '/big.png', 'wb').write(png)
open(d + '/notes.txt', 'w').write('not a picture\n')
PY

$FF -filter_complex "color=c=green:s=320x160:d=0.5,format=yuv420p[g];\
color=c=red:s=160x160:d=2.5[r];color=c=blue:s=160x160:d=2.5[b];\
[r][b]hstack,format=yuv420p[h];[g][h]concat=n=2:v=1:a=0" \
	-c:v libx264 -r 25 "$D/clip.mp4"
# FFmpeg 5.1's muxer writes no rotation of its own (-display_rotation is
# 6.0), so set the track header's matrix to "turn 90 degrees clockwise"
# (ISO/IEC 14496-12 8.3.2: a b u c d v x y w; here b = 1, c = -1).
python3 - "$D/clip.mp4" <<'PY'
import struct, sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
i = b.index(b'tkhd')
assert b[i + 4] == 0                    # version 0
m = i + 4 + 4 + 4 * 5 + 8 + 8           # after the fields before matrix
b[m:m + 36] = struct.pack('>9i', 0, 0x10000, 0, -0x10000, 0, 0,
                          160 << 16, 0, 0x40000000)
open(p, 'wb').write(bytes(b))
PY

printf '#!/bin/sh\nsleep 30\n' > "$D/sleeper.sh"
printf '#!/bin/sh\nkill -9 $$\n' > "$D/suicide.sh"
chmod 755 "$D/sleeper.sh" "$D/suicide.sh"
