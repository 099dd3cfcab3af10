#!/bin/sh
# 94-doctor-folder-line.t - found in the editor trial
# (docs/dev/editor-trial.md): doctor's "folder:" line named the database
# file ("folder:   /srv/tipline/tipline.db: writable") right under the
# "database:" line that names the same file; an admin looking for the
# folder's state read a file path.  It now names the folder, then the
# file checked in it.
. "$(dirname "$0")/lib.sh"
plan 2

cat > "$WORK/a.eml" <<MAIL
From: Nguyễn Văn A <reader.a@example.org>
To: tips@example.net
Subject: Tin
Date: Mon, 30 Nov 2026 08:00:00 +0700
Message-ID: <t94@example.org>

Nước ngập.
MAIL
tl -q import "$WORK/a.eml"
tl doctor > "$WORK/doc" 2>&1	# 78: no mailbox configured; not tested here
like "$(grep '^database:' "$WORK/doc")" "^database: $DB: ok " \
	"the database line names the file"
is "$(grep '^folder:' "$WORK/doc")" \
	"folder:   $WORK: writable, as is tipline.db" \
	"the folder line names the folder, then the database file"
