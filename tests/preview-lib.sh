# tests/preview-lib.sh - shared by the preview tests (130-134), sourced
# after lib.sh: the worker, its fixtures, and readers of a JPEG's size,
# pixels and markers through Debian's ffmpeg/ffprobe and python3.
PREVIEW_BIN=${TIPLINE_PREVIEW_BIN:-$TOP/tipline-preview}
FX=$WORK/fx

# preview_setup: skip the whole test without the worker or ffmpeg, else
# make the fixtures in $FX.
preview_setup() {
	[ -x "$PREVIEW_BIN" ] || skip_all "$PREVIEW_BIN not built"
	command -v ffmpeg >/dev/null 2>&1 ||
		skip_all "ffmpeg not installed (scripts/install-deps.sh)"
	"$TESTS/preview-fixtures.sh" "$FX" ||
		skip_all "cannot make the fixtures"
}

# dims FILE: "WIDTHxHEIGHT" of a picture.
dims() {
	ffprobe -v error -show_entries stream=width,height -of csv=s=x:p=0 \
		"$1" 2>/dev/null
}

# colour FILE X Y: red, green, blue or other at pixel (X, Y).
colour() {
	ffmpeg -nostdin -v error -i "$1" -vf "crop=2:2:$2:$3,format=rgb24" \
		-frames:v 1 -f rawvideo - 2>/dev/null | od -An -tu1 -N3 |
	awk '{ if ($1 > 200 && $2 < 60 && $3 < 60) print "red";
	       else if ($1 < 60 && $2 > 100 && $3 < 60) print "green";
	       else if ($1 < 60 && $2 < 60 && $3 > 200) print "blue";
	       else print "other" }'
}

# markers FILE: the JPEG's markers up to the scan, e.g. "DB C0 C4 DA";
# an APP1 (Exif, XMP) would show as E1, a comment as FE.
markers() {
	python3 - "$1" <<'PY'
import sys
b = open(sys.argv[1], 'rb').read()
out, i = [], 2
assert b[:2] == b'\xff\xd8'
while i + 4 <= len(b) and b[i] == 0xff:
    m = b[i + 1]
    out.append('%02X' % m)
    if m == 0xda:
        break
    i += 2 + int.from_bytes(b[i + 2:i + 4], 'big')
print(' '.join(out))
PY
}
