/* message.h - one RFC 5322 message, parsed with GMime 3 into what an editor
 * needs: sender, subject, date, text, attachments, forwarded messages and
 * the flags that keep sources safe.
 *
 * Input is always a file (a spool file, an imported .eml, or raw bytes
 * copied out of the store): GMime parses a seekable file stream in constant
 * memory and leaves part contents on disk until they are read.
 *
 * Every string in a msg_submission is valid UTF-8 in NFC with LF line ends,
 * or NULL when the message did not have it.
 */
#ifndef TIPLINE_MESSAGE_H
#define TIPLINE_MESSAGE_H

#include <glib.h>

#include "config.h"
#include "media.h"
#include "status.h"

/* One leaf MIME part that is not body text (see expected.json "rules"). */
typedef struct {
	char *filename;		/* NFC, never NULL: generated from the type
				 * ("attachment-2.jpg") when the part has none */
	gboolean name_generated;	/* filename was generated */
	char *content_type;	/* lower-case "type/subtype" */
	char *disposition;	/* "attachment" or "inline" */
	char *content_id;	/* without angle brackets, or NULL */
	char *part_path;	/* position in the MIME tree ("2", "3.1.2"),
				 * for message_part_write() */
	gint64 size;		/* bytes after Content-Transfer-Encoding */
	char sha256[65];	/* lower-case hex of those bytes */
	int forwarded_index;	/* -1 at top level, else index into
				 * msg_submission.forwarded */
	gboolean has_gps;	/* EXIF GPS (JPEG) or MP4/QuickTime location */
	double gps_lat, gps_lon;	/* decimal degrees, when has_gps */
	char *danger;		/* why the type is dangerous, or NULL */
	media_facts media;	/* photo/video facts; media.format NULL for
				 * other files */
} msg_attachment;

/* A message/rfc822 part: for a tip, the forward is the evidence. */
typedef struct {
	char *from_name, *from_addr, *subject, *message_id;
	char *date_utc;		/* ISO 8601 "YYYY-MM-DDTHH:MM:SSZ" or NULL */
	char *text;		/* its body text, same rule as the top level */
	int depth;		/* 1 for a forward, 2 for a forward inside it */
} msg_forwarded;

typedef struct {
	char *message_id;	/* without angle brackets */
	char *from_name;	/* display name of the first From mailbox */
	char *from_addr;	/* its address, as written */
	char *subject;		/* decoded, unfolded */
	char *date_utc;		/* ISO 8601 with Z, or NULL (no/bad Date) */
	int date_offset_min;	/* the sender's zone, minutes east of UTC */
	char *in_reply_to;	/* first id of In-Reply-To, no brackets */
	char *references;	/* ids of References, space separated */
	char *text;		/* body text (never NULL; "" when none) */
	char *text_source;	/* "text/plain", "text/html" or NULL */
	gint64 quote_offset;	/* byte offset in text where a reply's quoted
				 * part starts, -1 when none (display only) */
	char *html;		/* the first text/html body part, UTF-8, or
				 * NULL */
	GPtrArray *attachments;	/* of msg_attachment *, document order */
	GPtrArray *forwarded;	/* of msg_forwarded *, document order */
	gboolean is_auto_reply;	/* RFC 3834 and vendor headers */
	gboolean is_bounce;	/* RFC 3464 delivery status notification */
	gboolean is_spam;	/* X-Spam-Flag: YES / X-Spam-Status: Yes */
	gboolean is_signed;	/* multipart/signed, PGP or S/MIME */
	gboolean is_encrypted;	/* multipart/encrypted, application/pkcs7-mime */
	gboolean has_gps;	/* any attachment has_gps */
	gboolean charset_repaired;	/* a charset label was corrected */
	char *legacy_font_hint;	/* "VNI" / "TCVN3" when the text looks like a
				 * font hack, else NULL (text kept as sent) */
	char *legacy_text;	/* with legacy_font_hint: the text converted
				 * to Unicode NFC (vnfont.h), else NULL */
	char *legacy_subject;	/* the subject converted, when it is in the
				 * font hack too, else NULL */
	char *dsn_summary;	/* bounces: "5.1.1 failed <rcpt>", or NULL */
	GPtrArray *warnings;	/* of char *: GMime parser warnings and every
				 * repair made, human readable */
	char *quarantine_reason;	/* non-NULL: the message could not be
					 * parsed or broke a limit; the other
					 * fields may be partial */
} msg_submission;

/* Parse the message in the file PATH within LIMITS (NULL: defaults).
 * Returns TL_OK and a new *out (message_free) whenever the file could be
 * read, including when the message is malformed: a message GMime cannot
 * parse, or one beyond a limit, comes back with quarantine_reason set.
 * Returns TL_NOINPUT when PATH cannot be opened (*errmsg, g_free). */
tl_status message_parse_file(const char *path, const tl_parse_limits *limits,
			     msg_submission **out, char **errmsg);

/* The queue status a parsed message starts in: "quarantined",
 * "bounce", "auto_reply", "spam" or "new" (first that applies). Static
 * storage. */
const char *message_initial_status(const msg_submission *sub);

/* Decode the part at PART_PATH (msg_attachment.part_path) of the message
 * in RAW_PATH and write its bytes (after Content-Transfer-Encoding) to FD.
 * Returns TL_OK, TL_DATA when no such part exists, TL_NOINPUT when RAW_PATH
 * cannot be read, TL_TEMPFAIL on a write error such as ENOSPC (*errmsg,
 * g_free). Memory use does not depend on the part's size.  FD may be a
 * pipe; nothing is fsync'ed (the caller decides about durability). */
tl_status message_part_write(const char *raw_path, const char *part_path,
			     int fd, char **errmsg);

/* The same for many parts of one message (export): the raw file is
 * parsed once by message_raw_open() (TL_NOINPUT / TL_DATA as above; *out
 * freed with message_raw_close), then each part is written with
 * message_raw_part_write() (same results as message_part_write).  The
 * file must stay in place until message_raw_close(). */
typedef struct msg_raw msg_raw;
tl_status message_raw_open(const char *raw_path, msg_raw **out,
			   char **errmsg);
tl_status message_raw_part_write(msg_raw *r, const char *part_path, int fd,
				 char **errmsg);
void message_raw_close(msg_raw *r);

/* Free a msg_submission and everything it owns; NULL is allowed. */
void message_free(msg_submission *sub);

/* Test hook: read the message file at most N bytes per read (0: normal
 * reads), through mime_stream_chunked (mime-stream.h), so that tests can
 * feed every fixture one byte at a time.  Not for production use. */
void message_set_read_chunk(size_t n);

/* Call once before any other function here (g_mime_init and the parser
 * options tipline relies on); message_shutdown() at exit. */
void message_init(void);
void message_shutdown(void);

#endif
