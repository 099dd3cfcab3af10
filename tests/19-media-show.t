#!/bin/sh
# 19-media-show.t - what `show` tells an editor about a photo or video:
# format, pixel size as shown, capture time, camera and a map link, for
# JPEG, PNG (eXIf), HEIF, MP4 and QuickTime, computed at ingest; and
# executables in zip folders, inner zips and escaping paths (QA F22).
# Fixtures from tests/media-fixtures.py.
. "$(dirname "$0")/lib.sh"

plan 15

M=$WORK/m
mkdir -p "$M"
python3 "$TESTS/media-fixtures.py" "$M" || { echo "Bail out! fixtures"; exit 1; }
tl -q import "$M"/*.eml; is "$?" 0 "import"
id_of() { sql "SELECT id FROM submission WHERE message_id = 'media-$1@example.org'"; }
media() {
	tl show "$(id_of "$1")" --json | python3 -c '
import json, sys
a = json.load(sys.stdin)["attachments"][0]; m = a["media"]
print(" | ".join(str(m[k]) for k in sys.argv[1].split()))' "$2"
}
K="format width height orientation taken make model gps_source"

is "$(media portrait.jpg "$K")" \
	"JPEG | 16 | 8 | 6 | 2024-06-08T14:03:11+07:00 | ExampleCam | Phone X1 | exif" \
	"JPEG: size from the frame, Exif orientation, DateTimeOriginal with OffsetTimeOriginal, make, model"
is "$(media portrait.jpg "map_url duration_s")" \
	"https://www.openstreetmap.org/?mlat=15.878333&mlon=108.326667#map=16/15.878333/108.326667 | None" \
	"JPEG: a map link to the Exif position"
is "$(media photo.png "$K")" \
	"PNG | 20 | 30 | None | 2023-12-24T20:00:00 | PngCam | None | exif" \
	"PNG: size from IHDR, time and camera from eXIf"
is "$(media photo.heic "$K map_url")" \
	"HEIF | 4032 | 3024 | 6 | 2024-02-10T08:00:00 | HeifCam | H-2 | None | None" \
	"HEIF: the largest ispe (not the thumbnail), Exif item facts, no position"
is "$(media clip.mp4 "$K duration_s")" \
	"MP4 | 1920 | 1080 | 6 | 2024-06-08T07:03:11Z | None | None | quicktime | 12.5" \
	"MP4: mvhd creation time (UTC) and duration, the video track's size and 90-degree matrix, the ©xyz position"
is "$(media clip.mov "$K")" \
	"QuickTime | 1280 | 720 | 1 | 2024-06-08T14:03:11+07:00 | Apple | iPhone 12 | quicktime" \
	"QuickTime: make, model and creation date from the metadata keys"
tl show "$(id_of nested.zip)" --json | python3 -c '
import json, sys; sys.exit(json.load(sys.stdin)["attachments"][0]["media"] is not None)'
ok $? "media is null for other files"

out=$(tl show "$(id_of portrait.jpg)")
like "$out" 'photo: +JPEG, 8 x 16 pixels as shown \(portrait\), stored turned 90° clockwise \(orientation 6\)' \
	"show: the size as a viewer shows the portrait photo"
like "$out" 'taken: +2024-06-08 14:03:11 \+07:00' "show: capture time with its zone"
like "$out" 'camera: +ExampleCam Phone X1' "show: camera"
like "$out" 'map: +https://www.openstreetmap.org/\?mlat=15.878333&mlon=108.326667' "show: map link"
like "$(tl show "$(id_of clip.mp4)")" 'video: +MP4, 1080 x 1920 pixels as shown \(portrait\).*12.5 s' \
	"show: a portrait phone video"

# QA F22: executables in folders, inside inner zips, and escaping paths.
danger() {
	tl show "$(id_of "$1")" --json | python3 -c '
import json, sys; print(json.load(sys.stdin)["attachments"][0]["danger"])'
}
is "$(danger nested.zip) / $(danger inner.zip)" \
	"archive holds an executable: Hoa_don/Hoa_don.pdf.exe / archive holds an executable: inner.zip/docs/setup.exe" \
	"an executable in a zip folder and one in a deflated inner zip are flagged"
is "$(danger traversal.zip)" \
	"archive entry whose path leaves the folder it is extracted to: ../../evil.txt" \
	"an entry with ../ is flagged"
